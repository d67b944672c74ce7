//! One resource instance's attribute values from plan JSON, with what the plan leaves unknown.
//!
//! A plan gives the planned value (`after`, unknown parts left out), a parallel tree of unknown
//! markers (`after_unknown`), a parallel tree of the value's shape (`after_sensitive`, whose arrays
//! tell a list from a single value even when the value is unknown) and the resource block's
//! expressions. Walking them together:
//!
//! * a known part is its JSON value;
//! * an unknown attribute that the configuration does not write is computed by the provider; it is
//!   left out, exactly as the HCL front-end leaves out what is not written, so lowering applies
//!   the same defaults (a new route table's `route`, an endpoint's `security_group_ids`);
//! * an unknown attribute whose expression is references to resources becomes those references
//!   (see [`super::config`]): `Value::Unknown` with `reference`, or a list of them;
//! * in "attributes as blocks" (`ingress`, `egress`, `route`), the configuration lists the
//!   references of all blocks together; each unknown field gets the references of its kind (a
//!   `security_groups` field the security-group ids, a `prefix_list_ids` field the prefix lists)
//!   when it is the only field of that kind, else it stays unknown;
//! * anything else stays unknown, with the reason.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json};

use super::address::InstanceAddress;
use super::config::{Configuration, Resolved, Scope, is_expression};
use crate::terraform::config::schema::{AttributeSchema, block_schema};
use crate::terraform::value::{Reference, UnknownValue, Value};

/// List-valued attributes by name, for plans older than format 0.2 that do not record shapes.
const LIST_NAMES: [&str; 9] = [
    "subnets",
    "security_groups",
    "cidr_blocks",
    "ipv6_cidr_blocks",
    "prefix_list_ids",
    "vpc_zone_identifier",
    "vpc_security_group_ids",
    "subnet_ids",
    "route_table_ids",
];

/// What a reference or a field links to, to share one expression's references among the blocks
/// of an attribute-as-blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LinkKind {
    SecurityGroup,
    PrefixList,
    Cidr,
    Subnet,
    RouteTable,
    Gateway,
    NatGateway,
    Endpoint,
    NetworkInterface,
    TransitGateway,
    Peering,
    EgressOnlyGateway,
    Instance,
}

fn field_kind(name: &str) -> Option<LinkKind> {
    Some(match name {
        "security_groups"
        | "security_group_ids"
        | "security_group_id"
        | "source_security_group_id"
        | "referenced_security_group_id" => LinkKind::SecurityGroup,
        "prefix_list_ids" | "prefix_list_id" | "destination_prefix_list_id" => LinkKind::PrefixList,
        "cidr_blocks" | "cidr_block" | "destination_cidr_block" | "cidr_ipv4" => LinkKind::Cidr,
        "subnet_id" | "subnet_ids" => LinkKind::Subnet,
        "route_table_id" => LinkKind::RouteTable,
        "gateway_id" => LinkKind::Gateway,
        "nat_gateway_id" => LinkKind::NatGateway,
        "vpc_endpoint_id" => LinkKind::Endpoint,
        "network_interface_id" => LinkKind::NetworkInterface,
        "transit_gateway_id" => LinkKind::TransitGateway,
        "vpc_peering_connection_id" => LinkKind::Peering,
        "egress_only_gateway_id" => LinkKind::EgressOnlyGateway,
        "instance_id" => LinkKind::Instance,
        _ => return None,
    })
}

