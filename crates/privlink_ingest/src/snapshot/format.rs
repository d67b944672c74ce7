//! The snapshot format, version 1: what `privlink aws scan --save` writes and `check --aws-snapshot`
//! reads.
//!
//! The envelope is privlink's own (`privlink_snapshot`, `account`, `regions`, snake_case); each
//! resource keeps the shape and the PascalCase field names of the EC2, ECS and EKS API outputs it
//! comes from (`VpcId`, `IpPermissionsEgress`, `ResourcesVpcConfig`, ...), trimmed to what the
//! analysis uses, so a snapshot reads like `aws ec2 describe-*` output and can be diffed between scans.
//!
//! Invariants the writer keeps and the reader relies on for locations: every resource's own id is
//! its first field, and the document is pretty-printed, so the line after a resource's `{` names it.
//! Lists are written in the order the scanner sorted them (by id), so two scans of an unchanged
//! account give the same text.

use serde::{Deserialize, Serialize};

/// The version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A scan of one account, in one or more regions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format version ([`SNAPSHOT_VERSION`]).
    pub privlink_snapshot: u32,
    /// The tool that wrote it, e.g. `privlink 0.1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// The AWS account id (from `sts:GetCallerIdentity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// One entry per scanned region.
    #[serde(default)]
    pub regions: Vec<RegionSnapshot>,
}

/// Everything scanned in one region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionSnapshot {
    /// The region name.
    pub region: String,
    /// Calls that failed; the resources they would have returned are missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ScanError>,
    /// `ec2:DescribeVpcs` plus `ec2:DescribeVpcAttribute`.
    #[serde(default)]
    pub vpcs: Vec<Vpc>,
    /// `ec2:DescribeSubnets`.
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    /// `ec2:DescribeRouteTables`.
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
    /// `ec2:DescribeSecurityGroups`.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    /// `ec2:DescribeNetworkAcls`.
    #[serde(default)]
    pub network_acls: Vec<NetworkAcl>,
    /// `ec2:DescribeVpcEndpoints`.
    #[serde(default)]
    pub vpc_endpoints: Vec<VpcEndpoint>,
    /// `ec2:DescribePrefixLists`: the AWS-managed prefix lists of services (S3, DynamoDB).
    #[serde(default)]
    pub prefix_lists: Vec<PrefixList>,
    /// `ec2:DescribeInternetGateways`.
    #[serde(default)]
    pub internet_gateways: Vec<InternetGateway>,
    /// `ec2:DescribeNatGateways`.
    #[serde(default)]
    pub nat_gateways: Vec<NatGateway>,
    /// `ecs:ListClusters` + `ecs:DescribeClusters`.
    #[serde(default)]
    pub ecs_clusters: Vec<EcsCluster>,
    /// `ecs:ListServices` + `ecs:DescribeServices`.
    #[serde(default)]
    pub ecs_services: Vec<EcsService>,
    /// `ecs:DescribeTaskDefinition` for each service's task definition.
    #[serde(default)]
    pub task_definitions: Vec<TaskDefinition>,
    /// `eks:ListClusters` + `eks:DescribeCluster`.
    #[serde(default)]
    pub eks_clusters: Vec<EksCluster>,
    /// `eks:ListNodegroups` + `eks:DescribeNodegroup`.
    #[serde(default)]
    pub eks_nodegroups: Vec<EksNodegroup>,
    /// `eks:ListFargateProfiles` + `eks:DescribeFargateProfile`.
    #[serde(default)]
    pub eks_fargate_profiles: Vec<EksFargateProfile>,
}

/// A call that failed during the scan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanError {
    /// The API call, e.g. `ec2:DescribeNatGateways`.
    pub call: String,
    /// The IAM permission it needs (the same name for every call privlink makes).
    pub permission: String,
    /// The resource kind left incomplete, e.g. `nat_gateways` (the snapshot field).
    pub collection: String,
    /// The error AWS returned.
    pub message: String,
}

