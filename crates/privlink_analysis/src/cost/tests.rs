//! The designs end to end on models built here: seed 004's Tokyo figures and the domain notes' worked
//! example (§7.2), priced from a model through the real analysis.

use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    Direction, EndpointKind, Feature, Image, InternetGateway, Known, Location, Model, NaclAction,
    NaclEntry, NatConnectivity, NatGateway, NetworkAcl, Partial, Provenance, ResourceId, Route,
    RouteDestination, RouteTable, RouteTableAssociation, RouteTarget, SecurityGroup, SgPeer,
    SgRule, Subnet, Vpc, VpcEndpoint, Workload, WorkloadKind,
};
use rust_decimal::Decimal;

use super::*;
use crate::{Options, analyze};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn id(text: &str) -> ResourceId {
    ResourceId::new(text)
}

fn at(address: &str) -> Provenance {
    Provenance::declared(address, Some(Location::new("main.tf", 1, 1)))
}

const VPC: &str = "aws_vpc.main";
const REGION: &str = "ap-northeast-1";

/// How the private subnets get out.
#[derive(Clone, Copy, PartialEq)]
enum Egress {
    /// No NAT: endpoints only.
    None,
    /// One NAT gateway in the first AZ for every private subnet.
    SingleNat,
    /// A NAT gateway in each AZ.
    NatPerAz,
}

