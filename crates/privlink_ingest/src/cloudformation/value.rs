//! Evaluated template values, including values known only at deploy time.
//!
//! A `!Ref` to a resource, a `!GetAtt` of an attribute CloudFormation computes, an import no given
//! template exports, a parameter without a value: none of these is known before the stack exists.
//! They evaluate to [`Value::Unknown`], which keeps the [`Target`] it stands for when it is exactly one
//! thing (that is how resources link to each other) and its text as `${...}` so a string built from it
//! (`!Sub "arn:aws:secretsmanager:${AWS::Region}:..."`) still says what it is.

use std::fmt;

use indexmap::IndexMap;
use privlink_model::RUN_REGION;

/// How `AWS::Region` is written in the text of an unknown when the run names no region.
pub(crate) const REGION_TEXT: &str = "${AWS::Region}";

/// Which template of the run (an index into the evaluator's templates).
pub(crate) type TemplateId = usize;

/// What an unknown value stands for exactly.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// `!Ref Resource` (no attribute) or `!GetAtt Resource.Attribute`.
    Resource {
        template: TemplateId,
        logical_id: String,
        attribute: Option<String>,
    },
    /// A parameter without a value, of a type naming an AWS resource (`AWS::EC2::VPC::Id`).
    Parameter { template: TemplateId, name: String },
    /// `Fn::ImportValue` of an export no given template defines.
    Import { name: String },
}

/// A value the templates do not determine.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Unknown {
    /// Set when the value is exactly this (not derived from it).
    pub(crate) target: Option<Target>,
    /// The value as text with the unknown parts written `${...}`.
    pub(crate) text: String,
    /// Why it is unknown, for messages.
    pub(crate) reason: String,
}

/// An evaluated value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(IndexMap<String, Value>),
    /// `AWS::NoValue`: the property is removed, as if not written.
    Omitted,
    Unknown(Unknown),
}

impl Value {
    pub(crate) fn unknown(text: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Unknown(Unknown {
            target: None,
            text: text.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn target(
        target: Target,
        text: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::Unknown(Unknown {
            target: Some(target),
            text: text.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as CloudFormation converts it to a string: numbers and booleans too.
    pub(crate) fn to_text(&self) -> Option<String> {
        match self {
            Self::String(s) => Some(s.clone()),
            Self::Number(n) => Some(number_text(*n)),
            Self::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The boolean, accepting `"true"`/`"false"` as CloudFormation does.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            Self::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Self::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The number, accepting numeric strings.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn as_list(&self) -> Option<&[Value]> {
        match self {
            Self::List(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Self::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// A field of a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// A dotted path of mapping keys and list indexes.
    pub(crate) fn get_path(&self, path: &str) -> Option<&Value> {
        let mut current = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            current = match current {
                Self::Map(m) => m.get(part)?,
                Self::List(v) => v.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The text of this value with unknown parts written `${...}` (for `Fn::Sub`, `Fn::Join`).
    pub(crate) fn deferred_text(&self) -> Option<String> {
        match self {
            Self::Unknown(u) => Some(u.text.clone()),
            other => other.to_text(),
        }
    }

    /// The text of an unknown whose only unknown part is the region of a run that names none, with
    /// the region written as [`RUN_REGION`]: `!Sub com.amazonaws.${AWS::Region}.logs` is
    /// `com.amazonaws.REGION.logs`. The region is one value for the whole run, so names built from it
    /// compare equal whatever it is; anything else unknown in the value keeps it unknown.
    pub(crate) fn run_region_text(&self) -> Option<String> {
        let Self::Unknown(u) = self else { return None };
        let text = u.text.replace(REGION_TEXT, RUN_REGION);
        (u.text.contains(REGION_TEXT) && !text.contains("${")).then_some(text)
    }

    /// JSON for this value, with each unknown written as its `${...}` text (the run's region as
    /// [`RUN_REGION`]): the form the shared container-definition reader understands.
    pub(crate) fn to_deferred_json(&self) -> serde_json::Value {
        match self {
            Self::Null | Self::Omitted => serde_json::Value::Null,
            Self::Bool(b) => serde_json::Value::Bool(*b),
            Self::Number(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Self::String(s) => serde_json::Value::String(s.clone()),
            Self::List(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_deferred_json).collect())
            }
            Self::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.to_deferred_json()))
                    .collect(),
            ),
            Self::Unknown(u) => serde_json::Value::String(u.text.replace(REGION_TEXT, RUN_REGION)),
        }
    }

    /// JSON for a fully known value.
    pub(crate) fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Self::Unknown(_) => return None,
            Self::List(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Self::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            other => other.to_deferred_json(),
        })
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::List(_) => "list",
            Self::Map(_) => "mapping",
            Self::Omitted => "AWS::NoValue",
            Self::Unknown(_) => "value known only at deploy time",
        }
    }
}

/// Numbers as CloudFormation prints them: whole numbers without a fraction.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = n as i64;
        whole.to_string()
    } else {
        n.to_string()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(u) => f.write_str(&u.text),
            Self::List(v) => {
                f.write_str("[")?;
                for (i, item) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            other => match other.to_text() {
                Some(t) => f.write_str(&t),
                None => f.write_str(other.type_name()),
            },
        }
    }
}
