//! The reference network as Terraform: one file, valid for `terraform validate` and formatted as
//! `terraform fmt` leaves it, with the region a variable (the planned region its default).
//!
//! Per-AZ resources use `count` over `data.aws_availability_zones`; subnets are carved from
//! `var.vpc_cidr` with `cidrsubnet` (a /20 per app subnet, a /24 per endpoint subnet from index
//! [`ENDPOINT_SUBNET_BASE`]). Strings in endpoint policies that name the planned region name
//! `var.region` instead, so changing the variable moves the whole network.

use privlink_model::{EndpointKind, Feature, WorkloadKind};
use serde_json::json;

use super::Row;
use super::hcl::{Block, Expr, File, literal};
use super::reference::{ENDPOINT_SUBNET_BASE, NAME, Reference};

/// The Terraform text of the reference network.
pub(crate) fn render(reference: &Reference<'_>) -> String {
    let mut w = Writer {
        r: *reference,
        file: File::default(),
    };
    let header = reference.header("terraform");
    w.file.comments(&header);
    w.file.blank();
    w.settings();
    w.network();
    w.security_groups();
    for row in reference.endpoints() {
        w.endpoint(row);
    }
    if reference.kind().is_ecs() {
        w.ecs();
    } else {
        w.eks();
    }
    w.file.render()
}

struct Writer<'p> {
    r: Reference<'p>,
    file: File,
}

fn raw(text: impl Into<String>) -> Expr {
    Expr::raw(text)
}

fn object(entries: Vec<(&str, Expr)>) -> Expr {
    Expr::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn name_tag(suffix: &str) -> Expr {
    if suffix.is_empty() {
        raw("{ Name = local.name }")
    } else {
        raw(format!("{{ Name = \"${{local.name}}-{suffix}\" }}"))
    }
}

/// The Terraform name of an endpoint: the service suffix with `.` and `-` as `_`.
fn endpoint_name(service: &str) -> String {
    service.replace(['.', '-'], "_")
}

/// A `jsonencode` of an IAM or endpoint policy.
fn jsonencode(value: &serde_json::Value, string: &impl Fn(&str) -> String) -> Expr {
    Expr::Call("jsonencode", Box::new(Expr::from_json(value, string)))
}

fn assume_role(service: &str) -> Expr {
    jsonencode(
        &json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }],
        }),
        &literal,
    )
}

fn https_rule(kind: &str, description: &str, peer: (&str, &str)) -> Block {
    Block::new(kind, &[])
        .attr("description", Expr::string(description))
        .attr("from_port", raw("443"))
        .attr("to_port", raw("443"))
        .attr("protocol", Expr::string("tcp"))
        .attr(peer.0, raw(peer.1))
}

fn nfs_rule(kind: &str, description: &str, cidr: &str) -> Block {
    Block::new(kind, &[])
        .attr("description", Expr::string(description))
        .attr("from_port", raw("2049"))
        .attr("to_port", raw("2049"))
        .attr("protocol", Expr::string("tcp"))
        .attr("cidr_blocks", raw(format!("[{cidr}]")))
}

