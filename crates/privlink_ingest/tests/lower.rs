//! Terraform in, model out: each fixture under `tests/fixtures/lower/` writes the elements privlink
//! models in the ways users write them; the tests check what the model says about them, and pin the
//! whole model in a snapshot.

use privlink_ingest::{LoadOptions, load};
use privlink_model::{
    EndpointKind, Feature, Known, Model, NaclAction, NatConnectivity, PrefixListRef, ResourceId,
    RouteDestination, RouteTarget, SgPeer, WorkloadKind,
};

fn model(fixture: &str) -> Model {
    let loaded = load(
        &[format!("tests/fixtures/lower/{fixture}").into()],
        &LoadOptions::default(),
    );
    for input in &loaded.inputs {
        assert!(input.errors.is_empty(), "{fixture}: {:?}", input.errors);
    }
    loaded.model
}

fn id(s: &str) -> ResourceId {
    ResourceId::new(s)
}

#[test]
fn network_elements_in_every_shape() {
    let m = model("network");
    let vpc = &m.vpcs[&id("aws_vpc.main")];
    let cidrs: Vec<String> = vpc.cidrs.iter().map(ToString::to_string).collect();
    assert_eq!(
        cidrs,
        ["10.1.0.0/16", "100.64.0.0/16"],
        "secondary CIDR association"
    );
    assert_eq!(
        (vpc.dns_support.clone(), vpc.dns_hostnames.clone()),
        (Known::Value(true), Known::Value(true))
    );
    assert_eq!(vpc.region, Known::Value("eu-central-1".to_owned()));

    // aws_default_route_table is the main route table; the implicit stand-in is gone.
    assert_eq!(
        vpc.main_route_table,
        Known::Value(id("aws_default_route_table.main"))
    );
    assert!(
        !m.route_tables
            .contains_key(&id("aws_vpc.main#main-route-table"))
    );
    let main = &m.route_tables[&id("aws_default_route_table.main")];
    assert_eq!(
        main.routes.known[0].target,
        RouteTarget::InternetGateway(id("aws_internet_gateway.detached"))
    );
    assert_eq!(
        m.internet_gateways[&id("aws_internet_gateway.detached")].vpc,
        Some(Known::Value(id("aws_vpc.main")))
    );

    let private = &m.route_tables[&id("aws_route_table.private")];
    let targets: Vec<&RouteTarget> = private.routes.iter().map(|r| &r.target).collect();
    assert_eq!(
        targets,
        [
            &RouteTarget::NatGateway(id("aws_nat_gateway.public")),
            &RouteTarget::TransitGateway(id("tgw-0123456789abcdef0")),
            &RouteTarget::NetworkInterface(id("eni-0123456789abcdef0")),
            &RouteTarget::VpcPeering(id("pcx-0123456789abcdef0")),
        ]
    );
    assert_eq!(
        private.routes.known[2].destination,
        RouteDestination::PrefixList(PrefixListRef::Id {
            id: "pl-0123456789abcdef0".into(),
            service: None
        })
    );
    assert!(private.routes.is_complete());
    assert_eq!(
        m.nat_gateways[&id("aws_nat_gateway.private")].connectivity,
        NatConnectivity::Private
    );

    // Subnets without an association use the main table; b is associated.
    assert_eq!(
        m.effective_route_table(&id("aws_subnet.a"))
            .value()
            .map(|a| a.route_table.clone()),
        Some(id("aws_default_route_table.main"))
    );
    let b = m.effective_route_table(&id("aws_subnet.b"));
    assert_eq!(
        b.value()
            .map(|a| (a.route_table.clone(), a.association.is_some())),
        Some((id("aws_route_table.private"), true))
    );
    assert_eq!(
        m.subnets[&id("aws_subnet.b")].availability_zone,
        Known::Value("euc1-az3".to_owned())
    );
    assert!(
        !m.subnets[&id("aws_subnet.c")].availability_zone.is_known(),
        "AWS picks it at apply"
    );
    assert_eq!(
        m.subnets[&id("aws_subnet.a")].map_public_ip_on_launch,
        Known::Value(true)
    );

    // aws_default_security_group manages exactly what it writes: here, nothing.
    assert_eq!(
        vpc.default_security_group,
        id("aws_default_security_group.main")
    );
    let default_sg = &m.security_groups[&id("aws_default_security_group.main")];
    assert!(
        default_sg.is_default
            && default_sg.ingress.is_known_empty()
            && default_sg.egress.is_known_empty()
    );

    let app = &m.security_groups[&id("aws_security_group.app")];
    assert_eq!(
        app.ingress.known[0].peer,
        SgPeer::SecurityGroup(id("aws_security_group.app")),
        "self = true"
    );
    let egress: Vec<&SgPeer> = app.egress.iter().map(|r| &r.peer).collect();
    assert_eq!(
        egress,
        [
            &SgPeer::SecurityGroup(id("aws_security_group.endpoint")),
            &SgPeer::PrefixList(PrefixListRef::OfEndpoint {
                endpoint: id("aws_vpc_endpoint.s3")
            }),
        ],
        "aws_security_group_rule and aws_vpc_security_group_egress_rule add to the group"
    );
    let endpoint_sg = &m.security_groups[&id("aws_security_group.endpoint")];
    assert_eq!(
        endpoint_sg.ingress.known[0].peer,
        SgPeer::Ipv4("10.1.0.0/16".parse().unwrap()),
        "cidr_ipv4 = aws_vpc.main.cidr_block"
    );

    // Network ACLs: the default one replaced, rules and associations from separate resources.
    assert_eq!(vpc.default_network_acl, id("aws_default_network_acl.main"));
    assert_eq!(
        m.network_acls[&id("aws_default_network_acl.main")]
            .entries
            .known
            .len(),
        1
    );
    let acl = &m.network_acls[&id("aws_network_acl.private")];
    let entries: Vec<(u32, NaclAction)> = acl
        .entries
        .iter()
        .map(|e| (e.rule_number, e.action))
        .collect();
    assert_eq!(entries, [(100, NaclAction::Allow), (50, NaclAction::Deny)]);
    assert_eq!(
        m.network_acl_for(&id("aws_subnet.c")),
        Known::Value(id("aws_network_acl.private"))
    );
    assert_eq!(
        m.network_acl_for(&id("aws_subnet.a")),
        Known::Value(id("aws_default_network_acl.main"))
    );

    // Endpoints: provider defaults and the association resources.
    let s3 = &m.endpoints[&id("aws_vpc_endpoint.s3")];
    assert_eq!(
        s3.kind,
        Known::Value(EndpointKind::Gateway),
        "vpc_endpoint_type defaults to Gateway"
    );
    assert_eq!(s3.route_tables.known, [id("aws_route_table.private")]);
    let logs = &m.endpoints[&id("aws_vpc_endpoint.logs")];
    assert_eq!(
        logs.private_dns,
        Known::Value(false),
        "private_dns_enabled defaults to false"
    );
    assert_eq!(logs.subnets.known, [id("aws_subnet.b")]);
    assert_eq!(
        logs.security_groups.known,
        [id("aws_security_group.endpoint")]
    );
    assert!(
        logs.policy
            .value()
            .is_some_and(|p| p.as_deref().is_some_and(|p| p.contains("logs:*")))
    );

    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    insta::assert_json_snapshot!("network", m);
}

