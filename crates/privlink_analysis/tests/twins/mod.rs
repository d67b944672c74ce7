//! Helpers of the twin tests: one network written in several input formats must give the same
//! workloads, flows and findings.

use std::fmt::Write as _;
use std::path::PathBuf;

use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::{LoadOptions, load};
use privlink_model::{Partial, ResourceId};

/// Loads the inputs (which must load cleanly) and analyses them.
pub(crate) fn analyse(paths: &[PathBuf], options: &LoadOptions) -> Analysis {
    let loaded = load(paths, options);
    for input in &loaded.inputs {
        assert!(input.is_ok(), "{}: {:?}", input.path, input.errors);
    }
    analyze(&loaded.model, &Options::default())
}

/// Workloads, flows and findings as text, without locations.
pub(crate) fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for w in &analysis.workloads {
        let w = &w.workload;
        let _ = writeln!(
            out,
            "workload {} {} subnets={} sgs={}",
            w.name,
            w.kind,
            list(&w.subnets),
            list(&w.security_groups)
        );
    }
    for f in &analysis.flows {
        let _ = writeln!(
            out,
            "flow {} {} {} {} via={}",
            f.workload,
            f.subnet,
            f.service,
            f.verdict,
            f.via.as_ref().map_or("-", ResourceId::as_str)
        );
    }
    for f in &analysis.findings {
        let _ = writeln!(
            out,
            "finding {} {:?} {} {:?} {}\n  {}",
            f.rule,
            f.service,
            f.services.join(","),
            f.resource,
            f.subnets.join(","),
            f.message
        );
    }
    out
}

/// A partly known list of elements, and why the rest is unknown.
fn list(partial: &Partial<ResourceId>) -> String {
    let known: Vec<String> = partial.iter().map(ToString::to_string).collect();
    match &partial.unknown {
        Some(u) => format!("[{}] and unknown ({})", known.join(","), u.reason),
        None => format!("[{}]", known.join(",")),
    }
}

/// The services a run reports missing endpoints for.
pub(crate) fn missing(analysis: &Analysis) -> Vec<&str> {
    let mut services: Vec<&str> = analysis
        .findings
        .iter()
        .filter(|f| f.rule == "missing-interface-endpoint")
        .flat_map(|f| f.services.iter().map(String::as_str))
        .collect();
    services.sort_unstable();
    services.dedup();
    services
}
