//! A plan (or state) and the Terraform directory it was made from, linked by address.
//!
//! The plan is the authority for what exists and for every value it knows. The directory adds what
//! plan JSON does not carry: where each resource block and attribute is written, and, for values
//! the plan leaves unknown without a usable reference (a `jsonencode` of container definitions
//! holding an ARN, a list built in a local), the evaluator's value when that value is itself not
//! fully known, so it only adds structure and references and never contradicts the plan.

use std::collections::HashMap;

use crate::terraform::config::schema::block_schema;
use crate::terraform::resource::{ResourceMode, TfResource};
use crate::terraform::value::Value;

/// Gives each resource of `resources` the locations (and the richer unknowns) of the resource with
/// the same address in `configuration`. Returns how many resources were linked.
pub(crate) fn attach(resources: &mut [TfResource], configuration: &[TfResource]) -> usize {
    let by_address: HashMap<&str, &TfResource> = configuration
        .iter()
        .map(|r| (r.address.as_str(), r))
        .collect();
    let mut linked = 0;
    for r in resources.iter_mut() {
        let Some(source) = by_address.get(r.address.as_str()).copied() else {
            continue;
        };
        linked += 1;
        r.location.clone_from(&source.location);
        if !r.region.is_known() && source.region.is_known() {
            r.region = source.region.clone();
        }
        for (name, value) in &mut r.attributes {
            if has_bare_unknown(value)
                && let Some(richer) = source.attributes.get(name).filter(|v| v.contains_unknown())
            {
                value.clone_from(richer);
            }
        }
        let computed = provider_computed(r, source);
        r.attributes.retain(|name, _| !computed.contains(name));
        r.attribute_locations = source
            .attribute_locations
            .iter()
            .filter_map(|(path, location)| Some((remap(r, source, path)?, location.clone())))
            .collect();
    }
    linked
}