fn reference_kind(r: &Reference) -> Option<LinkKind> {
    let target = InstanceAddress::parse(&r.address)?;
    let attribute = r.attribute.as_str();
    if attribute == "prefix_list_id"
        || (target.data
            && matches!(
                target.resource_type.as_str(),
                "aws_prefix_list" | "aws_ec2_managed_prefix_list"
            ))
        || (target.resource_type == "aws_ec2_managed_prefix_list" && attribute == "id")
    {
        return Some(LinkKind::PrefixList);
    }
    if attribute.ends_with("cidr_block") {
        return Some(LinkKind::Cidr);
    }
    if matches!(
        attribute,
        "default_security_group_id"
            | "vpc_config.0.cluster_security_group_id"
            | "security_group_id"
    ) {
        return Some(LinkKind::SecurityGroup);
    }
    if attribute != "id" {
        return None;
    }
    Some(match target.resource_type.as_str() {
        "aws_security_group" | "aws_default_security_group" => LinkKind::SecurityGroup,
        "aws_subnet" | "aws_default_subnet" => LinkKind::Subnet,
        "aws_route_table" | "aws_default_route_table" => LinkKind::RouteTable,
        "aws_internet_gateway" | "aws_vpn_gateway" => LinkKind::Gateway,
        "aws_nat_gateway" => LinkKind::NatGateway,
        "aws_vpc_endpoint" => LinkKind::Endpoint,
        "aws_network_interface" => LinkKind::NetworkInterface,
        "aws_ec2_transit_gateway" => LinkKind::TransitGateway,
        "aws_vpc_peering_connection" => LinkKind::Peering,
        "aws_egress_only_internet_gateway" => LinkKind::EgressOnlyGateway,
        "aws_instance" => LinkKind::Instance,
        _ => return None,
    })
}

/// Reads the attributes of one instance.
pub(crate) struct InstanceReader<'c, 'a> {
    pub(crate) config: &'c Configuration<'a>,
    pub(crate) address: &'c InstanceAddress,
    pub(crate) scope: Scope,
}

impl InstanceReader<'_, '_> {
    /// The attributes: `after` with `unknown` markers and `shape`, and the block's expressions.
    /// Top-level nulls are left out, as the HCL front-end leaves out what is not written.
    pub(crate) fn attributes(
        &self,
        after: &Json,
        unknown: &Json,
        shape: &Json,
    ) -> BTreeMap<String, Value> {
        let expressions = self.config.expressions(self.address);
        let mut names: BTreeSet<&String> = after
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        names.extend(unknown.as_object().into_iter().flat_map(Map::keys));
        let mut out = BTreeMap::new();
        for name in names {
            let value = self.walk(
                name,
                after.get(name),
                unknown.get(name),
                shape.get(name),
                expressions.and_then(|e| e.get(name)),
            );
            match value {
                None | Some(Value::Null) => {}
                Some(v) => {
                    out.insert(name.clone(), v);
                }
            }
        }
        out
    }

    /// One value; `None` when it is unknown and not written (the provider computes it).
    fn walk(
        &self,
        path: &str,
        after: Option<&Json>,
        unknown: Option<&Json>,
        shape: Option<&Json>,
        expr: Option<&Json>,
    ) -> Option<Value> {
        match unknown {
            Some(Json::Bool(true)) => self.leaf(path, shape, expr),
            Some(Json::Array(marks)) => Some(self.list(path, after, marks, shape, expr)),
            Some(Json::Object(marks)) => match expr.filter(|e| is_expression(e)) {
                // An object attribute (not a block) has one expression for all its fields.
                Some(e) => {
                    let element = |_: usize| (after, unknown, shape);
                    self.pooled(path, 1, &element, e)
                        .as_list()
                        .and_then(|l| l.first().cloned())
                }
                None => Some(self.object(path, after, marks, shape, expr)),
            },
            _ => after.map(Value::from_json),
        }
    }

    /// A wholly unknown value.
    fn leaf(&self, path: &str, shape: Option<&Json>, expr: Option<&Json>) -> Option<Value> {
        let Some(expr) = expr else {
            return self.unconfigured(path);
        };
        if !is_expression(expr) {
            return Some(self.derived(
                path,
                "its blocks are generated from values known only after apply",
            ));
        }
        if self.provider_computes(path, expr) {
            return None;
        }
        let resolved = match self.config.resolve(expr, &self.scope) {
            Ok(r) => r,
            Err(why) => return Some(self.derived(path, &why)),
        };
        if is_list(shape, path) {
            return Some(Value::List(
                flatten(resolved).into_iter().map(reference_value).collect(),
            ));
        }
        match resolved.as_slice() {
            [Resolved::One(r)] => Some(reference_value(r.clone())),
            _ => Some(self.derived(path, "it combines several references")),
        }
    }

