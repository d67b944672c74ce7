//! Lowering a snapshot's network into the model, with AWS's own semantics.
//!
//! What Terraform's lowering infers from provider defaults is read here from the account itself: the
//! main route table is the one whose association says `Main`, the default security group is the one
//! named `default`, the default network ACL says `IsDefault`. Ids are AWS ids. The routes AWS adds
//! for gateway endpoints are not kept as routes, because the model represents a gateway endpoint by
//! the route tables it lists (as it does for Terraform); the `local` route is implicit in the model.
//! A prefix list id is tagged with its service (`s3`) from `DescribePrefixLists`, so security-group
//! rules naming the S3 prefix list are recognised.

use std::collections::HashMap;

use ipnet::Ipv4Net;
use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    Diagnostic, DiagnosticKind, Direction, EndpointKind, InternetGateway, Known, Model, NaclAction,
    NaclEntry, NatConnectivity, NatGateway, NetworkAcl, Partial, PrefixListRef, Provenance,
    ResourceId, Route as ModelRoute, RouteDestination, RouteTable as ModelRouteTable,
    RouteTableAssociation as ModelAssociation, RouteTarget, SecurityGroup as ModelSecurityGroup,
    ServiceName, SgPeer, SgRule, Subnet as ModelSubnet, Unknown, Vpc as ModelVpc,
    VpcEndpoint as ModelEndpoint,
};

use super::format::{IpPermission, RegionSnapshot, Route};
use super::locate::Locator;

/// Lowers one region's network (everything but the workloads).
pub(super) fn network(region: &RegionSnapshot, at: &Locator<'_>, model: &mut Model) {
    let prefix_services: HashMap<&str, String> = region
        .prefix_lists
        .iter()
        .filter_map(|p| {
            Some((
                p.prefix_list_id.as_str(),
                ServiceName::parse(&p.prefix_list_name)?.service,
            ))
        })
        .collect();
    let lowering = RegionLowering {
        region,
        at,
        prefix_services,
    };
    lowering.errors(model);
    lowering.vpcs(model);
    lowering.subnets(model);
    lowering.route_tables(model);
    lowering.security_groups(model);
    lowering.network_acls(model);
    lowering.endpoints(model);
    lowering.gateways(model);
}

struct RegionLowering<'s> {
    region: &'s RegionSnapshot,
    at: &'s Locator<'s>,
    prefix_services: HashMap<&'s str, String>,
}

