//! EKS clusters and EFS mount targets.

use serde::{Deserialize, Serialize};

use crate::{Known, Partial, Provenance, ResourceId};

/// An EKS cluster's network configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EksCluster {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The cluster name.
    pub name: Known<String>,
    /// The control-plane subnets.
    pub subnets: Partial<ResourceId>,
    /// Whether the API server has a private endpoint in the VPC (Terraform default false).
    pub endpoint_private_access: Known<bool>,
    /// Whether the API server has a public endpoint (default true).
    pub endpoint_public_access: Known<bool>,
    /// The security group EKS creates for the cluster and attaches to managed nodes.
    pub cluster_security_group: ResourceId,
}

/// An EFS mount target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EfsMountTarget {
    /// Identity.
    pub id: ResourceId,
    /// Where it came from.
    pub provenance: Provenance,
    /// The file system it serves.
    pub file_system: Known<ResourceId>,
    /// The subnet it sits in.
    pub subnet: Known<ResourceId>,
    /// Its security groups.
    pub security_groups: Partial<ResourceId>,
}
