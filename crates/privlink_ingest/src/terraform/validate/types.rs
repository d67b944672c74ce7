//! Terraform value types as the provider schema writes them (`"string"`, `["set", "string"]`,
//! `["object", {...}]`), and whether a value converts to one, in Terraform's own words.
//!
//! Terraform converts what a configuration writes to the type the provider declares before anything
//! else: a number or a bool becomes a string, `"true"` a bool, `"443"` a number, a tuple a list or
//! a set. What cannot convert is the `Incorrect attribute value type` error, whose detail is the
//! conversion's message: `a bool is required`, `set of string required`,
//! `element 0: string required`, `element "b": string required`, or for objects
//! `attributes "a", "b", and "c" are required`. Values known only after apply are not checked (as
//! Terraform, which checks them once they are known).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::terraform::value::Value;

/// A value type of the provider schema.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub(crate) enum ValueType {
    String,
    Number,
    Bool,
    /// `dynamic`: any value.
    Dynamic,
    List(Box<ValueType>),
    Set(Box<ValueType>),
    Map(Box<ValueType>),
    /// An object: its attributes, and which of them may be left out.
    Object(BTreeMap<String, ValueType>, Vec<String>),
    Tuple(Vec<ValueType>),
}

impl TryFrom<serde_json::Value> for ValueType {
    type Error = String;

    fn try_from(json: serde_json::Value) -> Result<Self, String> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "string" => Ok(Self::String),
                "number" => Ok(Self::Number),
                "bool" => Ok(Self::Bool),
                "dynamic" => Ok(Self::Dynamic),
                other => Err(format!("unknown type {other:?}")),
            },
            J::Array(parts) => match parts.as_slice() {
                [J::String(kind), element] if kind == "list" || kind == "set" || kind == "map" => {
                    let element = Box::new(Self::try_from(element.clone())?);
                    Ok(match kind.as_str() {
                        "list" => Self::List(element),
                        "set" => Self::Set(element),
                        _ => Self::Map(element),
                    })
                }
                [J::String(kind), J::Object(attributes), rest @ ..] if kind == "object" => {
                    let attributes = attributes
                        .iter()
                        .map(|(k, v)| Ok((k.clone(), Self::try_from(v.clone())?)))
                        .collect::<Result<_, String>>()?;
                    let optional = match rest {
                        [J::Array(names)] => names
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect(),
                        _ => Vec::new(),
                    };
                    Ok(Self::Object(attributes, optional))
                }
                [J::String(kind), J::Array(elements)] if kind == "tuple" => Ok(Self::Tuple(
                    elements
                        .iter()
                        .map(|e| Self::try_from(e.clone()))
                        .collect::<Result<_, _>>()?,
                )),
                _ => Err("unknown type".to_owned()),
            },
            _ => Err("unknown type".to_owned()),
        }
    }
}

impl ValueType {
    /// The name Terraform gives the type in messages: `string`, `set of string`, `object`.
    pub(crate) fn friendly_name(&self) -> String {
        match self {
            Self::String => "string".to_owned(),
            Self::Number => "number".to_owned(),
            Self::Bool => "bool".to_owned(),
            Self::Dynamic => "any type".to_owned(),
            Self::List(e) => format!("list of {}", e.friendly_name()),
            Self::Set(e) => format!("set of {}", e.friendly_name()),
            Self::Map(e) => format!("map of {}", e.friendly_name()),
            Self::Object(..) => "object".to_owned(),
            Self::Tuple(_) => "tuple".to_owned(),
        }
    }

