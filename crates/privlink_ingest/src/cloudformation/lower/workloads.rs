//! Workloads: `AWS::ECS::Service` with its `AWS::ECS::TaskDefinition`, EKS clusters (native and the
//! CDK's `Custom::AWSCDK-EKS-Cluster`), `AWS::EKS::Nodegroup`, `AWS::EKS::FargateProfile`, and EFS
//! mount targets.

use privlink_model::{
    Diagnostic, DiagnosticKind, EfsMountTarget, EksCluster, Feature, Known, Partial, Provenance,
    ResourceId, Workload, WorkloadKind,
};

use super::Lowerer;
use super::attrs::{bool_or, bool_value_or, items, string, text};
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;
use crate::ecs::{TaskFacts, read_container_definitions};
use crate::elements::{ElementKind, auto_mode_nodes, insert_cluster_security_group};

impl<'a> Lowerer<'a> {
    pub(super) fn eks_cluster(&mut self, r: &CfnResource) {
        // The CDK's custom resource passes the EKS API's request, in camelCase, as `Config`.
        let (config, name, subnets, private, public) =
            if r.resource_type == "Custom::AWSCDK-EKS-Cluster" {
                (
                    "Config.resourcesVpcConfig",
                    "Config.name",
                    "subnetIds",
                    "endpointPrivateAccess",
                    "endpointPublicAccess",
                )
            } else {
                (
                    "ResourcesVpcConfig",
                    "Name",
                    "SubnetIds",
                    "EndpointPrivateAccess",
                    "EndpointPublicAccess",
                )
            };
        let at = r.location_of(config);
        let subnets = self.resolve_list(
            r.get(&format!("{config}.{subnets}")),
            ElementKind::Subnet,
            at.as_ref(),
        );
        let vpc = subnets.iter().next().map_or_else(
            || Known::unknown("the cluster's subnets are not known"),
            |s| self.model.subnet_vpc(s),
        );
        let sg = insert_cluster_security_group(&mut self.model, &r.id, r.location(), vpc);
        let name = string(r, name)
            .unwrap_or_else(|| Known::unknown("CloudFormation names the cluster at deploy time"));
        if bool_or(r, "ComputeConfig.Enabled", false) == Known::Value(true) {
            let cluster = name.value().cloned().unwrap_or_else(|| r.id.to_string());
            self.model.workloads.push(auto_mode_nodes(
                &cluster,
                &r.id,
                &subnets,
                &sg,
                Provenance::declared(r.id.as_str(), r.location_of("ComputeConfig")),
            ));
        }
        self.model.eks_clusters.insert(
            r.id.clone(),
            EksCluster {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                name,
                subnets,
                endpoint_private_access: bool_or(r, &format!("{config}.{private}"), false),
                endpoint_public_access: bool_or(r, &format!("{config}.{public}"), true),
                cluster_security_group: sg,
            },
        );
    }

    pub(super) fn efs_mount_target(&mut self, r: &CfnResource) {
        let file_system = self.resolve(
            r.get("FileSystemId").unwrap_or(&Value::Null),
            ElementKind::Other,
            r.location_of("FileSystemId").as_ref(),
        );
        let subnet = self.resolve(
            r.get("SubnetId").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("SubnetId").as_ref(),
        );
        let security_groups = self.resolve_list(
            r.get("SecurityGroups"),
            ElementKind::SecurityGroup,
            r.location_of("SecurityGroups").as_ref(),
        );
        self.model.efs_mount_targets.insert(
            r.id.clone(),
            EfsMountTarget {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                file_system,
                subnet,
                security_groups,
            },
        );
    }

