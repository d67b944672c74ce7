//! The snapshot form: one region of an account as `privlink aws scan --save` writes it (AWS API
//! field names, each resource's id first, lists sorted by id, pretty-printed).

use std::path::Path;

use serde_json::{Value, json};

use crate::{ACCOUNT, AZS, REGION, VpcSpec};

/// The S3 prefix list of the region.
const S3_PREFIX_LIST: &str = "pl-6da54004";

/// An id of `kind` (`vpc`, `subnet`, ...) for the `n`th such resource: 17 hex digits, as AWS
/// writes them, so sorting by id keeps the generation order.
fn id(kind: &str, n: usize) -> String {
    format!("{kind}-{n:017x}")
}

/// Writes the snapshot of the organisation to `path`.
///
/// # Errors
/// When the file cannot be written.
pub fn write(path: &Path, org: &[VpcSpec]) -> std::io::Result<()> {
    std::fs::write(path, render(org))
}

/// The snapshot of the organisation as text.
#[must_use]
pub fn render(org: &[VpcSpec]) -> String {
    let mut region = serde_json::Map::new();
    region.insert("region".into(), REGION.into());
    let mut lists: [(&str, Vec<Value>); 9] = [
        ("vpcs", vec![]),
        ("subnets", vec![]),
        ("route_tables", vec![]),
        ("security_groups", vec![]),
        ("network_acls", vec![]),
        ("vpc_endpoints", vec![]),
        ("ecs_clusters", vec![]),
        ("ecs_services", vec![]),
        ("task_definitions", vec![]),
    ];
    for vpc in org {
        for (list, items) in resources(vpc) {
            let slot = lists
                .iter_mut()
                .find(|(name, _)| *name == list)
                .expect("a known list");
            slot.1.extend(items);
        }
    }
    for (name, items) in lists {
        region.insert(name.into(), Value::Array(items));
        if name == "vpc_endpoints" {
            region.insert(
                "prefix_lists".into(),
                json!([{
                    "PrefixListId": S3_PREFIX_LIST,
                    "PrefixListName": format!("com.amazonaws.{REGION}.s3"),
                    "Cidrs": ["52.218.0.0/17", "3.5.64.0/21"],
                }]),
            );
        }
    }
    let snapshot = json!({
        "privlink_snapshot": 1,
        "generator": "privlink_orggen",
        "account": ACCOUNT,
        "regions": [Value::Object(region)],
    });
    let mut text = serde_json::to_string_pretty(&snapshot).expect("JSON values serialise");
    text.push('\n');
    text
}

