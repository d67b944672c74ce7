//! Reachability: one trace per workload × subnet × required service.
//!
//! A flow is a sequence of hops, each decided by one model element, as Batfish models it: DNS (an
//! interface endpoint with private DNS captures the service name for the whole VPC; without one the
//! name resolves to public addresses), the route the subnet's *effective* route table gives (a gateway
//! endpoint is a prefix-list route on the tables it is associated with; NAT and internet gateways are
//! default routes), the workload's security-group egress, the network ACLs on the way out and in and
//! the stateless return path, the endpoint's security-group ingress (the VPC default group when it
//! has none), and the endpoint's AZ. The first hop that drops the traffic is the flow's [`Cause`];
//! findings are derived from causes, and `explain` prints the same hops.

mod check;
mod network;
mod trace;

use std::fmt;

use privlink_model::{Direction, HttpsPeer, Known, Location, ResourceId};
use serde::Serialize;

pub use check::{Check, Peer, acl_allows, security_groups_allow};
pub use network::Network;
pub use trace::trace;

/// Tracing options.
#[derive(Clone, Copy, Debug, Default)]
pub struct TraceOptions {
    /// Ignore NAT gateways, NAT instances and internet gateways.
    pub endpoints_only: bool,
}

/// How a flow reaches its service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Through a VPC endpoint.
    Endpoint,
    /// Through a NAT gateway or NAT instance.
    Nat,
    /// Through an internet gateway with a public IP.
    Internet,
    /// Dropped.
    Blocked,
    /// Depends on something the inputs do not say.
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Endpoint => "endpoint",
            Self::Nat => "nat",
            Self::Internet => "internet",
            Self::Blocked => "blocked",
            Self::Unknown => "unknown",
        })
    }
}

/// What a hop checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopKind {
    /// Name resolution.
    Dns,
    /// The route the subnet's route table gives.
    Route,
    /// The workload's security-group egress.
    SgEgress,
    /// The workload subnet's network ACL, outbound.
    NaclOut,
    /// The destination subnet's network ACL, inbound.
    NaclIn,
    /// The endpoint's security-group ingress.
    EndpointSgIngress,
    /// The network ACLs on the stateless return path.
    NaclReturn,
    /// The endpoint policy.
    EndpointPolicy,
    /// The NAT or internet gateway and the public IP.
    Gateway,
    /// Whether an endpoint ENI is in the workload's AZ.
    Az,
    /// The EFS mount target in the workload's AZ.
    MountTarget,
}

impl fmt::Display for HopKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Dns => "dns",
            Self::Route => "route",
            Self::SgEgress => "sg-egress",
            Self::NaclOut => "nacl-out",
            Self::NaclIn => "nacl-in",
            Self::EndpointSgIngress => "endpoint-sg-ingress",
            Self::NaclReturn => "nacl-return",
            Self::EndpointPolicy => "endpoint-policy",
            Self::Gateway => "gateway",
            Self::Az => "az",
            Self::MountTarget => "mount-target",
        })
    }
}

/// A hop's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopStatus {
    /// Passes.
    Ok,
    /// Passes, with a caveat (a cross-AZ hop).
    Warning,
    /// Drops the traffic.
    Blocked,
    /// Not determined by the inputs.
    Unknown,
}

/// One hop of a flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    /// What it checks.
    pub kind: HopKind,
    /// Its outcome.
    pub status: HopStatus,
    /// What happened, in one line.
    pub detail: String,
    /// The model element that decided it.
    pub element: Option<ResourceId>,
    /// Where the deciding element or rule is written.
    pub location: Option<Location>,
}

