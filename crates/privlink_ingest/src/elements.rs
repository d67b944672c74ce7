//! Model elements every front-end builds the same way: a VPC with the companions AWS creates with it,
//! placeholders for what lies outside the inputs, an EKS cluster's security group and Auto Mode nodes.
//!
//! Front-ends decide what their inputs say (defaults, references, ids); this module owns what AWS
//! does regardless of how the network was written, so Terraform, CloudFormation and live snapshots
//! agree on it.

use ipnet::Ipv4Net;
use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    Direction, Known, Location, Model, NaclAction, NaclEntry, NetworkAcl, Partial, Provenance,
    ResourceId, RouteTable, SecurityGroup, SgPeer, SgRule, Subnet, Unknown, Vpc, Workload,
    WorkloadKind,
};

/// The kind of model element a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ElementKind {
    Vpc,
    Subnet,
    RouteTable,
    SecurityGroup,
    NetworkAcl,
    Endpoint,
    InternetGateway,
    NatGateway,
    EksCluster,
    /// Anything else: the address is used as is (task definitions, file systems, route targets).
    Other,
}

impl ElementKind {
    /// How messages name the kind.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Self::Vpc => "VPC",
            Self::Subnet => "subnet",
            Self::RouteTable => "route table",
            Self::SecurityGroup => "security group",
            Self::NetworkAcl => "network ACL",
            Self::Endpoint => "VPC endpoint",
            Self::InternetGateway => "internet gateway",
            Self::NatGateway => "NAT gateway",
            Self::EksCluster => "EKS cluster",
            Self::Other => "resource",
        }
    }
}

/// A security-group rule that allows everything to or from `peer` (AWS's defaults).
pub(crate) fn allow_all(peer: SgPeer, provenance: Provenance) -> SgRule {
    SgRule {
        protocol: Protocol::All,
        ports: PortRange::ALL,
        peer,
        provenance,
    }
}

fn everywhere() -> Ipv4Net {
    "0.0.0.0/0".parse().expect("a valid CIDR")
}

/// A VPC as a front-end reads it.
#[derive(Debug)]
pub(crate) struct VpcDeclaration {
    pub(crate) id: ResourceId,
    pub(crate) provenance: Provenance,
    pub(crate) region: Known<String>,
    pub(crate) cidrs: Partial<Ipv4Net>,
    pub(crate) dns_support: Known<bool>,
    pub(crate) dns_hostnames: Known<bool>,
}

/// Adds a VPC with what AWS creates with it: the main route table (local route only), the default
/// security group (all traffic from its members, all egress) and the default network ACL (rule 100
/// allows everything both ways), each located where the VPC is written.
pub(crate) fn insert_vpc(model: &mut Model, vpc: VpcDeclaration) {
    let id = vpc.id;
    let at = vpc.provenance.location.clone();
    let note = format!("created with {}", vpc.provenance.address);
    let main_rt = id.implicit("main-route-table");
    let default_sg = id.implicit("default-security-group");
    let default_acl = id.implicit("default-network-acl");
    let implicit =
        |element: &ResourceId| Provenance::implicit(element.as_str(), at.clone(), note.clone());
    model.route_tables.insert(
        main_rt.clone(),
        RouteTable {
            id: main_rt.clone(),
            provenance: implicit(&main_rt),
            vpc: Known::Value(id.clone()),
            routes: Partial::default(),
        },
    );
    let sg_prov = implicit(&default_sg);
    model.security_groups.insert(
        default_sg.clone(),
        SecurityGroup {
            id: default_sg.clone(),
            provenance: sg_prov.clone(),
            vpc: Known::Value(id.clone()),
            is_default: true,
            ingress: Partial::complete(vec![allow_all(
                SgPeer::SecurityGroup(default_sg.clone()),
                sg_prov.clone(),
            )]),
            egress: Partial::complete(vec![allow_all(SgPeer::Ipv4(everywhere()), sg_prov)]),
        },
    );
    let acl_prov = implicit(&default_acl);
    let allow = |direction| NaclEntry {
        rule_number: 100,
        direction,
        protocol: Protocol::All,
        ports: PortRange::ALL,
        cidr: Known::Value(everywhere()),
        action: NaclAction::Allow,
        provenance: acl_prov.clone(),
    };
    model.network_acls.insert(
        default_acl.clone(),
        NetworkAcl {
            id: default_acl.clone(),
            provenance: acl_prov.clone(),
            vpc: Known::Value(id.clone()),
            is_default: true,
            subnets: Partial::default(),
            entries: Partial::complete(vec![allow(Direction::Ingress), allow(Direction::Egress)]),
        },
    );
    model.vpcs.insert(
        id.clone(),
        Vpc {
            id,
            provenance: vpc.provenance,
            region: vpc.region,
            cidrs: vpc.cidrs,
            dns_support: vpc.dns_support,
            dns_hostnames: vpc.dns_hostnames,
            main_route_table: Known::Value(main_rt),
            default_security_group: default_sg,
            default_network_acl: default_acl,
        },
    );
}

