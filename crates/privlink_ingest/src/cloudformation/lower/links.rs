//! Resolving property values to model element ids.
//!
//! A property that names another resource is, before deployment, `!Ref X` or `!GetAtt X.GroupId`:
//! an unknown value standing for resource X. It resolves to X's id. A value standing for something
//! outside the given templates (an import no template exports, a parameter without a value, a
//! literal `vpc-0abc...`) becomes a placeholder element marked [`privlink_model::Origin::External`]
//! (imports are named `import:EXPORT-NAME`), so links still hold while what is behind them stays
//! unknown and analysis reports `unknown` instead of a guess.

use privlink_model::{
    Diagnostic, DiagnosticKind, Known, Location, Partial, Provenance, ResourceId,
};

use super::Lowerer;
use super::attrs::unknown_of;
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::{Target, Value};
use crate::elements::{ElementKind, insert_placeholder, place_in_vpc};

/// The kind of model element a resource type lowers to.
pub(super) fn kind_of_type(resource_type: &str) -> ElementKind {
    match resource_type {
        "AWS::EC2::VPC" => ElementKind::Vpc,
        "AWS::EC2::Subnet" => ElementKind::Subnet,
        "AWS::EC2::RouteTable" => ElementKind::RouteTable,
        "AWS::EC2::SecurityGroup" => ElementKind::SecurityGroup,
        "AWS::EC2::NetworkAcl" => ElementKind::NetworkAcl,
        "AWS::EC2::VPCEndpoint" => ElementKind::Endpoint,
        "AWS::EC2::InternetGateway" => ElementKind::InternetGateway,
        "AWS::EC2::NatGateway" => ElementKind::NatGateway,
        "AWS::EKS::Cluster" | "Custom::AWSCDK-EKS-Cluster" => ElementKind::EksCluster,
        _ => ElementKind::Other,
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
        let target_kind = kind_of_type(&target.resource_type);
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
        let region = self
            .regions
            .first()
            .cloned()
            .unwrap_or_else(|| Known::unknown("no region is configured"));
        insert_placeholder(&mut self.model, kind, &id, provenance, region);
        Known::Value(id)
    }

    /// A placeholder element that another element's VPC determines: an interface endpoint's
    /// subnets and security groups and a gateway endpoint's route tables must be in the endpoint's
    /// VPC (AWS refuses anything else), so a placeholder named there belongs to that VPC.
    pub(super) fn place_in_vpc(&mut self, ids: &Partial<ResourceId>, vpc: &Known<ResourceId>) {
        place_in_vpc(&mut self.model, ids, vpc);
    }
}
