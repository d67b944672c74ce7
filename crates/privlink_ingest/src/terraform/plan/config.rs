//! A plan's `configuration`: which resource block an instance comes from, and what the references
//! of its expressions point at.
//!
//! Terraform records, for each expression, the references it contains (flattened: `[a.id, b.id]`
//! and `concat([a.id], [b.id])` list the same ones) but not the expression itself. privlink uses
//! them only where the answer does not depend on the lost structure:
//!
//! * every reference is to a resource instance (or a `count`/`for_each` instance of one), possibly
//!   through module outputs and module input variables, which are followed;
//! * `count.index` / `each.key` next to a reference to a counted resource select the instance with
//!   the same key as the one being read (`aws_subnet.a[count.index].id`);
//! * a reference to a counted resource without a key (a splat or `for` over it) stands for all of
//!   its instances in the plan.
//!
//! Anything else (locals, `each.value`, functions of variables) is not recorded in plan JSON, and
//! the value stays unknown with the reason.

use std::collections::HashMap;

use indexmap::IndexMap;
use privlink_model::{Known, looks_like_region};
use serde_json::{Map, Value as Json};

use super::address::{
    InstanceAddress, ModuleStep, Step, attribute_path, module_path_string, parse_steps, resource_in,
};
use super::format::{ConfigJson, ConfigModuleJson, ConfigResourceJson, VariableJson};
use crate::terraform::resource::InstanceKey;
use crate::terraform::value::Reference;

/// How deep module outputs and variables are followed; real configurations stay far below it.
const MAX_DEPTH: usize = 32;

/// Where an expression is evaluated: a module instance, and the `count`/`for_each` key that
/// `count.index` / `each.key` stand for there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) module: Vec<ModuleStep>,
    pub(crate) key: Option<InstanceKey>,
}

/// What one reference of an expression resolved to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    /// One attribute of one resource instance.
    One(Reference),
    /// Every instance of a counted resource (a splat or `for` over it), each by its `id`.
    All(Vec<Reference>),
}

/// The configuration of a plan, with the instances the plan has.
#[derive(Debug)]
pub(crate) struct Configuration<'a> {
    config: Option<&'a ConfigJson>,
    variables: &'a IndexMap<String, VariableJson>,
    /// Resource address (without key) → the instance keys present in the plan.
    instances: HashMap<String, Vec<Option<InstanceKey>>>,
    /// Instance address → its unknown markers (`after_unknown`), for instances the plan changes.
    unknowns: HashMap<String, &'a Json>,
}

impl<'a> Configuration<'a> {
    /// `instances`: every resource instance of the plan.
    pub(crate) fn new(
        config: Option<&'a ConfigJson>,
        variables: &'a IndexMap<String, VariableJson>,
        instances: &[InstanceAddress],
    ) -> Self {
        let mut by_resource: HashMap<String, Vec<Option<InstanceKey>>> = HashMap::new();
        for i in instances {
            let keys = by_resource.entry(i.resource()).or_default();
            if !keys.contains(&i.key) {
                keys.push(i.key.clone());
            }
        }
        Self {
            config,
            variables,
            instances: by_resource,
            unknowns: HashMap::new(),
        }
    }

    /// Records the unknown markers of the instances (`after_unknown`, by instance address), so
    /// [`Self::known_at_plan`] can tell which resource attributes the plan knows.
    pub(crate) fn with_unknowns(
        mut self,
        markers: impl IntoIterator<Item = (String, &'a Json)>,
    ) -> Self {
        self.unknowns.extend(markers);
        self
    }

    fn module(&self, path: &[ModuleStep]) -> Option<&'a ConfigModuleJson> {
        let mut module = &self.config?.root_module;
        for (name, _) in path {
            module = &module.module_calls.get(name)?.module;
        }
        Some(module)
    }

