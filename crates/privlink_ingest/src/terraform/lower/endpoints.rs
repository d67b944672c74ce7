//! VPC endpoints and the resources that add subnets, route tables, security groups and policies to
//! them.

use privlink_model::{EndpointKind, Known, Partial, Provenance, ResourceId, VpcEndpoint};

use super::Lowerer;
use super::attrs::{self, bool_or, string};
use crate::elements::{ElementKind, place_in_vpc};
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

impl Lowerer<'_> {
    pub(super) fn endpoint(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let kind = match string(r, "vpc_endpoint_type") {
            // The provider's default.
            None => Known::Value(EndpointKind::Gateway),
            Some(Known::Value(t)) => EndpointKind::parse(&t).map_or_else(
                || Known::unknown(format!("unknown endpoint type `{t}`")),
                Known::Value,
            ),
            Some(Known::Unknown(u)) => Known::Unknown(u),
        };
        let mut subnets = self.resolve_list(
            r.get("subnet_ids"),
            ElementKind::Subnet,
            r.location_of("subnet_ids").as_ref(),
        );
        if let Ok(configs) = attrs::blocks(r, "subnet_configuration") {
            for (i, block) in configs {
                if let Some(v) = attrs::field(block, "subnet_id") {
                    match self.resolve(
                        v,
                        ElementKind::Subnet,
                        r.location_of(&format!("subnet_configuration.{i}")).as_ref(),
                    ) {
                        Known::Value(s) if !subnets.contains(&s) => subnets.push(s),
                        Known::Value(_) => {}
                        Known::Unknown(u) => subnets.mark_incomplete(u),
                    }
                }
            }
        }
        let security_groups = self.resolve_list(
            r.get("security_group_ids"),
            ElementKind::SecurityGroup,
            r.location_of("security_group_ids").as_ref(),
        );
        let route_tables = self.resolve_list(
            r.get("route_table_ids"),
            ElementKind::RouteTable,
            r.location_of("route_table_ids").as_ref(),
        );
        // What an endpoint names must be in its VPC: placeholders learn that much.
        for ids in [&subnets, &security_groups, &route_tables] {
            place_in_vpc(&mut self.model, ids, &vpc);
        }
        let policy = policy_of(r.get("policy"));
        let service_name =
            string(r, "service_name").unwrap_or_else(|| Known::unknown("no service_name is given"));
        self.model.endpoints.insert(
            id.clone(),
            VpcEndpoint {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                service_name,
                kind,
                private_dns: bool_or(r, "private_dns_enabled", false),
                subnets,
                security_groups,
                route_tables,
                policy,
                service_region: string(r, "service_region"),
            },
        );
    }

    pub(super) fn endpoint_association(&mut self, r: &TfResource) {
        let endpoint = self.resolve(
            r.get("vpc_endpoint_id").unwrap_or(&Value::Null),
            ElementKind::Endpoint,
            r.location_of("vpc_endpoint_id").as_ref(),
        );
        let Known::Value(endpoint) = endpoint else {
            return;
        };
        let (field, kind) = match r.resource_type.as_str() {
            "aws_vpc_endpoint_subnet_association" => ("subnet_id", ElementKind::Subnet),
            "aws_vpc_endpoint_route_table_association" => {
                ("route_table_id", ElementKind::RouteTable)
            }
            "aws_vpc_endpoint_security_group_association" => {
                ("security_group_id", ElementKind::SecurityGroup)
            }
            _ => {
                let policy = policy_of(r.get("policy"));
                if let Some(e) = self.model.endpoints.get_mut(&endpoint) {
                    e.policy = policy;
                }
                return;
            }
        };
        let target = self.resolve(
            r.get(field).unwrap_or(&Value::Null),
            kind,
            r.location_of(field).as_ref(),
        );
        let replace_default = bool_or(r, "replace_default_association", false);
        let Some(e) = self.model.endpoints.get_mut(&endpoint) else {
            return;
        };
        let list: &mut Partial<ResourceId> = match kind {
            ElementKind::Subnet => &mut e.subnets,
            ElementKind::RouteTable => &mut e.route_tables,
            _ => &mut e.security_groups,
        };
        match target {
            Known::Value(id) if !list.contains(&id) => {
                if replace_default == Known::Value(true) {
                    list.known.clear();
                }
                list.push(id);
            }
            Known::Value(_) => {}
            Known::Unknown(u) => list.mark_incomplete(u),
        }
    }
}

/// An endpoint policy: absent means AWS's default full-access policy.
fn policy_of(value: Option<&Value>) -> Known<Option<String>> {
    match value {
        None | Some(Value::Null) => Known::Value(None),
        Some(Value::String(s)) if s.trim().is_empty() => Known::Value(None),
        Some(Value::String(s)) => Known::Value(Some(s.clone())),
        // `jsonencode` of a document with parts known only after apply: the known parts, each
        // unknown part written `${...}`, so the statements it cannot change still decide.
        Some(Value::Unknown(u)) => match u.encoded.as_deref() {
            Some(encoded) => Known::Value(Some(attrs::deferred_json(encoded).to_string())),
            None => Known::Unknown(attrs::unknown_of(&Value::Unknown(u.clone()))),
        },
        Some(other) => Known::unknown(format!(
            "the policy is a {}, not a JSON document",
            other.type_name()
        )),
    }
}
