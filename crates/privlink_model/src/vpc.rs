//! VPCs and subnets.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId};

/// A VPC.
///
/// Its implicit companions (main route table, default security group, default network ACL) are
/// separate elements the VPC points at; a front-end creates them as [`crate::Origin::Implicit`] unless
/// the inputs manage them (`aws_default_route_table`, `aws_main_route_table_association`,
/// `aws_default_security_group`, `aws_default_network_acl`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The region it lives in.
    pub region: Known<String>,
    /// Primary and secondary IPv4 CIDR blocks.
    pub cidrs: Partial<Ipv4Net>,
    /// `enableDnsSupport` (Terraform `enable_dns_support`, default true).
    pub dns_support: Known<bool>,
    /// `enableDnsHostnames` (Terraform `enable_dns_hostnames`, default false except the default VPC).
    pub dns_hostnames: Known<bool>,
    /// The route table used by subnets without an explicit association.
    pub main_route_table: Known<ResourceId>,
    /// The security group AWS attaches when none is given.
    pub default_security_group: ResourceId,
    /// The network ACL of subnets without an explicit association.
    pub default_network_acl: ResourceId,
}

/// A subnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The VPC it belongs to.
    pub vpc: Known<ResourceId>,
    /// Its IPv4 CIDR block.
    pub cidr: Known<Ipv4Net>,
    /// Its availability zone name (or AZ id when only that is given).
    pub availability_zone: Known<String>,
    /// Whether instances launched in it get a public IPv4 address.
    pub map_public_ip_on_launch: Known<bool>,
}