    /// The resource block an instance comes from.
    pub(crate) fn resource(&self, address: &InstanceAddress) -> Option<&'a ConfigResourceJson> {
        let data = if address.data { "data." } else { "" };
        let (resource_type, name) = (address.resource_type.as_str(), address.name.as_str());
        // Compared in parts: this runs for every instance of large plans.
        self.module(&address.module)?.resources.iter().find(|r| {
            r.address
                .strip_prefix(data)
                .and_then(|rest| rest.strip_prefix(resource_type))
                .and_then(|rest| rest.strip_prefix('.'))
                == Some(name)
        })
    }

    /// The expressions of a resource block (empty when the plan has no configuration for it).
    pub(crate) fn expressions(&self, address: &InstanceAddress) -> Option<&'a Map<String, Json>> {
        self.resource(address).map(|r| &r.expressions)
    }

    /// The region of the provider configuration a resource uses, when the configuration says.
    pub(crate) fn provider_region(&self, address: &InstanceAddress) -> Option<Known<String>> {
        let config = self.config?;
        let key = self
            .resource(address)
            .and_then(|r| r.provider_config_key.as_deref())
            .unwrap_or("aws");
        // Terraform 0.12 wrote module providers as `module:name`; later versions key by config address.
        let provider = config
            .provider_config
            .get(key)
            .or_else(|| {
                key.rsplit_once(':')
                    .and_then(|(_, k)| config.provider_config.get(k))
            })
            .or_else(|| {
                config
                    .provider_config
                    .values()
                    .find(|p| p.name == "aws" && p.alias.is_none() && p.module_address.is_none())
            })?;
        let region = provider.expressions.get("region")?;
        if let Some(Json::String(r)) = region.get("constant_value") {
            return Some(Known::Value(r.clone()));
        }
        let refs = references(region)?;
        let in_root = provider.module_address.as_deref().is_none_or(str::is_empty);
        match refs.as_slice() {
            [only] if in_root && only.starts_with("var.") => {
                match self.variables.get(&only["var.".len()..]).map(|v| &v.value) {
                    Some(Json::String(r)) if looks_like_region(r) => Some(Known::Value(r.clone())),
                    _ => Some(Known::unknown(format!(
                        "the AWS provider's region is {only}, which has no region value in the plan"
                    ))),
                }
            }
            _ => Some(Known::unknown(format!(
                "the AWS provider's region depends on {}",
                refs.join(", ")
            ))),
        }
    }

    /// Resolves the references of one expression. `Err` says why they cannot be used.
    pub(crate) fn resolve(
        &self,
        expression: &Json,
        scope: &Scope,
    ) -> Result<Vec<Resolved>, String> {
        let refs = references(expression).ok_or("the expression has no references")?;
        let mut out = Vec::new();
        self.resolve_into(&refs, scope, 0, &mut out)?;
        Ok(out)
    }

    fn resolve_into(
        &self,
        refs: &[String],
        scope: &Scope,
        depth: usize,
        out: &mut Vec<Resolved>,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("its references nest through too many modules".to_owned());
        }
        let selector = refs.iter().any(|r| r == "count.index" || r == "each.key");
        for text in outermost(refs) {
            let steps = parse_steps(text)
                .ok_or_else(|| format!("privlink cannot read the reference `{text}`"))?;
            let Some(Step::Name(first)) = steps.first() else {
                return Err(format!("privlink cannot read the reference `{text}`"));
            };
            match first.as_str() {
                "count" | "each" if text == "count.index" || text == "each.key" => {}
                "var" => self.follow_variable(&steps, text, scope, depth, out)?,
                "module" => self.follow_output(&steps, text, scope, depth, out)?,
                "local" | "each" | "count" | "path" | "terraform" | "self" => {
                    return Err(format!(
                        "it depends on {text}, which plan JSON does not record"
                    ));
                }
                _ => out.push(self.resource_reference(&steps, text, scope, selector)?),
            }
        }
        Ok(())
    }

    /// `var.NAME` inside a module: the argument of the module call, in the caller's scope.
    fn follow_variable(
        &self,
        steps: &[Step],
        text: &str,
        scope: &Scope,
        depth: usize,
        out: &mut Vec<Resolved>,
    ) -> Result<(), String> {
        let [_, Step::Name(name)] = steps else {
            return Err(format!("it depends on part of {text}"));
        };
        let Some(((call, key), parent)) = scope.module.split_last() else {
            // Root variables are known in a plan: an unknown value mixing one with references has a
            // structure plan JSON does not record.
            return Err(format!(
                "it depends on {text} as well as on values known only after apply"
            ));
        };
        let argument = self
            .module(parent)
            .and_then(|m| m.module_calls.get(call))
            .and_then(|c| c.expressions.get(name))
            .ok_or_else(|| {
                format!("it depends on {text}, whose module argument is not in the plan")
            })?;
        let refs = references(argument).ok_or_else(|| {
            format!("it depends on {text} as well as on values known only after apply")
        })?;
        let caller = Scope {
            module: parent.to_vec(),
            key: key.clone(),
        };
        self.resolve_into(&refs, &caller, depth + 1, out)
    }

    /// `module.NAME[key].OUTPUT`: the output's expression, inside that module instance.
    fn follow_output(
        &self,
        steps: &[Step],
        text: &str,
        scope: &Scope,
        depth: usize,
        out: &mut Vec<Resolved>,
    ) -> Result<(), String> {
        let (call, key, output) = match steps {
            [_, Step::Name(call), Step::Name(output)] => (call, None, output),
            [_, Step::Name(call), Step::Index(key), Step::Name(output)] => {
                (call, Some(key.clone()), output)
            }
            _ => return Err(format!("it depends on part of {text}")),
        };
        let mut module = scope.module.clone();
        module.push((call.clone(), key.clone()));
        if key.is_none() && self.module_has_keys(&scope.module, call) {
            return Err(format!(
                "it depends on {text}, and module.{call} has several instances"
            ));
        }
        let expression = self
            .module(&module)
            .and_then(|m| m.outputs.get(output))
            .map(|o| &o.expression)
            .ok_or_else(|| {
                format!("it depends on {text}, an output not in the plan's configuration")
            })?;
        let refs = references(expression).ok_or_else(|| {
            format!("it depends on {text} as well as on values known only after apply")
        })?;
        self.resolve_into(&refs, &Scope { module, key: None }, depth + 1, out)
    }

    /// Whether an expression's value is known while planning: a constant, or only references whose
    /// values the plan knows (root variables, module arguments and outputs made of such values,
    /// resource attributes the plan knows, `count.index`, `each.key`, and `each.value` when the
    /// `for_each` expression `each` is known). Never known: locals (plan JSON does not record
    /// them), `self`, and an expression with neither a constant nor references (a call such as
    /// `timestamp()`). `module`: the module instance the expression is written in.
    pub(crate) fn known_at_plan(
        &self,
        expression: &Json,
        module: &[ModuleStep],
        each: Option<&Json>,
    ) -> bool {
        self.known(expression, module, each, 0)
    }

    fn known(
        &self,
        expression: &Json,
        module: &[ModuleStep],
        each: Option<&Json>,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        if expression.get("constant_value").is_some() {
            return true;
        }
        let Some(refs) = references(expression) else {
            return false;
        };
        outermost(&refs)
            .into_iter()
            .all(|text| self.known_reference(text, module, each, depth))
    }

    fn known_reference(
        &self,
        text: &str,
        module: &[ModuleStep],
        each: Option<&Json>,
        depth: usize,
    ) -> bool {
        let Some(steps) = parse_steps(text) else {
            return false;
        };
        let Some(Step::Name(first)) = steps.first() else {
            return false;
        };
        match (first.as_str(), steps.get(1)) {
            ("count" | "path" | "terraform", _) => true,
            ("each", Some(Step::Name(n))) if n == "key" => true,
            ("each", Some(Step::Name(n))) if n == "value" => {
                each.is_some_and(|e| self.known(e, module, None, depth + 1))
            }
            ("var", Some(Step::Name(name))) => {
                let Some(((call, _), parent)) = module.split_last() else {
                    // A root variable: the plan has its value.
                    return true;
                };
                let Some(call) = self.module(parent).and_then(|m| m.module_calls.get(call)) else {
                    return false;
                };
                // Not passed: the variable's default, a constant.
                call.expressions.get(name).is_none_or(|argument| {
                    self.known(
                        argument,
                        parent,
                        call.for_each_expression.as_ref(),
                        depth + 1,
                    )
                })
            }
            ("module", _) => {
                let (call, key, output) = match steps.as_slice() {
                    [_, Step::Name(call), Step::Name(output), ..] => (call, None, output),
                    [
                        _,
                        Step::Name(call),
                        Step::Index(key),
                        Step::Name(output),
                        ..,
                    ] => (call, Some(key.clone()), output),
                    _ => return false,
                };
                if key.is_none() && self.module_has_keys(module, call) {
                    return false;
                }
                let mut child = module.to_vec();
                child.push((call.clone(), key));
                self.module(&child)
                    .and_then(|m| m.outputs.get(output))
                    .is_some_and(|o| self.known(&o.expression, &child, None, depth + 1))
            }
            ("local" | "self" | "each" | "var", _) => false,
            _ => {
                let Some((address, rest)) = resource_in(&steps, module.to_vec()) else {
                    return false;
                };
                let keys: Vec<Option<InstanceKey>> = match &address.key {
                    Some(key) => vec![Some(key.clone())],
                    // No instance in the plan (counted to zero): an empty value, known.
                    None => self
                        .instances
                        .get(&address.resource())
                        .cloned()
                        .unwrap_or_default(),
                };
                keys.into_iter().all(|key| {
                    let instance = InstanceAddress {
                        key,
                        ..address.clone()
                    }
                    .instance();
                    // An instance the plan does not list is not known to be known.
                    self.unknowns
                        .get(&instance)
                        .is_some_and(|markers| !unknown_at(markers, rest))
                })
            }
        }
    }

    fn module_has_keys(&self, parent: &[ModuleStep], call: &str) -> bool {
        let prefix = module_path_string(parent);
        let keyed = if prefix.is_empty() {
            format!("module.{call}[")
        } else {
            format!("{prefix}.module.{call}[")
        };
        self.instances.keys().any(|r| r.starts_with(&keyed))
    }

    /// A reference to a resource or data source in the scope's module.
    fn resource_reference(
        &self,
        steps: &[Step],
        text: &str,
        scope: &Scope,
        selector: bool,
    ) -> Result<Resolved, String> {
        let (address, rest) = resource_in(steps, scope.module.clone())
            .ok_or_else(|| format!("privlink cannot read the reference `{text}`"))?;
        let attribute = if rest.is_empty() {
            "id".to_owned()
        } else {
            attribute_path(rest)
        };
        if address.key.is_some() {
            return Ok(Resolved::One(Reference::new(address.instance(), attribute)));
        }
        let keys = self
            .instances
            .get(&address.resource())
            .map(Vec::as_slice)
            .unwrap_or_default();
        match keys {
            [None] => Ok(Resolved::One(Reference::new(address.instance(), attribute))),
            _ if selector => {
                let key = scope.key.clone().ok_or_else(|| {
                    format!(
                        "it selects an instance of {} by a key privlink does not know",
                        address.resource()
                    )
                })?;
                if !keys.contains(&Some(key.clone())) {
                    return Err(format!(
                        "{} has no instance {key} in the plan",
                        address.resource()
                    ));
                }
                let one = InstanceAddress {
                    key: Some(key),
                    ..address
                };
                Ok(Resolved::One(Reference::new(one.instance(), "id")))
            }
            _ if !rest.is_empty() => Err(format!(
                "it depends on {text}, but that resource has several instances"
            )),
            _ => Ok(Resolved::All(
                keys.iter()
                    .map(|k| {
                        Reference::new(
                            InstanceAddress {
                                key: k.clone(),
                                ..address.clone()
                            }
                            .instance(),
                            "id",
                        )
                    })
                    .collect(),
            )),
        }
    }
}

