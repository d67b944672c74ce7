//! Rules about the inputs themselves, reported from the front-ends' diagnostics.

pub(super) mod invalid_cloudformation;
pub(super) mod invalid_terraform;
pub(super) mod unresolved_input;

use privlink_model::DiagnosticKind;

use super::{Context, Rule};
use crate::finding::{Applicability, Finding, Fix};

/// Findings for the model's diagnostics of `kind`, reported under `rule`.
pub(super) fn diagnostics(ctx: &Context<'_>, kind: DiagnosticKind, rule: &Rule) -> Vec<Finding> {
    ctx.model
        .diagnostics
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| Finding {
            rule: rule.name,
            code: rule.code,
            severity: rule.severity,
            message: d.message.clone(),
            workload: None,
            service: None,
            services: Vec::new(),
            resource: d.resource.clone(),
            location: d.location.clone(),
            subnets: Vec::new(),
            predicted_error: d.predicted_error.clone(),
            fix: d.help.as_ref().map(|h| Fix {
                summary: h.clone(),
                applicability: Applicability::Manual,
                intents: Vec::new(),
            }),
        })
        .collect()
}
