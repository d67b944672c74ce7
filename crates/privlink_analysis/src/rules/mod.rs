//! The rule catalogue. A rule is one file: its metadata, its documentation (What it does / Why is
//! this bad? / Example / Use instead / References, with Terraform and CloudFormation), and its check.
//! Registering a rule is one line in [`RULES`], kept sorted by name.
//!
//! Most rules report flows: reachability gives each dropped flow exactly one [`Cause`](crate::reach::Cause),
//! whose rule reports it, so one root cause is one finding. Flows with the same rule, workload and
//! element to change are grouped into one finding that lists their subnets and services.

mod dns;
mod egress;
mod eks;
mod endpoints;
mod fixes;
mod images;
mod inputs;
mod security;
mod storage;
pub(crate) mod wording;

use std::collections::BTreeMap;

use privlink_model::{Model, ResourceId, Severity};

use crate::finding::{Finding, Fix};
use crate::reach::{Blocked, Cause, Flow, Network, Verdict};

/// What a rule checks.
#[derive(Clone, Copy, Debug)]
pub enum RuleCheck {
    /// Reports groups of flows attributed to this rule.
    Flows(fn(&Context<'_>, &FlowGroup<'_>) -> Draft),
    /// Reports from the model and the flows directly.
    Findings(fn(&Context<'_>) -> Vec<Finding>),
}

/// A rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code (`PL001`).
    pub code: &'static str,
    /// Stable name from SPEC.md (`missing-interface-endpoint`).
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Markdown documentation.
    pub docs: &'static str,
    /// The check.
    pub check: RuleCheck,
}

/// What the analysis knows, for rules.
#[derive(Debug)]
pub struct Context<'a> {
    /// The model.
    pub model: &'a Model,
    /// The model's index.
    pub network: &'a Network<'a>,
    /// Every traced flow.
    pub flows: &'a [Flow],
    /// The same flows by workload name.
    pub flows_by_workload: &'a crate::flows_by_workload::FlowsByWorkload<'a>,
    /// The workloads analysed.
    pub workloads: &'a [privlink_model::Workload],
    /// The workloads analysed, with their region and VPC.
    pub analysed: &'a [crate::AnalyzedWorkload],
    /// How much of the analysis is decided.
    pub coverage: &'a crate::coverage::Coverage,
    /// Whether NAT and internet gateways are ignored.
    pub endpoints_only: bool,
}

/// Flows with one rule, workload and element to change.
#[derive(Debug)]
pub struct FlowGroup<'a> {
    /// The flows, in trace order.
    pub flows: Vec<&'a Flow>,
    /// The cause, as the first flow saw it.
    pub cause: &'a Blocked,
    /// The distinct services.
    pub services: Vec<String>,
    /// The distinct subnets.
    pub subnets: Vec<ResourceId>,
}

impl FlowGroup<'_> {
    /// The first flow.
    pub fn first(&self) -> &Flow {
        self.flows[0]
    }

    /// The services as `a, b and c`.
    pub fn services_text(&self) -> String {
        join_and(&self.services)
    }
}

/// Joins names as `a`, `a and b`, `a, b and c`.
pub fn join_and<T: ToString>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What a flow rule says about a group.
#[derive(Debug)]
pub struct Draft {
    /// The message.
    pub message: String,
    /// The fix.
    pub fix: Option<Fix>,
    /// The severity, when it is not the rule's default.
    pub severity: Option<Severity>,
}

/// A finding about one element, not tied to a flow (configuration AWS rejects, placement warnings).
pub(crate) fn element_finding(
    rule: &Rule,
    message: String,
    resource: &ResourceId,
    location: Option<privlink_model::Location>,
    predicted_error: Option<String>,
    fix: Fix,
) -> Finding {
    Finding {
        rule: rule.name,
        code: rule.code,
        severity: rule.severity,
        message,
        workload: None,
        service: None,
        services: Vec::new(),
        resource: Some(resource.to_string()),
        location,
        subnets: Vec::new(),
        predicted_error,
        fix: Some(fix),
    }
}

/// Every rule, sorted by name.
pub static RULES: &[&Rule] = &[
    &endpoints::duplicate_private_dns_endpoint::RULE,
    &storage::efs_mount_target_unreachable::RULE,
    &eks::eks_private_endpoint_disabled::RULE,
    &endpoints::endpoint_missing_in_az::RULE,
    &endpoints::endpoint_policy_denies::RULE,
    &endpoints::endpoint_region_mismatch::RULE,
    &security::endpoint_sg_blocks_https::RULE,
    &endpoints::endpoint_subnets_share_az::RULE,
    &endpoints::endpoint_without_subnets::RULE,
    &images::image_cross_region::RULE,
    &images::image_not_in_ecr::RULE,
    &endpoints::interface_endpoint_with_route_tables::RULE,
    &inputs::invalid_cloudformation::RULE,
    &inputs::invalid_terraform::RULE,
    &endpoints::missing_interface_endpoint::RULE,
    &endpoints::missing_s3_gateway_endpoint::RULE,
    &security::nacl_blocks_traffic::RULE,
    &egress::nat_dependency::RULE,
    &dns::private_dns_disabled::RULE,
    &endpoints::s3_gateway_not_on_route_table::RULE,
    &endpoints::s3_interface_endpoint_only::RULE,
    &inputs::unresolved_input::RULE,
    &dns::vpc_dns_disabled::RULE,
    &security::workload_sg_blocks_https::RULE,
];

