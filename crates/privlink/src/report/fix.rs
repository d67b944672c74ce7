//! The report of `privlink fix`: each finding with what became of it, then the changes as a unified
//! diff (so the whole output is a patch `git apply` takes), or the files written.

use std::fmt::Write as _;

use privlink_analysis::finding::Applicability;
use privlink_fix::{FindingOutcome, Plan, Status, Written};
use serde_json::{Value, json};

use super::style::{BOLD, DIM, ERROR, OK, WARNING, paint, severity};
use crate::session::Session;

/// One block per finding, then a summary line.
pub(crate) fn findings(plan: &Plan, out: &mut String) {
    let mut revealed_header = false;
    for outcome in &plan.findings {
        if outcome.revealed && !revealed_header {
            let _ = writeln!(
                out,
                "{}",
                paint(BOLD, "revealed once the fixes above are applied:")
            );
            revealed_header = true;
        }
        finding(outcome, out);
    }
    let fixed = plan
        .findings
        .iter()
        .filter(|f| f.status == Status::Fixed)
        .count();
    let partly = plan
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Partly { .. }))
        .count();
    let manual = plan.findings.len() - fixed - partly;
    let changed = plan.files.iter().filter(|f| !f.is_new()).count();
    let new = plan.files.len() - changed;
    if !plan.findings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} finding{}: {fixed} fixed, {partly} partly fixed, {manual} left to do by hand; {changed} file{} changed, {new} new",
        plan.findings.len(),
        plural(plan.findings.len()),
        plural(changed),
    );
}

fn finding(outcome: &FindingOutcome, out: &mut String) {
    let f = &outcome.finding;
    let at = f
        .location
        .as_ref()
        .map(|l| format!(" {}", paint(DIM, format!("({l})"))))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{}{at}",
        paint(severity(f.severity), format!("{}[{}]", f.severity, f.rule)),
        f.resource
            .as_deref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default(),
    );
    let summary = f.fix.as_ref().map_or("", |fix| fix.summary.as_str());
    match &outcome.status {
        Status::Fixed => {
            let _ = writeln!(out, "  {} {summary}", paint(OK, "fixed:"));
        }
        Status::Partly { left } => {
            let _ = writeln!(out, "  {} {summary}", paint(WARNING, "partly fixed:"));
            for reason in left {
                let _ = writeln!(out, "  {} {reason}", paint(WARNING, "left to do:"));
            }
        }
        Status::Manual { reasons } => {
            let manual_fix = f
                .fix
                .as_ref()
                .is_none_or(|fix| fix.applicability == Applicability::Manual);
            if manual_fix {
                for reason in reasons {
                    let _ = writeln!(out, "  {} {reason}", paint(ERROR, "by hand:"));
                }
            } else {
                let _ = writeln!(out, "  {} {summary}", paint(ERROR, "by hand:"));
                for reason in reasons {
                    let _ = writeln!(out, "  {} {reason}", paint(WARNING, "not written:"));
                }
            }
        }
    }
}

/// The JSON report: each finding with what became of it, the changes, and the files written.
pub(crate) fn json(session: &Session, plan: &Plan, written: Option<&[Written]>) -> Value {
    let inputs: Vec<Value> = session
        .inputs
        .iter()
        .map(|i| {
            json!({
                "path": i.path,
                "format": i.format.as_str(),
                "status": if i.is_ok() { "ok" } else { "error" },
                "errors": i.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    let findings: Vec<Value> = plan
        .findings
        .iter()
        .map(|o| {
            let f = &o.finding;
            let (status, left) = match &o.status {
                Status::Fixed => ("fixed", Vec::new()),
                Status::Partly { left } => ("partly-fixed", left.clone()),
                Status::Manual { reasons } => ("manual", reasons.clone()),
            };
            json!({
                "rule": f.rule,
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "workload": f.workload,
                "service": f.service,
                "resource": f.resource,
                "location": f.location,
                "revealed": o.revealed,
                "status": status,
                "fix": f.fix.as_ref().map(|fix| fix.summary.clone()),
                "left": left,
            })
        })
        .collect();
    let files: Vec<Value> = plan
        .files
        .iter()
        .map(|c| json!({"path": c.display(), "new": c.is_new(), "diff": c.diff()}))
        .collect();
    let mut report = json!({
        "schema_version": 1,
        "tool": {"name": "privlink", "version": env!("CARGO_PKG_VERSION")},
        "inputs": inputs,
        "findings": findings,
        "files": files,
    });
    if let Some(written) = written {
        report["written"] = written
            .iter()
            .map(|w| {
                json!({
                    "path": w.path.to_string_lossy(),
                    "backup": w.backup.as_ref().map(|b| b.to_string_lossy().into_owned()),
                })
            })
            .collect();
    }
    report
}

/// The changes as one patch: a unified diff per changed file, new files against `/dev/null`.
pub(crate) fn patch(plan: &Plan, out: &mut String) {
    if plan.files.is_empty() {
        return;
    }
    out.push('\n');
    for file in &plan.files {
        for line in file.diff().lines() {
            let style = if line.starts_with("+++") || line.starts_with("---") {
                BOLD
            } else if line.starts_with('+') {
                OK
            } else if line.starts_with('-') {
                ERROR
            } else if line.starts_with("@@") {
                DIM
            } else {
                let _ = writeln!(out, "{line}");
                continue;
            };
            let _ = writeln!(out, "{}", paint(style, line));
        }
    }
}

/// The files written, with their backups.
pub(crate) fn written(files: &[Written], out: &mut String) {
    if files.is_empty() {
        let _ = writeln!(out, "nothing to write");
        return;
    }
    for w in files {
        match &w.backup {
            Some(backup) => {
                let _ = writeln!(
                    out,
                    "{} {} (the previous content is in {})",
                    paint(OK, "wrote"),
                    w.path.display(),
                    backup.display()
                );
            }
            None => {
                let _ = writeln!(out, "{} {}", paint(OK, "created"), w.path.display());
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
