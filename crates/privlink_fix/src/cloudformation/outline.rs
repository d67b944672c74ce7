//! A template (YAML or JSON) as a tree of nodes with byte spans, for editing in place.
//!
//! The CloudFormation front-end keeps only where each node starts; an edit needs where it ends too,
//! and whether a collection is written in block or flow style. `saphyr-parser` reports both (JSON is
//! YAML's flow syntax, so JSON templates read the same way). A block collection ends where its last
//! child ends; a flow collection at its closing bracket.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A node and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// Byte offset of its first character (a tag, when it has one).
    pub(crate) start: usize,
    /// Byte offset just after its last character.
    pub(crate) end: usize,
    /// 1-based line of its start.
    pub(crate) line: usize,
    /// 0-based column (in characters) of its start.
    pub(crate) column: usize,
    pub(crate) kind: Kind,
}

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A scalar: its value, whether it is plain (unquoted), and its tag (`Ref` for `!Ref`).
    Scalar {
        value: String,
        plain: bool,
        tag: Option<String>,
    },
    /// A sequence, in flow style (`[a, b]`) or block style (`- a`).
    Sequence {
        flow: bool,
        tag: Option<String>,
        items: Vec<Node>,
    },
    /// A mapping; each entry is its key node and its value node.
    Mapping {
        flow: bool,
        tag: Option<String>,
        entries: Vec<(Node, Node)>,
    },
}

impl Node {
    /// The value of `key` when this is a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key and value of `key` when this is a mapping.
    pub(crate) fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries().iter().find(|(k, _)| k.scalar() == Some(key))
    }

    pub(crate) fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            Kind::Mapping { entries, .. } => entries,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Sequence { items, .. } => Some(items),
            _ => None,
        }
    }

    /// The text of an untagged scalar.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar {
                value, tag: None, ..
            } => Some(value),
            _ => None,
        }
    }

    /// The boolean an untagged scalar stands for (`true`, `"false"`, ...: CloudFormation accepts
    /// booleans as strings).
    pub(crate) fn boolean(&self) -> Option<bool> {
        match self.scalar()?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether this is a flow collection (or a scalar).
    pub(crate) fn is_flow(&self) -> bool {
        match &self.kind {
            Kind::Scalar { .. } => true,
            Kind::Sequence { flow, .. } | Kind::Mapping { flow, .. } => *flow,
        }
    }

    /// The target of `!Ref X` or `{"Ref": "X"}`.
    pub(crate) fn reference(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar {
                value,
                tag: Some(t),
                ..
            } if t == "Ref" => Some(value),
            Kind::Mapping { entries, .. } if entries.len() == 1 => {
                let (k, v) = &entries[0];
                (k.scalar() == Some("Ref")).then(|| v.scalar()).flatten()
            }
            _ => None,
        }
    }

    /// `(resource, attribute)` of `!GetAtt R.A`, `!GetAtt [R, A]` or `{"Fn::GetAtt": [R, A]}`.
    pub(crate) fn get_att(&self) -> Option<(&str, &str)> {
        let parts = match &self.kind {
            Kind::Scalar {
                value,
                tag: Some(t),
                ..
            } if t == "GetAtt" => return value.split_once('.'),
            Kind::Sequence {
                tag: Some(t),
                items,
                ..
            } if t == "GetAtt" => items.as_slice(),
            Kind::Mapping { entries, .. } if entries.len() == 1 => {
                let (k, v) = &entries[0];
                if k.scalar() != Some("Fn::GetAtt") {
                    return None;
                }
                if let Some(text) = v.scalar() {
                    return text.split_once('.');
                }
                v.items()?
            }
            _ => return None,
        };
        match parts {
            [r, a] => Some((r.scalar()?, a.scalar()?)),
            _ => None,
        }
    }

    /// The text of this node in `source`.
    pub(crate) fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// Reads a template into a node tree.
