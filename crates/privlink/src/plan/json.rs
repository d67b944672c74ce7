//! `plan --format json`: the table's data, with each service's predicted error and endpoint policy
//! (schema_version 1, documented in the README).

use serde::Serialize;

use super::{Plan, Row, table};
use privlink_model::EndpointKind;

/// The document.
#[derive(Debug, Serialize)]
pub(crate) struct PlanJson<'a> {
    schema_version: u32,
    tool: Tool,
    workload: Workload<'a>,
    azs: u8,
    services: Vec<Service<'a>>,
    notes: &'a [String],
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct Workload<'a> {
    kind: &'static str,
    platform_version: Option<&'a str>,
    region: &'a str,
    features: Vec<String>,
    images: &'a [String],
}

#[derive(Debug, Serialize)]
struct Service<'a> {
    service: &'a str,
    title: &'a str,
    endpoint_type: &'static str,
    service_name: Option<&'a str>,
    service_region: Option<&'a str>,
    purpose: &'a str,
    why: String,
    predicted_error: &'a str,
    policy: Option<&'a serde_json::Value>,
    pull_through_cache: Option<PullThrough<'a>>,
}

#[derive(Debug, Serialize)]
struct PullThrough<'a> {
    prefix: &'a str,
    upstream: &'a str,
    image: &'a str,
}

fn service(row: &Row) -> Service<'_> {
    let need = &row.requirement;
    Service {
        service: &need.service,
        title: row.title(),
        endpoint_type: match row.endpoint {
            Some(EndpointKind::Interface) => "interface",
            Some(EndpointKind::Gateway) => "gateway",
            Some(EndpointKind::GatewayLoadBalancer) => "gateway_load_balancer",
            None => "none",
        },
        service_name: row.service_name.as_deref(),
        service_region: need.region.as_deref(),
        purpose: &need.purpose,
        why: table::why(row),
        predicted_error: &need.predicted_error,
        policy: row.policy.as_ref(),
        pull_through_cache: row.pull_through.as_ref().map(|p| PullThrough {
            prefix: p.prefix,
            upstream: &p.upstream,
            image: &p.image,
        }),
    }
}

/// The JSON document of a plan.
pub(crate) fn document(plan: &Plan) -> PlanJson<'_> {
    let r = &plan.request;
    PlanJson {
        schema_version: 1,
        tool: Tool {
            name: "privlink",
            version: env!("CARGO_PKG_VERSION"),
        },
        workload: Workload {
            kind: r.kind.as_str(),
            platform_version: r.platform_version.as_deref(),
            region: &r.region,
            features: r.features.iter().map(ToString::to_string).collect(),
            images: &r.images,
        },
        azs: r.azs,
        services: plan.rows.iter().map(service).collect(),
        notes: &plan.notes,
    }
}
