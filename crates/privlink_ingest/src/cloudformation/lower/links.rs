//! Resolving property values to model element ids.
//!
//! A property that names another resource is, before deployment, `!Ref X` or `!GetAtt X.GroupId`:
//! an unknown value standing for resource X. It resolves to X's id. A value standing for something
//! outside the given templates (an import no template exports, a parameter without a value, a
//! literal `vpc-0abc...`) becomes a placeholder element marked [`privlink_model::Origin::External`]
//! (imports are named `import:EXPORT-NAME`), so links still hold while what is behind them stays
//! unknown and analysis reports `unknown` instead of a guess.

use privlink_model::net::{PortRange, Protocol};
use privlink_model::{
    Diagnostic, DiagnosticKind, Known, Location, NetworkAcl, Partial, Provenance, ResourceId,
    RouteTable, SecurityGroup, SgPeer, SgRule, Subnet, Unknown, Vpc,
};

use super::Lowerer;
use super::attrs::unknown_of;
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::{Target, Value};

/// The kind of model element a property points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ElementKind {
    Vpc,
    Subnet,
    RouteTable,
    SecurityGroup,
    NetworkAcl,
    Endpoint,
    InternetGateway,
    NatGateway,
    EksCluster,
    /// Anything else: task definitions, file systems, route targets.
    Other,
}

impl ElementKind {
    pub(super) fn of_type(resource_type: &str) -> Self {
        match resource_type {
            "AWS::EC2::VPC" => Self::Vpc,
            "AWS::EC2::Subnet" => Self::Subnet,
            "AWS::EC2::RouteTable" => Self::RouteTable,
            "AWS::EC2::SecurityGroup" => Self::SecurityGroup,
            "AWS::EC2::NetworkAcl" => Self::NetworkAcl,
            "AWS::EC2::VPCEndpoint" => Self::Endpoint,
            "AWS::EC2::InternetGateway" => Self::InternetGateway,
            "AWS::EC2::NatGateway" => Self::NatGateway,
            "AWS::EKS::Cluster" | "Custom::AWSCDK-EKS-Cluster" => Self::EksCluster,
            _ => Self::Other,
        }
    }

    fn noun(self) -> &'static str {
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

/// Prefixes of AWS ids, to tell a literal id from other strings.
const AWS_ID_PREFIXES: [&str; 10] = [
    "vpc-", "subnet-", "rtb-", "sg-", "acl-", "vpce-", "igw-", "nat-", "eni-", "tgw-",
];

/// Attributes that name the resource itself (`!GetAtt Sg.GroupId` is the group).
const IDENTITY_ATTRIBUTES: [&str; 12] = [
    "GroupId",
    "Id",
    "SubnetId",
    "RouteTableId",
    "VpcId",
    "NetworkAclId",
    "InternetGatewayId",
    "NatGatewayId",
    "Arn",
    "Name",
    "TaskDefinitionArn",
    "AllocationId",
];

impl<'a> Lowerer<'a> {
    /// The resource a value stands for exactly.
    pub(super) fn referenced(&self, value: &Value) -> Option<&'a CfnResource> {
        match value.as_unknown()?.target.as_ref()? {
            Target::Resource {
                template,
                logical_id,
                ..
            } => self
                .by_logical_id
                .get(&(*template, logical_id.as_str()))
                .copied(),
            _ => None,
        }
    }

