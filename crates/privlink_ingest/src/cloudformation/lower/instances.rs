//! Where an ECS service on EC2 runs: on the container instances of an Auto Scaling group, found
//! through the service's capacity provider strategy (or its cluster's default strategy), or, with
//! no capacity provider, through the group whose user data joins the service's cluster
//! (`ECS_CLUSTER=`, see [`crate::container_instances`]). The instances' subnets are the group's
//! `VPCZoneIdentifier`; their security groups those of its launch template or launch
//! configuration. The ECS agent and the image pulls run on the instance, so that is where the
//! service's traffic to AWS leaves from.

use privlink_model::{Partial, ResourceId};

use super::Lowerer;
use super::attrs::{items, text};
use crate::cloudformation::resources::CfnResource;
use crate::cloudformation::value::Value;
use crate::container_instances::{cluster_name, joined_cluster};
use crate::elements::ElementKind;

/// Where an Auto Scaling group names its launch template (directly or in a mixed instances policy).
const LAUNCH_TEMPLATE_SPECS: [&str; 2] = [
    "LaunchTemplate",
    "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification",
];

impl<'a> Lowerer<'a> {
    /// The capacity providers of the service's strategy or, without one, of its cluster's default
    /// strategy (on the cluster or in an `AWS::ECS::ClusterCapacityProviderAssociations`): names,
    /// or references to `AWS::ECS::CapacityProvider`s.
    pub(super) fn capacity_providers(&self, r: &'a CfnResource) -> Vec<&'a Value> {
        let providers = |v: Option<&'a Value>| -> Vec<&'a Value> {
            items(v)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(_, s)| s.get("CapacityProvider"))
                .collect()
        };
        let own = providers(r.get("CapacityProviderStrategy"));
        if !own.is_empty() {
            return own;
        }
        let Some(cluster) = r.get("Cluster").and_then(|c| self.referenced(c)) else {
            return Vec::new();
        };
        let mut strategy = providers(cluster.get("DefaultCapacityProviderStrategy"));
        for assoc in self.of_types(&["AWS::ECS::ClusterCapacityProviderAssociations"]) {
            let names_cluster = assoc
                .get("Cluster")
                .and_then(|c| self.referenced(c))
                .is_some_and(|c| c.id == cluster.id);
            if names_cluster {
                strategy.extend(providers(assoc.get("DefaultCapacityProviderStrategy")));
            }
        }
        strategy
    }

    /// The subnets and security groups of the container instances the service runs on, when the
    /// templates say which Auto Scaling group runs them.
    pub(super) fn container_instance_network(
        &mut self,
        r: &'a CfnResource,
    ) -> Option<(Partial<ResourceId>, Partial<ResourceId>)> {
        let asg = self
            .capacity_providers(r)
            .into_iter()
            .find_map(|p| self.provider_group(p))
            .or_else(|| self.group_joining_cluster(r))?;
        let subnets = self.resolve_list(
            asg.get("VPCZoneIdentifier"),
            ElementKind::Subnet,
            asg.location_of("VPCZoneIdentifier").as_ref(),
        );
        let groups = match self.instance_launch(asg) {
            Some(t) if t.resource_type == "AWS::AutoScaling::LaunchConfiguration" => self
                .resolve_list(
                    t.get("SecurityGroups"),
                    ElementKind::SecurityGroup,
                    t.location_of("SecurityGroups").as_ref(),
                ),
            Some(t) => {
                let path = if t.get("LaunchTemplateData.SecurityGroupIds").is_some() {
                    "LaunchTemplateData.SecurityGroupIds"
                } else {
                    "LaunchTemplateData.NetworkInterfaces.0.Groups"
                };
                self.resolve_list(
                    t.get(path),
                    ElementKind::SecurityGroup,
                    t.location_of(path).as_ref(),
                )
            }
            None => Partial::unknown(format!(
                "the launch template of {}'s instances is not in the templates",
                asg.id
            )),
        };
        Some((subnets, groups))
    }

    /// The Auto Scaling group behind a capacity provider (named, or referenced).
    fn provider_group(&self, provider: &Value) -> Option<&'a CfnResource> {
        let provider = self.referenced(provider).or_else(|| {
            let name = provider.as_str()?;
            self.of_types(&["AWS::ECS::CapacityProvider"])
                .find(|p| text(p, "Name").as_deref() == Some(name))
        })?;
        let group = provider.get("AutoScalingGroupProvider.AutoScalingGroupArn")?;
        self.referenced(group)
            .or_else(|| {
                // A literal name or ARN (`...:autoScalingGroupName/NAME`).
                let name = group.as_str()?.rsplit('/').next()?;
                self.of_types(&["AWS::AutoScaling::AutoScalingGroup"])
                    .find(|g| text(g, "AutoScalingGroupName").as_deref() == Some(name))
            })
            .filter(|g| g.resource_type == "AWS::AutoScaling::AutoScalingGroup")
    }

    /// The launch template or launch configuration an Auto Scaling group starts instances from.
    fn instance_launch(&self, asg: &'a CfnResource) -> Option<&'a CfnResource> {
        let template = LAUNCH_TEMPLATE_SPECS.into_iter().find_map(|at| {
            let id = asg
                .get(&format!("{at}.LaunchTemplateId"))
                .or_else(|| asg.get(&format!("{at}.LaunchTemplateName")))?;
            self.referenced(id)
                .filter(|t| t.resource_type == "AWS::EC2::LaunchTemplate")
        });
        template.or_else(|| {
            asg.get("LaunchConfigurationName")
                .and_then(|c| self.referenced(c))
                .filter(|c| c.resource_type == "AWS::AutoScaling::LaunchConfiguration")
        })
    }

    /// The Auto Scaling group whose instances' user data joins the service's cluster (`default`
    /// when the service names none), the first in template order when several do.
    fn group_joining_cluster(&self, r: &'a CfnResource) -> Option<&'a CfnResource> {
        // How user data may name the cluster: its name, or the text of a `!Ref` to it
        // (`${Cluster (AWS::ECS::Cluster)}`, see `Value::Unknown`).
        let names: Vec<String> = match r.get("Cluster") {
            None => vec!["default".to_owned()],
            Some(value) => match self.referenced(value) {
                Some(c) => [
                    format!("${{{}}}", c.logical_id),
                    format!("${{{} ({})}}", c.logical_id, c.resource_type),
                ]
                .into_iter()
                .chain(text(c, "ClusterName"))
                .collect(),
                None => vec![cluster_name(value.as_str()?).to_owned()],
            },
        };
        self.of_types(&["AWS::AutoScaling::AutoScalingGroup"])
            .find(|asg| {
                let Some(launch) = self.instance_launch(asg) else {
                    return false;
                };
                let path = if launch.resource_type == "AWS::EC2::LaunchTemplate" {
                    "LaunchTemplateData.UserData"
                } else {
                    "UserData"
                };
                launch
                    .get(path)
                    .and_then(user_data_text)
                    .and_then(|u| joined_cluster(&u))
                    .is_some_and(|joined| names.contains(&joined))
            })
    }
}

/// User data as a string: base64 as written (`Fn::Base64` of a known string), or the text of an
/// `Fn::Base64` of a value known only at deploy time (`${Base64 ...}`).
fn user_data_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Unknown(u) => Some(
            u.text
                .strip_prefix("${Base64 ")
                .and_then(|t| t.strip_suffix('}'))
                .unwrap_or(&u.text)
                .to_owned(),
        ),
        _ => None,
    }
}
