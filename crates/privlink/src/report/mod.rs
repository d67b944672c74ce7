//! Report renderers. Each takes the analysed session and returns the text to write.

pub(crate) mod cost;
pub(crate) mod fix;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod sarif;
mod snippet;
pub(crate) mod style;
pub(crate) mod text;

use privlink_analysis::AnalyzedWorkload;
use privlink_analysis::coverage::Coverage;

/// What follows a workload's kind in a heading: its platform version (` 1.4.0`) and where it runs
/// (` in aws_vpc.main (ap-northeast-1)`), each empty when not known.
pub(crate) fn workload_version_and_place(a: &AnalyzedWorkload) -> (String, String) {
    let version = a
        .workload
        .platform_version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let place = match (&a.vpc, &a.region) {
        (Some(vpc), Some(region)) => format!(" in {vpc} ({region})"),
        (Some(vpc), None) => format!(" in {vpc}"),
        _ => String::new(),
    };
    (version, place)
}

/// The coverage headline: how many workloads and required flows were fully checked.
pub(crate) fn coverage_headline(c: &Coverage) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if c.complete() {
        return format!(
            "every required flow decided ({} in {})",
            plural(c.flows, "flow"),
            plural(c.workloads, "workload")
        );
    }
    let mut text = format!(
        "{} of {} and {} of {} required flows fully checked; {} unknown",
        c.workloads_checked,
        plural(c.workloads, "workload"),
        c.flows_decided,
        c.flows,
        c.flows_unknown
    );
    let unplaced = c.per_workload.iter().filter(|w| !w.placed).count();
    if unplaced > 0 {
        text.push_str(&format!(", {} not placed", plural(unplaced, "workload")));
    }
    text
}

/// One line per group of unknown flows and per workload not placed: what is not known and what
/// decides it.
pub(crate) fn coverage_reasons(c: &Coverage) -> Vec<String> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut lines: Vec<String> = c
        .per_workload
        .iter()
        .filter_map(|w| {
            w.unplaced_reason.as_ref().map(|why| {
                format!(
                    "workload {} not placed: {why}; decide with --workload",
                    w.workload
                )
            })
        })
        .collect();
    for r in &c.unknown_reasons {
        lines.push(format!(
            "{} ({}) unknown: {}; decide with {}",
            plural(r.flows, "flow"),
            r.services.join(", "),
            r.reason,
            r.decide_with.join(", ")
        ));
    }
    lines
}