/// Adds, once, the placeholder of `kind` for something outside the inputs: an element whose
/// attributes are all unknown (a VPC gets a default security group and network ACL whose rules are
/// unknown). Gateways, endpoints and clusters stay bare ids: routes and rules name them, and
/// analysis says what it cannot see behind them.
pub(crate) fn insert_placeholder(
    model: &mut Model,
    kind: ElementKind,
    id: &ResourceId,
    provenance: Provenance,
    region: Known<String>,
) {
    let reference = match &provenance.origin {
        privlink_model::Origin::External { reference } => reference.clone(),
        _ => id.to_string(),
    };
    let reason = format!("{reference} is not defined in the inputs");
    let outside = || Unknown::new(reason.clone());
    match kind {
        ElementKind::Vpc if !model.vpcs.contains_key(id) => {
            let sg = id.implicit("default-security-group");
            let acl = id.implicit("default-network-acl");
            model.security_groups.insert(
                sg.clone(),
                SecurityGroup {
                    id: sg.clone(),
                    provenance: provenance.clone(),
                    vpc: Known::Value(id.clone()),
                    is_default: true,
                    ingress: Partial::unknown(reason.clone()),
                    egress: Partial::unknown(reason.clone()),
                },
            );
            model.network_acls.insert(
                acl.clone(),
                NetworkAcl {
                    id: acl.clone(),
                    provenance: provenance.clone(),
                    vpc: Known::Value(id.clone()),
                    is_default: true,
                    subnets: Partial::default(),
                    entries: Partial::unknown(reason.clone()),
                },
            );
            model.vpcs.insert(
                id.clone(),
                Vpc {
                    id: id.clone(),
                    provenance,
                    region,
                    cidrs: Partial::unknown(reason.clone()),
                    dns_support: Known::Unknown(outside()),
                    dns_hostnames: Known::Unknown(outside()),
                    main_route_table: Known::Unknown(outside()),
                    default_security_group: sg,
                    default_network_acl: acl,
                },
            );
        }
        ElementKind::Subnet => {
            model.subnets.entry(id.clone()).or_insert_with(|| Subnet {
                id: id.clone(),
                provenance,
                vpc: Known::Unknown(outside()),
                cidr: Known::Unknown(outside()),
                availability_zone: Known::Unknown(outside()),
                map_public_ip_on_launch: Known::Unknown(outside()),
            });
        }
        ElementKind::RouteTable => {
            model
                .route_tables
                .entry(id.clone())
                .or_insert_with(|| RouteTable {
                    id: id.clone(),
                    provenance,
                    vpc: Known::Unknown(outside()),
                    routes: Partial::unknown(reason.clone()),
                });
        }
        ElementKind::SecurityGroup => {
            model
                .security_groups
                .entry(id.clone())
                .or_insert_with(|| SecurityGroup {
                    id: id.clone(),
                    provenance,
                    vpc: Known::Unknown(outside()),
                    is_default: false,
                    ingress: Partial::unknown(reason.clone()),
                    egress: Partial::unknown(reason.clone()),
                });
        }
        ElementKind::NetworkAcl => {
            model
                .network_acls
                .entry(id.clone())
                .or_insert_with(|| NetworkAcl {
                    id: id.clone(),
                    provenance,
                    vpc: Known::Unknown(outside()),
                    is_default: false,
                    subnets: Partial::default(),
                    entries: Partial::unknown(reason.clone()),
                });
        }
        ElementKind::Vpc
        | ElementKind::Endpoint
        | ElementKind::InternetGateway
        | ElementKind::NatGateway
        | ElementKind::EksCluster
        | ElementKind::Other => {}
    }
}

