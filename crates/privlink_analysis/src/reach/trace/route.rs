//! Routes: the route table the workload's subnet uses and its default route to NAT or an internet
//! gateway.

use privlink_model::{EffectiveAssociation, Known, RouteDestination, RouteTarget};

use super::{Outcome, Tracer};
use crate::reach::{Blocked, HopKind, HopStatus, Verdict};

impl Tracer<'_, '_> {
    /// The route table the workload's subnet uses; `None` (after an `unknown` route hop) when the
    /// inputs do not say.
    pub(super) fn subnet_route_table(&mut self) -> Option<EffectiveAssociation> {
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
    /// The path to a service's public addresses through the subnet's default route. `private_miss`
    /// is what drops the flow when there is no such route (or with `--endpoints-only`).
    pub(super) fn through_public_path(
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
            return self.undecided(
                HopKind::Route,
                format!("{rt_id} is not in the inputs"),
                Some(&rt_id),
                None,
            );
        };
        let default_route = rt
            .routes
            .iter()
            .find(|r| matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0));
        let Some(route) = default_route else {
            if let Some(u) = &rt.routes.unknown {
                return self.undecided(
                    HopKind::Route,
                    format!("the routes of {rt_id} are not all known ({})", u.reason),
                    Some(&rt_id),
                    None,
                );
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
        match &route.target {
            RouteTarget::NatGateway(nat) => {
                self.nat_gateway(nat, &rt_id, route_at, private_miss, prefix_service)
            }
            RouteTarget::InternetGateway(igw) => {
                self.internet_gateway(igw, &rt_id, route_at, private_miss, prefix_service)
            }
            RouteTarget::NetworkInterface(id) | RouteTarget::Instance(id) => {
                self.hop(HopKind::Route, HopStatus::Ok, format!("{rt_id}: 0.0.0.0/0 → {id} (a NAT instance or appliance, assumed to forward to the internet)"), Some(&rt_id), route_at);
                self.beyond_gateway(Verdict::Nat, private_miss, prefix_service)
            }
            target @ (RouteTarget::TransitGateway(_) | RouteTarget::VpcPeering(_)) => {
                self.transit_default_route(&rt_id, target, route_at)
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
                Outcome::unknown()
            }
            other => {
                let (what, id) = describe_target(other);
                self.hop(HopKind::Route, HopStatus::Unknown, format!("{rt_id}: 0.0.0.0/0 → {what} {id}; privlink cannot see where the traffic goes from there"), Some(&rt_id), route_at);
                Outcome::unknown()
            }
        }
    }
}

pub(super) fn describe_target(target: &RouteTarget) -> (&'static str, String) {
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