/// The rule with this name.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// The rule a flow is reported by, with the cause it reports: its blocking cause, or for flows that
/// work only through NAT or an internet gateway, `nat-dependency` with what the private path lacks.
fn attribution(flow: &Flow) -> Option<(&'static str, &Blocked)> {
    match (&flow.blocked, flow.verdict) {
        (Some(b), _) => Some((b.cause.rule(), b)),
        (None, Verdict::Nat | Verdict::Internet) => {
            flow.without_nat.as_ref().map(|b| match b.cause {
                // An image outside ECR through NAT is reported by the image rules, as a warning.
                Cause::ImageNotInEcr { .. } | Cause::ImageCrossRegion { .. } => (b.cause.rule(), b),
                _ => ("nat-dependency", b),
            })
        }
        _ => None,
    }
}

/// Runs every rule.
pub fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let mut groups: BTreeMap<(&str, &str, &ResourceId), FlowGroup<'_>> = BTreeMap::new();
    let mut order = Vec::new();
    for flow in ctx.flows {
        let Some((rule, cause)) = attribution(flow) else {
            continue;
        };
        let key = (rule, flow.workload.as_str(), &cause.resource);
        let group = groups.entry(key).or_insert_with(|| {
            order.push(key);
            FlowGroup {
                flows: Vec::new(),
                cause,
                services: Vec::new(),
                subnets: Vec::new(),
            }
        });
        group.flows.push(flow);
        if !group.services.contains(&flow.service) {
            group.services.push(flow.service.clone());
        }
        if !group.subnets.contains(&flow.subnet) {
            group.subnets.push(flow.subnet.clone());
        }
    }
    let mut findings = Vec::new();
    for key in order {
        let group = &groups[&key];
        let Some(rule) = rule(key.0) else { continue };
        let RuleCheck::Flows(check) = rule.check else {
            continue;
        };
        let draft = check(ctx, group);
        let first = group.first();
        findings.push(Finding {
            rule: rule.name,
            code: rule.code,
            severity: draft.severity.unwrap_or(rule.severity),
            message: draft.message,
            workload: Some(first.workload.clone()),
            service: Some(first.service.clone()),
            services: if group.services.len() > 1 {
                group.services.clone()
            } else {
                Vec::new()
            },
            resource: Some(group.cause.resource.to_string()),
            location: group.cause.location.clone(),
            subnets: group.subnets.iter().map(ToString::to_string).collect(),
            predicted_error: (rule.name != "nat-dependency").then(|| first.predicted_error.clone()),
            fix: draft.fix,
        });
    }
    for rule in RULES {
        if let RuleCheck::Findings(check) = rule.check {
            findings.extend(check(ctx));
        }
    }
    name_endpoint_services(ctx, &mut findings);
    sort(&mut findings);
    findings
}

/// Every finding names its service: a finding about an endpoint (configuration AWS rejects, a
/// duplicate) that no flow attributes a service to gets the endpoint's.
fn name_endpoint_services(ctx: &Context<'_>, findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| f.service.is_none()) {
        let endpoint = f
            .resource
            .as_deref()
            .and_then(|r| ctx.model.endpoints.get(&ResourceId::new(r)));
        if let Some(name) = endpoint.and_then(privlink_model::VpcEndpoint::service) {
            f.service = Some(name.service);
        }
    }
}

/// Sorts findings most severe first, then by location, rule and workload.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| {
            let loc = |f: &Finding| {
                f.location
                    .as_ref()
                    .map(|l| (l.path.clone(), l.line, l.column))
            };
            loc(a)
                .cmp(&loc(b))
                .then(a.rule.cmp(b.rule))
                .then(a.workload.cmp(&b.workload))
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_unique_and_documented() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} must sort before {}",
                pair[0].name,
                pair[1].name
            );
        }
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "rule codes must be unique");
        for rule in RULES {
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                rule.name
            );
            assert!(
                rule.code.starts_with("PL") && rule.code.len() == 5,
                "{}",
                rule.code
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(
                    rule.docs.contains(section),
                    "{} docs lack `{section}`",
                    rule.name
                );
            }
            assert!(
                rule.docs.contains("```hcl"),
                "{} docs need a Terraform example",
                rule.name
            );
            assert!(
                rule.docs.contains("```yaml"),
                "{} docs need a CloudFormation example",
                rule.name
            );
        }
    }

    #[test]
    fn join_and_reads_naturally() {
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
    }
}
