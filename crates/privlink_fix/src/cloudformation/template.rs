//! One template opened for editing: its text, its node tree, and the splices planned on it.
//!
//! Every change is a splice of the original text at the span of the node it changes (a value
//! replaced, an entry or a list item inserted after the line its collection ends on, a resource added
//! after the last one), so what is not changed stays byte for byte, comments and layout included. New
//! text follows the template: its syntax (YAML or JSON), its indentation step, the indentation of the
//! collection it joins.

use std::collections::BTreeSet;

use super::outline::{self, Kind, Node};
use super::render::{self, Syntax, Value};

/// A planned change of the text.
#[derive(Clone, Debug)]
struct Splice {
    at: usize,
    delete: usize,
    insert: String,
    /// The column the inserted text is indented to. Insertions at one offset (after the line where
    /// a list, its mapping and its resource all end) go deepest first, so each lands in its own
    /// collection.
    depth: usize,
}

/// A template and the changes planned on it.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) text: String,
    pub(crate) root: Node,
    pub(crate) syntax: Syntax,
    splices: Vec<Splice>,
    /// Logical IDs declared or planned.
    pub(crate) taken: BTreeSet<String>,
    /// Whether resources are separated by blank lines (new ones follow suit).
    spaced: bool,
}

impl Template {
    /// Reads a template; an error when the text is not a CloudFormation template privlink can edit.
    pub(crate) fn parse(text: String) -> Result<Self, String> {
        let root = outline::parse(&text)?;
        let resources = root
            .get("Resources")
            .filter(|r| matches!(r.kind, Kind::Mapping { .. }))
            .ok_or("it has no Resources mapping")?;
        let json = root.is_flow() && text.trim_start().starts_with('{');
        let step = indentation_step(resources).unwrap_or(2);
        let syntax = if json {
            Syntax::Json { step }
        } else {
            Syntax::Yaml { step }
        };
        let taken = resources
            .entries()
            .iter()
            .filter_map(|(k, _)| k.scalar().map(str::to_owned))
            .collect();
        let spaced = match resources.entries() {
            [(_, first), (second, _), ..] => text
                .get(first.end..second.start)
                .is_some_and(|between| between.contains("\n\n") || between.contains("\n\r\n")),
            _ => false,
        };
        Ok(Self {
            text,
            root,
            syntax,
            splices: Vec::new(),
            taken,
            spaced,
        })
    }

    pub(crate) fn resources(&self) -> &Node {
        // `parse` checked it is there.
        self.root.get("Resources").unwrap_or(&self.root)
    }

    /// The resource whose logical ID key is at `line` (1-based) and `column` (1-based), as the
    /// front-end records locations.
    pub(crate) fn resource_at(&self, line: u32, column: u32) -> Option<(&str, &Node)> {
        self.resources().entries().iter().find_map(|(k, v)| {
            (u32::try_from(k.line).ok() == Some(line)
                && u32::try_from(k.column + 1).ok() == Some(column))
            .then(|| k.scalar().map(|name| (name, v)))
            .flatten()
        })
    }

    pub(crate) fn resource(&self, logical: &str) -> Option<&Node> {
        self.resources().get(logical)
    }

    /// Whether the template declares parameter `name`.
    pub(crate) fn has_parameter(&self, name: &str) -> bool {
        self.root
            .get("Parameters")
            .is_some_and(|p| p.get(name).is_some())
    }

    /// The changed text, if anything changed.
    pub(crate) fn updated(&self) -> Option<String> {
        if self.splices.is_empty() {
            return None;
        }
        let mut splices: Vec<(usize, &Splice)> = self.splices.iter().enumerate().collect();
        // Applied from the end of the text. At one offset, the text applied last ends up first: the
        // shallowest insertion is applied first, and among equals the one planned last.
        splices.sort_by(|(ia, a), (ib, b)| {
            b.at.cmp(&a.at).then(a.depth.cmp(&b.depth)).then(ib.cmp(ia))
        });
        let mut text = self.text.clone();
        for (_, s) in splices {
            text.replace_range(s.at..s.at + s.delete, &s.insert);
        }
        Some(text)
    }

    fn splice(&mut self, at: usize, delete: usize, insert: String, depth: usize) {
        self.splices.push(Splice {
            at,
            delete,
            insert,
            depth,
        });
    }

    /// The offset just after the line on which offset `end` lies (its newline included), and
    /// whether the text had to end with one.
    fn after_line(&self, end: usize) -> (usize, bool) {
        match self.text[end.min(self.text.len())..].find('\n') {
            Some(i) => (end + i + 1, false),
            None => (self.text.len(), true),
        }
    }