#[test]
fn ecs_services_in_every_shape() {
    let m = model("ecs");
    let names: Vec<&str> = m.workloads.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        ["fargate", "spot", "on-instances", "elsewhere"],
        "ECS Anywhere runs outside the VPC"
    );
    let w = |name: &str| m.workloads.iter().find(|w| w.name == name).unwrap();

    let fargate = w("fargate");
    assert_eq!(
        (fargate.kind, fargate.platform_version.as_deref()),
        (WorkloadKind::EcsFargate, Some("1.3.0"))
    );
    assert_eq!(fargate.assign_public_ip, Some(Known::Value(true)));
    assert_eq!(
        fargate.features,
        [
            Feature::Awslogs,
            Feature::SecretsManager,
            Feature::Ssm,
            Feature::Exec,
            Feature::Efs,
            Feature::ServiceConnect,
            Feature::Service("kms".into())
        ]
    );
    assert_eq!(
        fargate.efs_file_systems,
        [Known::Value(id("aws_efs_file_system.data"))]
    );
    assert!(
        !fargate.images[0].reference.is_known(),
        "the repository URL is known only after apply"
    );

    let spot = w("spot");
    assert_eq!(
        spot.kind,
        WorkloadKind::EcsFargate,
        "FARGATE_SPOT capacity provider"
    );
    assert!(spot.windows);
    assert!(
        spot.security_groups.is_known_empty(),
        "no groups: the VPC default group applies"
    );
    let images: Vec<_> = spot
        .images
        .iter()
        .map(|i| i.reference.value().cloned().unwrap())
        .collect();
    assert_eq!(
        images,
        [
            "nginx:1.27",
            "906394416424.dkr.ecr.ap-northeast-1.amazonaws.com/aws-for-fluent-bit:stable"
        ]
    );
    assert_eq!(
        spot.features,
        [
            Feature::PrivateRegistryAuth,
            Feature::Firelens,
            Feature::Service("logs".into())
        ]
    );

    let ec2 = w("on-instances");
    assert_eq!(
        ec2.kind,
        WorkloadKind::EcsEc2,
        "the cluster's default capacity provider is an Auto Scaling group"
    );
    assert_eq!(
        ec2.subnets.known,
        [id("aws_subnet.instances")],
        "the instances' subnets"
    );
    assert_eq!(
        ec2.security_groups.known,
        [id("aws_security_group.instances")],
        "the launch template's groups"
    );
    assert_eq!(ec2.assign_public_ip, None);
    assert_eq!(
        ec2.features,
        [Feature::Awslogs, Feature::Ssm, Feature::Xray]
    );

    let elsewhere = w("elsewhere");
    assert!(elsewhere.images.is_empty());
    assert!(m.diagnostics.iter().any(|d| d.resource.as_deref()
        == Some("aws_ecs_service.elsewhere")
        && d.message.contains("task definition")));
    insta::assert_json_snapshot!("ecs", m.workloads);
}

