//! Fixes shared by the rule that reports a cause and by `nat-dependency`, which proposes the same
//! private path.

use std::collections::BTreeMap;

use privlink_model::{EndpointKind, FixIntent, HttpsPeer, Known, ResourceId, ServiceName};

use super::wording::{attribute, language_of, setting};
use super::{Context, FlowGroup, join_and};
use crate::coverage::Language;
use crate::finding::{Applicability, Fix};
use crate::reach::Cause;

/// The region of the group's VPC, as written in service names.
pub(super) fn region(ctx: &Context<'_>, group: &FlowGroup<'_>) -> String {
    group
        .first()
        .vpc
        .as_ref()
        .and_then(|v| ctx.model.vpcs.get(v))
        .and_then(|v| v.region.value().cloned())
        .unwrap_or_else(|| privlink_model::RUN_REGION.to_owned())
}

/// Subnets for a new interface endpoint: those of the VPC's existing interface endpoint with the most
/// subnets (a team that keeps dedicated endpoint subnets keeps using them), else
/// the workload's subnets, one per AZ.
fn endpoint_subnets(ctx: &Context<'_>, vpc: &ResourceId, group: &FlowGroup<'_>) -> Vec<ResourceId> {
    let existing = ctx
        .model
        .endpoints_in(vpc)
        .filter(|e| e.kind == Known::Value(EndpointKind::Interface) && e.subnets.is_complete())
        .max_by_key(|e| e.subnets.known.len());
    if let Some(e) = existing.filter(|e| !e.subnets.known.is_empty()) {
        return e.subnets.known.clone();
    }
    let mut by_az: BTreeMap<String, ResourceId> = BTreeMap::new();
    for flow in &group.flows {
        let az = flow
            .az
            .value()
            .cloned()
            .unwrap_or_else(|| flow.subnet.to_string());
        by_az.entry(az).or_insert_with(|| flow.subnet.clone());
    }
    by_az.into_values().collect()
}

/// Security groups for a new interface endpoint: those the VPC's other interface endpoints use.
fn endpoint_groups(ctx: &Context<'_>, vpc: &ResourceId) -> Vec<ResourceId> {
    ctx.model
        .endpoints_in(vpc)
        .filter(|e| e.kind == Known::Value(EndpointKind::Interface))
        .find(|e| !e.security_groups.known.is_empty())
        .map(|e| e.security_groups.known.clone())
        .unwrap_or_default()
}

