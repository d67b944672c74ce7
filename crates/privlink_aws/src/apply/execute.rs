//! Carrying out a plan: one EC2 call per step, in order, stopping at the first failure.
//!
//! Every step is safe to repeat, so a second `aws apply` after a failure (which scans again and plans
//! only what is still missing) finishes the job: endpoints carry a deterministic `ClientToken`, the
//! `privlink-endpoints` group is looked up by name before it is created, and a rule or route table
//! that is already there counts as done. Everything created is tagged `privlink:managed`. With
//! `dry_run`, each call that supports it is sent with EC2's `DryRun` flag (AWS checks permissions and
//! parameters and answers `DryRunOperation`); `ModifyVpcAttribute` has no such flag and is skipped.

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::operation::create_vpc_endpoint::CreateVpcEndpointOutput;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, Filter, IpPermission, IpRange, PrefixListId, ResourceType, Tag,
    TagSpecification, UserIdGroupPair, VpcEndpointType,
};

use super::plan::{
    Action, DnsAttribute, ENDPOINT_GROUP_NAME, GroupRef, MANAGED_TAG, Plan, RulePeer, Step,
};
use crate::error::{CallError, classify};
use crate::scan::{runtime, sdk_config};

/// How to apply.
#[derive(Clone, Debug, Default)]
pub struct ApplyOptions {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--dry-run`: send every call with EC2's `DryRun` flag.
    pub dry_run: bool,
    /// A ready SDK configuration to use instead of the default chain (its region is replaced by each
    /// step's).
    pub sdk: Option<aws_config::SdkConfig>,
    /// Time limits and retries of each call.
    pub timeouts: crate::scan::Timeouts,
}

/// What happened to a step that did not fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Made; the detail names what was created or changed.
    Done(String),
    /// Nothing to do: it was there already.
    AlreadyDone(String),
    /// `DryRun` said the call would succeed.
    WouldSucceed,
    /// Not sent in a dry run, because the call has no `DryRun` flag.
    NotChecked,
}

/// The result of applying a plan.
#[derive(Clone, Debug, Default)]
pub struct ApplyReport {
    /// Steps that succeeded, in order.
    pub done: Vec<(Step, StepOutcome)>,
    /// The step that failed, if any.
    pub failed: Option<(Step, CallError)>,
    /// Steps not attempted because an earlier one failed.
    pub not_done: Vec<Step>,
}

/// Applies the plan. Blocks until done.
pub fn execute(plan: &Plan, options: &ApplyOptions) -> Result<ApplyReport, std::io::Error> {
    Ok(runtime()?.block_on(execute_async(plan, options)))
}

async fn execute_async(plan: &Plan, options: &ApplyOptions) -> ApplyReport {
    let mut report = ApplyReport::default();
    let mut clients: HashMap<String, Client> = HashMap::new();
    let mut run = Run {
        dry_run: options.dry_run,
        created_groups: HashMap::new(),
    };
    for (i, step) in plan.steps.iter().enumerate() {
        if !clients.contains_key(&step.region) {
            let config = match &options.sdk {
                Some(c) => options.timeouts.apply(
                    &c.to_builder()
                        .region(aws_config::Region::new(step.region.clone()))
                        .build(),
                ),
                None => {
                    sdk_config(
                        options.profile.as_deref(),
                        Some(&step.region),
                        options.timeouts,
                    )
                    .await
                }
            };
            clients.insert(step.region.clone(), Client::new(&config));
        }
        let client = &clients[&step.region];
        match run.step(client, step).await {
            Ok(outcome) => report.done.push((step.clone(), outcome)),
            Err(e) => {
                report.failed = Some((step.clone(), e));
                report.not_done = plan.steps[i + 1..].to_vec();
                break;
            }
        }
    }
    report
}

/// The tags of a created resource.
fn tags(resource: ResourceType, name: Option<&str>) -> TagSpecification {
    let mut spec = TagSpecification::builder()
        .resource_type(resource)
        .tags(Tag::builder().key(MANAGED_TAG).value("true").build());
    if let Some(name) = name {
        spec = spec.tags(Tag::builder().key("Name").value(name).build());
    }
    spec.build()
}

/// What a step that created an endpoint reports.
fn created_endpoint(output: &CreateVpcEndpointOutput) -> String {
    format!(
        "created {}",
        output
            .vpc_endpoint()
            .and_then(|e| e.vpc_endpoint_id())
            .unwrap_or("an endpoint")
    )
}

/// How a call ended, before it becomes a step outcome.
enum Sent<T> {
    Ok(T),
    DryRunOk,
    Duplicate,
}

struct Run {
    dry_run: bool,
    /// The `privlink-endpoints` group of each VPC, once created or found.
    created_groups: HashMap<String, String>,
}

impl Run {
    fn send<T, E, R>(
        &self,
        call: &str,
        region: &str,
        result: Result<T, SdkError<E, R>>,
    ) -> Result<Sent<T>, CallError>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + crate::error::RawStatus,
    {
        match result {
            Ok(v) => Ok(Sent::Ok(v)),
            Err(e) => {
                let code = e.code().unwrap_or_default();
                if code == "DryRunOperation" {
                    Ok(Sent::DryRunOk)
                } else if code.contains("Duplicate")
                    || code.contains("AlreadyExists")
                    || code.contains("AlreadyAssociated")
                {
                    Ok(Sent::Duplicate)
                } else {
                    Err(classify(call, region, &e))
                }
            }
        }
    }

    /// The id of a group an action names.
    async fn group(
        &self,
        client: &Client,
        region: &str,
        group: &GroupRef,
    ) -> Result<String, CallError> {
        match group {
            GroupRef::Existing(id) => Ok(id.clone()),
            GroupRef::Created { vpc } => match self.created_groups.get(vpc) {
                Some(id) => Ok(id.clone()),
                // In a dry run the group was not created; the VPC's default group stands in for it.
                None => Ok(self
                    .find_group(client, region, vpc, "default")
                    .await?
                    .unwrap_or_default()),
            },
        }
    }

    async fn find_group(
        &self,
        client: &Client,
        region: &str,
        vpc: &str,
        name: &str,
    ) -> Result<Option<String>, CallError> {
        let filter = |n: &str, v: &str| Filter::builder().name(n).values(v).build();
        let result = client
            .describe_security_groups()
            .filters(filter("vpc-id", vpc))
            .filters(filter("group-name", name))
            .send()
            .await;
        let out = result.map_err(|e| classify("ec2:DescribeSecurityGroups", region, &e))?;
        Ok(out
            .security_groups()
            .first()
            .and_then(|g| g.group_id())
            .map(str::to_owned))
    }

    fn outcome<T>(
        &self,
        sent: Sent<T>,
        done: impl FnOnce(T) -> String,
        already: &str,
    ) -> StepOutcome {
        match sent {
            Sent::Ok(v) => StepOutcome::Done(done(v)),
            Sent::DryRunOk => StepOutcome::WouldSucceed,
            Sent::Duplicate => StepOutcome::AlreadyDone(already.to_owned()),
        }
    }

    async fn step(&mut self, client: &Client, step: &Step) -> Result<StepOutcome, CallError> {
        let region = step.region.as_str();
        let call = step.action.call();
        match &step.action {
            Action::CreateEndpointSecurityGroup { vpc, cidrs } => {
                if let Some(id) = self
                    .find_group(client, region, vpc, ENDPOINT_GROUP_NAME)
                    .await?
                {
                    self.created_groups.insert(vpc.clone(), id.clone());
                    return Ok(StepOutcome::AlreadyDone(format!("{id} exists")));
                }
                let result = client
                    .create_security_group()
                    .group_name(ENDPOINT_GROUP_NAME)
                    .description(
                        "HTTPS from the VPC to its interface endpoints (created by privlink)",
                    )
                    .vpc_id(vpc)
                    .tag_specifications(tags(
                        ResourceType::SecurityGroup,
                        Some(ENDPOINT_GROUP_NAME),
                    ))
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let id = match self.send(call, region, result)? {
                    Sent::Ok(out) => out.group_id().unwrap_or_default().to_owned(),
                    Sent::DryRunOk => return Ok(StepOutcome::WouldSucceed),
                    Sent::Duplicate => self
                        .find_group(client, region, vpc, ENDPOINT_GROUP_NAME)
                        .await?
                        .unwrap_or_default(),
                };
                self.created_groups.insert(vpc.clone(), id.clone());
                let mut permission = IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443);
                for c in cidrs {
                    permission = permission.ip_ranges(
                        IpRange::builder()
                            .cidr_ip(c)
                            .description("HTTPS from the VPC")
                            .build(),
                    );
                }
                let result = client
                    .authorize_security_group_ingress()
                    .group_id(&id)
                    .ip_permissions(permission.build())
                    .tag_specifications(tags(ResourceType::SecurityGroupRule, None))
                    .send()
                    .await;
                self.send("ec2:AuthorizeSecurityGroupIngress", region, result)?;
                Ok(StepOutcome::Done(format!("created {id}")))
            }
            Action::EnableVpcAttribute { vpc, attribute } => {
                if self.dry_run {
                    return Ok(StepOutcome::NotChecked);
                }
                let on = AttributeBooleanValue::builder().value(true).build();
                let request = client.modify_vpc_attribute().vpc_id(vpc);
                let request = match attribute {
                    DnsAttribute::Support => request.enable_dns_support(on),
                    DnsAttribute::Hostnames => request.enable_dns_hostnames(on),
                };
                let sent = self.send(call, region, request.send().await)?;
                Ok(self.outcome(sent, |_| format!("updated {vpc}"), "already on"))
            }
            Action::CreateInterfaceEndpoint {
                vpc,
                service_name,
                subnets,
                security_groups,
                client_token,
            } => {
                let mut groups = Vec::new();
                for g in security_groups {
                    groups.push(self.group(client, region, g).await?);
                }
                let name = format!(
                    "privlink-{}",
                    service_name
                        .rsplit_once(&format!("{region}."))
                        .map_or(service_name.as_str(), |(_, s)| s)
                );
                let result = client
                    .create_vpc_endpoint()
                    .vpc_endpoint_type(VpcEndpointType::Interface)
                    .vpc_id(vpc)
                    .service_name(service_name)
                    .set_subnet_ids(Some(subnets.clone()))
                    .set_security_group_ids(Some(groups))
                    .private_dns_enabled(true)
                    .client_token(client_token)
                    .tag_specifications(tags(ResourceType::VpcEndpoint, Some(&name)))
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let sent = self.send(call, region, result)?;
                Ok(self.outcome(sent, |o| created_endpoint(&o), "exists"))
            }
            Action::CreateGatewayEndpoint {
                vpc,
                service_name,
                route_tables,
                client_token,
            } => {
                let result = client
                    .create_vpc_endpoint()
                    .vpc_endpoint_type(VpcEndpointType::Gateway)
                    .vpc_id(vpc)
                    .service_name(service_name)
                    .set_route_table_ids(Some(route_tables.clone()))
                    .client_token(client_token)
                    .tag_specifications(tags(ResourceType::VpcEndpoint, Some("privlink-s3")))
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let sent = self.send(call, region, result)?;
                Ok(self.outcome(sent, |o| created_endpoint(&o), "exists"))
            }
            Action::AddRouteTables {
                endpoint,
                route_tables,
            } => {
                let result = client
                    .modify_vpc_endpoint()
                    .vpc_endpoint_id(endpoint)
                    .set_add_route_table_ids(Some(route_tables.clone()))
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let sent = self.send(call, region, result)?;
                Ok(self.outcome(
                    sent,
                    |_| format!("updated {endpoint}"),
                    "already on those route tables",
                ))
            }
            Action::EnablePrivateDns { endpoint } => {
                let result = client
                    .modify_vpc_endpoint()
                    .vpc_endpoint_id(endpoint)
                    .private_dns_enabled(true)
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let sent = self.send(call, region, result)?;
                Ok(self.outcome(sent, |_| format!("updated {endpoint}"), "already on"))
            }
            Action::ReplaceEndpointSecurityGroups {
                endpoint,
                add,
                remove,
            } => {
                let mut added = Vec::new();
                for g in add {
                    added.push(self.group(client, region, g).await?);
                }
                let removed: Vec<String> = remove
                    .iter()
                    .filter(|g| !added.contains(g))
                    .cloned()
                    .collect();
                let result = client
                    .modify_vpc_endpoint()
                    .vpc_endpoint_id(endpoint)
                    .set_add_security_group_ids(Some(added))
                    .set_remove_security_group_ids((!removed.is_empty()).then_some(removed))
                    .dry_run(self.dry_run)
                    .send()
                    .await;
                let sent = self.send(call, region, result)?;
                Ok(self.outcome(sent, |_| format!("updated {endpoint}"), "already has them"))
            }
            Action::AllowHttpsIngress { group, peer }
            | Action::AllowHttpsEgress { group, peer } => {
                let mut permission = IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443);
                permission = match peer {
                    RulePeer::Cidr(c) => {
                        permission.ip_ranges(IpRange::builder().cidr_ip(c).build())
                    }
                    RulePeer::Group(g) => permission
                        .user_id_group_pairs(UserIdGroupPair::builder().group_id(g).build()),
                    RulePeer::PrefixList(p) => permission
                        .prefix_list_ids(PrefixListId::builder().prefix_list_id(p).build()),
                };
                let result = if matches!(step.action, Action::AllowHttpsIngress { .. }) {
                    let r = client
                        .authorize_security_group_ingress()
                        .group_id(group)
                        .ip_permissions(permission.build())
                        .tag_specifications(tags(ResourceType::SecurityGroupRule, None))
                        .dry_run(self.dry_run)
                        .send()
                        .await;
                    self.send(call, region, r)?.map(|_| ())
                } else {
                    let r = client
                        .authorize_security_group_egress()
                        .group_id(group)
                        .ip_permissions(permission.build())
                        .tag_specifications(tags(ResourceType::SecurityGroupRule, None))
                        .dry_run(self.dry_run)
                        .send()
                        .await;
                    self.send(call, region, r)?.map(|_| ())
                };
                Ok(self.outcome(result, |()| format!("updated {group}"), "the rule exists"))
            }
        }
    }
}

impl<T> Sent<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Sent<U> {
        match self {
            Self::Ok(v) => Sent::Ok(f(v)),
            Self::DryRunOk => Sent::DryRunOk,
            Self::Duplicate => Sent::Duplicate,
        }
    }
}
