//! Reading a template (YAML or JSON) into a [`Node`] tree with positions.
//!
//! Both syntaxes go through one YAML 1.2 reader, `saphyr-parser`: it is maintained, reports every
//! event with its span (line and column) and keeps tags, which is what CloudFormation's short forms
//! (`!Ref`, `!Sub`, ...) are. JSON is YAML's flow syntax, so JSON templates get positions too.
//!
//! CloudFormation's own reader rejects aliases, several documents and duplicate keys; so does this
//! one, with the position. An unknown `!Tag` is an error at the tag.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::node::{Entry, Node, NodeKind, Pos};

/// A syntax error at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) at: Pos,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

impl SyntaxError {
    fn new(at: Pos, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
            help: None,
        }
    }
}

/// The short-form tags CloudFormation accepts and the long form each stands for.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
];

/// Parses a template.
pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    // Raw tabs cannot occur inside JSON strings (they are escaped), so in a JSON document they are
    // whitespace; YAML forbids them as indentation, so make them spaces (columns stay the same).
    let owned;
    let text = if text.trim_start().starts_with('{') && text.contains('\t') {
        owned = text.replace('\t', " ");
        owned.as_str()
    } else {
        text
    };
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            SyntaxError::new(
                pos(m.line(), m.col()),
                format!("invalid YAML: {}", e.info()),
            )
        })?;
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents > 1 {
                return Err(SyntaxError::new(
                    at(span),
                    "a template is one YAML document; found a second one",
                ));
            }
        }
        builder.event(event, span)?;
    }
    builder
        .root
        .ok_or_else(|| SyntaxError::new(Pos { line: 1, column: 1 }, "the template is empty"))
}

fn pos(line: usize, col: usize) -> Pos {
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(col + 1).unwrap_or(u32::MAX),
    }
}

fn at(span: Span) -> Pos {
    pos(span.start.line(), span.start.col())
}

/// A collection being built.
enum Open {
    List {
        at: Pos,
        tag: Option<Tag>,
        items: Vec<Node>,
    },
    Map {
        at: Pos,
        tag: Option<Tag>,
        entries: Vec<Entry>,
        /// Where each key is in `entries`, so duplicate keys are found in constant time.
        index: HashMap<String, usize>,
        key: Option<(String, Pos)>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        match event {
            Event::Alias(_) => Err(SyntaxError {
                at: at(span),
                message: "CloudFormation does not accept YAML aliases".to_owned(),
                help: Some("write the value out where it is used".to_owned()),
            }),
            Event::Scalar(value, style, _, tag) => {
                let node_at = at(span);
                // A key is a plain string, whatever it looks like.
                if let Some(Open::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    if tag.is_some() {
                        return Err(SyntaxError::new(node_at, "a mapping key cannot be tagged"));
                    }
                    *key = Some((value.into_owned(), node_at));
                    return Ok(());
                }
                let node = scalar(value, style, node_at);
                let node = apply_tag(node, tag.as_deref())?;
                self.push(node)
            }
            Event::SequenceStart(_, tag) => {
                self.check_not_key(span)?;
                self.stack.push(Open::List {
                    at: at(span),
                    tag: tag.map(Cow::into_owned),
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(_, tag) => {
                self.check_not_key(span)?;
                self.stack.push(Open::Map {
                    at: at(span),
                    tag: tag.map(Cow::into_owned),
                    entries: Vec::new(),
                    index: HashMap::new(),
                    key: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::List { at, tag, items }) => apply_tag(
                        Node {
                            kind: NodeKind::List(items),
                            at,
                        },
                        tag.as_ref(),
                    )?,
                    Some(Open::Map {
                        at, tag, entries, ..
                    }) => apply_tag(
                        Node {
                            kind: NodeKind::Map(entries),
                            at,
                        },
                        tag.as_ref(),
                    )?,
                    None => return Ok(()),
                };
                self.push(node)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(()),
        }
    }

    fn check_not_key(&self, span: Span) -> Result<(), SyntaxError> {
        match self.stack.last() {
            Some(Open::Map { key: None, .. }) => Err(SyntaxError::new(
                at(span),
                "a mapping key must be a plain string",
            )),
            _ => Ok(()),
        }
    }

    fn push(&mut self, node: Node) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::List { items, .. }) => items.push(node),
            Some(Open::Map {
                entries,
                index,
                key,
                ..
            }) => {
                let (name, key_at) = key.take().unwrap_or_default();
                if let Some(first) = index.get(&name).map(|&i| &entries[i]) {
                    return Err(SyntaxError {
                        at: key_at,
                        message: format!(
                            "duplicate key `{name}` (first at line {})",
                            first.key_at.line
                        ),
                        help: Some(
                            "CloudFormation rejects templates with duplicate keys; keep one"
                                .to_owned(),
                        ),
                    });
                }
                index.insert(name.clone(), entries.len());
                entries.push(Entry {
                    key: name,
                    key_at,
                    value: node,
                });
            }
        }
        Ok(())
    }
}

fn scalar(value: Cow<'_, str>, style: ScalarStyle, at: Pos) -> Node {
    let kind = if style == ScalarStyle::Plain {
        match value.as_ref() {
            "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
            "true" | "True" | "TRUE" => NodeKind::Bool(true),
            "false" | "False" | "FALSE" => NodeKind::Bool(false),
            text if is_number(text) => NodeKind::Number(text.to_owned()),
            _ => NodeKind::String(value.into_owned()),
        }
    } else {
        NodeKind::String(value.into_owned())
    };
    Node { kind, at }
}

/// YAML 1.2 core-schema numbers (decimal integers and floats), which JSON numbers also are.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    !leading_zero
        && !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && text.parse::<f64>().is_ok()
}