#[test]
fn eks_node_groups_and_fargate_profiles() {
    let m = model("eks");
    let cluster = &m.eks_clusters[&id("aws_eks_cluster.main")];
    assert_eq!(
        cluster.endpoint_private_access,
        Known::Value(false),
        "the provider's default"
    );
    assert_eq!(cluster.endpoint_public_access, Known::Value(false));
    let cluster_sg = id("aws_eks_cluster.main#cluster-security-group");
    assert_eq!(cluster.cluster_security_group, cluster_sg);
    assert!(m.security_groups.contains_key(&cluster_sg));

    let w = |name: &str| m.workloads.iter().find(|w| w.name == name).unwrap();
    let default = w("default");
    assert_eq!(
        (default.kind, default.security_groups.known.clone()),
        (WorkloadKind::EksNode, vec![cluster_sg])
    );
    assert_eq!(default.subnets.known.len(), 2);
    assert_eq!(default.cluster, Some(id("aws_eks_cluster.main")));
    let templated = w("templated");
    assert_eq!(
        templated.security_groups.known,
        [id("aws_security_group.nodes")],
        "launch template groups replace the cluster group"
    );
    assert!(templated.windows);
    let apps = w("apps");
    assert_eq!(
        (apps.kind, apps.cluster.clone()),
        (WorkloadKind::EksFargate, Some(id("aws_eks_cluster.main"))),
        "cluster named by name"
    );
    assert_eq!(apps.assign_public_ip, Some(Known::Value(false)));
    insta::assert_json_snapshot!("eks", m.workloads);
}

