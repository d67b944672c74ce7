//! Security groups and their rules (stateful, allow-only).

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::net::{PortRange, Protocol};
use crate::{Known, Partial, PrefixListRef, Provenance, ResourceId, Unknown};

/// A security group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it belongs to.
    pub vpc: Known<ResourceId>,
    /// Whether this is a VPC's default security group.
    pub is_default: bool,
    /// Inbound rules from every source (inline blocks and separate rule resources).
    pub ingress: Partial<SgRule>,
    /// Outbound rules from every source.
    pub egress: Partial<SgRule>,
}

/// One security-group rule for one peer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SgRule {
    /// Protocol.
    pub protocol: Protocol,
    /// Ports (all ports for `-1`).
    pub ports: PortRange,
    /// The other side: source for ingress, destination for egress.
    pub peer: SgPeer,
    /// Where it is written.
    pub provenance: Provenance,
}

/// The other side of a security-group rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SgPeer {
    /// An IPv4 CIDR.
    Ipv4(Ipv4Net),
    /// An IPv6 CIDR (kept as text).
    Ipv6(String),
    /// Members of a security group (including `self`, resolved to the group's own id).
    SecurityGroup(ResourceId),
    /// A managed prefix list.
    PrefixList(PrefixListRef),
    /// Not determined by the inputs.
    Unknown(Unknown),
}
