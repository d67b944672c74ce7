//! Terraform values as privlink evaluates them, including values known only after apply.
//!
//! Every Terraform front-end (HCL, `.tf.json`, plan JSON, state JSON) produces [`Value`]s; lowering
//! into the model reads them. A value Terraform would know only after apply is [`Value::Unknown`]:
//! when it is exactly one attribute of one resource (`aws_subnet.a.id`) it carries that
//! [`Reference`], which is how resources link to each other before any id exists.

use std::collections::BTreeMap;
use std::fmt;

/// A reference to one attribute of one resource instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// The full instance address: `aws_subnet.a`, `aws_subnet.b[0]`, `module.net.aws_vpc.this`,
    /// `data.aws_vpc.shared`, `aws_route_table_association.x["k"]`.
    pub address: String,
    /// The attribute path below it, dot-separated with list indexes as numbers: `id`,
    /// `prefix_list_id`, `vpc_config.0.cluster_security_group_id`.
    pub attribute: String,
}

impl Reference {
    /// A reference.
    pub fn new(address: impl Into<String>, attribute: impl Into<String>) -> Self {
        Self {
            address: address.into(),
            attribute: attribute.into(),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.address, self.attribute)
    }
}

/// A value the inputs do not determine.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownValue {
    /// Set when the value is exactly this attribute (not derived from it): lowering links by it.
    pub reference: Option<Reference>,
    /// Why it is unknown, for messages: `known only after apply`, `var.cidr has no value`, ...
    pub reason: String,
    /// For `jsonencode(x)` where `x` has unknown parts: `x` itself, so lowering can still read the
    /// known parts (a task definition whose image is known only after apply still says which log
    /// driver and secrets it uses).
    pub encoded: Option<Box<Value>>,
    /// Every resource attribute a derived unknown was computed from, in the order met and without
    /// repeats (`"${aws_ecs_task_definition.t.family}:${aws_ecs_task_definition.t.revision}"` has
    /// both): what it depends on, even though it *is* none of them.
    pub sources: Vec<Reference>,
}

impl UnknownValue {
    /// An unknown that is exactly `reference`.
    pub fn reference(reference: Reference, reason: impl Into<String>) -> Self {
        Self {
            reference: Some(reference),
            reason: reason.into(),
            encoded: None,
            sources: Vec::new(),
        }
    }

    /// An unknown derived from other values.
    pub fn derived(reason: impl Into<String>) -> Self {
        Self {
            reference: None,
            reason: reason.into(),
            encoded: None,
            sources: Vec::new(),
        }
    }
}

/// A Terraform value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A set (no duplicates).
    Set(Vec<Value>),
    /// A map or object, keys in lexical order as Terraform iterates them.
    Map(BTreeMap<String, Value>),
    /// Not known before apply, or not determined by the inputs.
    Unknown(UnknownValue),
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Self {
        Self::String(s.into())
    }

    /// An unknown value derived from something unknown.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Self::Unknown(UnknownValue::derived(reason))
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, accepting the strings `"true"`/`"false"` as Terraform's type conversion does.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            Self::String(s) if s == "true" => Some(true),
            Self::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The number, accepting numeric strings as Terraform's type conversion does.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The elements of a list, tuple or set.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Self::List(v) | Self::Set(v) => Some(v),
            _ => None,
        }
    }

    /// The entries of a map or object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Self::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The unknown, if this is unknown.
    pub fn as_unknown(&self) -> Option<&UnknownValue> {
        match self {
            Self::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// Whether the value, or anything inside it, is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Self::Unknown(_) => true,
            Self::List(v) | Self::Set(v) => v.iter().any(Value::contains_unknown),
            Self::Map(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// The Terraform type name, for messages (`string`, `list`, `tuple`-like lists print as `list`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "bool",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::List(_) => "list",
            Self::Set(_) => "set",
            Self::Map(_) => "map",
            Self::Unknown(_) => "unknown",
        }
    }

    /// Looks up a dotted attribute path (`vpc_config.0.subnet_ids`) inside maps and lists.
    pub fn get_path(&self, path: &str) -> Option<&Value> {
        let mut current = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            current = match current {
                Self::Map(m) => m.get(part)?,
                Self::List(v) | Self::Set(v) => v.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// Converts JSON (plan/state values, `jsondecode`) into a value.
    pub fn from_json(json: &serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(*b),
            serde_json::Value::Number(n) => Self::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Self::String(s.clone()),
            serde_json::Value::Array(a) => Self::List(a.iter().map(Self::from_json).collect()),
            serde_json::Value::Object(o) => Self::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Self::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts a fully known value into JSON (`jsonencode`); `None` if anything is unknown.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Self::Null => serde_json::Value::Null,
            Self::Bool(b) => serde_json::Value::Bool(*b),
            Self::Number(n) => number_to_json(*n),
            Self::String(s) => serde_json::Value::String(s.clone()),
            Self::List(v) | Self::Set(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Self::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Self::Unknown(_) => return None,
        })
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        // Whole numbers print without a fraction, as Terraform's jsonencode does.
        #[allow(clippy::cast_possible_truncation)]
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{}", number_to_json(*n)),
            Self::String(s) => write!(f, "{s:?}"),
            Self::List(v) | Self::Set(v) => {
                f.write_str("[")?;
                for (i, item) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Self::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Self::Unknown(u) => match &u.reference {
                Some(r) => write!(f, "({r})"),
                None => f.write_str("(known after apply)"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_whole_numbers_whole() {
        let v = Value::from_json(&serde_json::json!({"a": [1, 2.5, "x", true, null]}));
        assert_eq!(
            v.to_json().unwrap().to_string(),
            r#"{"a":[1,2.5,"x",true,null]}"#
        );
    }

    #[test]
    fn unknown_blocks_json() {
        let v = Value::List(vec![Value::unknown("x")]);
        assert!(v.to_json().is_none());
        assert!(v.contains_unknown());
    }

    #[test]
    fn get_path_walks_maps_and_lists() {
        let v = Value::from_json(&serde_json::json!({"vpc_config": [{"subnet_ids": ["a", "b"]}]}));
        assert_eq!(
            v.get_path("vpc_config.0.subnet_ids.1"),
            Some(&Value::string("b"))
        );
        assert_eq!(v.get_path("vpc_config.1"), None);
    }
}
