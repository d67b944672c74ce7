//! Resolving attribute values to model element ids.
//!
//! A Terraform attribute that names another resource is, before apply, an unknown reference
//! (`aws_subnet.a.id`); after apply (state, prior state) it is an AWS id (`subnet-0abc`). Both resolve
//! to the id of the element lowered from that resource. A reference to something the inputs do not
//! define (a data source, an id not in the inputs) becomes a placeholder element marked
//! [`privlink_model::Origin::External`] and one `unresolved-input` diagnostic, so the links still hold
//! and analysis reports `unknown` for what depends on it, never a guess.

use privlink_model::{
    Diagnostic, DiagnosticKind, Known, Location, Partial, Provenance, ResourceId,
};

use super::Lowerer;
use super::attrs::unknown_of;
use crate::elements::{ElementKind, insert_placeholder};
use crate::terraform::resource::ResourceMode;
use crate::terraform::value::{Reference, Value};

/// The kind of model element a resource type lowers to.
pub(super) fn kind_of_type(resource_type: &str) -> ElementKind {
    match resource_type {
        "aws_vpc" | "aws_default_vpc" => ElementKind::Vpc,
        "aws_subnet" | "aws_default_subnet" => ElementKind::Subnet,
        "aws_route_table" | "aws_default_route_table" => ElementKind::RouteTable,
        "aws_security_group" | "aws_default_security_group" => ElementKind::SecurityGroup,
        "aws_network_acl" | "aws_default_network_acl" => ElementKind::NetworkAcl,
        "aws_vpc_endpoint" => ElementKind::Endpoint,
        "aws_internet_gateway" => ElementKind::InternetGateway,
        "aws_nat_gateway" => ElementKind::NatGateway,
        "aws_eks_cluster" => ElementKind::EksCluster,
        _ => ElementKind::Other,
    }
}

/// Prefixes of AWS ids, to tell a literal id from other strings.
const AWS_ID_PREFIXES: [&str; 10] = [
    "vpc-", "subnet-", "rtb-", "sg-", "acl-", "vpce-", "igw-", "nat-", "eni-", "tgw-",
];