/// The attributes the plan leaves wholly unknown without saying why, which the configuration sets
/// to `null` (or does not write) and the provider may compute: the unknown is the provider's, and
/// the attribute is left out as the HCL front-end leaves it out (an endpoint's `policy` written as
/// `try(each.value.policy, null)`).
fn provider_computed(plan: &TfResource, source: &TfResource) -> Vec<String> {
    let mode = match plan.mode {
        ResourceMode::Data => "data",
        ResourceMode::Managed => "managed",
    };
    let Some(schema) = block_schema(mode, &plan.resource_type) else {
        return Vec::new();
    };
    plan.attributes
        .iter()
        .filter(|(name, value)| {
            value
                .as_unknown()
                .is_some_and(|u| u.reference.is_none() && u.encoded.is_none())
                && !source.attributes.contains_key(*name)
                && schema.attributes.get(*name).is_some_and(|a| a.computed)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether anything in the value is unknown without a reference or an encoded value, i.e. the
/// plan could not say what it is.
fn has_bare_unknown(value: &Value) -> bool {
    match value {
        Value::Unknown(u) => u.reference.is_none() && u.encoded.is_none(),
        Value::List(items) | Value::Set(items) => items.iter().any(has_bare_unknown),
        Value::Map(fields) => fields.values().any(has_bare_unknown),
        _ => false,
    }
}

/// The path in the plan of an attribute path of the configuration. A block index
/// (`ingress.2.cidr_blocks`) is mapped to the plan's element that agrees with that block on what
/// the configuration knows of it: set elements come in another order in a plan. `None` when no
/// single element agrees (the location then falls back to the attribute or the resource).
fn remap(plan: &TfResource, source: &TfResource, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    let Some(at) = parts
        .iter()
        .skip(1)
        .position(|p| p.parse::<usize>().is_ok())
        .map(|i| i + 1)
    else {
        return Some(path.to_owned());
    };
    let list = parts[..at].join(".");
    let written = source.get(&format!("{list}.{}", parts[at]))?;
    let elements = plan.get(&list)?.as_list()?;
    let mut matching = elements
        .iter()
        .enumerate()
        .filter(|(_, e)| agrees(e, written))
        .map(|(i, _)| i);
    let index = matching.next()?;
    if matching.next().is_some() {
        return None;
    }
    let mut mapped = vec![list, index.to_string()];
    mapped.extend(parts[at + 1..].iter().map(|p| (*p).to_owned()));
    Some(mapped.join("."))
}

/// Whether the plan's value agrees with what the configuration knows of it: fields not written
/// (null) and values the configuration cannot know agree with anything; a reference agrees with the
/// same reference.
fn agrees(plan: &Value, source: &Value) -> bool {
    match (plan, source) {
        (_, Value::Null) => true,
        (_, Value::Unknown(s)) => match &s.reference {
            Some(r) => plan
                .as_unknown()
                .is_some_and(|p| p.reference.as_ref() == Some(r)),
            None => true,
        },
        (Value::Map(p), Value::Map(s)) => s
            .iter()
            .all(|(name, value)| agrees(p.get(name).unwrap_or(&Value::Null), value)),
        (Value::List(p) | Value::Set(p), Value::List(s) | Value::Set(s)) => {
            p.len() == s.len() && p.iter().zip(s).all(|(p, s)| agrees(p, s))
        }
        (Value::Null, Value::List(s) | Value::Set(s)) => s.is_empty(),
        (p, s) => match (p.as_f64(), s.as_f64()) {
            (Some(a), Some(b)) => a == b,
            _ => {
                p.as_str().is_some() && p.as_str() == s.as_str()
                    || p.as_bool().is_some() && p.as_bool() == s.as_bool()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use privlink_model::{Known, Location};

    use super::*;
    use crate::terraform::resource::ResourceMode;
    use crate::terraform::value::{Reference, UnknownValue};

    fn resource(
        address: &str,
        attributes: Vec<(&str, Value)>,
        locations: Vec<(&str, u32)>,
    ) -> TfResource {
        TfResource {
            address: address.to_owned(),
            mode: ResourceMode::Managed,
            resource_type: "aws_security_group".to_owned(),
            name: "app".to_owned(),
            module: String::new(),
            key: None,
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            location: (!locations.is_empty()).then(|| Location::new("main.tf", 1, 1)),
            attribute_locations: locations
                .into_iter()
                .map(|(k, l)| (k.to_owned(), Location::new("main.tf", l, 3)))
                .collect(),
            region: Known::unknown("x"),
        }
    }

    fn rule(port: f64, groups: Value) -> Value {
        Value::Map(BTreeMap::from([
            ("from_port".to_owned(), Value::Number(port)),
            ("security_groups".to_owned(), groups),
        ]))
    }

    #[test]
    fn locations_follow_blocks_and_bare_unknowns_take_the_configuration() {
        let bare = Value::Unknown(UnknownValue::derived("known only after apply"));
        let reference = Value::Unknown(UnknownValue::reference(
            Reference::new("aws_security_group.ep", "id"),
            "x",
        ));
        // The plan lists set elements in another order than they are written.
        let mut plan = vec![resource(
            "aws_security_group.app",
            vec![
                (
                    "ingress",
                    Value::List(vec![
                        rule(8443.0, Value::List(vec![])),
                        rule(443.0, Value::List(vec![])),
                    ]),
                ),
                ("egress", Value::List(vec![rule(443.0, bare.clone())])),
                ("name", bare.clone()),
            ],
            vec![],
        )];
        let hcl = resource(
            "aws_security_group.app",
            vec![
                (
                    "ingress",
                    Value::List(vec![
                        rule(443.0, Value::List(vec![])),
                        rule(8443.0, Value::List(vec![])),
                    ]),
                ),
                (
                    "egress",
                    Value::List(vec![rule(443.0, Value::List(vec![reference.clone()]))]),
                ),
                ("name", Value::string("app")),
            ],
            vec![
                ("ingress.0", 10),
                ("ingress.1", 20),
                ("ingress.1.from_port", 21),
                ("egress.0", 30),
                ("name", 5),
            ],
        );
        assert_eq!(attach(&mut plan, &[hcl]), 1);
        let r = &plan[0];
        assert_eq!(r.location, Some(Location::new("main.tf", 1, 1)));
        assert_eq!(r.location_of("name").unwrap().line, 5);
        // Port 443 is written first but planned second.
        assert_eq!(r.location_of("ingress.1").unwrap().line, 10);
        assert_eq!(r.location_of("ingress.0").unwrap().line, 20);
        assert_eq!(r.location_of("ingress.0.from_port").unwrap().line, 21);
        // The configuration's egress holds a reference where the plan had nothing: taken.
        assert_eq!(r.get("egress.0.security_groups.0"), Some(&reference));
        assert_eq!(r.location_of("egress.0").unwrap().line, 30);
        // A known configuration value never replaces what the plan leaves unknown.
        assert_eq!(r.get("name"), Some(&bare));
    }

    #[test]
    fn a_computed_attribute_the_configuration_leaves_null_is_left_out() {
        let bare = Value::Unknown(UnknownValue::derived("known only after apply"));
        let endpoint = |attributes| TfResource {
            resource_type: "aws_vpc_endpoint".to_owned(),
            ..resource("aws_vpc_endpoint.logs", attributes, vec![])
        };
        // `policy = try(each.value.policy, null)`: the provider computes it.
        let mut plan = vec![endpoint(vec![
            ("policy", bare.clone()),
            ("service_name", bare.clone()),
        ])];
        let hcl = endpoint(vec![(
            "service_name",
            Value::string("com.amazonaws.eu-west-1.logs"),
        )]);
        attach(&mut plan, &[hcl]);
        assert!(!plan[0].attributes.contains_key("policy"));
        // Written and known in the configuration but unknown in the plan: the plan's unknown stays.
        assert_eq!(plan[0].get("service_name"), Some(&bare));
    }
}
