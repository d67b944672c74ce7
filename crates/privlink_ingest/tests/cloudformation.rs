//! The CloudFormation front-end through the public `load`: fixture templates in, model out.
//!
//! The model of each fixture is pinned as a readable dump (one line per element); the tests also
//! assert the behaviour that matters on its own (CloudFormation's defaults, links across templates,
//! errors with file, line and column that leave the other inputs analysed).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use privlink_ingest::{InputFormat, LoadOptions, Loaded, load};
use privlink_model::{
    EndpointKind, Known, Model, Origin, Partial, PrefixListRef, ResourceId, RouteDestination,
    RouteTarget, SgPeer, SgRule,
};

fn fixture(path: &str) -> PathBuf {
    Path::new("tests/fixtures/cloudformation").join(path)
}

fn options(region: Option<&str>, parameters: &[(&str, &str)]) -> LoadOptions {
    LoadOptions {
        region: region.map(str::to_owned),
        cloudformation_parameters: parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..LoadOptions::default()
    }
}

fn load_ok(paths: &[PathBuf], options: &LoadOptions) -> Model {
    let loaded = load(paths, options);
    let errors: Vec<String> = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.model
}

fn known<T: std::fmt::Display>(k: &Known<T>) -> String {
    match k {
        Known::Value(v) => v.to_string(),
        Known::Unknown(u) => format!("?({})", u.reason),
    }
}

fn list<T>(p: &Partial<T>, f: impl Fn(&T) -> String) -> String {
    let mut s = format!("[{}]", p.known.iter().map(f).collect::<Vec<_>>().join(", "));
    if let Some(u) = &p.unknown {
        let _ = write!(s, " +?({})", u.reason);
    }
    s
}

fn ids(p: &Partial<ResourceId>) -> String {
    list(p, ToString::to_string)
}

fn origin(o: &Origin) -> String {
    match o {
        Origin::Declared => String::new(),
        Origin::Implicit { .. } => " (implicit)".to_owned(),
        Origin::External { reference } => format!(" (external: {reference})"),
        Origin::Assumed => " (assumed)".to_owned(),
    }
}

fn prefix_list(p: &PrefixListRef) -> String {
    match p {
        PrefixListRef::OfEndpoint { endpoint } => format!("prefix list of {endpoint}"),
        PrefixListRef::AwsManaged { name } => format!("prefix list {}", known(name)),
        PrefixListRef::Id { id, .. } => id.clone(),
        PrefixListRef::CustomerManaged { id, cidrs } => {
            format!("{id} {}", list(cidrs, ToString::to_string))
        }
        PrefixListRef::Unknown(u) => format!("?({})", u.reason),
    }
}

fn rule(r: &SgRule) -> String {
    let peer = match &r.peer {
        SgPeer::Ipv4(n) => n.to_string(),
        SgPeer::Ipv6(s) => s.clone(),
        SgPeer::SecurityGroup(id) => id.to_string(),
        SgPeer::PrefixList(p) => prefix_list(p),
        SgPeer::Unknown(u) => format!("?({})", u.reason),
    };
    format!("{} {} {peer}", r.protocol, r.ports)
}