/// The fix for a cause, for the group's services and subnets.
pub(super) fn fix_for(ctx: &Context<'_>, group: &FlowGroup<'_>, cause: &Cause) -> Fix {
    let region = region(ctx, group);
    let vpc = group
        .first()
        .vpc
        .clone()
        .unwrap_or_else(|| ResourceId::new("(unknown VPC)"));
    let safe = |summary: String, intents: Vec<FixIntent>| Fix {
        summary,
        applicability: Applicability::Safe,
        intents,
    };
    match cause {
        Cause::MissingInterfaceEndpoint => {
            let subnets = endpoint_subnets(ctx, &vpc, group);
            let security_groups = endpoint_groups(ctx, &vpc);
            let services: Vec<&String> = group
                .services
                .iter()
                .filter(|s| !crate::catalog::is_gateway(s))
                .collect();
            let names: Vec<String> = services
                .iter()
                .map(|s| ServiceName::format(&region, s))
                .collect();
            let sg_text = if security_groups.is_empty() {
                "a security group admitting tcp/443 from the VPC".to_owned()
            } else {
                join_and(&security_groups)
            };
            safe(
                format!(
                    "add {} for {} with private DNS, in {} ({sg_text})",
                    if names.len() == 1 {
                        "an interface endpoint"
                    } else {
                        "interface endpoints"
                    },
                    join_and(&names),
                    join_and(&subnets)
                ),
                names
                    .into_iter()
                    .map(|service_name| FixIntent::AddInterfaceEndpoint {
                        vpc: vpc.clone(),
                        service_name,
                        subnets: subnets.clone(),
                        security_groups: security_groups.clone(),
                    })
                    .collect(),
            )
        }
        Cause::MissingS3GatewayEndpoint => {
            let route_tables = route_tables_of(ctx, group);
            let name = ServiceName::format(&region, "s3");
            safe(
                format!(
                    "add a gateway endpoint for {name} on {} (gateway endpoints are free)",
                    join_and(&route_tables)
                ),
                vec![FixIntent::AddGatewayEndpoint {
                    vpc,
                    service_name: name,
                    route_tables,
                }],
            )
        }
        Cause::S3GatewayNotOnRouteTable {
            endpoint,
            main_table,
            ..
        } => {
            let on = ctx
                .model
                .endpoints
                .get(endpoint)
                .map(|e| e.route_tables.known.clone())
                .unwrap_or_default();
            let missing: Vec<ResourceId> = route_tables_of(ctx, group)
                .into_iter()
                .filter(|rt| !on.contains(rt))
                .collect();
            // The implicit main route table has no address of its own: name it the way a user writes it.
            let lang = language_of(ctx, endpoint);
            let names: Vec<String> = missing
                .iter()
                .map(|rt| match rt.as_str().strip_suffix("#main-route-table") {
                    Some(vpc) if *main_table => match lang {
                        Language::Terraform => format!("{vpc}.main_route_table_id"),
                        _ => format!("the main route table of {vpc}"),
                    },
                    _ => rt.to_string(),
                })
                .collect();
            let alternative = if *main_table {
                format!(
                    ", or associate {} explicitly with a route table that has it",
                    join_and(&group.subnets)
                )
            } else {
                String::new()
            };
            safe(
                format!(
                    "add {} to the {} of {endpoint}{alternative} (open S3 connections from those subnets drop once while the route is added)",
                    join_and(&names),
                    attribute(lang, "route_table_ids")
                ),
                missing
                    .into_iter()
                    .map(|route_table| FixIntent::AssociateGatewayEndpoint {
                        endpoint: endpoint.clone(),
                        route_table,
                    })
                    .collect(),
            )
        }
        Cause::PrivateDnsDisabled { endpoint } => safe(
            format!(
                "set {} on {endpoint}",
                setting(language_of(ctx, endpoint), "private_dns_enabled", "true")
            ),
            vec![FixIntent::EnablePrivateDns {
                endpoint: endpoint.clone(),
            }],
        ),
        Cause::VpcDnsDisabled { .. } => safe(
            match language_of(ctx, &vpc) {
                Language::Unknown => format!(
                    "set enable_dns_support = true and enable_dns_hostnames = true on {vpc} (EnableDnsSupport / EnableDnsHostnames in CloudFormation)"
                ),
                lang => format!(
                    "set {} and {} on {vpc}",
                    setting(lang, "enable_dns_support", "true"),
                    setting(lang, "enable_dns_hostnames", "true")
                ),
            },
            vec![FixIntent::EnableVpcDns { vpc }],
        ),
        Cause::EndpointWithoutSubnets { endpoint } => {
            let subnets = endpoint_subnets(ctx, &vpc, group);
            Fix {
                summary: format!(
                    "give {endpoint} one subnet per AZ, e.g. {}",
                    join_and(&subnets)
                ),
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: format!(
                        "set {} of {endpoint} to one subnet per AZ",
                        attribute(language_of(ctx, endpoint), "subnet_ids")
                    ),
                }],
            }
        }
        Cause::EndpointSgBlocksHttps {
            endpoint,
            default_group,
        } => {
            let vpc_cidr = ctx
                .model
                .vpcs
                .get(&vpc)
                .and_then(|v| v.cidrs.known.first().copied());
            let subnet_cidr = ctx
                .network
                .subnet(&group.first().subnet)
                .and_then(|s| s.cidr.value().copied());
            let Some(cidr) = vpc_cidr.or(subnet_cidr) else {
                return Fix {
                    summary: format!(
                        "admit tcp/443 from the workload in the security groups of {endpoint}"
                    ),
                    applicability: Applicability::Manual,
                    intents: Vec::new(),
                };
            };
            let from_text = if vpc_cidr.is_some() {
                format!("the VPC CIDR {cidr}")
            } else {
                cidr.to_string()
            };
            if *default_group {
                Fix {
                    summary: format!(
                        "give {endpoint} its own security group admitting tcp/443 from {from_text} (without one it gets the VPC default group, which admits only its own members)"
                    ),
                    applicability: Applicability::Safe,
                    intents: vec![FixIntent::SetEndpointSecurityGroups {
                        endpoint: endpoint.clone(),
                        security_groups: Vec::new(),
                    }],
                }
            } else {
                let sg = group.cause.resource.clone();
                safe(
                    format!("allow ingress tcp/443 from {from_text} in {sg}"),
                    vec![FixIntent::AllowHttpsIngress {
                        security_group: sg,
                        from: HttpsPeer::Cidr(cidr),
                    }],
                )
            }
        }
        Cause::WorkloadSgBlocksHttps { to } => {
            let sg = group.cause.resource.clone();
            let to_text = match to {
                HttpsPeer::Cidr(c) => c.to_string(),
                HttpsPeer::SecurityGroup(g) => format!("{g} (the endpoint's security group)"),
                HttpsPeer::PrefixList(_) => {
                    "the S3 prefix list (prefix_list_id of the gateway endpoint)".to_owned()
                }
            };
            Fix {
                summary: format!("allow egress tcp/443 to {to_text} in {sg}"),
                applicability: if matches!(to, HttpsPeer::Cidr(c) if c.prefix_len() == 0) {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                },
                intents: vec![FixIntent::AllowHttpsEgress {
                    security_group: sg,
                    to: to.clone(),
                }],
            }
        }
        Cause::EndpointPolicyDenies {
            endpoint,
            action,
            resource,
            ..
        } => {
            let resource = resource.clone().unwrap_or_else(|| "*".to_owned());
            let statement = serde_json::json!({"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource});
            Fix {
                summary: format!(
                    "add to the policy of {endpoint} a statement allowing it, e.g. {statement}, and check no Deny statement matches"
                ),
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: format!(
                        "allow {action} on {resource} in the policy of {endpoint}"
                    ),
                }],
            }
        }
        Cause::S3InterfaceEndpointOnly { .. } => {
            let route_tables = route_tables_of(ctx, group);
            let name = ServiceName::format(&region, "s3");
            safe(
                format!(
                    "add a gateway endpoint for {name} on {} (free; keep the interface endpoint for on-premises clients if you need it)",
                    join_and(&route_tables)
                ),
                vec![FixIntent::AddGatewayEndpoint {
                    vpc,
                    service_name: name,
                    route_tables,
                }],
            )
        }
        Cause::ImageNotInEcr { image } => {
            let source = crate::images::classify(image);
            let account = account_of(ctx, group).unwrap_or_else(|| "ACCOUNT_ID".to_owned());
            let summary = match crate::images::pull_through_upstream(&source) {
                Some((prefix, upstream)) => {
                    let uri = crate::images::pull_through_uri(image, prefix, &account, &region);
                    let auth = if matches!(
                        source,
                        crate::images::ImageSource::DockerHub
                            | crate::images::ImageSource::Ghcr
                            | crate::images::ImageSource::Gitlab
                            | crate::images::ImageSource::Azure(_)
                    ) {
                        format!(
                            " with its credentials in a Secrets Manager secret named ecr-pullthroughcache/{prefix}"
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "create an ECR pull-through cache rule (aws_ecr_pull_through_cache_rule: ecr_repository_prefix = \"{prefix}\", upstream_registry_url = \"{upstream}\"){auth} and use {uri}; the first pull of each tag goes upstream through AWS"
                    )
                }
                None => format!(
                    "push {image} to a private ECR repository in {region} and use that image; ECR cannot cache {source}"
                ),
            };
            Fix {
                summary,
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: format!("serve {image} from ECR in {region}"),
                }],
            }
        }
        Cause::ImageCrossRegion {
            image,
            region: other,
        } => {
            let rewritten = image.replacen(&format!(".{other}."), &format!(".{region}."), 1);
            let lang = ctx
                .workloads
                .iter()
                .find(|w| w.name == group.first().workload)
                .map_or(Language::Unknown, |w| {
                    crate::coverage::language(&w.provenance)
                });
            let replication = match lang {
                Language::Terraform => "aws_ecr_replication_configuration",
                Language::CloudFormation => "AWS::ECR::ReplicationConfiguration",
                Language::Account | Language::Unknown => "ECR replication",
            };
            Fix {
                summary: format!(
                    "replicate the repository to {region} ({replication}) and use {rewritten}, or add cross-region interface endpoints with {} for com.amazonaws.{other}.ecr.api, com.amazonaws.{other}.ecr.dkr and com.amazonaws.{other}.s3",
                    setting(lang, "service_region", &format!("\"{other}\""))
                ),
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: format!("pull {image} from {region}"),
                }],
            }
        }
        Cause::EfsUnreachable {
            file_system,
            missing_in,
        } => {
            let summary = match missing_in {
                Some(az) => format!(
                    "add an EFS mount target of {file_system} in a subnet of {az} (aws_efs_mount_target / AWS::EFS::MountTarget)"
                ),
                None => format!(
                    "let tcp/2049 through from the workload to the mount targets of {file_system} (security groups and network ACLs, both ways)"
                ),
            };
            Fix {
                summary,
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: group.cause.detail.clone(),
                }],
            }
        }
        Cause::NaclBlocksTraffic { direction, subnet } => {
            let acl = &group.cause.resource;
            let what = match direction {
                privlink_model::Direction::Egress => "an outbound allow entry",
                privlink_model::Direction::Ingress => "an inbound allow entry",
            };
            Fix {
                summary: format!(
                    "add {what} to {acl} (the network ACL of {subnet}) for the traffic above, numbered below any deny that matches it; NACLs are stateless, so allow the reply on ports 1024-65535 as well"
                ),
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual {
                    description: group.cause.detail.clone(),
                }],
            }
        }
    }
}

/// The account of the workload's ECR images, to write pull-through URIs in.
fn account_of(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Option<String> {
    let workload = ctx
        .workloads
        .iter()
        .find(|w| w.name == group.first().workload)?;
    workload
        .images
        .iter()
        .find_map(|i| match crate::images::classify(i.reference.value()?) {
            crate::images::ImageSource::Ecr { account, .. } => Some(account),
            _ => None,
        })
}

/// The distinct route tables the group's subnets use.
fn route_tables_of(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Vec<ResourceId> {
    let mut out = Vec::new();
    for subnet in &group.subnets {
        if let Known::Value(a) = ctx.network.route_table(subnet)
            && !out.contains(&a.route_table)
        {
            out.push(a.route_table);
        }
    }
    out
}
