//! Rules about where images come from.

pub(super) mod image_cross_region;
pub(super) mod image_not_in_ecr;

use privlink_model::Severity;

use super::FlowGroup;
use crate::reach::Verdict;

/// Error when a pull cannot happen at all (or `--endpoints-only`); warning when it works through NAT.
pub(super) fn severity(group: &FlowGroup<'_>) -> Severity {
    if group.flows.iter().any(|f| f.verdict == Verdict::Blocked) {
        Severity::Error
    } else {
        Severity::Warning
    }
}
