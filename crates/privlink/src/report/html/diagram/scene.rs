//! What the diagram shows, before any geometry: VPC boxes with their AZ columns and subnets, the
//! workloads and endpoint ENIs in each subnet, what sits at each VPC's edge (internet and NAT
//! gateways, gateway endpoints, endpoints without an ENI, services with no path at all), and the
//! flows aggregated to one link per (workload subnet, target) with the worst verdict.
//!
//! Order is the model's (the order the inputs declare things), AZ columns are sorted by name with
//! "AZ unknown" last, and subnets whose VPC is not known go into a box of their own: nothing here
//! depends on hashing or randomness, so the same inputs draw the same picture.

use std::collections::BTreeMap;

use privlink_analysis::reach::{Flow, HopKind, HopStatus, Verdict};
use privlink_model::{EndpointKind, Known, Model, ResourceId, RouteDestination, RouteTarget};

use super::super::verdict_rank;

/// The whole picture: one box per VPC, stacked.
#[derive(Debug)]
pub(crate) struct Scene {
    pub(crate) vpcs: Vec<VpcBox>,
}

/// One VPC (or the subnets whose VPC the inputs do not determine).
#[derive(Debug)]
pub(crate) struct VpcBox {
    /// The VPC; `None` for the box of subnets whose VPC is not known.
    pub(crate) id: Option<ResourceId>,
    /// The VPC's address, or a note that it is not known.
    pub(crate) label: String,
    /// CIDRs and region.
    pub(crate) detail: String,
    pub(crate) columns: Vec<AzColumn>,
    pub(crate) edge: Vec<EdgeItem>,
    pub(crate) links: Vec<Link>,
}

/// One availability zone.
#[derive(Debug)]
pub(crate) struct AzColumn {
    /// The AZ, or `AZ unknown`.
    pub(crate) name: String,
    pub(crate) subnets: Vec<SubnetBox>,
}

/// Whether a subnet's default route leads to an internet gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exposure {
    /// 0.0.0.0/0 → internet gateway.
    Public,
    /// No route to an internet gateway (NAT, or nothing).
    Private,
    /// The route table or its routes are not known.
    Unknown,
}

/// One subnet.
#[derive(Debug)]
pub(crate) struct SubnetBox {
    pub(crate) id: ResourceId,
    pub(crate) cidr: String,
    pub(crate) exposure: Exposure,
    pub(crate) workloads: Vec<String>,
    pub(crate) chips: Vec<Chip>,
}

/// An endpoint ENI (or EFS mount target) in a subnet.
#[derive(Debug)]
pub(crate) struct Chip {
    /// The endpoint or mount target.
    pub(crate) element: ResourceId,
    /// The service it serves.
    pub(crate) label: String,
    /// Tooltip lines.
    pub(crate) title: Vec<String>,
    /// The worst verdict of the flows that use this ENI; `None` when no flow does.
    pub(crate) verdict: Option<Verdict>,
}

/// What an edge item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    InternetGateway,
    NatGateway,
    GatewayEndpoint,
    /// An interface endpoint whose ENIs are not drawn in this VPC (none, or unknown subnets).
    Unplaced,
    /// A route privlink does not follow further (NAT instance, appliance).
    OtherGateway,
    /// A service no flow found a target for.
    NoPath,
}

/// Something at the VPC's edge.
#[derive(Debug)]
pub(crate) struct EdgeItem {
    pub(crate) key: String,
    pub(crate) kind: EdgeKind,
    pub(crate) label: String,
    pub(crate) title: Vec<String>,
    pub(crate) verdict: Option<Verdict>,
}

/// Where a link ends.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// The ENIs in this subnet.
    Subnet(ResourceId),
    /// The edge item at this index.
    Edge(usize),
}

/// The flows from one subnet to one target.
#[derive(Debug)]
pub(crate) struct Link {
    pub(crate) from: ResourceId,
    pub(crate) to: Target,
    pub(crate) verdict: Verdict,
    /// Tooltip lines: what the link joins, then one line per flow.
    pub(crate) title: Vec<String>,
}