impl RegionLowering<'_> {
    fn declared(&self, id: &str) -> Provenance {
        Provenance::declared(id, Some(self.at.locate(id)))
    }

    fn errors(&self, model: &mut Model) {
        for e in &self.region.errors {
            model.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnresolvedInput,
                message: format!(
                    "{} failed in {}, so the scan has no {} there and findings that depend on them may be wrong: {}",
                    e.call,
                    self.region.region,
                    e.collection.replace('_', " "),
                    e.message
                ),
                location: Some(self.at.locate(&self.region.region)),
                resource: None,
                help: Some(format!(
                    "grant {} to the principal that scans (the README lists the policy `aws scan` needs) and scan again",
                    e.permission
                )),
                predicted_error: None,
            });
        }
    }

    fn vpcs(&self, model: &mut Model) {
        let r = self.region;
        for v in &r.vpcs {
            let id = ResourceId::new(&v.vpc_id);
            let mut cidrs = Partial::default();
            for c in &v.cidr_blocks {
                match c.parse::<Ipv4Net>() {
                    Ok(net) => cidrs.push(net),
                    Err(_) => cidrs.mark_incomplete(Unknown::new(format!(
                        "{} has a CIDR block privlink cannot read: {c}",
                        v.vpc_id
                    ))),
                }
            }
            let main = r
                .route_tables
                .iter()
                .find(|t| t.vpc_id == v.vpc_id && t.associations.iter().any(|a| a.main))
                .map(|t| ResourceId::new(&t.route_table_id));
            let main_route_table = main.map_or_else(
                || {
                    Known::unknown(format!(
                        "the main route table of {} is not in the scan",
                        v.vpc_id
                    ))
                },
                Known::Value,
            );
            let default_sg = r
                .security_groups
                .iter()
                .find(|g| g.vpc_id.as_deref() == Some(&v.vpc_id) && g.group_name == "default")
                .map(|g| ResourceId::new(&g.group_id))
                .unwrap_or_else(|| self.placeholder_group(model, &id, "default-security-group"));
            let default_acl = r
                .network_acls
                .iter()
                .find(|a| a.vpc_id == v.vpc_id && a.is_default)
                .map(|a| ResourceId::new(&a.network_acl_id))
                .unwrap_or_else(|| self.placeholder_acl(model, &id));
            let attribute = |value: Option<bool>, name: &str| {
                value.map_or_else(
                    || {
                        Known::unknown(format!(
                            "ec2:DescribeVpcAttribute {name} of {} was not read",
                            v.vpc_id
                        ))
                    },
                    Known::Value,
                )
            };
            model.vpcs.insert(
                id.clone(),
                ModelVpc {
                    id,
                    provenance: self.declared(&v.vpc_id),
                    region: Known::Value(r.region.clone()),
                    cidrs,
                    dns_support: attribute(v.enable_dns_support, "enableDnsSupport"),
                    dns_hostnames: attribute(v.enable_dns_hostnames, "enableDnsHostnames"),
                    main_route_table,
                    default_security_group: default_sg,
                    default_network_acl: default_acl,
                },
            );
        }
    }

    /// A stand-in for a VPC's default security group the scan did not return: its rules are unknown.
    fn placeholder_group(&self, model: &mut Model, vpc: &ResourceId, what: &str) -> ResourceId {
        let id = vpc.implicit(what);
        let reason = format!("the {what} of {vpc} is not in the scan");
        model.security_groups.insert(
            id.clone(),
            ModelSecurityGroup {
                id: id.clone(),
                provenance: Provenance::external(
                    id.as_str(),
                    Some(self.at.locate(vpc.as_str())),
                    reason.clone(),
                ),
                vpc: Known::Value(vpc.clone()),
                is_default: what == "default-security-group",
                ingress: Partial::unknown(reason.clone()),
                egress: Partial::unknown(reason),
            },
        );
        id
    }

    fn placeholder_acl(&self, model: &mut Model, vpc: &ResourceId) -> ResourceId {
        let id = vpc.implicit("default-network-acl");
        let reason = format!("the default network ACL of {vpc} is not in the scan");
        model.network_acls.insert(
            id.clone(),
            NetworkAcl {
                id: id.clone(),
                provenance: Provenance::external(
                    id.as_str(),
                    Some(self.at.locate(vpc.as_str())),
                    reason.clone(),
                ),
                vpc: Known::Value(vpc.clone()),
                is_default: true,
                subnets: Partial::default(),
                entries: Partial::unknown(reason),
            },
        );
        id
    }

    fn subnets(&self, model: &mut Model) {
        for s in &self.region.subnets {
            let id = ResourceId::new(&s.subnet_id);
            let cidr = match s.cidr_block.as_deref().map(str::parse::<Ipv4Net>) {
                Some(Ok(net)) => Known::Value(net),
                Some(Err(_)) => Known::unknown(format!(
                    "{} has a CIDR block privlink cannot read",
                    s.subnet_id
                )),
                None => Known::unknown(format!(
                    "{} has no IPv4 CIDR block (IPv6-only)",
                    s.subnet_id
                )),
            };
            model.subnets.insert(
                id.clone(),
                ModelSubnet {
                    id,
                    provenance: self.declared(&s.subnet_id),
                    vpc: Known::Value(ResourceId::new(&s.vpc_id)),
                    cidr,
                    availability_zone: s.availability_zone.clone().map_or_else(
                        || {
                            Known::unknown(format!(
                                "the scan has no availability zone for {}",
                                s.subnet_id
                            ))
                        },
                        Known::Value,
                    ),
                    map_public_ip_on_launch: Known::Value(s.map_public_ip_on_launch),
                },
            );
        }
    }

    fn route_tables(&self, model: &mut Model) {
        for t in &self.region.route_tables {
            let id = ResourceId::new(&t.route_table_id);
            let provenance = self.declared(&t.route_table_id);
            let routes = t
                .routes
                .iter()
                .filter_map(|r| self.route(r, &provenance))
                .collect();
            for a in &t.associations {
                if let Some(subnet) = &a.subnet_id {
                    let address = a
                        .route_table_association_id
                        .clone()
                        .unwrap_or_else(|| format!("{}/{subnet}", t.route_table_id));
                    model.route_table_associations.push(ModelAssociation {
                        subnet: Known::Value(ResourceId::new(subnet)),
                        route_table: Known::Value(id.clone()),
                        provenance: Provenance::declared(address, provenance.location.clone()),
                    });
                }
            }
            model.route_tables.insert(
                id.clone(),
                ModelRouteTable {
                    id,
                    provenance,
                    vpc: Known::Value(ResourceId::new(&t.vpc_id)),
                    routes: Partial::complete(routes),
                },
            );
        }
    }

    /// One route; `None` for the implicit `local` route and for the routes of gateway endpoints.
    fn route(&self, r: &Route, table: &Provenance) -> Option<ModelRoute> {
        let gateway = r.gateway_id.as_deref();
        if gateway == Some("local")
            || (gateway.is_some_and(|g| g.starts_with("vpce-"))
                && r.destination_prefix_list_id.is_some())
        {
            return None;
        }
        let destination = if let Some(c) = &r.destination_cidr_block {
            c.parse().map_or_else(
                |_| RouteDestination::Unknown(Unknown::new(format!("unreadable destination {c}"))),
                RouteDestination::Ipv4,
            )
        } else if let Some(pl) = &r.destination_prefix_list_id {
            RouteDestination::PrefixList(self.prefix_list(pl))
        } else if let Some(c) = &r.destination_ipv6_cidr_block {
            RouteDestination::Ipv6(c.clone())
        } else {
            RouteDestination::Unknown(Unknown::new("the route has no destination"))
        };
        let id = |s: &String| ResourceId::new(s);
        let mut target = if let Some(g) = gateway {
            match g.split('-').next() {
                Some("igw") => RouteTarget::InternetGateway(ResourceId::new(g)),
                Some("vgw") => RouteTarget::VpnGateway(ResourceId::new(g)),
                Some("vpce") => RouteTarget::VpcEndpoint(ResourceId::new(g)),
                _ => RouteTarget::Other(g.to_owned()),
            }
        } else if let Some(n) = &r.nat_gateway_id {
            RouteTarget::NatGateway(id(n))
        } else if let Some(n) = &r.network_interface_id {
            RouteTarget::NetworkInterface(id(n))
        } else if let Some(n) = &r.instance_id {
            RouteTarget::Instance(id(n))
        } else if let Some(n) = &r.transit_gateway_id {
            RouteTarget::TransitGateway(id(n))
        } else if let Some(n) = &r.vpc_peering_connection_id {
            RouteTarget::VpcPeering(id(n))
        } else if let Some(n) = &r.egress_only_internet_gateway_id {
            RouteTarget::EgressOnlyInternetGateway(id(n))
        } else if let Some(n) = &r.other_target {
            RouteTarget::Other(n.clone())
        } else {
            RouteTarget::Unknown(Unknown::new("the route has no target"))
        };
        if r.state.as_deref() == Some("blackhole") {
            // The target is gone: the route matches and drops.
            target = RouteTarget::Other(format!(
                "blackhole (the target of this route no longer exists: {target:?})"
            ));
        }
        Some(ModelRoute {
            destination,
            target,
            provenance: table.clone(),
        })
    }

    fn prefix_list(&self, id: &str) -> PrefixListRef {
        PrefixListRef::Id {
            id: id.to_owned(),
            service: self.prefix_services.get(id).cloned(),
        }
    }

    fn security_groups(&self, model: &mut Model) {
        for g in &self.region.security_groups {
            let id = ResourceId::new(&g.group_id);
            let provenance = self.declared(&g.group_id);
            let vpc = g.vpc_id.clone().map_or_else(
                || Known::unknown(format!("{} is an EC2-Classic group", g.group_id)),
                |v| Known::Value(ResourceId::new(v)),
            );
            model.security_groups.insert(
                id.clone(),
                ModelSecurityGroup {
                    ingress: self.sg_rules(&g.ip_permissions, &provenance),
                    egress: self.sg_rules(&g.ip_permissions_egress, &provenance),
                    id,
                    provenance,
                    vpc,
                    is_default: g.group_name == "default",
                },
            );
        }
    }

    fn sg_rules(&self, permissions: &[IpPermission], provenance: &Provenance) -> Partial<SgRule> {
        let mut rules = Partial::default();
        for p in permissions {
            let Some(protocol) = Protocol::parse(&p.ip_protocol) else {
                rules.mark_incomplete(Unknown::new(format!(
                    "a rule of {} has protocol `{}`",
                    provenance.address, p.ip_protocol
                )));
                continue;
            };
            let ports = ports_of(protocol, p.from_port, p.to_port);
            let mut push = |peer| {
                rules.push(SgRule {
                    protocol,
                    ports,
                    peer,
                    provenance: provenance.clone(),
                });
            };
            for c in &p.ip_ranges {
                push(c.parse().map_or_else(
                    |_| SgPeer::Unknown(Unknown::new(format!("unreadable CIDR {c}"))),
                    SgPeer::Ipv4,
                ));
            }
            for c in &p.ipv6_ranges {
                push(SgPeer::Ipv6(c.clone()));
            }
            for pl in &p.prefix_list_ids {
                push(SgPeer::PrefixList(self.prefix_list(pl)));
            }
            for g in &p.user_id_group_pairs {
                push(SgPeer::SecurityGroup(ResourceId::new(g)));
            }
        }
        rules
    }

    fn network_acls(&self, model: &mut Model) {
        for a in &self.region.network_acls {
            let id = ResourceId::new(&a.network_acl_id);
            let provenance = self.declared(&a.network_acl_id);
            let mut entries = Partial::default();
            for e in &a.entries {
                let Some(cidr) = &e.cidr_block else { continue };
                let Some(protocol) = Protocol::parse(&e.protocol) else {
                    entries.mark_incomplete(Unknown::new(format!(
                        "entry {} of {} has protocol `{}`",
                        e.rule_number, a.network_acl_id, e.protocol
                    )));
                    continue;
                };
                let ports = e.port_range.map_or(PortRange::ALL, |r| {
                    ports_of(protocol, Some(r.from), Some(r.to))
                });
                entries.push(NaclEntry {
                    rule_number: u32::try_from(e.rule_number).unwrap_or(u32::MAX),
                    direction: if e.egress {
                        Direction::Egress
                    } else {
                        Direction::Ingress
                    },
                    protocol,
                    ports,
                    cidr: cidr.parse().map_or_else(
                        |_| Known::unknown(format!("unreadable CIDR {cidr}")),
                        Known::Value,
                    ),
                    action: if e.rule_action.eq_ignore_ascii_case("allow") {
                        NaclAction::Allow
                    } else {
                        NaclAction::Deny
                    },
                    provenance: provenance.clone(),
                });
            }
            model.network_acls.insert(
                id.clone(),
                NetworkAcl {
                    id,
                    provenance,
                    vpc: Known::Value(ResourceId::new(&a.vpc_id)),
                    is_default: a.is_default,
                    subnets: Partial::complete(a.subnet_ids.iter().map(ResourceId::new).collect()),
                    entries,
                },
            );
        }
    }

    fn endpoints(&self, model: &mut Model) {
        let gone = ["deleted", "deleting", "failed", "rejected", "expired"];
        for e in &self.region.vpc_endpoints {
            if e.state
                .as_deref()
                .is_some_and(|s| gone.contains(&s.to_ascii_lowercase().as_str()))
            {
                continue;
            }
            let id = ResourceId::new(&e.vpc_endpoint_id);
            let ids =
                |list: &[String]| Partial::complete(list.iter().map(ResourceId::new).collect());
            model.endpoints.insert(
                id.clone(),
                ModelEndpoint {
                    id,
                    provenance: self.declared(&e.vpc_endpoint_id),
                    vpc: Known::Value(ResourceId::new(&e.vpc_id)),
                    service_name: Known::Value(e.service_name.clone()),
                    kind: EndpointKind::parse(&e.vpc_endpoint_type).map_or_else(
                        || Known::unknown(format!("endpoint type `{}`", e.vpc_endpoint_type)),
                        Known::Value,
                    ),
                    private_dns: Known::Value(e.private_dns_enabled),
                    subnets: ids(&e.subnet_ids),
                    security_groups: ids(&e.group_ids),
                    route_tables: ids(&e.route_table_ids),
                    policy: Known::Value(e.policy_document.clone().filter(|p| !is_full_access(p))),
                    service_region: e.service_region.clone().map(Known::Value),
                },
            );
        }
    }

    fn gateways(&self, model: &mut Model) {
        for g in &self.region.internet_gateways {
            let id = ResourceId::new(&g.internet_gateway_id);
            model.internet_gateways.insert(
                id.clone(),
                InternetGateway {
                    id,
                    provenance: self.declared(&g.internet_gateway_id),
                    vpc: g
                        .attached_vpc_ids
                        .first()
                        .map(|v| Known::Value(ResourceId::new(v))),
                },
            );
        }
        let gone = ["deleted", "deleting", "failed"];
        for n in &self.region.nat_gateways {
            if n.state.as_deref().is_some_and(|s| gone.contains(&s)) {
                continue;
            }
            let id = ResourceId::new(&n.nat_gateway_id);
            model.nat_gateways.insert(
                id.clone(),
                NatGateway {
                    id,
                    provenance: self.declared(&n.nat_gateway_id),
                    subnet: n.subnet_id.clone().map_or_else(
                        || Known::unknown("the NAT gateway's subnet is not in the scan"),
                        |s| Known::Value(ResourceId::new(s)),
                    ),
                    connectivity: if n.connectivity_type.as_deref() == Some("private") {
                        NatConnectivity::Private
                    } else {
                        NatConnectivity::Public
                    },
                },
            );
        }
    }
}