    /// Replaces a node's text with `value`, written inline.
    pub(crate) fn replace(&mut self, node: &Node, value: &Value) -> Result<(), String> {
        let text = match self.syntax {
            Syntax::Json { step } => render::json(value, node.column, step),
            Syntax::Yaml { .. } => {
                if render::has_block_source(value) {
                    return Err("the value cannot be written on one line".to_owned());
                }
                render::yaml_in_flow(value, node.column)
            }
        };
        self.splice(node.start, node.end - node.start, text, node.column);
        Ok(())
    }

    /// Adds `key: value` to a mapping that does not have `key`.
    pub(crate) fn insert_entry(
        &mut self,
        map: &Node,
        key: &str,
        value: &Value,
    ) -> Result<(), String> {
        let Kind::Mapping { flow, entries, .. } = &map.kind else {
            return Err("not a mapping".to_owned());
        };
        let step = self.syntax.step();
        if !flow {
            let indent = entries.first().map_or(map.column, |(k, _)| k.column);
            let mut text = String::new();
            render::yaml_entry(key, value, indent, step, &mut text);
            let (at, newline) = self.after_line(map.end);
            if newline {
                text.insert(0, '\n');
            }
            self.splice(at, 0, text, indent);
            return Ok(());
        }
        let json = matches!(self.syntax, Syntax::Json { .. });
        let Some((last_key, last_value)) = entries.last() else {
            // `{}`: the entry goes between the braces.
            let entry = self.flow_entry(key, value, map.column + 1, json)?;
            self.splice(map.start + 1, 0, entry, map.column + 1);
            return Ok(());
        };
        let multiline = last_key.line != map.line;
        let (separator, column) = if multiline {
            (
                format!(",\n{}", " ".repeat(last_key.column)),
                last_key.column,
            )
        } else {
            (", ".to_owned(), last_value.end)
        };
        let entry = self.flow_entry(key, value, column, json)?;
        self.splice(last_value.end, 0, format!("{separator}{entry}"), column);
        Ok(())
    }

    fn flow_entry(
        &self,
        key: &str,
        value: &Value,
        column: usize,
        json: bool,
    ) -> Result<String, String> {
        if json {
            let k = render::json_string(key);
            return Ok(format!(
                "{k}: {}",
                render::json(value, column, self.syntax.step())
            ));
        }
        if render::has_block_source(value) {
            return Err("the value cannot be written in a flow mapping".to_owned());
        }
        Ok(format!(
            "{key}: {}",
            render::yaml_in_flow(value, column + key.len() + 2)
        ))
    }

    /// Appends an item to a sequence.
    pub(crate) fn append_item(&mut self, seq: &Node, value: &Value) -> Result<(), String> {
        let Kind::Sequence { flow, items, .. } = &seq.kind else {
            return Err("not a list".to_owned());
        };
        let json = matches!(self.syntax, Syntax::Json { .. });
        if !flow {
            let Some(last) = items.last() else {
                return Err("an empty block list".to_owned());
            };
            let dash = self.dash_column(last).unwrap_or(seq.column);
            let item = render::yaml_item(value, dash + 2, self.syntax.step());
            let (at, newline) = self.after_line(seq.end);
            let text = format!(
                "{}{}- {item}\n",
                if newline { "\n" } else { "" },
                " ".repeat(dash)
            );
            self.splice(at, 0, text, dash);
            return Ok(());
        }
        let render_at = |column: usize| -> Result<String, String> {
            if json {
                Ok(render::json(value, column, self.syntax.step()))
            } else if render::has_block_source(value) {
                Err("the value cannot be written in a flow list".to_owned())
            } else {
                Ok(render::yaml_in_flow(value, column))
            }
        };
        match items.last() {
            None => {
                let item = render_at(seq.column + 1)?;
                self.splice(seq.start + 1, 0, item, seq.column + 1);
            }
            Some(last) if last.line != seq.line => {
                let item = render_at(last.column)?;
                self.splice(
                    last.end,
                    0,
                    format!(",\n{}{item}", " ".repeat(last.column)),
                    last.column,
                );
            }
            Some(last) => {
                let item = render_at(last.end + 2)?;
                self.splice(last.end, 0, format!(", {item}"), last.column);
            }
        }
        Ok(())
    }

    /// The column of the `-` that introduces a block list item.
    fn dash_column(&self, item: &Node) -> Option<usize> {
        let line_start = self.text[..item.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..item.start];
        let dash = before.rfind('-')?;
        Some(before[..dash].chars().count())
    }