/// Builds the scene.
pub(crate) fn build(
    model: &Model,
    flows: &[Flow],
    workloads: &[(String, Vec<ResourceId>)],
) -> Scene {
    let mut vpcs: Vec<VpcBox> = model
        .vpcs
        .values()
        .map(|v| {
            let cidrs: Vec<String> = v.cidrs.iter().map(ToString::to_string).collect();
            let mut detail = if cidrs.is_empty() {
                "CIDR unknown".to_owned()
            } else {
                cidrs.join(", ")
            };
            if let Known::Value(region) = &v.region {
                detail.push_str(&format!(" · {region}"));
            }
            VpcBox {
                id: Some(v.id.clone()),
                label: v.id.to_string(),
                detail,
                columns: Vec::new(),
                edge: Vec::new(),
                links: Vec::new(),
            }
        })
        .collect();
    // Subnets, by VPC and AZ.
    let mut subnet_box: BTreeMap<ResourceId, usize> = BTreeMap::new();
    let mut placement: Vec<(usize, String, bool, SubnetBox)> = Vec::new();
    for s in model.subnets.values() {
        let index = match vpc_index(&vpcs, s.vpc.value()) {
            Some(i) => i,
            None => undetermined_box(&mut vpcs),
        };
        let (az, known) = match &s.availability_zone {
            Known::Value(az) => (az.clone(), true),
            Known::Unknown(_) => ("AZ unknown".to_owned(), false),
        };
        let workloads_here = workloads
            .iter()
            .filter(|(_, subnets)| subnets.contains(&s.id))
            .map(|(label, _)| label.clone())
            .collect();
        subnet_box.insert(s.id.clone(), index);
        placement.push((
            index,
            az,
            known,
            SubnetBox {
                id: s.id.clone(),
                cidr: s
                    .cidr
                    .value()
                    .map_or_else(|| "CIDR unknown".to_owned(), ToString::to_string),
                exposure: exposure(model, &s.id),
                workloads: workloads_here,
                chips: Vec::new(),
            },
        ));
    }
    placement.sort_by(|a, b| (a.0, !a.2, &a.1).cmp(&(b.0, !b.2, &b.1)));
    for (index, az, _, subnet) in placement {
        let columns = &mut vpcs[index].columns;
        match columns.last_mut() {
            Some(c) if c.name == az => c.subnets.push(subnet),
            _ => columns.push(AzColumn {
                name: az,
                subnets: vec![subnet],
            }),
        }
    }
    let mut scene = Scene { vpcs };
    place_elements(model, &subnet_box, &mut scene);
    for flow in flows {
        link(model, &subnet_box, flow, &mut scene);
    }
    for vpc in &mut scene.vpcs {
        for item in &mut vpc.edge {
            if item.kind == EdgeKind::NoPath {
                let what = match item.verdict {
                    Some(Verdict::Blocked) => "no path",
                    _ => "path not known",
                };
                item.label = format!("{}: {what}", item.label);
            }
        }
    }
    scene
}

/// The index of the box for subnets whose VPC is not known, created on first use.
fn undetermined_box(vpcs: &mut Vec<VpcBox>) -> usize {
    if let Some(i) = vpcs.iter().position(|b| b.id.is_none()) {
        return i;
    }
    vpcs.push(VpcBox {
        id: None,
        label: "VPC not determined".to_owned(),
        detail: "subnets whose VPC the inputs do not say".to_owned(),
        columns: Vec::new(),
        edge: Vec::new(),
        links: Vec::new(),
    });
    vpcs.len() - 1
}

/// The box of a VPC.
fn vpc_index(vpcs: &[VpcBox], vpc: Option<&ResourceId>) -> Option<usize> {
    let vpc = vpc?;
    vpcs.iter().position(|b| b.id.as_ref() == Some(vpc))
}

fn exposure(model: &Model, subnet: &ResourceId) -> Exposure {
    let Known::Value(assoc) = model.effective_route_table(subnet) else {
        return Exposure::Unknown;
    };
    let Some(table) = model.route_tables.get(&assoc.route_table) else {
        return Exposure::Unknown;
    };
    let default = table
        .routes
        .iter()
        .find(|r| matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0));
    match default.map(|r| &r.target) {
        Some(RouteTarget::InternetGateway(_)) => Exposure::Public,
        Some(RouteTarget::Unknown(_)) => Exposure::Unknown,
        Some(_) => Exposure::Private,
        None if table.routes.is_complete() => Exposure::Private,
        None => Exposure::Unknown,
    }
}