/// A Tokyo VPC with a private subnet per AZ, a Fargate 1.4.0 service pulling from ECR with
/// `awslogs` and Secrets Manager (four interface services and S3), the given endpoints (each with an
/// ENI in every AZ) and egress.
fn model(azs: &[&str], endpoints: &[&str], egress: Egress) -> Model {
    let mut m = Model::default();
    let main_rt = id("aws_vpc.main#main-route-table");
    m.vpcs.insert(
        id(VPC),
        Vpc {
            id: id(VPC),
            provenance: at(VPC),
            region: Known::Value(REGION.into()),
            cidrs: Partial::complete(vec!["10.0.0.0/16".parse().unwrap()]),
            dns_support: Known::Value(true),
            dns_hostnames: Known::Value(true),
            main_route_table: Known::Value(main_rt.clone()),
            default_security_group: id("aws_vpc.main#default-security-group"),
            default_network_acl: id("aws_vpc.main#default-network-acl"),
        },
    );
    m.route_tables.insert(
        main_rt.clone(),
        RouteTable {
            id: main_rt,
            provenance: at("main"),
            vpc: Known::Value(id(VPC)),
            routes: Partial::default(),
        },
    );
    let all = |direction| NaclEntry {
        rule_number: 100,
        direction,
        protocol: Protocol::All,
        ports: PortRange::ALL,
        cidr: Known::Value("0.0.0.0/0".parse().unwrap()),
        action: NaclAction::Allow,
        provenance: at("acl"),
    };
    let acl = id("aws_vpc.main#default-network-acl");
    m.network_acls.insert(
        acl.clone(),
        NetworkAcl {
            id: acl,
            provenance: at("acl"),
            vpc: Known::Value(id(VPC)),
            is_default: true,
            subnets: Partial::default(),
            entries: Partial::complete(vec![all(Direction::Ingress), all(Direction::Egress)]),
        },
    );
    let rule = |peer| SgRule {
        protocol: Protocol::Tcp,
        ports: PortRange::HTTPS,
        peer,
        provenance: at("sg"),
    };
    for (name, ingress, egress) in [
        (
            "aws_security_group.app",
            vec![],
            vec![rule(SgPeer::Ipv4("0.0.0.0/0".parse().unwrap()))],
        ),
        (
            "aws_security_group.endpoints",
            vec![rule(SgPeer::Ipv4("10.0.0.0/16".parse().unwrap()))],
            vec![],
        ),
        ("aws_vpc.main#default-security-group", vec![], vec![]),
    ] {
        m.security_groups.insert(
            id(name),
            SecurityGroup {
                id: id(name),
                provenance: at(name),
                vpc: Known::Value(id(VPC)),
                is_default: name.contains('#'),
                ingress: Partial::complete(ingress),
                egress: Partial::complete(egress),
            },
        );
    }
    let igw = id("aws_internet_gateway.main");
    m.internet_gateways.insert(
        igw.clone(),
        InternetGateway {
            id: igw.clone(),
            provenance: at("igw"),
            vpc: Some(Known::Value(id(VPC))),
        },
    );
    let public_rt = id("aws_route_table.public");
    let default_route = |target| Route {
        destination: RouteDestination::Ipv4("0.0.0.0/0".parse().unwrap()),
        target,
        provenance: at("route"),
    };
    m.route_tables.insert(
        public_rt.clone(),
        RouteTable {
            id: public_rt.clone(),
            provenance: at("public"),
            vpc: Known::Value(id(VPC)),
            routes: Partial::complete(vec![default_route(RouteTarget::InternetGateway(igw))]),
        },
    );
    let mut private = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let subnet = |kind: &str, third: usize| {
            let sid = id(&format!("aws_subnet.{kind}_{az}"));
            (
                sid.clone(),
                Subnet {
                    id: sid.clone(),
                    provenance: at(sid.as_str()),
                    vpc: Known::Value(id(VPC)),
                    cidr: Known::Value(format!("10.0.{third}.0/24").parse().unwrap()),
                    availability_zone: Known::Value(format!("{REGION}{az}")),
                    map_public_ip_on_launch: Known::Value(kind == "public"),
                },
            )
        };
        let (private_id, s) = subnet("private", i);
        m.subnets.insert(private_id.clone(), s);
        let (public_id, s) = subnet("public", 100 + i);
        m.subnets.insert(public_id.clone(), s);
        m.route_table_associations.push(RouteTableAssociation {
            subnet: Known::Value(public_id.clone()),
            route_table: Known::Value(public_rt.clone()),
            provenance: at("assoc"),
        });
        if egress == Egress::NatPerAz || (egress == Egress::SingleNat && i == 0) {
            let nat = id(&format!("aws_nat_gateway.{az}"));
            m.nat_gateways.insert(
                nat.clone(),
                NatGateway {
                    id: nat,
                    provenance: at("nat"),
                    subnet: Known::Value(public_id),
                    connectivity: NatConnectivity::Public,
                },
            );
        }
        let rt = id(&format!("aws_route_table.private_{az}"));
        let nat = match egress {
            Egress::None => None,
            Egress::SingleNat => Some(id(&format!("aws_nat_gateway.{}", azs[0]))),
            Egress::NatPerAz => Some(id(&format!("aws_nat_gateway.{az}"))),
        };
        let routes = nat
            .map(|n| vec![default_route(RouteTarget::NatGateway(n))])
            .unwrap_or_default();
        m.route_tables.insert(
            rt.clone(),
            RouteTable {
                id: rt.clone(),
                provenance: at("rt"),
                vpc: Known::Value(id(VPC)),
                routes: Partial::complete(routes),
            },
        );
        m.route_table_associations.push(RouteTableAssociation {
            subnet: Known::Value(private_id.clone()),
            route_table: Known::Value(rt),
            provenance: at("assoc"),
        });
        private.push(private_id);
    }
    for service in endpoints {
        let eid = id(&format!("aws_vpc_endpoint.{}", service.replace('.', "_")));
        let gateway = *service == "s3";
        m.endpoints.insert(
            eid.clone(),
            VpcEndpoint {
                id: eid.clone(),
                provenance: at(eid.as_str()),
                vpc: Known::Value(id(VPC)),
                service_name: Known::Value(format!("com.amazonaws.{REGION}.{service}")),
                kind: Known::Value(if gateway {
                    EndpointKind::Gateway
                } else {
                    EndpointKind::Interface
                }),
                private_dns: Known::Value(!gateway),
                subnets: Partial::complete(if gateway { vec![] } else { private.clone() }),
                security_groups: Partial::complete(if gateway {
                    vec![]
                } else {
                    vec![id("aws_security_group.endpoints")]
                }),
                route_tables: Partial::complete(if gateway {
                    azs.iter()
                        .map(|az| id(&format!("aws_route_table.private_{az}")))
                        .collect()
                } else {
                    vec![]
                }),
                policy: Known::Value(None),
                service_region: None,
            },
        );
    }
    m.workloads.push(Workload {
        name: "app".into(),
        kind: WorkloadKind::EcsFargate,
        platform_version: Some("1.4.0".into()),
        windows: false,
        subnets: Partial::complete(private),
        security_groups: Partial::complete(vec![id("aws_security_group.app")]),
        assign_public_ip: Some(Known::Value(false)),
        features: vec![Feature::Awslogs, Feature::SecretsManager],
        images: vec![Image {
            reference: Known::Value(format!("123456789012.dkr.ecr.{REGION}.amazonaws.com/app:1")),
            container: None,
            location: None,
        }],
        efs_file_systems: Vec::new(),
        cluster: None,
        assumed: false,
        provenance: at("aws_ecs_service.app"),
    });
    m
}