    /// An unknown value the configuration has no expression for. Not written, so the provider
    /// computes it (left out, as the HCL front-end leaves it out) unless it is an argument of a
    /// nested block the configuration does not show at all: Terraform leaves `dynamic` blocks out of
    /// plan JSON's `configuration`, so such an argument is written, in a way the plan does not record.
    fn unconfigured(&self, path: &str) -> Option<Value> {
        let (top, _) = path.split_once('.')?;
        if self.config.expressions(self.address)?.contains_key(top) {
            return None;
        }
        let attribute = self.attribute_schema(path)?;
        (attribute.optional || attribute.required).then(|| {
            self.derived(
                path,
                "it is written in a `dynamic` block, which plan JSON does not record",
            )
        })
    }

    /// Whether an unknown value is one the provider computes because the configuration sets it to
    /// `null`: an attribute the provider may compute, whose expression the plan knows (see
    /// [`Configuration::known_at_plan`]). A value written as known would be known in the plan, so
    /// the unknown is the provider's, as for an attribute not written at all
    /// (`source_security_group_id = lookup(each.value, "source_security_group_id", null)` on a
    /// CIDR rule).
    fn provider_computes(&self, path: &str, expr: &Json) -> bool {
        if !self.attribute_schema(path).is_some_and(|a| a.computed) {
            return false;
        }
        let each = self
            .config
            .resource(self.address)
            .and_then(|r| r.for_each_expression.as_ref());
        self.config.known_at_plan(expr, &self.scope.module, each)
    }

