//! Workloads: ECS services with their task definitions and capacity, EKS clusters, node groups and
//! Fargate profiles, EFS mount targets.

use privlink_model::{
    EfsMountTarget, EksCluster, Feature, Known, Partial, Provenance, ResourceId, Workload,
    WorkloadKind,
};

use super::Lowerer;
use super::attrs::{self, bool_or, field, string};
use crate::container_instances::{cluster_name, joined_cluster};
use crate::ecs::{TaskFacts, read_container_definitions};
use crate::elements::{ElementKind, auto_mode_nodes, insert_cluster_security_group};
use crate::task_definition::family_of;
use crate::terraform::resource::{ResourceMode, TfResource};
use crate::terraform::value::Value;

impl<'a> Lowerer<'a> {
    pub(super) fn eks_cluster(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let at = r.location_of("vpc_config.0");
        let subnets = self.resolve_list(
            r.get("vpc_config.0.subnet_ids"),
            ElementKind::Subnet,
            at.as_ref(),
        );
        let vpc = subnets.iter().next().map_or_else(
            || Known::unknown("the cluster's subnets are not known"),
            |s| self.model.subnet_vpc(s),
        );
        let sg = insert_cluster_security_group(&mut self.model, &id, r.location.clone(), vpc);
        let name = string(r, "name").unwrap_or_else(|| Known::unknown("no cluster name"));
        if bool_or(r, "compute_config.0.enabled", false) == Known::Value(true) {
            let cluster = name.value().cloned().unwrap_or_else(|| r.name.clone());
            self.model.workloads.push(auto_mode_nodes(
                &cluster,
                &id,
                &subnets,
                &sg,
                Provenance::declared(&r.address, r.location_of("compute_config.0")),
            ));
        }
        self.model.eks_clusters.insert(
            id.clone(),
            EksCluster {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                name,
                subnets,
                endpoint_private_access: bool_or(r, "vpc_config.0.endpoint_private_access", false),
                endpoint_public_access: bool_or(r, "vpc_config.0.endpoint_public_access", true),
                cluster_security_group: sg,
            },
        );
    }

    pub(super) fn efs_mount_target(&mut self, r: &TfResource) {
        let id = ResourceId::new(&r.address);
        let file_system = self.resolve(
            r.get("file_system_id").unwrap_or(&Value::Null),
            ElementKind::Other,
            r.location_of("file_system_id").as_ref(),
        );
        let subnet = self.resolve(
            r.get("subnet_id").unwrap_or(&Value::Null),
            ElementKind::Subnet,
            r.location_of("subnet_id").as_ref(),
        );
        let security_groups = self.resolve_list(
            r.get("security_groups"),
            ElementKind::SecurityGroup,
            r.location_of("security_groups").as_ref(),
        );
        self.model.efs_mount_targets.insert(
            id.clone(),
            EfsMountTarget {
                id,
                provenance: Provenance::declared(&r.address, r.location.clone()),
                file_system,
                subnet,
                security_groups,
            },
        );
    }

