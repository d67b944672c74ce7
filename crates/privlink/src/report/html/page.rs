//! The document around the sections: `<head>` with the Content Security Policy and the inline
//! stylesheet, the header (what was read, in which mode, how many findings and flows), and the
//! footer. No date or time appears anywhere, so the same inputs render the same bytes.

use std::fmt::Write as _;

use privlink_analysis::reach::Verdict;

use super::escape::esc;
use super::verdict_class;
use crate::session::Session;

const STYLE: &str = include_str!("page.css");

/// What the browser may load: nothing but the inline styles (and `data:` images, of which the
/// report has none today). A report that tried to fetch anything would be refused.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The whole document around `body`.
pub(crate) fn document(session: &Session, body: &str) -> String {
    let s = crate::report::json::summary(&session.analysis.findings);
    let headline = format!(
        "{}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    let version = env!("CARGO_PKG_VERSION");
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="privlink {version}">
<title>privlink check: {headline}</title>
<style>
{STYLE}</style>
</head>
<body>
<header>
<h1>privlink check</h1>
"#
    );
    header(session, &s, &mut out);
    out.push_str("</header>\n<main>\n");
    out.push_str(body);
    let _ = write!(
        out,
        "</main>\n<footer>privlink {version} · the same report as data: <code>privlink check --format json</code></footer>\n</body>\n</html>\n"
    );
    out
}

fn header(session: &Session, s: &crate::report::json::Summary, out: &mut String) {
    let a = &session.analysis;
    let status = if s.errors > 0 {
        "error"
    } else if s.warnings > 0 {
        "warning"
    } else {
        "ok"
    };
    let _ = write!(
        out,
        r#"<p class="summary {status}"><span class="badge error">{}</span> <span class="badge warning">{}</span> <span class="badge info">{}</span> in {}"#,
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(a.workloads.len(), "workload"),
    );
    let verdicts: Vec<String> = [
        Verdict::Endpoint,
        Verdict::Nat,
        Verdict::Internet,
        Verdict::Blocked,
        Verdict::Unknown,
    ]
    .into_iter()
    .filter_map(|v| {
        let n = a.flows.iter().filter(|f| f.verdict == v).count();
        (n > 0).then(|| {
            format!(
                r#"<span class="verdict {}">{n} {v}</span>"#,
                verdict_class(v)
            )
        })
    })
    .collect();
    if verdicts.is_empty() {
        out.push_str(", no flows</p>\n");
    } else {
        let _ = writeln!(
            out,
            ", {}: {}</p>",
            plural(a.flows.len(), "flow"),
            verdicts.join(", ")
        );
    }
    if session.endpoints_only {
        out.push_str("<p class=\"mode\"><strong>--endpoints-only</strong>: evaluated as if no NAT gateway, NAT instance or internet gateway route existed.</p>\n");
    } else {
        out.push_str("<p class=\"mode\">NAT and internet gateways count as a path (a flow that needs them is a <code>nat-dependency</code> warning); <code>--endpoints-only</code> evaluates without them.</p>\n");
    }
    let coverage = &a.coverage;
    let class = if coverage.complete() { "ok" } else { "warning" };
    let _ = writeln!(
        out,
        r#"<p class="coverage {class}"><strong>Coverage:</strong> {}</p>"#,
        esc(&crate::report::coverage_headline(coverage))
    );
    let reasons = crate::report::coverage_reasons(coverage);
    if !reasons.is_empty() {
        out.push_str("<ul class=\"coverage\">\n");
        for line in reasons {
            let _ = writeln!(out, "<li>{}</li>", esc(&line));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<table class=\"inputs\">\n<thead><tr><th>input</th><th>format</th><th>status</th></tr></thead>\n<tbody>\n");
    for input in &session.inputs {
        let (class, status) = if input.is_ok() {
            ("ok", "read")
        } else {
            ("error", "could not be read completely")
        };
        let _ = writeln!(
            out,
            r#"<tr class="{class}"><td><code>{}</code></td><td>{}</td><td>{status}</td></tr>"#,
            esc(&input.path),
            esc(input.format.as_str())
        );
        for e in &input.errors {
            let help = e
                .help
                .as_deref()
                .map(|h| format!("<br><span class=\"help\">help: {}</span>", esc(h)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                r#"<tr class="input-error"><td colspan="3"><code>{}</code>{help}</td></tr>"#,
                esc(&e.to_string())
            );
        }
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str("<nav><a href=\"#diagram\">Network</a> · <a href=\"#flows\">Flows</a> · <a href=\"#findings\">Findings</a> · <a href=\"#cost\">Cost</a> · <a href=\"#rules\">Rules</a></nav>\n");
}
