//! Route tables, routes and their subnet associations.
//!
//! Gateway endpoints are not stored as routes: a gateway endpoint lists the route tables it is on
//! ([`crate::VpcEndpoint::route_tables`]) and reachability treats that as a route to the service's
//! prefix list, as AWS does.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId, Unknown};

/// A route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteTable {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it belongs to.
    pub vpc: Known<ResourceId>,
    /// Its routes, without the implicit `local` route (always present for the VPC CIDRs).
    pub routes: Partial<Route>,
}

/// One route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// What it matches.
    pub destination: RouteDestination,
    /// Where it sends matching traffic.
    pub target: RouteTarget,
    /// Where it is written (an inline `route` block or an `aws_route`).
    pub provenance: Provenance,
}

/// A route's destination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RouteDestination {
    /// An IPv4 CIDR.
    Ipv4(Ipv4Net),
    /// An IPv6 CIDR (kept as text; privlink traces IPv4).
    Ipv6(String),
    /// A managed prefix list.
    PrefixList(PrefixListRef),
    /// Not determined by the inputs.
    Unknown(Unknown),
}

/// A route's target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RouteTarget {
    /// An internet gateway.
    InternetGateway(ResourceId),
    /// An egress-only internet gateway (IPv6).
    EgressOnlyInternetGateway(ResourceId),
    /// A NAT gateway.
    NatGateway(ResourceId),
    /// A network interface, typically a NAT instance.
    NetworkInterface(ResourceId),
    /// An instance, typically a NAT instance.
    Instance(ResourceId),
    /// A transit gateway.
    TransitGateway(ResourceId),
    /// A VPC peering connection.
    VpcPeering(ResourceId),
    /// A virtual private gateway.
    VpnGateway(ResourceId),
    /// A Gateway Load Balancer endpoint or other VPC endpoint target.
    VpcEndpoint(ResourceId),
    /// A local gateway, carrier gateway or anything else privlink does not follow.
    Other(String),
    /// Not determined by the inputs.
    Unknown(Unknown),
}

/// A reference to a managed prefix list (route destination or security-group peer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrefixListRef {
    /// The AWS-managed prefix list of a gateway endpoint's service (`aws_vpc_endpoint.s3.prefix_list_id`).
    OfEndpoint {
        /// The gateway endpoint.
        endpoint: ResourceId,
    },
    /// An AWS-managed prefix list named by its service (`data "aws_prefix_list"` with
    /// `name = "com.amazonaws.REGION.s3"`).
    AwsManaged {
        /// The prefix list name, e.g. `com.amazonaws.ap-northeast-1.s3`.
        name: Known<String>,
    },
    /// A literal id (`pl-...`), with the service when the source says which one (live scans do).
    Id {
        /// The prefix list id.
        id: String,
        /// The AWS service it belongs to, if known (`s3`, `dynamodb`).
        service: Option<String>,
    },
    /// A customer-managed prefix list with its entries.
    CustomerManaged {
        /// The `aws_ec2_managed_prefix_list` element's address.
        id: ResourceId,
        /// Its CIDR entries.
        cidrs: Partial<Ipv4Net>,
    },
    /// Not determined by the inputs.
    Unknown(Unknown),
}

/// An explicit association of a subnet with a route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteTableAssociation {
    /// The subnet.
    pub subnet: Known<ResourceId>,
    /// The route table.
    pub route_table: Known<ResourceId>,
    /// Where it is written.
    pub provenance: Provenance,
}