/// The ports a rule covers: its range for TCP and UDP, every port otherwise (`-1` means all).
fn ports_of(protocol: Protocol, from: Option<i32>, to: Option<i32>) -> PortRange {
    let port = |p: Option<i32>| p.and_then(|p| u16::try_from(p).ok());
    match (protocol, port(from), port(to)) {
        (Protocol::Tcp | Protocol::Udp, Some(f), Some(t)) => PortRange::new(f, t),
        _ => PortRange::ALL,
    }
}

/// Whether a policy document is the full-access policy AWS attaches by default (AWS returns it
/// explicitly; the model's `None` means exactly that).
fn is_full_access(document: &str) -> bool {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(document) else {
        return false;
    };
    let statements = match json.get("Statement") {
        Some(serde_json::Value::Array(s)) => s.clone(),
        Some(one) => vec![one.clone()],
        None => return false,
    };
    let star = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s == "*",
        Some(serde_json::Value::Array(a)) => a.len() == 1 && a[0] == "*",
        Some(serde_json::Value::Object(o)) => {
            o.len() == 1 && o.get("AWS").is_some_and(|a| a == "*")
        }
        _ => false,
    };
    statements.len() == 1 && {
        let s = &statements[0];
        s.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
            && star(s.get("Principal"))
            && star(s.get("Action"))
            && star(s.get("Resource"))
            && s.get("Condition").is_none()
            && s.get("NotAction").is_none()
            && s.get("NotResource").is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_endpoint_policy_is_full_access() {
        assert!(is_full_access(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#
        ));
        assert!(is_full_access(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["*"],"Resource":"*"}}"#
        ));
        assert!(!is_full_access(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#
        ));
        assert!(!is_full_access(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}"#
        ));
    }

    #[test]
    fn ports_follow_the_protocol() {
        assert_eq!(
            ports_of(Protocol::Tcp, Some(443), Some(443)),
            PortRange::HTTPS
        );
        assert_eq!(ports_of(Protocol::All, Some(-1), Some(-1)), PortRange::ALL);
        assert_eq!(ports_of(Protocol::Icmp, Some(8), Some(0)), PortRange::ALL);
    }
}