const ALL_ENDPOINTS: &[&str] = &["ecr.api", "ecr.dkr", "logs", "secretsmanager", "s3"];

fn priced(m: &Model, traffic: &Traffic) -> Estimate {
    let analysis = analyze(m, &Options::default());
    let mut sets = estimate(&analysis, m, PriceTable::embedded(), traffic);
    assert_eq!(sets.len(), 1);
    sets.remove(0).result.expect("priced")
}

/// All traffic as "other": through the interface endpoints, as the domain notes' formula assumes.
fn all_interface(gb: &str) -> Traffic {
    Traffic::configured(Decimal::ZERO, Decimal::ZERO, d(gb))
}

fn item<'a>(design: &'a Design, label: &str) -> &'a LineItem {
    design
        .items
        .iter()
        .find(|i| i.label.contains(label))
        .unwrap_or_else(|| panic!("no `{label}` in {:#?}", design.items))
}

/// §7.2 worked example: Tokyo, 3 AZs, ECR + logs + secrets = 4 interface endpoints: 122.64 a month;
/// three NATs 135.78 + 10.95 EIP; one NAT 45.26 + 3.65 EIP.
#[test]
fn domain_worked_example() {
    let e = priced(
        &model(&["a", "c", "d"], &[], Egress::None),
        &all_interface("0"),
    );
    assert_eq!(
        e.azs,
        ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
    );
    assert_eq!(
        e.interface_services,
        ["ecr.api", "secretsmanager", "ecr.dkr", "logs"]
    );
    assert_eq!(e.gateway_services, ["s3"]);
    let endpoints = e.design(DesignKind::Endpoints);
    assert_eq!(endpoints.curve.fixed, d("122.64"));
    assert_eq!(endpoints.total_usd(), d("122.64"));
    // Seed 004: one endpoint in one AZ is 0.014 × 730 = 10.22 a month.
    let ecr_api = item(endpoints, "ecr.api interface endpoint");
    assert_eq!(
        (ecr_api.quantity, ecr_api.unit_usd, ecr_api.usd),
        (d("2190"), d("0.014"), d("30.66"))
    );
    assert_eq!(ecr_api.usd / Decimal::from(3), d("10.22"));
    assert_eq!(item(endpoints, "s3 gateway endpoint").usd, Decimal::ZERO);
    let per_az = e.design(DesignKind::NatPerAz);
    assert_eq!(
        item(per_az, "NAT gateway in each of 3 AZs").usd,
        d("135.78")
    );
    assert_eq!(item(per_az, "Elastic IPs").usd, d("10.95"));
    let single = e.design(DesignKind::SingleNat);
    assert_eq!(item(single, "one NAT gateway").usd, d("45.26"));
    assert_eq!(item(single, "Elastic IP").usd, d("3.65"));
    assert_eq!(single.curve.fixed, d("48.91"));
    // Against three NATs, endpoints are cheaper at any volume.
    let vs_per_az = &e.comparison(DesignKind::NatPerAz).unwrap().crossings;
    assert_eq!(
        (vs_per_az.from_zero, vs_per_az.break_even_gb()),
        (Cheaper::Endpoints, None)
    );
}

