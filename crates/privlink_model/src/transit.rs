//! Transit gateways (VPC attachments, route tables, associations, propagations, static and blackhole
//! routes) and VPC peering connections: what connects one VPC to another.
//!
//! A transit gateway forwards a packet from the attachment it arrived on by the route table
//! *associated* with that attachment (one per attachment). Routes get into a route table statically
//! or by *propagation* from an attachment (its VPC's CIDRs). A gateway created with default
//! association or propagation on has a default route table that new attachments join unless they
//! opt out. See <https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html>.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId, Unknown};

/// A transit gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitGateway {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The route table attachments are associated with unless they opt out (`None` when default
    /// association is off).
    pub default_association_table: Option<Known<ResourceId>>,
    /// The route table attachments propagate to unless they opt out (`None` when default
    /// propagation is off).
    pub default_propagation_table: Option<Known<ResourceId>>,
}

/// A VPC attachment of a transit gateway: one network interface per listed subnet (one subnet per
/// AZ), through which the gateway reaches the VPC and the VPC reaches the gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TgwVpcAttachment {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The transit gateway.
    pub transit_gateway: Known<ResourceId>,
    /// The VPC.
    pub vpc: Known<ResourceId>,
    /// The subnets it has an interface in.
    pub subnets: Partial<ResourceId>,
    /// Appliance mode (keeps both directions of a flow in one AZ).
    pub appliance_mode: Known<bool>,
    /// Whether it is associated with the gateway's default association route table.
    pub default_association: Known<bool>,
    /// Whether it propagates to the gateway's default propagation route table.
    pub default_propagation: Known<bool>,
}

/// A transit gateway route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TgwRouteTable {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from (for a default route table, the transit gateway).
    pub provenance: Provenance,
    /// The transit gateway.
    pub transit_gateway: Known<ResourceId>,
    /// Its static routes (propagated routes come from [`TgwLink`]s).
    pub routes: Partial<TgwRoute>,
}

/// A static route in a transit gateway route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TgwRoute {
    /// The destination CIDR.
    pub destination: Known<Ipv4Net>,
    /// Where matching traffic goes.
    pub target: TgwRouteTarget,
    /// Where it is written.
    pub provenance: Provenance,
}

/// A transit gateway route's target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum TgwRouteTarget {
    /// An attachment.
    Attachment(ResourceId),
    /// Dropped.
    Blackhole,
    /// Not determined by the inputs.
    Unknown(Unknown),
}

/// An association or a propagation between an attachment and a transit gateway route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TgwLink {
    /// The attachment.
    pub attachment: Known<ResourceId>,
    /// The route table.
    pub route_table: Known<ResourceId>,
    /// Where it is written (for a default association or propagation, the attachment).
    pub provenance: Provenance,
}

/// A VPC peering connection: each side routes the other's CIDRs to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VpcPeering {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The requester VPC.
    pub requester_vpc: Known<ResourceId>,
    /// The accepter VPC.
    pub accepter_vpc: Known<ResourceId>,
    /// Whether the requester VPC resolves the accepter's public DNS names of its instances to
    /// private addresses (`allow_remote_vpc_dns_resolution` on the requester side).
    pub requester_remote_dns: Known<bool>,
    /// The same for the accepter VPC.
    pub accepter_remote_dns: Known<bool>,
}
