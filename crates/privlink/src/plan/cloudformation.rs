//! The reference network as a CloudFormation template (YAML, short-form intrinsics), clean for
//! `cfn-lint`.
//!
//! Per-AZ resources are written out (`AppSubnet1`, `AppSubnet2`, ...) with `!GetAZs` and `!Cidr`
//! over the `VpcCidr` parameter, and names that follow the region use `${AWS::Region}`. One
//! difference from the Terraform: CloudFormation cannot name the S3 gateway endpoint's prefix list
//! (the endpoint has no such attribute), so the workload's security group allows HTTPS to
//! 0.0.0.0/0, which in these subnets reaches only the interface endpoints and, through the gateway
//! endpoint's route, S3.

use privlink_model::{EndpointKind, Feature, WorkloadKind};
use serde_json::json;

use super::Row;
use super::reference::{ENDPOINT_SUBNET_BASE, NAME, Reference};
use super::yaml::{Entry, Node, document};

/// The template text of the reference network.
pub(crate) fn render(reference: &Reference<'_>) -> String {
    let mut w = Writer {
        r: *reference,
        resources: Vec::new(),
    };
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
    let root = Node::map(vec![
        ("AWSTemplateFormatVersion", Node::str("2010-09-09")),
        (
            "Description",
            Node::str(format!(
                "{NAME}: a private network for {} without NAT, written by privlink plan",
                reference.kind()
            )),
        ),
        (
            "Parameters",
            Node::map(vec![(
                "VpcCidr",
                Node::map(vec![
                    (
                        "Description",
                        Node::str(
                            "The VPC's CIDR block, a /16: a /20 per app subnet, a /24 per endpoint subnet",
                        ),
                    ),
                    ("Type", Node::str("String")),
                    ("Default", Node::str("10.0.0.0/16")),
                ]),
            )]),
        ),
        ("Resources", Node::Map(w.resources)),
    ]);
    document(&reference.header("cloudformation"), &root)
}

struct Writer<'p> {
    r: Reference<'p>,
    resources: Vec<Entry>,
}

fn tags(name: &str) -> Node {
    Node::Seq(vec![Node::map(vec![
        ("Key", Node::str("Name")),
        ("Value", Node::str(name)),
    ])])
}

/// The logical ID part of a service: `ecr.api` → `EcrApi`.
fn pascal(service: &str) -> String {
    service
        .split(['.', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn https(description: &str, peer: (&str, Node)) -> Node {
    Node::map(vec![
        ("Description", Node::str(description)),
        ("IpProtocol", Node::str("tcp")),
        ("FromPort", Node::raw("443")),
        ("ToPort", Node::raw("443")),
        (peer.0, peer.1),
    ])
}

fn nfs(description: &str, cidr_key: &str) -> Node {
    Node::map(vec![
        ("Description", Node::str(description)),
        ("IpProtocol", Node::str("tcp")),
        ("FromPort", Node::raw("2049")),
        ("ToPort", Node::raw("2049")),
        (cidr_key, Node::get_att("Vpc.CidrBlock")),
    ])
}

fn assume_role(service: &str) -> Node {
    Node::from_json(
        &json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }],
        }),
        &|s: &str| Node::str(s),
    )
}

