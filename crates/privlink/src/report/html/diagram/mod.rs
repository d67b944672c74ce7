//! The SVG diagram of the HTML report: VPC → AZ columns → subnets with their workloads and endpoint
//! ENIs, gateways and gateway endpoints at each VPC's edge, and the flows drawn from workload
//! subnets to where they go, coloured by verdict.
//!
//! ```text
//! Model + flows ──► scene (what to draw) ──► layout (where) ──► svg (how)
//! ```

mod layout;
mod scene;
mod svg;

use crate::session::Session;

/// The diagram as an inline `<svg>` element.
pub(crate) fn render(session: &Session) -> String {
    let workloads: Vec<(String, Vec<privlink_model::ResourceId>)> = session
        .analysis
        .workloads
        .iter()
        .map(|a| {
            let w = &a.workload;
            // An assumed workload is always a Fargate task; saying it is assumed matters more.
            let what = if w.assumed {
                "assumed"
            } else {
                w.kind.as_str()
            };
            (format!("{} ({what})", w.name), w.subnets.known.clone())
        })
        .collect();
    let scene = scene::build(&session.model, &session.analysis.flows, &workloads);
    let layout = layout::layout(&scene);
    svg::render(&scene, &layout)
}