    pub(super) fn ecs_service(&mut self, r: &'a TfResource) {
        let task = r
            .get("task_definition")
            .and_then(|v| self.task_definition_of(v));
        // ECS Anywhere runs outside the VPC.
        let Some(kind) = self.ecs_launch(r, task) else {
            return;
        };
        let mut facts = match task {
            Some(t) => {
                if let Some(Value::Unknown(u)) = t.get("container_definitions")
                    && u.encoded.is_none()
                {
                    // Plans leave a `jsonencode` with values known after apply wholly unknown.
                    self.diagnostics.push(privlink_model::Diagnostic {
                        kind: privlink_model::DiagnosticKind::UnresolvedInput,
                        message: format!(
                            "the container definitions of {} are not known before apply ({}); its images, log driver and secrets are unknown",
                            t.address, u.reason
                        ),
                        location: t.location_of("container_definitions").or_else(|| r.location.clone()),
                        resource: Some(t.address.clone()),
                        help: Some("give the Terraform directory with the plan (`privlink check plan.json DIR`), or keep the task definition as a JSON file".to_owned()),
                        predicted_error: None,
                    });
                }
                task_facts(t)
            }
            None => {
                let at = r.location_of("task_definition");
                self.diagnostics.push(privlink_model::Diagnostic {
                    kind: privlink_model::DiagnosticKind::UnresolvedInput,
                    message: format!("the task definition of {} is not in the inputs; its images and log driver are unknown", r.address),
                    location: at,
                    resource: Some(r.address.clone()),
                    help: Some("add the aws_ecs_task_definition, or a task-definition JSON file beside the inputs".to_owned()),
                    predicted_error: None,
                });
                TaskFacts::default()
            }
        };
        let network = r.get("network_configuration.0");
        let at = r.location_of("network_configuration.0");
        let (mut subnets, mut security_groups) = match network {
            Some(n) => (
                self.resolve_list(field(n, "subnets"), ElementKind::Subnet, at.as_ref()),
                self.resolve_list(
                    field(n, "security_groups"),
                    ElementKind::SecurityGroup,
                    at.as_ref(),
                ),
            ),
            None => (
                Partial::unknown(
                    "the service has no network_configuration: tasks use the container instances' network",
                ),
                Partial::unknown("the service has no network_configuration"),
            ),
        };
        if kind == WorkloadKind::EcsEc2
            && let Some((instance_subnets, instance_groups)) = self.container_instance_network(r)
        {
            // On EC2 the agent and the image pulls run on the instance, in the instance's subnets.
            subnets = instance_subnets;
            security_groups = instance_groups;
        }
        if bool_or(r, "enable_execute_command", false) == Known::Value(true) {
            facts.features.insert(Feature::Exec);
            if self.cluster_exec_kms(r) {
                facts.features.insert(Feature::Service("kms".to_owned()));
            }
        }
        if bool_or(r, "service_connect_configuration.0.enabled", false) == Known::Value(true) {
            facts.features.insert(Feature::ServiceConnect);
        }
        let efs = task.map(|t| self.efs_volumes(t)).unwrap_or_default();
        if !efs.is_empty() {
            facts.features.insert(Feature::Efs);
        }
        let assign_public_ip = match (kind, network) {
            (WorkloadKind::EcsFargate, Some(n)) => {
                Some(attrs::bool_value_or(field(n, "assign_public_ip"), false))
            }
            (WorkloadKind::EcsFargate, None) => Some(Known::Value(false)),
            _ => None,
        };
        let name = string(r, "name")
            .and_then(|n| n.value().cloned())
            .unwrap_or_else(|| fallback_name(r));
        self.model.workloads.push(Workload {
            name,
            kind,
            platform_version: string(r, "platform_version").and_then(|v| v.value().cloned()),
            windows: facts.windows,
            subnets,
            security_groups,
            assign_public_ip,
            features: facts.features.into_iter().collect(),
            images: facts.images,
            efs_file_systems: efs,
            cluster: None,
            assumed: false,
            provenance: Provenance::declared(&r.address, r.location.clone()),
        });
    }