    pub(super) fn ecs_service(&mut self, r: &'a CfnResource) {
        let task = r
            .get("TaskDefinition")
            .and_then(|v| self.task_definition_of(v));
        let Some(kind) = self.ecs_launch(r, task) else {
            // ECS Anywhere runs outside the VPC.
            return;
        };
        let mut facts = match task {
            Some(t) => task_facts(t),
            None => {
                self.diagnostics.push(Diagnostic {
                    kind: DiagnosticKind::UnresolvedInput,
                    message: format!("the task definition of {} is not in the inputs; its images and log driver are unknown", r.id),
                    location: r.location_of("TaskDefinition"),
                    resource: Some(r.id.to_string()),
                    help: Some("add the AWS::ECS::TaskDefinition to the templates given".to_owned()),
                    predicted_error: None,
                });
                TaskFacts::default()
            }
        };
        let config = "NetworkConfiguration.AwsvpcConfiguration";
        let at = r.location_of(config);
        let network = r.get(config);
        let (mut subnets, mut security_groups) = match network {
            Some(n) => (
                self.resolve_list(n.get("Subnets"), ElementKind::Subnet, at.as_ref()),
                self.resolve_list(
                    n.get("SecurityGroups"),
                    ElementKind::SecurityGroup,
                    at.as_ref(),
                ),
            ),
            None => (
                Partial::unknown(
                    "the service has no NetworkConfiguration: tasks use the container instances' network",
                ),
                Partial::unknown("the service has no NetworkConfiguration"),
            ),
        };
        if kind == WorkloadKind::EcsEc2
            && let Some((instance_subnets, instance_groups)) = self.container_instance_network(r)
        {
            // On EC2 the agent and the image pulls run on the instance, in the instance's subnets.
            subnets = instance_subnets;
            security_groups = instance_groups;
        }
        if bool_or(r, "EnableExecuteCommand", false) == Known::Value(true) {
            facts.features.insert(Feature::Exec);
            let kms = r
                .get("Cluster")
                .and_then(|c| self.referenced(c))
                .and_then(|c| c.get("Configuration.ExecuteCommandConfiguration.KmsKeyId"))
                .is_some();
            if kms {
                facts.features.insert(Feature::Service("kms".to_owned()));
            }
        }
        if bool_or(r, "ServiceConnectConfiguration.Enabled", false) == Known::Value(true) {
            facts.features.insert(Feature::ServiceConnect);
        }
        let efs = task.map(|t| self.efs_volumes(t)).unwrap_or_default();
        if !efs.is_empty() {
            facts.features.insert(Feature::Efs);
        }
        let assign_public_ip = (kind == WorkloadKind::EcsFargate).then(|| {
            match network
                .and_then(|n| n.get("AssignPublicIp"))
                .and_then(Value::to_text)
                .as_deref()
            {
                Some("ENABLED") => Known::Value(true),
                Some(_) | None => bool_value_or(None, false),
            }
        });
        self.model.workloads.push(Workload {
            name: text(r, "ServiceName").unwrap_or_else(|| r.id.to_string()),
            kind,
            platform_version: text(r, "PlatformVersion"),
            windows: facts.windows,
            subnets,
            security_groups,
            assign_public_ip,
            features: facts.features.into_iter().collect(),
            images: facts.images,
            efs_file_systems: efs,
            cluster: None,
            assumed: false,
            provenance: Provenance::declared(r.id.as_str(), r.location()),
        });
    }

