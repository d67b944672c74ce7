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
