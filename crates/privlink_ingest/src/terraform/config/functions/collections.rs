//! Collection functions: lists, sets, maps, and the conversions between them.
//!
//! Several of them keep unknown *elements* as elements (`concat`, `flatten`, `toset`, `element`,
//! `length`, ...): a list of subnet ids known only after apply still has a known length and known
//! members, which is what lowering links resources by.

use std::collections::BTreeMap;

use super::{FnError, FnResult, arity, int_arg, list_arg, number_arg, string_arg};
use crate::terraform::config::values::{
    derived, equals, first_unknown, make_set, to_bool, to_string, type_description, unknown_among,
    unknown_inside,
};
use crate::terraform::value::Value;

pub(super) fn call(name: &str, args: &[Value]) -> Option<FnResult> {
    let function: fn(&[Value]) -> FnResult = match name {
        "length" => length,
        "concat" => concat,
        "merge" => merge,
        "lookup" => lookup,
        "element" => element,
        "keys" => keys,
        "values" => values,
        "zipmap" => zipmap,
        "toset" => toset,
        "tolist" => tolist,
        "tomap" => tomap,
        "flatten" => flatten,
        "distinct" => distinct,
        "slice" => slice,
        "range" => range,
        "contains" => contains,
        "coalesce" => coalesce,
        "coalescelist" => coalescelist,
        "compact" => compact,
        "one" => one,
        "sort" => sort,
        "reverse" => reverse,
        "index" => index,
        "matchkeys" => matchkeys,
        "chunklist" => chunklist,
        "setunion" => setunion,
        "setintersection" => setintersection,
        "setsubtract" => setsubtract,
        "setproduct" => setproduct,
        "transpose" => transpose,
        "alltrue" => alltrue,
        "anytrue" => anytrue,
        "sensitive" | "nonsensitive" => identity,
        "formatlist" => formatlist,
        _ => return None,
    };
    // Functions that keep unknown elements still need their arguments themselves known, except
    // coalesce (which may find a known value first) and the sensitivity markers.
    if !matches!(name, "coalesce" | "sensitive" | "nonsensitive")
        && let Some(unknown) = unknown_among(args)
    {
        return Some(Ok(unknown));
    }
    Some(function(args))
}

fn keys(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    map_arg(args, 0).map(|m| Value::List(m.keys().cloned().map(Value::String).collect()))
}

fn values(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    map_arg(args, 0).map(|m| Value::List(m.values().cloned().collect()))
}

fn toset(args: &[Value]) -> FnResult {
    one_list(args).map(|items| make_set(unify(items.to_vec())))
}

fn tolist(args: &[Value]) -> FnResult {
    one_list(args).map(|items| Value::List(unify(items.to_vec())))
}

fn flatten(args: &[Value]) -> FnResult {
    let items = one_list(args)?;
    let mut out = Vec::new();
    flatten_into(items, &mut out);
    Ok(Value::List(out))
}

fn reverse(args: &[Value]) -> FnResult {
    one_list(args).map(|items| Value::List(items.iter().rev().cloned().collect()))
}

fn setunion(args: &[Value]) -> FnResult {
    sets(args, |acc, next| acc.extend(next.iter().cloned()))
}

fn setintersection(args: &[Value]) -> FnResult {
    sets(args, |acc, next| {
        acc.retain(|a| next.iter().any(|b| equals(a, b)));
    })
}

fn setsubtract(args: &[Value]) -> FnResult {
    sets(args, |acc, next| {
        acc.retain(|a| !next.iter().any(|b| equals(a, b)));
    })
}

fn alltrue(args: &[Value]) -> FnResult {
    bools(args, true)
}

fn anytrue(args: &[Value]) -> FnResult {
    bools(args, false)
}

fn identity(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    Ok(args[0].clone())
}

fn one_list(args: &[Value]) -> Result<&[Value], FnError> {
    arity(args, 1, 1)?;
    list_arg(args, 0)
}

fn map_arg(args: &[Value], i: usize) -> Result<&BTreeMap<String, Value>, FnError> {
    match args.get(i) {
        Some(Value::Map(m)) => Ok(m),
        Some(other) => Err(FnError::Argument(format!(
            "argument {} must be a map, not {}",
            i + 1,
            type_description(other)
        ))),
        None => Err(FnError::Argument(format!("argument {} is missing", i + 1))),
    }
}