    /// The task definition a service runs: a reference, or a family / ARN naming one in the inputs.
    fn task_definition_of(&self, value: &Value) -> Option<&'a CfnResource> {
        if let Some(t) = self.referenced(value) {
            return (t.resource_type == "AWS::ECS::TaskDefinition").then_some(t);
        }
        let s = value.as_str()?;
        let family = s
            .rsplit('/')
            .next()
            .unwrap_or(s)
            .split(':')
            .next()
            .unwrap_or(s);
        self.resources.iter().find(|t| {
            t.resource_type == "AWS::ECS::TaskDefinition"
                && text(t, "Family").as_deref() == Some(family)
        })
    }

    /// Fargate or EC2, from the launch type, the capacity provider strategy (the service's or the
    /// cluster's default), or the task definition's compatibilities; `None` for ECS Anywhere.
    fn ecs_launch(&self, r: &'a CfnResource, task: Option<&CfnResource>) -> Option<WorkloadKind> {
        match text(r, "LaunchType").as_deref() {
            Some("FARGATE") => return Some(WorkloadKind::EcsFargate),
            Some("EC2") => return Some(WorkloadKind::EcsEc2),
            Some("EXTERNAL") => return None,
            _ => {}
        }
        let strategy: Vec<String> = self
            .capacity_providers(r)
            .into_iter()
            .map(|p| p.to_text().unwrap_or_default())
            .collect();
        if !strategy.is_empty() {
            let fargate = strategy
                .iter()
                .any(|p| p == "FARGATE" || p == "FARGATE_SPOT");
            return Some(if fargate {
                WorkloadKind::EcsFargate
            } else {
                WorkloadKind::EcsEc2
            });
        }
        let compat: Vec<String> = task
            .and_then(|t| t.get("RequiresCompatibilities"))
            .and_then(Value::as_list)
            .map(|l| l.iter().filter_map(Value::to_text).collect())
            .unwrap_or_default();
        // With no launch type and no strategy ECS uses EC2, unless the task can only run on Fargate.
        Some(if compat == ["FARGATE"] {
            WorkloadKind::EcsFargate
        } else {
            WorkloadKind::EcsEc2
        })
    }

    /// The EFS file systems a task definition mounts.
    fn efs_volumes(&mut self, task: &CfnResource) -> Vec<Known<ResourceId>> {
        items(task.get("Volumes"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(i, v)| {
                let id = v.get("EFSVolumeConfiguration")?.get("FilesystemId")?;
                Some(self.resolve(
                    id,
                    ElementKind::Other,
                    task.location_of(&format!("Volumes.{i}")).as_ref(),
                ))
            })
            .collect()
    }

    pub(super) fn eks_compute(&mut self, r: &CfnResource) {
        let is_fargate = r.resource_type == "AWS::EKS::FargateProfile";
        let cluster = r.get("ClusterName").and_then(|v| self.cluster_of(v));
        let subnets = self.resolve_list(
            r.get("Subnets"),
            ElementKind::Subnet,
            r.location_of("Subnets").as_ref(),
        );
        let cluster_sg = cluster
            .as_ref()
            .and_then(|c| self.model.eks_clusters.get(c))
            .map(|c| c.cluster_security_group.clone());
        let template = r
            .get("LaunchTemplate.Id")
            .or_else(|| r.get("LaunchTemplate.Name"))
            .and_then(|v| self.referenced(v))
            .filter(|t| t.resource_type == "AWS::EC2::LaunchTemplate");
        let template_groups = template.and_then(|t| {
            let path = if t.get("LaunchTemplateData.SecurityGroupIds").is_some() {
                "LaunchTemplateData.SecurityGroupIds"
            } else {
                "LaunchTemplateData.NetworkInterfaces.0.Groups"
            };
            t.get(path).map(|groups| (t, groups, path))
        });
        let security_groups = match (template_groups, cluster_sg) {
            // With launch-template security groups, EKS does not add the cluster security group.
            (Some((t, groups, path)), _) if !is_fargate => self.resolve_list(
                Some(groups),
                ElementKind::SecurityGroup,
                t.location_of(path).as_ref(),
            ),
            (_, Some(sg)) => Partial::complete(vec![sg]),
            (_, None) => {
                Partial::unknown("the EKS cluster security group of a cluster outside the inputs")
            }
        };
        let name_field = if is_fargate {
            "FargateProfileName"
        } else {
            "NodegroupName"
        };
        self.model.workloads.push(Workload {
            name: text(r, name_field).unwrap_or_else(|| r.id.to_string()),
            kind: if is_fargate {
                WorkloadKind::EksFargate
            } else {
                WorkloadKind::EksNode
            },
            platform_version: None,
            windows: text(r, "AmiType").is_some_and(|t| t.starts_with("WINDOWS")),
            subnets,
            security_groups,
            assign_public_ip: is_fargate.then_some(Known::Value(false)),
            features: Vec::new(),
            images: Vec::new(),
            efs_file_systems: Vec::new(),
            cluster,
            assumed: false,
            provenance: Provenance::declared(r.id.as_str(), r.location()),
        });
    }

    /// The cluster a node group or Fargate profile names (by reference or by cluster name).
    fn cluster_of(&self, value: &Value) -> Option<ResourceId> {
        if let Some(t) = self.referenced(value) {
            return (super::links::kind_of_type(&t.resource_type) == ElementKind::EksCluster)
                .then(|| t.id.clone());
        }
        let name = value.as_str()?;
        self.model
            .eks_clusters
            .values()
            .find(|c| c.name.value().map(String::as_str) == Some(name))
            .map(|c| c.id.clone())
    }
}

/// The facts of an `AWS::ECS::TaskDefinition`: its container definitions go through the reader
/// shared by every front-end, with values known only at deploy time written `${...}`.
fn task_facts(task: &CfnResource) -> TaskFacts {
    let at = task.location_of("ContainerDefinitions");
    let mut facts = match task.get("ContainerDefinitions") {
        Some(defs) => read_container_definitions(&defs.to_deferred_json(), at.as_ref()),
        None => TaskFacts::default(),
    };
    facts.windows = text(task, "RuntimePlatform.OperatingSystemFamily")
        .is_some_and(|f| f.starts_with("WINDOWS"));
    facts
}
