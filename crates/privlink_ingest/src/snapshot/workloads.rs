//! Lowering a snapshot's ECS services, EKS clusters, node groups and Fargate profiles into the model.
//!
//! The same facts Terraform's lowering reads from resources, read from the API outputs: the launch
//! type (or capacity providers, or the task definition's compatibilities), the task definition's
//! containers through [`crate::ecs::read_container_definitions`] (shared with every front-end), the
//! `awsvpc` subnets and security groups, ECS Exec and its KMS key, Service Connect, EFS volumes; for
//! EKS, the cluster security group from `ResourcesVpcConfig.ClusterSecurityGroupId`, which managed
//! nodes get unless their launch template names groups of its own.

use std::collections::HashSet;

use privlink_model::{
    Diagnostic, DiagnosticKind, EksCluster, Feature, Known, Model, Partial, Provenance, ResourceId,
    SecurityGroup, Workload, WorkloadKind,
};

use super::format::{EcsService, RegionSnapshot};
use super::locate::Locator;
use crate::ecs::{TaskFacts, read_container_definitions};

/// Lowers one region's clusters and workloads. `names` holds the workload names taken so far.
pub(super) fn workloads(
    region: &RegionSnapshot,
    at: &Locator<'_>,
    model: &mut Model,
    names: &mut HashSet<String>,
) {
    for s in &region.ecs_services {
        if let Some(w) = ecs_service(region, s, at, model) {
            push_unique(model, names, w, &cluster_name(&s.cluster_arn));
        }
    }
    for c in &region.eks_clusters {
        eks_cluster(c, at, model);
    }
    for n in &region.eks_nodegroups {
        let Some(cluster) = cluster_in(region, &n.cluster_name, model) else {
            continue;
        };
        let cluster_sg = model.eks_clusters[&cluster].cluster_security_group.clone();
        let security_groups = match (&n.launch_template_id, &n.launch_template_security_group_ids) {
            // With launch-template security groups, EKS does not add the cluster security group.
            (Some(_), Some(groups)) if !groups.is_empty() => {
                Partial::complete(groups.iter().map(ResourceId::new).collect())
            }
            (Some(t), None) => Partial::unknown(format!(
                "the security groups of launch template {t} were not read"
            )),
            _ => Partial::complete(vec![cluster_sg]),
        };
        let w = Workload {
            name: n.nodegroup_name.clone(),
            kind: WorkloadKind::EksNode,
            platform_version: None,
            windows: n
                .ami_type
                .as_deref()
                .is_some_and(|t| t.starts_with("WINDOWS")),
            subnets: Partial::complete(n.subnets.iter().map(ResourceId::new).collect()),
            security_groups,
            assign_public_ip: None,
            features: Vec::new(),
            images: Vec::new(),
            efs_file_systems: Vec::new(),
            cluster: Some(cluster),
            assumed: false,
            provenance: Provenance::declared(&n.nodegroup_arn, Some(at.locate(&n.nodegroup_arn))),
        };
        push_unique(model, names, w, &n.cluster_name);
    }
    for p in &region.eks_fargate_profiles {
        let Some(cluster) = cluster_in(region, &p.cluster_name, model) else {
            continue;
        };
        let cluster_sg = model.eks_clusters[&cluster].cluster_security_group.clone();
        let w = Workload {
            name: p.fargate_profile_name.clone(),
            kind: WorkloadKind::EksFargate,
            platform_version: None,
            windows: false,
            subnets: Partial::complete(p.subnets.iter().map(ResourceId::new).collect()),
            security_groups: Partial::complete(vec![cluster_sg]),
            assign_public_ip: Some(Known::Value(false)),
            features: Vec::new(),
            images: Vec::new(),
            efs_file_systems: Vec::new(),
            cluster: Some(cluster),
            assumed: false,
            provenance: Provenance::declared(
                &p.fargate_profile_arn,
                Some(at.locate(&p.fargate_profile_arn)),
            ),
        };
        push_unique(model, names, w, &p.cluster_name);
    }
}

/// Adds a workload, qualifying its name with its cluster when another workload has it already.
fn push_unique(model: &mut Model, names: &mut HashSet<String>, mut w: Workload, cluster: &str) {
    if names.contains(&w.name) {
        w.name = format!("{cluster}/{}", w.name);
    }
    names.insert(w.name.clone());
    model.workloads.push(w);
}

fn cluster_name(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_owned()
}

