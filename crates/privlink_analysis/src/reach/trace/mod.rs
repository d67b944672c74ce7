//! Tracing one flow: workload subnet → DNS → route → security groups → network ACLs → endpoint or
//! gateway.
//!
//! Each hop kind has its module: [`dns`] (which address a service name resolves to),
//! [`route`] (the subnet's route table and its default route), [`security_group`],
//! [`nacl`], [`endpoint`] (interface and gateway endpoints, their policies and AZs), [`efs`]
//! (mount targets), [`gateway`] (NAT and internet gateways, and the path to public addresses)
//! and [`transit`] (routes into transit gateways and peering connections).

mod dns;
mod efs;
mod endpoint;
mod gateway;
mod nacl;
mod route;
mod security_group;
mod transit;

use privlink_model::net::Ipv4Range;
use privlink_model::{Known, Location, Partial, ResourceId, Subnet, Vpc, Workload};

use super::check::Check;
use super::{Blocked, Cause, Flow, Hop, HopKind, HopStatus, Network, TraceOptions, Verdict};
use crate::catalog::Access;
use crate::requirements::{Origin, Requirement};

/// Traces `requirement` for `workload` from `subnet`.
pub fn trace(
    net: &Network<'_>,
    options: TraceOptions,
    workload: &Workload,
    subnet: &ResourceId,
    requirement: &Requirement,
    region: Option<&str>,
) -> Flow {
    let mut flow = Flow {
        workload: workload.name.clone(),
        subnet: subnet.clone(),
        az: Known::unknown("the subnet is not in the inputs"),
        vpc: None,
        service: requirement.service.clone(),
        purpose: requirement.purpose.clone(),
        predicted_error: requirement.predicted_error.clone(),
        verdict: Verdict::Unknown,
        via: None,
        hops: Vec::new(),
        blocked: None,
        without_nat: None,
    };
    let Some(s) = net.subnet(subnet) else {
        flow.hops.push(unknown_hop(
            HopKind::Dns,
            format!("{subnet} is not in the inputs"),
        ));
        return flow;
    };
    flow.az = s.availability_zone.clone();
    let vpc = match &s.vpc {
        Known::Value(v) => net.model.vpcs.get(v),
        Known::Unknown(_) => None,
    };
    let Some(vpc) = vpc else {
        let why = s.vpc.unknown_reason().map_or_else(
            || "its VPC is not in the inputs".to_owned(),
            |u| u.reason.clone(),
        );
        flow.hops.push(unknown_hop(
            HopKind::Dns,
            format!("the VPC of {subnet} is not known ({why})"),
        ));
        return flow;
    };
    flow.vpc = Some(vpc.id.clone());
    let groups = net.workload_groups(workload, &vpc.id);
    let mut tracer = Tracer {
        net,
        options,
        workload,
        requirement,
        groups,
        subnet: s,
        vpc,
        region,
        hops: Vec::new(),
    };
    let outcome = match requirement.access {
        Access::Interface => tracer.interface(&requirement.service),
        Access::Gateway => tracer.gateway(&requirement.service),
        Access::Registry => tracer.registry(&requirement.service),
        Access::Nfs => tracer.nfs(),
    };
    flow.hops = tracer.hops;
    flow.verdict = outcome.verdict;
    flow.via = outcome.via;
    flow.blocked = outcome.blocked;
    flow.without_nat = outcome.without_nat;
    flow
}

fn unknown_hop(kind: HopKind, detail: String) -> Hop {
    Hop {
        kind,
        status: HopStatus::Unknown,
        detail,
        element: None,
        location: None,
    }
}

/// How a traced path ended.
struct Outcome {
    verdict: Verdict,
    via: Option<ResourceId>,
    blocked: Option<Blocked>,
    without_nat: Option<Blocked>,
}

impl Outcome {
    fn unknown() -> Self {
        Self {
            verdict: Verdict::Unknown,
            via: None,
            blocked: None,
            without_nat: None,
        }
    }

    fn blocked(blocked: Blocked) -> Self {
        Self {
            verdict: Verdict::Blocked,
            via: None,
            blocked: Some(blocked),
            without_nat: None,
        }
    }
}

struct Tracer<'a, 'm> {
    net: &'a Network<'m>,
    options: TraceOptions,
    workload: &'a Workload,
    requirement: &'a Requirement,
    groups: Partial<ResourceId>,
    subnet: &'m Subnet,
    vpc: &'m Vpc,
    /// The workload's region; `None` when the inputs do not say (endpoints of any region then count).
    region: Option<&'a str>,
    hops: Vec<Hop>,
}

