//! The Markdown report, for pull-request comments: a headline, each workload's flows as a table,
//! and the findings with their predicted error and fix folded under `<details>`.

use std::fmt::Write as _;

use privlink_analysis::flows_by_workload::FlowsByWorkload;
use privlink_analysis::reach::Verdict;
use privlink_analysis::rules::join_and;
use privlink_model::Severity;

use crate::session::Session;

/// Escapes text for a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴",
        Severity::Warning => "🟡",
        Severity::Info => "🔵",
    }
}

/// Renders the `check` report as Markdown.
pub(crate) fn check(session: &Session) -> String {
    let analysis = &session.analysis;
    let s = super::json::summary(&analysis.findings);
    let mut out = String::from("## privlink\n\n");
    let mode = if session.endpoints_only {
        " (`--endpoints-only`)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "**{} errors, {} warnings, {} infos** in {} workloads, {} flows{mode}.\n",
        s.errors,
        s.warnings,
        s.infos,
        analysis.workloads.len(),
        analysis.flows.len()
    );
    let coverage = &analysis.coverage;
    let mark = if coverage.complete() { "✅" } else { "⚠️" };
    let _ = writeln!(
        out,
        "{mark} Coverage: {}.\n",
        cell(&super::coverage_headline(coverage))
    );
    for line in super::coverage_reasons(coverage) {
        let _ = writeln!(out, "- {}", cell(&line));
    }
    if !coverage.complete() {
        out.push('\n');
    }
    for input in &session.inputs {
        for e in &input.errors {
            let _ = writeln!(
                out,
                "- ⛔ input `{}`: {}",
                cell(&e.to_string()),
                cell(e.help.as_deref().unwrap_or(""))
            );
        }
    }
    let by_workload = FlowsByWorkload::new(&analysis.flows);
    for a in &analysis.workloads {
        let w = &a.workload;
        let assumed = if w.assumed { " (assumed)" } else { "" };
        let _ = writeln!(out, "### `{}` ({}){assumed}\n", w.name, w.kind);
        out.push_str("| service | verdict | via / cause |\n|---|---|---|\n");
        let mut services: Vec<&str> = Vec::new();
        let mine = by_workload.of(&w.name);
        for f in mine {
            if !services.contains(&f.service.as_str()) {
                services.push(&f.service);
            }
        }
        for service in services {
            let flows: Vec<_> = mine.iter().filter(|f| f.service == service).collect();
            let worst = flows.iter().map(|f| f.verdict).max_by_key(|v| match v {
                Verdict::Blocked => 4,
                Verdict::Unknown => 3,
                Verdict::Nat | Verdict::Internet => 2,
                Verdict::Endpoint => 1,
            });
            let how: Vec<String> = flows
                .iter()
                .filter_map(|f| {
                    f.blocked
                        .as_ref()
                        .map(|b| format!("`{}`", b.cause.rule()))
                        .or_else(|| f.via.as_ref().map(|v| format!("`{v}`")))
                })
                .fold(Vec::new(), |mut acc, x| {
                    if !acc.contains(&x) {
                        acc.push(x);
                    }
                    acc
                });
            let _ = writeln!(
                out,
                "| `{service}` | {} | {} |",
                worst.map_or_else(String::new, |v| v.to_string()),
                cell(&how.join(", "))
            );
        }
        out.push('\n');
    }
    if !analysis.findings.is_empty() {
        out.push_str("### Findings\n\n");
    }
    for f in &analysis.findings {
        let at = f
            .location
            .as_ref()
            .map(|l| format!(" — `{l}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} **{}** `{}`{at}: {}",
            icon(f.severity),
            f.severity,
            f.rule,
            cell(&f.message)
        );
        let mut details = Vec::new();
        if !f.subnets.is_empty() {
            details.push(format!("Subnets: {}", join_and(&f.subnets)));
        }
        if let Some(e) = &f.predicted_error {
            details.push(format!("Predicted error:\n\n```text\n{e}\n```"));
        }
        if let Some(fix) = &f.fix {
            details.push(format!("Fix: {}", fix.summary));
        }
        if !details.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>details</summary>\n\n{}\n\n</details>\n",
                details.join("\n\n")
            );
        }
    }
    out
}