/// Seed 004: 1 TB through a Tokyo NAT gateway costs 0.062 × 1024 in processing, through an
/// interface endpoint 0.01 × 1024.
#[test]
fn one_terabyte_in_tokyo() {
    let e = priced(&model(&["a"], &[], Egress::None), &all_interface("1024"));
    assert_eq!(
        item(
            e.design(DesignKind::NatPerAz),
            "NAT gateway data processing"
        )
        .usd,
        d("63.488")
    );
    assert_eq!(
        item(
            e.design(DesignKind::Endpoints),
            "interface endpoint data processing"
        )
        .usd,
        d("10.24")
    );
    // One AZ: one NAT, 45.26 + 3.65 + 63.488; four endpoints, 4 × 10.22 + 10.24.
    assert_eq!(e.design(DesignKind::NatPerAz).total_usd(), d("112.398"));
    assert_eq!(e.design(DesignKind::Endpoints).total_usd(), d("51.12"));
}

/// The single NAT in one of three AZs: two thirds of the traffic crosses AZs, so the break-even
/// against it is (122.64 − 48.91) / (0.062 + ⅔·0.01 − 0.01).
#[test]
fn single_nat_pays_cross_az_for_the_other_azs() {
    let e = priced(
        &model(&["a", "c", "d"], &[], Egress::None),
        &all_interface("300"),
    );
    let single = e.design(DesignKind::SingleNat);
    assert_eq!(single.summary, "single NAT gateway (in ap-northeast-1a)");
    let cross = item(single, "cross-AZ transfer");
    assert_eq!(cross.quantity, d("200"));
    let gb = e
        .comparison(DesignKind::SingleNat)
        .unwrap()
        .crossings
        .break_even_gb()
        .unwrap();
    let per_gb = d("0.062") + d("0.01") * Decimal::TWO / Decimal::from(3) - d("0.01");
    assert_eq!(gb.round_dp(6), (d("73.73") / per_gb).round_dp(6));
    assert_eq!(gb.round(), d("1257"));
}

/// As written with every endpoint: the same as the endpoints design, at any volume.
#[test]
fn as_written_with_every_endpoint_is_the_endpoints_design() {
    let e = priced(
        &model(&["a", "c", "d"], ALL_ENDPOINTS, Egress::None),
        &Traffic::default(),
    );
    let written = e.design(DesignKind::AsWritten);
    let endpoints = e.design(DesignKind::Endpoints);
    assert_eq!(written.total_usd(), endpoints.total_usd());
    assert_eq!(written.curve, endpoints.curve);
    assert_eq!(written.summary, "0 NAT gateways, 4 interface endpoints");
    assert_eq!(
        e.comparison(DesignKind::AsWritten)
            .unwrap()
            .crossings
            .from_zero,
        Cheaper::Same
    );
}

/// As written behind one NAT gateway with no endpoints: NAT processing for everything and cross-AZ
/// for the two AZs without the NAT, the same as the single-NAT design.
#[test]
fn as_written_behind_a_single_nat() {
    let e = priced(
        &model(&["a", "c", "d"], &[], Egress::SingleNat),
        &Traffic::default(),
    );
    let written = e.design(DesignKind::AsWritten);
    assert_eq!(written.summary, "1 NAT gateway, 0 interface endpoints");
    assert_eq!(written.curve, e.design(DesignKind::SingleNat).curve);
    assert_eq!(
        item(written, "NAT gateway data processing").quantity,
        d("100")
    );
    // Default traffic: 100 GB. NAT 45.26 + EIP 3.65 + 100 × 0.062 + ⅔ × 100 × 0.01.
    assert_eq!(written.total_usd().round_dp(2), d("55.78"));
}

/// As written with a NAT per AZ and an S3 gateway: image pulls ride the free gateway, the rest pays
/// NAT processing; no cross-AZ.
#[test]
fn as_written_with_nat_per_az_and_an_s3_gateway() {
    let e = priced(
        &model(&["a", "c"], &["s3"], Egress::NatPerAz),
        &Traffic::default(),
    );
    let written = e.design(DesignKind::AsWritten);
    assert_eq!(
        item(written, "NAT gateway data processing").quantity,
        d("20")
    );
    assert!(written.items.iter().all(|i| !i.label.contains("cross-AZ")));
    assert_eq!(
        item(written, "aws_vpc_endpoint.s3 (s3) gateway endpoint").usd,
        Decimal::ZERO
    );
    // 2 × 45.26 + 2 × 3.65 + 20 × 0.062
    assert_eq!(written.total_usd(), d("99.06"));
}

