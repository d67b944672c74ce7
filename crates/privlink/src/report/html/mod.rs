//! The HTML report of `check`: one self-contained file a person opens in a browser or attaches to
//! a ticket. Inline CSS and SVG, no script, no font, image or any other fetch (a Content Security
//! Policy of `default-src 'none'` says so to the browser too), no date (the same inputs give the
//! same bytes).
//!
//! ```text
//! page (header: inputs, mode, counts) ─ diagram (SVG) ─ flows (per workload) ─ findings ─ cost ─ rule docs
//! ```
//!
//! Everything that comes from the inputs is escaped by [`escape`].

mod cost;
mod diagram;
mod escape;
mod findings;
mod flows;
mod page;

use privlink_analysis::reach::Verdict;

use crate::session::Session;

/// Renders the `check` report as HTML.
pub(crate) fn check(session: &Session) -> String {
    let mut body = String::new();
    body.push_str("<section id=\"diagram\">\n<h2>Network</h2>\n");
    body.push_str(
        "<p class=\"hint\">One line per workload subnet and target, in the colour of its worst flow; hover a line, chip or box for what it carries.</p>\n",
    );
    body.push_str("<div class=\"scroll\">\n");
    body.push_str(&diagram::render(session));
    body.push_str("</div>\n</section>\n");
    flows::section(session, &mut body);
    findings::section(session, &mut body);
    cost::section(session, &mut body);
    findings::rule_docs(session, &mut body);
    page::document(session, &body)
}

/// How bad a verdict is, for picking the worst of several.
pub(crate) fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Endpoint => 0,
        Verdict::Nat => 1,
        Verdict::Internet => 2,
        Verdict::Unknown => 3,
        Verdict::Blocked => 4,
    }
}

/// The CSS class of a verdict.
pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Endpoint => "v-endpoint",
        Verdict::Nat => "v-nat",
        Verdict::Internet => "v-internet",
        Verdict::Blocked => "v-blocked",
        Verdict::Unknown => "v-unknown",
    }
}
