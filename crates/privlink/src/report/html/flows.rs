//! The flows section: per workload, a table of its required services (rows) by its subnets
//! (columns), each cell the flow's verdict in its colour, what it goes through or what blocks it,
//! and its hops folded under `<details>` (the same hops `privlink explain` prints).

use std::fmt::Write as _;

use privlink_analysis::AnalyzedWorkload;
use privlink_analysis::flows_by_workload::FlowsByWorkload;
use privlink_analysis::reach::{Flow, HopKind, HopStatus, Verdict};
use privlink_model::Known;

use super::escape::esc;
use super::verdict_class;
use crate::session::Session;

/// Writes the section.
pub(crate) fn section(session: &Session, out: &mut String) {
    out.push_str("<section id=\"flows\">\n<h2>Flows</h2>\n");
    if session.analysis.workloads.is_empty() {
        out.push_str("<p class=\"note\">No workload: the inputs define none and have no subnet without an internet route.</p>\n");
    }
    let by_workload = FlowsByWorkload::new(&session.analysis.flows);
    for a in &session.analysis.workloads {
        workload(a, by_workload.of(&a.workload.name), out);
    }
    out.push_str("</section>\n");
}

fn workload(a: &AnalyzedWorkload, mine: &[&Flow], out: &mut String) {
    let w = &a.workload;
    let (version, place) = crate::report::workload_version_and_place(a);
    let assumed = if w.assumed {
        " <span class=\"badge warning\">assumed: the inputs define no workload; it gets a new security group, all outbound allowed</span>"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<h3>{} <span class=\"kind\">{}{}{}</span>{assumed}</h3>",
        esc(&w.name),
        esc(w.kind.as_str()),
        esc(&version),
        esc(&place)
    );
    if let Some(l) = &w.provenance.location {
        let _ = writeln!(
            out,
            "<p class=\"source\">defined at <code>{}:{}</code></p>",
            esc(&l.path),
            l.line
        );
    }
    if mine.is_empty() {
        let why = w
            .subnets
            .unknown
            .as_ref()
            .map_or("it names no subnets", |u| u.reason.as_str());
        let _ = writeln!(out, "<p class=\"note\">No flows traced: {}</p>", esc(why));
        return;
    }
    let mut subnets: Vec<(&privlink_model::ResourceId, &Known<String>)> = Vec::new();
    let mut services: Vec<(&str, &str)> = Vec::new();
    for f in mine {
        if !subnets.iter().any(|(s, _)| *s == &f.subnet) {
            subnets.push((&f.subnet, &f.az));
        }
        if !services.iter().any(|(s, _)| *s == f.service) {
            services.push((&f.service, &f.purpose));
        }
    }
    out.push_str("<div class=\"scroll\">\n<table class=\"flows\">\n<thead><tr><th>service</th><th>needed for</th>");
    for (subnet, az) in &subnets {
        let az = az.value().map_or("AZ unknown", String::as_str);
        let _ = write!(
            out,
            "<th><code>{}</code><span class=\"az\">{}</span></th>",
            esc(subnet.as_str()),
            esc(az)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (service, purpose) in &services {
        let _ = write!(
            out,
            "<tr><th><code>{}</code></th><td>{}</td>",
            esc(service),
            esc(purpose)
        );
        for (subnet, _) in &subnets {
            match mine
                .iter()
                .find(|f| f.service == *service && &f.subnet == *subnet)
            {
                Some(f) => cell(f, out),
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// What a flow goes through, or what stops it.
fn how(f: &Flow) -> String {
    match (&f.blocked, &f.via) {
        (Some(b), _) => format!("{} ({})", b.cause.rule(), b.resource),
        (None, Some(via)) => format!("via {via}"),
        (None, None) => {
            // NAT and internet flows name their gateway (a NAT instance, the route to it);
            // undetermined ones what is not known.
            let decisive = match f.verdict {
                Verdict::Unknown => f.hops.iter().find(|h| h.status == HopStatus::Unknown),
                _ => f
                    .hops
                    .iter()
                    .find(|h| h.kind == HopKind::Gateway)
                    .or_else(|| f.hops.iter().find(|h| h.kind == HopKind::Route)),
            };
            match decisive {
                Some(h) if h.kind == HopKind::Gateway => h
                    .element
                    .as_ref()
                    .map_or_else(|| h.detail.clone(), |g| format!("via {g}")),
                Some(h) => h.detail.clone(),
                None => String::new(),
            }
        }
    }
}

fn cell(f: &Flow, out: &mut String) {
    let class = verdict_class(f.verdict);
    let _ = write!(
        out,
        "<td class=\"cell {class}\"><span class=\"word {class}\">{}</span><span class=\"how\">{}</span>",
        f.verdict,
        esc(&how(f))
    );
    if !f.hops.is_empty() {
        out.push_str("<details><summary>hops</summary><ol>");
        for h in &f.hops {
            let (class, mark) = match h.status {
                HopStatus::Ok => ("hop-ok", "ok"),
                HopStatus::Warning => ("hop-warning", "warning"),
                HopStatus::Blocked => ("hop-blocked", "blocked"),
                HopStatus::Unknown => ("hop-unknown", "unknown"),
            };
            let at = h
                .location
                .as_ref()
                .map(|l| format!(" <code>{}:{}</code>", esc(&l.path), l.line))
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li class=\"{class}\">{} {mark}: {}{at}</li>",
                h.kind,
                esc(&h.detail)
            );
        }
        out.push_str("</ol></details>");
    }
    out.push_str("</td>");
}