    /// The provider's schema of the attribute at `path` (block indices skipped), when privlink has
    /// the resource type's schema.
    fn attribute_schema(&self, path: &str) -> Option<&'static AttributeSchema> {
        let mode = if self.address.data { "data" } else { "managed" };
        let mut block = block_schema(mode, &self.address.resource_type)?;
        let names: Vec<&str> = path
            .split('.')
            .filter(|p| p.parse::<usize>().is_err())
            .collect();
        let (last, blocks) = names.split_last()?;
        for name in blocks {
            block = &block.block_types.get(*name)?.block;
        }
        block.attributes.get(*last)
    }

    fn object(
        &self,
        path: &str,
        after: Option<&Json>,
        marks: &Map<String, Json>,
        shape: Option<&Json>,
        expr: Option<&Json>,
    ) -> Value {
        let fields = after.and_then(Json::as_object);
        let mut names: BTreeSet<&String> = fields.map(|o| o.keys().collect()).unwrap_or_default();
        names.extend(marks.keys());
        // A nested block's configuration is a map of expressions (or a one-element block list).
        let block = match expr {
            Some(Json::Array(blocks)) if blocks.len() == 1 => blocks[0].as_object(),
            Some(e) if !is_expression(e) => e.as_object(),
            _ => None,
        };
        let mut out = BTreeMap::new();
        for name in names {
            let child = format!("{path}.{name}");
            let value = self.walk(
                &child,
                fields.and_then(|f| f.get(name)),
                marks.get(name),
                shape.and_then(|s| s.get(name)),
                block.and_then(|b| b.get(name)),
            );
            out.insert(name.clone(), value.unwrap_or(Value::Null));
        }
        Value::Map(out)
    }

    fn list(
        &self,
        path: &str,
        after: Option<&Json>,
        marks: &[Json],
        shape: Option<&Json>,
        expr: Option<&Json>,
    ) -> Value {
        let items: &[Json] = after.and_then(Json::as_array).map_or(&[], Vec::as_slice);
        let len = items.len().max(marks.len());
        let shapes = shape.and_then(Json::as_array);
        let element = |i: usize| (items.get(i), marks.get(i), shapes.and_then(|s| s.get(i)));
        if let Some(e) = expr.filter(|e| is_expression(e)) {
            return self.pooled(path, len, &element, e);
        }
        let blocks = expr.and_then(Json::as_array);
        Value::List(
            (0..len)
                .map(|i| {
                    let (item, mark, shape) = element(i);
                    let block = blocks.and_then(|b| matching_block(b, item, mark));
                    self.walk(&format!("{path}.{i}"), item, mark, shape, block)
                        .unwrap_or_else(|| self.derived(&format!("{path}.{i}"), ""))
                })
                .collect(),
        )
    }

    /// A list whose elements share one expression: a list of references with some unknown, or an
    /// attribute-as-blocks whose blocks' references Terraform lists together.
    fn pooled<'j>(
        &self,
        path: &str,
        len: usize,
        element: &dyn Fn(usize) -> (Option<&'j Json>, Option<&'j Json>, Option<&'j Json>),
        expr: &Json,
    ) -> Value {
        let resolved = self.config.resolve(expr, &self.scope).map(flatten);
        // Unknown fields of block elements, by kind.
        let mut leaves: Vec<(usize, String, Option<LinkKind>)> = Vec::new();
        let mut unknown_elements = Vec::new();
        for i in 0..len {
            match element(i).1 {
                Some(Json::Object(marks)) => {
                    for (name, mark) in marks {
                        if mark == &Json::Bool(true) {
                            leaves.push((i, name.clone(), field_kind(name)));
                        }
                    }
                }
                Some(Json::Bool(true)) => unknown_elements.push(i),
                _ => {}
            }
        }
        let mut allocated: BTreeMap<(usize, String), Value> = BTreeMap::new();
        let mut element_refs: Vec<Reference> = Vec::new();
        if let Ok(refs) = &resolved {
            if !unknown_elements.is_empty()
                && leaves.is_empty()
                && refs.len() == unknown_elements.len()
            {
                // Every reference is one of the unknown elements (a set has no order to keep).
                element_refs.clone_from(refs);
            }
            for (i, name, kind) in &leaves {
                let Some(kind) = kind else { continue };
                if leaves
                    .iter()
                    .filter(|(_, _, k)| k.as_ref() == Some(kind))
                    .count()
                    != 1
                {
                    continue;
                }
                let of_kind: Vec<Reference> = refs
                    .iter()
                    .filter(|r| reference_kind(r) == Some(*kind))
                    .cloned()
                    .collect();
                let shape = element(*i).2.and_then(|s| s.get(name));
                let value = if is_list(shape, name) {
                    Value::List(of_kind.into_iter().map(reference_value).collect())
                } else if let [one] = of_kind.as_slice() {
                    reference_value(one.clone())
                } else {
                    continue;
                };
                allocated.insert((*i, name.clone()), value);
            }
        }
        let why = resolved
            .as_ref()
            .err()
            .map_or("it shares its references with other values", String::as_str);
        let mut element_refs = element_refs.into_iter();
        Value::List(
            (0..len)
                .map(|i| {
                    let child = format!("{path}.{i}");
                    let (item, mark, _) = element(i);
                    match mark {
                        Some(Json::Bool(true)) => element_refs
                            .next()
                            .map_or_else(|| self.derived(&child, why), reference_value),
                        Some(Json::Object(marks)) => {
                            let mut fields: BTreeMap<String, Value> = item
                                .and_then(Json::as_object)
                                .map(|o| {
                                    o.iter()
                                        .map(|(k, v)| (k.clone(), Value::from_json(v)))
                                        .collect()
                                })
                                .unwrap_or_default();
                            for (name, mark) in marks {
                                if mark == &Json::Bool(true) {
                                    let value =
                                        allocated.remove(&(i, name.clone())).unwrap_or_else(|| {
                                            self.derived(&format!("{child}.{name}"), why)
                                        });
                                    fields.insert(name.clone(), value);
                                }
                            }
                            Value::Map(fields)
                        }
                        _ => item.map_or(Value::Null, Value::from_json),
                    }
                })
                .collect(),
        )
    }

    fn derived(&self, path: &str, why: &str) -> Value {
        let address = self.address.instance();
        let reason = if why.is_empty() {
            format!("{address}.{path} is known only after apply")
        } else {
            format!("{address}.{path} is known only after apply ({why})")
        };
        Value::Unknown(UnknownValue::derived(reason))
    }
}

/// The block of `blocks` whose constant arguments agree with the element's known values, when
/// exactly one does (set elements come in another order than the blocks are written).
fn matching_block<'j>(
    blocks: &'j [Json],
    item: Option<&Json>,
    mark: Option<&Json>,
) -> Option<&'j Json> {
    if let [only] = blocks {
        return Some(only);
    }
    let item = item?.as_object()?;
    let agrees = |block: &Json| {
        block.as_object().is_some_and(|b| {
            b.iter().all(|(name, e)| {
                let known = mark
                    .and_then(|m| m.get(name))
                    .is_none_or(|m| m == &Json::Bool(false));
                match (e.get("constant_value"), item.get(name)) {
                    (Some(constant), Some(value)) if known => {
                        Value::from_json(constant) == Value::from_json(value)
                    }
                    _ => true,
                }
            })
        })
    };
    let mut candidates = blocks.iter().filter(|b| agrees(b));
    let first = candidates.next()?;
    candidates.next().is_none().then_some(first)
}