/// The model, one line per element.
fn dump(model: &Model) -> String {
    let mut out = String::new();
    let at = |p: &privlink_model::Provenance| {
        p.location
            .as_ref()
            .map(|l| format!(" @{}:{}", l.line, l.column))
            .unwrap_or_default()
    };
    for v in model.vpcs.values() {
        let _ = writeln!(
            out,
            "vpc {}{}{} region={} cidrs={} dns_support={} dns_hostnames={} main_rt={} default_sg={} default_acl={}",
            v.id,
            origin(&v.provenance.origin),
            at(&v.provenance),
            known(&v.region),
            list(&v.cidrs, ToString::to_string),
            known(&v.dns_support),
            known(&v.dns_hostnames),
            known(&v.main_route_table),
            v.default_security_group,
            v.default_network_acl
        );
    }
    for s in model.subnets.values() {
        let _ = writeln!(
            out,
            "subnet {}{}{} vpc={} cidr={} az={} public_ip={}",
            s.id,
            origin(&s.provenance.origin),
            at(&s.provenance),
            known(&s.vpc),
            known(&s.cidr),
            known(&s.availability_zone),
            known(&s.map_public_ip_on_launch)
        );
    }
    for rt in model.route_tables.values() {
        let routes = list(&rt.routes, |r| {
            let dest = match &r.destination {
                RouteDestination::Ipv4(n) => n.to_string(),
                RouteDestination::Ipv6(s) => s.clone(),
                RouteDestination::PrefixList(p) => prefix_list(p),
                RouteDestination::Unknown(u) => format!("?({})", u.reason),
            };
            let target = match &r.target {
                RouteTarget::Unknown(u) => format!("?({})", u.reason),
                RouteTarget::Other(s) => s.clone(),
                t => format!("{t:?}"),
            };
            format!("{dest} -> {target}")
        });
        let _ = writeln!(
            out,
            "route-table {}{}{} vpc={} routes={routes}",
            rt.id,
            origin(&rt.provenance.origin),
            at(&rt.provenance),
            known(&rt.vpc)
        );
    }
    for a in &model.route_table_associations {
        let _ = writeln!(
            out,
            "association {} -> {}",
            known(&a.subnet),
            known(&a.route_table)
        );
    }
    for sg in model.security_groups.values() {
        let _ = writeln!(
            out,
            "security-group {}{}{} vpc={} default={} ingress={} egress={}",
            sg.id,
            origin(&sg.provenance.origin),
            at(&sg.provenance),
            known(&sg.vpc),
            sg.is_default,
            list(&sg.ingress, rule),
            list(&sg.egress, rule)
        );
    }
    for acl in model.network_acls.values() {
        let entries = list(&acl.entries, |e| {
            format!(
                "{} {:?} {:?} {} {} {}",
                e.rule_number,
                e.direction,
                e.action,
                e.protocol,
                e.ports,
                known(&e.cidr)
            )
        });
        let _ = writeln!(
            out,
            "network-acl {}{} vpc={} default={} subnets={} entries={entries}",
            acl.id,
            origin(&acl.provenance.origin),
            known(&acl.vpc),
            acl.is_default,
            ids(&acl.subnets)
        );
    }
    for e in model.endpoints.values() {
        let policy = match &e.policy {
            Known::Value(None) => "default".to_owned(),
            Known::Value(Some(p)) => p.clone(),
            Known::Unknown(u) => format!("?({})", u.reason),
        };
        let _ = writeln!(
            out,
            "endpoint {}{} vpc={} service={} kind={} private_dns={} subnets={} sgs={} route_tables={} policy={policy}",
            e.id,
            at(&e.provenance),
            known(&e.vpc),
            known(&e.service_name),
            known(&e.kind.as_ref().map(|k: &EndpointKind| k.to_string())),
            known(&e.private_dns),
            ids(&e.subnets),
            ids(&e.security_groups),
            ids(&e.route_tables)
        );
    }
    for g in model.internet_gateways.values() {
        let _ = writeln!(
            out,
            "internet-gateway {} vpc={}",
            g.id,
            g.vpc.as_ref().map_or_else(|| "none".to_owned(), known)
        );
    }
    for n in model.nat_gateways.values() {
        let _ = writeln!(
            out,
            "nat-gateway {} subnet={} {:?}",
            n.id,
            known(&n.subnet),
            n.connectivity
        );
    }
    for c in model.eks_clusters.values() {
        let _ = writeln!(
            out,
            "eks-cluster {} name={} subnets={} private={} public={} sg={}",
            c.id,
            known(&c.name),
            ids(&c.subnets),
            known(&c.endpoint_private_access),
            known(&c.endpoint_public_access),
            c.cluster_security_group
        );
    }
    for m in model.efs_mount_targets.values() {
        let _ = writeln!(
            out,
            "efs-mount-target {} fs={} subnet={} sgs={}",
            m.id,
            known(&m.file_system),
            known(&m.subnet),
            ids(&m.security_groups)
        );
    }
    for w in &model.workloads {
        let images: Vec<String> = w.images.iter().map(|i| known(&i.reference)).collect();
        let features: Vec<String> = w.features.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "workload {} ({}{}){} subnets={} sgs={} public_ip={} windows={} cluster={} features=[{}] images=[{}] efs={}",
            w.name,
            w.kind,
            w.platform_version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default(),
            at(&w.provenance),
            ids(&w.subnets),
            ids(&w.security_groups),
            w.assign_public_ip
                .as_ref()
                .map_or_else(|| "-".to_owned(), known),
            w.windows,
            w.cluster
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            features.join(", "),
            images.join(", "),
            w.efs_file_systems
                .iter()
                .map(known)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for d in &model.diagnostics {
        let loc = d
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let _ = writeln!(out, "diagnostic {:?} {loc}: {}", d.kind, d.message);
    }
    out
}

#[test]
fn network_resources_with_cloudformation_defaults() {
    let model = load_ok(
        &[fixture("network.yaml")],
        &options(Some("ap-northeast-1"), &[]),
    );
    insta::assert_snapshot!("network", dump(&model));
    let vpc = &model.vpcs[&ResourceId::new("Vpc")];
    assert_eq!(
        (vpc.dns_support.clone(), vpc.dns_hostnames.clone()),
        (Known::Value(true), Known::Value(false))
    );
    assert_eq!(vpc.cidrs.known.len(), 2, "the VPCCidrBlock adds a block");
    // Unlike Terraform, a group without SecurityGroupEgress keeps AWS's allow-all egress…
    let app = &model.security_groups[&ResourceId::new("AppSg")];
    assert!(
        app.egress
            .known
            .iter()
            .any(|r| matches!(r.peer, SgPeer::Ipv4(n) if n.prefix_len() == 0)),
        "{app:?}"
    );
    // …plus what separate rule resources add; a group that lists egress has only that.
    assert!(app.egress.known.iter().any(|r| matches!(&r.peer, SgPeer::PrefixList(PrefixListRef::Id { id, .. }) if id == "pl-61a54008")));
    let endpoint_sg = &model.security_groups[&ResourceId::new("EndpointSg")];
    assert_eq!(endpoint_sg.egress.known.len(), 1);
    assert_eq!(
        endpoint_sg.ingress.known.len(),
        2,
        "inline ingress plus AWS::EC2::SecurityGroupIngress"
    );
    let s3 = &model.endpoints[&ResourceId::new("S3")];
    assert_eq!(
        s3.kind,
        Known::Value(EndpointKind::Gateway),
        "VpcEndpointType defaults to Gateway"
    );
    assert!(s3.policy.value().is_some_and(|p| {
        p.as_deref()
            .is_some_and(|p| p.contains("prod-ap-northeast-1-starport-layer-bucket"))
    }));
    assert_eq!(
        model.endpoints[&ResourceId::new("Logs")].private_dns,
        Known::Value(false),
        "PrivateDnsEnabled defaults to false"
    );
    assert_eq!(
        model.endpoints[&ResourceId::new("EcrApi")].private_dns,
        Known::Value(true)
    );
    assert_eq!(
        model
            .effective_route_table(&ResourceId::new("AppC"))
            .value()
            .map(|a| a.route_table.to_string()),
        Some("Vpc#main-route-table".to_owned())
    );
    assert_eq!(
        model.network_acl_for(&ResourceId::new("AppA")),
        Known::Value(ResourceId::new("AppAcl"))
    );
    assert_eq!(
        model.internet_gateways[&ResourceId::new("Igw")].vpc,
        Some(Known::Value(ResourceId::new("Vpc")))
    );
}

#[test]
fn workload_resources_and_parameters_naming_resources() {
    let model = load_ok(
        &[fixture("workloads.yaml")],
        &options(Some("ap-northeast-1"), &[]),
    );
    insta::assert_snapshot!("workloads", dump(&model));
    let app = model
        .workloads
        .iter()
        .find(|w| w.name == "app")
        .expect("the ECS service");
    let features: Vec<String> = app.features.iter().map(ToString::to_string).collect();
    for f in [
        "awslogs",
        "secretsmanager",
        "ssm",
        "exec",
        "efs",
        "service:kms",
    ] {
        assert!(
            features.contains(&f.to_owned()),
            "{f} missing from {features:?}"
        );
    }
    assert_eq!(
        app.subnets.known,
        [
            ResourceId::new("subnet-0aaa"),
            ResourceId::new("subnet-0ccc")
        ]
    );
    // An image whose account is known only at deploy time stays unknown; the public one is known.
    assert!(!app.images[0].reference.is_known());
    assert_eq!(
        app.images[1].reference,
        Known::Value("public.ecr.aws/docker/library/busybox:1".to_owned())
    );
    let nodes = model
        .workloads
        .iter()
        .find(|w| w.name == "Nodes")
        .expect("the node group");
    assert_eq!(
        nodes.security_groups.known,
        [
            ResourceId::new("EksCluster#cluster-security-group"),
            ResourceId::new("TaskSg")
        ]
    );
    let windows = model
        .workloads
        .iter()
        .find(|w| w.name == "windows")
        .expect("the Windows node group");
    assert!(windows.windows);
    assert_eq!(
        windows.cluster,
        Some(ResourceId::new("EksCluster")),
        "found by cluster name"
    );
    // The VPC parameter has no value: a placeholder still links the task security group.
    let vpc = &model.vpcs[&ResourceId::new("VpcId")];
    assert!(
        matches!(&vpc.provenance.origin, Origin::External { reference } if reference == "parameter VpcId")
    );
    assert_eq!(
        model.security_groups[&ResourceId::new("TaskSg")].vpc,
        Known::Value(ResourceId::new("VpcId"))
    );
}

#[test]
fn seed_002_network_and_endpoint_stacks_link_through_exports() {
    let dir = Path::new("../../examples/cloudformation-private-dns-off");
    let model = load_ok(&[dir.to_path_buf()], &options(Some("ap-northeast-1"), &[]));
    insta::assert_snapshot!("seed_002", dump(&model));
    let dkr = &model.endpoints[&ResourceId::new("ECRDkrEndpoint")];
    assert_eq!(dkr.vpc, Known::Value(ResourceId::new("VPC")));
    assert_eq!(
        dkr.subnets.known,
        [
            ResourceId::new("PrivateSubnet1"),
            ResourceId::new("PrivateSubnet2")
        ]
    );
    assert_eq!(
        dkr.security_groups.known,
        [ResourceId::new("VpcEndpointSecurityGroup")]
    );
    assert_eq!(dkr.private_dns, Known::Value(false));
    let s3 = &model.endpoints[&ResourceId::new("S3GatewayEndpoint")];
    assert_eq!(
        s3.route_tables.known,
        [
            ResourceId::new("PrivateRouteTableAZa"),
            ResourceId::new("PrivateRouteTableAZc")
        ]
    );
    let invalid: Vec<&str> = model
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        invalid,
        ["parameter EnvironmentName is `dev`, which is not one of its AllowedValues (stg, prd)"]
    );
}