/// Endpoint ENIs and mount targets into their subnets; gateways and gateway endpoints to the edge.
fn place_elements(model: &Model, subnet_box: &BTreeMap<ResourceId, usize>, scene: &mut Scene) {
    for igw in model.internet_gateways.values() {
        let Some(i) = vpc_index(&scene.vpcs, igw.vpc.as_ref().and_then(Known::value)) else {
            continue;
        };
        edge_item(
            &mut scene.vpcs[i],
            EdgeKind::InternetGateway,
            &igw.id,
            format!("IGW {}", igw.id),
            vec![format!("internet gateway {}", igw.id)],
        );
    }
    for nat in model.nat_gateways.values() {
        let Some(&i) = nat.subnet.value().and_then(|s| subnet_box.get(s)) else {
            continue;
        };
        let place = nat
            .subnet
            .value()
            .map_or_else(String::new, |s| format!(" in {s}"));
        edge_item(
            &mut scene.vpcs[i],
            EdgeKind::NatGateway,
            &nat.id,
            format!("NAT {}", nat.id),
            vec![format!("NAT gateway {}{place}", nat.id)],
        );
    }
    for e in model.endpoints.values() {
        let service = e
            .service_suffix()
            .unwrap_or_else(|| "service unknown".to_owned());
        let dns = match e.private_dns {
            Known::Value(true) => "private DNS on",
            Known::Value(false) => "private DNS off",
            Known::Unknown(_) => "private DNS not known",
        };
        let name = e
            .service_name
            .value()
            .cloned()
            .unwrap_or_else(|| "service name not known".to_owned());
        if e.kind.value() == Some(&EndpointKind::Gateway) {
            let Some(i) = vpc_index(&scene.vpcs, e.vpc.value()) else {
                continue;
            };
            let tables: Vec<String> = e.route_tables.iter().map(ToString::to_string).collect();
            let on = if tables.is_empty() {
                "on no route table".to_owned()
            } else {
                format!("on {}", tables.join(", "))
            };
            edge_item(
                &mut scene.vpcs[i],
                EdgeKind::GatewayEndpoint,
                &e.id,
                format!("{service} gateway"),
                vec![format!("gateway endpoint {} ({name})", e.id), on],
            );
            continue;
        }
        let title = vec![format!("interface endpoint {} ({name}), {dns}", e.id)];
        let mut placed = false;
        for s in &e.subnets {
            let Some(&i) = subnet_box.get(s) else {
                continue;
            };
            if let Some(subnet) = find_subnet(&mut scene.vpcs[i], s) {
                subnet.chips.push(Chip {
                    element: e.id.clone(),
                    label: service.clone(),
                    title: title.clone(),
                    verdict: None,
                });
                placed = true;
            }
        }
        if !placed && let Some(i) = vpc_index(&scene.vpcs, e.vpc.value()) {
            edge_item(
                &mut scene.vpcs[i],
                EdgeKind::Unplaced,
                &e.id,
                format!("{service} (no ENI drawn)"),
                vec![
                    title[0].clone(),
                    "its subnets are none, or not known, or not in this VPC".to_owned(),
                ],
            );
        }
    }
    for mt in model.efs_mount_targets.values() {
        let Some(s) = mt.subnet.value() else { continue };
        let Some(&i) = subnet_box.get(s) else {
            continue;
        };
        if let Some(subnet) = find_subnet(&mut scene.vpcs[i], s) {
            let fs = mt
                .file_system
                .value()
                .map_or_else(|| "a file system".to_owned(), ToString::to_string);
            subnet.chips.push(Chip {
                element: mt.id.clone(),
                label: "efs".to_owned(),
                title: vec![format!("EFS mount target {} of {fs}", mt.id)],
                verdict: None,
            });
        }
    }
}

fn find_subnet<'a>(vpc: &'a mut VpcBox, id: &ResourceId) -> Option<&'a mut SubnetBox> {
    vpc.columns
        .iter_mut()
        .flat_map(|c| c.subnets.iter_mut())
        .find(|s| &s.id == id)
}

/// The index of the edge item keyed by `element`, added when missing.
fn edge_item(
    vpc: &mut VpcBox,
    kind: EdgeKind,
    element: &ResourceId,
    label: String,
    title: Vec<String>,
) -> usize {
    let key = format!("{kind:?}:{element}");
    if let Some(i) = vpc.edge.iter().position(|e| e.key == key) {
        return i;
    }
    vpc.edge.push(EdgeItem {
        key,
        kind,
        label,
        title,
        verdict: None,
    });
    vpc.edge.len() - 1
}

fn worse(current: Option<Verdict>, new: Verdict) -> Option<Verdict> {
    match current {
        Some(v) if verdict_rank(v) >= verdict_rank(new) => Some(v),
        _ => Some(new),
    }
}

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
fn link(model: &Model, subnet_box: &BTreeMap<ResourceId, usize>, flow: &Flow, scene: &mut Scene) {
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
    let service = ResourceId::new(flow.service.clone());
    let title = vec![format!(
        "{}: no endpoint or gateway carries this flow",
        flow.service
    )];
    let at = edge_item(vpc, EdgeKind::NoPath, &service, flow.service.clone(), title);
    (Target::Edge(at), format!("{} (no path)", flow.service))
}