impl Writer<'_> {
    /// A string of a policy: the planned region written as `var.region`.
    fn regional(&self) -> impl Fn(&str) -> String + '_ {
        |s: &str| literal(s).replace(self.r.region(), "${var.region}")
    }

    fn settings(&mut self) {
        let aws = object(vec![
            ("source", Expr::string("hashicorp/aws")),
            ("version", Expr::string(">= 5.0")),
        ]);
        self.file.block(
            Block::new("terraform", &[])
                .attr("required_version", Expr::string(">= 1.5"))
                .blank()
                .block(Block::new("required_providers", &[]).attr("aws", aws)),
        );
        self.file.block(
            Block::new("variable", &["region"])
                .attr(
                    "description",
                    Expr::string("The region of the network (endpoint service names follow it)."),
                )
                .attr("type", raw("string"))
                .attr("default", Expr::string(self.r.region())),
        );
        self.file.block(
            Block::new("variable", &["vpc_cidr"])
                .attr(
                    "description",
                    Expr::string("The VPC's CIDR block: a /16 (app subnets get a /20 each, endpoint subnets a /24)."),
                )
                .attr("type", raw("string"))
                .attr("default", Expr::string("10.0.0.0/16")),
        );
        self.file
            .block(Block::new("provider", &["aws"]).attr("region", raw("var.region")));
        self.file
            .block(Block::new("locals", &[]).attr("name", Expr::string(NAME)));
        self.file.block(
            Block::new("data", &["aws_availability_zones", "available"])
                .attr("state", Expr::string("available")),
        );
    }

    fn network(&mut self) {
        let azs = self.r.azs().to_string();
        self.file.blank();
        self.file.comments(&[
            "Private DNS of interface endpoints needs both DNS attributes of the VPC.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_vpc", "main"])
                .attr("cidr_block", raw("var.vpc_cidr"))
                .attr("enable_dns_support", raw("true"))
                .attr("enable_dns_hostnames", raw("true"))
                .attr("tags", name_tag("")),
        );
        self.file.blank();
        self.file
            .comments(&["The workload's subnets, one per AZ. Nothing routes them out of the VPC."]);
        self.file.block(
            Block::new("resource", &["aws_subnet", "app"])
                .attr("count", raw(azs.clone()))
                .attr("vpc_id", raw("aws_vpc.main.id"))
                .attr(
                    "availability_zone",
                    raw("data.aws_availability_zones.available.names[count.index]"),
                )
                .attr(
                    "cidr_block",
                    raw("cidrsubnet(var.vpc_cidr, 4, count.index)"),
                )
                .attr(
                    "tags",
                    raw("{ Name = \"${local.name}-app-${count.index}\" }"),
                ),
        );
        self.file.blank();
        self.file.comments(&[
            "One subnet per AZ for the interface endpoints' network interfaces. An endpoint takes at",
            "most one subnet per AZ; in a subnet of its own it serves every app subnet of the AZ.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_subnet", "endpoints"])
                .attr("count", raw(azs.clone()))
                .attr("vpc_id", raw("aws_vpc.main.id"))
                .attr(
                    "availability_zone",
                    raw("data.aws_availability_zones.available.names[count.index]"),
                )
                .attr(
                    "cidr_block",
                    raw(format!(
                        "cidrsubnet(var.vpc_cidr, 8, {ENDPOINT_SUBNET_BASE} + count.index)"
                    )),
                )
                .attr(
                    "tags",
                    raw("{ Name = \"${local.name}-endpoints-${count.index}\" }"),
                ),
        );
        self.file.blank();
        self.file.comments(&[
            "The app subnets' route tables: the local route and the S3 gateway endpoint's prefix-list",
            "route only. No default route: no NAT gateway, no internet gateway.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_route_table", "app"])
                .attr("count", raw(azs.clone()))
                .attr("vpc_id", raw("aws_vpc.main.id"))
                .attr(
                    "tags",
                    raw("{ Name = \"${local.name}-app-${count.index}\" }"),
                ),
        );
        self.file.block(
            Block::new("resource", &["aws_route_table_association", "app"])
                .attr("count", raw(azs))
                .attr("subnet_id", raw("aws_subnet.app[count.index].id"))
                .attr("route_table_id", raw("aws_route_table.app[count.index].id")),
        );
    }

    fn security_groups(&mut self) {
        self.file.blank();
        self.file.comments(&[
            "The endpoints' network interfaces admit HTTPS from the whole VPC, and need no egress.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_security_group", "endpoints"])
                .attr("name", Expr::template("${local.name}-endpoints"))
                .attr(
                    "description",
                    Expr::string("HTTPS from the VPC to the interface endpoints"),
                )
                .attr("vpc_id", raw("aws_vpc.main.id"))
                .blank()
                .block(https_rule(
                    "ingress",
                    "HTTPS from the VPC",
                    ("cidr_blocks", "[aws_vpc.main.cidr_block]"),
                )),
        );
        if !self.r.kind().is_ecs() {
            return;
        }
        self.file.blank();
        self.file.comments(&[
            "The workload's security group: HTTPS out to the endpoints in the VPC and to S3's prefix",
            "list (image layers, through the gateway endpoint); no ingress.",
        ]);
        let mut app = Block::new("resource", &["aws_security_group", "app"])
            .attr("name", Expr::template("${local.name}-app"))
            .attr(
                "description",
                Expr::string("The workload: HTTPS to the VPC endpoints"),
            )
            .attr("vpc_id", raw("aws_vpc.main.id"))
            .blank()
            .block(https_rule(
                "egress",
                "HTTPS to the interface endpoints",
                ("cidr_blocks", "[aws_vpc.main.cidr_block]"),
            ));
        if self.r.has_s3_gateway() {
            app = app.blank().block(https_rule(
                "egress",
                "HTTPS to S3 through the gateway endpoint",
                ("prefix_list_ids", "[aws_vpc_endpoint.s3.prefix_list_id]"),
            ));
        }
        if self.r.efs() {
            app = app.blank().block(nfs_rule(
                "egress",
                "NFS to the EFS mount targets",
                "aws_vpc.main.cidr_block",
            ));
        }
        self.file.block(app);
    }

    fn endpoint(&mut self, row: &Row) {
        let service = &row.requirement.service;
        let name = endpoint_name(service);
        let gateway = row.endpoint == Some(EndpointKind::Gateway);
        self.file.blank();
        self.file
            .comments(&[format!("{}: {}.", row.title(), row.requirement.purpose)]);
        let mut block = Block::new("resource", &["aws_vpc_endpoint", &name])
            .attr("vpc_id", raw("aws_vpc.main.id"))
            .attr(
                "service_name",
                Expr::template(&format!("com.amazonaws.${{var.region}}.{service}")),
            );
        block = if gateway {
            block
                .attr("vpc_endpoint_type", Expr::string("Gateway"))
                .attr("route_table_ids", raw("aws_route_table.app[*].id"))
        } else {
            block
                .attr("vpc_endpoint_type", Expr::string("Interface"))
                .attr("private_dns_enabled", raw("true"))
                .attr("subnet_ids", raw("aws_subnet.endpoints[*].id"))
                .attr(
                    "security_group_ids",
                    raw("[aws_security_group.endpoints.id]"),
                )
        };
        block = block.attr("tags", name_tag(service));
        block = match &row.policy {
            Some(policy) => {
                let regional = self.regional();
                let policy = jsonencode(policy, &regional);
                block.blank().attr("policy", policy)
            }
            None => block.blank().comment(
                "No policy: privlink's catalog does not list the calls made through this endpoint,",
            )
            .comment("so it keeps the default policy (full access)."),
        };
        self.file.block(block);
    }

    fn role(&mut self, name: &str, service: &str, managed: &[&str]) {
        self.file.block(
            Block::new("resource", &["aws_iam_role", name])
                .attr("name", Expr::template(&format!("${{local.name}}-{name}")))
                .attr("assume_role_policy", assume_role(service)),
        );
        let attachment = Block::new("resource", &["aws_iam_role_policy_attachment", name]);
        let attachment = match managed {
            [one] => attachment
                .attr("role", raw(format!("aws_iam_role.{name}.name")))
                .attr("policy_arn", Expr::string(one)),
            _ => attachment
                .attr(
                    "for_each",
                    Expr::Call(
                        "toset",
                        Box::new(Expr::List(
                            managed.iter().map(|m| Expr::string(m)).collect(),
                        )),
                    ),
                )
                .attr("role", raw(format!("aws_iam_role.{name}.name")))
                .attr("policy_arn", raw("each.value")),
        };
        self.file.block(attachment);
    }

    /// An inline policy of `role`: one `Allow` statement per `(actions, resource expression)`.
    fn inline_policy(&mut self, name: &str, role: &str, statements: Vec<(Vec<&str>, Expr)>) {
        let statements = statements
            .into_iter()
            .map(|(actions, resource)| {
                object(vec![
                    ("Effect", Expr::string("Allow")),
                    ("Action", Expr::strings(&actions)),
                    ("Resource", resource),
                ])
            })
            .collect();
        let document = object(vec![
            ("Version", Expr::string("2012-10-17")),
            ("Statement", Expr::List(statements)),
        ]);
        self.file.block(
            Block::new("resource", &["aws_iam_role_policy", name])
                .attr("role", raw(format!("aws_iam_role.{role}.id")))
                .attr("policy", Expr::Call("jsonencode", Box::new(document))),
        );
    }

    fn ecs(&mut self) {
        let r = self.r;
        self.file.blank();
        self.file.comments(&[
            "The example workload: an ECS service whose tasks run in the app subnets with the app",
            "security group. `privlink check` finds it and traces every flow it needs.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_ecs_cluster", "main"]).attr("name", raw("local.name")),
        );
        if r.images().is_empty() {
            self.file.blank();
            self.file.comments(&[
                "The image's repository; the service runs no task until an image is pushed as :latest.",
            ]);
            self.file.block(
                Block::new("resource", &["aws_ecr_repository", "app"])
                    .attr("name", raw("local.name")),
            );
        }
        if r.has(&Feature::Awslogs) {
            self.file.block(
                Block::new("resource", &["aws_cloudwatch_log_group", "app"])
                    .attr("name", Expr::template("/ecs/${local.name}"))
                    .attr("retention_in_days", raw("30")),
            );
        }
        let secrets = r.has(&Feature::SecretsManager);
        let parameters = r.has(&Feature::Ssm);
        if secrets {
            self.file.blank();
            self.file.comments(&[
                "A secret the task receives as APP_SECRET; its value is yours to set.",
            ]);
            self.file.block(
                Block::new("resource", &["aws_secretsmanager_secret", "app"])
                    .attr("name", Expr::template("${local.name}/app")),
            );
        }
        if parameters {
            self.file.blank();
            self.file.comments(&[
                "A parameter the task receives as APP_PARAMETER; set its value outside Terraform.",
            ]);
            self.file.block(
                Block::new("resource", &["aws_ssm_parameter", "app"])
                    .attr("name", Expr::template("/${local.name}/app"))
                    .attr("type", Expr::string("SecureString"))
                    .attr("value", Expr::string("change-me"))
                    .blank()
                    .block(Block::new("lifecycle", &[]).attr("ignore_changes", raw("[value]"))),
            );
        }
        self.file.blank();
        self.file.comments(&[
            "The execution role: ECS pulls the image, writes the log stream and reads the secrets",
            "with it, through the endpoints.",
        ]);
        self.role(
            "execution",
            "ecs-tasks.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        );
        let mut statements = Vec::new();
        if secrets {
            statements.push((
                r.actions_of("secretsmanager"),
                raw("aws_secretsmanager_secret.app.arn"),
            ));
        }
        if parameters {
            statements.push((r.actions_of("ssm"), raw("aws_ssm_parameter.app.arn")));
        }
        if !statements.is_empty() {
            self.inline_policy("execution_secrets", "execution", statements);
        }
        let exec = r.has(&Feature::Exec);
        if exec {
            self.file.blank();
            self.file.comments(&[
                "The task role: ECS Exec opens its channels through the ssmmessages endpoint.",
            ]);
            self.file.block(
                Block::new("resource", &["aws_iam_role", "task"])
                    .attr("name", Expr::template("${local.name}-task"))
                    .attr("assume_role_policy", assume_role("ecs-tasks.amazonaws.com")),
            );
            let statement = (r.actions_of("ssmmessages"), Expr::string("*"));
            self.inline_policy("task_exec", "task", vec![statement]);
        }
        if r.has(&Feature::ServiceConnect) {
            self.file.block(
                Block::new(
                    "resource",
                    &["aws_service_discovery_http_namespace", "main"],
                )
                .attr("name", raw("local.name")),
            );
        }
        if r.efs() {
            self.efs();
        }
        if r.kind() == WorkloadKind::EcsEc2 {
            self.container_instances();
        }
        self.task_definition(exec);
        self.service(exec);
    }

    fn efs(&mut self) {
        self.file.blank();
        self.file.comments(&[
            "EFS needs no endpoint: a mount target in each app subnet's AZ, reached over NFS.",
        ]);
        self.file.block(
            Block::new("resource", &["aws_efs_file_system", "data"])
                .attr("encrypted", raw("true"))
                .attr("tags", name_tag("data")),
        );
        self.file.block(
            Block::new("resource", &["aws_security_group", "efs"])
                .attr("name", Expr::template("${local.name}-efs"))
                .attr(
                    "description",
                    Expr::string("NFS from the VPC to the EFS mount targets"),
                )
                .attr("vpc_id", raw("aws_vpc.main.id"))
                .blank()
                .block(nfs_rule(
                    "ingress",
                    "NFS from the VPC",
                    "aws_vpc.main.cidr_block",
                )),
        );
        self.file.block(
            Block::new("resource", &["aws_efs_mount_target", "data"])
                .attr("count", raw(self.r.azs().to_string()))
                .attr("file_system_id", raw("aws_efs_file_system.data.id"))
                .attr("subnet_id", raw("aws_subnet.app[count.index].id"))
                .attr("security_groups", raw("[aws_security_group.efs.id]")),
        );
    }

    fn container_instances(&mut self) {
        self.file.blank();
        self.file.comments(&[
            "Container instances: the ECS-optimized AMI in the app subnets with the app security group;",
            "their agent reaches ECS through the ecs, ecs-agent and ecs-telemetry endpoints.",
        ]);
        self.file
            .block(Block::new("data", &["aws_ssm_parameter", "ecs_ami"]).attr(
                "name",
                Expr::string(
                    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
                ),
            ));
        self.role(
            "instance",
            "ec2.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"],
        );
        self.file.block(
            Block::new("resource", &["aws_iam_instance_profile", "instance"])
                .attr("name", Expr::template("${local.name}-instance"))
                .attr("role", raw("aws_iam_role.instance.name")),
        );
        self.file.block(
            Block::new("resource", &["aws_launch_template", "ecs"])
                .attr("name_prefix", Expr::template("${local.name}-"))
                .attr("image_id", raw("data.aws_ssm_parameter.ecs_ami.value"))
                .attr("instance_type", Expr::string("t3.small"))
                .attr("vpc_security_group_ids", raw("[aws_security_group.app.id]"))
                .attr(
                    "user_data",
                    raw("base64encode(\"#!/bin/bash\\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\\n\")"),
                )
                .blank()
                .block(
                    Block::new("iam_instance_profile", &[])
                        .attr("arn", raw("aws_iam_instance_profile.instance.arn")),
                ),
        );
        self.file.block(
            Block::new("resource", &["aws_autoscaling_group", "ecs"])
                .attr("name_prefix", Expr::template("${local.name}-"))
                .attr("min_size", raw("1"))
                .attr("max_size", raw("2"))
                .attr("vpc_zone_identifier", raw("aws_subnet.app[*].id"))
                .blank()
                .block(
                    Block::new("launch_template", &[])
                        .attr("id", raw("aws_launch_template.ecs.id"))
                        .attr("version", Expr::string("$Latest")),
                )
                .blank()
                .block(
                    Block::new("tag", &[])
                        .attr("key", Expr::string("AmazonECSManaged"))
                        .attr("value", Expr::string("true"))
                        .attr("propagate_at_launch", raw("true")),
                ),
        );
        self.file.block(
            Block::new("resource", &["aws_ecs_capacity_provider", "ec2"])
                .attr("name", raw("local.name"))
                .blank()
                .block(Block::new("auto_scaling_group_provider", &[]).attr(
                    "auto_scaling_group_arn",
                    raw("aws_autoscaling_group.ecs.arn"),
                )),
        );
        self.file.block(
            Block::new("resource", &["aws_ecs_cluster_capacity_providers", "main"])
                .attr("cluster_name", raw("aws_ecs_cluster.main.name"))
                .attr(
                    "capacity_providers",
                    raw("[aws_ecs_capacity_provider.ec2.name]"),
                ),
        );
    }

    fn container(&self, name: &str, image: Expr, first: bool) -> Expr {
        let r = self.r;
        let mut entries = vec![
            ("name", Expr::string(name)),
            ("image", image),
            ("essential", raw(if first { "true" } else { "false" })),
        ];
        if r.has(&Feature::Awslogs) {
            entries.push((
                "logConfiguration",
                object(vec![
                    ("logDriver", Expr::string("awslogs")),
                    (
                        "options",
                        object(vec![
                            ("awslogs-group", raw("aws_cloudwatch_log_group.app.name")),
                            ("awslogs-region", raw("var.region")),
                            ("awslogs-stream-prefix", Expr::string(name)),
                        ]),
                    ),
                ]),
            ));
        }
        if first {
            let mut secrets = Vec::new();
            if r.has(&Feature::SecretsManager) {
                secrets.push(raw(
                    "{ name = \"APP_SECRET\", valueFrom = aws_secretsmanager_secret.app.arn }",
                ));
            }
            if r.has(&Feature::Ssm) {
                secrets.push(raw(
                    "{ name = \"APP_PARAMETER\", valueFrom = aws_ssm_parameter.app.arn }",
                ));
            }
            if !secrets.is_empty() {
                entries.push(("secrets", Expr::List(secrets)));
            }
            if r.efs() {
                entries.push((
                    "mountPoints",
                    Expr::List(vec![raw(
                        "{ sourceVolume = \"data\", containerPath = \"/data\" }",
                    )]),
                ));
            }
        }
        object(entries)
    }

    fn task_definition(&mut self, exec: bool) {
        let r = self.r;
        let fargate = r.kind() == WorkloadKind::EcsFargate;
        let mut containers = Vec::new();
        if r.images().is_empty() {
            containers.push(self.container(
                "app",
                Expr::template("${aws_ecr_repository.app.repository_url}:latest"),
                true,
            ));
        }
        for (i, image) in r.images().iter().enumerate() {
            let name = if i == 0 {
                "app".to_owned()
            } else {
                format!("app{}", i + 1)
            };
            containers.push(self.container(&name, Expr::string(image), i == 0));
        }
        let mut block = Block::new("resource", &["aws_ecs_task_definition", "app"])
            .attr("family", raw("local.name"))
            .attr(
                "requires_compatibilities",
                Expr::strings(&[if fargate { "FARGATE" } else { "EC2" }]),
            )
            .attr("network_mode", Expr::string("awsvpc"))
            .attr("cpu", Expr::string("256"))
            .attr("memory", Expr::string("512"))
            .attr("execution_role_arn", raw("aws_iam_role.execution.arn"));
        if exec {
            block = block.attr("task_role_arn", raw("aws_iam_role.task.arn"));
        }
        block = block.attr(
            "container_definitions",
            Expr::Call("jsonencode", Box::new(Expr::List(containers))),
        );
        if r.efs() {
            block = block.blank().block(
                Block::new("volume", &[])
                    .attr("name", Expr::string("data"))
                    .blank()
                    .block(
                        Block::new("efs_volume_configuration", &[])
                            .attr("file_system_id", raw("aws_efs_file_system.data.id"))
                            .attr("transit_encryption", Expr::string("ENABLED")),
                    ),
            );
        }
        self.file.block(block);
    }

    fn service(&mut self, exec: bool) {
        let r = self.r;
        let mut block = Block::new("resource", &["aws_ecs_service", "app"])
            .attr("name", raw("local.name"))
            .attr("cluster", raw("aws_ecs_cluster.main.id"))
            .attr("task_definition", raw("aws_ecs_task_definition.app.arn"))
            .attr("desired_count", raw(r.desired_count().to_string()));
        match r.kind() {
            WorkloadKind::EcsFargate => {
                block = block.attr("launch_type", Expr::string("FARGATE"));
                if let Some(v) = &r.plan.request.platform_version {
                    block = block.attr("platform_version", Expr::string(v));
                }
            }
            _ => {
                block = block.blank().block(
                    Block::new("capacity_provider_strategy", &[])
                        .attr(
                            "capacity_provider",
                            raw("aws_ecs_capacity_provider.ec2.name"),
                        )
                        .attr("weight", raw("1")),
                );
            }
        }
        if exec {
            block = block.attr("enable_execute_command", raw("true"));
        }
        block = block.blank().block(
            Block::new("network_configuration", &[])
                .attr("subnets", raw("aws_subnet.app[*].id"))
                .attr("security_groups", raw("[aws_security_group.app.id]"))
                .attr("assign_public_ip", raw("false")),
        );
        if r.has(&Feature::ServiceConnect) {
            block = block.blank().block(
                Block::new("service_connect_configuration", &[])
                    .attr("enabled", raw("true"))
                    .attr(
                        "namespace",
                        raw("aws_service_discovery_http_namespace.main.arn"),
                    ),
            );
        }
        if r.kind() == WorkloadKind::EcsEc2 {
            block = block.blank().attr(
                "depends_on",
                raw("[aws_ecs_cluster_capacity_providers.main]"),
            );
        }
        self.file.block(block);
    }

    fn eks(&mut self) {
        let fargate = self.r.kind() == WorkloadKind::EksFargate;
        self.file.blank();
        self.file.comments(&[
            "The example workload: an EKS cluster whose API server has only a private endpoint (nodes",
            "register through it), and its compute in the app subnets. EKS attaches the cluster",
            "security group, which allows all egress; the endpoints admit the whole VPC.",
        ]);
        self.role(
            "cluster",
            "eks.amazonaws.com",
            &["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
        );
        self.file.block(
            Block::new("resource", &["aws_eks_cluster", "main"])
                .attr("name", raw("local.name"))
                .attr("role_arn", raw("aws_iam_role.cluster.arn"))
                .blank()
                .block(
                    Block::new("vpc_config", &[])
                        .attr("subnet_ids", raw("aws_subnet.app[*].id"))
                        .attr("endpoint_private_access", raw("true"))
                        .attr("endpoint_public_access", raw("false")),
                )
                .blank()
                .attr(
                    "depends_on",
                    raw("[aws_iam_role_policy_attachment.cluster]"),
                ),
        );
        if fargate {
            self.file.blank();
            self.file.comments(&[
                "Pods of these namespaces run on Fargate; CoreDNS (kube-system) needs its",
                "eks.amazonaws.com/compute-type annotation removed to be scheduled there.",
            ]);
            self.role(
                "pod_execution",
                "eks-fargate-pods.amazonaws.com",
                &["arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"],
            );
            self.file.block(
                Block::new("resource", &["aws_eks_fargate_profile", "main"])
                    .attr("cluster_name", raw("aws_eks_cluster.main.name"))
                    .attr("fargate_profile_name", raw("local.name"))
                    .attr(
                        "pod_execution_role_arn",
                        raw("aws_iam_role.pod_execution.arn"),
                    )
                    .attr("subnet_ids", raw("aws_subnet.app[*].id"))
                    .blank()
                    .block(Block::new("selector", &[]).attr("namespace", Expr::string("default")))
                    .blank()
                    .block(
                        Block::new("selector", &[]).attr("namespace", Expr::string("kube-system")),
                    )
                    .blank()
                    .attr(
                        "depends_on",
                        raw("[aws_iam_role_policy_attachment.pod_execution]"),
                    ),
            );
        } else {
            self.role(
                "node",
                "ec2.amazonaws.com",
                &[
                    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                ],
            );
            self.file.block(
                Block::new("resource", &["aws_eks_node_group", "main"])
                    .attr("cluster_name", raw("aws_eks_cluster.main.name"))
                    .attr("node_group_name", raw("local.name"))
                    .attr("node_role_arn", raw("aws_iam_role.node.arn"))
                    .attr("subnet_ids", raw("aws_subnet.app[*].id"))
                    .blank()
                    .block(
                        Block::new("scaling_config", &[])
                            .attr("desired_size", raw("2"))
                            .attr("min_size", raw("1"))
                            .attr("max_size", raw("3")),
                    )
                    .blank()
                    .attr("depends_on", raw("[aws_iam_role_policy_attachment.node]")),
            );
        }
    }
}