#[test]
fn seed_002_endpoint_stack_alone_has_placeholders_for_its_imports() {
    let path =
        Path::new("../../examples/cloudformation-private-dns-off/endpoints.yaml").to_path_buf();
    let model = load_ok(&[path], &options(Some("ap-northeast-1"), &[]));
    insta::assert_snapshot!("seed_002_endpoints_alone", dump(&model));
    let vpc = &model.vpcs[&ResourceId::new("import:dev-vpc")];
    assert!(
        matches!(&vpc.provenance.origin, Origin::External { reference } if reference == "Fn::ImportValue dev-vpc")
    );
    // An interface endpoint's subnets are in its VPC: the imported subnets are placed there.
    assert_eq!(
        model.subnets[&ResourceId::new("import:dev-private-subnet1")].vpc,
        Known::Value(ResourceId::new("import:dev-vpc"))
    );
    let unresolved = model
        .diagnostics
        .iter()
        .filter(|d| d.kind == privlink_model::DiagnosticKind::UnresolvedInput)
        .count();
    assert_eq!(unresolved, 6, "one per export name");
}

#[test]
fn cdk_assembly_stacks_and_nested_stacks() {
    let loaded = load(&[PathBuf::from("../../testdata/cdk")], &options(None, &[]));
    assert_eq!(loaded.inputs[0].format, InputFormat::CdkOut);
    assert!(
        loaded.inputs[0].errors.is_empty(),
        "{:?}",
        loaded.inputs[0].errors
    );
    let model = loaded.model;
    insta::assert_snapshot!("cdk", dump(&model));
    // The manifest's environment gives the region; the same construct ids in three stacks are
    // qualified with the stack name.
    let vpc = &model.vpcs[&ResourceId::new("IsolatedFargate.Vpc8378EB38")];
    assert_eq!(vpc.region, Known::Value("ap-northeast-1".to_owned()));
    let cluster = model
        .eks_clusters
        .values()
        .next()
        .expect("the CDK's Custom::AWSCDK-EKS-Cluster");
    assert_eq!(cluster.endpoint_private_access, Known::Value(true));
    let nodes = model
        .workloads
        .iter()
        .find(|w| w.kind == privlink_model::WorkloadKind::EksNode)
        .expect("the node group");
    assert_eq!(nodes.cluster.as_ref(), Some(&cluster.id));
    // The nested stacks' templates are found through the asset manifest (their Lambda functions
    // are not network elements, but their templates were read without error).
    let fargate: Vec<&str> = model
        .workloads
        .iter()
        .filter(|w| w.kind == privlink_model::WorkloadKind::EcsFargate)
        .map(|w| w.name.as_str())
        .collect();
    assert_eq!(
        fargate,
        [
            "IsolatedFargate.ServiceD69D759B",
            "IsolatedFargateNoLogs.ServiceD69D759B"
        ]
    );
}

