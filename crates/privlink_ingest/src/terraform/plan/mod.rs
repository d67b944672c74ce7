//! Terraform plan JSON (`terraform show -json plan.out`) and state JSON (`terraform show -json`),
//! read into [`TfResource`]s for the shared lowering.
//!
//! ```text
//! plan.json ─► planned_values (every module level) ┐
//!              resource_changes (after, after_unknown, after_sensitive; deletions dropped)
//!              prior_state (data sources, deployed resources the plan does not list)
//!              configuration (references, provider regions) ┴─► values ─► TfResource per instance
//! state.json ─► values.root_module (every module level) ──────────────────► TfResource per instance
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`format`] | the JSON shapes and the format versions read (0.x, 1.x) |
//! | [`address`] | instance addresses and reference traversals |
//! | [`config`] | `configuration`: resource blocks, module outputs/variables, provider regions |
//! | [`values`] | one instance's attributes, with unknowns recovered from references or left unknown |
//! | [`companion`] | the Terraform directory of a plan: locations by address, richer unknowns |
//!
//! A plan is Terraform's own resolved answer (modules expanded, `count`/`for_each` applied), so the
//! instances it lists are the instances: resources counted to zero exist only in `configuration`
//! and are not read; instances being deleted are not read. Locations are not in plan JSON; they
//! come from the Terraform directory when one is given with the plan (`terraform::sources`).

mod address;
pub(crate) mod companion;
mod config;
mod format;
mod values;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use privlink_model::{Known, looks_like_region};
use serde_json::Value as Json;

use self::address::InstanceAddress;
use self::config::{Configuration, Scope};
use self::format::{ModuleJson, PlanJson, StateJson, check_version};
use self::values::InstanceReader;
use super::resource::{ResourceMode, TfResource};
use super::value::Value;
use crate::InputError;

/// The resource instances of a plan or state.
#[derive(Clone, Debug, Default)]
pub struct TerraformJson {
    /// Every instance that exists after apply (plan) or now (state), data sources included.
    pub resources: Vec<TfResource>,
    /// Problems that did not stop the file from loading (exit status 2, the rest is analysed).
    pub errors: Vec<InputError>,
}

/// Reads `terraform show -json` of a plan. `display` is the path as the user gave it.
pub fn read_plan(text: &str, display: &str) -> Result<TerraformJson, InputError> {
    let plan: PlanJson = serde_json::from_str(text)
        .map_err(|e| InputError::json(display, &e, "a Terraform plan"))?;
    check_version(&plan.format_version).map_err(|m| unsupported(display, m))?;
    if let Some(prior) = &plan.prior_state {
        check_version(&prior.format_version)
            .map_err(|m| unsupported(display, format!("prior_state: {m}")))?;
    }
    let mut out = TerraformJson::default();
    if plan.errored {
        out.errors.push(
            InputError::file(display, "Terraform reported errors while planning (`errored: true`): the plan is incomplete")
                .with_help("fix the errors `terraform plan` printed and write the plan again"),
        );
    }
    let entries = plan_entries(&plan, display, &mut out.errors);
    let addresses: Vec<InstanceAddress> = entries.values().map(|e| e.address.clone()).collect();
    let configuration =
        Configuration::new(plan.configuration.as_ref(), &plan.variables, &addresses)
            .with_unknowns(entries.values().map(|e| (e.address.instance(), e.unknown)));
    for entry in entries.values() {
        let reader = InstanceReader {
            config: &configuration,
            address: &entry.address,
            scope: Scope {
                module: entry.address.module.clone(),
                key: entry.address.key.clone(),
            },
        };
        let attributes =
            unset_empty_strings(reader.attributes(entry.after, entry.unknown, entry.shape));
        let region =
            own_region(&attributes).or_else(|| configuration.provider_region(&entry.address));
        out.resources
            .push(resource(&entry.address, attributes, region));
    }
    fill_regions(&mut out.resources);
    Ok(out)
}

