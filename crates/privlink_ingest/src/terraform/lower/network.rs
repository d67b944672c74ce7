//! VPCs and their implicit companions, subnets, gateways, route tables, routes and associations.

use privlink_model::{
    InternetGateway, Known, NatConnectivity, NatGateway, Partial, PrefixListRef, Provenance,
    ResourceId, Route, RouteDestination, RouteTable, RouteTableAssociation, RouteTarget, Subnet,
    Unknown,
};

use super::Lowerer;
use super::attrs::{self, bool_or, cidr_value, field, string};
use crate::elements::{ElementKind, VpcDeclaration, insert_vpc};
use crate::terraform::resource::TfResource;
use crate::terraform::value::Value;

impl Lowerer<'_> {
    pub(super) fn vpc(&mut self, r: &TfResource) {
        let is_default_vpc = r.resource_type == "aws_default_vpc";
        let mut cidrs = Partial::default();
        match r.get("cidr_block") {
            Some(v) => match cidr_value(v) {
                Known::Value(net) => cidrs.push(net),
                Known::Unknown(u) => cidrs.mark_incomplete(u),
            },
            None if is_default_vpc => cidrs.push("172.31.0.0/16".parse().expect("valid CIDR")),
            // `ipv4_ipam_pool_id` allocates the block at apply.
            None => cidrs.mark_incomplete(Unknown::new(format!(
                "{} gets its CIDR block at apply",
                r.address
            ))),
        }
        insert_vpc(
            &mut self.model,
            VpcDeclaration {
                id: ResourceId::new(&r.address),
                provenance: Provenance::declared(&r.address, r.location.clone()),
                region: r.region.clone(),
                cidrs,
                dns_support: bool_or(r, "enable_dns_support", true),
                dns_hostnames: bool_or(r, "enable_dns_hostnames", is_default_vpc),
            },
        );
    }

    pub(super) fn secondary_cidr(&mut self, r: &TfResource) {
        let at = r.location_of("vpc_id");
        let Known::Value(vpc) = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            at.as_ref(),
        ) else {
            return;
        };
        let cidr = r.get("cidr_block").map_or_else(
            || Known::unknown(format!("{} gets its CIDR block at apply", r.address)),
            cidr_value,
        );
        if let Some(v) = self.model.vpcs.get_mut(&vpc) {
            match cidr {
                Known::Value(net) => v.cidrs.push(net),
                Known::Unknown(u) => v.cidrs.mark_incomplete(u),
            }
        }
    }

    /// The VPC whose implicit companion `value` names (`aws_vpc.main.default_route_table_id`, or in
    /// state the companion's AWS id).
    pub(super) fn companion_vpc(
        &self,
        value: Option<&Value>,
        attributes: &[&str],
    ) -> Option<ResourceId> {
        match value? {
            Value::Unknown(u) => {
                let r = u.reference.as_ref()?;
                let target = self.by_address.get(r.address.as_str())?;
                (super::links::kind_of_type(&target.resource_type) == ElementKind::Vpc
                    && attributes.contains(&r.attribute.as_str()))
                .then(|| ResourceId::new(&r.address))
            }
            Value::String(s) => self
                .model
                .vpcs
                .keys()
                .find(|vpc| {
                    self.by_address.get(vpc.as_str()).is_some_and(|res| {
                        attributes
                            .iter()
                            .any(|a| res.get(a).and_then(Value::as_str) == Some(s))
                    })
                })
                .cloned(),
            _ => None,
        }
    }

    pub(super) fn default_route_table(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let vpc = self.companion_vpc(
            r.get("default_route_table_id"),
            &["default_route_table_id", "main_route_table_id"],
        );
        let routes = self.routes_of(r, "route");
        self.model.route_tables.insert(
            id.clone(),
            RouteTable {
                id: id.clone(),
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc: vpc.clone().map_or_else(
                    || Known::unknown("the VPC of this default route table is not in the inputs"),
                    Known::Value,
                ),
                routes,
            },
        );
        if let Some(v) = vpc.and_then(|vpc| self.model.vpcs.get_mut(&vpc)) {
            let implicit = v.main_route_table.value().cloned();
            v.main_route_table = Known::Value(id);
            // The implicit main route table *is* this one: drop the stand-in.
            if let Some(old) = implicit {
                self.model.route_tables.shift_remove(&old);
            }
        }
    }

    pub(super) fn main_route_table_association(&mut self, r: &TfResource) {
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let rt = self.resolve(
            r.get("route_table_id").unwrap_or(&Value::Null),
            ElementKind::RouteTable,
            r.location_of("route_table_id").as_ref(),
        );
        if let Known::Value(vpc) = vpc
            && let Some(v) = self.model.vpcs.get_mut(&vpc)
        {
            v.main_route_table = rt;
        }
    }

    pub(super) fn subnet(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let is_default = r.resource_type == "aws_default_subnet";
        let vpc = match r.get("vpc_id") {
            Some(v) => self.resolve(v, ElementKind::Vpc, r.location_of("vpc_id").as_ref()),
            None => Known::unknown(format!(
                "{} is in the region's default VPC, which is not in the inputs",
                r.address
            )),
        };
        let availability_zone = string(r, "availability_zone")
            .or_else(|| string(r, "availability_zone_id"))
            .unwrap_or_else(|| {
                Known::unknown(format!(
                    "AWS picks the availability zone of {} at apply",
                    r.address
                ))
            });
        let cidr = r.get("cidr_block").map_or_else(
            || Known::unknown(format!("{} gets its CIDR block at apply", r.address)),
            cidr_value,
        );
        self.model.subnets.insert(
            id.clone(),
            Subnet {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                cidr,
                availability_zone,
                map_public_ip_on_launch: bool_or(r, "map_public_ip_on_launch", is_default),
            },
        );
    }

    pub(super) fn internet_gateway(&mut self, r: &TfResource) {
        let vpc = r
            .get("vpc_id")
            .map(|v| self.resolve(v, ElementKind::Vpc, r.location_of("vpc_id").as_ref()));
        let id = ResourceId::new(&r.address);
        self.model.internet_gateways.insert(
            id.clone(),
            InternetGateway {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
            },
        );
    }

    pub(super) fn internet_gateway_attachment(&mut self, r: &TfResource) {
        let igw = self.resolve(
            r.get("internet_gateway_id").unwrap_or(&Value::Null),
            ElementKind::InternetGateway,
            r.location.as_ref(),
        );
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        if let Known::Value(igw) = igw
            && let Some(g) = self.model.internet_gateways.get_mut(&igw)
        {
            g.vpc = Some(vpc);
        }
    }

    pub(super) fn nat_gateway(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let subnet = self.resolve(
            r.get("subnet_id").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("subnet_id").as_ref(),
        );
        let connectivity = match string(r, "connectivity_type") {
            Some(Known::Value(t)) if t == "private" => NatConnectivity::Private,
            _ => NatConnectivity::Public,
        };
        self.model.nat_gateways.insert(
            id.clone(),
            NatGateway {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                subnet,
                connectivity,
            },
        );
    }

    pub(super) fn route_table(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let vpc = self.resolve(
            r.get("vpc_id").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("vpc_id").as_ref(),
        );
        let routes = self.routes_of(r, "route");
        self.model.route_tables.insert(
            id.clone(),
            RouteTable {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                vpc,
                routes,
            },
        );
    }

    /// The inline routes of a route table (`route` blocks or a `route = [...]` list).
    fn routes_of(&mut self, r: &TfResource, name: &str) -> Partial<Route> {
        let mut routes = Partial::default();
        match attrs::blocks(r, name) {
            Ok(list) => {
                for (i, block) in list {
                    let at = r.location_of(&format!("{name}.{i}"));
                    if let Some(route) = self.route_from(
                        block,
                        [
                            "cidr_block",
                            "ipv6_cidr_block",
                            "destination_prefix_list_id",
                        ],
                        &r.address,
                        at,
                    ) {
                        routes.push(route);
                    }
                }
            }
            Err(u) => routes.mark_incomplete(u),
        }
        routes
    }

    pub(super) fn route(&mut self, r: &TfResource) {
        let rt = self.resolve(
            r.get("route_table_id").unwrap_or(&Value::Null),
            ElementKind::RouteTable,
            r.location_of("route_table_id").as_ref(),
        );
        let block = Value::Map(r.attributes.clone());
        let route = self.route_from(
            &block,
            [
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
                "destination_prefix_list_id",
            ],
            &r.address,
            r.location.clone(),
        );
        match (rt, route) {
            (Known::Value(rt), Some(route)) => {
                if let Some(table) = self.model.route_tables.get_mut(&rt) {
                    table.routes.push(route);
                }
            }
            (Known::Unknown(u), Some(_)) => {
                // A route we cannot place could be on any table: those tables are then incomplete.
                for table in self.model.route_tables.values_mut() {
                    table.routes.mark_incomplete(Unknown::new(format!(
                        "{} adds a route to a table privlink cannot determine ({})",
                        r.address, u.reason
                    )));
                }
            }
            _ => {}
        }
    }

    /// One route from a block with the given destination field names (IPv4, IPv6, prefix list).
    fn route_from(
        &mut self,
        block: &Value,
        [v4, v6, pl]: [&str; 3],
        address: &str,
        at: Option<privlink_model::Location>,
    ) -> Option<Route> {
        let destination = if let Some(v) = field(block, v4) {
            match cidr_value(v) {
                Known::Value(net) => RouteDestination::Ipv4(net),
                Known::Unknown(u) => RouteDestination::Unknown(u),
            }
        } else if let Some(v) = field(block, pl) {
            RouteDestination::PrefixList(self.prefix_list(v, at.as_ref()))
        } else if let Some(v) = field(block, v6) {
            RouteDestination::Ipv6(v.as_str().unwrap_or("(unknown)").to_owned())
        } else {
            RouteDestination::Unknown(Unknown::new("the route has no destination"))
        };
        let target = self.route_target(block, at.as_ref())?;
        Some(Route {
            destination,
            target,
            provenance: Provenance::declared(address, at),
        })
    }

    /// The target of a route; `None` for the implicit `local` route.
    fn route_target(
        &mut self,
        block: &Value,
        at: Option<&privlink_model::Location>,
    ) -> Option<RouteTarget> {
        let other = |this: &mut Self, v: &Value| match this.resolve(v, ElementKind::Other, at) {
            Known::Value(id) => Ok(id),
            Known::Unknown(u) => Err(u),
        };
        let pick = |result: Result<ResourceId, Unknown>, make: Make| match result {
            Ok(id) => make(id),
            Err(u) => RouteTarget::Unknown(u),
        };
        // The argument only says what the id usually is: the id decides (the API and Terraform
        // accept a NAT gateway in `gateway_id`, for one).
        let by_argument: [(&str, Make); 8] = [
            ("gateway_id", RouteTarget::InternetGateway),
            ("nat_gateway_id", RouteTarget::NatGateway),
            ("network_interface_id", RouteTarget::NetworkInterface),
            ("instance_id", RouteTarget::Instance),
            ("transit_gateway_id", RouteTarget::TransitGateway),
            ("vpc_peering_connection_id", RouteTarget::VpcPeering),
            ("vpc_endpoint_id", RouteTarget::VpcEndpoint),
            (
                "egress_only_gateway_id",
                RouteTarget::EgressOnlyInternetGateway,
            ),
        ];
        let target = if let Some((name, make, v)) = by_argument
            .into_iter()
            .find_map(|(name, make)| field(block, name).map(|v| (name, make, v)))
        {
            if name == "gateway_id" && v.as_str() == Some("local") {
                return None;
            }
            pick(other(self, v), self.target_kind(v).unwrap_or(make))
        } else if let Some(name) = ["local_gateway_id", "carrier_gateway_id", "core_network_arn"]
            .into_iter()
            .find(|n| field(block, n).is_some())
        {
            RouteTarget::Other(
                name.trim_end_matches("_id")
                    .trim_end_matches("_arn")
                    .replace('_', " "),
            )
        } else {
            RouteTarget::Unknown(Unknown::new("the route has no target"))
        };
        Some(target)
    }

    /// The kind of route target an id names, from the resource it references or the id's prefix;
    /// `None` when neither tells.
    fn target_kind(&self, value: &Value) -> Option<Make> {
        let resource_type = match value {
            Value::Unknown(u) => u
                .reference
                .as_ref()
                .and_then(|r| self.by_address.get(r.address.as_str()))
                .map(|t| t.resource_type.as_str()),
            _ => None,
        };
        let text = value.as_str().unwrap_or_default();
        let kinds: [(&str, &str, Make); 9] = [
            ("aws_nat_gateway", "nat-", RouteTarget::NatGateway),
            ("aws_internet_gateway", "igw-", RouteTarget::InternetGateway),
            (
                "aws_egress_only_internet_gateway",
                "eigw-",
                RouteTarget::EgressOnlyInternetGateway,
            ),
            ("aws_vpn_gateway", "vgw-", RouteTarget::VpnGateway),
            ("aws_vpc_endpoint", "vpce-", RouteTarget::VpcEndpoint),
            (
                "aws_ec2_transit_gateway",
                "tgw-",
                RouteTarget::TransitGateway,
            ),
            (
                "aws_vpc_peering_connection",
                "pcx-",
                RouteTarget::VpcPeering,
            ),
            (
                "aws_network_interface",
                "eni-",
                RouteTarget::NetworkInterface,
            ),
            ("aws_instance", "i-", RouteTarget::Instance),
        ];
        kinds
            .into_iter()
            .find(|(ty, prefix, _)| {
                resource_type.is_some_and(|t| t == *ty || t.starts_with(&format!("{ty}_")))
                    || text.starts_with(prefix)
            })
            .map(|(_, _, make)| make)
    }

    /// A prefix-list reference (route destination or security-group peer).
    pub(super) fn prefix_list(
        &mut self,
        value: &Value,
        at: Option<&privlink_model::Location>,
    ) -> PrefixListRef {
        match value {
            Value::Unknown(u) => {
                let Some(r) = &u.reference else {
                    return PrefixListRef::Unknown(attrs::unknown_of(value));
                };
                match self
                    .by_address
                    .get(r.address.as_str())
                    .map(|t| (t.resource_type.as_str(), t.mode))
                {
                    Some(("aws_vpc_endpoint", _)) if r.attribute == "prefix_list_id" => {
                        PrefixListRef::OfEndpoint {
                            endpoint: ResourceId::new(&r.address),
                        }
                    }
                    Some((
                        "aws_prefix_list" | "aws_ec2_managed_prefix_list",
                        crate::terraform::resource::ResourceMode::Data,
                    )) => {
                        let target = self.by_address[r.address.as_str()];
                        match string(target, "name") {
                            Some(name) => PrefixListRef::AwsManaged { name },
                            None => {
                                self.report_external(r, at, ElementKind::Other);
                                PrefixListRef::Unknown(Unknown::new(format!(
                                    "{} is read from the account at plan time",
                                    r.address
                                )))
                            }
                        }
                    }
                    Some((
                        "aws_ec2_managed_prefix_list",
                        crate::terraform::resource::ResourceMode::Managed,
                    )) => {
                        let target = self.by_address[r.address.as_str()];
                        let mut cidrs = Partial::default();
                        match attrs::blocks(target, "entry") {
                            Ok(entries) => {
                                for (_, e) in entries {
                                    match field(e, "cidr").map(cidr_value) {
                                        Some(Known::Value(net)) => cidrs.push(net),
                                        Some(Known::Unknown(u)) => cidrs.mark_incomplete(u),
                                        None => {}
                                    }
                                }
                            }
                            Err(u) => cidrs.mark_incomplete(u),
                        }
                        PrefixListRef::CustomerManaged {
                            id: ResourceId::new(&r.address),
                            cidrs,
                        }
                    }
                    _ => {
                        self.report_external(r, at, ElementKind::Other);
                        PrefixListRef::Unknown(attrs::unknown_of(value))
                    }
                }
            }
            Value::String(s) => {
                // Gateway endpoints in state know their prefix list id.
                let endpoint = self.by_address.values().find(|t| {
                    t.resource_type == "aws_vpc_endpoint"
                        && t.get("prefix_list_id").and_then(Value::as_str) == Some(s)
                });
                match endpoint {
                    Some(e) => PrefixListRef::OfEndpoint {
                        endpoint: ResourceId::new(&e.address),
                    },
                    None => PrefixListRef::Id {
                        id: s.clone(),
                        service: None,
                    },
                }
            }
            other => PrefixListRef::Unknown(attrs::unknown_of(other)),
        }
    }

    pub(super) fn route_table_association(&mut self, r: &TfResource) {
        // An edge association (`gateway_id`) routes inbound traffic and does not concern subnets.
        let Some(subnet) = r.get("subnet_id") else {
            return;
        };
        let subnet = self.resolve(
            subnet,
            ElementKind::Subnet,
            r.location_of("subnet_id").as_ref(),
        );
        let route_table = self.resolve(
            r.get("route_table_id").unwrap_or(&Value::Null),
            ElementKind::RouteTable,
            r.location_of("route_table_id").as_ref(),
        );
        self.model
            .route_table_associations
            .push(RouteTableAssociation {
                subnet,
                route_table,
                provenance: Provenance::declared(&r.address, r.location.clone()),
            });
    }
}

/// A route target kind, made from the id it names.
type Make = fn(ResourceId) -> RouteTarget;