/// Terraform unifies element types when it builds a list or set: mixing strings with numbers or
/// bools converts them all to strings (`tolist(["a", 1])` is `["a", "1"]`).
fn unify(items: Vec<Value>) -> Vec<Value> {
    let has_string = items.iter().any(|v| matches!(v, Value::String(_)));
    let has_other_primitive = items
        .iter()
        .any(|v| matches!(v, Value::Number(_) | Value::Bool(_)));
    if has_string && has_other_primitive {
        items
            .into_iter()
            .map(|v| to_string(&v).map(Value::String).unwrap_or(v))
            .collect()
    } else {
        items
    }
}

fn length(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let n = match &args[0] {
        Value::List(items) | Value::Set(items) => items.len(),
        Value::Map(map) => map.len(),
        Value::String(s) => s.chars().count(),
        other => {
            return Err(FnError::Argument(format!(
                "argument must be a string, a collection or a structural type, not {}",
                other.type_name()
            )));
        }
    };
    Ok(Value::Number(n as f64))
}

fn concat(args: &[Value]) -> FnResult {
    let mut out = Vec::new();
    for arg in args {
        match arg {
            Value::List(items) | Value::Set(items) => out.extend(items.iter().cloned()),
            other => {
                return Err(FnError::Argument(format!(
                    "Invalid value for \"seqs\" parameter: all arguments must be lists or tuples; got {}.",
                    other.type_name()
                )));
            }
        }
    }
    Ok(Value::List(out))
}

fn merge(args: &[Value]) -> FnResult {
    let mut out = BTreeMap::new();
    for (i, arg) in args.iter().enumerate() {
        match arg {
            Value::Null => {}
            Value::Map(map) => out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => {
                return Err(FnError::Argument(format!(
                    "arguments must be maps or objects, got {} at {}",
                    type_description(other),
                    i + 1
                )));
            }
        }
    }
    Ok(Value::Map(out))
}

fn lookup(args: &[Value]) -> FnResult {
    arity(args, 2, 3)?;
    let map = map_arg(args, 0)?;
    if let Some(u) = args[1].as_unknown() {
        return Ok(derived(u));
    }
    let key = string_arg(args, 1)?;
    match (map.get(&key), args.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(FnError::Argument(format!(
            "Invalid value for \"inputMap\" parameter: the given object has no attribute {key:?}."
        ))),
    }
}

fn element(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let items = list_arg(args, 0)?;
    if items.is_empty() {
        return Err(FnError::Call(
            "cannot use element function with an empty list.".into(),
        ));
    }
    let index = int_arg(args, 1)?;
    if index < 0 {
        // Terraform 1.11 panics here ("index out of range"); privlink reports it as a failed call.
        return Err(FnError::Call(format!("index out of range [{index}]")));
    }
    let len = items.len();
    Ok(items[usize::try_from(index).unwrap_or(0) % len].clone())
}

fn zipmap(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let keys = list_arg(args, 0)?;
    let values = list_arg(args, 1)?;
    if keys.len() != values.len() {
        return Err(FnError::Call(format!(
            "number of keys ({}) does not match number of values ({}).",
            keys.len(),
            values.len()
        )));
    }
    if let Some(u) = unknown_inside(keys) {
        return Ok(u);
    }
    keys.iter()
        .zip(values)
        .map(|(k, v)| Ok((to_string(k).map_err(FnError::Argument)?, v.clone())))
        .collect::<Result<_, _>>()
        .map(Value::Map)
}

fn tomap(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let map = map_arg(args, 0)?;
    let values = unify(map.values().cloned().collect());
    Ok(Value::Map(map.keys().cloned().zip(values).collect()))
}

fn flatten_into(items: &[Value], out: &mut Vec<Value>) {
    for item in items {
        match item {
            Value::List(inner) | Value::Set(inner) => flatten_into(inner, out),
            other => out.push(other.clone()),
        }
    }
}

fn distinct(args: &[Value]) -> FnResult {
    // Unknown elements are kept (an element that is exactly the same reference only once), so the
    // result still names every resource it holds; Terraform itself knows only that it is a list.
    let items = one_list(args)?;
    let mut out: Vec<Value> = Vec::new();
    for item in unify(items.to_vec()) {
        if !out.iter().any(|o| equals(o, &item)) {
            out.push(item);
        }
    }
    Ok(Value::List(out))
}