    /// The task definition a service runs: a reference (`.arn`, or a value computed from one task
    /// definition only, such as `"${aws_ecs_task_definition.t.family}:${aws_ecs_task_definition.t.revision}"`),
    /// or a family / ARN naming one in the inputs.
    fn task_definition_of(&self, value: &Value) -> Option<&'a TfResource> {
        match value {
            Value::Unknown(u) => {
                let address = match &u.reference {
                    Some(r) => r.address.as_str(),
                    None => {
                        let mut addresses = u.sources.iter().map(|r| r.address.as_str());
                        let first = addresses.next()?;
                        if !addresses.all(|a| a == first) {
                            return None;
                        }
                        first
                    }
                };
                let target = self.by_address.get(address).copied()?;
                match (target.mode, target.resource_type.as_str()) {
                    (ResourceMode::Managed, "aws_ecs_task_definition") => Some(target),
                    // `data "aws_ecs_task_definition"` reads a family the inputs may define (a task
                    // definition file, typically).
                    (ResourceMode::Data, "aws_ecs_task_definition") => {
                        self.task_definition_by_family(target.get("task_definition")?.as_str()?)
                    }
                    _ => None,
                }
            }
            Value::String(s) => self.task_definition_by_family(s),
            _ => None,
        }
    }

    /// The task definition of a family (`app`, `app:3` or an ARN), the first by address when several
    /// define it.
    fn task_definition_by_family(&self, name: &str) -> Option<&'a TfResource> {
        let family = family_of(name);
        self.by_address
            .values()
            .copied()
            .filter(|t| {
                t.mode == ResourceMode::Managed && t.resource_type == "aws_ecs_task_definition"
            })
            .filter(|t| t.get("family").and_then(Value::as_str) == Some(family))
            .min_by(|a, b| a.address.cmp(&b.address))
    }

    /// Fargate or EC2, from the launch type, the capacity provider strategy (the service's or the
    /// cluster's default), or the task definition's compatibilities; `None` for ECS Anywhere.
    fn ecs_launch(&self, r: &TfResource, task: Option<&TfResource>) -> Option<WorkloadKind> {
        match string(r, "launch_type")
            .and_then(|v| v.value().cloned())
            .as_deref()
        {
            Some("FARGATE") => return Some(WorkloadKind::EcsFargate),
            Some("EC2") => return Some(WorkloadKind::EcsEc2),
            Some("EXTERNAL") => return None,
            _ => {}
        }
        let providers = self.capacity_providers(r);
        if !providers.is_empty() {
            let fargate = providers
                .iter()
                .any(|p| p == "FARGATE" || p == "FARGATE_SPOT");
            return Some(if fargate {
                WorkloadKind::EcsFargate
            } else {
                WorkloadKind::EcsEc2
            });
        }
        let compat = task
            .and_then(|t| t.get("requires_compatibilities"))
            .and_then(Value::as_list)
            .map(|l| l.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        // With no launch type and no strategy ECS uses EC2, unless the task can only run on Fargate.
        Some(if compat == ["FARGATE"] {
            WorkloadKind::EcsFargate
        } else {
            WorkloadKind::EcsEc2
        })
    }

    /// Capacity provider names (or addresses of `aws_ecs_capacity_provider`s) of the service's
    /// strategy, or of its cluster's default strategy.
    fn capacity_providers(&self, r: &TfResource) -> Vec<String> {
        let of_strategy = |res: &TfResource, name: &str| -> Vec<String> {
            attrs::blocks(res, name)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(_, b)| match field(b, "capacity_provider")? {
                    Value::String(s) => Some(s.clone()),
                    Value::Unknown(u) => u.reference.as_ref().map(|r| r.address.clone()),
                    _ => None,
                })
                .collect()
        };
        let own = of_strategy(r, "capacity_provider_strategy");
        if !own.is_empty() {
            return own;
        }
        let Some(cluster) = r.get("cluster").and_then(|c| self.referenced(c)) else {
            return Vec::new();
        };
        let cluster_name = cluster.get("name").and_then(Value::as_str);
        self.by_address
            .values()
            .filter(|t| t.resource_type == "aws_ecs_cluster_capacity_providers")
            .filter(|t| match t.get("cluster_name") {
                Some(Value::Unknown(u)) => u
                    .reference
                    .as_ref()
                    .is_some_and(|x| x.address == cluster.address),
                Some(Value::String(s)) => Some(s.as_str()) == cluster_name,
                _ => false,
            })
            .flat_map(|t| of_strategy(t, "default_capacity_provider_strategy"))
            .collect()
    }

    /// The resource a value references (by reference or by AWS id in state).
    fn referenced(&self, value: &Value) -> Option<&'a TfResource> {
        match value {
            Value::Unknown(u) => self
                .by_address
                .get(u.reference.as_ref()?.address.as_str())
                .copied(),
            Value::String(s) => self
                .by_aws_id
                .get(s.as_str())
                .and_then(|a| self.by_address.get(a))
                .copied(),
            _ => None,
        }
    }

    /// The subnets and security groups of the container instances: capacity provider → Auto Scaling
    /// group (`vpc_zone_identifier`) → launch template (`vpc_security_group_ids`) or launch
    /// configuration (`security_groups`). Without a capacity provider, the Auto Scaling group whose
    /// user data makes its instances join the service's cluster (`ECS_CLUSTER=`).
    fn container_instance_network(
        &mut self,
        r: &TfResource,
    ) -> Option<(Partial<ResourceId>, Partial<ResourceId>)> {
        let asg = self
            .capacity_providers(r)
            .into_iter()
            .find_map(|p| {
                let provider = self.by_address.get(p.as_str()).copied().or_else(|| {
                    self.by_address.values().copied().find(|t| {
                        t.resource_type == "aws_ecs_capacity_provider"
                            && t.get("name").and_then(Value::as_str) == Some(p.as_str())
                    })
                })?;
                let arn = provider.get("auto_scaling_group_provider.0.auto_scaling_group_arn")?;
                self.referenced(arn)
                    .filter(|t| t.resource_type == "aws_autoscaling_group")
            })
            .or_else(|| self.group_joining_cluster(r))?;
        let subnets = self.resolve_list(
            asg.get("vpc_zone_identifier"),
            ElementKind::Subnet,
            asg.location_of("vpc_zone_identifier").as_ref(),
        );
        let groups = match self.instance_launch(asg) {
            Some(t) if t.resource_type == "aws_launch_configuration" => self.resolve_list(
                t.get("security_groups"),
                ElementKind::SecurityGroup,
                t.location_of("security_groups").as_ref(),
            ),
            Some(t) => {
                let direct = t.get("vpc_security_group_ids");
                let via_eni = t.get("network_interfaces.0.security_groups");
                self.resolve_list(
                    direct.or(via_eni),
                    ElementKind::SecurityGroup,
                    t.location_of("vpc_security_group_ids").as_ref(),
                )
            }
            None => Partial::unknown(format!(
                "the security groups of {}'s instances are not in the inputs",
                asg.address
            )),
        };
        Some((subnets, groups))
    }

    /// The launch template or launch configuration an Auto Scaling group starts instances from.
    fn instance_launch(&self, asg: &TfResource) -> Option<&'a TfResource> {
        let template = [
            "launch_template.0",
            "mixed_instances_policy.0.launch_template.0.launch_template_specification.0",
        ]
        .into_iter()
        .find_map(|at| {
            let spec = asg
                .get(&format!("{at}.id"))
                .or_else(|| asg.get(&format!("{at}.launch_template_id")));
            let by_name = asg
                .get(&format!("{at}.name"))
                .or_else(|| asg.get(&format!("{at}.launch_template_name")));
            self.referenced(spec.or(by_name)?)
        })
        .filter(|t| t.resource_type == "aws_launch_template");
        template.or_else(|| {
            asg.get("launch_configuration")
                .and_then(|v| self.referenced(v))
                .filter(|t| t.resource_type == "aws_launch_configuration")
        })
    }

    /// The Auto Scaling group whose instances' user data joins the service's cluster (`default`
    /// when the service names none), the first by address when several do.
    fn group_joining_cluster(&self, r: &TfResource) -> Option<&'a TfResource> {
        let cluster = match r.get("cluster") {
            None | Some(Value::Null) => "default".to_owned(),
            Some(value) => match self.referenced(value) {
                Some(c) => c.get("name").and_then(Value::as_str)?.to_owned(),
                None => cluster_name(value.as_str()?).to_owned(),
            },
        };
        self.by_address
            .values()
            .copied()
            .filter(|t| {
                t.mode == ResourceMode::Managed && t.resource_type == "aws_autoscaling_group"
            })
            .filter(|asg| {
                let launch = self.instance_launch(asg);
                let user_data = launch.and_then(|t| {
                    t.get("user_data")
                        .or_else(|| t.get("user_data_base64"))
                        .and_then(Value::as_str)
                });
                user_data.and_then(joined_cluster).as_deref() == Some(cluster.as_str())
            })
            .min_by(|a, b| a.address.cmp(&b.address))
    }

    /// Whether the service's cluster encrypts ECS Exec sessions with a KMS key.
    fn cluster_exec_kms(&self, r: &TfResource) -> bool {
        r.get("cluster")
            .and_then(|c| self.referenced(c))
            .and_then(|c| c.get("configuration.0.execute_command_configuration.0.kms_key_id"))
            .is_some_and(|k| !k.is_null())
    }

    /// The EFS file systems a task definition mounts.
    fn efs_volumes(&mut self, task: &TfResource) -> Vec<Known<ResourceId>> {
        attrs::blocks(task, "volume")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(i, v)| {
                let fs = field(v, "efs_volume_configuration")?.as_list()?.first()?;
                let id = field(fs, "file_system_id")?;
                Some(self.resolve(
                    id,
                    ElementKind::Other,
                    task.location_of(&format!("volume.{i}")).as_ref(),
                ))
            })
            .collect()
    }

    pub(super) fn eks_compute(&mut self, r: &TfResource) {
        let is_fargate = r.resource_type == "aws_eks_fargate_profile";
        let cluster = r.get("cluster_name").and_then(|v| self.cluster_of(v));
        let subnets = self.resolve_list(
            r.get("subnet_ids"),
            ElementKind::Subnet,
            r.location_of("subnet_ids").as_ref(),
        );
        let cluster_sg = cluster
            .as_ref()
            .and_then(|c| self.model.eks_clusters.get(c))
            .map(|c| c.cluster_security_group.clone());
        let template = r
            .get("launch_template.0.id")
            .or_else(|| r.get("launch_template.0.name"))
            .and_then(|v| self.referenced(v))
            .filter(|t| t.resource_type == "aws_launch_template");
        let template_groups = template.and_then(|t| {
            t.get("vpc_security_group_ids")
                .or_else(|| t.get("network_interfaces.0.security_groups"))
        });
        let security_groups = match (template_groups, cluster_sg) {
            // With launch-template security groups, EKS does not add the cluster security group.
            (Some(groups), _) if !is_fargate => {
                let t = template.expect("groups come from the template");
                self.resolve_list(
                    Some(groups),
                    ElementKind::SecurityGroup,
                    t.location_of("vpc_security_group_ids").as_ref(),
                )
            }
            (_, Some(sg)) => Partial::complete(vec![sg]),
            (_, None) => {
                Partial::unknown("the EKS cluster security group of a cluster outside the inputs")
            }
        };
        let name_attr = if is_fargate {
            "fargate_profile_name"
        } else {
            "node_group_name"
        };
        let name = string(r, name_attr)
            .and_then(|n| n.value().cloned())
            .unwrap_or_else(|| fallback_name(r));
        self.model.workloads.push(Workload {
            name,
            kind: if is_fargate {
                WorkloadKind::EksFargate
            } else {
                WorkloadKind::EksNode
            },
            platform_version: None,
            windows: string(r, "ami_type")
                .and_then(|t| t.value().cloned())
                .is_some_and(|t| t.starts_with("WINDOWS")),
            subnets,
            security_groups,
            assign_public_ip: is_fargate.then_some(Known::Value(false)),
            features: Vec::new(),
            images: Vec::new(),
            efs_file_systems: Vec::new(),
            cluster,
            assumed: false,
            provenance: Provenance::declared(&r.address, r.location.clone()),
        });
    }

    /// The cluster a node group or Fargate profile names (by reference or by cluster name).
    fn cluster_of(&self, value: &Value) -> Option<ResourceId> {
        match value {
            Value::Unknown(u) => {
                let r = u.reference.as_ref()?;
                let t = self.by_address.get(r.address.as_str())?;
                (t.resource_type == "aws_eks_cluster").then(|| ResourceId::new(&r.address))
            }
            Value::String(s) => self
                .model
                .eks_clusters
                .values()
                .find(|c| c.name.value() == Some(s))
                .map(|c| c.id.clone()),
            _ => None,
        }
    }
}

/// A workload's name when its own name is not known: the resource name in the root module, the
/// full address inside a module, where every module names its resources `this`.
fn fallback_name(r: &TfResource) -> String {
    if r.module.is_empty() {
        r.name.clone()
    } else {
        r.address.clone()
    }
}

/// The facts of an `aws_ecs_task_definition`.
fn task_facts(task: &TfResource) -> TaskFacts {
    let at = task.location_of("container_definitions");
    let mut facts = match task.get("container_definitions") {
        Some(Value::String(text)) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => read_container_definitions(&json, at.as_ref()),
            Err(_) => TaskFacts::default(),
        },
        Some(Value::Unknown(u)) => match u.encoded.as_deref() {
            Some(encoded) => {
                read_container_definitions(&attrs::deferred_json(encoded), at.as_ref())
            }
            None => TaskFacts::default(),
        },
        _ => TaskFacts::default(),
    };
    facts.windows = task
        .get("runtime_platform.0.operating_system_family")
        .and_then(Value::as_str)
        .is_some_and(|f| f.starts_with("WINDOWS"));
    facts
}
