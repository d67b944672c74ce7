//! Terraform value semantics the evaluator and the functions share: string conversion, equality,
//! set normalisation, type names for messages, and how unknowns propagate.

use std::cmp::Ordering;

use crate::terraform::value::{Reference, UnknownValue, Value};

/// The first unknown inside `value`, if any.
pub(crate) fn first_unknown(value: &Value) -> Option<&UnknownValue> {
    match value {
        Value::Unknown(u) => Some(u),
        Value::List(items) | Value::Set(items) => items.iter().find_map(first_unknown),
        Value::Map(map) => map.values().find_map(first_unknown),
        _ => None,
    }
}

/// An unknown derived from `source`: it keeps why and every reference it comes from, but no
/// longer *is* the referenced attribute.
pub(crate) fn derived(source: &UnknownValue) -> Value {
    let reason = match &source.reference {
        Some(r) => format!("derived from {r}, {}", source.reason),
        None => source.reason.clone(),
    };
    let mut out = UnknownValue::derived(reason);
    add_sources(&mut out.sources, source);
    Value::Unknown(out)
}

/// The unknown result of computing from `values`: the reason of the first unknown met, the
/// sources of all of them.
fn derived_from_all<'a>(
    first: &UnknownValue,
    values: impl IntoIterator<Item = &'a Value>,
) -> Value {
    let mut out = derived(first);
    if let Value::Unknown(u) = &mut out {
        for value in values {
            collect_sources(value, &mut u.sources);
        }
    }
    out
}

/// Adds the references of `unknown` (itself and what it came from) to `sources`.
fn add_sources(sources: &mut Vec<Reference>, unknown: &UnknownValue) {
    for r in unknown.reference.iter().chain(&unknown.sources) {
        if !sources.contains(r) {
            sources.push(r.clone());
        }
    }
}

/// Adds the references of every unknown inside `value` to `sources`.
pub(crate) fn collect_sources(value: &Value, sources: &mut Vec<Reference>) {
    match value {
        Value::Unknown(u) => add_sources(sources, u),
        Value::List(items) | Value::Set(items) => {
            items.iter().for_each(|v| collect_sources(v, sources));
        }
        Value::Map(map) => map.values().for_each(|v| collect_sources(v, sources)),
        _ => {}
    }
}

/// The unknown result of an operation on `values`, when one of them is (wholly) unknown.
pub(crate) fn unknown_among<'a>(
    values: impl IntoIterator<Item = &'a Value> + Clone,
) -> Option<Value> {
    let first = values.clone().into_iter().find_map(|v| v.as_unknown())?;
    Some(derived_from_all(first, values))
}

/// The unknown result of an operation that needs `values` fully known.
pub(crate) fn unknown_inside<'a>(
    values: impl IntoIterator<Item = &'a Value> + Clone,
) -> Option<Value> {
    let first = values.clone().into_iter().find_map(first_unknown)?;
    Some(derived_from_all(first, values))
}

/// Formats a number as Terraform does: whole numbers without a fraction, no exponent.
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// Converts a primitive to a string as Terraform's automatic conversion does.
pub(crate) fn to_string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(number_to_string(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err("the value is null; a string is required".into()),
        other => Err(format!(
            "a string is required, not {}",
            type_description(other)
        )),
    }
}

/// Converts to a number as Terraform's automatic conversion does.
pub(crate) fn to_number(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(n) => Ok(*n),
        // Only decimal notation: Rust would also read "inf" and "NaN", Terraform does not.
        Value::String(s) => Some(s.trim())
            .filter(|t| {
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
            })
            .and_then(|t| t.parse::<f64>().ok())
            .ok_or_else(|| format!("cannot convert {s:?} to a number")),
        Value::Null => Err("the value is null; a number is required".into()),
        other => Err(format!(
            "a number is required, not {}",
            type_description(other)
        )),
    }
}

/// Converts to a bool as Terraform's automatic conversion does.
pub(crate) fn to_bool(value: &Value) -> Result<bool, String> {
    value.as_bool().ok_or_else(|| match value {
        Value::Null => "the value is null; a bool is required".to_owned(),
        other => format!("a bool is required, not {}", type_description(other)),
    })
}

