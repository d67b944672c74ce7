//! Internet and NAT gateways.

use serde::{Deserialize, Serialize};

use crate::{Known, Provenance, ResourceId};

/// An internet gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InternetGateway {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it is attached to, if any.
    pub vpc: Option<Known<ResourceId>>,
}

/// Whether a NAT gateway translates to a public address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatConnectivity {
    /// Public NAT (reaches the internet through the subnet's internet gateway).
    Public,
    /// Private NAT (reaches only other networks).
    Private,
}

/// A NAT gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NatGateway {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The subnet it sits in.
    pub subnet: Known<ResourceId>,
    /// Public or private.
    pub connectivity: NatConnectivity,
}
