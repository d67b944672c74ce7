//! The findings table (severity, rule, message with the workload, services and subnets it
//! affects, location, predicted error, fix) and, at the end of the page, the documentation of
//! every rule that fired, each in a `<details id="rule-NAME">` the table's rule links open.
//!
//! Rule documentation is privlink's own Markdown (the text of `privlink rule NAME` and
//! `docs/rules/`), rendered with pulldown-cmark; raw HTML in it is shown as text, not markup.

use std::fmt::Write as _;

use privlink_analysis::finding::{Applicability, Finding};
use privlink_analysis::rules::{RULES, Rule, join_and};
use privlink_model::Severity;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::escape::esc;
use crate::session::Session;

fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name).copied()
}

/// Writes the findings table.
pub(crate) fn section(session: &Session, out: &mut String) {
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    let findings = &session.analysis.findings;
    if findings.is_empty() {
        out.push_str("<p class=\"note\">No findings: every required flow works as written.</p>\n</section>\n");
        return;
    }
    out.push_str("<table class=\"findings\">\n<thead><tr><th>severity</th><th>rule</th><th>finding</th><th>location</th><th>predicted error</th><th>fix</th></tr></thead>\n<tbody>\n");
    for f in findings {
        row(f, out);
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn row(f: &Finding, out: &mut String) {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let rule_cell = if rule(f.rule).is_some() {
        format!(
            "<a href=\"#rule-{}\"><code>{}</code></a>",
            esc(f.rule),
            esc(f.rule)
        )
    } else {
        format!("<code>{}</code>", esc(f.rule))
    };
    let mut affects = Vec::new();
    if let Some(w) = &f.workload {
        affects.push(format!("workload <code>{}</code>", esc(w)));
    }
    let services = if f.services.is_empty() {
        f.service.iter().cloned().collect()
    } else {
        f.services.clone()
    };
    if !services.is_empty() {
        affects.push(format!("service {}", esc(&join_and(&services))));
    }
    if !f.subnets.is_empty() {
        affects.push(format!("in {}", esc(&join_and(&f.subnets))));
    }
    if let Some(r) = &f.resource {
        affects.push(format!("change <code>{}</code>", esc(r)));
    }
    let affects = if affects.is_empty() {
        String::new()
    } else {
        format!("<div class=\"affects\">{}</div>", affects.join(" · "))
    };
    let location = f
        .location
        .as_ref()
        .map(|l| {
            format!(
                "<code title=\"{}\">{}:{}</code>",
                esc(&l.to_string()),
                esc(&l.path),
                l.line
            )
        })
        .unwrap_or_default();
    let predicted = f
        .predicted_error
        .as_deref()
        .map(|e| format!("<code class=\"predicted\">{}</code>", esc(e)))
        .unwrap_or_default();
    let fix = f
        .fix
        .as_ref()
        .map(|fix| {
            let applicability = match fix.applicability {
                Applicability::Safe => "safe to apply",
                Applicability::Unsafe => "review before applying",
                Applicability::Manual => "by hand",
            };
            format!(
                "{}<div class=\"applicability\">{applicability}</div>",
                esc(&fix.summary)
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr class=\"finding sev-{severity}\" data-rule=\"{}\"><td><span class=\"badge {severity}\">{severity}</span></td><td>{rule_cell}<br><span class=\"kind\">{}</span></td><td>{}{affects}</td><td>{location}</td><td>{predicted}</td><td>{fix}</td></tr>",
        esc(f.rule),
        esc(f.code),
        esc(&f.message),
    );
}

/// Writes the documentation of every rule that fired, in the order they first appear.
pub(crate) fn rule_docs(session: &Session, out: &mut String) {
    out.push_str("<section id=\"rules\">\n<h2>Rules</h2>\n");
    let mut fired: Vec<&'static Rule> = Vec::new();
    for f in &session.analysis.findings {
        if let Some(r) = rule(f.rule)
            && !fired.iter().any(|x| x.name == r.name)
        {
            fired.push(r);
        }
    }
    if fired.is_empty() {
        out.push_str(
            "<p class=\"note\">No rule fired. <code>privlink rules</code> lists them all.</p>\n",
        );
    }
    for r in fired {
        let _ = writeln!(
            out,
            "<details class=\"rule\" id=\"rule-{}\"><summary><code>{}</code> ({}, {}): {}</summary>\n<div class=\"rule-doc\">\n{}</div>\n</details>",
            esc(r.name),
            esc(r.name),
            esc(r.code),
            r.severity,
            esc(r.summary),
            markdown(r.docs)
        );
    }
    out.push_str("</section>\n");
}

/// Renders rule documentation: headings two levels down (the page has its own h1 and h2), raw HTML
/// as text.
fn markdown(text: &str) -> String {
    let demote = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let events = Parser::new(text).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(CowStr::from(html.to_string())),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_docs_render_with_demoted_headings_and_no_raw_html() {
        let html = markdown(
            "# name (PL001)\n\n## What it does\nSee <b>this</b> & `code`.\n\n```hcl\nx = \"<y>\"\n```\n",
        );
        assert!(html.contains("<h3>name (PL001)</h3>"), "{html}");
        assert!(html.contains("<h4>What it does</h4>"), "{html}");
        assert!(html.contains("&lt;b&gt;this&lt;/b&gt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
        assert!(html.contains("x = \"&lt;y&gt;\""), "{html}");
    }

    #[test]
    fn every_rule_documentation_renders() {
        for r in RULES {
            let html = markdown(r.docs);
            assert!(html.contains("<h4>What it does</h4>"), "{}: {html}", r.name);
        }
    }
}
