//! Security groups: the workload's egress towards the destination and the destination's ingress from
//! the workload. Security groups are stateful, so the return traffic needs no rule.

use privlink_model::net::{Ipv4Range, PortRange};
use privlink_model::{Direction, Partial, ResourceId};

use super::{PathState, Tracer};
use crate::reach::check::{Peer, security_groups_allow};
use crate::reach::{Cause, HopKind};

impl Tracer<'_, '_> {
    /// The groups of an endpoint or a mount target: its own, or the VPC default group when it has
    /// none.
    pub(super) fn groups_or_default(&self, groups: &Partial<ResourceId>) -> Partial<ResourceId> {
        if groups.is_known_empty() {
            Partial::complete(vec![self.vpc.default_security_group.clone()])
        } else {
            groups.clone()
        }
    }

    /// The workload's security-group egress towards `peer` on `ports`.
    pub(super) fn sg_egress(
        &mut self,
        state: &mut PathState,
        peer: &Peer<'_>,
        ports: PortRange,
        cause: impl FnOnce() -> Cause,
    ) {
        let check = security_groups_allow(self.net, &self.groups, Direction::Egress, peer, ports);
        self.record(state, HopKind::SgEgress, check, cause);
    }

    /// The destination's security-group ingress (`groups`) from the workload (its subnet's ranges
    /// `own`, named `own_name`, and its groups) on `ports`.
    pub(super) fn sg_ingress(
        &mut self,
        state: &mut PathState,
        groups: &Partial<ResourceId>,
        own: &[Ipv4Range],
        own_name: &str,
        ports: PortRange,
        cause: impl FnOnce() -> Cause,
    ) {
        let peer = Peer {
            ranges: own.to_vec(),
            groups: &self.groups.known,
            prefix_list_service: None,
            region: self.region,
            name: own_name.to_owned(),
        };
        let check = security_groups_allow(self.net, groups, Direction::Ingress, &peer, ports);
        self.record(state, HopKind::EndpointSgIngress, check, cause);
    }
}