pub(crate) fn parse(text: &str) -> Result<Node, String> {
    // Markers count characters; edits need bytes.
    let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bytes.push(text.len());
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| format!("invalid YAML: {}", e.info()))?;
        let at = |m: saphyr_parser::Marker| bytes.get(m.index()).copied().unwrap_or(text.len());
        let node = match event {
            Event::Scalar(value, style, _, tag) => Some(Node {
                start: at(span.start),
                end: at(span.end),
                line: span.start.line(),
                column: span.start.col(),
                kind: Kind::Scalar {
                    value: value.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    tag: tag.map(|t| t.suffix.clone()),
                },
            }),
            Event::SequenceStart(_, ref tag) | Event::MappingStart(_, ref tag) => {
                let mapping = matches!(event, Event::MappingStart(..));
                stack.push(Open {
                    mapping,
                    flow: is_flow_start(text, &bytes, span),
                    start: at(span.start),
                    line: span.start.line(),
                    column: span.start.col(),
                    tag: tag.as_ref().map(|t| t.suffix.clone()),
                    children: Vec::new(),
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop().ok_or("unbalanced collection")?;
                let end = if open.flow {
                    at(span.end)
                } else {
                    open.children.last().map_or(open.start, |c| c.end)
                };
                let kind = if open.mapping {
                    let mut entries = Vec::new();
                    let mut children = open.children.into_iter();
                    while let (Some(k), Some(v)) = (children.next(), children.next()) {
                        entries.push((k, v));
                    }
                    Kind::Mapping {
                        flow: open.flow,
                        tag: open.tag,
                        entries,
                    }
                } else {
                    Kind::Sequence {
                        flow: open.flow,
                        tag: open.tag,
                        items: open.children,
                    }
                };
                Some(Node {
                    start: open.start,
                    end,
                    line: open.line,
                    column: open.column,
                    kind,
                })
            }
            Event::Alias(_) => return Err("aliases are not supported".to_owned()),
            _ => None,
        };
        if let Some(node) = node {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => root = Some(node),
            }
        }
    }
    root.ok_or_else(|| "the template is empty".to_owned())
}

/// A collection being read.
struct Open {
    mapping: bool,
    flow: bool,
    start: usize,
    line: usize,
    column: usize,
    tag: Option<String>,
    children: Vec<Node>,
}

/// Whether a collection starts with `[` or `{` (after its tag, if any).
fn is_flow_start(text: &str, bytes: &[usize], span: Span) -> bool {
    let from = bytes.get(span.start.index()).copied().unwrap_or(text.len());
    let rest = &text[from..];
    let rest = match rest.strip_prefix('!') {
        // `!GetAtt [a, b]`: skip the tag.
        Some(after) => after
            .trim_start_matches(|c: char| !c.is_whitespace() && c != '[' && c != '{')
            .trim_start(),
        None => rest,
    };
    rest.starts_with('[') || rest.starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_flow_nodes_have_spans() {
        let text = "Resources: # c\n  A:\n    Type: X\n    Properties:\n      Ids:\n        - !Ref B\n        - Fn::ImportValue: !Sub \"x\"\n      Flow: [a, !Ref b]\n      Att: !GetAtt [V, CidrBlock]\n\n  C:\n    Type: Y\n";
        let root = parse(text).unwrap();
        let a = root.get("Resources").unwrap().get("A").unwrap();
        let props = a.get("Properties").unwrap();
        let ids = props.get("Ids").unwrap();
        assert!(!ids.is_flow());
        assert_eq!(
            ids.text(text),
            "- !Ref B\n        - Fn::ImportValue: !Sub \"x\""
        );
        assert_eq!(ids.items().unwrap()[0].reference(), Some("B"));
        let flow = props.get("Flow").unwrap();
        assert!(flow.is_flow());
        assert_eq!(flow.text(text), "[a, !Ref b]");
        assert_eq!(
            props.get("Att").unwrap().get_att(),
            Some(("V", "CidrBlock"))
        );
        assert_eq!(a.end, props.end);
        let (key, _) = root.get("Resources").unwrap().entry("C").unwrap();
        assert_eq!((key.line, key.column), (11, 2));
    }

    #[test]
    fn json_templates_read_the_same_way() {
        let text = "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\", \"Properties\": {\"V\": {\"Ref\": \"B\"}, \"G\": {\"Fn::GetAtt\": [\"S\", \"GroupId\"]}}}\n  }\n}\n";
        let root = parse(text).unwrap();
        let props = root
            .get("Resources")
            .unwrap()
            .get("A")
            .unwrap()
            .get("Properties")
            .unwrap();
        assert!(props.is_flow());
        assert_eq!(props.get("V").unwrap().reference(), Some("B"));
        assert_eq!(props.get("G").unwrap().get_att(), Some(("S", "GroupId")));
        assert!(props.text(text).starts_with('{') && props.text(text).ends_with('}'));
    }
}