/// The first blocking check of a path, and whether any check was undetermined.
#[derive(Default)]
struct PathState {
    blocked: Option<Blocked>,
    undetermined: bool,
}

impl<'a, 'm> Tracer<'a, 'm> {
    fn hop(
        &mut self,
        kind: HopKind,
        status: HopStatus,
        detail: impl Into<String>,
        element: Option<&ResourceId>,
        location: Option<Location>,
    ) {
        self.hops.push(Hop {
            kind,
            status,
            detail: detail.into(),
            element: element.cloned(),
            location,
        });
    }

    /// Records a hop whose verdict the inputs leave open and ends the flow there, undecided.
    fn undecided(
        &mut self,
        kind: HopKind,
        detail: impl Into<String>,
        element: Option<&ResourceId>,
        location: Option<Location>,
    ) -> Outcome {
        self.hop(kind, HopStatus::Unknown, detail, element, location);
        Outcome::unknown()
    }

    /// Records the hop that drops the flow and ends it there.
    fn stop(&mut self, kind: HopKind, blocked: Blocked) -> Outcome {
        let detail = blocked.detail.clone();
        self.hop(
            kind,
            HopStatus::Blocked,
            detail,
            Some(&blocked.resource),
            blocked.location.clone(),
        );
        Outcome::blocked(blocked)
    }

    fn vpc_location(&self) -> Option<Location> {
        self.vpc.provenance.location.clone()
    }

    /// Records a check as a hop; the first blocked check decides the cause.
    fn record(
        &mut self,
        state: &mut PathState,
        kind: HopKind,
        check: Check,
        cause: impl FnOnce() -> Cause,
    ) {
        match check {
            Check::Ok { detail, by } => {
                let element = by.as_ref().map(|p| ResourceId::new(&p.address));
                self.hop(
                    kind,
                    HopStatus::Ok,
                    detail,
                    element.as_ref(),
                    by.and_then(|p| p.location),
                );
            }
            Check::Unknown(detail) => {
                state.undetermined = true;
                self.hop(kind, HopStatus::Unknown, detail, None, None);
            }
            Check::Blocked {
                detail,
                element,
                location,
            } => {
                self.hop(
                    kind,
                    HopStatus::Blocked,
                    detail.clone(),
                    Some(&element),
                    location.clone(),
                );
                if state.blocked.is_none() {
                    state.blocked = Some(Blocked {
                        cause: cause(),
                        resource: element,
                        location,
                        detail,
                    });
                }
            }
        }
    }

    fn subnet_ranges(&self) -> Option<Vec<Ipv4Range>> {
        self.subnet
            .cidr
            .value()
            .map(|c| vec![Ipv4Range::from_net(*c)])
    }

    /// The region whose service the flow needs: the requirement's (cross-region ECR) or the workload's.
    fn service_region(&self) -> Option<&'a str> {
        self.requirement.region.as_deref().or(self.region)
    }

    /// What drops the flow when no endpoint serves it and there is no other way out.
    fn missing(&self, gateway: bool) -> Cause {
        match &self.requirement.origin {
            Origin::CrossRegionImage { image, region } => Cause::ImageCrossRegion {
                image: image.clone(),
                region: region.clone(),
            },
            Origin::ExternalImage { image, .. } => Cause::ImageNotInEcr {
                image: image.clone(),
            },
            _ if gateway => Cause::MissingS3GatewayEndpoint,
            _ => Cause::MissingInterfaceEndpoint,
        }
    }

    /// The element to change for image causes: the workload (its task definition names the image).
    fn image_resource(&self) -> (ResourceId, Option<Location>) {
        let image = match &self.requirement.origin {
            Origin::CrossRegionImage { image, .. } | Origin::ExternalImage { image, .. } => {
                Some(image)
            }
            _ => None,
        };
        let location = image
            .and_then(|i| {
                self.workload
                    .images
                    .iter()
                    .find(|w| w.reference.value() == Some(i))
            })
            .and_then(|i| i.location.clone())
            .or_else(|| self.workload.provenance.location.clone());
        (ResourceId::new(&self.workload.provenance.address), location)
    }

    fn finish(
        &self,
        state: PathState,
        ok: Verdict,
        via: Option<ResourceId>,
        without_nat: Option<Blocked>,
    ) -> Outcome {
        match state.blocked {
            // A flow dropped on the way to an endpoint still names the endpoint it went for.
            Some(b) => Outcome {
                via,
                ..Outcome::blocked(b)
            },
            None if state.undetermined => Outcome {
                verdict: Verdict::Unknown,
                via,
                blocked: None,
                without_nat,
            },
            None => Outcome {
                verdict: ok,
                via,
                blocked: None,
                without_nat,
            },
        }
    }
}