    /// Resolves a value naming one element of `kind`. `at` is where the value is written.
    pub(super) fn resolve(
        &mut self,
        value: &Value,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Known<ResourceId> {
        match value {
            Value::Unknown(u) => match &u.target {
                Some(Target::Resource { template, logical_id, attribute }) => {
                    let Some(target) = self.by_logical_id.get(&(*template, logical_id.as_str())).copied() else {
                        return Known::unknown(format!("{logical_id} is not created (its condition is false)"));
                    };
                    self.resolve_resource(target, attribute.as_deref(), kind)
                }
                Some(Target::Parameter { name, .. }) => {
                    self.placeholder(name, &format!("parameter {name}"), kind, at, Some(&format!("parameter {name} has no value; privlink does not know this {}'s attributes", kind.noun())))
                }
                Some(Target::Import { name }) => {
                    // The evaluator has reported the missing export already.
                    self.reported.insert(format!("import:{name}"));
                    self.placeholder(&format!("import:{name}"), &format!("Fn::ImportValue {name}"), kind, at, None)
                }
                None => Known::Unknown(unknown_of(value)),
            },
            Value::String(s) if AWS_ID_PREFIXES.iter().any(|p| s.starts_with(p)) && kind != ElementKind::Other => {
                self.placeholder(s, s, kind, at, Some(&format!("{s} is not defined in the inputs; privlink does not know this {}'s attributes", kind.noun())))
            }
            Value::String(s) if kind == ElementKind::Other => Known::Value(ResourceId::new(s)),
            Value::String(s) => Known::unknown(format!("`{s}` is not the id of a {}", kind.noun())),
            Value::Null | Value::Omitted => Known::unknown(format!("no {} is given", kind.noun())),
            other => Known::unknown(format!("expected the id of a {}, found a {}", kind.noun(), other.type_name())),
        }
    }

    fn resolve_resource(
        &self,
        target: &CfnResource,
        attribute: Option<&str>,
        kind: ElementKind,
    ) -> Known<ResourceId> {
        let special = match (target.resource_type.as_str(), attribute) {
            ("AWS::EC2::VPC", Some("DefaultSecurityGroup")) => self
                .model
                .vpcs
                .get(&target.id)
                .map(|v| Known::Value(v.default_security_group.clone())),
            ("AWS::EC2::VPC", Some("DefaultNetworkAcl")) => self
                .model
                .vpcs
                .get(&target.id)
                .map(|v| Known::Value(v.default_network_acl.clone())),
            (
                "AWS::EKS::Cluster" | "Custom::AWSCDK-EKS-Cluster",
                Some("ClusterSecurityGroupId"),
            ) => Some(Known::Value(target.id.implicit("cluster-security-group"))),
            _ => None,
        };
        if let Some(found) = special {
            return found;
        }
        let names_itself = attribute.is_none_or(|a| IDENTITY_ATTRIBUTES.contains(&a));
        let target_kind = ElementKind::of_type(&target.resource_type);
        if names_itself && (kind == ElementKind::Other || target_kind == kind) {
            Known::Value(target.id.clone())
        } else {
            let what = attribute.map_or_else(
                || target.logical_id.clone(),
                |a| format!("{}.{a}", target.logical_id),
            );
            Known::unknown(format!("{what} does not name a {}", kind.noun()))
        }
    }

    /// Resolves a list property naming elements of `kind`.
    pub(super) fn resolve_list(
        &mut self,
        value: Option<&Value>,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Partial<ResourceId> {
        let mut out = Partial::default();
        match value {
            None | Some(Value::Null | Value::Omitted) => {}
            Some(Value::List(items)) => {
                for item in items {
                    match self.resolve(item, kind, at) {
                        Known::Value(id) => {
                            if !out.known.contains(&id) {
                                out.push(id);
                            }
                        }
                        Known::Unknown(u) => out.mark_incomplete(u),
                    }
                }
            }
            Some(v @ Value::Unknown(u)) => {
                if let Some(Target::Parameter { name, .. }) = &u.target {
                    self.report(name, at, &format!("parameter {name} has no value; privlink does not know which {}s it lists", kind.noun()));
                }
                out.mark_incomplete(unknown_of(v));
            }
            Some(single) => match self.resolve(single, kind, at) {
                Known::Value(id) => out.push(id),
                Known::Unknown(u) => out.mark_incomplete(u),
            },
        }
        out
    }

    /// Reports once that `name` is outside the inputs.
    fn report(&mut self, name: &str, at: Option<&Location>, message: &str) {
        if self.reported.insert(name.to_owned()) {
            self.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::UnresolvedInput,
                message: message.to_owned(),
                location: at.cloned(),
                resource: Some(name.to_owned()),
                help: Some(format!(
                    "give privlink the template that defines it, or pass --parameter {name}=VALUE"
                )),
                predicted_error: None,
            });
        }
    }

