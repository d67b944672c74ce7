//! Where the network's elements go: interface endpoint ENIs (one chip per endpoint and subnet)
//! and EFS mount targets into their subnets; internet and NAT gateways, gateway endpoints, and
//! interface endpoints without a drawn ENI to their VPC's edge.

use std::collections::BTreeMap;

use privlink_model::{EndpointKind, Known, Model, ResourceId};

use super::{Chip, EdgeKind, Scene, edge_item, find_subnet, vpc_index};

/// Endpoint ENIs and mount targets into their subnets; gateways and gateway endpoints to the edge.
pub(super) fn place(model: &Model, subnet_box: &BTreeMap<ResourceId, usize>, scene: &mut Scene) {
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