/// Reads `terraform show -json` of a state.
pub fn read_state(text: &str, display: &str) -> Result<TerraformJson, InputError> {
    let state: StateJson = serde_json::from_str(text)
        .map_err(|e| InputError::json(display, &e, "a Terraform state"))?;
    check_version(&state.format_version).map_err(|m| unsupported(display, m))?;
    let mut out = TerraformJson::default();
    let mut found = Vec::new();
    if let Some(values) = &state.values {
        collect(&values.root_module, &mut found);
    }
    for r in found {
        if r.deposed_key.is_some() {
            continue;
        }
        let Some(address) = InstanceAddress::parse(&r.address) else {
            out.errors.push(bad_address(display, &r.address));
            continue;
        };
        let attributes = unset_empty_strings(known_attributes(&r.values));
        let region = own_region(&attributes);
        out.resources.push(resource(&address, attributes, region));
    }
    fill_regions(&mut out.resources);
    Ok(out)
}

/// One instance to read: its planned value with unknown markers and shape.
struct Entry<'p> {
    address: InstanceAddress,
    after: &'p Json,
    unknown: &'p Json,
    shape: &'p Json,
}

const NULL: Json = Json::Null;

/// The instances that exist after apply: `planned_values` at every module level, then changes
/// `planned_values` does not show (old formats leave some out), then `prior_state` objects the plan
/// keeps (data sources read while planning, deployed resources). Deletions are dropped.
fn plan_entries<'p>(
    plan: &'p PlanJson,
    display: &str,
    errors: &mut Vec<InputError>,
) -> IndexMap<String, Entry<'p>> {
    let changes: HashMap<&str, &format::ChangeJson> = plan
        .resource_changes
        .iter()
        .filter(|c| c.deposed.is_none())
        .map(|c| (c.address.as_str(), &c.change))
        .collect();
    let removed = |address: &str| changes.get(address).is_some_and(|c| c.removes());
    let mut entries: IndexMap<String, Entry<'p>> = IndexMap::new();
    let mut planned = Vec::new();
    if let Some(values) = &plan.planned_values {
        collect(&values.root_module, &mut planned);
    }
    let mut prior = Vec::new();
    if let Some(values) = plan.prior_state.as_ref().and_then(|s| s.values.as_ref()) {
        collect(&values.root_module, &mut prior);
    }
    let mut push = |address: &str, after: &'p Json, unknown: &'p Json, shape: &'p Json| {
        if entries.contains_key(address) || removed(address) {
            return;
        }
        match InstanceAddress::parse(address) {
            Some(parsed) => {
                entries.insert(
                    address.to_owned(),
                    Entry {
                        address: parsed,
                        after,
                        unknown,
                        shape,
                    },
                );
            }
            None => errors.push(bad_address(display, address)),
        }
    };
    for r in planned.iter().filter(|r| r.deposed_key.is_none()) {
        match changes.get(r.address.as_str()) {
            Some(c) => push(&r.address, &c.after, &c.after_unknown, &c.after_sensitive),
            None => push(
                &r.address,
                &r.values,
                &NULL,
                r.sensitive_values.as_ref().unwrap_or(&NULL),
            ),
        }
    }
    for c in plan
        .resource_changes
        .iter()
        .filter(|c| c.deposed.is_none() && c.change.after.is_object())
    {
        push(
            &c.address,
            &c.change.after,
            &c.change.after_unknown,
            &c.change.after_sensitive,
        );
    }
    for r in prior.iter().filter(|r| r.deposed_key.is_none()) {
        push(
            &r.address,
            &r.values,
            &NULL,
            r.sensitive_values.as_ref().unwrap_or(&NULL),
        );
    }
    entries
}

/// Every resource of a module and its child modules, outermost first.
fn collect<'p>(module: &'p ModuleJson, out: &mut Vec<&'p format::ResourceJson>) {
    out.extend(&module.resources);
    for child in &module.child_modules {
        collect(child, out);
    }
}

