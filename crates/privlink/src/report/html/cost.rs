//! The cost section: per workload set, the four designs' monthly cost (cheapest marked), where
//! endpoints become cheaper than each other design, and, folded, the line items and the dated,
//! sourced prices. The figures and words are those of `privlink cost` (`report::cost`), for the
//! traffic `check` prices (privlink.toml's `[traffic]` or the defaults).

use std::fmt::Write as _;

use privlink_analysis::cost::{Estimate, HOURS_PER_MONTH, SetEstimate, Unit};

use super::escape::esc;
use crate::report::cost::{
    comparison_text, design_label, design_name, for_check, gb, plain, set_name, traffic_text,
    unit_text, usd,
};
use crate::session::Session;

/// Writes the section.
pub(crate) fn section(session: &Session, out: &mut String) {
    out.push_str("<section id=\"cost\">\n<h2>Cost</h2>\n");
    let (sets, traffic) = for_check(session);
    if sets.is_empty() {
        out.push_str("<p class=\"note\">Nothing to price: the inputs define no workload and no subnet without an internet route.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p>Monthly cost (USD, {HOURS_PER_MONTH} hours) at {}. <code>privlink cost --gb-per-month N</code> prices another volume.</p>",
        esc(&traffic_text(&traffic))
    );
    for set in &sets {
        set_section(set, out);
    }
    out.push_str("</section>\n");
}

fn set_section(set: &SetEstimate, out: &mut String) {
    let place = set
        .region
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<h3><code>{}</code>{}</h3>",
        esc(&set_name(set)),
        esc(&place)
    );
    match &set.result {
        Err(why) => {
            let _ = writeln!(
                out,
                "<p class=\"note\">Not priced: {}.</p>",
                esc(&why.to_string())
            );
        }
        Ok(e) => estimate(set, e, out),
    }
}

fn estimate(set: &SetEstimate, e: &Estimate, out: &mut String) {
    let azs = if e.azs.len() == 1 {
        "1 AZ".to_owned()
    } else {
        format!("{} AZs", e.azs.len())
    };
    let _ = writeln!(
        out,
        "<p>Workloads {} in {azs} ({}).</p>",
        esc(&set.workloads.join(", ")),
        esc(&e.azs.join(", "))
    );
    let cheapest = e
        .designs
        .iter()
        .map(privlink_analysis::cost::Design::total_usd)
        .min()
        .unwrap_or_default();
    out.push_str("<table class=\"cost\">\n<thead><tr><th>design</th><th>fixed</th><th>traffic</th><th>total / month</th></tr></thead>\n<tbody>\n");
    for d in &e.designs {
        let total = d.total_usd();
        let class = if total == cheapest {
            " class=\"cheapest\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td class=\"usd\">${}</td><td class=\"usd\">${}</td><td class=\"usd\">${}</td></tr>",
            esc(&design_label(d.kind, &d.summary)),
            usd(d.curve.fixed),
            usd(total - d.curve.fixed),
            usd(total)
        );
    }
    out.push_str("</tbody>\n</table>\n<ul class=\"comparisons\">\n");
    for c in &e.comparisons {
        let _ = writeln!(
            out,
            "<li>Endpoints are {}.</li>",
            esc(&comparison_text(c, e))
        );
    }
    out.push_str("</ul>\n");
    line_items(e, out);
    prices(e, out);
    if !e.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for note in &e.notes {
            let _ = writeln!(out, "<li class=\"note\">{}</li>", esc(note));
        }
        out.push_str("</ul>\n");
    }
}

fn line_items(e: &Estimate, out: &mut String) {
    out.push_str("<details><summary>line items</summary>\n<table class=\"items\">\n<tbody>\n");
    for d in &e.designs {
        let _ = writeln!(
            out,
            "<tr class=\"design\"><th colspan=\"3\">{}</th></tr>",
            esc(design_name(d.kind))
        );
        for item in &d.items {
            let amount = if item.unit == Unit::Free {
                "0.00".to_owned()
            } else {
                usd(item.usd)
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"qty\">{}</td><td class=\"usd\">${amount}</td></tr>",
                esc(&item.label),
                esc(&unit_text(item))
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

fn prices(e: &Estimate, out: &mut String) {
    let p = &e.prices;
    out.push_str("<details><summary>prices</summary>\n<table class=\"items\">\n<thead><tr><th>figure</th><th>USD</th><th>taken</th><th>source</th></tr></thead>\n<tbody>\n");
    let star = |assumed: bool| {
        if assumed {
            " (assumed: no source gives it for this region)"
        } else {
            ""
        }
    };
    for (name, f) in p.figures() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"usd\">{}</td><td>{}</td><td>{}{}</td></tr>",
            esc(name),
            plain(f.usd),
            esc(&f.date),
            esc(&f.source),
            star(f.assumed)
        );
    }
    for (i, t) in p.interface_endpoint_gb.iter().enumerate() {
        let bound = t
            .up_to_gb
            .map(|up| format!(" up to {} GB", gb(up)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>interface-endpoint-gb tier {}{}</td><td class=\"usd\">{}</td><td>{}</td><td>{}{}</td></tr>",
            i + 1,
            esc(&bound),
            plain(t.usd),
            esc(&t.date),
            esc(&t.source),
            star(t.assumed)
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}
