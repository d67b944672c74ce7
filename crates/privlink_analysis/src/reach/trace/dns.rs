//! DNS: the VPC resolver, and which address a service name resolves to — an interface endpoint
//! with private DNS in the VPC, or the service's public addresses.

use privlink_model::{EndpointKind, Known};

use super::{Outcome, Tracer};
use crate::catalog;
use crate::reach::{Blocked, Cause, HopKind, HopStatus};

impl Tracer<'_, '_> {
    /// DNS for any service: the VPC resolver must answer. Returns how the flow ends when it does not.
    pub(super) fn resolver_fails(&mut self, host: &str) -> Option<Outcome> {
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
    pub(super) fn interface(&mut self, service: &str) -> Outcome {
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
                    return self.undecided(HopKind::Dns, detail, Some(&self.vpc.id), None);
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
            return self.undecided(
                HopKind::Dns,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
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
            return self.undecided(
                HopKind::Dns,
                detail,
                Some(&e.id),
                e.provenance.location.clone(),
            );
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
    pub(super) fn registry(&mut self, host: &str) -> Outcome {
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
}
