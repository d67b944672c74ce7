//! Turning the fix intents of findings into a plan of EC2 API calls.
//!
//! Planning is pure: it reads the model and the snapshot a scan produced and decides every choice an
//! intent leaves open, so the plan printed is exactly what runs. An interface endpoint gets one subnet
//! per AZ and private DNS; when the intent names no security group, one security group per VPC
//! (`privlink-endpoints`, admitting tcp/443 from the VPC's CIDR blocks) is created first and shared.
//! Private DNS needs both VPC DNS attributes, so they are switched on first wherever the scan saw one
//! off. A prefix list named through its gateway endpoint is resolved to its `pl-` id. Intents privlink
//! cannot carry out are listed as manual steps.

use std::collections::BTreeSet;
use std::fmt;

use privlink_ingest::snapshot::Snapshot;
use privlink_model::{FixIntent, HttpsPeer, Known, Model, PrefixListRef, ResourceId};

use super::token::client_token;

/// The tag every created resource carries.
pub const MANAGED_TAG: &str = "privlink:managed";
/// The name of the endpoint security group privlink creates in a VPC.
pub const ENDPOINT_GROUP_NAME: &str = "privlink-endpoints";

/// A security group an action uses: one that exists, or the one the plan creates in a VPC.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupRef {
    /// `sg-...`.
    Existing(String),
    /// The `privlink-endpoints` group created in this VPC.
    Created {
        /// The VPC.
        vpc: String,
    },
}

impl fmt::Display for GroupRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Existing(id) => f.write_str(id),
            Self::Created { vpc } => write!(f, "{ENDPOINT_GROUP_NAME} (new, in {vpc})"),
        }
    }
}

/// The other side of a new tcp/443 rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RulePeer {
    /// An IPv4 CIDR.
    Cidr(String),
    /// Members of a security group.
    Group(String),
    /// A prefix list (`pl-...`).
    PrefixList(String),
}

impl fmt::Display for RulePeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cidr(c) | Self::Group(c) | Self::PrefixList(c) => f.write_str(c),
        }
    }
}

/// A VPC DNS attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DnsAttribute {
    /// `enableDnsSupport`.
    Support,
    /// `enableDnsHostnames`.
    Hostnames,
}

/// One API call (or, for a new security group, the call and its ingress rule).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// `CreateSecurityGroup` + `AuthorizeSecurityGroupIngress` tcp/443 from the VPC's CIDRs.
    CreateEndpointSecurityGroup {
        /// The VPC.
        vpc: String,
        /// Its CIDR blocks.
        cidrs: Vec<String>,
    },
    /// `ModifyVpcAttribute`.
    EnableVpcAttribute {
        /// The VPC.
        vpc: String,
        /// Which attribute.
        attribute: DnsAttribute,
    },
    /// `CreateVpcEndpoint` of type Interface with private DNS.
    CreateInterfaceEndpoint {
        /// The VPC.
        vpc: String,
        /// `com.amazonaws.REGION.SERVICE`.
        service_name: String,
        /// One subnet per AZ.
        subnets: Vec<String>,
        /// Its security groups.
        security_groups: Vec<GroupRef>,
        /// The idempotency token.
        client_token: String,
    },
    /// `CreateVpcEndpoint` of type Gateway on route tables.
    CreateGatewayEndpoint {
        /// The VPC.
        vpc: String,
        /// `com.amazonaws.REGION.s3`.
        service_name: String,
        /// The route tables.
        route_tables: Vec<String>,
        /// The idempotency token.
        client_token: String,
    },
    /// `ModifyVpcEndpoint` `AddRouteTableIds`.
    AddRouteTables {
        /// The gateway endpoint.
        endpoint: String,
        /// The route tables.
        route_tables: Vec<String>,
    },
    /// `ModifyVpcEndpoint` `PrivateDnsEnabled`.
    EnablePrivateDns {
        /// The interface endpoint.
        endpoint: String,
    },
    /// `ModifyVpcEndpoint` `AddSecurityGroupIds` / `RemoveSecurityGroupIds`.
    ReplaceEndpointSecurityGroups {
        /// The interface endpoint.
        endpoint: String,
        /// Groups to add.
        add: Vec<GroupRef>,
        /// Groups to remove (the VPC default group it had).
        remove: Vec<String>,
    },
    /// `AuthorizeSecurityGroupIngress` tcp/443.
    AllowHttpsIngress {
        /// The group.
        group: String,
        /// From.
        peer: RulePeer,
    },
    /// `AuthorizeSecurityGroupEgress` tcp/443.
    AllowHttpsEgress {
        /// The group.
        group: String,
        /// To.
        peer: RulePeer,
    },
}