/// The resources of one VPC, by snapshot list.
fn resources(vpc: &VpcSpec) -> Vec<(&'static str, Vec<Value>)> {
    let i = vpc.index;
    let vpc_id = id("vpc", i);
    let subnet = |k: usize| id("subnet", i * 16 + k);
    let app_subnets: Vec<String> = (0..6).map(subnet).collect();
    let endpoint_subnets: Vec<String> = (8..11).map(subnet).collect();
    let table = |k: usize| id("rtb", i * 8 + k);
    let (endpoint_table, main_table) = (table(3), table(4));
    let (default_sg, endpoint_sg, app_sg) =
        (id("sg", i * 4), id("sg", i * 4 + 1), id("sg", i * 4 + 2));
    let s3_endpoint = id("vpce", i * 8 + 7);
    let s3_tables: Vec<String> = if vpc.s3_gateway_misplaced() {
        vec![endpoint_table.clone()]
    } else {
        (0..3).map(table).collect()
    };

    let vpcs = vec![json!({
        "VpcId": vpc_id,
        "IsDefault": false,
        "CidrBlocks": [vpc.cidr],
        "EnableDnsSupport": true,
        "EnableDnsHostnames": vpc.dns_hostnames(),
        "Tags": [{"Key": "Name", "Value": vpc.name}],
    })];
    let subnets = (0..6)
        .map(|k| (k, AZS[k % 3]))
        .chain((8..11).map(|k| (k, AZS[k - 8])))
        .map(|(k, az)| {
            json!({
                "SubnetId": subnet(k),
                "VpcId": vpc_id,
                "CidrBlock": vpc.subnet_cidr(k),
                "AvailabilityZone": az,
                "MapPublicIpOnLaunch": false,
            })
        })
        .collect();
    let route_table = |rtb: &str, associations: Vec<Value>| {
        let mut routes = vec![
            json!({"DestinationCidrBlock": vpc.cidr, "GatewayId": "local", "State": "active"}),
        ];
        if s3_tables.iter().any(|t| t == rtb) {
            routes.push(json!({"DestinationPrefixListId": S3_PREFIX_LIST, "GatewayId": s3_endpoint, "State": "active"}));
        }
        json!({"RouteTableId": rtb, "VpcId": vpc_id, "Associations": associations, "Routes": routes})
    };
    let association = |rtb: &str, n: usize, subnet: &str| json!({"RouteTableAssociationId": format!("rtbassoc-{:017x}", i * 16 + n), "Main": false, "SubnetId": subnet, "RouteTableId": rtb});
    let mut route_tables: Vec<Value> = (0..3)
        .map(|k| {
            let rtb = table(k);
            let associations = [k, k + 3]
                .into_iter()
                .map(|s| association(&rtb, s, &app_subnets[s]))
                .collect();
            route_table(&rtb, associations)
        })
        .collect();
    route_tables.push(route_table(
        &endpoint_table,
        (0..3)
            .map(|k| association(&endpoint_table, 8 + k, &endpoint_subnets[k]))
            .collect(),
    ));
    route_tables.push(route_table(
        &main_table,
        vec![json!({"RouteTableAssociationId": format!("rtbassoc-{:017x}", i * 16 + 15), "Main": true})],
    ));
    let all_traffic = json!({"IpProtocol": "-1", "IpRanges": ["0.0.0.0/0"]});
    let https_port = |port: u16, peer: &str| json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [peer]});
    let security_groups = vec![
        json!({"GroupId": default_sg, "GroupName": "default", "VpcId": vpc_id,
               "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [default_sg]}],
               "IpPermissionsEgress": [all_traffic]}),
        json!({"GroupId": endpoint_sg, "GroupName": format!("{}-endpoints", vpc.name), "VpcId": vpc_id,
               "IpPermissions": [https_port(vpc.endpoint_ingress_port(), &vpc.cidr)],
               "IpPermissionsEgress": [all_traffic]}),
        json!({"GroupId": app_sg, "GroupName": format!("{}-app", vpc.name), "VpcId": vpc_id,
               "IpPermissions": [],
               "IpPermissionsEgress": [https_port(vpc.workload_egress_port(), "0.0.0.0/0")]}),
    ];
    let entry = |rule: i32, egress: bool, action: &str| json!({"RuleNumber": rule, "Egress": egress, "Protocol": "-1", "RuleAction": action, "CidrBlock": "0.0.0.0/0"});
    let network_acls = vec![json!({
        "NetworkAclId": id("acl", i),
        "VpcId": vpc_id,
        "IsDefault": true,
        "SubnetIds": app_subnets.iter().chain(&endpoint_subnets).collect::<Vec<_>>(),
        "Entries": [entry(100, false, "allow"), entry(32767, false, "deny"), entry(100, true, "allow"), entry(32767, true, "deny")],
    })];
    let mut vpc_endpoints: Vec<Value> = crate::INTERFACE_SERVICES
        .into_iter()
        .enumerate()
        .filter(|(_, s)| vpc.interface_services().contains(s))
        .map(|(k, service)| {
            json!({
                "VpcEndpointId": id("vpce", i * 8 + k),
                "VpcId": vpc_id,
                "ServiceName": format!("com.amazonaws.{REGION}.{service}"),
                "VpcEndpointType": "Interface",
                "State": "available",
                "PrivateDnsEnabled": vpc.private_dns(service),
                "SubnetIds": endpoint_subnets,
                "GroupIds": [endpoint_sg],
            })
        })
        .collect();
    vpc_endpoints.push(json!({
        "VpcEndpointId": s3_endpoint,
        "VpcId": vpc_id,
        "ServiceName": format!("com.amazonaws.{REGION}.s3"),
        "VpcEndpointType": "Gateway",
        "State": "available",
        "PrivateDnsEnabled": false,
        "RouteTableIds": s3_tables,
    }));
    let cluster_arn = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{}", vpc.name);
    let task_arn = format!(
        "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{}:1",
        vpc.name
    );
    let clusters = vec![json!({"ClusterArn": cluster_arn, "ClusterName": vpc.name})];
    let services = vec![json!({
        "ServiceArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{0}/{0}", vpc.name),
        "ServiceName": vpc.name,
        "ClusterArn": cluster_arn,
        "LaunchType": "FARGATE",
        "PlatformVersion": "1.4.0",
        "TaskDefinition": task_arn,
        "Subnets": app_subnets,
        "SecurityGroups": [app_sg],
        "AssignPublicIp": false,
        "Awsvpc": true,
    })];
    let task_definitions = vec![json!({
        "TaskDefinitionArn": task_arn,
        "Family": vpc.name,
        "RequiresCompatibilities": ["FARGATE"],
        "ContainerDefinitions": [{
            "name": "app",
            "image": vpc.image(),
            "essential": true,
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": vpc.secret_arn()}],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": format!("/ecs/{}", vpc.name),
                "awslogs-region": REGION,
                "awslogs-stream-prefix": "app",
            }},
        }],
    })];
    vec![
        ("vpcs", vpcs),
        ("subnets", subnets),
        ("route_tables", route_tables),
        ("security_groups", security_groups),
        ("network_acls", network_acls),
        ("vpc_endpoints", vpc_endpoints),
        ("ecs_clusters", clusters),
        ("ecs_services", services),
        ("task_definitions", task_definitions),
    ]
}
