//! Applying written intents to a copy of the model, so the network as fixed can be analysed again:
//! what one fix uncovers (the next hop that drops the flow) is found and fixed in the same run.
//!
//! The elements a backend creates get the ids the backend gave them (the addresses or logical IDs a
//! later load of the written files gives them), so later intents can refer to them.

use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    EndpointKind, FixIntent, HttpsPeer, Known, Model, Partial, Provenance, ResourceId,
    SecurityGroup, SgPeer, SgRule, VpcEndpoint,
};

use crate::plan::Lowered;

/// Applies a written intent.
pub(crate) fn apply(model: &mut Model, intent: &FixIntent, lowered: &Lowered) {
    if let Some(group) = &lowered.security_group {
        let vpc = match intent {
            FixIntent::AddInterfaceEndpoint { vpc, .. } => Some(vpc.clone()),
            FixIntent::SetEndpointSecurityGroups { endpoint, .. } => model
                .endpoints
                .get(endpoint)
                .and_then(|e| e.vpc.value().cloned()),
            _ => None,
        };
        if let Some(vpc) = vpc {
            add_endpoint_group(model, group, &vpc);
        }
    }
    match intent {
        FixIntent::EnablePrivateDns { endpoint } => {
            if let Some(e) = model.endpoints.get_mut(endpoint) {
                e.private_dns = Known::Value(true);
            }
        }
        FixIntent::EnableVpcDns { vpc } => {
            if let Some(v) = model.vpcs.get_mut(vpc) {
                v.dns_support = Known::Value(true);
                v.dns_hostnames = Known::Value(true);
            }
        }
        FixIntent::AssociateGatewayEndpoint {
            endpoint,
            route_table,
        } => {
            if let Some(e) = model.endpoints.get_mut(endpoint)
                && !e.route_tables.contains(route_table)
            {
                e.route_tables.push(route_table.clone());
            }
        }
        FixIntent::AllowHttpsIngress {
            security_group,
            from,
        } => {
            if let Some(g) = model.security_groups.get_mut(security_group) {
                g.ingress.push(https_rule(from, security_group));
            }
        }
        FixIntent::AllowHttpsEgress { security_group, to } => {
            if let Some(g) = model.security_groups.get_mut(security_group) {
                g.egress.push(https_rule(to, security_group));
            }
        }
        FixIntent::SetEndpointSecurityGroups {
            endpoint,
            security_groups,
        } => {
            let groups = if security_groups.is_empty() {
                lowered.security_group.iter().cloned().collect()
            } else {
                security_groups.clone()
            };
            if let Some(e) = model.endpoints.get_mut(endpoint) {
                e.security_groups = Partial::complete(groups);
            }
        }
        FixIntent::AddInterfaceEndpoint {
            vpc,
            service_name,
            subnets,
            security_groups,
        } => {
            let groups = if security_groups.is_empty() {
                lowered.security_group.iter().cloned().collect()
            } else {
                security_groups.clone()
            };
            add_endpoint(
                model,
                lowered,
                vpc,
                service_name,
                Placement {
                    kind: EndpointKind::Interface,
                    subnets: subnets.clone(),
                    security_groups: groups,
                    route_tables: Vec::new(),
                },
            );
        }
        FixIntent::AddGatewayEndpoint {
            vpc,
            service_name,
            route_tables,
        } => add_endpoint(
            model,
            lowered,
            vpc,
            service_name,
            Placement {
                kind: EndpointKind::Gateway,
                subnets: Vec::new(),
                security_groups: Vec::new(),
                route_tables: route_tables.clone(),
            },
        ),
        FixIntent::Manual { .. } => {}
    }
}

fn https_rule(peer: &HttpsPeer, group: &ResourceId) -> SgRule {
    SgRule {
        protocol: Protocol::Tcp,
        ports: PortRange::HTTPS,
        peer: match peer {
            HttpsPeer::Cidr(c) => SgPeer::Ipv4(*c),
            HttpsPeer::SecurityGroup(g) => SgPeer::SecurityGroup(g.clone()),
            HttpsPeer::PrefixList(p) => SgPeer::PrefixList(p.clone()),
        },
        provenance: Provenance::declared(format!("{group} (privlink fix)"), None),
    }
}

/// The endpoint group a backend created: HTTPS in from every CIDR of the VPC.
fn add_endpoint_group(model: &mut Model, id: &ResourceId, vpc: &ResourceId) {
    if model.security_groups.contains_key(id) {
        return;
    }
    let cidrs = model
        .vpcs
        .get(vpc)
        .map(|v| v.cidrs.known.clone())
        .unwrap_or_default();
    let ingress = cidrs
        .into_iter()
        .map(|c| https_rule(&HttpsPeer::Cidr(c), id))
        .collect();
    model.security_groups.insert(
        id.clone(),
        SecurityGroup {
            id: id.clone(),
            provenance: Provenance::declared(id.as_str(), None),
            vpc: Known::Value(vpc.clone()),
            is_default: false,
            ingress: Partial::complete(ingress),
            egress: Partial::default(),
        },
    );
}

/// Where a new endpoint is.
struct Placement {
    kind: EndpointKind,
    subnets: Vec<ResourceId>,
    security_groups: Vec<ResourceId>,
    route_tables: Vec<ResourceId>,
}

fn add_endpoint(
    model: &mut Model,
    lowered: &Lowered,
    vpc: &ResourceId,
    service_name: &str,
    placement: Placement,
) {
    let Placement {
        kind,
        subnets,
        security_groups,
        route_tables,
    } = placement;
    let Some(id) = &lowered.endpoint else {
        return;
    };
    model.endpoints.insert(
        id.clone(),
        VpcEndpoint {
            id: id.clone(),
            provenance: Provenance::declared(id.as_str(), None),
            vpc: Known::Value(vpc.clone()),
            service_name: Known::Value(service_name.to_owned()),
            kind: Known::Value(kind),
            private_dns: Known::Value(kind == EndpointKind::Interface),
            subnets: Partial::complete(subnets),
            security_groups: Partial::complete(security_groups),
            route_tables: Partial::complete(route_tables),
            policy: Known::Value(None),
            service_region: None,
        },
    );
}
