//! The privlink model: one normalized picture of a network and the container workloads in it.
//!
//! ```text
//! inputs ──► front-ends (privlink_ingest) ──► Model ──► catalog, reachability, rules (privlink_analysis) ──► reports
//! ```
//!
//! Front-ends (Terraform HCL and plan JSON, CloudFormation, live AWS snapshots) lower what they read into
//! a [`Model`]; analysis sees nothing else. The model is pure data: it does no I/O and knows no input
//! syntax. Three habits hold throughout:
//!
//! * every element keeps its [`Provenance`]: the address a user recognises (Terraform address,
//!   CloudFormation logical ID, AWS id) and the file, line and column it came from;
//! * values that the inputs do not determine are [`Known::Unknown`] with a reason, and lists that may have
//!   members the inputs do not show are [`Partial`]: nothing is guessed;
//! * references between elements are [`ResourceId`]s that always resolve inside the model. A reference
//!   to something outside the inputs (a `data "aws_vpc"`, a CloudFormation import) becomes a placeholder
//!   element whose provenance says [`Origin::External`], so links still hold while its attributes stay
//!   unknown.
#![deny(missing_docs)]

mod diagnostic;
mod eks;
mod endpoint;
mod fix;
mod gateway;
mod id;
mod known;
mod model;
mod nacl;
pub mod net;
mod private_dns;
mod provenance;
mod routing;
mod security_group;
mod transit;
mod vpc;
mod workload;

pub use diagnostic::{Diagnostic, DiagnosticKind, Misspelling, Severity};
pub use eks::{EfsMountTarget, EksCluster};
pub use endpoint::{
    EndpointKind, RUN_REGION, ServiceName, VpcEndpoint, is_region_name, looks_like_region,
};
pub use fix::{FixIntent, HttpsPeer};
pub use gateway::{InternetGateway, NatConnectivity, NatGateway};
pub use id::ResourceId;
pub use known::{Known, Partial, Unknown};
pub use model::{EffectiveAssociation, Model};
pub use nacl::{Direction, NaclAction, NaclEntry, NetworkAcl};
pub use private_dns::{DnsRecord, HostedZone, RecordTarget, ZoneAssociation};
pub use provenance::{Location, Origin, Provenance};
pub use routing::{
    PrefixListRef, Route, RouteDestination, RouteTable, RouteTableAssociation, RouteTarget,
};
pub use security_group::{SecurityGroup, SgPeer, SgRule};
pub use transit::{
    TgwLink, TgwRoute, TgwRouteTable, TgwRouteTarget, TgwVpcAttachment, TransitGateway, VpcPeering,
};
pub use vpc::{Subnet, Vpc};
pub use workload::{Feature, Image, Workload, WorkloadKind};
