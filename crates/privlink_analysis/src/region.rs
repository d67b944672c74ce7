//! What the region decides when the inputs name none.
//!
//! Without `--region` and without a region in the inputs (a template set with no CDK environment,
//! a Terraform configuration with no provider region), the region is one unknown, the same for the
//! whole run. Names written with it (`com.amazonaws.${AWS::Region}.logs`) are read with the symbolic
//! [`RUN_REGION`], so the tracer decides the flows that do not depend on its value: an endpoint so
//! named in the workload's VPC serves the workload whatever the region is, and a service with no
//! endpoint is missing in every region. What names a region literally can match the run's region or
//! not, so the flows it decides are `unknown` here, with `--region` to decide them:
//!
//! - an ECR image in a named region (local or cross-region depending on the value);
//! - a flow that an endpoint named for a literal region may serve, in a VPC whose other endpoints
//!   are written with the run's region.

use privlink_model::{RUN_REGION, ResourceId};

use crate::reach::{Flow, Hop, HopKind, HopStatus, Network, Verdict};
use crate::requirements::{Origin, Requirement};

/// Makes `flow` (traced without a region) `unknown` when its verdict depends on which region the
/// run's region is.
pub(crate) fn settle(net: &Network<'_>, flow: &mut Flow, requirement: &Requirement) {
    if flow.verdict == Verdict::Unknown {
        return;
    }
    let Some((detail, element, location)) = dependence(net, flow, requirement) else {
        return;
    };
    flow.verdict = Verdict::Unknown;
    flow.via = None;
    flow.blocked = None;
    flow.without_nat = None;
    flow.hops.push(Hop {
        kind: HopKind::Dns,
        status: HopStatus::Unknown,
        detail,
        element,
        location,
    });
}

type Dependence = (String, Option<ResourceId>, Option<privlink_model::Location>);

fn dependence(net: &Network<'_>, flow: &Flow, requirement: &Requirement) -> Option<Dependence> {
    if let Origin::CrossRegionImage { image, region } = &requirement.origin {
        return Some((
            format!(
                "{image} is in ECR in {region}; whether that is the workload's region (a local pull) or another is not known: the inputs name no region"
            ),
            None,
            None,
        ));
    }
    let vpc = flow.vpc.as_ref()?;
    let endpoints = net.endpoints_any_kind(vpc, &flow.service);
    let via_run_region = flow.via.as_ref().is_some_and(|via| {
        endpoints
            .iter()
            .any(|e| &e.id == via && e.service().is_some_and(|s| s.in_run_region()))
    });
    if via_run_region {
        return None;
    }
    let symbolic = net
        .model
        .endpoints_in(vpc)
        .any(|e| e.service().is_some_and(|s| s.in_run_region()));
    if !symbolic {
        return None;
    }
    let literal = endpoints.into_iter().find_map(|e| {
        let name = e.service()?;
        (!name.in_run_region()).then_some((e, name.region))
    })?;
    let (endpoint, region) = literal;
    Some((
        format!(
            "{} is named for {region} while the other endpoints of {vpc} are named for the region the inputs are deployed in ({RUN_REGION}), which they do not name: it serves only if that is {region}",
            endpoint.id
        ),
        Some(endpoint.id.clone()),
        endpoint.provenance.location.clone(),
    ))
}