fn slice(args: &[Value]) -> FnResult {
    arity(args, 3, 3)?;
    let items = list_arg(args, 0)?;
    let start = int_arg(args, 1)?;
    let end = int_arg(args, 2)?;
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    if start < 0 {
        return Err(FnError::Argument(
            "Invalid value for \"start_index\" parameter: start index must not be less than zero."
                .into(),
        ));
    }
    if end > len {
        return Err(FnError::Argument("Invalid value for \"end_index\" parameter: end index must not be greater than the length of the list.".into()));
    }
    if start > end {
        return Err(FnError::Argument(
            "Invalid function argument: the start index cannot be greater than the end index."
                .into(),
        ));
    }
    Ok(Value::List(
        items[usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0)].to_vec(),
    ))
}

fn range(args: &[Value]) -> FnResult {
    arity(args, 1, 3)?;
    let (start, limit, step) = match args.len() {
        1 => (0.0, number_arg(args, 0)?, 1.0),
        2 => {
            let (s, l) = (number_arg(args, 0)?, number_arg(args, 1)?);
            (s, l, if l < s { -1.0 } else { 1.0 })
        }
        _ => (
            number_arg(args, 0)?,
            number_arg(args, 1)?,
            number_arg(args, 2)?,
        ),
    };
    if step == 0.0 {
        return Err(FnError::Argument("step must not be zero".into()));
    }
    let mut out = Vec::new();
    let mut n = start;
    while (step > 0.0 && n < limit) || (step < 0.0 && n > limit) {
        if out.len() >= 1024 {
            return Err(FnError::Call("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step".into()));
        }
        out.push(Value::Number(n));
        n += step;
    }
    Ok(Value::List(out))
}

fn contains(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let items = list_arg(args, 0)?;
    if items.iter().any(|i| equals(i, &args[1])) {
        return Ok(Value::Bool(true));
    }
    Ok(unknown_inside(items.iter().chain([&args[1]])).unwrap_or(Value::Bool(false)))
}

fn coalesce(args: &[Value]) -> FnResult {
    let unify_to_string = args.iter().any(|v| matches!(v, Value::String(_)));
    for arg in args {
        match arg {
            Value::Unknown(u) => return Ok(derived(u)),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            other if unify_to_string => {
                return to_string(other)
                    .map(Value::String)
                    .map_err(FnError::Argument);
            }
            other => return Ok(other.clone()),
        }
    }
    Err(FnError::Call(
        "no non-null, non-empty-string arguments".into(),
    ))
}

fn coalescelist(args: &[Value]) -> FnResult {
    for (i, arg) in args.iter().enumerate() {
        match arg {
            Value::List(items) | Value::Set(items) if !items.is_empty() => return Ok(arg.clone()),
            Value::List(_) | Value::Set(_) => {}
            other => {
                return Err(FnError::Argument(format!(
                    "argument {} must be a list, not {}",
                    i + 1,
                    type_description(other)
                )));
            }
        }
    }
    Err(FnError::Call("no non-empty lists".into()))
}

fn compact(args: &[Value]) -> FnResult {
    // Unknown elements are kept as elements (see `distinct`).
    let items = one_list(args)?;
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| match v {
            Value::Unknown(_) => Err(v.clone()),
            known => Ok(known),
        })
        .map(|v| match v {
            Ok(known) => to_string(known)
                .map(Value::String)
                .map_err(FnError::Argument),
            Err(unknown) => Ok(unknown),
        })
        .filter(|s| !matches!(s, Ok(Value::String(s)) if s.is_empty()))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

fn one(args: &[Value]) -> FnResult {
    match one_list(args)? {
        [] => Ok(Value::Null),
        [single] => Ok(single.clone()),
        _ => Err(FnError::Argument(
            "Invalid value for \"list\" parameter: must be a list, set, or tuple value with either zero or one elements.".into(),
        )),
    }
}

