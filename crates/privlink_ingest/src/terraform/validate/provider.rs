//! What Terraform and the provider check once a resource block has decoded: no value for an
//! attribute the provider computes, no `null` for a required argument, and the provider's own
//! validators on the values known before apply (arguments that take one of a fixed set of values).

use std::collections::BTreeMap;

use super::Problem;
use super::types::ValueType;
use super::validators::{OneOf, one_of};
use crate::terraform::config::schema::BlockSchema;
use crate::terraform::resource::{ResourceMode, TfResource};
use crate::terraform::value::Value;

/// The provider-side problems of one resource instance.
pub(super) fn check(resource: &TfResource, schema: &BlockSchema) -> Vec<Problem> {
    let mut checker = Checker {
        resource,
        data: resource.mode == ResourceMode::Data,
        problems: Vec::new(),
    };
    checker.body(schema, &resource.attributes, "", "", &[]);
    checker.problems
}

struct Checker<'r> {
    resource: &'r TfResource,
    data: bool,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// `prefix`: the path with block indices (`vpc_config.0.`); `plain`: without (`vpc_config.`).
    fn body(
        &mut self,
        schema: &BlockSchema,
        values: &BTreeMap<String, Value>,
        prefix: &str,
        plain: &str,
        indices: &[(&str, usize)],
    ) {
        // An argument written as `null` is omitted (it is not in `values`) but still has a location:
        // a required one is missing, as Terraform says.
        let null = Value::Null;
        let mut names: Vec<&String> = values.keys().collect();
        names.extend(schema.attributes.iter().filter_map(|(name, a)| {
            (a.required
                && !values.contains_key(name)
                && self
                    .resource
                    .attribute_locations
                    .contains_key(&format!("{prefix}{name}")))
            .then_some(name)
        }));
        names.sort();
        for name in names {
            let value = values.get(name).unwrap_or(&null);
            let path = format!("{prefix}{name}");
            if let Some(attribute) = schema.attributes.get(name) {
                let Some(location) = self.resource.attribute_locations.get(&path) else {
                    continue;
                };
                let unset = value.is_null();
                if attribute.computed && !attribute.optional && !attribute.required && !unset {
                    self.problems.push(Problem {
                        location: Some(location.clone()),
                        summary: "Value for unconfigurable attribute".to_owned(),
                        detail: format!("Can't configure a value for {path:?}: its value will be decided automatically based on the result of applying this configuration."),
                        help: format!("remove it: the provider sets {name} itself"),
                        ..Problem::default()
                    });
                }
                if attribute.required && unset {
                    self.problems.push(Problem {
                        location: Some(location.clone()),
                        summary: "Missing required argument".to_owned(),
                        detail: format!(
                            "The argument {name:?} is required, but no definition was found."
                        ),
                        help: format!("give {name} a value (null leaves it unset)"),
                        ..Problem::default()
                    });
                }
                if let Some(allowed) = one_of(
                    self.data,
                    &self.resource.resource_type,
                    &format!("{plain}{name}"),
                ) {
                    let set = matches!(attribute.value_type, Some(ValueType::Set(_)));
                    self.one_of(allowed, value, set, indices, location);
                }
            } else if let Some(nested) = schema.block_types.get(name) {
                for (i, block) in value.as_list().unwrap_or_default().iter().enumerate() {
                    if let Some(block) = block.as_map() {
                        let mut inner = indices.to_vec();
                        inner.push((name.as_str(), i));
                        self.body(
                            &nested.block,
                            block,
                            &format!("{path}.{i}."),
                            &format!("{plain}{name}."),
                            &inner,
                        );
                    }
                }
            }
        }
    }

    fn one_of(
        &mut self,
        allowed: &OneOf,
        value: &Value,
        set: bool,
        indices: &[(&str, usize)],
        location: &privlink_model::Location,
    ) {
        let mut rejected: Vec<(String, Option<usize>)> = Vec::new();
        if allowed.element {
            let Some(items) = value.as_list() else {
                return;
            };
            let mut texts: Vec<String> = items.iter().filter_map(text).collect();
            if set {
                // Terraform holds a set of strings in lexical order, and names elements by it.
                texts.sort();
                texts.dedup();
            }
            for (i, t) in texts.into_iter().enumerate() {
                if !allowed.accepts(&t) {
                    rejected.push((t, Some(i)));
                }
            }
        } else if let Some(t) = text(value)
            && !allowed.accepts(&t)
        {
            rejected.push((t, None));
        }
        for (value, element) in rejected {
            let close = allowed
                .one_of
                .iter()
                .find(|v| v.eq_ignore_ascii_case(&value));
            let help = match close {
                Some(v) => format!("write {v:?}: the provider compares the letter case too"),
                None => "use one of the values the provider accepts".to_owned(),
            };
            self.problems.push(Problem {
                location: Some(location.clone()),
                summary: allowed.message(&value, indices, element),
                detail: String::new(),
                help,
                ..Problem::default()
            });
        }
    }
}

/// A known primitive as the string Terraform converts it to.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}