/// Places placeholders an endpoint names (its subnets, security groups or route tables) in the
/// endpoint's VPC: AWS refuses them anywhere else, so that much is known about them.
pub(crate) fn place_in_vpc(model: &mut Model, ids: &Partial<ResourceId>, vpc: &Known<ResourceId>) {
    let Known::Value(vpc) = vpc else { return };
    let set = |v: &mut Known<ResourceId>, external: bool| {
        if external && !v.is_known() {
            *v = Known::Value(vpc.clone());
        }
    };
    for id in ids {
        if let Some(s) = model.subnets.get_mut(id) {
            set(&mut s.vpc, s.provenance.is_external());
        } else if let Some(g) = model.security_groups.get_mut(id) {
            set(&mut g.vpc, g.provenance.is_external());
        } else if let Some(rt) = model.route_tables.get_mut(id) {
            set(&mut rt.vpc, rt.provenance.is_external());
        }
    }
}

/// Adds the security group EKS creates for a cluster and attaches to the control plane and to
/// managed nodes without launch-template groups: all traffic from itself, all egress.
pub(crate) fn insert_cluster_security_group(
    model: &mut Model,
    cluster: &ResourceId,
    at: Option<Location>,
    vpc: Known<ResourceId>,
) -> ResourceId {
    let sg = cluster.implicit("cluster-security-group");
    let prov = Provenance::implicit(sg.as_str(), at, format!("created by EKS for {cluster}"));
    model.security_groups.insert(
        sg.clone(),
        SecurityGroup {
            id: sg.clone(),
            provenance: prov.clone(),
            vpc,
            is_default: false,
            ingress: Partial::complete(vec![allow_all(
                SgPeer::SecurityGroup(sg.clone()),
                prov.clone(),
            )]),
            egress: Partial::complete(vec![allow_all(SgPeer::Ipv4(everywhere()), prov)]),
        },
    );
    sg
}

/// The nodes of an EKS Auto Mode cluster (`compute_config` / `ComputeConfig` enabled): EKS launches
/// them itself, for the built-in node pools and any custom one, in the cluster's subnets with the
/// cluster security group unless a custom node class says otherwise
/// (<https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html>). They pull images
/// and call AWS as any EKS node does.
pub(crate) fn auto_mode_nodes(
    cluster_name: &str,
    cluster: &ResourceId,
    subnets: &Partial<ResourceId>,
    cluster_security_group: &ResourceId,
    provenance: Provenance,
) -> Workload {
    Workload {
        name: format!("{cluster_name}-auto-mode"),
        kind: WorkloadKind::EksNode,
        platform_version: None,
        windows: false,
        subnets: subnets.clone(),
        security_groups: Partial::complete(vec![cluster_security_group.clone()]),
        assign_public_ip: None,
        features: Vec::new(),
        images: Vec::new(),
        efs_file_systems: Vec::new(),
        cluster: Some(cluster.clone()),
        assumed: false,
        provenance,
    }
}

/// Associates a subnet with a network ACL: a subnet has exactly one, so the association moves it
/// off any other. An unknown subnet leaves the ACL's subnets incomplete.
pub(crate) fn associate_network_acl(
    model: &mut Model,
    acl: Known<ResourceId>,
    subnet: Known<ResourceId>,
) {
    match (acl, subnet) {
        (Known::Value(acl), Known::Value(subnet)) => {
            for a in model.network_acls.values_mut() {
                a.subnets.known.retain(|s| s != &subnet);
            }
            if let Some(a) = model.network_acls.get_mut(&acl) {
                a.subnets.push(subnet);
            }
        }
        (Known::Value(acl), Known::Unknown(u)) => {
            if let Some(a) = model.network_acls.get_mut(&acl) {
                a.subnets.mark_incomplete(u);
            }
        }
        (Known::Unknown(_), _) => {}
    }
}

/// An ACL entry whose ACL is unknown could belong to any: every ACL's entries become incomplete.
pub(crate) fn mark_acl_entries_unknown(model: &mut Model, address: &str, cause: &Unknown) {
    let reason = Unknown::new(format!(
        "{address} adds an entry privlink cannot place ({})",
        cause.reason
    ));
    for a in model.network_acls.values_mut() {
        a.entries.mark_incomplete(reason.clone());
    }
}