    /// Adds a resource after the last one, with a comment saying why (YAML).
    pub(crate) fn add_resource(&mut self, logical: &str, body: &Value, comment: &str) {
        self.taken.insert(logical.to_owned());
        let resources = self.resources().clone();
        let indent = resources
            .entries()
            .first()
            .map_or(resources.column, |(k, _)| k.column);
        match self.syntax {
            Syntax::Yaml { step } => {
                let mut text = String::new();
                if self.spaced {
                    text.push('\n');
                }
                text.push_str(&" ".repeat(indent));
                text.push_str("# ");
                text.push_str(comment);
                text.push('\n');
                render::yaml_entry(logical, body, indent, step, &mut text);
                let (at, newline) = self.after_line(resources.end);
                if newline {
                    text.insert(0, '\n');
                }
                self.splice(at, 0, text, indent);
            }
            Syntax::Json { step } => {
                let entry = format!(
                    "{}: {}",
                    render::json_string(logical),
                    render::json(body, indent, step)
                );
                match resources.entries().last() {
                    Some((_, last)) => self.splice(
                        last.end,
                        0,
                        format!(",\n{}{entry}", " ".repeat(indent)),
                        indent,
                    ),
                    None => self.splice(resources.start + 1, 0, entry, indent),
                }
            }
        }
    }
}

/// The indentation step of a template: how much deeper a resource's keys are than its logical ID.
fn indentation_step(resources: &Node) -> Option<usize> {
    let (key, body) = resources.entries().first()?;
    let (inner, _) = body.entries().first()?;
    // `"A": {"Type": ...}` on one line says nothing about the step.
    if inner.line == key.line {
        return None;
    }
    inner.column.checked_sub(key.column).filter(|s| *s > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "Resources:\n  # endpoints\n  Ep:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      PrivateDnsEnabled: false # off\n      RouteTableIds:\n        - !Ref A\n      Flow: [!Ref A]\n\n  Other:\n    Type: X\n    Properties:\n      Name: y\nOutputs: {}\n";

    #[test]
    fn yaml_edits_keep_everything_else() {
        let mut t = Template::parse(YAML.to_owned()).unwrap();
        let ep = t.resource("Ep").unwrap().clone();
        let props = ep.get("Properties").unwrap().clone();
        t.replace(props.get("PrivateDnsEnabled").unwrap(), &Value::Bool(true))
            .unwrap();
        t.append_item(props.get("RouteTableIds").unwrap(), &Value::Ref("B".into()))
            .unwrap();
        t.append_item(props.get("Flow").unwrap(), &Value::Ref("B".into()))
            .unwrap();
        t.insert_entry(
            &props,
            "SecurityGroupIds",
            &Value::List(vec![Value::GetAtt("Sg".into(), "GroupId".into())]),
        )
        .unwrap();
        t.add_resource(
            "LogsEndpoint",
            &Value::Map(vec![(
                "Type".into(),
                Value::Text("AWS::EC2::VPCEndpoint".into()),
            )]),
            "privlink: missing-interface-endpoint",
        );
        // Planned after the new resource, at the same offset (the end of the last resource), but
        // deeper: it stays in its resource.
        let other = t
            .resource("Other")
            .unwrap()
            .get("Properties")
            .unwrap()
            .clone();
        t.insert_entry(&other, "Extra", &Value::Bool(true)).unwrap();
        assert_eq!(
            t.updated().unwrap(),
            "Resources:\n  # endpoints\n  Ep:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      PrivateDnsEnabled: true # off\n      RouteTableIds:\n        - !Ref A\n        - !Ref B\n      Flow: [!Ref A, !Ref B]\n      SecurityGroupIds:\n        - !GetAtt Sg.GroupId\n\n  Other:\n    Type: X\n    Properties:\n      Name: y\n      Extra: true\n\n  # privlink: missing-interface-endpoint\n  LogsEndpoint:\n    Type: AWS::EC2::VPCEndpoint\nOutputs: {}\n"
        );
    }

    #[test]
    fn json_edits_follow_the_layout() {
        let text = "{\n  \"Resources\": {\n    \"Ep\": {\n      \"Type\": \"AWS::EC2::VPCEndpoint\",\n      \"Properties\": {\n        \"RouteTableIds\": [{\"Ref\": \"A\"}]\n      }\n    }\n  }\n}\n";
        let mut t = Template::parse(text.to_owned()).unwrap();
        let props = t.resource("Ep").unwrap().get("Properties").unwrap().clone();
        t.append_item(props.get("RouteTableIds").unwrap(), &Value::Ref("B".into()))
            .unwrap();
        t.insert_entry(&props, "PrivateDnsEnabled", &Value::Bool(true))
            .unwrap();
        t.add_resource(
            "New",
            &Value::Map(vec![("Type".into(), Value::Text("X".into()))]),
            "",
        );
        let out = t.updated().unwrap();
        assert_eq!(
            out,
            "{\n  \"Resources\": {\n    \"Ep\": {\n      \"Type\": \"AWS::EC2::VPCEndpoint\",\n      \"Properties\": {\n        \"RouteTableIds\": [{\"Ref\": \"A\"}, {\"Ref\": \"B\"}],\n        \"PrivateDnsEnabled\": true\n      }\n    },\n    \"New\": {\n      \"Type\": \"X\"\n    }\n  }\n}\n"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }
}