#[test]
fn references_outside_the_inputs_become_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
provider "aws" { region = "eu-west-1" }
data "aws_vpc" "shared" {}
resource "aws_subnet" "x" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = "10.0.0.0/24"
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id             = "vpc-0abc"
  service_name       = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type  = "Interface"
  security_group_ids = ["sg-0abc"]
}
"#,
    )
    .unwrap();
    let loaded = load(&[dir.path().to_path_buf()], &LoadOptions::default());
    let m = loaded.model;
    let shared = &m.vpcs[&id("data.aws_vpc.shared")];
    assert!(shared.provenance.is_external());
    assert!(!shared.dns_hostnames.is_known() && !shared.cidrs.is_complete());
    assert_eq!(
        m.subnets[&id("aws_subnet.x")].vpc,
        Known::Value(id("data.aws_vpc.shared"))
    );
    assert!(
        m.vpcs[&id("vpc-0abc")].provenance.is_external(),
        "a literal id not in the inputs"
    );
    assert!(m.security_groups[&id("sg-0abc")].provenance.is_external());
    let unresolved: Vec<&str> = m
        .diagnostics
        .iter()
        .filter_map(|d| d.resource.as_deref())
        .collect();
    assert_eq!(
        unresolved,
        ["data.aws_vpc.shared", "vpc-0abc", "sg-0abc"],
        "one diagnostic each"
    );
}

#[test]
fn a_route_target_is_decided_by_the_id_it_names() {
    let m = model("route-targets");
    let table = &m.route_tables[&id("aws_route_table.private")];
    let targets: Vec<&RouteTarget> = table.routes.iter().map(|r| &r.target).collect();
    assert_eq!(targets.len(), 3, "{targets:?}");
    assert_eq!(
        targets[0],
        &RouteTarget::NatGateway(id("aws_nat_gateway.main"))
    );
    assert!(
        matches!(targets[1], RouteTarget::NatGateway(_)),
        "{:?}",
        targets[1]
    );
    assert_eq!(
        targets[2],
        &RouteTarget::InternetGateway(id("aws_internet_gateway.main"))
    );
}

#[test]
fn a_service_naming_family_and_revision_runs_that_task_definition() {
    let m = model("task-definition-family-revision");
    let web = m
        .workloads
        .iter()
        .find(|w| w.name == "web")
        .expect("the service");
    assert_eq!(web.kind, WorkloadKind::EcsFargate);
    assert!(
        web.features.contains(&Feature::Awslogs),
        "{:?}",
        web.features
    );
    let images: Vec<&Known<String>> = web.images.iter().map(|i| &i.reference).collect();
    assert_eq!(
        images,
        [&Known::Value(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1".to_owned()
        )]
    );
}

