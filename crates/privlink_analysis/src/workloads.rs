//! The workloads to analyse: those the inputs define, or else the one SPEC.md assumes.
//!
//! An assumed workload is a new one: it gets a new security group, as a team adding a service
//! creates one, with the rules AWS gives a new group (all outbound traffic allowed, nothing
//! inbound), not the VPC's default group. A default group with its rules removed is good practice,
//! and no workload the inputs do not define uses it.

use std::borrow::Cow;

use ipnet::Ipv4Net;
use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    Feature, Known, Model, Origin, Partial, Provenance, ResourceId, RouteDestination, RouteTarget,
    SecurityGroup, SgPeer, SgRule, Vpc, Workload, WorkloadKind,
};

/// The id of the new security group an assumed workload in `vpc` gets.
pub fn assumed_security_group(vpc: &ResourceId) -> ResourceId {
    ResourceId::new(format!("new-security-group ({vpc})"))
}

/// The workloads of `model`; when it defines none, one assumed ECS Fargate 1.4.0 task with `awslogs`
/// per VPC, in each subnet without a route to an internet gateway, with a new security group
/// ([`assumed_security_group`]).
pub fn effective_workloads(model: &Model) -> Vec<Workload> {
    if !model.workloads.is_empty() {
        return model.workloads.clone();
    }
    let several = model.vpcs.len() > 1;
    model
        .vpcs
        .values()
        .filter_map(|vpc| {
            let subnets: Vec<ResourceId> = model
                .subnets
                .values()
                .filter(|s| s.vpc.value() == Some(&vpc.id))
                .filter(|s| !routes_to_internet_gateway(model, &s.id))
                .map(|s| s.id.clone())
                .collect();
            if subnets.is_empty() {
                return None;
            }
            Some(Workload {
                name: if several {
                    format!("assumed-fargate ({})", vpc.id)
                } else {
                    "assumed-fargate".to_owned()
                },
                kind: WorkloadKind::EcsFargate,
                platform_version: Some("1.4.0".to_owned()),
                windows: false,
                subnets: Partial::complete(subnets),
                security_groups: Partial::complete(vec![assumed_security_group(&vpc.id)]),
                assign_public_ip: Some(Known::Value(false)),
                features: vec![Feature::Awslogs],
                images: Vec::new(),
                efs_file_systems: Vec::new(),
                cluster: None,
                assumed: true,
                provenance: Provenance {
                    address: vpc.id.to_string(),
                    location: vpc.provenance.location.clone(),
                    origin: Origin::Assumed,
                },
            })
        })
        .collect()
}

/// `model` with the new security group of each assumed workload among `workloads` (borrowed
/// unchanged when there is none).
pub fn with_assumed_groups<'m>(model: &'m Model, workloads: &[Workload]) -> Cow<'m, Model> {
    if !workloads.iter().any(|w| w.assumed) {
        return Cow::Borrowed(model);
    }
    let mut model = model.clone();
    let vpcs: Vec<Vpc> = model.vpcs.values().cloned().collect();
    for vpc in &vpcs {
        let id = assumed_security_group(&vpc.id);
        if !workloads
            .iter()
            .any(|w| w.assumed && w.security_groups.known.contains(&id))
        {
            continue;
        }
        let provenance = Provenance {
            address: id.to_string(),
            location: None,
            origin: Origin::Assumed,
        };
        model.security_groups.insert(
            id.clone(),
            SecurityGroup {
                id,
                provenance: provenance.clone(),
                vpc: Known::Value(vpc.id.clone()),
                is_default: false,
                ingress: Partial::complete(Vec::new()),
                egress: Partial::complete(vec![SgRule {
                    protocol: Protocol::All,
                    ports: PortRange::ALL,
                    peer: SgPeer::Ipv4(Ipv4Net::default()),
                    provenance,
                }]),
            },
        );
    }
    Cow::Owned(model)
}

/// Whether a subnet's route table sends 0.0.0.0/0 to an internet gateway (a public subnet).
fn routes_to_internet_gateway(model: &Model, subnet: &ResourceId) -> bool {
    let Known::Value(assoc) = model.effective_route_table(subnet) else {
        return false;
    };
    model
        .route_tables
        .get(&assoc.route_table)
        .is_some_and(|rt| {
            rt.routes.iter().any(|r| {
                matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0)
                    && matches!(r.target, RouteTarget::InternetGateway(_))
            })
        })
}