/// Turns a tagged node into what the tag means: a short-form intrinsic function becomes its long
/// form, a core-schema tag converts the scalar.
fn apply_tag(node: Node, tag: Option<&Tag>) -> Result<Node, SyntaxError> {
    let Some(tag) = tag else { return Ok(node) };
    if tag.is_yaml_core_schema() {
        return core_tag(node, &tag.suffix);
    }
    let known = (tag.handle == "!")
        .then(|| SHORT_FORMS.iter().find(|(short, _)| *short == tag.suffix))
        .flatten();
    let Some((short, long)) = known else {
        return Err(SyntaxError {
            at: node.at,
            message: format!("unknown tag `{}{}`", tag.handle, tag.suffix),
            help: Some("CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !Select, !Split, !If, !Equals, !And, !Or, !Not, !FindInMap, !GetAZs, !Cidr, !ImportValue, !Base64, !Condition".to_owned()),
        });
    };
    let at = node.at;
    let value = if *short == "GetAtt" {
        // `!GetAtt Resource.Attribute.Path` is the list [Resource, "Attribute.Path"].
        match &node.kind {
            NodeKind::String(s) => {
                let Some((resource, attribute)) = s.split_once('.') else {
                    return Err(SyntaxError::new(
                        at,
                        format!("`!GetAtt {s}` needs the form Resource.Attribute"),
                    ));
                };
                let part = |text: &str| Node {
                    kind: NodeKind::String(text.to_owned()),
                    at,
                };
                Node {
                    kind: NodeKind::List(vec![part(resource), part(attribute)]),
                    at,
                }
            }
            _ => node,
        }
    } else {
        node
    };
    Ok(Node {
        kind: NodeKind::Map(vec![Entry {
            key: (*long).to_owned(),
            key_at: at,
            value,
        }]),
        at,
    })
}

