//! The reference network of a plan, whatever language writes it: which endpoints it has, what the
//! example workload looks like, and the plans it cannot write.
//!
//! The network: a VPC with both DNS attributes on; per AZ an app subnet whose route table has no
//! route out of the VPC (only the S3 gateway endpoint's prefix-list route) and a subnet for the
//! interface endpoints' network interfaces (an interface endpoint takes one subnet per AZ, so a
//! dedicated one serves every app subnet of its AZ); a security group admitting
//! HTTPS from the VPC to the endpoints; each endpoint with private DNS and its minimal policy; and
//! an example workload of the planned kind, so `privlink check` has something to check.

use anyhow::{Result, bail};
use privlink_analysis::catalog::{self, Access};
use privlink_analysis::requirements::Origin as NeedOrigin;
use privlink_model::{EndpointKind, Feature, WorkloadKind};

use super::{Plan, Row};

/// The name every generated resource carries.
pub(crate) const NAME: &str = "privlink-reference";

/// The first /24 of the endpoint subnets: above the app subnets' /20s of a /16 for up to six AZs.
pub(crate) const ENDPOINT_SUBNET_BASE: u8 = 240;

/// A plan that can be written as a network.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reference<'p> {
    /// The plan.
    pub(crate) plan: &'p Plan,
}

impl<'p> Reference<'p> {
    /// The reference network of `plan`, or why privlink cannot write one.
    pub(crate) fn new(plan: &'p Plan) -> Result<Self> {
        let request = &plan.request;
        for row in &plan.rows {
            let need = &row.requirement;
            match &need.origin {
                NeedOrigin::CrossRegionImage { image, region } => bail!(
                    "the image {image} is in {region}, and privlink plan writes a network for one region: replicate the repository into {} (ECR replication), or plan with --region {region}",
                    request.region
                ),
                NeedOrigin::ExternalImage { image, .. } => match &row.pull_through {
                    Some(p) => bail!(
                        "the image {image} is outside AWS, and no endpoint reaches it: create an ECR pull-through cache rule (prefix {}, upstream {}) and plan with --image {}",
                        p.prefix,
                        p.upstream,
                        p.image
                    ),
                    None => bail!(
                        "the image {image} is outside AWS, in a registry ECR cannot cache, and no endpoint reaches it: copy it into ECR in {} and plan with that image",
                        request.region
                    ),
                },
                _ => {}
            }
        }
        if request.kind.is_eks() && request.azs < 2 {
            bail!("an EKS cluster needs subnets in at least two AZs: use --azs 2 or more");
        }
        if request.kind == WorkloadKind::EcsFargate
            && plan.has(&Feature::Efs)
            && !catalog::fargate_auth_in_vpc(request.platform_version.as_deref(), false)
        {
            bail!("EFS volumes on Fargate need platform version 1.4.0 or later");
        }
        Ok(Self { plan })
    }

    /// The workload kind.
    pub(crate) fn kind(&self) -> WorkloadKind {
        self.plan.request.kind
    }

    /// The number of AZs.
    pub(crate) fn azs(&self) -> u8 {
        self.plan.request.azs
    }

    /// The region.
    pub(crate) fn region(&self) -> &str {
        &self.plan.request.region
    }

    /// Whether the workload has `feature`.
    pub(crate) fn has(&self, feature: &Feature) -> bool {
        self.plan.has(feature)
    }