/// Line items and curves agree, for every design, at the priced traffic.
#[test]
fn line_items_agree_with_the_curves() {
    for egress in [Egress::None, Egress::SingleNat, Egress::NatPerAz] {
        let m = model(&["a", "c", "d"], &["logs", "s3"], egress);
        let traffic = Traffic::configured(d("700"), d("55.5"), d("13"));
        let e = priced(&m, &traffic);
        for design in &e.designs {
            // The curve divides once per share; the items, once per item: equal to 20 places.
            assert_eq!(
                design.curve.at(&e.prices, traffic.total()).round_dp(20),
                design.total_usd().round_dp(20),
                "{:?}",
                design.kind
            );
        }
    }
}

/// Blocked flows are not priced as written, and the estimate says so.
#[test]
fn blocked_flows_are_left_out_and_said() {
    let e = priced(
        &model(&["a"], &["ecr.api", "ecr.dkr", "s3"], Egress::None),
        &Traffic::default(),
    );
    let written = e.design(DesignKind::AsWritten);
    // logs and secretsmanager are blocked: of the other 10 GB, shared by ecr.api, secretsmanager
    // and ecr.dkr, only the two ECR thirds are priced, through interface endpoints.
    let processing = item(written, "interface endpoint data processing");
    assert_eq!(
        processing.quantity.round_dp(20),
        (d("10") * Decimal::TWO / Decimal::from(3)).round_dp(20)
    );
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("blocked or undetermined")),
        "{:#?}",
        e.notes
    );
    // logs (10 GB) and secretsmanager (a third of the other 10): 13⅓ of 100 GB.
    assert_eq!(written.unpriced_share.round_dp(10), d("0.1333333333"));
    assert!(e.designs[1..].iter().all(|d| d.unpriced_share.is_zero()));
}

#[test]
fn region_not_in_the_table_is_not_priced_and_names_the_known_regions() {
    let mut m = model(&["a"], &[], Egress::None);
    m.vpcs[0].region = Known::Value("sa-east-1".into());
    let analysis = analyze(&m, &Options::default());
    let sets = estimate(&analysis, &m, PriceTable::embedded(), &Traffic::default());
    let Err(NotPriced::Region(e)) = &sets[0].result else {
        panic!("{:?}", sets[0].result)
    };
    assert_eq!(e.region, "sa-east-1");
    assert!(
        sets[0]
            .result
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("ap-northeast-1, ap-southeast-1")
    );
}

#[test]
fn unknown_region_asks_for_one() {
    let mut m = model(&["a"], &[], Egress::None);
    m.vpcs[0].region = Known::unknown("var.region has no value");
    let analysis = analyze(&m, &Options::default());
    let sets = estimate(&analysis, &m, PriceTable::embedded(), &Traffic::default());
    assert_eq!(sets[0].result, Err(NotPriced::RegionUnknown));
    let analysis = analyze(
        &m,
        &Options {
            region: Some(REGION.into()),
            ..Options::default()
        },
    );
    assert!(
        estimate(&analysis, &m, PriceTable::embedded(), &Traffic::default())[0]
            .result
            .is_ok()
    );
}

/// Docker Hub images need no S3: image pulls cannot be priced, and the estimate says why.
#[test]
fn image_pulls_without_ecr_are_said_to_be_unpriced() {
    let mut m = model(&["a"], &[], Egress::None);
    m.workloads[0].images[0].reference = Known::Value("nginx:1.27".into());
    let e = priced(&m, &Traffic::default());
    assert!(
        e.notes
            .iter()
            .any(|n| n.starts_with("image pulls traffic (80 GB) is not priced")),
        "{:#?}",
        e.notes
    );
    assert_eq!(e.gateway_services, Vec::<String>::new());
}