/// A tag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// A VPC with its DNS attributes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// `vpc-...`.
    pub vpc_id: String,
    /// Whether it is the region's default VPC.
    #[serde(default)]
    pub is_default: bool,
    /// The associated IPv4 CIDR blocks, primary first.
    #[serde(default)]
    pub cidr_blocks: Vec<String>,
    /// `enableDnsSupport`; absent when `DescribeVpcAttribute` failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns_support: Option<bool>,
    /// `enableDnsHostnames`; absent when `DescribeVpcAttribute` failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns_hostnames: Option<bool>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A subnet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// `subnet-...`.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// IPv4 CIDR (absent for IPv6-only subnets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// AZ name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Whether instances get a public IPv4 address.
    #[serde(default)]
    pub map_public_ip_on_launch: bool,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A route table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// `rtb-...`.
    pub route_table_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Associations: `Main` marks the VPC's main route table; others name a subnet (or a gateway,
    /// for edge associations).
    #[serde(default)]
    pub associations: Vec<RouteTableAssociation>,
    /// Routes, including `local` and the routes AWS adds for gateway endpoints.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A route table association.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// `rtbassoc-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_association_id: Option<String>,
    /// Whether this is the main association.
    #[serde(default)]
    pub main: bool,
    /// The subnet, for a subnet association.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// The gateway, for an edge association.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
}

/// A route, with the API's destination and target fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// IPv4 destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<String>,
    /// IPv6 destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ipv6_cidr_block: Option<String>,
    /// Prefix-list destination (`pl-...`; gateway endpoint routes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    /// `local`, `igw-...`, `vgw-...` or `vpce-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    /// `nat-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    /// `eni-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    /// `i-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// `tgw-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
    /// `pcx-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    /// `eigw-...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_only_internet_gateway_id: Option<String>,
    /// Local, carrier gateway or core network targets privlink does not follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_target: Option<String>,
    /// `active` or `blackhole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// A security group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// `sg-...`.
    pub group_id: String,
    /// Its name (`default` for a VPC's default group).
    #[serde(default)]
    pub group_name: String,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Inbound rules.
    #[serde(default)]
    pub ip_permissions: Vec<IpPermission>,
    /// Outbound rules.
    #[serde(default)]
    pub ip_permissions_egress: Vec<IpPermission>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// One security-group permission: a protocol and ports for any number of peers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    /// `-1`, `tcp`, `udp`, `icmp` or a number.
    pub ip_protocol: String,
    /// First port (`-1` or absent for all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Last port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// IPv4 peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_ranges: Vec<String>,
    /// IPv6 peers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ipv6_ranges: Vec<String>,
    /// Prefix-list peers (`pl-...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix_list_ids: Vec<String>,
    /// Security-group peers (`sg-...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_id_group_pairs: Vec<String>,
}

/// A network ACL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// `acl-...`.
    pub network_acl_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Whether it is the VPC's default ACL.
    #[serde(default)]
    pub is_default: bool,
    /// The subnets associated with it.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Entries, both directions.
    #[serde(default)]
    pub entries: Vec<NetworkAclEntry>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A network ACL entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    /// Rule number (32767 is the final `*` deny).
    pub rule_number: i32,
    /// Outbound when true.
    pub egress: bool,
    /// `-1` or a protocol number.
    pub protocol: String,
    /// `allow` or `deny`.
    pub rule_action: String,
    /// IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<String>,
    /// IPv6 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<String>,
    /// Ports, for TCP and UDP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_range: Option<PortRange>,
}

/// A port range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    pub from: i32,
    /// Last port.
    pub to: i32,
}

/// A VPC endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    /// `vpce-...`.
    pub vpc_endpoint_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// `com.amazonaws.REGION.SERVICE`.
    pub service_name: String,
    /// `Interface`, `Gateway` or `GatewayLoadBalancer`.
    pub vpc_endpoint_type: String,
    /// `available`, `pending`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Private DNS (interface endpoints).
    #[serde(default)]
    pub private_dns_enabled: bool,
    /// Subnets with an ENI (interface endpoints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnet_ids: Vec<String>,
    /// Security groups (interface endpoints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<String>,
    /// Route tables (gateway endpoints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_table_ids: Vec<String>,
    /// The policy document as AWS returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_document: Option<String>,
    /// The service's region for cross-region PrivateLink.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_region: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// An AWS-managed prefix list of a service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixList {
    /// `pl-...`.
    pub prefix_list_id: String,
    /// `com.amazonaws.REGION.s3`.
    pub prefix_list_name: String,
    /// Its CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cidrs: Vec<String>,
}