fn flatten(resolved: Vec<Resolved>) -> Vec<Reference> {
    resolved
        .into_iter()
        .flat_map(|r| match r {
            Resolved::One(one) => vec![one],
            Resolved::All(all) => all,
        })
        .collect()
}

fn reference_value(r: Reference) -> Value {
    Value::Unknown(UnknownValue::reference(r, "known only after apply"))
}

/// Whether a value is a list: its shape says so, or (without shapes) its name.
fn is_list(shape: Option<&Json>, path: &str) -> bool {
    match shape {
        Some(Json::Array(_)) => true,
        Some(Json::Object(_)) => false,
        _ => LIST_NAMES.contains(&path.rsplit('.').next().unwrap_or(path)),
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use serde_json::json;

    use super::*;
    use crate::terraform::plan::format::ConfigJson;

    fn read(
        config: &Json,
        instances: &[&str],
        address: &str,
        after: &Json,
        unknown: &Json,
        shape: &Json,
    ) -> BTreeMap<String, Value> {
        let config: ConfigJson = serde_json::from_value(config.clone()).unwrap();
        let variables = IndexMap::new();
        let parsed: Vec<InstanceAddress> = instances
            .iter()
            .map(|a| InstanceAddress::parse(a).unwrap())
            .collect();
        let c = Configuration::new(Some(&config), &variables, &parsed);
        let address = InstanceAddress::parse(address).unwrap();
        let reader = InstanceReader {
            config: &c,
            address: &address,
            scope: Scope {
                module: address.module.clone(),
                key: address.key.clone(),
            },
        };
        reader.attributes(after, unknown, shape)
    }

    fn reference(address: &str, attribute: &str) -> Value {
        reference_value(Reference::new(address, attribute))
    }

    #[test]
    fn unwritten_unknowns_are_left_out_and_references_recovered() {
        let config = json!({"root_module": {"resources": [{"address": "aws_vpc_endpoint.logs", "expressions": {
            "vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]},
            "subnet_ids": {"references": ["aws_subnet.a.id", "aws_subnet.a", "aws_subnet.b.id", "aws_subnet.b"]},
            "vpc_endpoint_type": {"constant_value": "Interface"}
        }}]}});
        let attrs = read(
            &config,
            &[
                "aws_vpc.main",
                "aws_subnet.a",
                "aws_subnet.b",
                "aws_vpc_endpoint.logs",
            ],
            "aws_vpc_endpoint.logs",
            &json!({"vpc_endpoint_type": "Interface", "policy": null}),
            &json!({"vpc_id": true, "subnet_ids": true, "security_group_ids": true, "id": true}),
            &json!({"subnet_ids": [], "security_group_ids": []}),
        );
        assert_eq!(attrs["vpc_id"], reference("aws_vpc.main", "id"));
        assert_eq!(
            attrs["subnet_ids"],
            Value::List(vec![
                reference("aws_subnet.a", "id"),
                reference("aws_subnet.b", "id")
            ])
        );
        assert!(
            !attrs.contains_key("security_group_ids"),
            "not written: the provider computes it"
        );
        assert!(!attrs.contains_key("id"));
        assert!(!attrs.contains_key("policy"), "nulls are left out");
        assert_eq!(attrs["vpc_endpoint_type"], Value::string("Interface"));
    }

    #[test]
    fn attribute_as_blocks_share_references_by_kind() {
        let config = json!({"root_module": {"resources": [{"address": "aws_security_group.app", "expressions": {
            "egress": {"references": ["aws_security_group.ep.id", "aws_security_group.ep", "aws_vpc_endpoint.s3.prefix_list_id", "aws_vpc_endpoint.s3"]}
        }}]}});
        let attrs = read(
            &config,
            &[
                "aws_security_group.ep",
                "aws_vpc_endpoint.s3",
                "aws_security_group.app",
            ],
            "aws_security_group.app",
            &json!({"egress": [
                {"description": "s3", "from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": []},
                {"description": "ep", "from_port": 443, "to_port": 443, "protocol": "tcp", "prefix_list_ids": []}
            ]}),
            &json!({"egress": [{"prefix_list_ids": true, "cidr_blocks": []}, {"security_groups": true}], "ingress": true}),
            &json!({"egress": [{"prefix_list_ids": [], "cidr_blocks": []}, {"security_groups": [], "prefix_list_ids": []}], "ingress": []}),
        );
        let egress = attrs["egress"].as_list().unwrap();
        assert_eq!(
            egress[0].get_path("prefix_list_ids"),
            Some(&Value::List(vec![reference(
                "aws_vpc_endpoint.s3",
                "prefix_list_id"
            )]))
        );
        assert_eq!(
            egress[1].get_path("security_groups"),
            Some(&Value::List(vec![reference("aws_security_group.ep", "id")]))
        );
        assert_eq!(egress[0].get_path("from_port"), Some(&Value::Number(443.0)));
        assert!(!attrs.contains_key("ingress"));
    }

    #[test]
    fn ambiguous_blocks_stay_unknown() {
        let config = json!({"root_module": {"resources": [{"address": "aws_security_group.app", "expressions": {
            "egress": {"references": ["aws_security_group.a.id", "aws_security_group.a", "aws_security_group.b.id", "aws_security_group.b"]}
        }}]}});
        let attrs = read(
            &config,
            &[
                "aws_security_group.a",
                "aws_security_group.b",
                "aws_security_group.app",
            ],
            "aws_security_group.app",
            &json!({"egress": [{"from_port": 443}, {"from_port": 8443}]}),
            &json!({"egress": [{"security_groups": true}, {"security_groups": true}]}),
            &json!({"egress": [{"security_groups": []}, {"security_groups": []}]}),
        );
        let egress = attrs["egress"].as_list().unwrap();
        for rule in egress {
            let groups = rule.get_path("security_groups").unwrap();
            assert!(
                groups.as_unknown().is_some_and(|u| u.reference.is_none()),
                "{groups}"
            );
        }
    }

    #[test]
    fn nested_block_lists_follow_their_block_expressions() {
        let config = json!({"root_module": {"resources": [{"address": "aws_ecs_service.app", "expressions": {
            "network_configuration": [{"subnets": {"references": ["aws_subnet.a.id", "aws_subnet.a"]},
                                       "assign_public_ip": {"constant_value": false}}]
        }}]}});
        let attrs = read(
            &config,
            &["aws_subnet.a", "aws_ecs_service.app"],
            "aws_ecs_service.app",
            &json!({"network_configuration": [{"assign_public_ip": false}]}),
            &json!({"network_configuration": [{"subnets": true, "security_groups": true}]}),
            &json!({"network_configuration": [{"subnets": [], "security_groups": []}]}),
        );
        let network = &attrs["network_configuration"].as_list().unwrap()[0];
        assert_eq!(
            network.get_path("subnets"),
            Some(&Value::List(vec![reference("aws_subnet.a", "id")]))
        );
        assert_eq!(
            network.get_path("security_groups"),
            Some(&Value::Null),
            "not written: computed"
        );
        assert_eq!(
            network.get_path("assign_public_ip"),
            Some(&Value::Bool(false))
        );
    }

    /// Reads `address` with every instance's markers known to the configuration.
    fn read_with_markers(
        config: &Json,
        markers: &[(&str, Json)],
        address: &str,
        after: &Json,
        shape: &Json,
    ) -> BTreeMap<String, Value> {
        let config: ConfigJson = serde_json::from_value(config.clone()).unwrap();
        let variables = IndexMap::new();
        let parsed: Vec<InstanceAddress> = markers
            .iter()
            .map(|(a, _)| InstanceAddress::parse(a).unwrap())
            .collect();
        let c = Configuration::new(Some(&config), &variables, &parsed)
            .with_unknowns(markers.iter().map(|(a, m)| ((*a).to_owned(), m)));
        let address = InstanceAddress::parse(address).unwrap();
        let unknown = markers
            .iter()
            .find(|(a, _)| *a == address.instance())
            .map(|(_, m)| m.clone())
            .unwrap();
        let reader = InstanceReader {
            config: &c,
            address: &address,
            scope: Scope {
                module: address.module.clone(),
                key: address.key.clone(),
            },
        };
        reader.attributes(after, &unknown, shape)
    }

    #[test]
    fn a_computed_attribute_written_from_known_values_is_the_providers() {
        // `source_security_group_id = lookup(each.value, "source_security_group_id", null)`, with
        // `each.value` from a module argument made of a variable and the VPC's known CIDR block.
        let config = json!({"root_module": {
            "resources": [{"address": "aws_vpc.main", "expressions": {}}],
            "module_calls": {"ep": {
                "expressions": {"rules": {"references": ["var.port", "aws_vpc.main.cidr_block", "aws_vpc.main"]}},
                "module": {"resources": [
                    {"address": "aws_security_group.this", "expressions": {}},
                    {"address": "aws_security_group_rule.this",
                     "for_each_expression": {"references": ["var.rules", "var.create"]},
                     "expressions": {
                        "source_security_group_id": {"references": ["each.value"]},
                        "security_group_id": {"references": ["aws_security_group.this.id", "aws_security_group.this"]}
                     }}
                ]}
            }}
        }});
        let rule = "module.ep.aws_security_group_rule.this[\"https\"]";
        let markers = [
            ("aws_vpc.main", json!({"id": true, "arn": true})),
            ("module.ep.aws_security_group.this", json!({"id": true})),
            (
                rule,
                json!({"source_security_group_id": true, "security_group_id": true, "id": true}),
            ),
        ];
        let attrs = read_with_markers(
            &config,
            &markers,
            rule,
            &json!({"type": "ingress"}),
            &json!({}),
        );
        assert!(!attrs.contains_key("source_security_group_id"), "{attrs:?}");
        assert_eq!(
            attrs["security_group_id"],
            reference("module.ep.aws_security_group.this", "id")
        );
        // The VPC's CIDR block unknown too: the unknown may be written, and stays.
        let mut markers = markers;
        markers[0].1 = json!({"id": true, "cidr_block": true});
        let attrs = read_with_markers(
            &config,
            &markers,
            rule,
            &json!({"type": "ingress"}),
            &json!({}),
        );
        let u = attrs["source_security_group_id"].as_unknown().unwrap();
        assert!(u.reason.contains("each.value"), "{}", u.reason);
    }

    #[test]
    fn arguments_of_dynamic_blocks_are_unknown_not_absent() {
        // The configuration shows no `network_configuration`: it is a `dynamic` block.
        let config = json!({"root_module": {"resources": [{"address": "aws_ecs_service.app", "expressions": {
            "name": {"constant_value": "app"}
        }}]}});
        let attrs = read(
            &config,
            &["aws_ecs_service.app"],
            "aws_ecs_service.app",
            &json!({"name": "app", "network_configuration": [{"assign_public_ip": false}]}),
            &json!({"id": true, "network_configuration": [{"subnets": true, "security_groups": true}]}),
            &json!({"network_configuration": [{"subnets": [], "security_groups": []}]}),
        );
        let network = &attrs["network_configuration"].as_list().unwrap()[0];
        for field in ["subnets", "security_groups"] {
            let u = network.get_path(field).unwrap().as_unknown().unwrap();
            assert!(u.reason.contains("`dynamic` block"), "{}", u.reason);
        }
        assert!(!attrs.contains_key("id"), "computed, not written");
    }

    #[test]
    fn unresolvable_references_give_a_reason() {
        let config = json!({"root_module": {"resources": [{"address": "aws_subnet.a", "expressions": {
            "vpc_id": {"references": ["local.vpc_id"]}
        }}]}});
        let attrs = read(
            &config,
            &["aws_subnet.a"],
            "aws_subnet.a",
            &json!({}),
            &json!({"vpc_id": true}),
            &json!({}),
        );
        let u = attrs["vpc_id"].as_unknown().unwrap();
        assert!(u.reference.is_none());
        assert!(
            u.reason.contains("aws_subnet.a.vpc_id") && u.reason.contains("local.vpc_id"),
            "{}",
            u.reason
        );
    }
}
