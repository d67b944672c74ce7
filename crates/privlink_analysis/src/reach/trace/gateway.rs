//! NAT and internet gateways, and the path to a service's public addresses (also through a gateway
//! endpoint's prefix list).

use privlink_model::net::{PortRange, public_ipv4_ranges};
use privlink_model::{
    Direction, HttpsPeer, Known, Location, PrefixListRef, ResourceId, RouteDestination,
    RouteTarget, VpcEndpoint,
};

use super::route::describe_target;
use super::{Outcome, PathState, Tracer, nacl};
use crate::catalog;
use crate::reach::check::Peer;
use crate::reach::{Blocked, Cause, HopKind, HopStatus, Verdict};

impl Tracer<'_, '_> {
    /// The subnet's default route leads to the NAT gateway `nat` (route `rt_id`, written at
    /// `route_at`): the flow goes on to public addresses when the NAT gateway reaches the internet.
    pub(super) fn nat_gateway(
        &mut self,
        nat: &ResourceId,
        rt_id: &ResourceId,
        route_at: Option<Location>,
        private_miss: Blocked,
        prefix_service: Option<&str>,
    ) -> Outcome {
        match self.nat_reaches_internet(nat) {
            Ok(detail) => {
                self.hop(
                    HopKind::Route,
                    HopStatus::Ok,
                    format!("{rt_id}: 0.0.0.0/0 → {nat}"),
                    Some(rt_id),
                    route_at,
                );
                self.hop(HopKind::Gateway, HopStatus::Ok, detail, Some(nat), None);
                self.beyond_gateway(Verdict::Nat, private_miss, prefix_service)
            }
            Err(Some(detail)) => {
                self.hop(
                    HopKind::Gateway,
                    HopStatus::Blocked,
                    format!("{}; {detail}", private_miss.detail),
                    Some(nat),
                    route_at,
                );
                Outcome::blocked(private_miss)
            }
            Err(None) => {
                self.hop(
                    HopKind::Gateway,
                    HopStatus::Unknown,
                    format!("{nat} is not in the inputs; where it leads is not known"),
                    Some(nat),
                    route_at,
                );
                Outcome::unknown()
            }
        }
    }

    /// The subnet's default route leads to the internet gateway `igw`: the flow goes on to public
    /// addresses when the workload has a public IP.
    pub(super) fn internet_gateway(
        &mut self,
        igw: &ResourceId,
        rt_id: &ResourceId,
        route_at: Option<Location>,
        private_miss: Blocked,
        prefix_service: Option<&str>,
    ) -> Outcome {
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
                    Some(rt_id),
                    route_at,
                );
                self.hop(
                    HopKind::Gateway,
                    HopStatus::Ok,
                    format!("{igw} with a public IP"),
                    Some(igw),
                    None,
                );
                self.beyond_gateway(Verdict::Internet, private_miss, prefix_service)
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
                Outcome::blocked(private_miss)
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
                Outcome::unknown()
            }
        }
    }

    /// Past a NAT or internet gateway: the workload's security groups and network ACLs towards the
    /// service's public addresses (`prefix_service`'s prefix list for gateway services).
    /// `private_miss` is what drops the flow without NAT.
    pub(super) fn beyond_gateway(
        &mut self,
        verdict: Verdict,
        private_miss: Blocked,
        prefix_service: Option<&str>,
    ) -> Outcome {
        let service = prefix_service.unwrap_or("");
        self.through_public_addresses(service, verdict, None, Some(private_miss), None)
    }

    /// Whether a NAT gateway reaches the internet: public, in a subnet whose route table sends
    /// 0.0.0.0/0 to an internet gateway. `Err(None)` when the inputs do not say.
    pub(super) fn nat_reaches_internet(&self, nat: &ResourceId) -> Result<String, Option<String>> {
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
    pub(super) fn through_public_addresses(
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
        let to = match gateway_endpoint {
            Some(e) => HttpsPeer::PrefixList(PrefixListRef::OfEndpoint {
                endpoint: e.id.clone(),
            }),
            None => HttpsPeer::Cidr("0.0.0.0/0".parse().expect("valid")),
        };
        self.sg_egress(&mut state, &peer, PortRange::HTTPS, || {
            Cause::WorkloadSgBlocksHttps { to }
        });
        self.nacl_own(
            &mut state,
            HopKind::NaclOut,
            Direction::Egress,
            &public,
            &name,
            PortRange::HTTPS,
            nacl::blocks(Direction::Egress),
        );
        self.nacl_own(
            &mut state,
            HopKind::NaclReturn,
            Direction::Ingress,
            &public,
            &name,
            PortRange::LINUX_EPHEMERAL,
            nacl::blocks(Direction::Ingress),
        );
        if let Some(e) = gateway_endpoint {
            self.policy_hop(&mut state, e);
        }
        self.finish(state, verdict, via, without_nat)
    }
}