impl Lowerer<'_> {
    /// Resolves a value naming one element of `kind`. `at` is where the value is written.
    pub(super) fn resolve(
        &mut self,
        value: &Value,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Known<ResourceId> {
        match value {
            Value::Unknown(u) => match &u.reference {
                Some(r) => self.resolve_reference(r, kind, at),
                None => Known::Unknown(unknown_of(value)),
            },
            Value::String(s) => self.resolve_literal(s, kind, at),
            Value::Null => Known::unknown(format!("no {} is given", kind.noun())),
            other => Known::unknown(format!(
                "expected the id of a {}, found a {}",
                kind.noun(),
                other.type_name()
            )),
        }
    }

    /// Resolves a list of values naming elements of `kind`.
    pub(super) fn resolve_list(
        &mut self,
        value: Option<&Value>,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Partial<ResourceId> {
        let mut out = Partial::default();
        match value {
            None | Some(Value::Null) => {}
            Some(Value::List(items) | Value::Set(items)) => {
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
                if let Some(r) = &u.reference {
                    self.report_external(r, at, kind);
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

    fn resolve_reference(
        &mut self,
        r: &Reference,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Known<ResourceId> {
        let Some(target) = self.by_address.get(r.address.as_str()).copied() else {
            return self.placeholder(&r.address, &r.to_string(), kind, at);
        };
        if target.mode == ResourceMode::Data {
            return self.placeholder(&r.address, &r.to_string(), kind, at);
        }
        let own = ResourceId::new(&r.address);
        let special = match (target.resource_type.as_str(), r.attribute.as_str()) {
            ("aws_vpc" | "aws_default_vpc", "default_security_group_id") => self
                .model
                .vpcs
                .get(&own)
                .map(|v| Known::Value(v.default_security_group.clone())),
            ("aws_vpc" | "aws_default_vpc", "main_route_table_id" | "default_route_table_id") => {
                self.model
                    .vpcs
                    .get(&own)
                    .map(|v| v.main_route_table.clone())
            }
            ("aws_vpc" | "aws_default_vpc", "default_network_acl_id") => self
                .model
                .vpcs
                .get(&own)
                .map(|v| Known::Value(v.default_network_acl.clone())),
            ("aws_eks_cluster", "vpc_config.0.cluster_security_group_id") => {
                Some(Known::Value(own.implicit("cluster-security-group")))
            }
            _ => None,
        };
        if let Some(found) = special {
            return found;
        }
        let target_kind = kind_of_type(&target.resource_type);
        let names_element = matches!(
            r.attribute.as_str(),
            "id" | "arn" | "name" | "family" | "arn_without_revision"
        );
        if names_element && (kind == ElementKind::Other || target_kind == kind) {
            Known::Value(own)
        } else {
            Known::unknown(format!("{r} does not name a {}", kind.noun()))
        }
    }

    fn resolve_literal(
        &mut self,
        text: &str,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Known<ResourceId> {
        if let Some(address) = self.by_aws_id.get(text) {
            return Known::Value(ResourceId::new(*address));
        }
        if let Some(companion) = self.companion_by_aws_id(text) {
            return Known::Value(companion);
        }
        if AWS_ID_PREFIXES.iter().any(|p| text.starts_with(p)) && kind != ElementKind::Other {
            return self.placeholder(text, text, kind, at);
        }
        if kind == ElementKind::Other {
            return Known::Value(ResourceId::new(text));
        }
        Known::unknown(format!("`{text}` is not the id of a {}", kind.noun()))
    }

    /// The implicit companion of a VPC in the inputs (default security group, default network ACL,
    /// main route table) by the AWS id a state records for it on the VPC.
    fn companion_by_aws_id(&self, text: &str) -> Option<ResourceId> {
        self.model.vpcs.values().find_map(|vpc| {
            let res = self.by_address.get(vpc.id.as_str())?;
            let is = |attribute: &str| res.get(attribute).and_then(Value::as_str) == Some(text);
            if is("default_security_group_id") {
                Some(vpc.default_security_group.clone())
            } else if is("default_network_acl_id") {
                Some(vpc.default_network_acl.clone())
            } else if is("main_route_table_id") || is("default_route_table_id") {
                vpc.main_route_table.value().cloned()
            } else {
                None
            }
        })
    }

    /// Reports once that `reference` points outside the inputs.
    pub(super) fn report_external(
        &mut self,
        r: &Reference,
        at: Option<&Location>,
        kind: ElementKind,
    ) {
        let is_outside = self
            .by_address
            .get(r.address.as_str())
            .is_none_or(|t| t.mode == ResourceMode::Data);
        if is_outside && self.reported.insert(r.address.clone()) {
            self.diagnostics.push(unresolved(&r.address, kind, at));
        }
    }

    /// The placeholder element for something outside the inputs, created on first use.
    fn placeholder(
        &mut self,
        address: &str,
        reference: &str,
        kind: ElementKind,
        at: Option<&Location>,
    ) -> Known<ResourceId> {
        let id = ResourceId::new(address);
        if self.reported.insert(address.to_owned()) {
            self.diagnostics.push(unresolved(address, kind, at));
        }
        let provenance = Provenance::external(address, at.cloned(), reference);
        insert_placeholder(
            &mut self.model,
            kind,
            &id,
            provenance,
            self.default_region.clone(),
        );
        Known::Value(id)
    }
}

fn unresolved(address: &str, kind: ElementKind, at: Option<&Location>) -> Diagnostic {
    let (message, help) = if address.starts_with("data.") || address.contains(".data.") {
        (
            format!(
                "{address} is read from the AWS account at plan time; privlink does not know this {}'s attributes",
                kind.noun()
            ),
            "give privlink the configuration that creates it, or a scan of the account it reads (`privlink aws scan --save scan.json`, then `--aws-snapshot scan.json`)",
        )
    } else {
        (
            format!(
                "{address} is not defined in the inputs; privlink does not know this {}'s attributes",
                kind.noun()
            ),
            "add the configuration that defines it to the inputs",
        )
    };
    Diagnostic {
        kind: DiagnosticKind::UnresolvedInput,
        message,
        location: at.cloned(),
        resource: Some(address.to_owned()),
        help: Some(help.to_owned()),
        predicted_error: None,
    }
}
