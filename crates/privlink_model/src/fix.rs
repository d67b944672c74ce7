//! Fix intents: what must change in the network, independent of how the inputs are written.
//!
//! Each front-end lowers an intent to its own edits (HCL, CloudFormation YAML, SDK calls).

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use crate::{PrefixListRef, ResourceId};

/// The peer a new HTTPS rule admits or targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum HttpsPeer {
    /// A CIDR block.
    Cidr(Ipv4Net),
    /// Members of a security group.
    SecurityGroup(ResourceId),
    /// A prefix list (S3 gateway endpoint).
    PrefixList(PrefixListRef),
}

/// One change to the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "intent", rename_all = "snake_case")]
pub enum FixIntent {
    /// Create an interface endpoint with private DNS.
    AddInterfaceEndpoint {
        /// The VPC.
        vpc: ResourceId,
        /// The full service name.
        service_name: String,
        /// One subnet per AZ for its ENIs.
        subnets: Vec<ResourceId>,
        /// Its security groups (an existing endpoint SG, or empty to create one admitting 443).
        security_groups: Vec<ResourceId>,
    },
    /// Create an S3 (or DynamoDB) gateway endpoint on route tables.
    AddGatewayEndpoint {
        /// The VPC.
        vpc: ResourceId,
        /// The full service name.
        service_name: String,
        /// The route tables to put it on.
        route_tables: Vec<ResourceId>,
    },
    /// Put an existing gateway endpoint on another route table.
    AssociateGatewayEndpoint {
        /// The gateway endpoint.
        endpoint: ResourceId,
        /// The route table.
        route_table: ResourceId,
    },
    /// Turn on private DNS for an interface endpoint.
    EnablePrivateDns {
        /// The endpoint.
        endpoint: ResourceId,
    },
    /// Turn on the VPC DNS attributes private DNS needs.
    EnableVpcDns {
        /// The VPC.
        vpc: ResourceId,
    },
    /// Admit HTTPS into a security group.
    AllowHttpsIngress {
        /// The security group to change.
        security_group: ResourceId,
        /// Who to admit.
        from: HttpsPeer,
    },
    /// Allow HTTPS out of a security group.
    AllowHttpsEgress {
        /// The security group to change.
        security_group: ResourceId,
        /// Where to.
        to: HttpsPeer,
    },
    /// Give an interface endpoint its own security groups instead of the VPC default one.
    SetEndpointSecurityGroups {
        /// The endpoint.
        endpoint: ResourceId,
        /// The groups.
        security_groups: Vec<ResourceId>,
    },
    /// A change privlink describes but cannot write.
    Manual {
        /// What to do.
        description: String,
    },
}
