//! The text report: input problems, one block per workload with the verdict of each required
//! service, one block per finding with its source snippet, predicted error and fix, and a summary.

use std::fmt::Write as _;

use privlink_analysis::finding::Finding;
use privlink_analysis::flows_by_workload::FlowsByWorkload;
use privlink_analysis::reach::{Flow, HopStatus, Verdict};
use privlink_analysis::{AnalyzedWorkload, rules::join_and};

use super::snippet::Sources;
use super::style::{self, BOLD, DIM, ERROR, paint};
use crate::session::Session;

/// Renders the `check` report.
pub(crate) fn check(session: &Session) -> String {
    let mut out = String::new();
    let mut sources = Sources::default();
    for (path, text) in &session.documents {
        sources.insert(path, text);
    }
    input_errors(session, &mut out);
    let by_workload = FlowsByWorkload::new(&session.analysis.flows);
    for w in &session.analysis.workloads {
        workload(w, by_workload.of(&w.workload.name), &mut out);
        coverage_of(session, &w.workload.name, &mut out);
    }
    for f in &session.analysis.findings {
        finding(f, &mut sources, &mut out);
    }
    super::cost::check_lines(session, &mut out);
    summary(session, &mut out);
    out
}

/// Input errors, one block each.
pub(crate) fn input_errors(session: &Session, out: &mut String) {
    for input in &session.inputs {
        for e in &input.errors {
            let _ = writeln!(out, "{}: {}", paint(ERROR, "error[input]"), paint(BOLD, e));
            if let Some(help) = &e.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            out.push('\n');
        }
    }
}

/// A workload's block: its place, then one line per service with the verdicts of `mine`, its flows.
fn workload(a: &AnalyzedWorkload, mine: &[&Flow], out: &mut String) {
    let w = &a.workload;
    let (version, place) = super::workload_version_and_place(a);
    let source = w
        .provenance
        .location
        .as_ref()
        .map(|l| format!("  {}", paint(DIM, l)))
        .unwrap_or_default();
    let assumed = if w.assumed {
        paint(
            style::WARNING,
            " (assumed: the inputs define no workload; it gets a new security group, all outbound allowed)",
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} ({}{version}){place}{assumed}{source}",
        paint(BOLD, &w.name),
        w.kind
    );
    let subnets: Vec<String> = w.subnets.iter().map(ToString::to_string).collect();
    if subnets.is_empty() {
        let why = w
            .subnets
            .unknown
            .as_ref()
            .map_or("it names no subnets", |u| u.reason.as_str());
        let _ = writeln!(
            out,
            "  {}",
            paint(style::WARNING, format!("no flows traced: {why}"))
        );
    } else {
        let _ = writeln!(
            out,
            "  {}",
            paint(DIM, format!("subnets: {}", subnets.join(", ")))
        );
    }
    let mut services: Vec<&str> = Vec::new();
    for f in mine {
        if !services.contains(&f.service.as_str()) {
            services.push(&f.service);
        }
    }
    let width = services.iter().map(|s| s.len()).max().unwrap_or(0);
    for service in services {
        let of: Vec<&&Flow> = mine.iter().filter(|f| f.service == service).collect();
        let _ = writeln!(out, "  {service:<width$}  {}", verdicts(&of));
    }
    out.push('\n');
}

/// A workload's coverage, when some of its required flows are undecided (placement problems are said
/// in the workload block already).
fn coverage_of(session: &Session, name: &str, out: &mut String) {
    let Some(c) = session.analysis.coverage.of(name) else {
        return;
    };
    if c.unknown == 0 {
        return;
    }
    // The workload block ends with a blank line; the coverage line belongs to it.
    out.pop();
    let _ = writeln!(
        out,
        "  {}\n",
        paint(
            style::WARNING,
            format!(
                "coverage: {} of {} required flows decided; undecided: {}",
                c.decided,
                c.flows,
                c.undecided_services.join(", ")
            )
        )
    );
}