    /// The endpoints, interface endpoints first, in the catalog's order.
    pub(crate) fn endpoints(&self) -> impl Iterator<Item = &'p Row> {
        self.plan.local_endpoints()
    }

    /// Whether there is an S3 gateway endpoint (app security groups then allow its prefix list).
    pub(crate) fn has_s3_gateway(&self) -> bool {
        self.endpoints()
            .any(|r| r.endpoint == Some(EndpointKind::Gateway) && r.requirement.service == "s3")
    }

    /// Whether the workload mounts EFS (mount targets in the app subnets, NFS allowed).
    pub(crate) fn efs(&self) -> bool {
        self.plan
            .rows
            .iter()
            .any(|r| r.requirement.access == Access::Nfs)
    }

    /// The actions the catalog lists for the calls to `service`, without repeats: what the example
    /// workload's IAM roles grant (secrets, ECS Exec channels).
    pub(crate) fn actions_of(&self, service: &str) -> Vec<&'p str> {
        let mut actions: Vec<&str> = Vec::new();
        for row in self
            .plan
            .rows
            .iter()
            .filter(|r| r.requirement.service == service)
        {
            for call in &row.requirement.calls {
                if !actions.contains(&call.action.as_str()) {
                    actions.push(&call.action);
                }
            }
        }
        actions
    }

    /// The images of the example workload; empty means a repository the network creates.
    pub(crate) fn images(&self) -> &'p [String] {
        &self.plan.request.images
    }

    /// Whether the example has one task running (an image was named), or none until one is pushed
    /// to the repository it creates.
    pub(crate) fn desired_count(&self) -> u8 {
        u8::from(!self.images().is_empty())
    }

    /// The comment lines every written network starts with (without comment markers), within
    /// 96 columns.
    pub(crate) fn header(&self, format: &str) -> Vec<String> {
        let plan = self.plan;
        let list = |kind| {
            self.endpoints()
                .filter(|r| r.endpoint == Some(kind))
                .map(|r| r.requirement.service.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (interface, gateway) = (list(EndpointKind::Interface), list(EndpointKind::Gateway));
        let check = match format {
            "cloudformation" => format!(
                "privlink check --endpoints-only --region {} TEMPLATE",
                self.region()
            ),
            _ => "privlink check --endpoints-only DIR".to_owned(),
        };
        let mut bullets = vec![
            "app subnets whose route tables have no route out of the VPC;".to_owned(),
            "one subnet per AZ for the interface endpoints' network interfaces (an endpoint takes one subnet per AZ, so its own subnets serve every app subnet of their AZ);".to_owned(),
            "a security group admitting HTTPS (443) from the VPC to the endpoints;".to_owned(),
        ];
        if !interface.is_empty() {
            bullets.push(format!(
                "interface endpoints with private DNS: {interface};"
            ));
        }
        if !gateway.is_empty() {
            bullets.push(format!(
                "gateway endpoints on the app route tables: {gateway};"
            ));
        }
        bullets.push(
            "endpoint policies allowing only the calls the workload makes (privlink's catalog);"
                .to_owned(),
        );
        bullets.push(format!("an example {}.", example(self.kind())));
        let mut lines = wrap_with(
            &format!("Written by: {}", plan.command_line(format)),
            "",
            "  ",
        );
        lines.push(String::new());
        lines.extend(wrap_with(
            &format!(
                "A private network for {} in {}, without NAT or internet gateways, in {} AZs:",
                describe(self.kind()),
                self.region(),
                self.azs()
            ),
            "",
            "",
        ));
        for bullet in &bullets {
            lines.extend(wrap_with(bullet, "- ", "  "));
        }
        lines.push(String::new());
        lines.push(format!("Check it with: {check}"));
        lines
    }
}

/// `text` wrapped to [`HEADER_WIDTH`], the first line after `first`, the others after `rest`.
fn wrap_with(text: &str, first: &str, rest: &str) -> Vec<String> {
    super::table::wrap(text, HEADER_WIDTH - first.len().max(rest.len()))
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect()
}

/// The width of header comments, without the comment marker.
const HEADER_WIDTH: usize = 96;

/// The workload kind in words.
fn describe(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::EcsFargate => "ECS tasks on Fargate",
        WorkloadKind::EcsEc2 => "ECS tasks on EC2 container instances",
        WorkloadKind::EksNode => "EKS managed nodes",
        WorkloadKind::EksFargate => "EKS pods on Fargate",
    }
}

/// The example workload in words.
fn example(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::EcsFargate => "ECS service and task definition on Fargate",
        WorkloadKind::EcsEc2 => {
            "ECS service on an Auto Scaling group of container instances (capacity provider)"
        }
        WorkloadKind::EksNode => {
            "EKS cluster (private API endpoint only) with a managed node group"
        }
        WorkloadKind::EksFargate => {
            "EKS cluster (private API endpoint only) with a Fargate profile"
        }
    }
}
