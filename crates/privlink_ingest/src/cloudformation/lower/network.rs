//! VPCs and their implicit companions, subnets, gateways, route tables, routes and associations.

use privlink_model::{
    InternetGateway, Known, Location, NatConnectivity, NatGateway, Partial, PrefixListRef,
    Provenance, ResourceId, Route, RouteDestination, RouteTable, RouteTableAssociation,
    RouteTarget, Subnet, Unknown,
};

use super::Lowerer;
use super::attrs::{bool_or, cidr_value, string, unknown_of};
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;
use crate::elements::{ElementKind, VpcDeclaration, insert_vpc};

/// Builds a route target from the id of what a route field names.
type MakeTarget = fn(ResourceId) -> RouteTarget;

impl Lowerer<'_> {
    pub(super) fn vpc(&mut self, r: &CfnResource) {
        let id = r.id.clone();
        let at = r.location();
        let mut cidrs = Partial::default();
        match r.get("CidrBlock") {
            Some(v) => match cidr_value(v) {
                Known::Value(net) => cidrs.push(net),
                Known::Unknown(u) => cidrs.mark_incomplete(u),
            },
            // `Ipv4IpamPoolId` allocates the block at deploy time.
            None => cidrs.mark_incomplete(Unknown::new(format!(
                "{id} gets its CIDR block from IPAM at deploy time"
            ))),
        }
        insert_vpc(
            &mut self.model,
            VpcDeclaration {
                id,
                provenance: Provenance::declared(r.id.as_str(), at),
                region: self.regions[r.template_id].clone(),
                cidrs,
                dns_support: bool_or(r, "EnableDnsSupport", true),
                dns_hostnames: bool_or(r, "EnableDnsHostnames", false),
            },
        );
    }

    pub(super) fn secondary_cidr(&mut self, r: &CfnResource) {
        let Known::Value(vpc) = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        ) else {
            return;
        };
        let cidr = r.get("CidrBlock").map_or_else(
            || Known::unknown(format!("{} gets its CIDR block at deploy time", r.id)),
            cidr_value,
        );
        if let Some(v) = self.model.vpcs.get_mut(&vpc) {
            match cidr {
                Known::Value(net) => v.cidrs.push(net),
                Known::Unknown(u) => v.cidrs.mark_incomplete(u),
            }
        }
    }

    pub(super) fn subnet(&mut self, r: &CfnResource) {
        let vpc = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        );
        let availability_zone = string(r, "AvailabilityZone")
            .or_else(|| string(r, "AvailabilityZoneId"))
            .unwrap_or_else(|| {
                Known::unknown(format!(
                    "AWS picks the availability zone of {} at deploy time",
                    r.id
                ))
            });
        let cidr = r.get("CidrBlock").map_or_else(
            || Known::unknown(format!("{} gets its CIDR block at deploy time", r.id)),
            cidr_value,
        );
        self.model.subnets.insert(
            r.id.clone(),
            Subnet {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc,
                cidr,
                availability_zone,
                map_public_ip_on_launch: bool_or(r, "MapPublicIpOnLaunch", false),
            },
        );
    }

    pub(super) fn internet_gateway(&mut self, r: &CfnResource) {
        self.model.internet_gateways.insert(
            r.id.clone(),
            InternetGateway {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc: None,
            },
        );
    }

    pub(super) fn gateway_attachment(&mut self, r: &CfnResource) {
        // A VPN gateway attachment does not concern internet access.
        let Some(igw) = r.get("InternetGatewayId") else {
            return;
        };
        let igw = self.resolve(
            igw,
            ElementKind::InternetGateway,
            r.location_of("InternetGatewayId").as_ref(),
        );
        let vpc = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        );
        if let Known::Value(igw) = igw
            && let Some(g) = self.model.internet_gateways.get_mut(&igw)
        {
            g.vpc = Some(vpc);
        }
    }

    pub(super) fn nat_gateway(&mut self, r: &CfnResource) {
        let subnet = self.resolve(
            r.get("SubnetId").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("SubnetId").as_ref(),
        );
        let connectivity = match string(r, "ConnectivityType") {
            Some(Known::Value(t)) if t == "private" => NatConnectivity::Private,
            _ => NatConnectivity::Public,
        };
        self.model.nat_gateways.insert(
            r.id.clone(),
            NatGateway {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                subnet,
                connectivity,
            },
        );
    }

    pub(super) fn route_table(&mut self, r: &CfnResource) {
        let vpc = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        );
        self.model.route_tables.insert(
            r.id.clone(),
            RouteTable {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc,
                routes: Partial::default(),
            },
        );
    }

    pub(super) fn route(&mut self, r: &CfnResource) {
        let table = self.resolve(
            r.get("RouteTableId").unwrap_or(&Value::Null),
            ElementKind::RouteTable,
            r.location_of("RouteTableId").as_ref(),
        );
        let at = r.location();
        let destination = if let Some(v) = r.get("DestinationCidrBlock") {
            match cidr_value(v) {
                Known::Value(net) => RouteDestination::Ipv4(net),
                Known::Unknown(u) => RouteDestination::Unknown(u),
            }
        } else if let Some(v) = r.get("DestinationPrefixListId") {
            RouteDestination::PrefixList(self.prefix_list(v))
        } else if let Some(v) = r.get("DestinationIpv6CidrBlock") {
            RouteDestination::Ipv6(v.to_text().unwrap_or_else(|| "(unknown)".to_owned()))
        } else {
            RouteDestination::Unknown(Unknown::new("the route has no destination"))
        };
        let target = self.route_target(r, at.as_ref());
        let route = Route {
            destination,
            target,
            provenance: Provenance::declared(r.id.as_str(), at),
        };
        match table {
            Known::Value(rt) => {
                if let Some(t) = self.model.route_tables.get_mut(&rt) {
                    t.routes.push(route);
                }
            }
            Known::Unknown(u) => {
                // A route we cannot place could be on any table: those tables are then incomplete.
                let reason = Unknown::new(format!(
                    "{} adds a route to a table privlink cannot determine ({})",
                    r.id, u.reason
                ));
                for t in self.model.route_tables.values_mut() {
                    t.routes.mark_incomplete(reason.clone());
                }
            }
        }
    }

    fn route_target(&mut self, r: &CfnResource, at: Option<&Location>) -> RouteTarget {
        let targets: [(&str, MakeTarget); 9] = [
            ("NatGatewayId", RouteTarget::NatGateway),
            ("InstanceId", RouteTarget::Instance),
            ("NetworkInterfaceId", RouteTarget::NetworkInterface),
            ("TransitGatewayId", RouteTarget::TransitGateway),
            ("VpcPeeringConnectionId", RouteTarget::VpcPeering),
            ("VpcEndpointId", RouteTarget::VpcEndpoint),
            (
                "EgressOnlyInternetGatewayId",
                RouteTarget::EgressOnlyInternetGateway,
            ),
            ("CarrierGatewayId", |_| {
                RouteTarget::Other("carrier gateway".to_owned())
            }),
            ("LocalGatewayId", |_| {
                RouteTarget::Other("local gateway".to_owned())
            }),
        ];
        if let Some(v) = r.get("GatewayId") {
            let resource_type = self.referenced(v).map(|t| t.resource_type.as_str());
            let text = v.as_str().unwrap_or_default();
            let make: MakeTarget = if resource_type == Some("AWS::EC2::VPNGateway")
                || text.starts_with("vgw-")
            {
                RouteTarget::VpnGateway
            } else if resource_type == Some("AWS::EC2::VPCEndpoint") || text.starts_with("vpce-") {
                RouteTarget::VpcEndpoint
            } else {
                RouteTarget::InternetGateway
            };
            return self.target_of(v, make, at);
        }
        for (field, make) in targets {
            if let Some(v) = r.get(field) {
                return self.target_of(v, make, at);
            }
        }
        if r.get("CoreNetworkArn").is_some() {
            return RouteTarget::Other("core network".to_owned());
        }
        RouteTarget::Unknown(Unknown::new("the route has no target"))
    }

    fn target_of(
        &mut self,
        value: &Value,
        make: fn(ResourceId) -> RouteTarget,
        at: Option<&Location>,
    ) -> RouteTarget {
        match self.resolve(value, ElementKind::Other, at) {
            Known::Value(id) => make(id),
            Known::Unknown(u) => RouteTarget::Unknown(u),
        }
    }

    /// A prefix-list reference (route destination or security-group peer).
    pub(super) fn prefix_list(&self, value: &Value) -> PrefixListRef {
        if let Some(target) = self.referenced(value) {
            return match target.resource_type.as_str() {
                "AWS::EC2::PrefixList" => {
                    let mut cidrs = Partial::default();
                    match super::attrs::items(target.get("Entries")) {
                        Ok(entries) => {
                            for (_, e) in entries {
                                match e.get("Cidr").map(cidr_value) {
                                    Some(Known::Value(net)) => cidrs.push(net),
                                    Some(Known::Unknown(u)) => cidrs.mark_incomplete(u),
                                    None => {}
                                }
                            }
                        }
                        Err(u) => cidrs.mark_incomplete(u),
                    }
                    PrefixListRef::CustomerManaged {
                        id: target.id.clone(),
                        cidrs,
                    }
                }
                _ => PrefixListRef::Unknown(Unknown::new(format!(
                    "{} is not a prefix list",
                    target.id
                ))),
            };
        }
        match value {
            Value::String(s) => PrefixListRef::Id {
                id: s.clone(),
                service: None,
            },
            other => PrefixListRef::Unknown(unknown_of(other)),
        }
    }

    pub(super) fn route_table_association(&mut self, r: &CfnResource) {
        let subnet = self.resolve(
            r.get("SubnetId").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("SubnetId").as_ref(),
        );
        let route_table = self.resolve(
            r.get("RouteTableId").unwrap_or(&Value::Null),
            ElementKind::RouteTable,
            r.location_of("RouteTableId").as_ref(),
        );
        self.model
            .route_table_associations
            .push(RouteTableAssociation {
                subnet,
                route_table,
                provenance: Provenance::declared(r.id.as_str(), r.location()),
            });
    }
}
