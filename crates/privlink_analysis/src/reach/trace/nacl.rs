//! Network ACLs: stateless, so checked on the way out, on the way in and on the return path, and
//! only between different subnets.

use privlink_model::net::{Ipv4Range, PortRange};
use privlink_model::{Direction, ResourceId};

use super::{PathState, Tracer};
use crate::reach::check::{Check, acl_allows};
use crate::reach::{Cause, HopKind};

impl Tracer<'_, '_> {
    /// The network ACL of the workload's subnet in `direction`, for traffic with `peer` (named
    /// `peer_name`) on `ports`. `cause` gets the subnet.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn nacl_own(
        &mut self,
        state: &mut PathState,
        kind: HopKind,
        direction: Direction,
        peer: &[Ipv4Range],
        peer_name: &str,
        ports: PortRange,
        cause: impl FnOnce(ResourceId) -> Cause,
    ) {
        let check = acl_allows(self.net, &self.subnet.id, direction, peer, peer_name, ports);
        let subnet = self.subnet.id.clone();
        self.record(state, kind, check, || cause(subnet));
    }

    /// The network ACLs of the `remote` subnets in `direction`, for traffic with the workload's
    /// subnet (`own`, named `own_name`) on `ports`: the first that blocks decides, and `cause` gets
    /// its subnet.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn nacl_remote(
        &mut self,
        state: &mut PathState,
        kind: HopKind,
        direction: Direction,
        remote: &[&ResourceId],
        own: &[Ipv4Range],
        own_name: &str,
        ports: PortRange,
        cause: impl FnOnce(ResourceId) -> Cause,
    ) {
        let (check, subnet) = all_of(
            remote
                .iter()
                .map(|s| (*s, acl_allows(self.net, s, direction, own, own_name, ports))),
        );
        self.record(state, kind, check, || cause(subnet));
    }
}

/// The cause of a flow dropped by the network ACL of a subnet in `direction`.
pub(super) fn blocks(direction: Direction) -> impl FnOnce(ResourceId) -> Cause {
    move |subnet| Cause::NaclBlocksTraffic { direction, subnet }
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