/// Why a flow is dropped: one cause per blocked flow, each reported by exactly one rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause {
    /// The VPC has no interface endpoint for the service and no other way out.
    MissingInterfaceEndpoint,
    /// The VPC has no S3 gateway endpoint and no other way out.
    MissingS3GatewayEndpoint,
    /// The VPC has an S3 gateway endpoint, but not on the route table the subnet uses.
    S3GatewayNotOnRouteTable {
        /// The gateway endpoint.
        endpoint: ResourceId,
        /// The route table the subnet really uses.
        route_table: ResourceId,
        /// Whether that table is the VPC main route table (no explicit association).
        main_table: bool,
    },
    /// The interface endpoint exists with private DNS off.
    PrivateDnsDisabled {
        /// The endpoint.
        endpoint: ResourceId,
    },
    /// A VPC DNS attribute private DNS needs is off.
    VpcDnsDisabled {
        /// `enableDnsSupport` or `enableDnsHostnames`.
        attribute: &'static str,
    },
    /// The interface endpoint has no subnets, so no ENI.
    EndpointWithoutSubnets {
        /// The endpoint.
        endpoint: ResourceId,
    },
    /// No security group of the endpoint admits HTTPS from the workload.
    EndpointSgBlocksHttps {
        /// The endpoint.
        endpoint: ResourceId,
        /// Whether the endpoint has no groups of its own and got the VPC default group.
        default_group: bool,
    },
    /// The workload's security groups do not allow HTTPS out to the destination.
    WorkloadSgBlocksHttps {
        /// What to allow.
        to: HttpsPeer,
    },
    /// A network ACL drops the request or the reply.
    NaclBlocksTraffic {
        /// Which way the dropped packets go, relative to the ACL's subnet.
        direction: Direction,
        /// The subnet whose ACL it is.
        subnet: ResourceId,
    },
    /// The endpoint's policy does not allow a call the flow makes.
    EndpointPolicyDenies {
        /// The endpoint.
        endpoint: ResourceId,
        /// The denied action.
        action: String,
        /// The resource of the call.
        resource: Option<String>,
        /// The statement that denies it (`None`: no statement allows it).
        statement: Option<String>,
    },
    /// S3 has only an interface endpoint; ECR layer downloads need the gateway endpoint.
    S3InterfaceEndpointOnly {
        /// The S3 interface endpoint.
        endpoint: ResourceId,
    },
    /// An image comes from a registry no endpoint serves.
    ImageNotInEcr {
        /// The image reference.
        image: String,
    },
    /// An ECR image is in another region and no cross-region endpoint serves it.
    ImageCrossRegion {
        /// The image reference.
        image: String,
        /// The registry's region.
        region: String,
    },
    /// No EFS mount target is reachable over NFS.
    EfsUnreachable {
        /// The file system.
        file_system: ResourceId,
        /// The AZ without a mount target, when that is the problem.
        missing_in: Option<String>,
    },
}

impl Cause {
    /// The rule that reports this cause.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::MissingInterfaceEndpoint => "missing-interface-endpoint",
            Self::MissingS3GatewayEndpoint => "missing-s3-gateway-endpoint",
            Self::S3GatewayNotOnRouteTable { .. } => "s3-gateway-not-on-route-table",
            Self::PrivateDnsDisabled { .. } => "private-dns-disabled",
            Self::VpcDnsDisabled { .. } => "vpc-dns-disabled",
            Self::EndpointWithoutSubnets { .. } => "endpoint-without-subnets",
            Self::EndpointSgBlocksHttps { .. } => "endpoint-sg-blocks-https",
            Self::WorkloadSgBlocksHttps { .. } => "workload-sg-blocks-https",
            Self::NaclBlocksTraffic { .. } => "nacl-blocks-traffic",
            Self::EndpointPolicyDenies { .. } => "endpoint-policy-denies",
            Self::S3InterfaceEndpointOnly { .. } => "s3-interface-endpoint-only",
            Self::ImageNotInEcr { .. } => "image-not-in-ecr",
            Self::ImageCrossRegion { .. } => "image-cross-region",
            Self::EfsUnreachable { .. } => "efs-mount-target-unreachable",
        }
    }
}

/// What drops a flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Blocked {
    /// Why.
    pub cause: Cause,
    /// The element to change.
    pub resource: ResourceId,
    /// Where it is written.
    pub location: Option<Location>,
    /// The blocking hop's detail.
    pub detail: String,
}

/// One traced flow.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// The workload's name.
    pub workload: String,
    /// The subnet traced from.
    pub subnet: ResourceId,
    /// The subnet's AZ.
    pub az: Known<String>,
    /// The VPC, when known.
    pub vpc: Option<ResourceId>,
    /// The service (endpoint suffix).
    pub service: String,
    /// Why the workload needs it.
    pub purpose: String,
    /// The error the workload stops with when this flow is dropped.
    pub predicted_error: String,
    /// The outcome.
    pub verdict: Verdict,
    /// The endpoint or gateway it goes through.
    pub via: Option<ResourceId>,
    /// The hops, in order.
    pub hops: Vec<Hop>,
    /// What drops it, when it is dropped.
    pub blocked: Option<Blocked>,
    /// For flows through NAT or an internet gateway: what would drop them without (the private
    /// path's missing piece), so `nat-dependency` can say what to add.
    pub without_nat: Option<Blocked>,
}
