//! The networks of the examples, built through the AWS SDK against moto, as Terraform would create
//! them (an `aws_security_group` loses AWS's default allow-all egress rule, so it is revoked here too).

use privlink_aws::sdk::config::{BehaviorVersion, Region, SdkConfig};
use privlink_aws::sdk::ec2::Client as Ec2;
use privlink_aws::sdk::ec2::config::{Credentials, SharedCredentialsProvider};
use privlink_aws::sdk::ec2::types::{
    AttributeBooleanValue, IpPermission, IpRange, PrefixListId, UserIdGroupPair, VpcEndpointType,
};
use privlink_aws::sdk::ecs::Client as Ecs;

use super::moto::Moto;
use privlink_aws::sdk::ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, Compatibility, ContainerDefinition, LaunchType,
    LogConfiguration, LogDriver, NetworkConfiguration, NetworkMode, Secret,
};

/// An SDK configuration for `region` pointing at `moto`, with test credentials.
pub(crate) fn sdk_config(moto: &Moto, region: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(moto.url())
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "moto",
        )))
        .build()
}

/// What to leave out or get wrong, to make a broken variant.
#[derive(Clone, Debug, Default)]
pub(crate) struct Variant {
    /// Leave `enableDnsHostnames` at AWS's default (false), as seed 000 as written does.
    pub(crate) dns_hostnames_off: bool,
    /// Interface endpoint services not to create.
    pub(crate) without: Vec<&'static str>,
    /// Leave out the S3 gateway endpoint.
    pub(crate) without_s3_gateway: bool,
    /// Interface endpoint services created without security groups (AWS attaches the VPC default).
    pub(crate) default_group: Vec<&'static str>,
}

fn on() -> AttributeBooleanValue {
    AttributeBooleanValue::builder().value(true).build()
}

fn https() -> privlink_aws::sdk::ec2::types::builders::IpPermissionBuilder {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
}

async fn vpc(ec2: &Ec2, cidr: &str, variant: &Variant) -> String {
    let vpc = ec2
        .create_vpc()
        .cidr_block(cidr)
        .send()
        .await
        .expect("CreateVpc")
        .vpc()
        .and_then(|v| v.vpc_id())
        .expect("vpc id")
        .to_owned();
    ec2.modify_vpc_attribute()
        .vpc_id(&vpc)
        .enable_dns_support(on())
        .send()
        .await
        .expect("ModifyVpcAttribute");
    if !variant.dns_hostnames_off {
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(on())
            .send()
            .await
            .expect("ModifyVpcAttribute");
    }
    vpc
}

async fn subnet(ec2: &Ec2, vpc: &str, cidr: &str, az: &str) -> String {
    let out = ec2
        .create_subnet()
        .vpc_id(vpc)
        .cidr_block(cidr)
        .availability_zone(az)
        .send()
        .await
        .expect("CreateSubnet");
    out.subnet()
        .and_then(|s| s.subnet_id())
        .expect("subnet id")
        .to_owned()
}

/// A security group as Terraform leaves it: no egress until rules add some.
async fn group(ec2: &Ec2, vpc: &str, name: &str) -> String {
    let id = ec2
        .create_security_group()
        .vpc_id(vpc)
        .group_name(name)
        .description(name)
        .send()
        .await
        .expect("CreateSecurityGroup");
    let id = id.group_id().expect("group id").to_owned();
    let all = IpPermission::builder()
        .ip_protocol("-1")
        .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
        .build();
    ec2.revoke_security_group_egress()
        .group_id(&id)
        .ip_permissions(all)
        .send()
        .await
        .expect("RevokeSecurityGroupEgress");
    id
}

async fn ingress(ec2: &Ec2, group: &str, permission: IpPermission) {
    ec2.authorize_security_group_ingress()
        .group_id(group)
        .ip_permissions(permission)
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
}

async fn egress(ec2: &Ec2, group: &str, permission: IpPermission) {
    ec2.authorize_security_group_egress()
        .group_id(group)
        .ip_permissions(permission)
        .send()
        .await
        .expect("AuthorizeSecurityGroupEgress");
}

