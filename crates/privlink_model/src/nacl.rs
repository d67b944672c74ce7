//! Network ACLs: numbered, stateless allow/deny rules in each direction.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::net::{PortRange, Protocol};
use crate::{Known, Partial, Provenance, ResourceId};

/// A network ACL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkAcl {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it belongs to.
    pub vpc: Known<ResourceId>,
    /// Whether this is a VPC's default network ACL.
    pub is_default: bool,
    /// Subnets explicitly associated with it.
    pub subnets: Partial<ResourceId>,
    /// Its entries, both directions, in any order (evaluation sorts by rule number).
    pub entries: Partial<NaclEntry>,
}

/// Traffic direction relative to the subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Into the subnet.
    Ingress,
    /// Out of the subnet.
    Egress,
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaclAction {
    /// Allow matching traffic.
    Allow,
    /// Deny matching traffic.
    Deny,
}

/// One numbered entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NaclEntry {
    /// Rule number; lower numbers are evaluated first.
    pub rule_number: u32,
    /// Direction.
    pub direction: Direction,
    /// Protocol.
    pub protocol: Protocol,
    /// Ports (all ports for protocols without ports).
    pub ports: PortRange,
    /// The IPv4 CIDR matched (IPv6 entries are not modelled).
    pub cidr: Known<Ipv4Net>,
    /// Allow or deny.
    pub action: NaclAction,
    /// Where it is written.
    pub provenance: Provenance,
}