/// A Terraform-like type description for messages (`tuple`, `object`, `set of string`).
pub(crate) fn type_description(value: &Value) -> String {
    match value {
        Value::List(_) => "tuple".into(),
        Value::Map(_) => "object".into(),
        Value::Set(items) => {
            let element = items
                .iter()
                .find(|v| !matches!(v, Value::Unknown(_)))
                .map_or("string", Value::type_name);
            format!("set of {element}")
        }
        other => other.type_name().into(),
    }
}

/// Terraform equality: numbers by value, collections element by element.
pub(crate) fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equals(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && equals(va, vb))
        }
        _ => a == b,
    }
}

/// Terraform's `==` where values may hold unknowns: a wholly unknown operand gives an unknown
/// result, but `null` against anything known not to be null is decided (`var.x != null` is true for
/// a map holding unknowns), and collections whose shapes differ are unequal. Elements compare in
/// order, the first undecided pair making the result unknown, as Terraform does.
pub(crate) fn equals_partial<'a>(a: &'a Value, b: &'a Value) -> Result<bool, &'a UnknownValue> {
    match (a, b) {
        (Value::Unknown(u), _) | (_, Value::Unknown(u)) => Err(u),
        (Value::Null, Value::Null) => Ok(true),
        (Value::Null, _) | (_, Value::Null) => Ok(false),
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            if matches!(a, Value::Set(_)) && (x.iter().chain(y).any(|v| first_unknown(v).is_some()))
            {
                // Set members are matched by value: one holding an unknown matches undecidably.
                return Err(x.iter().chain(y).find_map(first_unknown).expect("checked"));
            }
            for (p, q) in x.iter().zip(y) {
                if !equals_partial(p, q)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || x.keys().zip(y.keys()).any(|(p, q)| p != q) {
                return Ok(false);
            }
            for (p, q) in x.values().zip(y.values()) {
                if !equals_partial(p, q)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        _ => Ok(equals(a, b)),
    }
}

/// Orders set elements as Terraform lists them: strings lexically, numbers numerically, unknowns last.
fn set_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::Unknown(_), Value::Unknown(_)) => Ordering::Equal,
        (Value::Unknown(_), _) => Ordering::Greater,
        (_, Value::Unknown(_)) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

/// A set from elements: duplicates removed (unknowns are kept: they may differ), sorted.
pub(crate) fn make_set(items: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if matches!(item, Value::Unknown(_)) || !out.iter().any(|o| equals(o, &item)) {
            out.push(item);
        }
    }
    out.sort_by(set_order);
    Value::Set(out)
}

/// The string keys of the instances a known `for_each` element produces (`"a"`, `"1"`), or the
/// reference text for an unknown element (`aws_subnet.a.id`).
pub(crate) fn key_text(value: &Value, index: usize) -> String {
    match value {
        Value::Unknown(u) => u.reference.as_ref().map_or_else(
            || format!("(known after apply #{index})"),
            ToString::to_string,
        ),
        other => to_string(other).unwrap_or_else(|_| other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(number_to_string(3.0), "3");
        assert_eq!(number_to_string(1.5), "1.5");
        assert_eq!(number_to_string(1e20), "100000000000000000000");
        assert_eq!(number_to_string(0.1), "0.1");
        assert_eq!(number_to_string(-7.0), "-7");
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let set = make_set(vec![
            Value::string("b"),
            Value::string("a"),
            Value::string("b"),
        ]);
        assert_eq!(
            set,
            Value::Set(vec![Value::string("a"), Value::string("b")])
        );
        let with_unknown = make_set(vec![
            Value::unknown("x"),
            Value::string("a"),
            Value::unknown("y"),
        ]);
        assert_eq!(with_unknown.as_list().unwrap().len(), 3);
    }

    #[test]
    fn equality_is_by_value() {
        assert!(equals(&Value::Number(1.0), &Value::Number(1.0)));
        assert!(!equals(&Value::string("1"), &Value::Number(1.0)));
    }
}