/// Whether the unknown markers say anything at `path` (or the value holding it) is unknown.
fn unknown_at(markers: &Json, path: &[Step]) -> bool {
    let mut at = markers;
    for step in path {
        if at == &Json::Bool(true) {
            return true;
        }
        let next = match step {
            Step::Name(name) => at.get(name),
            Step::Index(InstanceKey::Index(i)) => usize::try_from(*i).ok().and_then(|i| at.get(i)),
            Step::Index(InstanceKey::Key(key)) => at.get(key),
        };
        let Some(next) = next else {
            return false;
        };
        at = next;
    }
    any_true(at)
}

fn any_true(markers: &Json) -> bool {
    match markers {
        Json::Bool(b) => *b,
        Json::Array(items) => items.iter().any(any_true),
        Json::Object(fields) => fields.values().any(any_true),
        _ => false,
    }
}

/// The `references` of an expression, when it has some.
pub(crate) fn references(expression: &Json) -> Option<Vec<String>> {
    let refs: Vec<String> = expression
        .get("references")?
        .as_array()?
        .iter()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    (!refs.is_empty()).then_some(refs)
}

/// The references as written: Terraform also lists every shorter prefix of each one
/// (`aws_subnet.a[0].id`, `aws_subnet.a[0]`, `aws_subnet.a`), which are not references of their
/// own.
fn outermost(refs: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in refs {
        let is_prefix = refs.iter().any(|other| {
            other.len() > r.len()
                && other.starts_with(r.as_str())
                && matches!(other.as_bytes()[r.len()], b'.' | b'[')
        });
        if !is_prefix && !out.contains(&r.as_str()) {
            out.push(r);
        }
    }
    out
}

