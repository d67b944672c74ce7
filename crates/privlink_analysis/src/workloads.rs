//! The workloads to analyse: those the inputs define, or else the one SPEC.md assumes.

use privlink_model::{
    Feature, Known, Model, Origin, Partial, Provenance, ResourceId, RouteDestination, RouteTarget,
    Workload, WorkloadKind,
};

/// The workloads of `model`; when it defines none, one assumed ECS Fargate 1.4.0 task with `awslogs`
/// per VPC, in each subnet without a route to an internet gateway.
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
                security_groups: Partial::default(),
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