impl Action {
    /// The API call it makes.
    pub fn call(&self) -> &'static str {
        match self {
            Self::CreateEndpointSecurityGroup { .. } => "ec2:CreateSecurityGroup",
            Self::EnableVpcAttribute { .. } => "ec2:ModifyVpcAttribute",
            Self::CreateInterfaceEndpoint { .. } | Self::CreateGatewayEndpoint { .. } => {
                "ec2:CreateVpcEndpoint"
            }
            Self::AddRouteTables { .. }
            | Self::EnablePrivateDns { .. }
            | Self::ReplaceEndpointSecurityGroups { .. } => "ec2:ModifyVpcEndpoint",
            Self::AllowHttpsIngress { .. } => "ec2:AuthorizeSecurityGroupIngress",
            Self::AllowHttpsEgress { .. } => "ec2:AuthorizeSecurityGroupEgress",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |items: &[String]| items.join(", ");
        let groups = |items: &[GroupRef]| {
            items
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Self::CreateEndpointSecurityGroup { vpc, cidrs } => write!(
                f,
                "create security group {ENDPOINT_GROUP_NAME} in {vpc} admitting tcp/443 from {} (for the new interface endpoints)",
                list(cidrs)
            ),
            Self::EnableVpcAttribute { vpc, attribute } => {
                let name = match attribute {
                    DnsAttribute::Support => "enableDnsSupport",
                    DnsAttribute::Hostnames => "enableDnsHostnames",
                };
                write!(
                    f,
                    "set {name} = true on {vpc} (private DNS of interface endpoints needs it)"
                )
            }
            Self::CreateInterfaceEndpoint {
                vpc,
                service_name,
                subnets,
                security_groups,
                ..
            } => write!(
                f,
                "create interface endpoint {service_name} in {vpc}, private DNS on, subnets {} (one per AZ), security groups {}",
                list(subnets),
                groups(security_groups)
            ),
            Self::CreateGatewayEndpoint {
                vpc,
                service_name,
                route_tables,
                ..
            } => {
                write!(
                    f,
                    "create gateway endpoint {service_name} in {vpc} on route tables {}",
                    list(route_tables)
                )
            }
            Self::AddRouteTables {
                endpoint,
                route_tables,
            } => write!(f, "add route tables {} to {endpoint}", list(route_tables)),
            Self::EnablePrivateDns { endpoint } => write!(f, "turn on private DNS of {endpoint}"),
            Self::ReplaceEndpointSecurityGroups {
                endpoint,
                add,
                remove,
            } => {
                write!(f, "give {endpoint} security groups {}", groups(add))?;
                if !remove.is_empty() {
                    write!(f, " instead of {}", list(remove))?;
                }
                Ok(())
            }
            Self::AllowHttpsIngress { group, peer } => {
                write!(f, "allow ingress tcp/443 from {peer} in {group}")
            }
            Self::AllowHttpsEgress { group, peer } => {
                write!(f, "allow egress tcp/443 to {peer} in {group}")
            }
        }
    }
}

/// One step: an action in a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The region.
    pub region: String,
    /// What it does.
    pub action: Action,
}

/// What `aws apply` will do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The calls, in order.
    pub steps: Vec<Step>,
    /// What the user should know before applying (connections that drop, ...).
    pub warnings: Vec<String>,
    /// Changes privlink describes but does not make.
    pub manual: Vec<String>,
}

