//! Numeric functions and the `tonumber`/`tobool` conversions.

use super::{FnError, FnResult, arity, list_arg, number_arg};
use crate::terraform::config::values::{to_bool, to_number};
use crate::terraform::value::Value;

pub(super) fn call(name: &str, args: &[Value]) -> Option<FnResult> {
    Some(match name {
        "tonumber" => tonumber(args),
        "tobool" => tobool(args),
        "min" => fold(args, f64::min),
        "max" => fold(args, f64::max),
        "abs" => unary(args, f64::abs),
        "ceil" => unary(args, f64::ceil),
        "floor" => unary(args, f64::floor),
        "sum" => sum(args),
        _ => return None,
    })
}

fn tonumber(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::String(s) if s.trim().parse::<f64>().is_err() || s.starts_with("0x") => {
            Err(FnError::Argument(format!(
                "Invalid value for \"v\" parameter: cannot convert {s:?} to number; given string must be a decimal representation of a number."
            )))
        }
        v => to_number(v).map(Value::Number).map_err(FnError::Argument),
    }
}

fn tobool(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    match &args[0] {
        Value::Null => Ok(Value::Null),
        v => to_bool(v).map(Value::Bool).map_err(FnError::Argument),
    }
}

fn unary(args: &[Value], f: fn(f64) -> f64) -> FnResult {
    arity(args, 1, 1)?;
    Ok(Value::Number(f(number_arg(args, 0)?)))
}

fn fold(args: &[Value], f: fn(f64, f64) -> f64) -> FnResult {
    if args.is_empty() {
        return Err(FnError::Call("must pass at least one number.".into()));
    }
    let mut acc = number_arg(args, 0)?;
    for i in 1..args.len() {
        acc = f(acc, number_arg(args, i)?);
    }
    Ok(Value::Number(acc))
}

fn sum(args: &[Value]) -> FnResult {
    arity(args, 1, 1)?;
    let items = list_arg(args, 0)?;
    if items.is_empty() {
        return Err(FnError::Argument(
            "Invalid value for \"list\" parameter: cannot sum an empty list.".into(),
        ));
    }
    items
        .iter()
        .map(|v| to_number(v).map_err(FnError::Argument))
        .sum::<Result<f64, _>>()
        .map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::terraform::value::Value;

    #[test]
    fn numeric_functions_match_terraform_console() {
        assert_eq!(f("min", &[v("3"), v("1.5"), v("2")]).unwrap(), v("1.5"));
        assert_eq!(f("max", &[v("3"), Value::string("4")]).unwrap(), v("4"));
        assert_eq!(f("abs", &[v("-2.5")]).unwrap(), v("2.5"));
        assert_eq!(f("ceil", &[v("1.2")]).unwrap(), v("2"));
        assert_eq!(f("floor", &[v("-1.2")]).unwrap(), v("-2"));
        assert_eq!(f("sum", &[v("[1, 2.5]")]).unwrap(), v("3.5"));
        assert_eq!(f("tonumber", &[Value::string("1e3")]).unwrap(), v("1000"));
        assert!(fails("tonumber", &[Value::string("0x10")]).contains("decimal representation"));
        assert!(f("tonumber", &[Value::string("inf")]).is_err());
        assert!(f("abs", &[Value::string("NaN")]).is_err());
        assert_eq!(f("tobool", &[Value::string("true")]).unwrap(), v("true"));
        assert_eq!(f("tobool", &[Value::Null]).unwrap(), Value::Null);
        assert_eq!(
            fails("sum", &[v("[]")]),
            "Invalid value for \"list\" parameter: cannot sum an empty list."
        );
        assert_eq!(fails("min", &[]), "must pass at least one number.");
    }
}
