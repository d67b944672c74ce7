//! Messages and fixes in the input's own language: a Terraform input reads `private_dns_enabled`,
//! a CloudFormation template `PrivateDnsEnabled`, an account (a scan or its snapshot) the EC2 API's
//! `PrivateDnsEnabled`. Where the element's input is not known (an assumed element), both are given.

use privlink_model::ResourceId;

use super::Context;
use crate::coverage::{Language, language};

/// Terraform attribute → CloudFormation property (which is also the EC2 and EKS API's name) of the
/// network settings the rules name.
const NAMES: [(&str, &str); 11] = [
    ("private_dns_enabled", "PrivateDnsEnabled"),
    ("enable_dns_support", "EnableDnsSupport"),
    ("enable_dns_hostnames", "EnableDnsHostnames"),
    ("service_region", "ServiceRegion"),
    ("vpc_endpoint_type", "VpcEndpointType"),
    ("subnet_ids", "SubnetIds"),
    ("route_table_ids", "RouteTableIds"),
    ("security_group_ids", "SecurityGroupIds"),
    ("endpoint_private_access", "EndpointPrivateAccess"),
    ("main_route_table_id", "MainRouteTableId"),
    ("vpc_config", "ResourcesVpcConfig"),
];

/// The language of the input `element` comes from.
pub(crate) fn language_of(ctx: &Context<'_>, element: &ResourceId) -> Language {
    ctx.model
        .provenance_of(element)
        .map_or(Language::Unknown, language)
}

/// The name of the Terraform attribute `terraform` in `lang`.
pub(crate) fn attribute(lang: Language, terraform: &'static str) -> &'static str {
    match lang {
        Language::Terraform | Language::Unknown => terraform,
        Language::CloudFormation | Language::Account => NAMES
            .iter()
            .find(|(tf, _)| *tf == terraform)
            .map_or(terraform, |(_, cfn)| cfn),
    }
}

/// `attribute = value` (Terraform) or `Attribute: value` (CloudFormation, the API); for an element
/// of unknown origin both.
pub(crate) fn setting(lang: Language, terraform: &'static str, value: &str) -> String {
    let cfn = attribute(Language::CloudFormation, terraform);
    match lang {
        Language::Terraform => format!("{terraform} = {value}"),
        Language::CloudFormation | Language::Account => format!("{cfn}: {value}"),
        Language::Unknown => format!("{terraform} = {value} ({cfn}: {value} in CloudFormation)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_language() {
        assert_eq!(
            setting(Language::Terraform, "private_dns_enabled", "true"),
            "private_dns_enabled = true"
        );
        assert_eq!(
            setting(Language::CloudFormation, "private_dns_enabled", "true"),
            "PrivateDnsEnabled: true"
        );
        assert_eq!(
            attribute(Language::Account, "route_table_ids"),
            "RouteTableIds"
        );
        assert!(setting(Language::Unknown, "service_region", "\"x\"").contains("ServiceRegion"));
    }
}