/// Plans the fixes: each item is one finding's intents.
pub fn plan(model: &Model, snapshot: &Snapshot, fixes: &[Vec<FixIntent>]) -> Plan {
    let mut planner = Planner {
        model,
        snapshot,
        setup: BTreeSet::new(),
        steps: Vec::new(),
        warnings: Vec::new(),
        manual: Vec::new(),
    };
    for intents in fixes {
        for intent in intents {
            planner.intent(intent);
        }
    }
    // Groups and VPC attributes first: the endpoints depend on them.
    let mut steps: Vec<Step> = planner
        .setup
        .into_iter()
        .map(|(region, action)| Step { region, action })
        .collect();
    steps.extend(planner.steps);
    let mut warnings = planner.warnings;
    warnings.dedup();
    Plan {
        steps,
        warnings,
        manual: planner.manual,
    }
}

struct Planner<'a> {
    model: &'a Model,
    snapshot: &'a Snapshot,
    setup: BTreeSet<(String, Action)>,
    steps: Vec<Step>,
    warnings: Vec<String>,
    manual: Vec<String>,
}

impl Planner<'_> {
    fn region_of_vpc(&self, vpc: &ResourceId) -> String {
        self.model
            .vpcs
            .get(vpc)
            .and_then(|v| v.region.value().cloned())
            .unwrap_or_default()
    }

    fn vpc_of_endpoint(&self, endpoint: &ResourceId) -> Option<ResourceId> {
        self.model.endpoints.get(endpoint)?.vpc.value().cloned()
    }

    fn vpc_of_group(&self, group: &ResourceId) -> Option<ResourceId> {
        self.model.security_groups.get(group)?.vpc.value().cloned()
    }

    fn push(&mut self, region: String, action: Action) {
        let step = Step { region, action };
        if !self.steps.contains(&step) {
            self.steps.push(step);
        }
    }

    /// Switches on whichever VPC DNS attribute the scan did not see on.
    fn ensure_vpc_dns(&mut self, vpc: &ResourceId) {
        let Some(v) = self.model.vpcs.get(vpc) else {
            return;
        };
        let region = self.region_of_vpc(vpc);
        for (value, attribute) in [
            (&v.dns_support, DnsAttribute::Support),
            (&v.dns_hostnames, DnsAttribute::Hostnames),
        ] {
            if *value != Known::Value(true) {
                self.setup.insert((
                    region.clone(),
                    Action::EnableVpcAttribute {
                        vpc: vpc.to_string(),
                        attribute,
                    },
                ));
            }
        }
    }

    /// The security group privlink creates for endpoints in a VPC (reusing one a previous run made).
    fn endpoint_group(&mut self, vpc: &ResourceId) -> GroupRef {
        let region = self.region_of_vpc(vpc);
        let existing = self
            .snapshot
            .regions
            .iter()
            .filter(|r| r.region == region)
            .flat_map(|r| &r.security_groups)
            .find(|g| {
                g.vpc_id.as_deref() == Some(vpc.as_str()) && g.group_name == ENDPOINT_GROUP_NAME
            });
        if let Some(g) = existing {
            return GroupRef::Existing(g.group_id.clone());
        }
        let cidrs = self
            .model
            .vpcs
            .get(vpc)
            .map(|v| v.cidrs.known.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        self.setup.insert((
            region,
            Action::CreateEndpointSecurityGroup {
                vpc: vpc.to_string(),
                cidrs,
            },
        ));
        GroupRef::Created {
            vpc: vpc.to_string(),
        }
    }

    /// One subnet per availability zone, in the order given.
    fn one_per_az(&self, subnets: &[ResourceId]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        subnets
            .iter()
            .filter(|s| {
                let az = self
                    .model
                    .subnets
                    .get(*s)
                    .and_then(|x| x.availability_zone.value().cloned())
                    .unwrap_or_else(|| s.to_string());
                seen.insert(az)
            })
            .map(ToString::to_string)
            .collect()
    }

    /// Warns when route tables to get the S3 gateway carry traffic: open S3 connections drop once.
    fn warn_route_tables_in_use(&mut self, route_tables: &[ResourceId]) {
        for rt in route_tables {
            let subnets: Vec<String> = self
                .model
                .subnets
                .keys()
                .filter(|s| {
                    self.model
                        .effective_route_table(s)
                        .value()
                        .is_some_and(|a| &a.route_table == rt)
                })
                .map(ToString::to_string)
                .collect();
            if !subnets.is_empty() {
                self.warnings.push(format!(
                    "{rt} is in use by {}: adding the S3 gateway endpoint route drops their open connections to S3 once (existing downloads and uploads fail and must reconnect); apply at a quiet time",
                    subnets.join(", ")
                ));
            }
        }
    }

    fn peer(&mut self, peer: &HttpsPeer, region: &str) -> Option<RulePeer> {
        match peer {
            HttpsPeer::Cidr(c) => Some(RulePeer::Cidr(c.to_string())),
            HttpsPeer::SecurityGroup(g) => Some(RulePeer::Group(g.to_string())),
            HttpsPeer::PrefixList(pl) => self.prefix_list(pl, region).map(RulePeer::PrefixList),
        }
    }

    /// The `pl-` id of a prefix list reference.
    fn prefix_list(&self, pl: &PrefixListRef, region: &str) -> Option<String> {
        let by_name = |name: &str| {
            self.snapshot
                .regions
                .iter()
                .filter(|r| r.region == region)
                .flat_map(|r| &r.prefix_lists)
                .find(|p| p.prefix_list_name == name)
                .map(|p| p.prefix_list_id.clone())
        };
        match pl {
            PrefixListRef::Id { id, .. } => Some(id.clone()),
            PrefixListRef::OfEndpoint { endpoint } => {
                by_name(self.model.endpoints.get(endpoint)?.service_name.value()?)
            }
            PrefixListRef::AwsManaged { name } => by_name(name.value()?),
            PrefixListRef::CustomerManaged { .. } | PrefixListRef::Unknown(_) => None,
        }
    }

    fn intent(&mut self, intent: &FixIntent) {
        match intent {
            FixIntent::AddInterfaceEndpoint {
                vpc,
                service_name,
                subnets,
                security_groups,
            } => {
                let region = self.region_of_vpc(vpc);
                self.ensure_vpc_dns(vpc);
                let groups = if security_groups.is_empty() {
                    vec![self.endpoint_group(vpc)]
                } else {
                    security_groups
                        .iter()
                        .map(|g| GroupRef::Existing(g.to_string()))
                        .collect()
                };
                let subnets = self.one_per_az(subnets);
                let client_token = client_token(&[
                    "interface",
                    &region,
                    vpc.as_str(),
                    service_name,
                    &subnets.join(","),
                ]);
                self.push(
                    region,
                    Action::CreateInterfaceEndpoint {
                        vpc: vpc.to_string(),
                        service_name: service_name.clone(),
                        subnets,
                        security_groups: groups,
                        client_token,
                    },
                );
            }
            FixIntent::AddGatewayEndpoint {
                vpc,
                service_name,
                route_tables,
            } => {
                let region = self.region_of_vpc(vpc);
                self.warn_route_tables_in_use(route_tables);
                let route_tables: Vec<String> =
                    route_tables.iter().map(ToString::to_string).collect();
                let client_token = client_token(&[
                    "gateway",
                    &region,
                    vpc.as_str(),
                    service_name,
                    &route_tables.join(","),
                ]);
                self.push(
                    region,
                    Action::CreateGatewayEndpoint {
                        vpc: vpc.to_string(),
                        service_name: service_name.clone(),
                        route_tables,
                        client_token,
                    },
                );
            }
            FixIntent::AssociateGatewayEndpoint {
                endpoint,
                route_table,
            } => {
                let region = self
                    .vpc_of_endpoint(endpoint)
                    .map(|v| self.region_of_vpc(&v))
                    .unwrap_or_default();
                self.warn_route_tables_in_use(std::slice::from_ref(route_table));
                // Route tables for the same endpoint are added in one call.
                let existing = self.steps.iter_mut().find_map(|s| match &mut s.action {
                    Action::AddRouteTables {
                        endpoint: e,
                        route_tables,
                    } if e == endpoint.as_str() => Some(route_tables),
                    _ => None,
                });
                match existing {
                    Some(tables) if !tables.contains(&route_table.to_string()) => {
                        tables.push(route_table.to_string());
                    }
                    Some(_) => {}
                    None => self.push(
                        region,
                        Action::AddRouteTables {
                            endpoint: endpoint.to_string(),
                            route_tables: vec![route_table.to_string()],
                        },
                    ),
                }
            }
            FixIntent::EnablePrivateDns { endpoint } => {
                let Some(vpc) = self.vpc_of_endpoint(endpoint) else {
                    return self.unplannable(intent);
                };
                self.ensure_vpc_dns(&vpc);
                let region = self.region_of_vpc(&vpc);
                self.push(
                    region,
                    Action::EnablePrivateDns {
                        endpoint: endpoint.to_string(),
                    },
                );
            }
            FixIntent::EnableVpcDns { vpc } => self.ensure_vpc_dns(vpc),
            FixIntent::AllowHttpsIngress {
                security_group,
                from,
            }
            | FixIntent::AllowHttpsEgress {
                security_group,
                to: from,
            } => {
                let Some(vpc) = self.vpc_of_group(security_group) else {
                    return self.unplannable(intent);
                };
                let region = self.region_of_vpc(&vpc);
                let Some(peer) = self.peer(from, &region) else {
                    return self.unplannable(intent);
                };
                let group = security_group.to_string();
                let action = if matches!(intent, FixIntent::AllowHttpsIngress { .. }) {
                    Action::AllowHttpsIngress { group, peer }
                } else {
                    Action::AllowHttpsEgress { group, peer }
                };
                self.push(region, action);
            }
            FixIntent::SetEndpointSecurityGroups {
                endpoint,
                security_groups,
            } => {
                let Some(vpc) = self.vpc_of_endpoint(endpoint) else {
                    return self.unplannable(intent);
                };
                let region = self.region_of_vpc(&vpc);
                let add = if security_groups.is_empty() {
                    vec![self.endpoint_group(&vpc)]
                } else {
                    security_groups
                        .iter()
                        .map(|g| GroupRef::Existing(g.to_string()))
                        .collect()
                };
                let remove = self
                    .model
                    .endpoints
                    .get(endpoint)
                    .map(|e| {
                        e.security_groups
                            .known
                            .iter()
                            .map(ToString::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                self.push(
                    region,
                    Action::ReplaceEndpointSecurityGroups {
                        endpoint: endpoint.to_string(),
                        add,
                        remove,
                    },
                );
            }
            FixIntent::Manual { description } => {
                if !self.manual.contains(description) {
                    self.manual.push(description.clone());
                }
            }
        }
    }

    fn unplannable(&mut self, intent: &FixIntent) {
        let text = format!("{intent:?} (the scan does not have what this change needs)");
        if !self.manual.contains(&text) {
            self.manual.push(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use privlink_ingest::snapshot::format::{RegionSnapshot, Subnet, Vpc};
    use privlink_ingest::snapshot::{SNAPSHOT_VERSION, lower, to_text};

    use super::*;

    fn snapshot() -> Snapshot {
        let subnet = |id: &str, az: &str| Subnet {
            subnet_id: id.into(),
            vpc_id: "vpc-1".into(),
            availability_zone: Some(az.into()),
            ..Subnet::default()
        };
        Snapshot {
            privlink_snapshot: SNAPSHOT_VERSION,
            regions: vec![RegionSnapshot {
                region: "ap-northeast-1".into(),
                vpcs: vec![Vpc {
                    vpc_id: "vpc-1".into(),
                    cidr_blocks: vec!["10.0.0.0/16".into()],
                    enable_dns_support: Some(true),
                    enable_dns_hostnames: Some(false),
                    ..Vpc::default()
                }],
                subnets: vec![
                    subnet("subnet-a1", "ap-northeast-1a"),
                    subnet("subnet-a2", "ap-northeast-1a"),
                    subnet("subnet-c1", "ap-northeast-1c"),
                ],
                ..RegionSnapshot::default()
            }],
            ..Snapshot::default()
        }
    }

    #[test]
    fn choices_are_decided_and_prerequisites_come_first() {
        let snapshot = snapshot();
        let model = lower(&snapshot, &to_text(&snapshot), "scan.json");
        let intent = FixIntent::AddInterfaceEndpoint {
            vpc: ResourceId::new("vpc-1"),
            service_name: "com.amazonaws.ap-northeast-1.logs".into(),
            subnets: ["subnet-a1", "subnet-a2", "subnet-c1"]
                .map(ResourceId::new)
                .to_vec(),
            security_groups: Vec::new(),
        };
        let plan = plan(&model, &snapshot, &[vec![intent.clone()], vec![intent]]);
        let actions: Vec<&Action> = plan.steps.iter().map(|s| &s.action).collect();
        let created = GroupRef::Created {
            vpc: "vpc-1".into(),
        };
        assert!(
            matches!(
                actions[..],
                [
                    Action::CreateEndpointSecurityGroup { .. },
                    Action::EnableVpcAttribute {
                        attribute: DnsAttribute::Hostnames,
                        ..
                    },
                    Action::CreateInterfaceEndpoint { .. },
                ]
            ),
            "{actions:#?}"
        );
        let Action::CreateInterfaceEndpoint {
            subnets,
            security_groups,
            client_token,
            ..
        } = actions[2]
        else {
            unreachable!("matched above")
        };
        assert_eq!(subnets, &["subnet-a1", "subnet-c1"], "one subnet per AZ");
        assert_eq!(security_groups, &[created]);
        assert!(client_token.starts_with("privlink-"));
        let Action::CreateEndpointSecurityGroup { cidrs, .. } = actions[0] else {
            unreachable!("matched above")
        };
        assert_eq!(cidrs, &["10.0.0.0/16"]);
    }

    /// The actions of the README policy headed by the paragraph that starts with `heading`.
    fn readme_policy(heading: &str) -> BTreeSet<String> {
        let readme = include_str!("../../../../README.md");
        let after = &readme[readme.find(heading).expect("the policy's heading")..];
        let start = after.find("```json\n").expect("its JSON block") + "```json\n".len();
        let json = &after[start..start + after[start..].find("```").expect("the block's end")];
        let policy: serde_json::Value = serde_json::from_str(json).expect("the policy is JSON");
        let statements = policy["Statement"].as_array().expect("statements");
        statements
            .iter()
            .flat_map(|s| match &s["Action"] {
                serde_json::Value::String(a) => vec![a.clone()],
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|v| v.as_str().expect("an action").to_owned())
                    .collect(),
                other => panic!("Action is {other}"),
            })
            .collect()
    }

    /// The README's apply policy is exactly the calls apply's actions make, plus what AWS checks
    /// beyond them: tagging on create and the private hosted zone behind private DNS.
    #[test]
    fn the_readme_apply_policy_is_the_calls_of_every_action() {
        let group = || GroupRef::Existing("sg-1".to_owned());
        let every_action = [
            Action::CreateEndpointSecurityGroup {
                vpc: "vpc-1".to_owned(),
                cidrs: vec![],
            },
            Action::EnableVpcAttribute {
                vpc: "vpc-1".to_owned(),
                attribute: DnsAttribute::Support,
            },
            Action::CreateInterfaceEndpoint {
                vpc: "vpc-1".to_owned(),
                service_name: String::new(),
                subnets: vec![],
                security_groups: vec![group()],
                client_token: String::new(),
            },
            Action::CreateGatewayEndpoint {
                vpc: "vpc-1".to_owned(),
                service_name: String::new(),
                route_tables: vec![],
                client_token: String::new(),
            },
            Action::AddRouteTables {
                endpoint: "vpce-1".to_owned(),
                route_tables: vec![],
            },
            Action::EnablePrivateDns {
                endpoint: "vpce-1".to_owned(),
            },
            Action::ReplaceEndpointSecurityGroups {
                endpoint: "vpce-1".to_owned(),
                add: vec![group()],
                remove: vec![],
            },
            Action::AllowHttpsIngress {
                group: "sg-1".to_owned(),
                peer: RulePeer::Cidr("10.0.0.0/16".to_owned()),
            },
            Action::AllowHttpsEgress {
                group: "sg-1".to_owned(),
                peer: RulePeer::Cidr("10.0.0.0/16".to_owned()),
            },
        ];
        let mut calls: BTreeSet<String> =
            every_action.iter().map(|a| a.call().to_owned()).collect();
        // A new endpoint group is created with its ingress rule in the same step.
        calls.insert("ec2:AuthorizeSecurityGroupIngress".to_owned());
        calls.insert("ec2:CreateTags".to_owned());
        calls.insert("route53:AssociateVPCWithHostedZone".to_owned());
        assert_eq!(readme_policy("`aws apply` needs the scan policy"), calls);
    }
}
