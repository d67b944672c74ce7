//! Resource properties checked against CloudFormation's resource schemas, as cfn-lint checks them:
//! run on the evaluated resources, before lowering.
//!
//! | cfn-lint | what | message |
//! |---|---|---|
//! | E3002 | a property the type does not have | `Additional properties are not allowed ('PrivateDnsEnable' was unexpected. Did you mean 'PrivateDnsEnabled'?)` |
//! | E3003 | a required property missing | `'VpcId' is a required property` |
//! | E3012 | a value of the wrong type | `'yes' is not of type 'boolean'` |
//! | E3030 | a value outside its enumeration | `'interface' is not one of ['Interface', 'Gateway', ...]` |
//!
//! Each is an `invalid-cloudformation` diagnostic located at the property, with cfn-lint's words
//! (CloudFormation rejects the same templates when it creates the stack). Values are checked as
//! evaluated: a parameter's value is checked where the property uses it (cfn-lint reports that as a
//! warning at the parameter), and values known only at deploy time are not checked. A property the
//! type does not have is removed before lowering (CloudFormation accepts nothing of the template),
//! and the name cfn-lint suggests instead is recorded so that `privlink fix` renames it; a value
//! outside its enumeration is kept, so the analysis goes on with what the author meant. Types
//! outside the committed table (custom resources, types privlink does not read) are not checked.

mod repr;
mod schema;
mod similarity;

use std::collections::HashSet;

use privlink_model::{Diagnostic, DiagnosticKind, Location, Misspelling};

use self::repr::{from_json, repr};
use self::schema::{Shape, resource_schema};
use super::resources::CfnResource;
use super::value::Value;

/// What validation found in the templates.
#[derive(Debug, Default)]
pub(crate) struct Validation {
    /// `invalid-cloudformation` diagnostics.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Misspelt properties, with the name each stands for.
    pub(crate) misspellings: Vec<Misspelling>,
}

/// cfn-lint's threshold for suggesting a property name.
const SUGGESTION_RATIO: f64 = 0.8;

/// One thing cfn-lint (and CloudFormation) rejects, at a property path below `Properties`.
#[derive(Debug)]
struct Problem {
    path: Vec<String>,
    rule: &'static str,
    message: String,
    help: String,
    /// A property the type does not have (not read), with the name suggested instead.
    unknown: Option<Option<String>>,
}

/// Validates the properties of every resource whose type privlink has a schema for, removing the
/// properties CloudFormation would not accept.
pub(crate) fn validate(resources: &mut [CfnResource]) -> Validation {
    let mut validation = Validation::default();
    let mut seen: HashSet<(Option<Location>, String)> = HashSet::new();
    for resource in resources {
        let Some(shape) = resource_schema(&resource.resource_type) else {
            continue;
        };
        let mut problems = Vec::new();
        check(shape, &resource.properties, &mut Vec::new(), &mut problems);
        for problem in problems {
            let dotted = problem.path.join(".");
            let location = resource.location_of(&dotted);
            if let Some(suggestion) = &problem.unknown {
                let (parent, written) = problem.path.split_at(problem.path.len() - 1);
                if let (Some(meant), Some(block), Some(location)) =
                    (suggestion, resource.location(), &location)
                {
                    validation.misspellings.push(Misspelling {
                        block,
                        parent: parent.join("."),
                        written: written[0].clone(),
                        meant: meant.clone(),
                        location: location.clone(),
                    });
                }
                remove(&mut resource.properties, &problem.path);
            }
            if !seen.insert((location.clone(), problem.message.clone())) {
                continue;
            }
            validation.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::InvalidCloudformation,
                message: problem.message,
                location,
                resource: Some(resource.id.to_string()),
                help: Some(format!("{} (cfn-lint {})", problem.help, problem.rule)),
                predicted_error: None,
            });
        }
    }
    validation
}

