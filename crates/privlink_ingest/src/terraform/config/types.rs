//! Variable type constraints (`list(string)`, `object({a = optional(number, 1)})`, ...) and the
//! conversions Terraform applies to a variable's value.

use std::collections::BTreeMap;

use super::syntax::{Expr, ExprKind};
use super::values::{make_set, to_bool, to_number, to_string, type_description};
use crate::terraform::value::Value;

/// A type constraint.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attributes with, for `optional(...)` ones, whether optional and the default.
    Object(Vec<ObjectAttr>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ObjectAttr {
    name: String,
    ty: Type,
    optional: bool,
    default: Option<Value>,
}

impl Type {
    /// Whether `--var` values of this type are taken literally (Terraform parses them as HCL only
    /// for collection and structural types).
    pub(crate) fn is_literal_cli(&self) -> bool {
        matches!(self, Self::Any | Self::String | Self::Number | Self::Bool)
    }
}

/// Reads a type constraint expression; `eval_default` evaluates `optional()` defaults.
pub(crate) fn parse_type(
    expr: &Expr,
    eval_default: &dyn Fn(&Expr) -> Value,
) -> Result<Type, String> {
    match &expr.kind {
        ExprKind::Variable(name) => simple(name),
        // Terraform 0.11 quoted types.
        ExprKind::String(name) => simple(name),
        ExprKind::Call { name, args, .. } => {
            let arg = |i: usize| {
                args.get(i)
                    .ok_or_else(|| format!("{name}() needs a type argument"))
            };
            match name.as_str() {
                "list" => Ok(Type::List(Box::new(parse_type(arg(0)?, eval_default)?))),
                "set" => Ok(Type::Set(Box::new(parse_type(arg(0)?, eval_default)?))),
                "map" => Ok(Type::Map(Box::new(parse_type(arg(0)?, eval_default)?))),
                "tuple" => match &arg(0)?.kind {
                    ExprKind::Tuple(items) => Ok(Type::Tuple(
                        items
                            .iter()
                            .map(|i| parse_type(i, eval_default))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => Err("tuple() needs a list of types".into()),
                },
                "object" => match &arg(0)?.kind {
                    ExprKind::Object(entries) => {
                        let mut attrs = Vec::new();
                        for (key, value) in entries {
                            let name = match &key.kind {
                                ExprKind::String(s) | ExprKind::Variable(s) => s.clone(),
                                _ => {
                                    return Err(
                                        "object type attribute names must be identifiers".into()
                                    );
                                }
                            };
                            let (ty, optional, default) = match &value.kind {
                                ExprKind::Call { name, args, .. } if name == "optional" => {
                                    let ty = parse_type(
                                        args.first().ok_or("optional() needs a type")?,
                                        eval_default,
                                    )?;
                                    (ty, true, args.get(1).map(eval_default))
                                }
                                _ => (parse_type(value, eval_default)?, false, None),
                            };
                            attrs.push(ObjectAttr {
                                name,
                                ty,
                                optional,
                                default,
                            });
                        }
                        Ok(Type::Object(attrs))
                    }
                    _ => Err("object() needs an object of attribute types".into()),
                },
                other => Err(format!("{other}() is not a type constructor")),
            }
        }
        _ => Err("a type constraint is required here".into()),
    }
}

fn simple(name: &str) -> Result<Type, String> {
    match name {
        "any" => Ok(Type::Any),
        "string" => Ok(Type::String),
        "number" => Ok(Type::Number),
        "bool" => Ok(Type::Bool),
        // Bare collection keywords (and 0.11's quoted "list"/"map") mean "of any".
        "list" => Ok(Type::List(Box::new(Type::Any))),
        "map" => Ok(Type::Map(Box::new(Type::Any))),
        "set" => Ok(Type::Set(Box::new(Type::Any))),
        other => Err(format!("the keyword {other:?} is not a type")),
    }
}

/// Converts a value to a type as Terraform does for variables; unknown parts stay unknown.
pub(crate) fn convert(value: Value, ty: &Type) -> Result<Value, String> {
    if matches!(value, Value::Unknown(_) | Value::Null) || *ty == Type::Any {
        return Ok(value);
    }
    match ty {
        Type::Any => Ok(value),
        Type::String => to_string(&value).map(Value::String),
        Type::Number => to_number(&value).map(Value::Number),
        Type::Bool => to_bool(&value).map(Value::Bool),
        Type::List(element) => elements(value, "list")?
            .into_iter()
            .map(|v| convert(v, element))
            .collect::<Result<_, _>>()
            .map(Value::List),
        Type::Set(element) => Ok(make_set(
            elements(value, "set")?
                .into_iter()
                .map(|v| convert(v, element))
                .collect::<Result<_, _>>()?,
        )),
        Type::Tuple(types) => {
            let items = elements(value, "tuple")?;
            if items.len() != types.len() {
                return Err(format!("a tuple of {} elements is required", types.len()));
            }
            items
                .into_iter()
                .zip(types)
                .map(|(v, t)| convert(v, t))
                .collect::<Result<_, _>>()
                .map(Value::List)
        }
        Type::Map(element) => match value {
            Value::Map(map) => map
                .into_iter()
                .map(|(k, v)| Ok((k, convert(v, element)?)))
                .collect::<Result<_, String>>()
                .map(Value::Map),
            other => Err(format!(
                "a map is required, not {}",
                type_description(&other)
            )),
        },
        Type::Object(attrs) => match value {
            Value::Map(mut map) => {
                let mut out = BTreeMap::new();
                for attr in attrs {
                    let v = match map.remove(&attr.name) {
                        Some(Value::Null) | None if attr.optional => {
                            attr.default.clone().unwrap_or(Value::Null)
                        }
                        Some(v) => v,
                        None => return Err(format!("attribute {:?} is required", attr.name)),
                    };
                    let converted = convert(v, &attr.ty)
                        .map_err(|e| format!("attribute {:?}: {e}", attr.name))?;
                    out.insert(attr.name.clone(), converted);
                }
                Ok(Value::Map(out))
            }
            other => Err(format!(
                "an object is required, not {}",
                type_description(&other)
            )),
        },
    }
}

fn elements(value: Value, what: &str) -> Result<Vec<Value>, String> {
    match value {
        Value::List(items) | Value::Set(items) => Ok(items),
        other => Err(format!(
            "a {what} is required, not {}",
            type_description(&other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::config::hcl::parse_expression;
    use crate::terraform::config::source::pos;

    fn ty(text: &str) -> Type {
        let expr = parse_expression(text, pos(0, 0)).unwrap();
        parse_type(&expr, &|e| match &e.kind {
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::String(s) => Value::string(s.clone()),
            _ => Value::Null,
        })
        .unwrap()
    }

    #[test]
    fn converts_primitives_and_collections() {
        assert_eq!(
            convert(Value::Number(3.0), &ty("string")).unwrap(),
            Value::string("3")
        );
        assert_eq!(
            convert(Value::string("2"), &ty("number")).unwrap(),
            Value::Number(2.0)
        );
        assert!(convert(Value::string("x"), &ty("number")).is_err());
        let set = convert(
            Value::List(vec![
                Value::string("b"),
                Value::string("a"),
                Value::string("b"),
            ]),
            &ty("set(string)"),
        )
        .unwrap();
        assert_eq!(
            set,
            Value::Set(vec![Value::string("a"), Value::string("b")])
        );
    }

    #[test]
    fn object_optional_attributes_get_defaults() {
        let t = ty("object({name = string, size = optional(number, 2), tag = optional(string)})");
        let v = convert(
            Value::Map([("name".to_owned(), Value::string("x"))].into()),
            &t,
        )
        .unwrap();
        assert_eq!(v.get_path("size"), Some(&Value::Number(2.0)));
        assert_eq!(v.get_path("tag"), Some(&Value::Null));
        assert!(convert(Value::Map(BTreeMap::new()), &t).is_err());
        assert!(ty("list(string)") == Type::List(Box::new(Type::String)));
        assert!(!ty("map(any)").is_literal_cli());
    }
}