#[test]
fn nested_stack_with_a_local_template_url() {
    let model = load_ok(&[fixture("nested/parent.yaml")], &options(None, &[]));
    insta::assert_snapshot!("nested", dump(&model));
    let logs = &model.endpoints[&ResourceId::new("Logs")];
    assert_eq!(logs.vpc, Known::Value(ResourceId::new("Vpc")));
    assert_eq!(logs.subnets.known, [ResourceId::new("Subnet")]);
    assert_eq!(
        model.subnets[&ResourceId::new("Subnet")]
            .cidr
            .value()
            .map(ToString::to_string),
        Some("10.9.0.0/24".to_owned())
    );
    let location = model.vpcs[&ResourceId::new("Vpc")]
        .provenance
        .location
        .clone()
        .expect("located");
    assert_eq!(
        location.path,
        "tests/fixtures/cloudformation/nested/stacks/network.yaml"
    );
    // A nested stack whose template is only in S3 is not read: said once, where its TemplateURL is.
    let unread: Vec<_> = model
        .diagnostics
        .iter()
        .filter(|d| d.kind == privlink_model::DiagnosticKind::UnreadInput)
        .collect();
    assert_eq!(unread.len(), 1, "{unread:?}");
    assert!(
        unread[0]
            .message
            .starts_with("nested stack Remote: its TemplateURL")
    );
    assert_eq!(unread[0].location.as_ref().map(|l| l.line), Some(21));
}