    /// The placeholder element for something outside the inputs, created on first use.
    fn placeholder(
        &mut self,
        address: &str,
        reference: &str,
        kind: ElementKind,
        at: Option<&Location>,
        report: Option<&str>,
    ) -> Known<ResourceId> {
        if let Some(message) = report {
            self.report(address, at, message);
        }
        let id = ResourceId::new(address);
        let provenance = Provenance::external(address, at.cloned(), reference);
        let outside = || Unknown::new(format!("{reference} is not defined in the inputs"));
        fn unknown_list<T>(reason: Unknown) -> Partial<T> {
            Partial {
                known: Vec::new(),
                unknown: Some(reason),
            }
        }
        match kind {
            ElementKind::Vpc => {
                if !self.model.vpcs.contains_key(&id) {
                    let sg = id.implicit("default-security-group");
                    let acl = id.implicit("default-network-acl");
                    self.model.security_groups.insert(
                        sg.clone(),
                        SecurityGroup {
                            id: sg.clone(),
                            provenance: provenance.clone(),
                            vpc: Known::Value(id.clone()),
                            is_default: true,
                            ingress: unknown_list(outside()),
                            egress: unknown_list(outside()),
                        },
                    );
                    self.model.network_acls.insert(
                        acl.clone(),
                        NetworkAcl {
                            id: acl.clone(),
                            provenance: provenance.clone(),
                            vpc: Known::Value(id.clone()),
                            is_default: true,
                            subnets: Partial::default(),
                            entries: unknown_list(outside()),
                        },
                    );
                    let region = self
                        .regions
                        .first()
                        .cloned()
                        .unwrap_or_else(|| Known::unknown("no region is configured"));
                    self.model.vpcs.insert(
                        id.clone(),
                        Vpc {
                            id: id.clone(),
                            provenance,
                            region,
                            cidrs: unknown_list(outside()),
                            dns_support: Known::Unknown(outside()),
                            dns_hostnames: Known::Unknown(outside()),
                            main_route_table: Known::Unknown(outside()),
                            default_security_group: sg,
                            default_network_acl: acl,
                        },
                    );
                }
            }
            ElementKind::Subnet => {
                self.model
                    .subnets
                    .entry(id.clone())
                    .or_insert_with(|| Subnet {
                        id: id.clone(),
                        provenance,
                        vpc: Known::Unknown(outside()),
                        cidr: Known::Unknown(outside()),
                        availability_zone: Known::Unknown(outside()),
                        map_public_ip_on_launch: Known::Unknown(outside()),
                    });
            }
            ElementKind::RouteTable => {
                self.model
                    .route_tables
                    .entry(id.clone())
                    .or_insert_with(|| RouteTable {
                        id: id.clone(),
                        provenance,
                        vpc: Known::Unknown(outside()),
                        routes: unknown_list(outside()),
                    });
            }
            ElementKind::SecurityGroup => {
                self.model
                    .security_groups
                    .entry(id.clone())
                    .or_insert_with(|| SecurityGroup {
                        id: id.clone(),
                        provenance,
                        vpc: Known::Unknown(outside()),
                        is_default: false,
                        ingress: unknown_list(outside()),
                        egress: unknown_list(outside()),
                    });
            }
            ElementKind::NetworkAcl => {
                self.model
                    .network_acls
                    .entry(id.clone())
                    .or_insert_with(|| NetworkAcl {
                        id: id.clone(),
                        provenance,
                        vpc: Known::Unknown(outside()),
                        is_default: false,
                        subnets: Partial::default(),
                        entries: unknown_list(outside()),
                    });
            }
            // Gateways, endpoints and clusters outside the inputs stay bare ids: routes and rules
            // name them, and analysis says what it cannot see behind them.
            ElementKind::Endpoint
            | ElementKind::InternetGateway
            | ElementKind::NatGateway
            | ElementKind::EksCluster
            | ElementKind::Other => {}
        }
        Known::Value(id)
    }

    /// A placeholder element that another element's VPC determines: an interface endpoint's
    /// subnets and security groups and a gateway endpoint's route tables must be in the endpoint's
    /// VPC (AWS refuses anything else), so a placeholder named there belongs to that VPC.
    pub(super) fn place_in_vpc(&mut self, ids: &Partial<ResourceId>, vpc: &Known<ResourceId>) {
        let Known::Value(vpc) = vpc else { return };
        for id in ids {
            let set = |v: &mut Known<ResourceId>, external: bool| {
                if external && !v.is_known() {
                    *v = Known::Value(vpc.clone());
                }
            };
            if let Some(s) = self.model.subnets.get_mut(id) {
                set(&mut s.vpc, s.provenance.is_external());
            } else if let Some(g) = self.model.security_groups.get_mut(id) {
                set(&mut g.vpc, g.provenance.is_external());
            } else if let Some(rt) = self.model.route_tables.get_mut(id) {
                set(&mut rt.vpc, rt.provenance.is_external());
            }
        }
    }
}

/// A security-group rule that allows everything to or from `peer` (AWS's defaults).
pub(super) fn allow_all(peer: SgPeer, provenance: Provenance) -> SgRule {
    SgRule {
        protocol: Protocol::All,
        ports: PortRange::ALL,
        peer,
        provenance,
    }
}