/// An internet gateway.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    /// `igw-...`.
    pub internet_gateway_id: String,
    /// The VPCs it is attached to.
    #[serde(default)]
    pub attached_vpc_ids: Vec<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A NAT gateway.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    /// `nat-...`.
    pub nat_gateway_id: String,
    /// Its subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// `public` or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity_type: Option<String>,
    /// `available`, `pending`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// An ECS cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EcsCluster {
    /// The cluster ARN.
    pub cluster_arn: String,
    /// The cluster name.
    #[serde(default)]
    pub cluster_name: String,
    /// `configuration.executeCommandConfiguration.kmsKeyId`: ECS Exec sessions encrypted with KMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execute_command_kms_key_id: Option<String>,
}

/// An ECS service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EcsService {
    /// The service ARN.
    pub service_arn: String,
    /// The service name.
    pub service_name: String,
    /// Its cluster's ARN.
    #[serde(default)]
    pub cluster_arn: String,
    /// `FARGATE`, `EC2` or `EXTERNAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<String>,
    /// Capacity provider names of its strategy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<String>,
    /// Fargate platform version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    /// The task definition ARN.
    #[serde(default)]
    pub task_definition: String,
    /// `awsvpc` subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// `awsvpc` security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    /// `awsvpc` `assignPublicIp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_public_ip: Option<bool>,
    /// Whether the service has an `awsvpc` network configuration at all.
    #[serde(default)]
    pub awsvpc: bool,
    /// ECS Exec.
    #[serde(default)]
    pub enable_execute_command: bool,
    /// Service Connect on its current deployment.
    #[serde(default)]
    pub service_connect: bool,
}

/// An ECS task definition.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskDefinition {
    /// The task definition ARN.
    pub task_definition_arn: String,
    /// Its family.
    #[serde(default)]
    pub family: String,
    /// `FARGATE`, `EC2`, `EXTERNAL`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// `runtimePlatform.operatingSystemFamily`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
    /// EFS file systems its volumes mount.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub efs_file_system_ids: Vec<String>,
    /// The container definitions as `describe-task-definition` prints them (camelCase).
    #[serde(default)]
    pub container_definitions: serde_json::Value,
}

/// An EKS cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EksCluster {
    /// The cluster ARN.
    pub arn: String,
    /// The cluster name.
    pub name: String,
    /// Its network configuration.
    #[serde(default)]
    pub resources_vpc_config: EksVpcConfig,
}

/// `ResourcesVpcConfig` of an EKS cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EksVpcConfig {
    /// Control-plane subnets.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Additional control-plane security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    /// The cluster security group EKS creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_security_group_id: Option<String>,
    /// Its VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// Private API endpoint.
    #[serde(default)]
    pub endpoint_private_access: bool,
    /// Public API endpoint.
    #[serde(default)]
    pub endpoint_public_access: bool,
}

/// An EKS managed node group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EksNodegroup {
    /// The node group ARN.
    pub nodegroup_arn: String,
    /// Its name.
    pub nodegroup_name: String,
    /// Its cluster's name.
    pub cluster_name: String,
    /// Node subnets.
    #[serde(default)]
    pub subnets: Vec<String>,
    /// AMI type (`AL2023_x86_64_STANDARD`, `WINDOWS_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_type: Option<String>,
    /// The launch template's id, when the node group uses one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template_id: Option<String>,
    /// The security groups of that launch template version (`ec2:DescribeLaunchTemplateVersions`);
    /// absent when there is no launch template or they could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_template_security_group_ids: Option<Vec<String>>,
}

/// An EKS Fargate profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EksFargateProfile {
    /// The profile ARN.
    pub fargate_profile_arn: String,
    /// Its name.
    pub fargate_profile_name: String,
    /// Its cluster's name.
    pub cluster_name: String,
    /// Pod subnets.
    #[serde(default)]
    pub subnets: Vec<String>,
}