#[test]
fn same_logical_ids_in_two_templates_are_qualified() {
    let loaded = load(&[fixture("duplicates")], &options(None, &[]));
    assert_eq!(loaded.inputs[0].format, InputFormat::CloudFormation);
    let model = loaded.model;
    let vpcs: Vec<&str> = model.vpcs.keys().map(ResourceId::as_str).collect();
    assert_eq!(vpcs, ["a.Vpc", "b.Vpc", "JsonVpc"]);
    assert_eq!(
        model.subnets[&ResourceId::new("Onlyb")].vpc,
        Known::Value(ResourceId::new("b.Vpc"))
    );
    assert_eq!(
        model.vpcs[&ResourceId::new("JsonVpc")].dns_support,
        Known::Value(false),
        "\"false\" in JSON"
    );
    let location = model.vpcs[&ResourceId::new("JsonVpc")]
        .provenance
        .location
        .clone()
        .expect("JSON keeps positions");
    assert_eq!((location.line, location.column), (4, 5));
}

#[test]
fn parameters_from_the_command_line_and_conditions() {
    let model = load_ok(
        &[fixture("parameters")],
        &options(None, &[("VpcCidr", "10.5.0.0/16"), ("Env", "prd")]),
    );
    let vpc = &model.vpcs[&ResourceId::new("Vpc")];
    assert_eq!(vpc.cidrs.known[0].to_string(), "10.5.0.0/16");
    assert_eq!(vpc.dns_hostnames, Known::Value(true));
    assert!(
        model
            .internet_gateways
            .contains_key(&ResourceId::new("ProdOnly")),
        "its condition holds"
    );
    let model = load_ok(&[fixture("parameters")], &options(None, &[]));
    assert!(
        model.internet_gateways.is_empty(),
        "IsPrd is false with the default"
    );
    assert!(
        !model.vpcs[&ResourceId::new("Vpc")].cidrs.is_complete(),
        "VpcCidr has no value"
    );
    let loaded = load(&[fixture("parameters")], &options(None, &[("Envv", "x")]));
    let errors: Vec<String> = loaded.inputs[0]
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        ["--parameter: no template given declares a parameter `Envv`"]
    );
}

