//! Terraform's built-in functions, with Terraform's semantics (checked against `terraform console`
//! 1.11; the tests quote its answers).
//!
//! Unknown arguments: by default a function whose arguments contain an unknown returns an unknown
//! derived from it. The functions listed in [`keeps_unknown_elements`] answer anyway where
//! Terraform can (`length` of a list of unknowns, `concat` keeping unknown elements, `jsonencode`
//! keeping what it was given, ...). `try` and `can` need their arguments unevaluated and live in the
//! evaluator.

mod collections;
mod encoding;
mod files;
mod network;
mod numeric;
mod strings;

use std::path::Path;

pub(crate) use files::read as read_file;

use super::values::unknown_inside;
use crate::terraform::value::Value;

/// What a failed call means.
#[derive(Debug, PartialEq)]
pub(crate) enum FnError {
    /// Terraform would fail the call: "Call to function "x" failed: ...".
    Call(String),
    /// A wrong argument (Terraform's "Invalid function argument").
    Argument(String),
    /// The inputs cannot be read (`file()` of a missing file): an input error.
    Input { message: String, help: String },
    /// No such function.
    UnknownFunction,
}

/// What functions may read: `file()` and friends resolve relative paths against the root module
/// directory, which is Terraform's working directory.
#[derive(Debug)]
pub(crate) struct FnContext<'a> {
    pub(crate) cwd: &'a Path,
}

pub(crate) type FnResult = Result<Value, FnError>;

/// Functions Terraform has that privlink does not evaluate: they give an unknown value with this
/// reason, not an "unknown function" error (the configuration is valid).
const NOT_EVALUATED: &[&str] = &[
    "bcrypt",
    "filebase64sha256",
    "filebase64sha512",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "base64sha256",
    "base64sha512",
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "uuid",
    "uuidv5",
    "timestamp",
    "timeadd",
    "timecmp",
    "formatdate",
    "plantimestamp",
    "rsadecrypt",
    "yamldecode",
    "yamlencode",
    "textdecodebase64",
    "textencodebase64",
    "base64gzip",
    "urlencode",
    "parseint",
    "log",
    "pow",
    "signum",
    "issensitive",
    "ephemeralasnull",
    "templatestring",
    "csvdecode",
    "filebase64",
    "fileset",
    "pathexpand",
    "type",
];

/// Why the result of a Terraform function privlink does not evaluate is unknown; `None` for the
/// functions it evaluates (and for names that are not functions).
pub(crate) fn not_evaluated(name: &str) -> Option<String> {
    if name.contains("::") {
        // Provider-defined functions are valid Terraform but not evaluated here.
        return Some(format!(
            "privlink does not evaluate the provider function {name}()"
        ));
    }
    NOT_EVALUATED
        .contains(&name)
        .then(|| format!("privlink does not evaluate the Terraform function {name}()"))
}

/// The Terraform functions privlink evaluates.
pub fn evaluated_functions() -> &'static [&'static str] {
    EVALUATED
}

/// The Terraform functions privlink knows but does not evaluate: their result is an unknown and
/// each call is reported as an unresolved input naming the function.
pub fn not_evaluated_functions() -> &'static [&'static str] {
    NOT_EVALUATED
}

/// Functions that answer from arguments containing unknowns themselves.
fn keeps_unknown_elements(name: &str) -> bool {
    matches!(
        name,
        "length"
            | "concat"
            | "flatten"
            | "toset"
            | "tolist"
            | "tuple"
            | "element"
            | "coalesce"
            | "coalescelist"
            | "jsonencode"
            | "merge"
            | "keys"
            | "values"
            | "lookup"
            | "slice"
            | "reverse"
            | "one"
            | "tomap"
            | "zipmap"
            | "compact"
            | "setunion"
            | "sensitive"
            | "nonsensitive"
            | "distinct"
            | "sort"
            | "contains"
            | "chunklist"
            | "formatlist"
    )
}