fn resource(
    address: &InstanceAddress,
    attributes: BTreeMap<String, Value>,
    region: Option<Known<String>>,
) -> TfResource {
    TfResource {
        address: address.instance(),
        mode: if address.data {
            ResourceMode::Data
        } else {
            ResourceMode::Managed
        },
        resource_type: address.resource_type.clone(),
        name: address.name.clone(),
        module: address.module_string(),
        key: address.key.clone(),
        attributes,
        location: None,
        attribute_locations: BTreeMap::new(),
        region: region.unwrap_or_else(|| Known::unknown(NO_REGION)),
    }
}

const NO_REGION: &str = "the Terraform JSON does not say which region";

/// Fully known attribute values (state), top-level nulls left out as for plans.
fn known_attributes(values: &Json) -> BTreeMap<String, Value> {
    values
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), Value::from_json(v)))
                .collect()
        })
        .unwrap_or_default()
}

/// The AWS provider records an optional string it was not given as `""` in plans and states (a
/// route's `gateway_id` next to its `nat_gateway_id`, an association's `subnet_id`), where the HCL
/// front-end has nothing: such strings are not written, so they are left out at the top level and
/// null inside blocks.
fn unset_empty_strings(attributes: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    fn inside(value: Value) -> Value {
        match value {
            Value::String(s) if s.is_empty() => Value::Null,
            Value::List(items) => Value::List(items.into_iter().map(inside).collect()),
            Value::Set(items) => Value::Set(items.into_iter().map(inside).collect()),
            Value::Map(fields) => {
                Value::Map(fields.into_iter().map(|(k, v)| (k, inside(v))).collect())
            }
            other => other,
        }
    }
    attributes
        .into_iter()
        .map(|(k, v)| (k, inside(v)))
        .filter(|(_, v)| !v.is_null())
        .collect()
}

/// The region a resource itself records: the `region` argument (AWS provider 6), or its ARN.
fn own_region(attributes: &BTreeMap<String, Value>) -> Option<Known<String>> {
    if let Some(region) = attributes
        .get("region")
        .and_then(Value::as_str)
        .filter(|r| looks_like_region(r))
    {
        return Some(Known::Value(region.to_owned()));
    }
    arn_region(attributes).map(Known::Value)
}

fn arn_region(attributes: &BTreeMap<String, Value>) -> Option<String> {
    let arn = attributes.get("arn")?.as_str()?;
    let region = arn.split(':').nth(3)?;
    looks_like_region(region).then(|| region.to_owned())
}

/// Resources whose region nothing names take the region most other resources record (one state or
/// plan is usually one region); without any, it stays unknown and `--region` decides.
fn fill_regions(resources: &mut [TfResource]) {
    let mut counts: IndexMap<String, usize> = IndexMap::new();
    for r in resources.iter() {
        if let Known::Value(region) = &r.region {
            *counts.entry(region.clone()).or_default() += 1;
        }
    }
    let Some(common) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(r, _)| r.clone())
    else {
        return;
    };
    for r in resources.iter_mut() {
        if r.region
            .unknown_reason()
            .is_some_and(|u| u.reason == NO_REGION)
        {
            r.region = Known::Value(common.clone());
        }
    }
}

fn unsupported(display: &str, message: String) -> InputError {
    InputError::file(display, message)
        .with_help("write the file with `terraform show -json` of Terraform 0.12 or later; if a newer Terraform wrote it, please report it")
}