fn ecs_service(
    region: &RegionSnapshot,
    s: &EcsService,
    at: &Locator<'_>,
    model: &mut Model,
) -> Option<Workload> {
    let task = region
        .task_definitions
        .iter()
        .find(|t| t.task_definition_arn == s.task_definition);
    let kind = match s.launch_type.as_deref() {
        Some("FARGATE") => WorkloadKind::EcsFargate,
        Some("EC2") => WorkloadKind::EcsEc2,
        // ECS Anywhere runs outside the VPC.
        Some("EXTERNAL") => return None,
        _ if !s.capacity_providers.is_empty() => {
            if s.capacity_providers
                .iter()
                .any(|p| p == "FARGATE" || p == "FARGATE_SPOT")
            {
                WorkloadKind::EcsFargate
            } else {
                WorkloadKind::EcsEc2
            }
        }
        _ if task.is_some_and(|t| t.requires_compatibilities == ["FARGATE"]) => {
            WorkloadKind::EcsFargate
        }
        _ => WorkloadKind::EcsEc2,
    };
    let location = at.locate(&s.service_arn);
    let mut facts = match task {
        Some(t) => {
            let mut facts = read_container_definitions(
                &t.container_definitions,
                Some(&at.locate(&t.task_definition_arn)),
            );
            facts.windows = t
                .operating_system_family
                .as_deref()
                .is_some_and(|f| f.starts_with("WINDOWS"));
            facts
        }
        None => {
            model.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnresolvedInput,
                message: format!(
                    "the task definition {} of service {} is not in the scan; its images and log driver are unknown",
                    s.task_definition, s.service_name
                ),
                location: Some(location.clone()),
                resource: Some(s.service_arn.clone()),
                help: Some("grant ecs:DescribeTaskDefinition to the principal that scans and scan again".to_owned()),
                predicted_error: None,
            });
            TaskFacts::default()
        }
    };
    if s.enable_execute_command {
        facts.features.insert(Feature::Exec);
        let kms = region
            .ecs_clusters
            .iter()
            .any(|c| c.cluster_arn == s.cluster_arn && c.execute_command_kms_key_id.is_some());
        if kms {
            facts.features.insert(Feature::Service("kms".to_owned()));
        }
    }
    if s.service_connect {
        facts.features.insert(Feature::ServiceConnect);
    }
    let efs: Vec<Known<ResourceId>> = task
        .map(|t| {
            t.efs_file_system_ids
                .iter()
                .map(|f| Known::Value(ResourceId::new(f)))
                .collect()
        })
        .unwrap_or_default();
    if !efs.is_empty() {
        facts.features.insert(Feature::Efs);
    }
    let (subnets, security_groups) = if s.awsvpc {
        (
            Partial::complete(s.subnets.iter().map(ResourceId::new).collect()),
            Partial::complete(s.security_groups.iter().map(ResourceId::new).collect()),
        )
    } else {
        let why = "the service has no awsvpc network configuration: its tasks use the container instances' network, which `aws scan` does not read";
        (Partial::unknown(why), Partial::unknown(why))
    };
    Some(Workload {
        name: s.service_name.clone(),
        kind,
        platform_version: s.platform_version.clone(),
        windows: facts.windows,
        subnets,
        security_groups,
        assign_public_ip: (kind == WorkloadKind::EcsFargate)
            .then(|| Known::Value(s.assign_public_ip.unwrap_or(false))),
        features: facts.features.into_iter().collect(),
        images: facts.images,
        efs_file_systems: efs,
        cluster: None,
        assumed: false,
        provenance: Provenance::declared(&s.service_arn, Some(location)),
    })
}

fn eks_cluster(c: &super::format::EksCluster, at: &Locator<'_>, model: &mut Model) {
    let id = ResourceId::new(&c.arn);
    let location = at.locate(&c.arn);
    let config = &c.resources_vpc_config;
    let cluster_security_group = match &config.cluster_security_group_id {
        Some(sg) => ResourceId::new(sg),
        None => {
            // A stand-in, so node groups still point at something: its rules are unknown.
            let sg = id.implicit("cluster-security-group");
            let reason = format!("the scan has no cluster security group for {}", c.name);
            model
                .security_groups
                .entry(sg.clone())
                .or_insert_with(|| SecurityGroup {
                    id: sg.clone(),
                    provenance: Provenance::external(
                        sg.as_str(),
                        Some(location.clone()),
                        reason.clone(),
                    ),
                    vpc: config.vpc_id.clone().map_or_else(
                        || Known::unknown(reason.clone()),
                        |v| Known::Value(ResourceId::new(v)),
                    ),
                    is_default: false,
                    ingress: Partial::unknown(reason.clone()),
                    egress: Partial::unknown(reason),
                });
            sg
        }
    };
    model.eks_clusters.insert(
        id.clone(),
        EksCluster {
            id,
            provenance: Provenance::declared(&c.arn, Some(location)),
            name: Known::Value(c.name.clone()),
            subnets: Partial::complete(config.subnet_ids.iter().map(ResourceId::new).collect()),
            endpoint_private_access: Known::Value(config.endpoint_private_access),
            endpoint_public_access: Known::Value(config.endpoint_public_access),
            cluster_security_group,
        },
    );
}

/// The model id of the cluster named `name` in this region.
fn cluster_in(region: &RegionSnapshot, name: &str, model: &Model) -> Option<ResourceId> {
    let arn = &region.eks_clusters.iter().find(|c| c.name == name)?.arn;
    let id = ResourceId::new(arn);
    model.eks_clusters.contains_key(&id).then_some(id)
}
