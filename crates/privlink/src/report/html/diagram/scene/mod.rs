//! What the diagram shows, before any geometry: VPC boxes with their AZ columns and subnets, the
//! workloads and endpoint ENIs in each subnet, what sits at each VPC's edge (internet and NAT
//! gateways, gateway endpoints, endpoints without an ENI, services with no path at all), and the
//! flows aggregated to one link per (workload subnet, target) with the worst verdict.
//!
//! Order is the model's (the order the inputs declare things), AZ columns are sorted by name with
//! "AZ unknown" last, and subnets whose VPC is not known go into a box of their own: nothing here
//! depends on hashing or randomness, so the same inputs draw the same picture.

use std::collections::BTreeMap;

use privlink_analysis::reach::{Flow, Verdict};
use privlink_model::{Known, Model, ResourceId, RouteDestination, RouteTarget};

use super::super::verdict_rank;

mod elements;
mod links;

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
    /// For [`EdgeKind::NoPath`]: the services without a path.
    pub(crate) services: Vec<String>,
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
    elements::place(model, &subnet_box, &mut scene);
    for flow in flows {
        links::add(model, &subnet_box, flow, &mut scene);
    }
    for vpc in &mut scene.vpcs {
        for item in &mut vpc.edge {
            if item.kind == EdgeKind::NoPath {
                let what = match item.verdict {
                    Some(Verdict::Blocked) => "no path",
                    _ => "path not known",
                };
                item.label = format!("{what}: {}", item.services.join(", "));
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
pub(super) fn vpc_index(vpcs: &[VpcBox], vpc: Option<&ResourceId>) -> Option<usize> {
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

pub(super) fn find_subnet<'a>(vpc: &'a mut VpcBox, id: &ResourceId) -> Option<&'a mut SubnetBox> {
    vpc.columns
        .iter_mut()
        .flat_map(|c| c.subnets.iter_mut())
        .find(|s| &s.id == id)
}

/// The index of the edge item keyed by `element`, added when missing.
pub(super) fn edge_item(
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
        services: Vec::new(),
    });
    vpc.edge.len() - 1
}

pub(super) fn worse(current: Option<Verdict>, new: Verdict) -> Option<Verdict> {
    match current {
        Some(v) if verdict_rank(v) >= verdict_rank(new) => Some(v),
        _ => Some(new),
    }
}
