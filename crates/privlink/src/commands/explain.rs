//! `privlink explain`: every hop of every required flow, with the element that decided it.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use privlink_analysis::reach::{Flow, HopStatus};

use super::emit;
use crate::cli::{ExplainArgs, Format};
use crate::report::style::{self, BOLD, DIM, paint};
use crate::report::text;
use crate::session;

/// Runs `explain`; returns the exit status.
pub(crate) fn run(args: &ExplainArgs) -> Result<u8> {
    let (session, names) = session::open(&args.inputs, true)?;
    let known: Vec<&str> = session
        .analysis
        .workloads
        .iter()
        .map(|w| w.workload.name.as_str())
        .collect();
    for name in &names {
        if !known.contains(&name.as_str()) {
            bail!(
                "no workload named `{name}`; workloads: {}",
                known.join(", ")
            );
        }
    }
    let flows: Vec<&Flow> = session
        .analysis
        .flows
        .iter()
        .filter(|f| names.is_empty() || names.contains(&f.workload))
        .filter(|f| args.service.as_ref().is_none_or(|s| &f.service == s))
        .collect();
    if let Some(service) = &args.service
        && flows.is_empty()
        && !session.analysis.flows.is_empty()
    {
        let mut services: Vec<&str> = session
            .analysis
            .flows
            .iter()
            .map(|f| f.service.as_str())
            .collect();
        services.dedup();
        bail!(
            "no flow to `{service}`; the workloads need: {}",
            services.join(", ")
        );
    }
    let rendered = match args.inputs.format {
        Format::Sarif | Format::Markdown | Format::Html => {
            bail!("privlink explain writes --format text or json")
        }
        Format::Json => {
            let mut report = serde_json::to_value(crate::report::json::report(&session))?;
            let keep: Vec<serde_json::Value> = report["flows"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| {
                    flows.iter().any(|k| {
                        f["workload"] == k.workload.as_str()
                            && f["service"] == k.service.as_str()
                            && f["subnet"] == k.subnet.as_str()
                    })
                })
                .cloned()
                .collect();
            report["flows"] = serde_json::Value::Array(keep);
            serde_json::to_string_pretty(&report)? + "\n"
        }
        Format::Text => {
            let mut out = String::new();
            text::input_errors(&session, &mut out);
            for flow in &flows {
                explain_flow(flow, &mut out);
            }
            if flows.is_empty() {
                out.push_str("no flows to explain: the inputs define no workload with subnets\n");
            }
            out
        }
    };
    emit(&rendered, args.inputs.output.as_deref())?;
    Ok(if session.has_input_errors() { 2 } else { 0 })
}

fn explain_flow(flow: &Flow, out: &mut String) {
    let az = flow
        .az
        .value()
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    let outcome = match &flow.blocked {
        Some(b) => paint(style::ERROR, format!("blocked: {}", b.cause.rule())),
        None => paint(style::verdict(flow.verdict), flow.verdict),
    };
    let _ = writeln!(
        out,
        "{} → {} from {}{az}: {outcome}",
        paint(BOLD, &flow.workload),
        paint(BOLD, &flow.service),
        flow.subnet
    );
    let _ = writeln!(
        out,
        "   {}",
        paint(DIM, format!("needed for {}", flow.purpose))
    );
    for (i, hop) in flow.hops.iter().enumerate() {
        let (mark, s) = match hop.status {
            HopStatus::Ok => ("ok", style::OK),
            HopStatus::Warning => ("warn", style::WARNING),
            HopStatus::Blocked => ("BLOCKED", style::ERROR),
            HopStatus::Unknown => ("unknown", style::WARNING),
        };
        let _ = writeln!(
            out,
            "  {:>2}. {:<19} {}  {}",
            i + 1,
            hop.kind.to_string(),
            paint(s, format!("{mark:<7}")),
            hop.detail
        );
        let at = match (&hop.element, &hop.location) {
            (Some(e), Some(l)) => format!("{e} at {l}"),
            (Some(e), None) => e.to_string(),
            (None, Some(l)) => l.to_string(),
            (None, None) => String::new(),
        };
        if !at.is_empty() {
            let _ = writeln!(
                out,
                "      {:<19} {}",
                "",
                paint(DIM, format!("decided by {at}"))
            );
        }
    }
    if flow.blocked.is_some() {
        let _ = writeln!(
            out,
            "   {}",
            paint(
                DIM,
                format!("the workload would stop with: {}", flow.predicted_error)
            )
        );
    }
    out.push('\n');
}