/// Calls a function by name.
pub(crate) fn call(name: &str, args: &[Value], ctx: &FnContext<'_>) -> FnResult {
    if !keeps_unknown_elements(name)
        && is_function(name)
        && let Some(unknown) = unknown_inside(args)
    {
        return Ok(unknown);
    }
    if let Some(reason) = not_evaluated(name) {
        return Ok(Value::unknown(reason));
    }
    strings::call(name, args)
        .or_else(|| collections::call(name, args))
        .or_else(|| numeric::call(name, args))
        .or_else(|| network::call(name, args))
        .or_else(|| encoding::call(name, args))
        .or_else(|| files::call(name, args, ctx))
        .unwrap_or(Err(FnError::UnknownFunction))
}

/// The functions privlink evaluates (with `try`, `can` and `templatefile`, run by the evaluator).
const EVALUATED: &[&str] = &[
    "try",
    "can",
    "format",
    "formatlist",
    "join",
    "split",
    "lower",
    "upper",
    "title",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "substr",
    "startswith",
    "endswith",
    "strcontains",
    "replace",
    "regex",
    "regexall",
    "tostring",
    "concat",
    "merge",
    "lookup",
    "element",
    "length",
    "keys",
    "values",
    "zipmap",
    "toset",
    "tolist",
    "tomap",
    "flatten",
    "distinct",
    "slice",
    "range",
    "contains",
    "coalesce",
    "coalescelist",
    "compact",
    "one",
    "sort",
    "reverse",
    "index",
    "matchkeys",
    "chunklist",
    "setunion",
    "setintersection",
    "setproduct",
    "setsubtract",
    "transpose",
    "alltrue",
    "anytrue",
    "sensitive",
    "nonsensitive",
    "tonumber",
    "tobool",
    "min",
    "max",
    "abs",
    "ceil",
    "floor",
    "sum",
    "cidrsubnet",
    "cidrsubnets",
    "cidrhost",
    "cidrnetmask",
    "jsonencode",
    "jsondecode",
    "base64encode",
    "base64decode",
    "file",
    "fileexists",
    "templatefile",
    "abspath",
    "basename",
    "dirname",
    "chomp",
    "indent",
    "strrev",
];

/// Whether Terraform knows a function of this name.
pub(crate) fn is_function(name: &str) -> bool {
    EVALUATED.contains(&name) || NOT_EVALUATED.contains(&name)
}

/// Checks the argument count.
pub(crate) fn arity(args: &[Value], min: usize, max: usize) -> Result<(), FnError> {
    if args.len() < min {
        Err(FnError::Argument(format!(
            "Not enough function arguments: at least {min} required"
        )))
    } else if args.len() > max {
        Err(FnError::Argument(format!(
            "Too many function arguments: at most {max} allowed"
        )))
    } else {
        Ok(())
    }
}

/// A string argument.
pub(crate) fn string_arg(args: &[Value], i: usize) -> Result<String, FnError> {
    args.get(i)
        .ok_or_else(|| FnError::Argument(format!("argument {} is missing", i + 1)))
        .and_then(|v| super::values::to_string(v).map_err(FnError::Argument))
}

/// A number argument.
pub(crate) fn number_arg(args: &[Value], i: usize) -> Result<f64, FnError> {
    args.get(i)
        .ok_or_else(|| FnError::Argument(format!("argument {} is missing", i + 1)))
        .and_then(|v| super::values::to_number(v).map_err(FnError::Argument))
}