    /// The attributes of the objects a list or set of objects holds: an attribute of this type may
    /// be written as blocks (`ingress { ... }`), as the provider's older resources allow.
    pub(crate) fn block_attributes(&self) -> Option<(&BTreeMap<String, ValueType>, &[String])> {
        match self {
            Self::List(e) | Self::Set(e) => match e.as_ref() {
                Self::Object(attributes, optional) => Some((attributes, optional)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Why `value` does not convert to this type, as Terraform says it (`a bool is required`,
    /// `element 0: string required`), or `None` when it converts or is not known yet.
    pub(crate) fn conversion_error(&self, value: &Value) -> Option<String> {
        if matches!(value, Value::Unknown(_) | Value::Null) || *self == Self::Dynamic {
            return None;
        }
        let required = || Some(format!("{} required", self.friendly_name()));
        match self {
            Self::Dynamic => None,
            Self::String => match value {
                Value::String(_) | Value::Number(_) | Value::Bool(_) => None,
                _ => required(),
            },
            Self::Number => match value {
                Value::Number(_) => None,
                Value::String(s) if is_number(s) => None,
                Value::String(_) => Some("a number is required".to_owned()),
                _ => required(),
            },
            Self::Bool => match value {
                Value::Bool(_) => None,
                Value::String(s) => bool_from_string(s),
                _ => required(),
            },
            Self::List(element) | Self::Set(element) => match value {
                Value::List(items) | Value::Set(items) => {
                    items.iter().enumerate().find_map(|(i, item)| {
                        element
                            .conversion_error(item)
                            .map(|e| format!("element {i}: {e}"))
                    })
                }
                _ => required(),
            },
            Self::Map(element) => match value {
                Value::Map(entries) => entries.iter().find_map(|(k, v)| {
                    element
                        .conversion_error(v)
                        .map(|e| format!("element {k:?}: {e}"))
                }),
                _ => required(),
            },
            Self::Object(attributes, optional) => match value {
                Value::Map(entries) => object_error(attributes, optional, entries),
                _ => required(),
            },
            Self::Tuple(elements) => match value {
                Value::List(items) | Value::Set(items) if items.len() == elements.len() => items
                    .iter()
                    .zip(elements)
                    .enumerate()
                    .find_map(|(i, (item, ty))| {
                        ty.conversion_error(item)
                            .map(|e| format!("element {i}: {e}"))
                    }),
                _ => required(),
            },
        }
    }
}

/// An object's missing attributes (reported first, all together), else its first attribute that does
/// not convert.
fn object_error(
    attributes: &BTreeMap<String, ValueType>,
    optional: &[String],
    entries: &BTreeMap<String, Value>,
) -> Option<String> {
    let missing: Vec<&String> = attributes
        .keys()
        .filter(|name| !entries.contains_key(*name) && !optional.contains(name))
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => return Some(format!("attribute {one:?} is required")),
        [a, b] => return Some(format!("attributes {a:?} and {b:?} are required")),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("{n:?}")).collect();
            return Some(format!(
                "attributes {}, and {last:?} are required",
                init.join(", ")
            ));
        }
    }
    attributes.iter().find_map(|(name, ty)| {
        entries
            .get(name)
            .and_then(|v| ty.conversion_error(v))
            .map(|e| format!("attribute {name:?}: {e}"))
    })
}

/// Terraform's string to bool conversion.
fn bool_from_string(s: &str) -> Option<String> {
    match s {
        "true" | "1" | "false" | "0" => None,
        _ if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Some(format!(
            "a bool is required; to convert from string, use lowercase \"{}\"",
            s.to_ascii_lowercase()
        )),
        _ => Some("a bool is required".to_owned()),
    }
}

/// Whether Terraform reads a string as a number: an optional sign, digits with an optional
/// fraction, an optional exponent (no spaces, no `inf`, no hexadecimal).
fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (s, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        (!whole.is_empty() || !fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(json: serde_json::Value) -> ValueType {
        ValueType::try_from(json).expect("a type")
    }

    #[test]
    fn conversions_say_what_terraform_says() {
        let string_set = ty(serde_json::json!(["set", "string"]));
        assert_eq!(
            string_set.conversion_error(&Value::string("subnet-1")),
            Some("set of string required".to_owned())
        );
        assert_eq!(
            string_set.conversion_error(&Value::List(vec![
                Value::string("a"),
                Value::Number(1.0),
                Value::Bool(true)
            ])),
            None
        );
        assert_eq!(
            string_set.conversion_error(&Value::List(vec![Value::List(vec![])])),
            Some("element 0: string required".to_owned())
        );
        assert_eq!(
            ValueType::Bool.conversion_error(&Value::string("yes")),
            Some("a bool is required".to_owned())
        );
        assert_eq!(
            ValueType::Bool.conversion_error(&Value::string("True")),
            Some("a bool is required; to convert from string, use lowercase \"true\"".to_owned())
        );
        assert_eq!(ValueType::Bool.conversion_error(&Value::string("1")), None);
        assert_eq!(
            ValueType::Number.conversion_error(&Value::string("x")),
            Some("a number is required".to_owned())
        );
        assert_eq!(
            ValueType::Number.conversion_error(&Value::string("1e3")),
            None
        );
        assert_eq!(
            ValueType::Number.conversion_error(&Value::string("inf")),
            Some("a number is required".to_owned())
        );
        assert_eq!(
            ValueType::Number.conversion_error(&Value::Bool(true)),
            Some("number required".to_owned())
        );
        let tags = ty(serde_json::json!(["map", "string"]));
        let value = Value::Map(
            [
                ("a".to_owned(), Value::Number(1.0)),
                ("b".to_owned(), Value::List(vec![])),
            ]
            .into(),
        );
        assert_eq!(
            tags.conversion_error(&value),
            Some("element \"b\": string required".to_owned())
        );
        assert_eq!(
            ValueType::String.conversion_error(&Value::unknown("x")),
            None
        );
    }

    #[test]
    fn objects_name_their_missing_attributes() {
        let rule = ty(serde_json::json!(["list", ["object", {
            "from_port": "number", "to_port": "number", "protocol": "string"
        }]]));
        let one = Value::List(vec![Value::Map(
            [("from_port".to_owned(), Value::Number(1.0))].into(),
        )]);
        assert_eq!(
            rule.conversion_error(&one),
            Some("element 0: attributes \"protocol\" and \"to_port\" are required".to_owned())
        );
        assert_eq!(rule.friendly_name(), "list of object");
        assert!(rule.block_attributes().is_some());
    }
}
