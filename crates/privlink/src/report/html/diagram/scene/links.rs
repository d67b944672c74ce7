//! Flows into links: where each flow goes in the picture (the ENI in its AZ, a gateway endpoint,
//! a NAT or internet gateway, or a "no path" item at the edge), aggregated to one link per
//! (workload subnet, target) that keeps the worst verdict and one tooltip line per flow.

use std::collections::BTreeMap;

use privlink_analysis::reach::{Flow, HopKind, HopStatus, Verdict};
use privlink_model::{EndpointKind, Model, ResourceId};

use super::{EdgeKind, Link, Scene, Target, edge_item, find_subnet, worse};

/// One line describing a flow, for tooltips.
fn flow_line(flow: &Flow) -> String {
    let how = match (&flow.blocked, &flow.via) {
        (Some(b), _) => format!(": {} ({})", b.cause.rule(), b.resource),
        (None, Some(via)) => format!(" via {via}"),
        (None, None) => flow
            .hops
            .iter()
            .find(|h| h.status == HopStatus::Unknown)
            .map(|h| format!(": {}", h.detail))
            .unwrap_or_default(),
    };
    format!(
        "{} · {}: {}{how}",
        flow.workload, flow.service, flow.verdict
    )
}

/// Adds a flow to the link from its subnet to where it goes.
pub(super) fn add(
    model: &Model,
    subnet_box: &BTreeMap<ResourceId, usize>,
    flow: &Flow,
    scene: &mut Scene,
) {
    let Some(&i) = subnet_box.get(&flow.subnet) else {
        return;
    };
    let aim = aim(model, flow);
    let (target, header) = target(model, subnet_box, i, flow, aim.as_ref(), scene);
    let vpc = &mut scene.vpcs[i];
    match &target {
        Target::Edge(e) => {
            let item = &mut vpc.edge[*e];
            item.verdict = worse(item.verdict, flow.verdict);
        }
        Target::Subnet(s) => {
            if let Some(chip) = find_subnet(vpc, s).and_then(|sub| {
                sub.chips
                    .iter_mut()
                    .find(|c| Some(&c.element) == aim.as_ref())
            }) {
                chip.verdict = worse(chip.verdict, flow.verdict);
                let line = flow_line(flow);
                if !chip.title.contains(&line) {
                    chip.title.push(line);
                }
            }
        }
    }
    let line = flow_line(flow);
    match vpc
        .links
        .iter_mut()
        .find(|l| l.from == flow.subnet && l.to == target)
    {
        Some(l) => {
            l.verdict = worse(Some(l.verdict), flow.verdict).unwrap_or(flow.verdict);
            if !l.title.contains(&line) {
                l.title.push(line);
            }
        }
        None => vpc.links.push(Link {
            from: flow.subnet.clone(),
            to: target,
            verdict: flow.verdict,
            title: vec![format!("{} → {header}", flow.subnet), line],
        }),
    }
}

/// The endpoint or mount target a flow goes through or, when it is dropped on the way, the one it
/// was meant to reach (the endpoint with private DNS off, the one its VPC's DNS settings break, or
/// else the VPC's endpoint for the service): drawing the dropped flow to it shows which ENI the
/// workload cannot use.
fn aim(model: &Model, flow: &Flow) -> Option<ResourceId> {
    if flow.via.is_some() || !matches!(flow.verdict, Verdict::Blocked | Verdict::Unknown) {
        return flow.via.clone();
    }
    let is_endpoint = |id: &&ResourceId| model.endpoints.contains_key(*id);
    flow.blocked
        .as_ref()
        .map(|b| &b.resource)
        .filter(is_endpoint)
        .or_else(|| {
            flow.hops
                .iter()
                .filter_map(|h| h.element.as_ref())
                .find(is_endpoint)
        })
        .cloned()
        .or_else(|| {
            let vpc = flow.vpc.as_ref()?;
            model
                .endpoints_in(vpc)
                .find(|e| e.service_suffix().as_deref() == Some(flow.service.as_str()))
                .map(|e| e.id.clone())
        })
}