/// An integer argument.
pub(crate) fn int_arg(args: &[Value], i: usize) -> Result<i64, FnError> {
    let n = number_arg(args, i)?;
    if n.fract() != 0.0 {
        return Err(FnError::Argument(format!(
            "argument {} must be a whole number",
            i + 1
        )));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok(n as i64)
}

/// A list, tuple or set argument.
pub(crate) fn list_arg(args: &[Value], i: usize) -> Result<&[Value], FnError> {
    match args.get(i) {
        Some(Value::List(items) | Value::Set(items)) => Ok(items),
        Some(other) => Err(FnError::Argument(format!(
            "argument {} must be a list, not {}",
            i + 1,
            super::values::type_description(other)
        ))),
        None => Err(FnError::Argument(format!("argument {} is missing", i + 1))),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::terraform::config::hcl::parse_expression;
    use crate::terraform::config::source::pos;

    /// Builds a value from HCL literal syntax (`["a", 1, {b = true}]`).
    pub(crate) fn v(text: &str) -> Value {
        fn lit(e: &crate::terraform::config::syntax::Expr) -> Value {
            use crate::terraform::config::syntax::ExprKind;
            match &e.kind {
                ExprKind::Null => Value::Null,
                ExprKind::Bool(b) => Value::Bool(*b),
                ExprKind::Number(n) => Value::Number(*n),
                ExprKind::String(s) => Value::string(s.clone()),
                ExprKind::Tuple(items) => Value::List(items.iter().map(lit).collect()),
                ExprKind::Object(entries) => Value::Map(
                    entries
                        .iter()
                        .map(|(k, v)| match (&k.kind, lit(v)) {
                            (ExprKind::String(k) | ExprKind::Variable(k), v) => (k.clone(), v),
                            _ => panic!("bad key"),
                        })
                        .collect(),
                ),
                ExprKind::Unary(crate::terraform::config::syntax::UnaryOp::Neg, inner) => {
                    match lit(inner) {
                        Value::Number(n) => Value::Number(-n),
                        _ => panic!("bad literal"),
                    }
                }
                other => panic!("not a literal: {other:?}"),
            }
        }
        lit(&parse_expression(text, pos(0, 0)).unwrap())
    }

    /// Calls a function with literal arguments.
    pub(crate) fn f(name: &str, args: &[Value]) -> FnResult {
        call(
            name,
            args,
            &FnContext {
                cwd: Path::new("."),
            },
        )
    }

    /// A failed call's message.
    pub(crate) fn fails(name: &str, args: &[Value]) -> String {
        match f(name, args) {
            Err(FnError::Call(m) | FnError::Argument(m)) => m,
            other => panic!("{name} should fail, got {other:?}"),
        }
    }

    /// An unknown that is a reference.
    pub(crate) fn unknown_ref(address: &str, attribute: &str) -> Value {
        use crate::terraform::value::{Reference, UnknownValue};
        Value::Unknown(UnknownValue::reference(
            Reference::new(address, attribute),
            "known only after apply",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn unknown_arguments_give_unknown_results() {
        let u = unknown_ref("aws_vpc.main", "cidr_block");
        let r = f("cidrsubnet", &[u.clone(), v("8"), v("1")]).unwrap();
        let reason = &r.as_unknown().unwrap().reason;
        assert!(reason.contains("aws_vpc.main.cidr_block"), "{reason}");
        assert!(r.as_unknown().unwrap().reference.is_none());
        assert!(matches!(f("upper", &[u]).unwrap(), Value::Unknown(_)));
    }

    #[test]
    fn every_function_answers_unknown_arguments_without_guessing() {
        let u = unknown_ref("aws_vpc.main", "id");
        for name in EVALUATED
            .iter()
            .filter(|n| !matches!(**n, "try" | "can" | "templatefile"))
        {
            for count in 1..=3 {
                let args = vec![u.clone(); count];
                match f(name, &args) {
                    Ok(value) => assert!(value.contains_unknown(), "{name}/{count} gave {value}"),
                    Err(FnError::Argument(_)) => {}
                    other => panic!("{name}/{count}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn unknown_function_and_not_evaluated_functions() {
        assert_eq!(f("nosuch", &[]), Err(FnError::UnknownFunction));
        assert!(matches!(f("uuid", &[]).unwrap(), Value::Unknown(_)));
        assert!(matches!(
            f("provider::aws::arn_parse", &[v("\"x\"")]).unwrap(),
            Value::Unknown(_)
        ));
    }
}
