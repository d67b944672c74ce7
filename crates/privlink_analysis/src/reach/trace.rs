//! Tracing one flow: workload subnet → DNS → route → security groups → network ACLs → endpoint or
//! gateway.

use privlink_model::net::{Ipv4Range, PortRange, public_ipv4_ranges};
use privlink_model::{
    Direction, EffectiveAssociation, EndpointKind, HttpsPeer, Known, Location, Partial,
    PrefixListRef, ResourceId, RouteDestination, RouteTarget, Subnet, Vpc, VpcEndpoint, Workload,
};

use super::check::{Check, Peer, acl_allows, security_groups_allow};
use super::{Blocked, Cause, Flow, Hop, HopKind, HopStatus, Network, TraceOptions, Verdict};
use crate::catalog::{self, Access, CROSS_REGION_SERVICES};
use crate::policy::{Decision, RequestContext, evaluate};
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

    /// The route table the workload's subnet uses; `None` (after an `unknown` route hop) when the
    /// inputs do not say.
    fn subnet_route_table(&mut self) -> Option<EffectiveAssociation> {
        match self.net.route_table(&self.subnet.id) {
            Known::Value(t) => Some(t),
            Known::Unknown(u) => {
                self.hop(
                    HopKind::Route,
                    HopStatus::Unknown,
                    format!(
                        "the route table of {} is not known ({})",
                        self.subnet.id, u.reason
                    ),
                    None,
                    None,
                );
                None
            }
        }
    }

    fn subnet_ranges(&self) -> Option<Vec<Ipv4Range>> {
        self.subnet
            .cidr
            .value()
            .map(|c| vec![Ipv4Range::from_net(*c)])
    }

    /// DNS for any service: the VPC resolver must answer. Returns how the flow ends when it does not.
    fn resolver_fails(&mut self, host: &str) -> Option<Outcome> {
        match self.vpc.dns_support {
            Known::Value(true) => None,
            Known::Value(false) => {
                let detail = format!(
                    "enableDnsSupport is off in {}: the Amazon-provided resolver does not answer, so {host} does not resolve",
                    self.vpc.id
                );
                self.hop(
                    HopKind::Dns,
                    HopStatus::Blocked,
                    detail.clone(),
                    Some(&self.vpc.id),
                    self.vpc_location(),
                );
                Some(Outcome::blocked(Blocked {
                    cause: Cause::VpcDnsDisabled {
                        attribute: "enableDnsSupport",
                    },
                    resource: self.vpc.id.clone(),
                    location: self.vpc_location(),
                    detail,
                }))
            }
            Known::Unknown(ref u) => {
                let detail = format!(
                    "whether {} has enableDnsSupport on is not known ({})",
                    self.vpc.id, u.reason
                );
                self.hop(
                    HopKind::Dns,
                    HopStatus::Unknown,
                    detail,
                    Some(&self.vpc.id),
                    None,
                );
                Some(Outcome::unknown())
            }
        }
    }

    /// The region whose service the flow needs: the requirement's (cross-region ECR) or the workload's.
    fn service_region(&self) -> Option<&'a str> {
        self.requirement.region.as_deref().or(self.region)
    }

    /// Endpoints of `kind` that serve `service` in the region the flow needs. An endpoint named for
    /// another region than its VPC's serves only when its service region says so and the service is
    /// cross-region enabled; otherwise it is invalid (`endpoint-region-mismatch`) and serves nothing.
    fn serving_endpoints(&self, service: &str, kind: EndpointKind) -> Vec<&'m VpcEndpoint> {
        let want = self.service_region();
        let vpc_region = self.vpc.region.value().map(String::as_str).or(self.region);
        self.net
            .endpoints(&self.vpc.id, service, kind)
            .into_iter()
            .filter(|e| {
                let Some(name) = e.service() else {
                    return false;
                };
                if want.is_some_and(|w| name.region != w) {
                    return false;
                }
                let local = vpc_region.is_none_or(|r| r == name.region);
                local
                    || (CROSS_REGION_SERVICES.contains(&name.service.as_str())
                        && e.service_region.as_ref().and_then(|r| r.value()) == Some(&name.region))
            })
            .collect()
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

    fn interface(&mut self, service: &str) -> Outcome {
        let host = catalog::hostname(service, self.service_region().unwrap_or("REGION"));
        if let Some(outcome) = self.resolver_fails(&host) {
            return outcome;
        }
        let candidates = self.serving_endpoints(service, EndpointKind::Interface);
        if let Some(e) = candidates
            .iter()
            .find(|e| e.private_dns == Known::Value(true))
        {
            match &self.vpc.dns_hostnames {
                Known::Value(true) => {}
                Known::Value(false) => {
                    let detail = format!(
                        "{} has private DNS on, which needs enableDnsHostnames; it is off in {}, so AWS rejects the endpoint and {host} resolves to public addresses",
                        e.id, self.vpc.id
                    );
                    return self.stop(
                        HopKind::Dns,
                        Blocked {
                            cause: Cause::VpcDnsDisabled {
                                attribute: "enableDnsHostnames",
                            },
                            resource: self.vpc.id.clone(),
                            location: self.vpc_location(),
                            detail,
                        },
                    );
                }
                Known::Unknown(u) => {
                    let detail = format!(
                        "whether {} has enableDnsHostnames on is not known ({})",
                        self.vpc.id, u.reason
                    );
                    self.hop(
                        HopKind::Dns,
                        HopStatus::Unknown,
                        detail,
                        Some(&self.vpc.id),
                        None,
                    );
                    return Outcome::unknown();
                }
            }
            let detail = format!("{host} resolves to the ENIs of {} (private DNS)", e.id);
            self.hop(
                HopKind::Dns,
                HopStatus::Ok,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
            return self.through_interface_endpoint(e);
        }
        if let Some(e) = candidates.iter().find(|e| !e.private_dns.is_known()) {
            let detail = format!("whether {} has private DNS on is not known", e.id);
            self.hop(
                HopKind::Dns,
                HopStatus::Unknown,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
            return Outcome::unknown();
        }
        if candidates.is_empty()
            && let Some(e) = self
                .net
                .undetermined_endpoints(&self.vpc.id, service, EndpointKind::Interface)
                .first()
        {
            let detail = format!(
                "{} may be a {service} endpoint: its service name is not known",
                e.id
            );
            self.hop(
                HopKind::Dns,
                HopStatus::Unknown,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
            return Outcome::unknown();
        }
        let (cause, resource, location, why) = match candidates.first() {
            Some(e) => (
                Cause::PrivateDnsDisabled {
                    endpoint: e.id.clone(),
                },
                e.id.clone(),
                e.provenance.location.clone(),
                format!(
                    "{} has private DNS off, so {host} resolves to the public addresses of {service}",
                    e.id
                ),
            ),
            None => {
                let cause = self.missing(false);
                let (resource, location) = match cause {
                    Cause::MissingInterfaceEndpoint => (self.vpc.id.clone(), self.vpc_location()),
                    _ => self.image_resource(),
                };
                let region = self
                    .requirement
                    .region
                    .as_ref()
                    .map(|r| format!(" for {r}"))
                    .unwrap_or_default();
                let detail = format!(
                    "{} has no {service} endpoint{region}, so {host} resolves to public addresses",
                    self.vpc.id
                );
                (cause, resource, location, detail)
            }
        };
        self.hop(
            HopKind::Dns,
            HopStatus::Ok,
            why.clone(),
            Some(&resource),
            location.clone(),
        );
        self.through_public_path(
            Blocked {
                cause,
                resource,
                location,
                detail: why,
            },
            None,
        )
    }

    /// A registry outside AWS: only NAT or an internet gateway reaches it.
    fn registry(&mut self, host: &str) -> Outcome {
        if let Some(outcome) = self.resolver_fails(host) {
            return outcome;
        }
        let detail = format!(
            "{host} is outside AWS: no VPC endpoint serves it, it resolves to public addresses"
        );
        self.hop(HopKind::Dns, HopStatus::Ok, detail.clone(), None, None);
        let (resource, location) = self.image_resource();
        self.through_public_path(
            Blocked {
                cause: self.missing(false),
                resource,
                location,
                detail,
            },
            None,
        )
    }

    fn through_interface_endpoint(&mut self, endpoint: &VpcEndpoint) -> Outcome {
        let net = self.net;
        let mut state = PathState::default();
        let eni_subnets: Vec<&Subnet> = endpoint
            .subnets
            .iter()
            .filter_map(|s| net.subnet(s))
            .collect();
        if endpoint.subnets.is_known_empty() {
            let detail = format!(
                "{} has no subnets, so it has no network interfaces to connect to",
                endpoint.id
            );
            return self.stop(
                HopKind::Route,
                Blocked {
                    cause: Cause::EndpointWithoutSubnets {
                        endpoint: endpoint.id.clone(),
                    },
                    resource: endpoint.id.clone(),
                    location: endpoint.provenance.location.clone(),
                    detail,
                },
            );
        }
        let eni_ranges: Vec<(ResourceId, Ipv4Range)> = eni_subnets
            .iter()
            .filter_map(|s| Some((s.id.clone(), Ipv4Range::from_net(*s.cidr.value()?))))
            .collect();
        let (Some(own), false, false) = (
            self.subnet_ranges(),
            eni_ranges.is_empty(),
            eni_ranges.len() < eni_subnets.len()
                || eni_subnets.len() < endpoint.subnets.known.len(),
        ) else {
            let detail = format!(
                "the addresses of {}'s network interfaces or of {} are not known",
                endpoint.id, self.subnet.id
            );
            self.hop(
                HopKind::Route,
                HopStatus::Unknown,
                detail,
                Some(&endpoint.id),
                None,
            );
            return Outcome::unknown();
        };
        let names: Vec<String> = eni_ranges
            .iter()
            .map(|(s, r)| format!("{s} ({r})"))
            .collect();
        self.hop(
            HopKind::Route,
            HopStatus::Ok,
            format!(
                "the ENIs in {} are inside {}: local route",
                names.join(", "),
                self.vpc.id
            ),
            Some(&endpoint.id),
            endpoint.provenance.location.clone(),
        );
        let endpoint_groups = if endpoint.security_groups.is_known_empty() {
            Partial::complete(vec![self.vpc.default_security_group.clone()])
        } else {
            endpoint.security_groups.clone()
        };
        let default_group = endpoint.security_groups.is_known_empty();
        let ranges: Vec<Ipv4Range> = eni_ranges.iter().map(|(_, r)| *r).collect();
        // The workload's egress towards the ENIs.
        let peer = Peer {
            ranges,
            groups: &endpoint_groups.known,
            prefix_list_service: None,
            region: self.region,
            name: format!("the ENIs of {}", endpoint.id),
        };
        let check = security_groups_allow(
            net,
            &self.groups,
            Direction::Egress,
            &peer,
            PortRange::HTTPS,
        );
        let to = endpoint_groups.known.first().cloned().map_or_else(
            || HttpsPeer::Cidr(eni_subnets[0].cidr.value().copied().expect("checked above")),
            HttpsPeer::SecurityGroup,
        );
        self.record(&mut state, HopKind::SgEgress, check, || {
            Cause::WorkloadSgBlocksHttps { to }
        });
        // Network ACLs: only traffic between different subnets crosses them.
        let remote: Vec<&(ResourceId, Ipv4Range)> = eni_ranges
            .iter()
            .filter(|(s, _)| s != &self.subnet.id)
            .collect();
        let own_name = format!("{} ({})", self.subnet.id, own[0]);
        if !remote.is_empty() {
            let remote_ranges: Vec<Ipv4Range> = remote.iter().map(|(_, r)| *r).collect();
            let check = acl_allows(
                net,
                &self.subnet.id,
                Direction::Egress,
                &remote_ranges,
                "the endpoint subnets",
                PortRange::HTTPS,
            );
            let subnet = self.subnet.id.clone();
            self.record(&mut state, HopKind::NaclOut, check, || {
                Cause::NaclBlocksTraffic {
                    direction: Direction::Egress,
                    subnet,
                }
            });
            let check = all_of(remote.iter().map(|(s, _)| {
                (
                    s,
                    acl_allows(
                        net,
                        s,
                        Direction::Ingress,
                        &own,
                        &own_name,
                        PortRange::HTTPS,
                    ),
                )
            }));
            let subnet = check.1.clone();
            self.record(&mut state, HopKind::NaclIn, check.0, || {
                Cause::NaclBlocksTraffic {
                    direction: Direction::Ingress,
                    subnet,
                }
            });
        }
        let peer = Peer {
            ranges: own.clone(),
            groups: &self.groups.known,
            prefix_list_service: None,
            region: self.region,
            name: own_name.clone(),
        };
        let check = security_groups_allow(
            net,
            &endpoint_groups,
            Direction::Ingress,
            &peer,
            PortRange::HTTPS,
        );
        let endpoint_id = endpoint.id.clone();
        self.record(&mut state, HopKind::EndpointSgIngress, check, || {
            Cause::EndpointSgBlocksHttps {
                endpoint: endpoint_id,
                default_group,
            }
        });
        if let Some(b) = state.blocked.as_mut()
            && matches!(
                b.cause,
                Cause::EndpointSgBlocksHttps {
                    default_group: true,
                    ..
                }
            )
        {
            // Without groups of its own the endpoint is what to change, not the VPC default group.
            b.resource = endpoint.id.clone();
            b.location = endpoint.provenance.location.clone();
        }
        if !remote.is_empty() {
            let remote_ranges: Vec<Ipv4Range> = remote.iter().map(|(_, r)| *r).collect();
            let back = all_of(remote.iter().map(|(s, _)| {
                (
                    s,
                    acl_allows(
                        net,
                        s,
                        Direction::Egress,
                        &own,
                        &own_name,
                        PortRange::LINUX_EPHEMERAL,
                    ),
                )
            }));
            let subnet = back.1.clone();
            self.record(&mut state, HopKind::NaclReturn, back.0, || {
                Cause::NaclBlocksTraffic {
                    direction: Direction::Egress,
                    subnet,
                }
            });
            let check = acl_allows(
                net,
                &self.subnet.id,
                Direction::Ingress,
                &remote_ranges,
                "the endpoint subnets",
                PortRange::LINUX_EPHEMERAL,
            );
            let subnet = self.subnet.id.clone();
            self.record(&mut state, HopKind::NaclReturn, check, || {
                Cause::NaclBlocksTraffic {
                    direction: Direction::Ingress,
                    subnet,
                }
            });
        }
        self.policy_hop(&mut state, endpoint);
        self.az_hop(endpoint, &eni_subnets);
        self.finish(state, Verdict::Endpoint, Some(endpoint.id.clone()), None)
    }

    /// The endpoint policy against the calls the flow makes.
    fn policy_hop(&mut self, state: &mut PathState, endpoint: &VpcEndpoint) {
        let policy = match &endpoint.policy {
            Known::Value(None) => {
                self.hop(
                    HopKind::EndpointPolicy,
                    HopStatus::Ok,
                    format!("{} has the default policy (full access)", endpoint.id),
                    Some(&endpoint.id),
                    None,
                );
                return;
            }
            Known::Value(Some(p)) => p,
            Known::Unknown(u) => {
                state.undetermined = true;
                self.hop(
                    HopKind::EndpointPolicy,
                    HopStatus::Unknown,
                    format!("the policy of {} is not known ({})", endpoint.id, u.reason),
                    Some(&endpoint.id),
                    None,
                );
                return;
            }
        };
        let at = endpoint.provenance.location.clone();
        if self.requirement.calls.is_empty() {
            state.undetermined = true;
            let detail = format!(
                "{} has a policy, and privlink does not know which calls {} makes",
                endpoint.id, self.requirement.service
            );
            self.hop(
                HopKind::EndpointPolicy,
                HopStatus::Unknown,
                detail,
                Some(&endpoint.id),
                at,
            );
            return;
        }
        let aws_id =
            |id: &ResourceId, prefix: &str| id.as_str().starts_with(prefix).then(|| id.to_string());
        let ctx = RequestContext {
            source_vpc: aws_id(&self.vpc.id, "vpc-"),
            source_vpce: aws_id(&endpoint.id, "vpce-"),
        };
        let mut undecided = None;
        for call in &self.requirement.calls {
            match evaluate(policy, call, &ctx) {
                Decision::Allowed => {}
                Decision::Denied { statement } => {
                    let on = call.resource.as_deref().unwrap_or("its resource");
                    let why = statement.as_ref().map_or_else(
                        || "no statement allows it".to_owned(),
                        |s| format!("{s} denies it"),
                    );
                    let detail = format!(
                        "the policy of {} does not allow {} on {on}: {why}",
                        endpoint.id, call.action
                    );
                    self.hop(
                        HopKind::EndpointPolicy,
                        HopStatus::Blocked,
                        detail.clone(),
                        Some(&endpoint.id),
                        at.clone(),
                    );
                    if state.blocked.is_none() {
                        state.blocked = Some(Blocked {
                            cause: Cause::EndpointPolicyDenies {
                                endpoint: endpoint.id.clone(),
                                action: call.action.clone(),
                                resource: call.resource.clone(),
                                statement,
                            },
                            resource: endpoint.id.clone(),
                            location: at,
                            detail,
                        });
                    }
                    return;
                }
                Decision::Undecided(why) => {
                    undecided.get_or_insert(format!("{}: {why}", call.action));
                }
            }
        }
        match undecided {
            Some(why) => {
                state.undetermined = true;
                self.hop(
                    HopKind::EndpointPolicy,
                    HopStatus::Unknown,
                    format!(
                        "privlink cannot decide the policy of {} ({why})",
                        endpoint.id
                    ),
                    Some(&endpoint.id),
                    at,
                );
            }
            None => {
                let actions: Vec<&str> = self
                    .requirement
                    .calls
                    .iter()
                    .map(|c| c.action.as_str())
                    .collect();
                let mut actions = actions;
                actions.dedup();
                self.hop(
                    HopKind::EndpointPolicy,
                    HopStatus::Ok,
                    format!(
                        "the policy of {} allows {}",
                        endpoint.id,
                        actions.join(", ")
                    ),
                    Some(&endpoint.id),
                    at,
                );
            }
        }
    }

    /// Whether an ENI of the endpoint is in the workload subnet's AZ (a warning, not a drop).
    fn az_hop(&mut self, endpoint: &VpcEndpoint, eni_subnets: &[&Subnet]) {
        let Some(az) = self.subnet.availability_zone.value() else {
            return;
        };
        if eni_subnets
            .iter()
            .any(|s| s.availability_zone.value() == Some(az))
        {
            self.hop(
                HopKind::Az,
                HopStatus::Ok,
                format!("{} has an ENI in {az}", endpoint.id),
                Some(&endpoint.id),
                None,
            );
        } else if eni_subnets.iter().all(|s| s.availability_zone.is_known()) {
            self.hop(
                HopKind::Az,
                HopStatus::Warning,
                format!("{} has no ENI in {az}: traffic crosses AZs", endpoint.id),
                Some(&endpoint.id),
                endpoint.provenance.location.clone(),
            );
        }
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

    fn gateway(&mut self, service: &str) -> Outcome {
        let host = catalog::hostname(service, self.service_region().unwrap_or("REGION"));
        if let Some(outcome) = self.resolver_fails(&host) {
            return outcome;
        }
        let gateways = self.serving_endpoints(service, EndpointKind::Gateway);
        let interfaces = self.serving_endpoints(service, EndpointKind::Interface);
        if gateways.is_empty()
            && let Some(e) = interfaces
                .iter()
                .find(|e| e.private_dns == Known::Value(true))
        {
            // Private DNS on an S3 interface endpoint captures the name; ECR layer downloads do not
            // work through it (§1.1).
            let detail = format!(
                "{host} resolves to {} (an S3 interface endpoint); ECR layer downloads need the S3 gateway endpoint",
                e.id
            );
            return self.stop(
                HopKind::Dns,
                Blocked {
                    cause: Cause::S3InterfaceEndpointOnly {
                        endpoint: e.id.clone(),
                    },
                    resource: e.id.clone(),
                    location: e.provenance.location.clone(),
                    detail,
                },
            );
        }
        self.hop(
            HopKind::Dns,
            HopStatus::Ok,
            format!("{host} resolves to the public addresses of {service}"),
            None,
            None,
        );
        let Some(table) = self.subnet_route_table() else {
            return Outcome::unknown();
        };
        let rt = table.route_table.clone();
        if let Some(e) = gateways.iter().find(|e| e.route_tables.contains(&rt)) {
            let detail = format!(
                "{rt} routes the {service} prefix list to {} (gateway endpoint)",
                e.id
            );
            self.hop(
                HopKind::Route,
                HopStatus::Ok,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
            return self.through_public_addresses(
                service,
                Verdict::Endpoint,
                Some(e.id.clone()),
                None,
                Some(e),
            );
        }
        if let Some(e) = gateways.iter().find(|e| !e.route_tables.is_complete()) {
            self.hop(
                HopKind::Route,
                HopStatus::Unknown,
                format!("the route tables of {} are not all known", e.id),
                Some(&e.id),
                None,
            );
            return Outcome::unknown();
        }
        // A gateway endpoint whose service is not known may be this service's, when it is (or may
        // be) on this route table.
        if let Some(e) = self
            .net
            .undetermined_endpoints(&self.vpc.id, service, EndpointKind::Gateway)
            .into_iter()
            .find(|e| e.route_tables.contains(&rt) || !e.route_tables.is_complete())
        {
            let detail = format!(
                "{} on {rt} may be the {service} gateway endpoint: its service name is not known",
                e.id
            );
            self.hop(
                HopKind::Route,
                HopStatus::Unknown,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
            return Outcome::unknown();
        }
        let which = match &table.association {
            Some(_) => format!("{rt} (explicitly associated)"),
            None => format!(
                "{rt}, the main route table of {} ({} has no explicit association)",
                self.vpc.id, self.subnet.id
            ),
        };
        let (cause, resource, location, why) = match (gateways.first(), interfaces.first()) {
            (Some(e), _) => (
                Cause::S3GatewayNotOnRouteTable {
                    endpoint: e.id.clone(),
                    route_table: rt.clone(),
                    main_table: table.association.is_none(),
                },
                e.id.clone(),
                e.provenance.location.clone(),
                format!(
                    "{} uses {which}, which does not have the {service} gateway endpoint {}",
                    self.subnet.id, e.id
                ),
            ),
            (None, Some(e)) => (
                Cause::S3InterfaceEndpointOnly {
                    endpoint: e.id.clone(),
                },
                e.id.clone(),
                e.provenance.location.clone(),
                format!(
                    "{} has only the {service} interface endpoint {}, which ECR layer downloads do not use",
                    self.vpc.id, e.id
                ),
            ),
            (None, None) => (
                self.missing(true),
                self.vpc.id.clone(),
                self.vpc_location(),
                format!("{} has no {service} gateway endpoint", self.vpc.id),
            ),
        };
        self.through_public_path(
            Blocked {
                cause,
                resource,
                location,
                detail: why,
            },
            Some(service),
        )
    }

    /// NFS to the EFS mount target in the workload's AZ.
    fn nfs(&mut self) -> Outcome {
        let Origin::Efs { file_system } = &self.requirement.origin else {
            return Outcome::unknown();
        };
        let Some(fs) = file_system else {
            let detail = "the file system is not known before apply".to_owned();
            self.hop(HopKind::MountTarget, HopStatus::Unknown, detail, None, None);
            return Outcome::unknown();
        };
        let id = if fs.as_str().starts_with("fs-") {
            fs.to_string()
        } else {
            "fs-…".to_owned()
        };
        let host = format!("{id}.efs.{}.amazonaws.com", self.region.unwrap_or("REGION"));
        if let Some(outcome) = self.resolver_fails(&host) {
            return outcome;
        }
        let unreachable = |missing_in: Option<String>| Cause::EfsUnreachable {
            file_system: fs.clone(),
            missing_in,
        };
        if self.vpc.dns_hostnames == Known::Value(false) {
            let detail = format!(
                "the name of {fs} ({host}) resolves only with enableDnsHostnames on, and it is off in {}",
                self.vpc.id
            );
            let location = self.vpc_location();
            self.hop(
                HopKind::Dns,
                HopStatus::Blocked,
                detail.clone(),
                Some(&self.vpc.id),
                location.clone(),
            );
            return Outcome::blocked(Blocked {
                cause: unreachable(None),
                resource: self.vpc.id.clone(),
                location,
                detail,
            });
        }
        let net = self.net;
        let targets: Vec<_> = net
            .model
            .efs_mount_targets
            .values()
            .filter(|t| t.file_system.value() == Some(fs))
            .collect();
        let az = self.subnet.availability_zone.value();
        let subnet_of =
            |t: &&privlink_model::EfsMountTarget| t.subnet.value().and_then(|s| net.subnet(s));
        let in_az = targets.iter().find(|t| {
            subnet_of(t).is_some_and(|s| az.is_some() && s.availability_zone.value() == az)
        });
        let Some(target) = in_az else {
            if targets.iter().any(|t| !t.subnet.is_known()) || az.is_none() {
                let detail = format!("where the mount targets of {fs} are is not known");
                self.hop(HopKind::MountTarget, HopStatus::Unknown, detail, None, None);
                return Outcome::unknown();
            }
            let az = az.map_or("the workload's AZ", String::as_str);
            let detail = format!(
                "{fs} has no mount target in {az}, so its name ({host}) does not resolve there"
            );
            self.hop(
                HopKind::MountTarget,
                HopStatus::Blocked,
                detail.clone(),
                Some(fs),
                None,
            );
            return Outcome::blocked(Blocked {
                cause: unreachable(Some(az.to_owned())),
                resource: fs.clone(),
                location: self.workload.provenance.location.clone(),
                detail,
            });
        };
        let Some(target_subnet) = subnet_of(target) else {
            return Outcome::unknown();
        };
        let detail = format!("{host} resolves to {} in {}", target.id, target_subnet.id);
        let at = target.provenance.location.clone();
        self.hop(
            HopKind::MountTarget,
            HopStatus::Ok,
            detail,
            Some(&target.id),
            at,
        );
        let (Some(own), Some(cidr)) = (self.subnet_ranges(), target_subnet.cidr.value()) else {
            let detail = "the subnet addresses are not known".to_owned();
            self.hop(HopKind::Route, HopStatus::Unknown, detail, None, None);
            return Outcome::unknown();
        };
        let target_range = vec![Ipv4Range::from_net(*cidr)];
        let mut state = PathState::default();
        let groups = if target.security_groups.is_known_empty() {
            Partial::complete(vec![self.vpc.default_security_group.clone()])
        } else {
            target.security_groups.clone()
        };
        let to_target = Peer {
            ranges: target_range.clone(),
            groups: &groups.known,
            prefix_list_service: None,
            region: self.region,
            name: target.id.to_string(),
        };
        let check = security_groups_allow(
            net,
            &self.groups,
            Direction::Egress,
            &to_target,
            PortRange::NFS,
        );
        self.record(&mut state, HopKind::SgEgress, check, || unreachable(None));
        let own_name = format!("{} ({})", self.subnet.id, own[0]);
        let crosses_acls = target_subnet.id != self.subnet.id;
        if crosses_acls {
            let check = acl_allows(
                net,
                &self.subnet.id,
                Direction::Egress,
                &target_range,
                "the mount target",
                PortRange::NFS,
            );
            self.record(&mut state, HopKind::NaclOut, check, || unreachable(None));
            let check = acl_allows(
                net,
                &target_subnet.id,
                Direction::Ingress,
                &own,
                &own_name,
                PortRange::NFS,
            );
            self.record(&mut state, HopKind::NaclIn, check, || unreachable(None));
        }
        let from_workload = Peer {
            ranges: own.clone(),
            groups: &self.groups.known,
            prefix_list_service: None,
            region: self.region,
            name: own_name.clone(),
        };
        let check = security_groups_allow(
            net,
            &groups,
            Direction::Ingress,
            &from_workload,
            PortRange::NFS,
        );
        self.record(&mut state, HopKind::EndpointSgIngress, check, || {
            unreachable(None)
        });
        if crosses_acls {
            let ephemeral = PortRange::LINUX_EPHEMERAL;
            let check = acl_allows(
                net,
                &target_subnet.id,
                Direction::Egress,
                &own,
                &own_name,
                ephemeral,
            );
            self.record(&mut state, HopKind::NaclReturn, check, || unreachable(None));
            let check = acl_allows(
                net,
                &self.subnet.id,
                Direction::Ingress,
                &target_range,
                "the mount target",
                ephemeral,
            );
            self.record(&mut state, HopKind::NaclReturn, check, || unreachable(None));
        }
        self.finish(state, Verdict::Endpoint, Some(target.id.clone()), None)
    }

    /// The path to a service's public addresses through the subnet's default route. `private_miss`
    /// is what drops the flow when there is no such route (or with `--endpoints-only`).
    fn through_public_path(
        &mut self,
        private_miss: Blocked,
        prefix_service: Option<&str>,
    ) -> Outcome {
        if self.options.endpoints_only {
            let detail = format!(
                "{} (--endpoints-only: NAT and internet gateway routes are not considered)",
                private_miss.detail
            );
            self.hop(
                HopKind::Route,
                HopStatus::Blocked,
                detail,
                Some(&private_miss.resource),
                private_miss.location.clone(),
            );
            return Outcome::blocked(private_miss);
        }
        let Some(table) = self.subnet_route_table() else {
            return Outcome::unknown();
        };
        let rt_id = table.route_table;
        let Some(rt) = self.net.model.route_tables.get(&rt_id) else {
            self.hop(
                HopKind::Route,
                HopStatus::Unknown,
                format!("{rt_id} is not in the inputs"),
                Some(&rt_id),
                None,
            );
            return Outcome::unknown();
        };
        let default_route = rt
            .routes
            .iter()
            .find(|r| matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0));
        let Some(route) = default_route else {
            if let Some(u) = &rt.routes.unknown {
                self.hop(
                    HopKind::Route,
                    HopStatus::Unknown,
                    format!("the routes of {rt_id} are not all known ({})", u.reason),
                    Some(&rt_id),
                    None,
                );
                return Outcome::unknown();
            }
            let detail = format!(
                "{}; {rt_id} has no route to the internet (0.0.0.0/0)",
                private_miss.detail
            );
            self.hop(
                HopKind::Route,
                HopStatus::Blocked,
                detail,
                Some(&rt_id),
                rt.provenance.location.clone(),
            );
            return Outcome::blocked(private_miss);
        };
        let route_at = route
            .provenance
            .location
            .clone()
            .or_else(|| rt.provenance.location.clone());
        let verdict = match &route.target {
            RouteTarget::NatGateway(nat) => match self.nat_reaches_internet(nat) {
                Ok(detail) => {
                    self.hop(
                        HopKind::Route,
                        HopStatus::Ok,
                        format!("{rt_id}: 0.0.0.0/0 → {nat}"),
                        Some(&rt_id),
                        route_at,
                    );
                    self.hop(HopKind::Gateway, HopStatus::Ok, detail, Some(nat), None);
                    Verdict::Nat
                }
                Err(Some(detail)) => {
                    self.hop(
                        HopKind::Gateway,
                        HopStatus::Blocked,
                        format!("{}; {detail}", private_miss.detail),
                        Some(nat),
                        route_at,
                    );
                    return Outcome::blocked(private_miss);
                }
                Err(None) => {
                    self.hop(
                        HopKind::Gateway,
                        HopStatus::Unknown,
                        format!("{nat} is not in the inputs; where it leads is not known"),
                        Some(nat),
                        route_at,
                    );
                    return Outcome::unknown();
                }
            },
            RouteTarget::InternetGateway(igw) => {
                let public_ip = self
                    .workload
                    .assign_public_ip
                    .clone()
                    .unwrap_or_else(|| self.subnet.map_public_ip_on_launch.clone());
                match public_ip {
                    Known::Value(true) => {
                        self.hop(
                            HopKind::Route,
                            HopStatus::Ok,
                            format!("{rt_id}: 0.0.0.0/0 → {igw}"),
                            Some(&rt_id),
                            route_at,
                        );
                        self.hop(
                            HopKind::Gateway,
                            HopStatus::Ok,
                            format!("{igw} with a public IP"),
                            Some(igw),
                            None,
                        );
                        Verdict::Internet
                    }
                    Known::Value(false) => {
                        let why = if self.workload.assign_public_ip.is_some() {
                            "assign_public_ip is off"
                        } else {
                            "the subnet does not map public IPs on launch"
                        };
                        let detail = format!(
                            "{}; {rt_id} routes 0.0.0.0/0 to {igw}, but without a public IP ({why}) nothing gets out",
                            private_miss.detail
                        );
                        self.hop(
                            HopKind::Gateway,
                            HopStatus::Blocked,
                            detail,
                            Some(igw),
                            route_at,
                        );
                        return Outcome::blocked(private_miss);
                    }
                    Known::Unknown(u) => {
                        self.hop(
                            HopKind::Gateway,
                            HopStatus::Unknown,
                            format!(
                                "whether the workload gets a public IP is not known ({})",
                                u.reason
                            ),
                            Some(igw),
                            route_at,
                        );
                        return Outcome::unknown();
                    }
                }
            }
            RouteTarget::NetworkInterface(id) | RouteTarget::Instance(id) => {
                self.hop(HopKind::Route, HopStatus::Ok, format!("{rt_id}: 0.0.0.0/0 → {id} (a NAT instance or appliance, assumed to forward to the internet)"), Some(&rt_id), route_at);
                Verdict::Nat
            }
            RouteTarget::Unknown(u) => {
                self.hop(
                    HopKind::Route,
                    HopStatus::Unknown,
                    format!(
                        "the default route of {rt_id} has an unknown target ({})",
                        u.reason
                    ),
                    Some(&rt_id),
                    route_at,
                );
                return Outcome::unknown();
            }
            other => {
                let (what, id) = describe_target(other);
                self.hop(HopKind::Route, HopStatus::Unknown, format!("{rt_id}: 0.0.0.0/0 → {what} {id}; privlink cannot see where the traffic goes from there"), Some(&rt_id), route_at);
                return Outcome::unknown();
            }
        };
        let service = prefix_service.unwrap_or("");
        self.through_public_addresses(service, verdict, None, Some(private_miss), None)
    }

    /// Whether a NAT gateway reaches the internet: public, in a subnet whose route table sends
    /// 0.0.0.0/0 to an internet gateway. `Err(None)` when the inputs do not say.
    fn nat_reaches_internet(&self, nat: &ResourceId) -> Result<String, Option<String>> {
        let model = self.net.model;
        let g = model.nat_gateways.get(nat).ok_or(None)?;
        if g.connectivity == privlink_model::NatConnectivity::Private {
            return Err(Some(format!(
                "{nat} is a private NAT gateway and does not reach the internet"
            )));
        }
        let subnet = g.subnet.value().ok_or(None)?;
        let table = self.net.route_table(subnet).value().cloned().ok_or(None)?;
        let rt = model.route_tables.get(&table.route_table).ok_or(None)?;
        let to_igw = rt.routes.iter().find(|r| {
            matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0)
                && matches!(r.target, RouteTarget::InternetGateway(_))
        });
        match to_igw {
            Some(r) => Ok(format!(
                "{nat} in {subnet} reaches the internet through {}",
                describe_target(&r.target).1
            )),
            None if rt.routes.is_complete() => Err(Some(format!(
                "{nat} is in {subnet}, whose route table {} has no route to an internet gateway",
                table.route_table
            ))),
            None => Err(None),
        }
    }

    /// Security groups and network ACLs towards public addresses (AWS service endpoints reached through
    /// NAT, an internet gateway or a gateway endpoint's prefix list).
    fn through_public_addresses(
        &mut self,
        service: &str,
        verdict: Verdict,
        via: Option<ResourceId>,
        without_nat: Option<Blocked>,
        gateway_endpoint: Option<&VpcEndpoint>,
    ) -> Outcome {
        let mut state = PathState::default();
        let public = public_ipv4_ranges();
        // Gateway services (S3, DynamoDB) are matched by their prefix lists too.
        let prefix_list_service = catalog::is_gateway(service).then_some(service);
        let name = if prefix_list_service.is_some() {
            format!("the {service} prefix list")
        } else {
            "AWS public endpoints".to_owned()
        };
        let peer = Peer {
            ranges: public.clone(),
            groups: &[],
            prefix_list_service,
            region: self.region,
            name: name.clone(),
        };
        let check = security_groups_allow(
            self.net,
            &self.groups,
            Direction::Egress,
            &peer,
            PortRange::HTTPS,
        );
        let to = match gateway_endpoint {
            Some(e) => HttpsPeer::PrefixList(PrefixListRef::OfEndpoint {
                endpoint: e.id.clone(),
            }),
            None => HttpsPeer::Cidr("0.0.0.0/0".parse().expect("valid")),
        };
        self.record(&mut state, HopKind::SgEgress, check, || {
            Cause::WorkloadSgBlocksHttps { to }
        });
        let check = acl_allows(
            self.net,
            &self.subnet.id,
            Direction::Egress,
            &public,
            &name,
            PortRange::HTTPS,
        );
        let subnet = self.subnet.id.clone();
        self.record(&mut state, HopKind::NaclOut, check, || {
            Cause::NaclBlocksTraffic {
                direction: Direction::Egress,
                subnet,
            }
        });
        let check = acl_allows(
            self.net,
            &self.subnet.id,
            Direction::Ingress,
            &public,
            &name,
            PortRange::LINUX_EPHEMERAL,
        );
        let subnet = self.subnet.id.clone();
        self.record(&mut state, HopKind::NaclReturn, check, || {
            Cause::NaclBlocksTraffic {
                direction: Direction::Ingress,
                subnet,
            }
        });
        if let Some(e) = gateway_endpoint {
            self.policy_hop(&mut state, e);
        }
        self.finish(state, verdict, via, without_nat)
    }
}

/// Combines per-subnet checks: the first blocked one wins, then the first unknown one.
fn all_of<'s>(checks: impl Iterator<Item = (&'s ResourceId, Check)>) -> (Check, ResourceId) {
    let mut first_ok = None;
    let mut first_unknown = None;
    for (subnet, check) in checks {
        match check {
            Check::Blocked { .. } => return (check, subnet.clone()),
            Check::Unknown(_) => {
                first_unknown.get_or_insert((check, subnet.clone()));
            }
            Check::Ok { .. } => {
                first_ok.get_or_insert((check, subnet.clone()));
            }
        }
    }
    first_unknown
        .or(first_ok)
        .expect("called with at least one subnet")
}

fn describe_target(target: &RouteTarget) -> (&'static str, String) {
    match target {
        RouteTarget::InternetGateway(id) => ("internet gateway", id.to_string()),
        RouteTarget::EgressOnlyInternetGateway(id) => {
            ("egress-only internet gateway", id.to_string())
        }
        RouteTarget::NatGateway(id) => ("NAT gateway", id.to_string()),
        RouteTarget::NetworkInterface(id) => ("network interface", id.to_string()),
        RouteTarget::Instance(id) => ("instance", id.to_string()),
        RouteTarget::TransitGateway(id) => ("transit gateway", id.to_string()),
        RouteTarget::VpcPeering(id) => ("VPC peering connection", id.to_string()),
        RouteTarget::VpnGateway(id) => ("virtual private gateway", id.to_string()),
        RouteTarget::VpcEndpoint(id) => ("VPC endpoint", id.to_string()),
        RouteTarget::Other(what) => ("gateway", what.clone()),
        RouteTarget::Unknown(u) => ("unknown target", u.reason.clone()),
    }
}
