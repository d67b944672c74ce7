//! A small YAML writer for CloudFormation templates: block mappings and sequences, comments,
//! short-form intrinsic tags (`!Ref Vpc`), and strings written plain only where YAML cannot read
//! them as anything else.

use std::fmt::Write as _;

/// A value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    /// A string: plain when that is unambiguous, single-quoted otherwise.
    Str(String),
    /// Written as is: numbers, booleans, flow forms (`!Select [0, !GetAZs '']`).
    Raw(String),
    /// A short-form tag on a string (`!Ref Vpc`, `!Sub '...'`).
    Tag(&'static str, String),
    /// A mapping.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
}

/// One key of a mapping, with the comment lines above it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Entry {
    /// Comment lines (without `#`).
    pub(super) comments: Vec<String>,
    /// The key.
    pub(super) key: String,
    /// The value.
    pub(super) value: Node,
}

impl Node {
    /// A string.
    pub(super) fn str(text: impl Into<String>) -> Self {
        Self::Str(text.into())
    }

    /// A raw value.
    pub(super) fn raw(text: impl Into<String>) -> Self {
        Self::Raw(text.into())
    }

    /// `!Ref name`.
    pub(super) fn reference(name: &str) -> Self {
        Self::Tag("!Ref", name.to_owned())
    }

    /// `!GetAtt name`.
    pub(super) fn get_att(name: &str) -> Self {
        Self::Tag("!GetAtt", name.to_owned())
    }

    /// `!Sub 'text'`.
    pub(super) fn sub(text: &str) -> Self {
        Self::Tag("!Sub", text.to_owned())
    }

    /// A mapping from `(key, value)` pairs.
    pub(super) fn map<K: Into<String>>(entries: Vec<(K, Node)>) -> Self {
        Self::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    comments: Vec::new(),
                    key: key.into(),
                    value,
                })
                .collect(),
        )
    }

    /// JSON as YAML; each string becomes the node `string` gives.
    pub(super) fn from_json(value: &serde_json::Value, string: &impl Fn(&str) -> Node) -> Self {
        use serde_json::Value as J;
        match value {
            J::Object(map) => Self::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        comments: Vec::new(),
                        key: k.clone(),
                        value: Self::from_json(v, string),
                    })
                    .collect(),
            ),
            J::Array(items) => {
                Self::Seq(items.iter().map(|i| Self::from_json(i, string)).collect())
            }
            J::String(s) => string(s),
            other => Self::Raw(other.to_string()),
        }
    }

    fn is_block(&self) -> bool {
        matches!(self, Self::Map(m) if !m.is_empty())
            || matches!(self, Self::Seq(s) if !s.is_empty())
    }
}

/// A string as a YAML scalar: plain when it is made of safe characters, cannot be read as a
/// boolean, null, number or date, and does not start with an indicator; single-quoted otherwise.
pub(super) fn scalar(text: &str) -> String {
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let safe_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " ._/-(),:".contains(c));
    // `: ` starts a mapping value; a colon followed by anything else is part of the scalar.
    let colons_safe = !text.contains(": ") && !text.ends_with(':');
    let plain = !text.is_empty()
        && safe_chars
        && colons_safe
        && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        && !text.ends_with(' ')
        && !reserved.contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

fn inline(node: &Node) -> String {
    match node {
        Node::Str(s) => scalar(s),
        Node::Raw(s) => s.clone(),
        Node::Tag(tag, s) => format!("{tag} {}", scalar(s)),
        Node::Map(_) => "{}".to_owned(),
        Node::Seq(_) => "[]".to_owned(),
    }
}

fn comments(lines: &[String], indent: usize, out: &mut String) {
    for line in lines {
        if line.is_empty() {
            let _ = writeln!(out, "{:indent$}#", "");
        } else {
            let _ = writeln!(out, "{:indent$}# {line}", "");
        }
    }
}

/// Writes a block node (a non-empty mapping or sequence) at `indent`.
fn block(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Map(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                // A commented entry starts a group: an empty line sets it apart.
                if i > 0 && !entry.comments.is_empty() {
                    out.push('\n');
                }
                comments(&entry.comments, indent, out);
                let _ = write!(out, "{:indent$}{}:", "", scalar(&entry.key));
                if entry.value.is_block() {
                    out.push('\n');
                    block(&entry.value, indent + 2, out);
                } else {
                    let _ = writeln!(out, " {}", inline(&entry.value));
                }
            }
        }
        Node::Seq(items) => {
            for item in items {
                if item.is_block() {
                    // The item's first line goes after the dash; the rest keep its indentation.
                    let mut text = String::new();
                    block(item, indent + 2, &mut text);
                    let _ = write!(out, "{:indent$}- {}", "", &text[indent + 2..]);
                } else {
                    let _ = writeln!(out, "{:indent$}- {}", "", inline(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{:indent$}{}", "", inline(other));
        }
    }
}

/// A document: header comments and a top-level mapping.
pub(super) fn document(header: &[String], root: &Node) -> String {
    let mut out = String::new();
    comments(header, 0, &mut out);
    if !header.is_empty() {
        out.push('\n');
    }
    block(root, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_unambiguous() {
        assert_eq!(scalar("Interface"), "Interface");
        assert_eq!(scalar("HTTPS from the VPC"), "HTTPS from the VPC");
        assert_eq!(
            scalar("com.amazonaws.us-east-1.s3"),
            "com.amazonaws.us-east-1.s3"
        );
        assert_eq!(scalar("AWS::EC2::VPC"), "AWS::EC2::VPC");
        assert_eq!(scalar("ecr:BatchGetImage"), "ecr:BatchGetImage");
        for quoted in [
            "true",
            "No",
            "2012-10-17",
            "10.0.0.0/16",
            "*",
            "a: b",
            "a:",
            "",
            "it's",
            "${AWS::Region}",
            "-x",
        ] {
            assert!(scalar(quoted).starts_with('\''), "{quoted}");
        }
        assert_eq!(scalar("it's"), "'it''s'");
    }

    #[test]
    fn writes_blocks_sequences_tags_and_comments() {
        let root = Node::Map(vec![Entry {
            comments: vec!["The VPC.".to_owned()],
            key: "Vpc".to_owned(),
            value: Node::map(vec![
                ("Type", Node::str("AWS::EC2::VPC")),
                (
                    "Properties",
                    Node::map(vec![
                        ("EnableDnsSupport", Node::raw("true")),
                        (
                            "Tags",
                            Node::Seq(vec![Node::map(vec![
                                ("Key", Node::str("Name")),
                                ("Value", Node::sub("${AWS::StackName}")),
                            ])]),
                        ),
                        (
                            "Subnets",
                            Node::Seq(vec![Node::reference("A"), Node::reference("B")]),
                        ),
                        ("Empty", Node::Seq(Vec::new())),
                    ]),
                ),
            ]),
        }]);
        assert_eq!(
            document(&["Header".to_owned(), String::new()], &root),
            "# Header\n#\n\n# The VPC.\nVpc:\n  Type: AWS::EC2::VPC\n  Properties:\n    EnableDnsSupport: true\n    Tags:\n      - Key: Name\n        Value: !Sub '${AWS::StackName}'\n    Subnets:\n      - !Ref A\n      - !Ref B\n    Empty: []\n"
        );
    }
}
