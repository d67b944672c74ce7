//! VPC endpoints: the endpoints that serve a service in the flow's region, the path to an
//! interface endpoint's network interfaces, the S3 gateway endpoint on the subnet's route table,
//! endpoint policies and the AZs of the endpoint's interfaces.

use privlink_model::net::{Ipv4Range, PortRange};
use privlink_model::{Direction, EndpointKind, HttpsPeer, Known, ResourceId, Subnet, VpcEndpoint};

use super::{Outcome, PathState, Tracer, nacl};
use crate::catalog::{self, CROSS_REGION_SERVICES};
use crate::policy::{Decision, RequestContext, evaluate};
use crate::reach::check::Peer;
use crate::reach::{Blocked, Cause, HopKind, HopStatus, Verdict};

impl<'m> Tracer<'_, 'm> {
    /// Endpoints of `kind` that serve `service` in the region the flow needs. An endpoint named for
    /// another region than its VPC's serves only when its service region says so and the service is
    /// cross-region enabled; otherwise it is invalid (`endpoint-region-mismatch`) and serves nothing.
    pub(super) fn serving_endpoints(
        &self,
        service: &str,
        kind: EndpointKind,
    ) -> Vec<&'m VpcEndpoint> {
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

    pub(super) fn through_interface_endpoint(&mut self, endpoint: &VpcEndpoint) -> Outcome {
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
            return self.undecided(HopKind::Route, detail, Some(&endpoint.id), None);
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
        let endpoint_groups = self.groups_or_default(&endpoint.security_groups);
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
        let to = endpoint_groups.known.first().cloned().map_or_else(
            || HttpsPeer::Cidr(eni_subnets[0].cidr.value().copied().expect("checked above")),
            HttpsPeer::SecurityGroup,
        );
        self.sg_egress(&mut state, &peer, PortRange::HTTPS, || {
            Cause::WorkloadSgBlocksHttps { to }
        });
        // Network ACLs: only traffic between different subnets crosses them.
        let remote: Vec<&(ResourceId, Ipv4Range)> = eni_ranges
            .iter()
            .filter(|(s, _)| s != &self.subnet.id)
            .collect();
        let remote_ids: Vec<&ResourceId> = remote.iter().map(|(s, _)| s).collect();
        let remote_ranges: Vec<Ipv4Range> = remote.iter().map(|(_, r)| *r).collect();
        let own_name = format!("{} ({})", self.subnet.id, own[0]);
        if !remote.is_empty() {
            self.nacl_own(
                &mut state,
                HopKind::NaclOut,
                Direction::Egress,
                &remote_ranges,
                "the endpoint subnets",
                PortRange::HTTPS,
                nacl::blocks(Direction::Egress),
            );
            self.nacl_remote(
                &mut state,
                HopKind::NaclIn,
                Direction::Ingress,
                &remote_ids,
                &own,
                &own_name,
                PortRange::HTTPS,
                nacl::blocks(Direction::Ingress),
            );
        }
        let endpoint_id = endpoint.id.clone();
        self.sg_ingress(
            &mut state,
            &endpoint_groups,
            &own,
            &own_name,
            PortRange::HTTPS,
            || Cause::EndpointSgBlocksHttps {
                endpoint: endpoint_id,
                default_group,
            },
        );
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
            self.nacl_remote(
                &mut state,
                HopKind::NaclReturn,
                Direction::Egress,
                &remote_ids,
                &own,
                &own_name,
                PortRange::LINUX_EPHEMERAL,
                nacl::blocks(Direction::Egress),
            );
            self.nacl_own(
                &mut state,
                HopKind::NaclReturn,
                Direction::Ingress,
                &remote_ranges,
                "the endpoint subnets",
                PortRange::LINUX_EPHEMERAL,
                nacl::blocks(Direction::Ingress),
            );
        }
        self.policy_hop(&mut state, endpoint);
        self.az_hop(endpoint, &eni_subnets);
        self.finish(state, Verdict::Endpoint, Some(endpoint.id.clone()), None)
    }

    /// The endpoint policy against the calls the flow makes.
    pub(super) fn policy_hop(&mut self, state: &mut PathState, endpoint: &VpcEndpoint) {
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
    pub(super) fn az_hop(&mut self, endpoint: &VpcEndpoint, eni_subnets: &[&Subnet]) {
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

    pub(super) fn gateway(&mut self, service: &str) -> Outcome {
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
            return self.undecided(
                HopKind::Route,
                format!("the route tables of {} are not all known", e.id),
                Some(&e.id),
                None,
            );
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
            return self.undecided(
                HopKind::Route,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
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
}
