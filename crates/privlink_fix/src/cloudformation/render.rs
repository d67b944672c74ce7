//! CloudFormation values written into a template, in its syntax: YAML (short-form tags, block style,
//! the template's indentation step) or JSON.
//!
//! A value may be text copied from the same template ([`Value::Source`]: how an existing endpoint
//! names the VPC, `Fn::ImportValue: !Sub "${EnvironmentName}-vpc"`); its continuation lines keep
//! their indentation relative to its first character, wherever it lands.

use std::fmt::Write as _;

/// A value to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string.
    Text(String),
    Bool(bool),
    Number(u32),
    /// `!Ref X`.
    Ref(String),
    /// `!GetAtt X.Attribute`.
    GetAtt(String, String),
    /// `!Sub "..."`.
    Sub(String),
    /// `Fn::ImportValue` of a name (a string or a `!Sub`).
    Import(Box<Value>),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// Text of the template itself: what it says, the column its first character was at, and
    /// whether it is a block collection (which takes lines of its own in YAML).
    Source {
        text: String,
        column: usize,
        block: bool,
    },
}

/// The syntax of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// YAML, indenting each level by `step` spaces.
    Yaml { step: usize },
    /// JSON, indenting each level by `step` spaces.
    Json { step: usize },
}

impl Syntax {
    pub(crate) fn step(self) -> usize {
        match self {
            Self::Yaml { step } | Self::Json { step } => step,
        }
    }
}