/// Checks one value against its shape, as cfn-lint's keywords do, each on its own.
fn check(shape: &Shape, value: &Value, path: &mut Vec<String>, out: &mut Vec<Problem>) {
    if matches!(value, Value::Unknown(_) | Value::Omitted) {
        return;
    }
    if !shape.types.is_empty() && !shape.types.iter().any(|t| is_type(t, value)) {
        let types: Vec<String> = shape.types.iter().map(|t| format!("'{t}'")).collect();
        out.push(Problem {
            path: path.clone(),
            rule: "E3012",
            message: format!("{} is not of type {}", repr(value), types.join(", ")),
            help: format!("give it a value of type {}", shape.types.join(" or ")),
            unknown: None,
        });
    }
    if !shape.one_of.is_empty() {
        check_enum(shape, value, path, out);
    }
    match value {
        Value::Map(entries) => {
            for name in &shape.required {
                if !entries.contains_key(name) {
                    out.push(Problem {
                        path: path.clone(),
                        rule: "E3003",
                        message: format!(
                            "{} is a required property",
                            repr(&Value::String(name.clone()))
                        ),
                        help: format!("add {name}"),
                        unknown: None,
                    });
                }
            }
            for (name, item) in entries {
                path.push(name.clone());
                match shape.property(name) {
                    Some(inner) => check(inner, item, path, out),
                    None if shape.closed => out.push(unknown_property(shape, name, path)),
                    None => {}
                }
                path.pop();
            }
        }
        Value::List(items) => {
            if let Some(inner) = &shape.items {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    check(inner, item, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

fn unknown_property(shape: &Shape, name: &str, path: &[String]) -> Problem {
    let suggestion = shape
        .properties
        .iter()
        .map(|(n, _)| n)
        .find(|n| similarity::ratio(name, n) > SUGGESTION_RATIO);
    let quoted = repr(&Value::String(name.to_owned()));
    let (message, help) = match suggestion {
        Some(s) => (
            format!(
                "Additional properties are not allowed ({quoted} was unexpected. Did you mean {}?)",
                repr(&Value::String(s.clone()))
            ),
            format!(
                "rename it to {s}; CloudFormation rejects the template until then, so privlink reads the resource as if {name} were not written"
            ),
        ),
        None => (
            format!("Additional properties are not allowed ({quoted} was unexpected)"),
            "remove it or correct the name (the resource type's documentation lists its properties); privlink reads the resource as if it were not written".to_owned(),
        ),
    };
    Problem {
        path: path.to_vec(),
        rule: "E3002",
        message,
        help,
        unknown: Some(suggestion.cloned()),
    }
}

fn check_enum(shape: &Shape, value: &Value, path: &[String], out: &mut Vec<Problem>) {
    let fold = |v: serde_json::Value| match v {
        serde_json::Value::String(s) if shape.enum_case_insensitive => {
            serde_json::Value::String(s.to_lowercase())
        }
        other => other,
    };
    let instance = match value {
        Value::String(s) if shape.enum_case_insensitive => Value::String(s.to_lowercase()),
        other => other.clone(),
    };
    let allowed: Vec<serde_json::Value> = shape.one_of.iter().cloned().map(fold).collect();
    if allowed.iter().any(|a| enum_equal(&instance, a)) {
        return;
    }
    let listed: Vec<String> = allowed.iter().map(|a| repr(&from_json(a))).collect();
    let mut message = format!("{} is not one of [{}]", repr(&instance), listed.join(", "));
    if shape.enum_case_insensitive {
        message.push_str(" (case-insensitive)");
    }
    let close = match value {
        Value::String(s) => shape
            .one_of
            .iter()
            .filter_map(serde_json::Value::as_str)
            .find(|a| a.eq_ignore_ascii_case(s)),
        _ => None,
    };
    let help = match close {
        Some(a) => format!("write {a} (the letter case matters)"),
        None => "use one of the values listed".to_owned(),
    };
    out.push(Problem {
        path: path.to_vec(),
        rule: "E3030",
        message,
        help,
        unknown: None,
    });
}

/// cfn-lint's equality for enumerations: booleans and boolean strings as booleans, anything
/// compared with a string as text.
fn enum_equal(instance: &Value, allowed: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    let boolean = |v: &Value| match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    let allowed_value = from_json(allowed);
    let involves_bool = matches!(instance, Value::Bool(_)) || matches!(allowed, J::Bool(_));
    let boolean_text = |v: &Value| matches!(v, Value::String(_)) && boolean(v).is_some();
    if (involves_bool || boolean_text(instance) || boolean_text(&allowed_value))
        && matches!(instance, Value::Bool(_) | Value::String(_))
        && matches!(allowed, J::Bool(_) | J::String(_))
    {
        return boolean(instance).is_some() && boolean(instance) == boolean(&allowed_value);
    }
    match (instance.to_text(), &allowed_value) {
        (Some(a), Value::String(b)) => a == *b,
        (Some(a), Value::Number(_)) if matches!(instance, Value::String(_)) => {
            allowed_value.to_text().is_some_and(|b| a == b)
        }
        _ => *instance == allowed_value,
    }
}

/// cfn-lint's (non-strict) type check: numbers and booleans are strings too, numeric strings are
/// numbers, `"true"`/`"False"`/... are booleans.
fn is_type(ty: &str, value: &Value) -> bool {
    match ty {
        "object" => matches!(value, Value::Map(_)),
        "array" => matches!(value, Value::List(_)),
        "null" => matches!(value, Value::Null),
        _ if matches!(value, Value::Null) => false,
        "string" => !matches!(value, Value::Map(_) | Value::List(_)),
        "number" => match value {
            Value::Number(_) => true,
            Value::String(s) => s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        "integer" => match value {
            Value::Number(_) => true,
            Value::String(s) => is_integer_text(s.trim()),
            _ => false,
        },
        "boolean" => match value {
            Value::Bool(_) => true,
            Value::String(s) => {
                matches!(
                    s.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                )
            }
            _ => false,
        },
        _ => true,
    }
}

/// What Python's `int()` reads: an optional sign and digits (underscores between them).
fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// Removes the property at `path` (names and list indexes below `Properties`).
fn remove(properties: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = properties;
    for part in parents {
        current = match current {
            Value::Map(m) => match m.get_mut(part) {
                Some(v) => v,
                None => return,
            },
            Value::List(items) => match part.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    if let Value::Map(m) = current {
        m.shift_remove(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_checked_as_cfn_lint_checks_them() {
        assert!(is_type("string", &Value::Number(443.0)));
        assert!(is_type("boolean", &Value::String("True".into())));
        assert!(!is_type("boolean", &Value::String("yes".into())));
        assert!(is_type("integer", &Value::String(" 443 ".into())));
        assert!(!is_type("integer", &Value::String("443x".into())));
        assert!(!is_type("array", &Value::String("subnet-1".into())));
    }

    #[test]
    fn enumerations_compare_as_cfn_lint_compares_them() {
        assert!(enum_equal(
            &Value::String("Interface".into()),
            &serde_json::json!("Interface")
        ));
        assert!(!enum_equal(
            &Value::String("interface".into()),
            &serde_json::json!("Interface")
        ));
        assert!(enum_equal(&Value::Number(6.0), &serde_json::json!("6")));
        assert!(enum_equal(&Value::Bool(true), &serde_json::json!("true")));
    }
}