fn core_tag(node: Node, suffix: &str) -> Result<Node, SyntaxError> {
    let text = match &node.kind {
        NodeKind::String(s) | NodeKind::Number(s) => Some(s.clone()),
        NodeKind::Bool(b) => Some(b.to_string()),
        NodeKind::Null => Some(String::new()),
        _ => None,
    };
    let kind = match (suffix, text) {
        ("str", Some(t)) => NodeKind::String(t),
        ("int" | "float", Some(t)) if t.parse::<f64>().is_ok() => NodeKind::Number(t),
        ("bool", Some(t)) if t == "true" || t == "false" => NodeKind::Bool(t == "true"),
        ("null", _) => NodeKind::Null,
        ("map" | "seq", None) => return Ok(node),
        _ => {
            return Err(SyntaxError::new(
                node.at,
                format!("`!!{suffix}` does not fit this value"),
            ));
        }
    };
    Ok(Node { kind, at: node.at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(n: &Node) -> &NodeKind {
        &n.kind
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let root = parse("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n").unwrap();
        let vpc = root.get("Resources").unwrap().entry("Vpc").unwrap();
        assert_eq!(vpc.key_at, Pos { line: 2, column: 3 });
        let ty = vpc.value.entry("Type").unwrap();
        assert_eq!(ty.key_at, Pos { line: 3, column: 5 });
        assert_eq!(
            ty.value.at,
            Pos {
                line: 3,
                column: 11
            }
        );
    }

    #[test]
    fn short_forms_become_long_forms_at_the_tag() {
        let root =
            parse("A: !Ref Vpc\nB: !GetAtt Vpc.CidrBlock\nC: !Join ['-', [a, b]]\n").unwrap();
        let a = root.get("A").unwrap().intrinsic().unwrap();
        assert_eq!((a.key.as_str(), a.value.as_str()), ("Ref", Some("Vpc")));
        assert_eq!(a.key_at, Pos { line: 1, column: 4 });
        let b = root.get("B").unwrap().intrinsic().unwrap();
        assert_eq!(b.key, "Fn::GetAtt");
        let NodeKind::List(parts) = kind(&b.value) else {
            panic!()
        };
        assert_eq!(
            parts
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect::<Vec<_>>(),
            ["Vpc", "CidrBlock"]
        );
        assert_eq!(root.get("C").unwrap().intrinsic().unwrap().key, "Fn::Join");
    }

    #[test]
    fn scalars_resolve_like_cloudformation() {
        let root =
            parse("a: true\nb: '80'\nc: 80\nd: 2010-09-09\ne: ~\nf: 0123\ng: !!str 5\n").unwrap();
        assert_eq!(kind(root.get("a").unwrap()), &NodeKind::Bool(true));
        assert_eq!(kind(root.get("b").unwrap()), &NodeKind::String("80".into()));
        assert_eq!(kind(root.get("c").unwrap()), &NodeKind::Number("80".into()));
        assert_eq!(
            kind(root.get("d").unwrap()),
            &NodeKind::String("2010-09-09".into())
        );
        assert_eq!(kind(root.get("e").unwrap()), &NodeKind::Null);
        assert_eq!(
            kind(root.get("f").unwrap()),
            &NodeKind::String("0123".into())
        );
        assert_eq!(kind(root.get("g").unwrap()), &NodeKind::String("5".into()));
    }

    #[test]
    fn json_has_positions_even_with_tabs() {
        let root =
            parse("{\n\t\"Resources\": {\n\t\t\"Vpc\": {\"Type\": \"AWS::EC2::VPC\"}\n\t}\n}\n")
                .unwrap();
        let vpc = root.get("Resources").unwrap().entry("Vpc").unwrap();
        assert_eq!(vpc.key_at, Pos { line: 3, column: 3 });
    }

    #[test]
    fn rejects_what_cloudformation_rejects() {
        let e = parse("A: !Reff X\n").unwrap_err();
        assert_eq!(e.at, Pos { line: 1, column: 4 });
        assert!(e.message.contains("unknown tag `!Reff`"), "{}", e.message);
        let e = parse("A: 1\nB: 2\nA: 3\n").unwrap_err();
        assert_eq!(e.at, Pos { line: 3, column: 1 });
        assert!(e.message.contains("duplicate key `A`"));
        let e = parse("A: &x 1\nB: *x\n").unwrap_err();
        assert!(e.message.contains("aliases"));
        let e = parse("A: [1, 2\nB: 3\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert_eq!(e.at.line, 2);
    }
}