async fn route_table(ec2: &Ec2, vpc: &str, subnets: &[&str]) -> String {
    let rt = ec2
        .create_route_table()
        .vpc_id(vpc)
        .send()
        .await
        .expect("CreateRouteTable");
    let rt = rt
        .route_table()
        .and_then(|t| t.route_table_id())
        .expect("route table id")
        .to_owned();
    for s in subnets {
        ec2.associate_route_table()
            .route_table_id(&rt)
            .subnet_id(*s)
            .send()
            .await
            .expect("AssociateRouteTable");
    }
    rt
}

async fn s3_gateway(ec2: &Ec2, region: &str, vpc: &str, route_table: &str) -> String {
    let out = ec2
        .create_vpc_endpoint()
        .vpc_endpoint_type(VpcEndpointType::Gateway)
        .vpc_id(vpc)
        .service_name(format!("com.amazonaws.{region}.s3"))
        .route_table_ids(route_table)
        .send()
        .await
        .expect("CreateVpcEndpoint Gateway");
    out.vpc_endpoint()
        .and_then(|e| e.vpc_endpoint_id())
        .expect("endpoint id")
        .to_owned()
}

async fn interface(
    ec2: &Ec2,
    region: &str,
    vpc: &str,
    service: &str,
    subnets: &[&str],
    group: Option<&str>,
) {
    ec2.create_vpc_endpoint()
        .vpc_endpoint_type(VpcEndpointType::Interface)
        .vpc_id(vpc)
        .service_name(format!("com.amazonaws.{region}.{service}"))
        .set_subnet_ids(Some(subnets.iter().map(|s| (*s).to_owned()).collect()))
        .set_security_group_ids(group.map(|g| vec![g.to_owned()]))
        .private_dns_enabled(true)
        .send()
        .await
        .expect("CreateVpcEndpoint Interface");
}

async fn s3_prefix_list(ec2: &Ec2, region: &str) -> String {
    let lists = ec2
        .describe_prefix_lists()
        .send()
        .await
        .expect("DescribePrefixLists");
    let name = format!("com.amazonaws.{region}.s3");
    lists
        .prefix_lists()
        .iter()
        .find(|p| p.prefix_list_name() == Some(name.as_str()))
        .and_then(|p| p.prefix_list_id())
        .expect("the S3 prefix list")
        .to_owned()
}

