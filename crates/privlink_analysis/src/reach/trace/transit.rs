//! Transit: routes into a transit gateway or a VPC peering connection, which lead to another VPC.

use privlink_model::{Location, ResourceId, RouteTarget};

use super::route::describe_target;
use super::{Outcome, Tracer};
use crate::reach::{HopKind, HopStatus};

impl Tracer<'_, '_> {
    /// The subnet's default route (in `rt_id`, written at `route_at`) leads to a transit gateway or
    /// a peering connection: where the traffic goes from there is not followed.
    pub(super) fn transit_default_route(
        &mut self,
        rt_id: &ResourceId,
        target: &RouteTarget,
        route_at: Option<Location>,
    ) -> Outcome {
        let (what, id) = describe_target(target);
        self.hop(
            HopKind::Route,
            HopStatus::Unknown,
            format!(
                "{rt_id}: 0.0.0.0/0 → {what} {id}; privlink cannot see where the traffic goes from there"
            ),
            Some(rt_id),
            route_at,
        );
        Outcome::unknown()
    }
}