impl Writer<'_> {
    fn add(&mut self, comments: &[&str], id: &str, kind: &str, properties: Option<Node>) {
        let mut entries = vec![("Type", Node::str(kind))];
        if let Some(p) = properties {
            entries.push(("Properties", p));
        }
        self.resources.push(Entry {
            comments: comments.iter().map(|c| (*c).to_owned()).collect(),
            key: id.to_owned(),
            value: Node::map(entries),
        });
    }

    fn add_with(&mut self, id: &str, kind: &str, properties: Node, depends_on: &str) {
        self.resources.push(Entry {
            comments: Vec::new(),
            key: id.to_owned(),
            value: Node::map(vec![
                ("Type", Node::str(kind)),
                ("DependsOn", Node::str(depends_on)),
                ("Properties", properties),
            ]),
        });
    }

    fn each_az(&self, prefix: &str) -> Node {
        Node::Seq(
            (1..=self.r.azs())
                .map(|i| Node::reference(&format!("{prefix}{i}")))
                .collect(),
        )
    }

    /// A string of a policy: the planned region written as `${AWS::Region}`.
    fn regional(&self, text: &str) -> Node {
        if text.contains(self.r.region()) {
            Node::sub(&text.replace(self.r.region(), "${AWS::Region}"))
        } else {
            Node::str(text)
        }
    }

    fn network(&mut self) {
        self.add(
            &["Private DNS of interface endpoints needs both DNS attributes of the VPC."],
            "Vpc",
            "AWS::EC2::VPC",
            Some(Node::map(vec![
                ("CidrBlock", Node::reference("VpcCidr")),
                ("EnableDnsSupport", Node::raw("true")),
                ("EnableDnsHostnames", Node::raw("true")),
                ("Tags", tags(NAME)),
            ])),
        );
        let azs = self.r.azs();
        let az = |i: u8| Node::raw(format!("!Select [{}, !GetAZs '']", i - 1));
        for i in 1..=azs {
            self.add(
                if i == 1 {
                    &["The workload's subnets, one per AZ. Nothing routes them out of the VPC."]
                } else {
                    &[]
                },
                &format!("AppSubnet{i}"),
                "AWS::EC2::Subnet",
                Some(Node::map(vec![
                    ("VpcId", Node::reference("Vpc")),
                    ("AvailabilityZone", az(i)),
                    (
                        "CidrBlock",
                        Node::raw(format!("!Select [{}, !Cidr [!Ref VpcCidr, 16, 12]]", i - 1)),
                    ),
                    ("Tags", tags(&format!("{NAME}-app-{i}"))),
                ])),
            );
        }
        for i in 1..=azs {
            self.add(
                if i == 1 {
                    &[
                        "One subnet per AZ for the interface endpoints' network interfaces. An endpoint takes",
                        "at most one subnet per AZ; in a subnet of its own it serves every app subnet of the AZ.",
                    ]
                } else {
                    &[]
                },
                &format!("EndpointSubnet{i}"),
                "AWS::EC2::Subnet",
                Some(Node::map(vec![
                    ("VpcId", Node::reference("Vpc")),
                    ("AvailabilityZone", az(i)),
                    (
                        "CidrBlock",
                        Node::raw(format!(
                            "!Select [{}, !Cidr [!Ref VpcCidr, 256, 8]]",
                            u16::from(ENDPOINT_SUBNET_BASE) + u16::from(i) - 1
                        )),
                    ),
                    ("Tags", tags(&format!("{NAME}-endpoints-{i}"))),
                ])),
            );
        }
        for i in 1..=azs {
            self.add(
                if i == 1 {
                    &[
                        "The app subnets' route tables: the local route and the S3 gateway endpoint's",
                        "prefix-list route only. No default route: no NAT gateway, no internet gateway.",
                    ]
                } else {
                    &[]
                },
                &format!("AppRouteTable{i}"),
                "AWS::EC2::RouteTable",
                Some(Node::map(vec![
                    ("VpcId", Node::reference("Vpc")),
                    ("Tags", tags(&format!("{NAME}-app-{i}"))),
                ])),
            );
        }
        for i in 1..=azs {
            self.add(
                &[],
                &format!("AppSubnet{i}RouteTableAssociation"),
                "AWS::EC2::SubnetRouteTableAssociation",
                Some(Node::map(vec![
                    ("SubnetId", Node::reference(&format!("AppSubnet{i}"))),
                    (
                        "RouteTableId",
                        Node::reference(&format!("AppRouteTable{i}")),
                    ),
                ])),
            );
        }
    }

    fn security_groups(&mut self) {
        self.add(
            &["The endpoints' network interfaces admit HTTPS from the whole VPC."],
            "EndpointSecurityGroup",
            "AWS::EC2::SecurityGroup",
            Some(Node::map(vec![
                (
                    "GroupDescription",
                    Node::str("HTTPS from the VPC to the interface endpoints"),
                ),
                ("VpcId", Node::reference("Vpc")),
                (
                    "SecurityGroupIngress",
                    Node::Seq(vec![https(
                        "HTTPS from the VPC",
                        ("CidrIp", Node::get_att("Vpc.CidrBlock")),
                    )]),
                ),
            ])),
        );
        if !self.r.kind().is_ecs() {
            return;
        }
        let mut egress = vec![https(
            "HTTPS to the interface endpoints and, through the gateway endpoint, to S3",
            ("CidrIp", Node::str("0.0.0.0/0")),
        )];
        if self.r.efs() {
            egress.push(nfs("NFS to the EFS mount targets", "CidrIp"));
        }
        self.add(
            &[
                "The workload's security group. CloudFormation cannot name the S3 gateway endpoint's",
                "prefix list, so HTTPS may go anywhere: from these subnets that is only the endpoints.",
            ],
            "AppSecurityGroup",
            "AWS::EC2::SecurityGroup",
            Some(Node::map(vec![
                ("GroupDescription", Node::str("The workload: HTTPS to the VPC endpoints")),
                ("VpcId", Node::reference("Vpc")),
                ("SecurityGroupEgress", Node::Seq(egress)),
            ])),
        );
    }

    fn endpoint(&mut self, row: &Row) {
        let service = &row.requirement.service;
        let gateway = row.endpoint == Some(EndpointKind::Gateway);
        let mut properties = vec![
            ("VpcId", Node::reference("Vpc")),
            (
                "ServiceName",
                Node::sub(&format!("com.amazonaws.${{AWS::Region}}.{service}")),
            ),
        ];
        if gateway {
            properties.push(("VpcEndpointType", Node::str("Gateway")));
            properties.push(("RouteTableIds", self.each_az("AppRouteTable")));
        } else {
            properties.push(("VpcEndpointType", Node::str("Interface")));
            properties.push(("PrivateDnsEnabled", Node::raw("true")));
            properties.push(("SubnetIds", self.each_az("EndpointSubnet")));
            properties.push((
                "SecurityGroupIds",
                Node::Seq(vec![Node::reference("EndpointSecurityGroup")]),
            ));
        }
        let purpose = format!("{}: {}.", row.title(), row.requirement.purpose);
        let mut comments = vec![purpose.as_str()];
        match &row.policy {
            Some(policy) => {
                properties.push((
                    "PolicyDocument",
                    Node::from_json(policy, &|s: &str| self.regional(s)),
                ));
            }
            None => comments.extend([
                "No policy: privlink's catalog does not list the calls made through this endpoint,",
                "so it keeps the default policy (full access).",
            ]),
        }
        let kind = if gateway { "Gateway" } else { "" };
        self.add(
            &comments,
            &format!("{}{kind}Endpoint", pascal(service)),
            "AWS::EC2::VPCEndpoint",
            Some(Node::map(properties)),
        );
    }

    fn role(
        &mut self,
        comments: &[&str],
        id: &str,
        service: &str,
        managed: &[&str],
        policies: Vec<Node>,
    ) {
        let mut properties = vec![("AssumeRolePolicyDocument", assume_role(service))];
        if !managed.is_empty() {
            properties.push((
                "ManagedPolicyArns",
                Node::Seq(managed.iter().map(|m| Node::str(*m)).collect()),
            ));
        }
        if !policies.is_empty() {
            properties.push(("Policies", Node::Seq(policies)));
        }
        self.add(comments, id, "AWS::IAM::Role", Some(Node::map(properties)));
    }

    fn inline_policy(name: &str, statements: Vec<Node>) -> Node {
        Node::map(vec![
            ("PolicyName", Node::str(name)),
            (
                "PolicyDocument",
                Node::map(vec![
                    ("Version", Node::str("2012-10-17")),
                    ("Statement", Node::Seq(statements)),
                ]),
            ),
        ])
    }

    fn allow(actions: &[&str], resource: Node) -> Node {
        Node::map(vec![
            ("Effect", Node::str("Allow")),
            (
                "Action",
                Node::Seq(actions.iter().map(|a| Node::str(*a)).collect()),
            ),
            ("Resource", resource),
        ])
    }

    fn ecs(&mut self) {
        let r = self.r;
        self.add(
            &[
                "The example workload: an ECS service whose tasks run in the app subnets with the app",
                "security group. `privlink check` finds it and traces every flow it needs.",
            ],
            "Cluster",
            "AWS::ECS::Cluster",
            None,
        );
        if r.images().is_empty() {
            self.add(
                &["The image's repository; the service runs no task until an image is pushed as :latest."],
                "AppRepository",
                "AWS::ECR::Repository",
                None,
            );
        }
        if r.has(&Feature::Awslogs) {
            self.add(
                &[],
                "AppLogGroup",
                "AWS::Logs::LogGroup",
                Some(Node::map(vec![("RetentionInDays", Node::raw("30"))])),
            );
        }
        let secrets = r.has(&Feature::SecretsManager);
        let parameters = r.has(&Feature::Ssm);
        if secrets {
            self.add(
                &["A secret the task receives as APP_SECRET."],
                "AppSecret",
                "AWS::SecretsManager::Secret",
                Some(Node::map(vec![(
                    "GenerateSecretString",
                    Node::map(vec![("PasswordLength", Node::raw("32"))]),
                )])),
            );
        }
        if parameters {
            self.add(
                &[
                    "A parameter the task receives as APP_PARAMETER (CloudFormation cannot create a",
                    "SecureString; point ValueFrom at one made outside it for secret values).",
                ],
                "AppParameter",
                "AWS::SSM::Parameter",
                Some(Node::map(vec![
                    ("Type", Node::str("String")),
                    ("Value", Node::str("change-me")),
                ])),
            );
        }
        let mut statements = Vec::new();
        if secrets {
            statements.push(Self::allow(
                &r.actions_of("secretsmanager"),
                Node::reference("AppSecret"),
            ));
        }
        if parameters {
            statements.push(Self::allow(
                &r.actions_of("ssm"),
                Node::sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${AppParameter}"),
            ));
        }
        let policies = if statements.is_empty() {
            Vec::new()
        } else {
            vec![Self::inline_policy("secrets", statements)]
        };
        self.role(
            &[
                "The execution role: ECS pulls the image, writes the log stream and reads the secrets",
                "with it, through the endpoints.",
            ],
            "ExecutionRole",
            "ecs-tasks.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
            policies,
        );
        let exec = r.has(&Feature::Exec);
        if exec {
            let policy = Self::inline_policy(
                "exec",
                vec![Self::allow(&r.actions_of("ssmmessages"), Node::str("*"))],
            );
            self.role(
                &["The task role: ECS Exec opens its channels through the ssmmessages endpoint."],
                "TaskRole",
                "ecs-tasks.amazonaws.com",
                &[],
                vec![policy],
            );
        }
        if r.has(&Feature::ServiceConnect) {
            self.add(
                &[],
                "Namespace",
                "AWS::ServiceDiscovery::HttpNamespace",
                Some(Node::map(vec![("Name", Node::str(NAME))])),
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
        self.add(
            &["EFS needs no endpoint: a mount target in each app subnet's AZ, reached over NFS."],
            "FileSystem",
            "AWS::EFS::FileSystem",
            Some(Node::map(vec![("Encrypted", Node::raw("true"))])),
        );
        self.add(
            &[],
            "EfsSecurityGroup",
            "AWS::EC2::SecurityGroup",
            Some(Node::map(vec![
                (
                    "GroupDescription",
                    Node::str("NFS from the VPC to the EFS mount targets"),
                ),
                ("VpcId", Node::reference("Vpc")),
                (
                    "SecurityGroupIngress",
                    Node::Seq(vec![nfs("NFS from the VPC", "CidrIp")]),
                ),
            ])),
        );
        for i in 1..=self.r.azs() {
            self.add(
                &[],
                &format!("MountTarget{i}"),
                "AWS::EFS::MountTarget",
                Some(Node::map(vec![
                    ("FileSystemId", Node::reference("FileSystem")),
                    ("SubnetId", Node::reference(&format!("AppSubnet{i}"))),
                    (
                        "SecurityGroups",
                        Node::Seq(vec![Node::reference("EfsSecurityGroup")]),
                    ),
                ])),
            );
        }
    }

    fn container_instances(&mut self) {
        self.role(
            &[
                "Container instances: the ECS-optimized AMI in the app subnets with the app security",
                "group; their agent reaches ECS through the ecs, ecs-agent and ecs-telemetry endpoints.",
            ],
            "InstanceRole",
            "ec2.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"],
            Vec::new(),
        );
        self.add(
            &[],
            "InstanceProfile",
            "AWS::IAM::InstanceProfile",
            Some(Node::map(vec![(
                "Roles",
                Node::Seq(vec![Node::reference("InstanceRole")]),
            )])),
        );
        let user_data = Node::map(vec![(
            "Fn::Base64",
            Node::raw(
                "!Sub \"#!/bin/bash\\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\\n\"",
            ),
        )]);
        self.add(
            &[],
            "LaunchTemplate",
            "AWS::EC2::LaunchTemplate",
            Some(Node::map(vec![(
                "LaunchTemplateData",
                Node::map(vec![
                    (
                        "ImageId",
                        Node::str("{{resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id}}"),
                    ),
                    ("InstanceType", Node::str("t3.small")),
                    (
                        "SecurityGroupIds",
                        Node::Seq(vec![Node::reference("AppSecurityGroup")]),
                    ),
                    (
                        "IamInstanceProfile",
                        Node::map(vec![("Arn", Node::get_att("InstanceProfile.Arn"))]),
                    ),
                    ("UserData", user_data),
                ]),
            )])),
        );
        self.add(
            &[],
            "AutoScalingGroup",
            "AWS::AutoScaling::AutoScalingGroup",
            Some(Node::map(vec![
                ("MinSize", Node::str("1")),
                ("MaxSize", Node::str("2")),
                ("VPCZoneIdentifier", self.each_az("AppSubnet")),
                (
                    "LaunchTemplate",
                    Node::map(vec![
                        ("LaunchTemplateId", Node::reference("LaunchTemplate")),
                        (
                            "Version",
                            Node::get_att("LaunchTemplate.LatestVersionNumber"),
                        ),
                    ]),
                ),
            ])),
        );
        self.add(
            &[],
            "CapacityProvider",
            "AWS::ECS::CapacityProvider",
            Some(Node::map(vec![(
                "AutoScalingGroupProvider",
                Node::map(vec![(
                    "AutoScalingGroupArn",
                    Node::reference("AutoScalingGroup"),
                )]),
            )])),
        );
        self.add(
            &[],
            "ClusterCapacityProviders",
            "AWS::ECS::ClusterCapacityProviderAssociations",
            Some(Node::map(vec![
                ("Cluster", Node::reference("Cluster")),
                (
                    "CapacityProviders",
                    Node::Seq(vec![Node::reference("CapacityProvider")]),
                ),
                (
                    "DefaultCapacityProviderStrategy",
                    Node::Seq(vec![Node::map(vec![
                        ("CapacityProvider", Node::reference("CapacityProvider")),
                        ("Weight", Node::raw("1")),
                    ])]),
                ),
            ])),
        );
    }

    fn container(&self, name: &str, image: Node, first: bool) -> Node {
        let r = self.r;
        let mut entries = vec![
            ("Name", Node::str(name)),
            ("Image", image),
            ("Essential", Node::raw(if first { "true" } else { "false" })),
        ];
        if r.has(&Feature::Awslogs) {
            entries.push((
                "LogConfiguration",
                Node::map(vec![
                    ("LogDriver", Node::str("awslogs")),
                    (
                        "Options",
                        Node::map(vec![
                            ("awslogs-group", Node::reference("AppLogGroup")),
                            ("awslogs-region", Node::reference("AWS::Region")),
                            ("awslogs-stream-prefix", Node::str(name)),
                        ]),
                    ),
                ]),
            ));
        }
        if first {
            let mut secrets = Vec::new();
            if r.has(&Feature::SecretsManager) {
                secrets.push(Node::map(vec![
                    ("Name", Node::str("APP_SECRET")),
                    ("ValueFrom", Node::reference("AppSecret")),
                ]));
            }
            if r.has(&Feature::Ssm) {
                secrets.push(Node::map(vec![
                    ("Name", Node::str("APP_PARAMETER")),
                    ("ValueFrom", Node::reference("AppParameter")),
                ]));
            }
            if !secrets.is_empty() {
                entries.push(("Secrets", Node::Seq(secrets)));
            }
            if r.efs() {
                entries.push((
                    "MountPoints",
                    Node::Seq(vec![Node::map(vec![
                        ("SourceVolume", Node::str("data")),
                        ("ContainerPath", Node::str("/data")),
                    ])]),
                ));
            }
        }
        Node::map(entries)
    }

    fn task_definition(&mut self, exec: bool) {
        let r = self.r;
        let fargate = r.kind() == WorkloadKind::EcsFargate;
        let mut containers = Vec::new();
        if r.images().is_empty() {
            containers.push(self.container(
                "app",
                Node::sub("${AppRepository.RepositoryUri}:latest"),
                true,
            ));
        }
        for (i, image) in r.images().iter().enumerate() {
            let name = if i == 0 {
                "app".to_owned()
            } else {
                format!("app{}", i + 1)
            };
            containers.push(self.container(&name, Node::str(image.as_str()), i == 0));
        }
        let mut properties = vec![
            (
                "RequiresCompatibilities",
                Node::Seq(vec![Node::str(if fargate { "FARGATE" } else { "EC2" })]),
            ),
            ("NetworkMode", Node::str("awsvpc")),
            ("Cpu", Node::str("256")),
            ("Memory", Node::str("512")),
            ("ExecutionRoleArn", Node::get_att("ExecutionRole.Arn")),
        ];
        if exec {
            properties.push(("TaskRoleArn", Node::get_att("TaskRole.Arn")));
        }
        properties.push(("ContainerDefinitions", Node::Seq(containers)));
        if r.efs() {
            properties.push((
                "Volumes",
                Node::Seq(vec![Node::map(vec![
                    ("Name", Node::str("data")),
                    (
                        "EFSVolumeConfiguration",
                        Node::map(vec![
                            ("FilesystemId", Node::reference("FileSystem")),
                            ("TransitEncryption", Node::str("ENABLED")),
                        ]),
                    ),
                ])]),
            ));
        }
        self.add(
            &[],
            "TaskDefinition",
            "AWS::ECS::TaskDefinition",
            Some(Node::map(properties)),
        );
    }

    fn service(&mut self, exec: bool) {
        let r = self.r;
        let mut properties = vec![
            ("Cluster", Node::reference("Cluster")),
            ("TaskDefinition", Node::reference("TaskDefinition")),
            ("DesiredCount", Node::raw(r.desired_count().to_string())),
        ];
        if r.kind() == WorkloadKind::EcsFargate {
            properties.push(("LaunchType", Node::str("FARGATE")));
            if let Some(v) = &r.plan.request.platform_version {
                properties.push(("PlatformVersion", Node::str(v.as_str())));
            }
        } else {
            properties.push((
                "CapacityProviderStrategy",
                Node::Seq(vec![Node::map(vec![
                    ("CapacityProvider", Node::reference("CapacityProvider")),
                    ("Weight", Node::raw("1")),
                ])]),
            ));
        }
        if exec {
            properties.push(("EnableExecuteCommand", Node::raw("true")));
        }
        properties.push((
            "NetworkConfiguration",
            Node::map(vec![(
                "AwsvpcConfiguration",
                Node::map(vec![
                    ("AssignPublicIp", Node::str("DISABLED")),
                    ("Subnets", self.each_az("AppSubnet")),
                    (
                        "SecurityGroups",
                        Node::Seq(vec![Node::reference("AppSecurityGroup")]),
                    ),
                ]),
            )]),
        ));
        if r.has(&Feature::ServiceConnect) {
            properties.push((
                "ServiceConnectConfiguration",
                Node::map(vec![
                    ("Enabled", Node::raw("true")),
                    ("Namespace", Node::get_att("Namespace.Arn")),
                ]),
            ));
        }
        let properties = Node::map(properties);
        if r.kind() == WorkloadKind::EcsEc2 {
            self.add_with(
                "Service",
                "AWS::ECS::Service",
                properties,
                "ClusterCapacityProviders",
            );
        } else {
            self.add(&[], "Service", "AWS::ECS::Service", Some(properties));
        }
    }

    fn eks(&mut self) {
        let fargate = self.r.kind() == WorkloadKind::EksFargate;
        self.role(
            &[
                "The example workload: an EKS cluster whose API server has only a private endpoint",
                "(nodes register through it), and its compute in the app subnets. EKS attaches the",
                "cluster security group, which allows all egress; the endpoints admit the whole VPC.",
            ],
            "ClusterRole",
            "eks.amazonaws.com",
            &["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
            Vec::new(),
        );
        self.add(
            &[],
            "EksCluster",
            "AWS::EKS::Cluster",
            Some(Node::map(vec![
                ("RoleArn", Node::get_att("ClusterRole.Arn")),
                (
                    "ResourcesVpcConfig",
                    Node::map(vec![
                        ("SubnetIds", self.each_az("AppSubnet")),
                        ("EndpointPrivateAccess", Node::raw("true")),
                        ("EndpointPublicAccess", Node::raw("false")),
                    ]),
                ),
            ])),
        );
        if fargate {
            self.role(
                &[
                    "Pods of these namespaces run on Fargate; CoreDNS (kube-system) needs its",
                    "eks.amazonaws.com/compute-type annotation removed to be scheduled there.",
                ],
                "PodExecutionRole",
                "eks-fargate-pods.amazonaws.com",
                &["arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"],
                Vec::new(),
            );
            self.add(
                &[],
                "FargateProfile",
                "AWS::EKS::FargateProfile",
                Some(Node::map(vec![
                    ("ClusterName", Node::reference("EksCluster")),
                    ("PodExecutionRoleArn", Node::get_att("PodExecutionRole.Arn")),
                    ("Subnets", self.each_az("AppSubnet")),
                    (
                        "Selectors",
                        Node::Seq(vec![
                            Node::map(vec![("Namespace", Node::str("default"))]),
                            Node::map(vec![("Namespace", Node::str("kube-system"))]),
                        ]),
                    ),
                ])),
            );
        } else {
            self.role(
                &[],
                "NodeRole",
                "ec2.amazonaws.com",
                &[
                    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                ],
                Vec::new(),
            );
            self.add(
                &[],
                "NodeGroup",
                "AWS::EKS::Nodegroup",
                Some(Node::map(vec![
                    ("ClusterName", Node::reference("EksCluster")),
                    ("NodeRole", Node::get_att("NodeRole.Arn")),
                    ("Subnets", self.each_az("AppSubnet")),
                    (
                        "ScalingConfig",
                        Node::map(vec![
                            ("DesiredSize", Node::raw("2")),
                            ("MinSize", Node::raw("1")),
                            ("MaxSize", Node::raw("3")),
                        ]),
                    ),
                ])),
            );
        }
    }
}