/// A Fargate service `app` running `image` with awslogs and the given secrets.
async fn fargate_service(
    ecs: &Ecs,
    subnets: &[&str],
    group: &str,
    image: &str,
    secrets: &[(&str, String)],
    platform: Option<&str>,
) {
    ecs.create_cluster()
        .cluster_name("main")
        .send()
        .await
        .expect("CreateCluster");
    let mut container = ContainerDefinition::builder()
        .name("app")
        .image(image)
        .essential(true)
        .log_configuration(
            LogConfiguration::builder()
                .log_driver(LogDriver::Awslogs)
                .options("awslogs-group", "/ecs/app")
                .options("awslogs-stream-prefix", "app")
                .build()
                .expect("log configuration"),
        );
    for (name, arn) in secrets {
        container = container.secrets(
            Secret::builder()
                .name(*name)
                .value_from(arn)
                .build()
                .expect("secret"),
        );
    }
    let task = ecs
        .register_task_definition()
        .family("app")
        .requires_compatibilities(Compatibility::Fargate)
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .execution_role_arn("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
        .container_definitions(container.build())
        .send()
        .await
        .expect("RegisterTaskDefinition");
    let arn = task
        .task_definition()
        .and_then(|t| t.task_definition_arn())
        .expect("task definition arn")
        .to_owned();
    let network = NetworkConfiguration::builder()
        .awsvpc_configuration(
            AwsVpcConfiguration::builder()
                .set_subnets(Some(subnets.iter().map(|s| (*s).to_owned()).collect()))
                .security_groups(group)
                .assign_public_ip(AssignPublicIp::Disabled)
                .build()
                .expect("awsvpc configuration"),
        )
        .build();
    ecs.create_service()
        .cluster("main")
        .service_name("app")
        .task_definition(arn)
        .desired_count(1)
        .launch_type(LaunchType::Fargate)
        .set_platform_version(platform.map(str::to_owned))
        .network_configuration(network)
        .send()
        .await
        .expect("CreateService");
}

/// `examples/fargate-secrets`: one isolated subnet, six endpoints, a Fargate service with
/// Secrets Manager and SSM secrets.
pub(crate) async fn seed_001(config: &SdkConfig, variant: &Variant) {
    let region = config.region().expect("a region").to_string();
    let ec2 = Ec2::new(config);
    let vpc = vpc(&ec2, "10.1.0.0/16", variant).await;
    let private_a = subnet(&ec2, &vpc, "10.1.1.0/24", &format!("{region}a")).await;
    let rt = route_table(&ec2, &vpc, &[&private_a]).await;
    let endpoints = group(&ec2, &vpc, "vpc-endpoint").await;
    ingress(
        &ec2,
        &endpoints,
        https()
            .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").build())
            .build(),
    )
    .await;
    if !variant.without_s3_gateway {
        s3_gateway(&ec2, &region, &vpc, &rt).await;
    }
    for service in ["ecr.dkr", "ecr.api", "secretsmanager", "ssm", "logs"] {
        if !variant.without.contains(&service) {
            let sg = (!variant.default_group.contains(&service)).then_some(endpoints.as_str());
            interface(&ec2, &region, &vpc, service, &[&private_a], sg).await;
        }
    }
    let app = group(&ec2, &vpc, "app").await;
    egress(
        &ec2,
        &app,
        https()
            .user_id_group_pairs(UserIdGroupPair::builder().group_id(&endpoints).build())
            .build(),
    )
    .await;
    let pl = s3_prefix_list(&ec2, &region).await;
    egress(
        &ec2,
        &app,
        https()
            .prefix_list_ids(PrefixListId::builder().prefix_list_id(pl).build())
            .build(),
    )
    .await;
    let secrets = [
        (
            "DB_PASSWORD",
            format!(
                "arn:aws:secretsmanager:{region}:123456789012:secret:sandbox/db-password-AbCdEf"
            ),
        ),
        (
            "API_KEY",
            format!("arn:aws:ssm:{region}:123456789012:parameter/sandbox/api-key"),
        ),
    ];
    let image = format!("123456789012.dkr.ecr.{region}.amazonaws.com/app:latest");
    fargate_service(
        &Ecs::new(config),
        &[&private_a],
        &app,
        &image,
        &secrets,
        None,
    )
    .await;
}

/// `examples/dedicated-endpoint-subnets`: four application subnets in two AZs, a dedicated endpoint subnet
/// per AZ, the S3 gateway on the application route table, a Fargate 1.4.0 service with awslogs.
pub(crate) async fn seed_000(config: &SdkConfig, variant: &Variant) {
    let region = config.region().expect("a region").to_string();
    let (az_a, az_c) = (format!("{region}a"), format!("{region}c"));
    let ec2 = Ec2::new(config);
    let vpc = vpc(&ec2, "10.0.0.0/16", variant).await;
    let app_1a_1 = subnet(&ec2, &vpc, "10.0.1.0/24", &az_a).await;
    let app_1a_2 = subnet(&ec2, &vpc, "10.0.2.0/24", &az_a).await;
    let app_1c_1 = subnet(&ec2, &vpc, "10.0.4.0/24", &az_c).await;
    let app_1c_2 = subnet(&ec2, &vpc, "10.0.5.0/24", &az_c).await;
    let endpoint_1a = subnet(&ec2, &vpc, "10.0.3.0/24", &az_a).await;
    let endpoint_1c = subnet(&ec2, &vpc, "10.0.6.0/24", &az_c).await;
    let app_subnets = [
        app_1a_1.as_str(),
        app_1a_2.as_str(),
        app_1c_1.as_str(),
        app_1c_2.as_str(),
    ];
    let rt = route_table(&ec2, &vpc, &app_subnets).await;
    let endpoints = group(&ec2, &vpc, "vpc_endpoint_sg").await;
    ingress(
        &ec2,
        &endpoints,
        https()
            .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/16").build())
            .build(),
    )
    .await;
    egress(
        &ec2,
        &endpoints,
        https()
            .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/16").build())
            .build(),
    )
    .await;
    if !variant.without_s3_gateway {
        s3_gateway(&ec2, &region, &vpc, &rt).await;
    }
    for service in ["ecr.dkr", "ecr.api", "logs"] {
        if !variant.without.contains(&service) {
            let sg = (!variant.default_group.contains(&service)).then_some(endpoints.as_str());
            interface(
                &ec2,
                &region,
                &vpc,
                service,
                &[&endpoint_1a, &endpoint_1c],
                sg,
            )
            .await;
        }
    }
    let app = group(&ec2, &vpc, "app").await;
    egress(
        &ec2,
        &app,
        https()
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build(),
    )
    .await;
    let image = format!("123456789012.dkr.ecr.{region}.amazonaws.com/app:1.0.0");
    fargate_service(
        &Ecs::new(config),
        &app_subnets,
        &app,
        &image,
        &[],
        Some("1.4.0"),
    )
    .await;
}

/// `examples/eks-privatelink`: EKS nodes (a managed node group with a launch template) whose
/// only egress is the endpoints' security group and the S3 prefix list.
pub(crate) async fn seed_003(config: &SdkConfig) {
    let region = config.region().expect("a region").to_string();
    let ec2 = Ec2::new(config);
    let vpc = vpc(&ec2, "10.2.0.0/16", &Variant::default()).await;
    let a = subnet(&ec2, &vpc, "10.2.10.0/24", &format!("{region}a")).await;
    let c = subnet(&ec2, &vpc, "10.2.11.0/24", &format!("{region}c")).await;
    let rt = route_table(&ec2, &vpc, &[&a, &c]).await;
    let endpoints = group(&ec2, &vpc, "sample-ecr-privatelink").await;
    let node = group(&ec2, &vpc, "sample-node").await;
    ingress(
        &ec2,
        &endpoints,
        https()
            .user_id_group_pairs(UserIdGroupPair::builder().group_id(&node).build())
            .build(),
    )
    .await;
    egress(
        &ec2,
        &node,
        https()
            .user_id_group_pairs(UserIdGroupPair::builder().group_id(&endpoints).build())
            .build(),
    )
    .await;
    let pl = s3_prefix_list(&ec2, &region).await;
    egress(
        &ec2,
        &node,
        https()
            .prefix_list_ids(PrefixListId::builder().prefix_list_id(pl).build())
            .build(),
    )
    .await;
    s3_gateway(&ec2, &region, &vpc, &rt).await;
    for service in ["ecr.api", "ecr.dkr", "ec2", "sts", "logs"] {
        interface(&ec2, &region, &vpc, service, &[&a, &c], Some(&endpoints)).await;
    }
    let template = ec2
        .create_launch_template()
        .launch_template_name("sample-node")
        .launch_template_data(
            privlink_aws::sdk::ec2::types::RequestLaunchTemplateData::builder()
                .security_group_ids(&node)
                .build(),
        )
        .send()
        .await
        .expect("CreateLaunchTemplate");
    let template = template
        .launch_template()
        .and_then(|t| t.launch_template_id())
        .expect("launch template id")
        .to_owned();
    let eks = privlink_aws::sdk::eks::Client::new(config);
    eks.create_cluster()
        .name("sample")
        .role_arn("arn:aws:iam::123456789012:role/eks-cluster")
        .resources_vpc_config(
            privlink_aws::sdk::eks::types::VpcConfigRequest::builder()
                .subnet_ids(&a)
                .subnet_ids(&c)
                .endpoint_private_access(true)
                .endpoint_public_access(false)
                .build(),
        )
        .send()
        .await
        .expect("CreateCluster");
    eks.create_nodegroup()
        .cluster_name("sample")
        .nodegroup_name("sample")
        .node_role("arn:aws:iam::123456789012:role/eks-node")
        .subnets(&a)
        .subnets(&c)
        .launch_template(
            privlink_aws::sdk::eks::types::LaunchTemplateSpecification::builder()
                .id(template)
                .version("$Latest")
                .build(),
        )
        .send()
        .await
        .expect("CreateNodegroup");
}