/// Where a flow goes in the picture, and how the link's tooltip names it.
fn target(
    model: &Model,
    subnet_box: &BTreeMap<ResourceId, usize>,
    i: usize,
    flow: &Flow,
    aim: Option<&ResourceId>,
    scene: &mut Scene,
) -> (Target, String) {
    let vpc = &mut scene.vpcs[i];
    if let Some(via) = aim {
        if let Some(e) = model.endpoints.get(via) {
            if e.kind.value() == Some(&EndpointKind::Gateway) {
                let label = format!("{} gateway", e.service_suffix().unwrap_or_default());
                let title = vec![format!("gateway endpoint {}", e.id)];
                let at = edge_item(vpc, EdgeKind::GatewayEndpoint, &e.id, label, title);
                return (Target::Edge(at), format!("gateway endpoint {via}"));
            }
            // The ENI in the flow's AZ when there is one (private DNS answers with the zonal ENI),
            // else the first: the flow crosses AZs.
            let enis: Vec<&ResourceId> = e
                .subnets
                .iter()
                .filter(|s| subnet_box.get(*s) == Some(&i))
                .collect();
            let same_az = enis.iter().find(|s| {
                flow.az.is_known()
                    && model.subnets.get(**s).map(|s| &s.availability_zone) == Some(&flow.az)
            });
            if let Some(s) = same_az.or(enis.first()) {
                return (Target::Subnet((*s).clone()), format!("{via} ENI in {s}"));
            }
            let label = format!(
                "{} (no ENI drawn)",
                e.service_suffix().unwrap_or_else(|| via.to_string())
            );
            let title = vec![format!("interface endpoint {via}")];
            let at = edge_item(vpc, EdgeKind::Unplaced, via, label, title);
            return (Target::Edge(at), format!("{via} (no ENI in this VPC)"));
        }
        if let Some(mt) = model.efs_mount_targets.get(via)
            && let Some(s) = mt.subnet.value().filter(|s| subnet_box.get(*s) == Some(&i))
        {
            return (Target::Subnet(s.clone()), format!("{via} in {s}"));
        }
    }
    let gateway = flow
        .hops
        .iter()
        .filter(|h| h.kind == HopKind::Gateway)
        .find_map(|h| h.element.as_ref());
    if let Some(g) = gateway {
        if model.nat_gateways.contains_key(g) {
            let title = vec![format!("NAT gateway {g}")];
            let at = edge_item(vpc, EdgeKind::NatGateway, g, format!("NAT {g}"), title);
            return (Target::Edge(at), format!("NAT gateway {g}"));
        }
        if model.internet_gateways.contains_key(g) {
            let title = vec![format!("internet gateway {g}")];
            let at = edge_item(vpc, EdgeKind::InternetGateway, g, format!("IGW {g}"), title);
            return (Target::Edge(at), format!("internet gateway {g}"));
        }
    }
    if matches!(flow.verdict, Verdict::Nat | Verdict::Internet) {
        // A NAT instance or appliance: the default route's target, named by the route table.
        let table = flow
            .hops
            .iter()
            .filter(|h| h.kind == HopKind::Route)
            .find_map(|h| h.element.clone())
            .unwrap_or_else(|| ResourceId::new("default route"));
        let label = format!("NAT instance ({table})");
        let title = vec![format!("the default route of {table}")];
        let at = edge_item(vpc, EdgeKind::OtherGateway, &table, label, title);
        return (Target::Edge(at), format!("the default route of {table}"));
    }
    // One item for every service without a target, so the edge stays one row however many
    // services the VPC lacks; its label lists them.
    let title = vec!["services no endpoint or gateway carries".to_owned()];
    let at = edge_item(
        vpc,
        EdgeKind::NoPath,
        &ResourceId::new("no-path"),
        String::new(),
        title,
    );
    let services = &mut vpc.edge[at].services;
    if !services.contains(&flow.service) {
        services.push(flow.service.clone());
    }
    (Target::Edge(at), format!("{} (no path)", flow.service))
}