/// Whether a configuration JSON object is one expression (as opposed to a nested block's
/// attributes).
pub(crate) fn is_expression(value: &Json) -> bool {
    value.as_object().is_some_and(|o| {
        o.is_empty() || o.contains_key("constant_value") || o.contains_key("references")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::plan::format::ConfigJson;
    use serde_json::json;

    fn config() -> ConfigJson {
        serde_json::from_value(json!({
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}},
            "root_module": {
                "resources": [
                    {"address": "aws_vpc_endpoint.logs", "expressions": {
                        "subnet_ids": {"references": ["module.net.subnet_ids", "module.net"]},
                        "vpc_id": {"references": ["module.net.vpc_id", "module.net"]},
                        "security_group_ids": {"references": ["aws_security_group.ep.id", "aws_security_group.ep", "local.extra"]}
                    }}
                ],
                "module_calls": {"net": {
                    "expressions": {"cidr": {"constant_value": "10.0.0.0/16"}},
                    "module": {
                        "outputs": {
                            "vpc_id": {"expression": {"references": ["aws_vpc.this.id", "aws_vpc.this"]}},
                            "subnet_ids": {"expression": {"references": ["aws_subnet.private"]}}
                        },
                        "resources": [{"address": "aws_route_table_association.private", "expressions": {
                            "subnet_id": {"references": ["aws_subnet.private", "count.index"]},
                            "route_table_id": {"references": ["aws_route_table.private[0].id", "aws_route_table.private[0]", "aws_route_table.private"]}
                        }}]
                    }
                }}
            }
        }))
        .unwrap()
    }

    fn instances() -> Vec<InstanceAddress> {
        [
            "module.net.aws_vpc.this",
            "module.net.aws_subnet.private[0]",
            "module.net.aws_subnet.private[1]",
            "aws_security_group.ep",
        ]
        .iter()
        .map(|a| InstanceAddress::parse(a).unwrap())
        .collect()
    }

    #[test]
    fn follows_module_outputs_and_expands_counted_resources() {
        let config = config();
        let variables = IndexMap::from([(
            "region".to_owned(),
            VariableJson {
                value: json!("eu-west-1"),
            },
        )]);
        let c = Configuration::new(Some(&config), &variables, &instances());
        let endpoint = InstanceAddress::parse("aws_vpc_endpoint.logs").unwrap();
        let exprs = c.expressions(&endpoint).unwrap();
        let root = Scope {
            module: Vec::new(),
            key: None,
        };
        assert_eq!(
            c.resolve(&exprs["vpc_id"], &root).unwrap(),
            vec![Resolved::One(Reference::new(
                "module.net.aws_vpc.this",
                "id"
            ))]
        );
        assert_eq!(
            c.resolve(&exprs["subnet_ids"], &root).unwrap(),
            vec![Resolved::All(vec![
                Reference::new("module.net.aws_subnet.private[0]", "id"),
                Reference::new("module.net.aws_subnet.private[1]", "id"),
            ])]
        );
        let err = c.resolve(&exprs["security_group_ids"], &root).unwrap_err();
        assert!(err.contains("local.extra"), "{err}");
        assert_eq!(
            c.provider_region(&endpoint),
            Some(Known::Value("eu-west-1".to_owned()))
        );
    }

    #[test]
    fn count_index_selects_the_same_instance() {
        let config = config();
        let variables = IndexMap::new();
        let c = Configuration::new(Some(&config), &variables, &instances());
        let assoc =
            InstanceAddress::parse("module.net.aws_route_table_association.private[1]").unwrap();
        let exprs = c.expressions(&assoc).unwrap();
        let scope = Scope {
            module: assoc.module.clone(),
            key: assoc.key.clone(),
        };
        assert_eq!(
            c.resolve(&exprs["subnet_id"], &scope).unwrap(),
            vec![Resolved::One(Reference::new(
                "module.net.aws_subnet.private[1]",
                "id"
            ))]
        );
        assert_eq!(
            c.resolve(&exprs["route_table_id"], &scope).unwrap(),
            vec![Resolved::One(Reference::new(
                "module.net.aws_route_table.private[0]",
                "id"
            ))]
        );
        let missing = Scope {
            module: assoc.module.clone(),
            key: Some(InstanceKey::Index(7)),
        };
        assert!(
            c.resolve(&exprs["subnet_id"], &missing)
                .unwrap_err()
                .contains("no instance [7]")
        );
    }

    #[test]
    fn module_variables_resolve_in_the_caller() {
        let config: ConfigJson = serde_json::from_value(json!({"root_module": {
            "resources": [{"address": "aws_vpc.main", "expressions": {}}],
            "module_calls": {"ep": {
                "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}, "cidr": {"constant_value": "x"}},
                "module": {"resources": [{"address": "aws_security_group.this", "expressions": {
                    "vpc_id": {"references": ["var.vpc_id"]},
                    "name": {"references": ["var.cidr"]}
                }}]}
            }}
        }}))
        .unwrap();
        let variables = IndexMap::new();
        let instances = [InstanceAddress::parse("aws_vpc.main").unwrap()];
        let c = Configuration::new(Some(&config), &variables, &instances);
        let sg = InstanceAddress::parse("module.ep.aws_security_group.this").unwrap();
        let exprs = c.expressions(&sg).unwrap();
        let scope = Scope {
            module: sg.module.clone(),
            key: None,
        };
        assert_eq!(
            c.resolve(&exprs["vpc_id"], &scope).unwrap(),
            vec![Resolved::One(Reference::new("aws_vpc.main", "id"))]
        );
        assert!(c.resolve(&exprs["name"], &scope).is_err());
    }

    #[test]
    fn outermost_drops_prefixes() {
        let refs: Vec<String> = [
            "aws_subnet.a[0].id",
            "aws_subnet.a[0]",
            "aws_subnet.a",
            "aws_subnet.ab.id",
            "aws_subnet.ab",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            outermost(&refs),
            vec!["aws_subnet.a[0].id", "aws_subnet.ab.id"]
        );
    }
}