/// Moves the continuation lines of `text` by `delta` columns (left as far as they have spaces).
fn shift(text: &str, delta: isize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if delta >= 0 {
                out.push_str(&" ".repeat(delta.unsigned_abs()));
                out.push_str(line);
            } else {
                let spaces = line.len() - line.trim_start_matches(' ').len();
                out.push_str(&line[spaces.min(delta.unsigned_abs())..]);
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

fn delta(to: usize, from: usize) -> isize {
    isize::try_from(to).unwrap_or(isize::MAX) - isize::try_from(from).unwrap_or(isize::MAX)
}

// ---- YAML --------------------------------------------------------------------------------------

/// A YAML string scalar: plain when that reads back as the same string, else double-quoted.
fn yaml_string(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ./_-():".contains(c))
        && !text.starts_with([' ', '-', '.', ':'])
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && text.parse::<f64>().is_err();
    if plain {
        text.to_owned()
    } else {
        json_string(text)
    }
}

/// Whether a YAML value is written on the line of its key (or `- `).
fn yaml_inline(value: &Value) -> bool {
    match value {
        Value::List(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
        Value::Import(name) => !matches!(**name, Value::Sub(_)),
        Value::Source { block, .. } => !block,
        _ => true,
    }
}

/// A value on one line (or a source with its own continuation lines), starting at `column`.
fn yaml_flow(value: &Value, column: usize) -> String {
    match value {
        Value::Text(t) => yaml_string(t),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Ref(r) => format!("!Ref {r}"),
        Value::GetAtt(r, a) => format!("!GetAtt {r}.{a}"),
        Value::Sub(s) => format!("!Sub {}", json_string(s)),
        Value::Import(name) => match &**name {
            Value::Sub(s) => format!("{{\"Fn::ImportValue\": !Sub {}}}", json_string(s)),
            other => format!("!ImportValue {}", yaml_flow(other, column + 13)),
        },
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| yaml_flow(i, column))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", yaml_flow(v, column)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Callers keep block sources out of flow collections (`has_block_source`).
        Value::Source {
            text, column: from, ..
        } => shift(text, delta(column, *from)),
    }
}

/// Whether a value holds template text in block style, which cannot go inside a flow collection.
pub(crate) fn has_block_source(value: &Value) -> bool {
    match value {
        Value::Source { block, .. } => *block,
        Value::Import(v) => has_block_source(v),
        Value::List(items) => items.iter().any(has_block_source),
        Value::Map(entries) => entries.iter().any(|(_, v)| has_block_source(v)),
        _ => false,
    }
}

/// `key: value` at `indent`, with the lines a block value needs; ends with a newline.
pub(crate) fn yaml_entry(key: &str, value: &Value, indent: usize, step: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    if yaml_inline(value) {
        let column = indent + key.chars().count() + 2;
        let _ = writeln!(out, "{pad}{key}: {}", yaml_flow(value, column));
        return;
    }
    let _ = writeln!(out, "{pad}{key}:");
    yaml_block(value, indent + step, step, out);
}

/// A block value (list, map, block source) whose lines start at `indent`.
fn yaml_block(value: &Value, indent: usize, step: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::List(items) => {
            for item in items {
                if yaml_inline(item) {
                    let _ = writeln!(out, "{pad}- {}", yaml_flow(item, indent + 2));
                } else {
                    // The item's first line follows `- `; the rest line up under it.
                    let mut inner = String::new();
                    yaml_block(item, indent + 2, step, &mut inner);
                    let _ = write!(out, "{pad}- {}", inner.trim_start_matches(' '));
                }
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries {
                yaml_entry(k, v, indent, step, out);
            }
        }
        Value::Import(name) => {
            yaml_entry("Fn::ImportValue", name, indent, step, out);
        }
        Value::Source { text, column, .. } => {
            let _ = writeln!(out, "{pad}{}", shift(text, delta(indent, *column)));
        }
        other => {
            let _ = writeln!(out, "{pad}{}", yaml_flow(other, indent));
        }
    }
}

/// A list item written after `- ` at `column`.
pub(crate) fn yaml_item(value: &Value, column: usize, step: usize) -> String {
    if yaml_inline(value) {
        return yaml_flow(value, column);
    }
    let mut inner = String::new();
    yaml_block(value, column, step, &mut inner);
    inner
        .trim_start_matches(' ')
        .trim_end_matches('\n')
        .to_owned()
}

/// A value inside a YAML flow collection.
pub(crate) fn yaml_in_flow(value: &Value, column: usize) -> String {
    yaml_flow(value, column)
}

// ---- JSON --------------------------------------------------------------------------------------

/// A JSON string (also a valid YAML double-quoted scalar).
pub(crate) fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn inline_items(items: &[Value], indent: usize, step: usize) -> Vec<String> {
    let inner = " ".repeat(indent + step);
    items
        .iter()
        .map(|i| format!("{inner}{}", json(i, indent + step, step)))
        .collect()
}

fn json_lines(lines: &[String], pad: &str, open: char, close: char) -> String {
    format!("{open}\n{}\n{pad}{close}", lines.join(",\n"))
}

/// A JSON value; objects and lists of objects take one line per member at `indent + step`.
pub(crate) fn json(value: &Value, indent: usize, step: usize) -> String {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + step);
    match value {
        Value::Text(t) => json_string(t),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Ref(r) => format!("{{\"Ref\": {}}}", json_string(r)),
        Value::GetAtt(r, a) => format!(
            "{{\"Fn::GetAtt\": [{}, {}]}}",
            json_string(r),
            json_string(a)
        ),
        Value::Sub(s) => format!("{{\"Fn::Sub\": {}}}", json_string(s)),
        Value::Import(name) => {
            format!("{{\"Fn::ImportValue\": {}}}", json(name, indent, step))
        }
        Value::List(items) if items.is_empty() => "[]".to_owned(),
        Value::List(items)
            if items
                .iter()
                .all(|i| !matches!(i, Value::Map(_) | Value::List(_))) =>
        {
            // References and scalars stay on one line, as templates usually write them.
            let inline: Vec<String> = items.iter().map(|i| json(i, indent, step)).collect();
            let text = format!("[{}]", inline.join(", "));
            if text.contains('\n') || indent + text.len() > 100 {
                json_lines(&inline_items(items, indent, step), &pad, '[', ']')
            } else {
                text
            }
        }
        Value::List(items) => json_lines(&inline_items(items, indent, step), &pad, '[', ']'),
        Value::Map(entries) if entries.is_empty() => "{}".to_owned(),
        Value::Map(entries) => {
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{inner}{}: {}",
                        json_string(k),
                        json(v, indent + step, step)
                    )
                })
                .collect();
            format!("{{\n{}\n{pad}}}", body.join(",\n"))
        }
        Value::Source { text, column, .. } => shift(text, delta(indent, *column)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Value {
        Value::Map(vec![
            ("Type".into(), Value::Text("AWS::EC2::VPCEndpoint".into())),
            (
                "Properties".into(),
                Value::Map(vec![
                    (
                        "ServiceName".into(),
                        Value::Sub("com.amazonaws.${AWS::Region}.logs".into()),
                    ),
                    ("PrivateDnsEnabled".into(), Value::Bool(true)),
                    (
                        "VpcId".into(),
                        Value::Source {
                            text: "Fn::ImportValue: !Sub \"${Env}-vpc\"".into(),
                            column: 8,
                            block: true,
                        },
                    ),
                    (
                        "SubnetIds".into(),
                        Value::List(vec![
                            Value::Ref("A".into()),
                            Value::Import(Box::new(Value::Sub("${Env}-b".into()))),
                        ]),
                    ),
                ]),
            ),
        ])
    }

    #[test]
    fn yaml_in_block_style_with_the_template_step() {
        let mut out = String::new();
        yaml_entry("LogsEndpoint", &endpoint(), 2, 2, &mut out);
        assert_eq!(
            out,
            "  LogsEndpoint:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      ServiceName: !Sub \"com.amazonaws.${AWS::Region}.logs\"\n      PrivateDnsEnabled: true\n      VpcId:\n        Fn::ImportValue: !Sub \"${Env}-vpc\"\n      SubnetIds:\n        - !Ref A\n        - Fn::ImportValue: !Sub \"${Env}-b\"\n"
        );
    }

    #[test]
    fn json_with_long_form_functions() {
        let v = Value::Map(vec![
            (
                "GroupId".into(),
                Value::GetAtt("Sg".into(), "GroupId".into()),
            ),
            ("FromPort".into(), Value::Number(443)),
        ]);
        assert_eq!(
            json(&v, 4, 2),
            "{\n      \"GroupId\": {\"Fn::GetAtt\": [\"Sg\", \"GroupId\"]},\n      \"FromPort\": 443\n    }"
        );
    }

    #[test]
    fn strings_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(yaml_string("tcp"), "tcp");
        assert_eq!(yaml_string("10.0.0.0/16"), "10.0.0.0/16");
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("443"), "\"443\"");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
    }
}
