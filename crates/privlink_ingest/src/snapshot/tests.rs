//! Lowering a small hand-made snapshot: AWS's own semantics, and locations in the document.

use privlink_model::{
    EndpointKind, Feature, Known, Location, PrefixListRef, ResourceId, RouteDestination,
    RouteTarget, SgPeer, WorkloadKind,
};
use serde_json::json;

use super::format::*;
use super::*;

fn sample() -> Snapshot {
    let region = RegionSnapshot {
        region: "ap-northeast-1".into(),
        vpcs: vec![Vpc { vpc_id: "vpc-1".into(), cidr_blocks: vec!["10.0.0.0/16".into()], enable_dns_support: Some(true), enable_dns_hostnames: None, ..Vpc::default() }],
        subnets: vec![
            Subnet { subnet_id: "subnet-a".into(), vpc_id: "vpc-1".into(), cidr_block: Some("10.0.1.0/24".into()), availability_zone: Some("ap-northeast-1a".into()), ..Subnet::default() },
            Subnet { subnet_id: "subnet-c".into(), vpc_id: "vpc-1".into(), cidr_block: Some("10.0.2.0/24".into()), availability_zone: Some("ap-northeast-1c".into()), ..Subnet::default() },
        ],
        route_tables: vec![
            RouteTable {
                route_table_id: "rtb-main".into(),
                vpc_id: "vpc-1".into(),
                associations: vec![RouteTableAssociation { main: true, route_table_association_id: Some("rtbassoc-m".into()), ..RouteTableAssociation::default() }],
                routes: vec![
                    Route { destination_cidr_block: Some("10.0.0.0/16".into()), gateway_id: Some("local".into()), ..Route::default() },
                    Route { destination_cidr_block: Some("0.0.0.0/0".into()), nat_gateway_id: Some("nat-1".into()), ..Route::default() },
                ],
                ..RouteTable::default()
            },
            RouteTable {
                route_table_id: "rtb-app".into(),
                vpc_id: "vpc-1".into(),
                associations: vec![RouteTableAssociation { subnet_id: Some("subnet-a".into()), route_table_association_id: Some("rtbassoc-a".into()), ..RouteTableAssociation::default() }],
                routes: vec![Route { destination_prefix_list_id: Some("pl-s3".into()), gateway_id: Some("vpce-s3".into()), ..Route::default() }],
                ..RouteTable::default()
            },
        ],
        security_groups: vec![
            SecurityGroup { group_id: "sg-default".into(), group_name: "default".into(), vpc_id: Some("vpc-1".into()), ..SecurityGroup::default() },
            SecurityGroup {
                group_id: "sg-app".into(),
                group_name: "app".into(),
                vpc_id: Some("vpc-1".into()),
                ip_permissions_egress: vec![IpPermission { ip_protocol: "tcp".into(), from_port: Some(443), to_port: Some(443), prefix_list_ids: vec!["pl-s3".into()], ..IpPermission::default() }],
                ..SecurityGroup::default()
            },
        ],
        network_acls: vec![NetworkAcl {
            network_acl_id: "acl-1".into(),
            vpc_id: "vpc-1".into(),
            is_default: true,
            subnet_ids: vec!["subnet-a".into()],
            entries: vec![NetworkAclEntry { rule_number: 100, egress: true, protocol: "-1".into(), rule_action: "allow".into(), cidr_block: Some("0.0.0.0/0".into()), ..NetworkAclEntry::default() }],
            ..NetworkAcl::default()
        }],
        vpc_endpoints: vec![VpcEndpoint {
            vpc_endpoint_id: "vpce-s3".into(),
            vpc_id: "vpc-1".into(),
            service_name: "com.amazonaws.ap-northeast-1.s3".into(),
            vpc_endpoint_type: "Gateway".into(),
            route_table_ids: vec!["rtb-app".into()],
            policy_document: Some(r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#.into()),
            ..VpcEndpoint::default()
        }],
        prefix_lists: vec![PrefixList { prefix_list_id: "pl-s3".into(), prefix_list_name: "com.amazonaws.ap-northeast-1.s3".into(), cidrs: vec![] }],
        ecs_services: vec![EcsService {
            service_arn: "arn:aws:ecs:ap-northeast-1:123456789012:service/main/app".into(),
            service_name: "app".into(),
            cluster_arn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/main".into(),
            launch_type: Some("FARGATE".into()),
            task_definition: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/app:1".into(),
            subnets: vec!["subnet-a".into(), "subnet-c".into()],
            security_groups: vec!["sg-app".into()],
            awsvpc: true,
            ..EcsService::default()
        }],
        task_definitions: vec![TaskDefinition {
            task_definition_arn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/app:1".into(),
            family: "app".into(),
            container_definitions: json!([{"name": "app", "image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1",
                "logConfiguration": {"logDriver": "awslogs"},
                "secrets": [{"name": "P", "valueFrom": "arn:aws:ssm:ap-northeast-1:123456789012:parameter/p"}]}]),
            ..TaskDefinition::default()
        }],
        eks_clusters: vec![EksCluster {
            arn: "arn:aws:eks:ap-northeast-1:123456789012:cluster/sample".into(),
            name: "sample".into(),
            resources_vpc_config: EksVpcConfig { subnet_ids: vec!["subnet-a".into()], cluster_security_group_id: Some("sg-default".into()), endpoint_private_access: true, ..EksVpcConfig::default() },
        }],
        eks_nodegroups: vec![EksNodegroup {
            nodegroup_arn: "arn:aws:eks:ap-northeast-1:123456789012:nodegroup/sample/app/1".into(),
            nodegroup_name: "app".into(),
            cluster_name: "sample".into(),
            subnets: vec!["subnet-c".into()],
            ..EksNodegroup::default()
        }],
        errors: vec![ScanError { call: "ec2:DescribeNatGateways".into(), permission: "ec2:DescribeNatGateways".into(), collection: "nat_gateways".into(), message: "denied".into() }],
        ..RegionSnapshot::default()
    };
    Snapshot {
        privlink_snapshot: SNAPSHOT_VERSION,
        account: Some("123456789012".into()),
        regions: vec![region],
        ..Snapshot::default()
    }
}

#[test]
fn lowers_with_aws_semantics() {
    let text = to_text(&sample());
    let (model, errors) = load_text(&text, "scan.json");
    assert!(errors.is_empty(), "{errors:?}");
    let vpc = &model.vpcs[&ResourceId::new("vpc-1")];
    assert_eq!(
        vpc.main_route_table,
        Known::Value(ResourceId::new("rtb-main"))
    );
    assert_eq!(vpc.default_security_group, ResourceId::new("sg-default"));
    assert_eq!(vpc.default_network_acl, ResourceId::new("acl-1"));
    assert_eq!(vpc.region, Known::Value("ap-northeast-1".into()));
    assert!(
        !vpc.dns_hostnames.is_known(),
        "an attribute the scan did not read stays unknown"
    );
    // subnet-c has no explicit association: it uses the main table.
    assert_eq!(
        model
            .effective_route_table(&ResourceId::new("subnet-c"))
            .value()
            .map(|a| a.route_table.clone()),
        Some(ResourceId::new("rtb-main"))
    );
    assert_eq!(
        model
            .effective_route_table(&ResourceId::new("subnet-a"))
            .value()
            .map(|a| a.route_table.clone()),
        Some(ResourceId::new("rtb-app"))
    );
    // `local` and the gateway endpoint's route are not routes of the model; the NAT route is.
    let main = &model.route_tables[&ResourceId::new("rtb-main")];
    assert_eq!(main.routes.known.len(), 1);
    assert!(matches!(
        main.routes.known[0].target,
        RouteTarget::NatGateway(_)
    ));
    assert!(matches!(
        main.routes.known[0].destination,
        RouteDestination::Ipv4(_)
    ));
    assert!(
        model.route_tables[&ResourceId::new("rtb-app")]
            .routes
            .is_known_empty()
    );
    let app = &model.security_groups[&ResourceId::new("sg-app")];
    assert_eq!(
        app.egress.known[0].peer,
        SgPeer::PrefixList(PrefixListRef::Id {
            id: "pl-s3".into(),
            service: Some("s3".into())
        })
    );
    assert!(model.security_groups[&ResourceId::new("sg-default")].is_default);
    let s3 = &model.endpoints[&ResourceId::new("vpce-s3")];
    assert_eq!(s3.kind, Known::Value(EndpointKind::Gateway));
    assert_eq!(
        s3.policy,
        Known::Value(None),
        "AWS's default policy is full access"
    );
    let w = &model.workloads[0];
    assert_eq!((w.name.as_str(), w.kind), ("app", WorkloadKind::EcsFargate));
    assert_eq!(w.features, [Feature::Awslogs, Feature::Ssm]);
    let node = &model.workloads[1];
    assert_eq!(node.kind, WorkloadKind::EksNode);
    assert_eq!(
        node.security_groups.known,
        [ResourceId::new("sg-default")],
        "managed nodes get the cluster security group"
    );
    assert_eq!(
        node.cluster,
        Some(ResourceId::new(
            "arn:aws:eks:ap-northeast-1:123456789012:cluster/sample"
        ))
    );
    assert!(model.diagnostics.iter().any(|d| {
        d.message.contains("ec2:DescribeNatGateways")
            && d.help
                .as_deref()
                .is_some_and(|h| h.contains("grant ec2:DescribeNatGateways"))
    }));
}

#[test]
fn live_resources_are_located_at_their_line_of_the_document() {
    let text = to_text(&sample());
    let model = lower(&sample(), &text, "scan.json");
    let at = |id: &str| {
        model
            .provenance_of(&ResourceId::new(id))
            .and_then(|p| p.location.clone())
            .expect("a location")
    };
    for id in ["vpc-1", "subnet-a", "rtb-app", "sg-app", "acl-1", "vpce-s3"] {
        let location = at(id);
        let line = text
            .lines()
            .nth(location.line as usize - 1)
            .expect("the line");
        assert!(
            line.trim_start().starts_with('"') && line.contains(&format!("\"{id}\"")),
            "{id} at {location}: {line}"
        );
    }
    // The VPC is located at its own object, not at the first resource that mentions it.
    let vpc_line = text
        .lines()
        .nth(at("vpc-1").line as usize - 1)
        .expect("the line");
    assert!(vpc_line.contains("\"VpcId\""));
    assert_eq!(at("vpc-1").path, "scan.json");
    assert_ne!(at("vpc-1"), Location::new("scan.json", 1, 1));
}

#[test]
fn unreadable_snapshots_are_input_errors() {
    let (_, errors) = load_text(
        "{\"privlink_snapshot\": 1, \"regions\": [ {\"region\": 5} ]}",
        "bad.json",
    );
    assert_eq!(errors.len(), 1);
    assert!(errors[0].position.is_some(), "{errors:?}");
    let (_, errors) = load_text("{\"privlink_snapshot\": 9}", "new.json");
    assert!(errors[0].message.contains("version 9"), "{errors:?}");
}