fn sort(args: &[Value]) -> FnResult {
    let items = one_list(args)?;
    // sort() is defined on lists of strings: numbers are converted, and compared as strings.
    // Unknown elements are kept, after the known ones (their place is not known).
    let mut strings = items
        .iter()
        .filter(|v| !matches!(v, Value::Unknown(_)))
        .map(|v| to_string(v).map_err(FnError::Argument))
        .collect::<Result<Vec<_>, _>>()?;
    strings.sort();
    Ok(Value::List(
        strings
            .into_iter()
            .map(Value::String)
            .chain(
                items
                    .iter()
                    .filter(|v| matches!(v, Value::Unknown(_)))
                    .cloned(),
            )
            .collect(),
    ))
}

fn index(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let items = list_arg(args, 0)?;
    if let Some(u) = unknown_inside(items.iter().chain([&args[1]])) {
        return Ok(u);
    }
    items
        .iter()
        .position(|i| equals(i, &args[1]))
        .map(|p| Value::Number(p as f64))
        .ok_or_else(|| FnError::Call("item not found.".into()))
}

fn matchkeys(args: &[Value]) -> FnResult {
    arity(args, 3, 3)?;
    let values = list_arg(args, 0)?;
    let keys = list_arg(args, 1)?;
    let search = list_arg(args, 2)?;
    if values.len() != keys.len() {
        return Err(FnError::Argument(
            "Invalid value for \"keys\" parameter: length of keys and values should be equal."
                .into(),
        ));
    }
    if let Some(u) = unknown_inside(keys.iter().chain(search)) {
        return Ok(u);
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| equals(s, k)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

fn chunklist(args: &[Value]) -> FnResult {
    arity(args, 2, 2)?;
    let items = list_arg(args, 0)?;
    let size = int_arg(args, 1)?;
    if size < 0 {
        return Err(FnError::Argument(
            "the size argument must be positive".into(),
        ));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    Ok(Value::List(
        items
            .chunks(usize::try_from(size).unwrap_or(1))
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

fn sets(args: &[Value], combine: impl Fn(&mut Vec<Value>, &[Value])) -> FnResult {
    arity(args, 1, usize::MAX)?;
    let mut acc = list_arg(args, 0)?.to_vec();
    for i in 1..args.len() {
        combine(&mut acc, list_arg(args, i)?);
    }
    Ok(make_set(unify(acc)))
}

fn setproduct(args: &[Value]) -> FnResult {
    arity(args, 2, usize::MAX)?;
    let mut size = 1usize;
    for i in 0..args.len() {
        size = size.saturating_mul(list_arg(args, i)?.len());
    }
    if size > 100_000 {
        return Err(FnError::Call(format!(
            "the product has {size} elements; privlink evaluates at most 100000"
        )));
    }
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    for i in 0..args.len() {
        let items = list_arg(args, i)?;
        product = product
            .into_iter()
            .flat_map(|prefix| {
                items.iter().map(move |item| {
                    let mut next = prefix.clone();
                    next.push(item.clone());
                    next
                })
            })
            .collect();
    }
    Ok(Value::List(product.into_iter().map(Value::List).collect()))
}

fn transpose(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, values) in map_arg(args, 0)? {
        let (Value::List(values) | Value::Set(values)) = values else {
            return Err(FnError::Argument(
                "transpose needs a map of lists of strings".into(),
            ));
        };
        for value in values {
            out.entry(to_string(value).map_err(FnError::Argument)?)
                .or_default()
                .push(Value::string(key.clone()));
        }
    }
    Ok(Value::Map(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

fn bools(args: &[Value], all: bool) -> FnResult {
    let items = one_list(args)?;
    let mut unknown = None;
    for item in items {
        match item {
            Value::Unknown(u) => unknown = unknown.or(Some(derived(u))),
            other => {
                let b = to_bool(other).map_err(FnError::Argument)?;
                if b != all {
                    return Ok(Value::Bool(!all));
                }
            }
        }
    }
    Ok(unknown.unwrap_or(Value::Bool(all)))
}

fn formatlist(args: &[Value]) -> FnResult {
    arity(args, 1, usize::MAX)?;
    let mut length = None;
    for (i, arg) in args.iter().enumerate().skip(1) {
        if let Some(items) = arg.as_list() {
            match length {
                Some((n, first)) if n != items.len() => {
                    return Err(FnError::Argument(format!(
                        "Invalid value for \"args\" parameter: argument {i} has length {}, which is inconsistent with argument {first} of length {n}.",
                        items.len()
                    )));
                }
                Some(_) => {}
                None => length = Some((items.len(), i)),
            }
        }
    }
    let Some((length, _)) = length else {
        return super::strings::call("format", args)
            .unwrap_or(Err(FnError::UnknownFunction))
            .map(|v| Value::List(vec![v]));
    };
    let mut out = Vec::with_capacity(length);
    for i in 0..length {
        let row: Vec<Value> = std::iter::once(args[0].clone())
            .chain(args[1..].iter().map(|a| match a {
                Value::List(items) | Value::Set(items) => {
                    items.get(i).cloned().unwrap_or(Value::Null)
                }
                other => other.clone(),
            }))
            .collect();
        if let Some(u) = row.iter().find_map(first_unknown) {
            out.push(derived(u));
            continue;
        }
        out.push(super::strings::call("format", &row).unwrap_or(Err(FnError::UnknownFunction))?);
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::terraform::value::Value;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn collection_functions_match_terraform_console() {
        assert_eq!(
            f("flatten", &[v("[[1, [2, []]], 3, [[[4]]]]")]).unwrap(),
            v("[1, 2, 3, 4]")
        );
        assert_eq!(
            f("concat", &[v("[1]"), v("[2, 3]")]).unwrap(),
            v("[1, 2, 3]")
        );
        assert!(
            fails("concat", &[v("[\"a\"]"), s("b")])
                .contains("all arguments must be lists or tuples")
        );
        assert_eq!(
            f("merge", &[v("{a = 1}"), v("{b = 2}"), v("{a = 3}")]).unwrap(),
            v("{a = 3, b = 2}")
        );
        assert_eq!(
            f("merge", &[v("{a = {x = 1}}"), v("{a = {y = 2}}")]).unwrap(),
            v("{a = {y = 2}}")
        );
        assert_eq!(
            f("lookup", &[v("{a = 1}"), s("b"), s("d")]).unwrap(),
            s("d")
        );
        assert_eq!(f("lookup", &[v("{a = \"x\"}"), s("a")]).unwrap(), s("x"));
        assert_eq!(
            f("element", &[v("[\"a\", \"b\", \"c\"]"), v("4")]).unwrap(),
            s("b")
        );
        assert!(fails("element", &[v("[]"), v("0")]).contains("empty list"));
        assert!(f("element", &[v("[\"a\"]"), v("-1")]).is_err());
        assert_eq!(f("length", &[s("héllo")]).unwrap(), v("5"));
        assert_eq!(
            f("keys", &[v("{b = 1, a = 2}")]).unwrap(),
            v("[\"a\", \"b\"]")
        );
        assert_eq!(f("values", &[v("{b = 1, a = 2}")]).unwrap(), v("[2, 1]"));
        assert_eq!(
            f("zipmap", &[v("[\"a\", \"b\"]"), v("[1, 2]")]).unwrap(),
            v("{a = 1, b = 2}")
        );
        assert_eq!(
            f("toset", &[v("[\"b\", \"a\", \"b\"]")]).unwrap(),
            Value::Set(vec![s("a"), s("b")])
        );
        assert_eq!(
            f("length", &[f("toset", &[v("[\"a\", \"a\"]")]).unwrap()]).unwrap(),
            v("1")
        );
        assert_eq!(
            f("tolist", &[v("[\"a\", 1]")]).unwrap(),
            v("[\"a\", \"1\"]")
        );
        assert_eq!(
            f("tomap", &[v("{a = 1, b = \"x\"}")]).unwrap(),
            v("{a = \"1\", b = \"x\"}")
        );
        assert_eq!(
            f("distinct", &[v("[1, 2, 1, \"1\"]")]).unwrap(),
            v("[\"1\", \"2\"]")
        );
        assert_eq!(
            f("slice", &[v("[1, 2, 3, 4]"), v("1"), v("3")]).unwrap(),
            v("[2, 3]")
        );
        assert_eq!(f("range", &[v("3")]).unwrap(), v("[0, 1, 2]"));
        assert_eq!(
            f("range", &[v("1"), v("10"), v("3")]).unwrap(),
            v("[1, 4, 7]")
        );
        assert_eq!(
            f("range", &[v("5"), v("0"), v("-2")]).unwrap(),
            v("[5, 3, 1]")
        );
        assert_eq!(f("range", &[v("0.5"), v("2")]).unwrap(), v("[0.5, 1.5]"));
        assert_eq!(f("contains", &[v("[\"a\"]"), s("a")]).unwrap(), v("true"));
        assert_eq!(f("coalesce", &[s(""), s("b")]).unwrap(), s("b"));
        assert_eq!(
            f("coalesce", &[Value::Null, s(""), s("c")]).unwrap(),
            s("c")
        );
        assert_eq!(f("coalesce", &[v("1"), s("a")]).unwrap(), s("1"));
        assert_eq!(f("coalescelist", &[v("[]"), v("[1]")]).unwrap(), v("[1]"));
        assert_eq!(
            f("compact", &[v("[\"a\", \"\", null, \"b\"]")]).unwrap(),
            v("[\"a\", \"b\"]")
        );
        assert_eq!(f("one", &[v("[]")]).unwrap(), Value::Null);
        assert_eq!(f("one", &[v("[\"a\"]")]).unwrap(), s("a"));
        assert_eq!(
            f("sort", &[v("[\"b\", \"a\", \"10\", \"9\"]")]).unwrap(),
            v("[\"10\", \"9\", \"a\", \"b\"]")
        );
        assert_eq!(f("sort", &[v("[3, 1]")]).unwrap(), v("[\"1\", \"3\"]"));
        assert_eq!(f("reverse", &[v("[1, 2, 3]")]).unwrap(), v("[3, 2, 1]"));
        assert_eq!(f("index", &[v("[\"a\", \"b\"]"), s("b")]).unwrap(), v("1"));
        assert_eq!(fails("index", &[v("[\"a\"]"), s("z")]), "item not found.");
        assert_eq!(
            f("chunklist", &[v("[1, 2, 3, 4, 5]"), v("2")]).unwrap(),
            v("[[1, 2], [3, 4], [5]]")
        );
        assert_eq!(
            f("setunion", &[v("[\"a\", \"b\"]"), v("[\"c\", \"a\"]")]).unwrap(),
            Value::Set(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            f(
                "setintersection",
                &[v("[\"a\", \"b\"]"), v("[\"b\", \"c\"]")]
            )
            .unwrap(),
            Value::Set(vec![s("b")])
        );
        assert_eq!(
            f("setsubtract", &[v("[\"a\", \"b\"]"), v("[\"b\"]")]).unwrap(),
            Value::Set(vec![s("a")])
        );
        assert_eq!(
            f("setproduct", &[v("[\"a\", \"b\"]"), v("[\"x\", \"y\"]")]).unwrap(),
            v("[[\"a\", \"x\"], [\"a\", \"y\"], [\"b\", \"x\"], [\"b\", \"y\"]]")
        );
        assert_eq!(
            f(
                "transpose",
                &[v("{a = [\"1\", \"2\"], b = [\"2\", \"3\"]}")]
            )
            .unwrap(),
            v("{\"1\" = [\"a\"], \"2\" = [\"a\", \"b\"], \"3\" = [\"b\"]}")
        );
        assert_eq!(f("alltrue", &[v("[true, \"true\"]")]).unwrap(), v("true"));
        assert_eq!(f("anytrue", &[v("[]")]).unwrap(), v("false"));
        assert_eq!(
            f("formatlist", &[s("%s-%s"), v("[\"a\", \"b\"]"), s("x")]).unwrap(),
            v("[\"a-x\", \"b-x\"]")
        );
        assert_eq!(f("formatlist", &[s("%s"), v("[]")]).unwrap(), v("[]"));
        assert_eq!(f("sensitive", &[s("x")]).unwrap(), s("x"));
        let thousand = Value::List((0..1000).map(|i| Value::Number(f64::from(i))).collect());
        assert!(
            f(
                "setproduct",
                &[thousand.clone(), thousand.clone(), thousand]
            )
            .is_err()
        );
        assert_eq!(f("nonsensitive", &[s("x")]).unwrap(), s("x"));
    }

    #[test]
    fn unknown_elements_are_kept_where_terraform_keeps_them() {
        let a = unknown_ref("aws_subnet.a", "id");
        let list = Value::List(vec![a.clone(), s("b")]);
        assert_eq!(f("length", std::slice::from_ref(&list)).unwrap(), v("2"));
        assert_eq!(
            f("concat", &[list.clone(), v("[\"c\"]")])
                .unwrap()
                .as_list()
                .unwrap()[0],
            a
        );
        assert_eq!(
            f("flatten", &[Value::List(vec![list.clone()])])
                .unwrap()
                .as_list()
                .unwrap()[0],
            a
        );
        assert_eq!(
            f("toset", std::slice::from_ref(&list)).unwrap(),
            Value::Set(vec![s("b"), a.clone()])
        );
        assert_eq!(f("element", &[list.clone(), v("0")]).unwrap(), a);
        assert_eq!(
            f(
                "distinct",
                &[Value::List(vec![a.clone(), s("b"), a.clone()])]
            )
            .unwrap(),
            Value::List(vec![a.clone(), s("b")])
        );
        assert_eq!(f("coalesce", &[s("x"), a.clone()]).unwrap(), s("x"));
        assert!(
            f("coalesce", &[a.clone(), s("x")])
                .unwrap()
                .as_unknown()
                .is_some()
        );
        assert!(
            f("length", std::slice::from_ref(&a))
                .unwrap()
                .as_unknown()
                .is_some()
        );
        // sort, distinct and compact keep the references they hold (known elements first for sort).
        assert_eq!(
            f("sort", std::slice::from_ref(&list)).unwrap(),
            Value::List(vec![s("b"), a.clone()])
        );
        let twice = Value::List(vec![a.clone(), s(""), a.clone(), Value::Null]);
        assert_eq!(
            f("distinct", std::slice::from_ref(&twice)).unwrap(),
            Value::List(vec![a.clone(), s(""), Value::Null])
        );
        assert_eq!(
            f("compact", std::slice::from_ref(&twice)).unwrap(),
            Value::List(vec![a.clone(), a.clone()])
        );
        assert_eq!(
            f(
                "lookup",
                &[Value::Map([("k".to_owned(), a.clone())].into()), s("k")]
            )
            .unwrap(),
            a
        );
        assert!(
            f("contains", &[list, s("z")])
                .unwrap()
                .as_unknown()
                .is_some()
        );
    }

    #[test]
    fn collection_errors_match_terraform_console() {
        assert_eq!(
            fails("lookup", &[v("{a = 1}"), s("b")]),
            "Invalid value for \"inputMap\" parameter: the given object has no attribute \"b\"."
        );
        assert_eq!(
            fails("one", &[v("[\"a\", \"b\"]")]),
            "Invalid value for \"list\" parameter: must be a list, set, or tuple value with either zero or one elements."
        );
        assert_eq!(
            fails("slice", &[v("[1, 2]"), v("1"), v("5")]),
            "Invalid value for \"end_index\" parameter: end index must not be greater than the length of the list."
        );
        assert_eq!(
            fails(
                "formatlist",
                &[s("%s-%s"), v("[\"a\"]"), v("[\"x\", \"y\"]")]
            ),
            "Invalid value for \"args\" parameter: argument 2 has length 2, which is inconsistent with argument 1 of length 1."
        );
        assert_eq!(
            fails("zipmap", &[v("[\"a\"]"), v("[1, 2]")]),
            "number of keys (1) does not match number of values (2)."
        );
        assert_eq!(f("range", &[v("0")]).unwrap(), v("[]"));
        assert_eq!(
            f("range", &[v("10"), v("1")]).unwrap(),
            v("[10, 9, 8, 7, 6, 5, 4, 3, 2]")
        );
        assert_eq!(
            f("chunklist", &[v("[1, 2, 3]"), v("0")]).unwrap(),
            v("[[1, 2, 3]]")
        );
        assert_eq!(f("flatten", &[v("[[], [[]]]")]).unwrap(), v("[]"));
        assert_eq!(f("transpose", &[v("{a = []}")]).unwrap(), v("{}"));
        assert_eq!(
            f("setintersection", &[v("[]"), v("[\"a\"]")]).unwrap(),
            Value::Set(vec![])
        );
        assert_eq!(f("keys", &[v("{}")]).unwrap(), v("[]"));
    }
}
