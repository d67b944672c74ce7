//! `AWS::EC2::VPCEndpoint`.

use privlink_model::{EndpointKind, Known, Provenance, VpcEndpoint};

use super::Lowerer;
use super::attrs::{bool_or, string, unknown_of};
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;
use crate::elements::ElementKind;

impl Lowerer<'_> {
    pub(super) fn endpoint(&mut self, r: &CfnResource) {
        let vpc = self.resolve(
            r.get("VpcId").unwrap_or(&Value::Null),
            ElementKind::Vpc,
            r.location_of("VpcId").as_ref(),
        );
        let kind = match string(r, "VpcEndpointType") {
            // CloudFormation's default.
            None => Known::Value(EndpointKind::Gateway),
            Some(Known::Value(t)) => EndpointKind::parse(&t).map_or_else(
                || Known::unknown(format!("unknown endpoint type `{t}`")),
                Known::Value,
            ),
            Some(Known::Unknown(u)) => Known::Unknown(u),
        };
        let subnets = self.resolve_list(
            r.get("SubnetIds"),
            ElementKind::Subnet,
            r.location_of("SubnetIds").as_ref(),
        );
        let security_groups = self.resolve_list(
            r.get("SecurityGroupIds"),
            ElementKind::SecurityGroup,
            r.location_of("SecurityGroupIds").as_ref(),
        );
        let route_tables = self.resolve_list(
            r.get("RouteTableIds"),
            ElementKind::RouteTable,
            r.location_of("RouteTableIds").as_ref(),
        );
        for ids in [&subnets, &security_groups, &route_tables] {
            self.place_in_vpc(ids, &vpc);
        }
        let policy = match r.get("PolicyDocument") {
            None => Known::Value(None),
            Some(Value::String(s)) => Known::Value(Some(s.clone())),
            Some(doc) => match doc.to_json() {
                Some(json) => Known::Value(Some(json.to_string())),
                None => Known::Unknown(unknown_of(doc)),
            },
        };
        self.model.endpoints.insert(
            r.id.clone(),
            VpcEndpoint {
                id: r.id.clone(),
                provenance: Provenance::declared(r.id.as_str(), r.location()),
                vpc,
                service_name: string(r, "ServiceName")
                    .unwrap_or_else(|| Known::unknown("no ServiceName is given")),
                kind,
                private_dns: bool_or(r, "PrivateDnsEnabled", false),
                subnets,
                security_groups,
                route_tables,
                policy,
                service_region: string(r, "ServiceRegion"),
            },
        );
    }
}
