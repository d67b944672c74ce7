//! `unresolved-input`: a value privlink could not resolve from the inputs.
//!
//! Besides the front-ends' diagnostics, it reports what the analysis leaves undecided: each group of
//! a workload's required flows with the verdict `unknown` (one finding per workload and deciding
//! fact), each workload privlink cannot place in subnets and each part of the inputs it could not
//! read at all (a module that is not installed, a nested template not given). Those are errors: a flow nobody checked
//! is not known to work, so exit status 0 cannot vouch for it (`--allow-undecided` reports them as
//! infos instead).

use privlink_model::{DiagnosticKind, Severity};

use crate::coverage::{decide_with, hint_usage};
use crate::finding::{Applicability, Finding, Fix};
use crate::reach::{Flow, HopStatus, Verdict};
use crate::rules::{Context, Rule, RuleCheck, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL101",
    name: "unresolved-input",
    severity: Severity::Info,
    summary: "A value privlink could not resolve from the inputs; flows that depend on it are unknown",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = super::diagnostics(ctx, DiagnosticKind::UnresolvedInput, &RULE);
    // Inputs not read at all (a module not installed, a nested template not given) leave elements
    // out of the check: errors, like the flows nobody decided.
    findings.extend(
        super::diagnostics(ctx, DiagnosticKind::UnreadInput, &RULE)
            .into_iter()
            .map(|f| Finding {
                severity: Severity::Error,
                ..f
            }),
    );
    for a in ctx.analysed {
        let Some(coverage) = ctx.coverage.of(&a.workload.name) else {
            continue;
        };
        let w = &a.workload;
        if let Some(why) = &coverage.unplaced_reason {
            let mut hints = vec!["--workload"];
            hints.extend(decide_with(a));
            let what = if coverage.flows == 0 {
                "none of its required flows is checked"
            } else {
                "only the subnets privlink knows are checked"
            };
            findings.push(undecided(
                format!("workload {} cannot be placed: {why}; {what}", w.name),
                &w.name,
                &[],
                &[],
                Some(w.provenance.address.clone()),
                w.provenance.location.clone(),
                &hints,
            ));
        }
        let unknown: Vec<&Flow> = ctx
            .flows_by_workload
            .of(&w.name)
            .iter()
            .copied()
            .filter(|f| f.verdict == Verdict::Unknown)
            .collect();
        let mut groups: Vec<(Option<&privlink_model::ResourceId>, Vec<&Flow>)> = Vec::new();
        for f in unknown {
            let element = first_unknown(f).and_then(|h| h.element.as_ref());
            match groups.iter_mut().find(|(e, _)| *e == element) {
                Some((_, flows)) => flows.push(f),
                None => groups.push((element, vec![f])),
            }
        }
        for (element, flows) in groups {
            let first = flows[0];
            let hop = first_unknown(first);
            let mut services: Vec<String> = Vec::new();
            let mut subnets: Vec<String> = Vec::new();
            for f in &flows {
                if !services.contains(&f.service) {
                    services.push(f.service.clone());
                }
                if !subnets.iter().any(|s| s == f.subnet.as_str()) {
                    subnets.push(f.subnet.to_string());
                }
            }
            let detail = hop.map_or("the trace stopped without a verdict", |h| h.detail.as_str());
            let message = format!(
                "{} of {} required flows of workload {} are undecided ({}): {detail}",
                flows.len(),
                coverage.flows,
                w.name,
                join_and(&services)
            );
            findings.push(undecided(
                message,
                &w.name,
                &services,
                &subnets,
                element
                    .map(ToString::to_string)
                    .or_else(|| Some(w.provenance.address.clone())),
                hop.and_then(|h| h.location.clone())
                    .or_else(|| w.provenance.location.clone()),
                &decide_with(a),
            ));
        }
    }
    findings
}

fn first_unknown(flow: &Flow) -> Option<&crate::reach::Hop> {
    flow.hops.iter().find(|h| h.status == HopStatus::Unknown)
}

/// A finding for something the analysis leaves undecided.
fn undecided(
    message: String,
    workload: &str,
    services: &[String],
    subnets: &[String],
    resource: Option<String>,
    location: Option<privlink_model::Location>,
    hints: &[&str],
) -> Finding {
    let usages: Vec<&str> = hints.iter().map(|h| hint_usage(h)).collect();
    Finding {
        rule: RULE.name,
        code: RULE.code,
        severity: Severity::Error,
        message,
        workload: Some(workload.to_owned()),
        service: services.first().cloned(),
        services: if services.len() > 1 {
            services.to_vec()
        } else {
            Vec::new()
        },
        resource,
        location,
        subnets: subnets.to_vec(),
        predicted_error: None,
        fix: Some(Fix {
            summary: format!(
                "decide it: pass {}, or give privlink the input that defines it",
                usages.join(", or ")
            ),
            applicability: Applicability::Manual,
            intents: Vec::new(),
        }),
    }
}

const DOCS: &str = r#"# unresolved-input (PL101)

## What it does
Reports each value privlink could not determine from the inputs it was given: a `data "aws_vpc"` read
from the account at plan time, a variable without a value, a module that is not installed, a
CloudFormation `Fn::ImportValue` of a stack that was not given, an id that no input defines.

A required flow whose verdict is `unknown` (one finding per workload and per element that leaves
its flows undecided, naming the services and subnets) and a workload privlink cannot place in
subnets are reported under this rule too, at severity **error**: nothing checked them, so exit status
0 cannot vouch for them. So is a part of the inputs privlink could not read at all: a module that is
not installed (run `terraform init` first), a nested stack whose template is not a local file or not
given; the resources in it are missing from the check, not merely unknown. `--allow-undecided` (or `allow-undecided = true` in `privlink.toml`) reports
them as infos, so only the flows privlink decided can fail the run.

## Why is this bad?
A value privlink could not see is not a defect in itself, but flows that depend on it get the
verdict `unknown` instead of a guess, and an unknown required flow may well be broken. Give privlink the missing input (the other stack, the `.tfvars` file,
`--var`, `terraform init` for registry modules, or a live scan) to get a definite answer.

## Example
```hcl
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id       = data.aws_vpc.shared.id
  service_name = "com.amazonaws.ap-northeast-1.logs"
}
```

```yaml
VpcId:
  Fn::ImportValue: !Sub "${EnvironmentName}-vpc"
```

## Use instead
Pass the configuration or template that defines the value along with this one:

```hcl
# privlink check network/ endpoints/
```

```yaml
# privlink check network.yaml endpoints.yaml
```

Or pass the value itself: `--region REGION` when the inputs name no region, `--var NAME=VALUE` or
`--parameter KEY=VALUE` for a variable or parameter without a value, `--aws-snapshot FILE` (from
`privlink aws scan --save FILE`) for what is read from the account, and `--workload
kind=...,subnets=...` to place a workload whose subnets the inputs do not say.

## References
- SPEC.md, "Inputs": what cannot be known before apply stays a symbolic reference, never a guess
"#;