/// `endpoint via X` when every subnet agrees, else the verdict per group of subnets.
fn verdicts(flows: &[&&Flow]) -> String {
    let describe = |f: &Flow| {
        let mark = paint(style::verdict(f.verdict), format!("{:<8}", f.verdict));
        let tail = match (&f.blocked, &f.via, f.verdict) {
            (Some(b), _, _) => format!("{} ({})", b.cause.rule(), b.resource),
            (None, Some(via), _) => format!("via {via}"),
            (None, None, Verdict::Unknown) => f
                .hops
                .iter()
                .find(|h| h.status == HopStatus::Unknown)
                .map(|h| h.detail.clone())
                .unwrap_or_default(),
            (None, None, _) => f
                .hops
                .iter()
                .rev()
                .find(|h| h.status == HopStatus::Ok)
                .map(|h| h.detail.clone())
                .unwrap_or_default(),
        };
        format!("{mark}  {tail}")
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for f in flows {
        let d = describe(f);
        match groups.iter_mut().find(|(k, _)| *k == d) {
            Some((_, subnets)) => subnets.push(f.subnet.to_string()),
            None => groups.push((d, vec![f.subnet.to_string()])),
        }
    }
    if groups.len() == 1 {
        return groups.remove(0).0;
    }
    groups
        .into_iter()
        .map(|(d, s)| format!("{d} [{}]", s.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn finding(f: &Finding, sources: &mut Sources, out: &mut String) {
    let style = style::severity(f.severity);
    let _ = writeln!(
        out,
        "{}: {}",
        paint(style, format!("{}[{}]", f.severity, f.rule)),
        paint(BOLD, &f.message)
    );
    let gutter = f
        .location
        .as_ref()
        .map_or(1, |location| sources.render(location, style, out));
    let mut notes = Vec::new();
    if let Some(w) = &f.workload {
        let services = if f.services.is_empty() {
            f.service
                .as_ref()
                .map_or_else(String::new, |s| format!(", service: {s}"))
        } else {
            format!(", service: {}", join_and(&f.services))
        };
        let subnets = if f.subnets.is_empty() {
            String::new()
        } else {
            format!(" in {}", join_and(&f.subnets))
        };
        notes.push(format!("workload: {w}{services}{subnets}"));
    } else if let Some(service) = &f.service {
        let services = if f.services.is_empty() {
            service.clone()
        } else {
            join_and(&f.services)
        };
        notes.push(format!("service: {services}"));
    }
    if let Some(e) = &f.predicted_error {
        notes.push(format!("predicted error: {e}"));
    }
    if let Some(fix) = &f.fix {
        notes.push(format!("fix: {}", fix.summary));
    }
    notes.push(format!("see: privlink rule {}", f.rule));
    for n in notes {
        let _ = writeln!(
            out,
            "{} {} {n}",
            " ".repeat(gutter),
            paint(style::GUTTER, "=")
        );
    }
    out.push('\n');
}

fn summary(session: &Session, out: &mut String) {
    let s = super::json::summary(&session.analysis.findings);
    let flows = &session.analysis.flows;
    let count = |v: Verdict| flows.iter().filter(|f| f.verdict == v).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdicts: Vec<String> = [
        Verdict::Endpoint,
        Verdict::Nat,
        Verdict::Internet,
        Verdict::Blocked,
        Verdict::Unknown,
    ]
    .into_iter()
    .filter(|v| count(*v) > 0)
    .map(|v| format!("{} {v}", count(v)))
    .collect();
    let headline = format!(
        "{}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    let style = if s.errors > 0 {
        ERROR
    } else if s.warnings > 0 {
        style::WARNING
    } else {
        style::OK
    };
    let workloads = plural(session.analysis.workloads.len(), "workload");
    let flow_text = if verdicts.is_empty() {
        "no flows".to_owned()
    } else {
        format!("{}: {}", plural(flows.len(), "flow"), verdicts.join(", "))
    };
    let mode = if session.endpoints_only {
        " with --endpoints-only"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{} in {workloads} ({flow_text}){mode}",
        paint(style, headline)
    );
    let coverage = &session.analysis.coverage;
    let style = if coverage.complete() {
        DIM
    } else {
        style::WARNING
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            style,
            format!("coverage: {}", super::coverage_headline(coverage))
        )
    );
    for line in super::coverage_reasons(coverage) {
        let _ = writeln!(out, "  {}", paint(style, line));
    }
    let unreadable = session.inputs.iter().filter(|i| !i.is_ok()).count();
    if unreadable > 0 {
        let _ = writeln!(
            out,
            "{}",
            paint(
                ERROR,
                format!(
                    "{} could not be read completely",
                    plural(unreadable, "input")
                )
            )
        );
    }
}
