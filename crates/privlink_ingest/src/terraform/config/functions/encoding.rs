//! Encoding functions: `jsonencode` (Go's encoder: HTML characters escaped, keys sorted, whole
//! numbers without exponent), `jsondecode`, `base64encode`, `base64decode`.
//!
//! `jsonencode` of a value with unknown parts is unknown, but keeps the value it was given in
//! [`UnknownValue::encoded`] so lowering can still read an ECS container definition's known parts.

use std::fmt::Write;

use super::{FnError, FnResult, arity, string_arg};
use crate::terraform::config::values::{collect_sources, first_unknown, number_to_string};
use crate::terraform::value::{UnknownValue, Value};

pub(super) fn call(name: &str, args: &[Value]) -> Option<FnResult> {
    Some(match name {
        "jsonencode" => jsonencode(args),
        "jsondecode" => jsondecode(args),
        "base64encode" => arity(args, 1, 1).and_then(|()| {
            Ok(Value::String(base64_encode(
                string_arg(args, 0)?.as_bytes(),
            )))
        }),
        "base64decode" => base64decode(args),
        _ => return None,
    })
}

fn jsonencode(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    if let Some(unknown) = first_unknown(&args[0]) {
        let reason = match &unknown.reference {
            Some(r) => format!("jsonencode of a value derived from {r}, {}", unknown.reason),
            None => format!(
                "jsonencode of a value with unknown parts: {}",
                unknown.reason
            ),
        };
        return Ok(Value::Unknown(UnknownValue {
            reference: None,
            reason,
            encoded: Some(Box::new(args[0].clone())),
            sources: {
                let mut sources = Vec::new();
                collect_sources(&args[0], &mut sources);
                sources
            },
        }));
    }
    encode(&args[0])
        .map(Value::String)
        .ok_or_else(|| FnError::Call("value is not fully known".into()))
}

/// Encodes a fully known value as Terraform's `jsonencode` does.
pub(crate) fn encode(value: &Value) -> Option<String> {
    let mut out = String::new();
    write_json(value, &mut out)?;
    Some(out)
}

fn write_json(value: &Value, out: &mut String) -> Option<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_to_string(*n)),
        Value::String(s) => write_string(s, out),
        Value::List(items) | Value::Set(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_json(v, out)?;
            }
            out.push('}');
        }
        Value::Unknown(_) => return None,
    }
    Some(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Go's encoder escapes HTML-significant characters and the JavaScript line separators.
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn jsondecode(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let text = string_arg(args, 0)?;
    serde_json::from_str::<serde_json::Value>(&text)
        .map(|json| Value::from_json(&json))
        .map_err(|e| FnError::Call(format!("invalid JSON: {e}")))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64decode(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let text = string_arg(args, 0)?;
    let invalid = || FnError::Call(format!("failed to decode base64 data {text:?}"));
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).ok_or_else(invalid)?;
        buffer = (buffer << 6) | u32::try_from(value).unwrap_or(0);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(u8::try_from((buffer >> bits) & 0xFF).unwrap_or(0));
        }
    }
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FnError::Call("the result of decoding the provided string is not valid UTF-8".into())
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::terraform::value::Value;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn encoding_functions_match_terraform_console() {
        assert_eq!(
            f(
                "jsonencode",
                &[v("{b = [1, 2.5, \"x\", true, null], a = \"<>&\"}")]
            )
            .unwrap(),
            s(r#"{"a":"\u003c\u003e\u0026","b":[1,2.5,"x",true,null]}"#)
        );
        assert_eq!(
            f("jsonencode", &[v("1e20")]).unwrap(),
            s("100000000000000000000")
        );
        assert_eq!(f("jsonencode", &[v("0.1")]).unwrap(), s("0.1"));
        assert_eq!(
            f("jsondecode", &[s(r#"{"a":[1,2]}"#)]).unwrap(),
            v("{a = [1, 2]}")
        );
        assert!(f("jsondecode", &[s("x")]).is_err());
        assert_eq!(f("base64encode", &[s("hello")]).unwrap(), s("aGVsbG8="));
        assert_eq!(f("base64decode", &[s("aGVsbG8=")]).unwrap(), s("hello"));
        for text in ["", "a", "ab", "abc", "abcd"] {
            let encoded = f("base64encode", &[s(text)]).unwrap();
            assert_eq!(f("base64decode", &[encoded]).unwrap(), s(text));
        }
    }

    #[test]
    fn jsonencode_keeps_what_it_was_given_when_parts_are_unknown() {
        let image = unknown_ref("aws_ecr_repository.app", "repository_url");
        let defs = Value::List(vec![Value::Map(
            [
                ("image".to_owned(), image),
                (
                    "logConfiguration".to_owned(),
                    v("{logDriver = \"awslogs\"}"),
                ),
            ]
            .into(),
        )]);
        let encoded = f("jsonencode", std::slice::from_ref(&defs)).unwrap();
        let unknown = encoded.as_unknown().unwrap();
        assert!(unknown.reference.is_none());
        assert_eq!(unknown.encoded.as_deref(), Some(&defs));
        assert!(
            unknown
                .reason
                .contains("aws_ecr_repository.app.repository_url")
        );
    }
}