fn bad_address(display: &str, address: &str) -> InputError {
    InputError::file(
        display,
        format!("privlink cannot read the resource address `{address}`; that resource is skipped"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn addresses(read: &TerraformJson) -> Vec<&str> {
        read.resources.iter().map(|r| r.address.as_str()).collect()
    }

    #[test]
    fn instances_after_apply() {
        let plan = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {
                "resources": [{"address": "aws_vpc.kept", "mode": "managed", "values": {"cidr_block": "10.0.0.0/16"}}],
                "child_modules": [{"address": "module.m", "resources": [
                    {"address": "module.m.aws_subnet.new[0]", "mode": "managed", "values": {"cidr_block": "10.0.1.0/24"}}
                ]}]
            }},
            "resource_changes": [
                {"address": "aws_vpc.kept", "mode": "managed", "change": {"actions": ["no-op"], "after": {"cidr_block": "10.0.0.0/16", "id": "vpc-1"}, "after_unknown": {}}},
                {"address": "module.m.aws_subnet.new[0]", "module_address": "module.m", "mode": "managed",
                 "change": {"actions": ["create"], "after": {"cidr_block": "10.0.1.0/24"}, "after_unknown": {"id": true}}},
                {"address": "aws_subnet.gone", "mode": "managed", "change": {"actions": ["delete"], "before": {"id": "subnet-1"}, "after": null}},
                {"address": "aws_subnet.replaced", "mode": "managed", "deposed": "00000001",
                 "change": {"actions": ["delete"], "before": {"id": "subnet-2"}, "after": null}},
                {"address": "aws_subnet.replaced", "mode": "managed",
                 "change": {"actions": ["create"], "after": {"cidr_block": "10.0.2.0/24"}, "after_unknown": {"id": true}}}
            ],
            "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
                {"address": "aws_subnet.gone", "mode": "managed", "values": {"id": "subnet-1"}},
                {"address": "aws_subnet.untargeted", "mode": "managed", "values": {"id": "subnet-3", "arn": "arn:aws:ec2:eu-west-1:1:subnet/subnet-3"}},
                {"address": "data.aws_region.current", "mode": "data", "values": {"name": "eu-west-1"}}
            ]}}}
        });
        let read = read_plan(&plan.to_string(), "plan.json").unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!(
            addresses(&read),
            [
                "aws_vpc.kept",
                "module.m.aws_subnet.new[0]",
                "aws_subnet.replaced",
                "aws_subnet.untargeted",
                "data.aws_region.current"
            ]
        );
        let new = &read.resources[1];
        assert_eq!(
            (new.module.as_str(), new.name.as_str()),
            ("module.m", "new")
        );
        assert_eq!(new.key, Some(super::super::resource::InstanceKey::Index(0)));
        assert_eq!(read.resources[4].mode, ResourceMode::Data);
        // No provider configuration: the region the one ARN records.
        assert!(
            read.resources
                .iter()
                .all(|r| r.region == Known::Value("eu-west-1".to_owned()))
        );
    }

    #[test]
    fn errored_plans_and_bad_addresses_are_reported_and_the_rest_read() {
        let plan = json!({
            "format_version": "1.2",
            "errored": true,
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_vpc.a", "mode": "managed", "values": {}},
                {"address": "not an address", "mode": "managed", "values": {}}
            ]}}
        });
        let read = read_plan(&plan.to_string(), "plan.json").unwrap();
        assert_eq!(addresses(&read), ["aws_vpc.a"]);
        assert_eq!(read.errors.len(), 2);
        assert!(read.errors[0].message.contains("errored"));
        assert!(read.errors[1].message.contains("`not an address`"));
    }

    #[test]
    fn empty_state_and_unsupported_versions() {
        assert!(
            read_state(r#"{"format_version": "1.0"}"#, "s.json")
                .unwrap()
                .resources
                .is_empty()
        );
        let e = read_state(r#"{"format_version": "2.0", "values": {}}"#, "s.json").unwrap_err();
        assert!(e.message.contains("format_version `2.0`"), "{e}");
        let e = read_plan(r#"{"format_version": "1.2", "planned_values": {}, "prior_state": {"format_version": "9.9"}}"#, "p.json").unwrap_err();
        assert!(e.message.contains("prior_state"), "{e}");
    }
}