#[test]
fn transit_gateways_peering_and_private_zones() {
    use privlink_model::{RecordTarget, TgwRouteTarget};
    let m = model("transit");
    let tgw = &m.transit_gateways[&id("aws_ec2_transit_gateway.tgw")];
    let default_table = id("aws_ec2_transit_gateway.tgw#default-route-table");
    // Default association stays on, default propagation is turned off.
    assert_eq!(
        tgw.default_association_table,
        Some(Known::Value(default_table.clone()))
    );
    assert_eq!(tgw.default_propagation_table, None);
    assert!(m.tgw_route_tables.contains_key(&default_table));

    let hub = &m.tgw_attachments[&id("aws_ec2_transit_gateway_vpc_attachment.hub")];
    assert_eq!(hub.vpc, Known::Value(id("aws_vpc.hub")));
    assert_eq!(hub.subnets.known, [id("aws_subnet.hub_a")]);
    assert_eq!(hub.appliance_mode, Known::Value(true));

    let links = |list: &[privlink_model::TgwLink]| -> Vec<(String, String)> {
        list.iter()
            .map(|l| {
                (
                    l.attachment.value().unwrap().to_string(),
                    l.route_table.value().unwrap().to_string(),
                )
            })
            .collect()
    };
    // The hub attachment joins the default table; the spoke opted out and is associated explicitly.
    assert_eq!(
        links(&m.tgw_associations),
        [
            (
                "aws_ec2_transit_gateway_vpc_attachment.hub".to_owned(),
                default_table.to_string()
            ),
            (
                "aws_ec2_transit_gateway_vpc_attachment.spoke".to_owned(),
                "aws_ec2_transit_gateway_route_table.spokes".to_owned()
            ),
        ]
    );
    // Propagation: no default (disabled on the gateway), one explicit, into the default table
    // named through association_default_route_table_id.
    assert_eq!(
        links(&m.tgw_propagations),
        [(
            "aws_ec2_transit_gateway_vpc_attachment.spoke".to_owned(),
            default_table.to_string()
        )]
    );
    let spokes = &m.tgw_route_tables[&id("aws_ec2_transit_gateway_route_table.spokes")];
    let routes: Vec<(String, TgwRouteTarget)> = spokes
        .routes
        .iter()
        .map(|r| (r.destination.value().unwrap().to_string(), r.target.clone()))
        .collect();
    assert_eq!(
        routes,
        [
            (
                "10.0.0.0/16".to_owned(),
                TgwRouteTarget::Attachment(id("aws_ec2_transit_gateway_vpc_attachment.hub"))
            ),
            ("10.9.0.0/16".to_owned(), TgwRouteTarget::Blackhole),
        ]
    );

    let peering = &m.peerings[&id("aws_vpc_peering_connection.hub_spoke")];
    assert_eq!(peering.requester_vpc, Known::Value(id("aws_vpc.spoke")));
    assert_eq!(peering.accepter_vpc, Known::Value(id("aws_vpc.hub")));
    assert_eq!(peering.requester_remote_dns, Known::Value(true));
    assert_eq!(peering.accepter_remote_dns, Known::Value(false));

    let zone = &m.hosted_zones[&id("aws_route53_zone.ecr_api")];
    assert_eq!(
        zone.name,
        Known::Value("api.ecr.ap-northeast-1.amazonaws.com".to_owned()),
        "lower case, no trailing dot"
    );
    assert!(zone.private);
    assert!(!m.hosted_zones[&id("aws_route53_zone.logs")].private);
    let associated: Vec<(String, String)> = m
        .zone_associations
        .iter()
        .map(|a| {
            (
                a.zone.value().unwrap().to_string(),
                a.vpc.value().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        associated,
        [
            (
                "aws_route53_zone.ecr_api".to_owned(),
                "aws_vpc.hub".to_owned()
            ),
            (
                "aws_route53_zone.ecr_api".to_owned(),
                "aws_vpc.spoke".to_owned()
            ),
        ]
    );

    let alias = &m.dns_records[&id("aws_route53_record.ecr_api")];
    assert_eq!(alias.zone, Known::Value(id("aws_route53_zone.ecr_api")));
    assert!(matches!(alias.target, RecordTarget::Alias { .. }));
    assert_eq!(alias.endpoint(), Some(&id("aws_vpc_endpoint.ecr_api")));
    assert!(alias.matches("api.ecr.ap-northeast-1.amazonaws.com"));

    // A relative name is relative to the zone; `*` makes it a wildcard.
    let wildcard = &m.dns_records[&id("aws_route53_record.logs_wildcard")];
    assert_eq!(
        wildcard.name,
        Known::Value("*.logs.ap-northeast-1.amazonaws.com".to_owned())
    );
    assert_eq!(wildcard.endpoint(), Some(&id("aws_vpc_endpoint.ecr_api")));
    assert!(wildcard.matches("x.logs.ap-northeast-1.amazonaws.com"));
}