#[test]
fn bad_templates_are_errors_with_positions_and_the_others_still_load() {
    let paths: Vec<PathBuf> = [
        "bad/invalid-yaml.yaml",
        "bad/unknown-tag.yaml",
        "bad/ref-to-nothing.yaml",
        "bad/circular-conditions.yaml",
        "network.yaml",
    ]
    .iter()
    .map(|p| fixture(p))
    .collect();
    let loaded: Loaded = load(&paths, &options(Some("ap-northeast-1"), &[]));
    let errors: Vec<Vec<String>> = loaded
        .inputs
        .iter()
        .map(|i| i.errors.iter().map(ToString::to_string).collect())
        .collect();
    insta::assert_debug_snapshot!("bad_templates", errors);
    assert!(
        errors[0][0].starts_with("tests/fixtures/cloudformation/bad/invalid-yaml.yaml:6:"),
        "{errors:?}"
    );
    assert_eq!(
        errors[1],
        ["tests/fixtures/cloudformation/bad/unknown-tag.yaml:5:18: unknown tag `!Reff`"]
    );
    assert_eq!(
        errors[2],
        [
            "tests/fixtures/cloudformation/bad/ref-to-nothing.yaml:9:14: `Ref VPC`: no parameter or resource of this template is named `VPC`"
        ]
    );
    assert_eq!(
        errors[3],
        [
            "tests/fixtures/cloudformation/bad/circular-conditions.yaml:2:3: condition `IsProd` depends on itself"
        ]
    );
    assert!(errors[4].is_empty());
    assert!(
        loaded
            .model
            .endpoints
            .contains_key(&ResourceId::new("EcrApi")),
        "the good template is analysed"
    );
}
