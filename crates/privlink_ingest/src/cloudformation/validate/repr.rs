//! Values as cfn-lint prints them in its messages: Python's `repr` (`'interface'`, `443`, `True`,
//! `['a', 'b']`, `{'Key': 'x'}`).

use indexmap::IndexMap;

use crate::cloudformation::value::{Value, number_text};

/// Python's `repr` of a template value.
pub(super) fn repr(value: &Value) -> String {
    match value {
        Value::Null | Value::Omitted => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => number_text(*n),
        Value::String(s) => string_repr(s),
        Value::Unknown(u) => string_repr(&u.text),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", string_repr(k), repr(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A JSON value of a schema as a template value.
pub(super) fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<IndexMap<_, _>>(),
        ),
    }
}

/// Python's `repr` of a string: single quotes, unless the text has a single quote and no double
/// quote.
fn string_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_are_pythons() {
        assert_eq!(repr(&Value::String("interface".into())), "'interface'");
        assert_eq!(repr(&Value::String("it's".into())), "\"it's\"");
        assert_eq!(repr(&Value::Number(443.0)), "443");
        assert_eq!(repr(&Value::Bool(true)), "True");
        assert_eq!(
            repr(&from_json(&serde_json::json!(["a", 1, {"K": null}]))),
            "['a', 1, {'K': None}]"
        );
    }
}
