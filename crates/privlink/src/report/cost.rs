//! The cost report: a table a person reads in ten seconds (the four designs' monthly cost and where
//! endpoints become cheaper), the line items behind it, and the same as JSON. `check` shows one
//! info line per workload set and puts the JSON under its `cost` key.
//!
//! Arithmetic is exact in the analysis; rounding happens here only: USD to cents, GB to two places
//! (to whole GB in the text).

use std::fmt::Write as _;

use privlink_analysis::cost::{
    Cheaper, Comparison, DesignKind, Estimate, HOURS_PER_MONTH, LineItem, NotPriced, PriceTable,
    SetEstimate, Traffic, TrafficOrigin, Unit, estimate,
};
use rust_decimal::prelude::ToPrimitive as _;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::style::{self, BOLD, DIM, paint};
use crate::config::Config;
use crate::session::Session;

/// The widest the text report gets.
const WIDTH: usize = 100;

/// The traffic to price: the `[traffic]` table or the defaults, scaled to `--gb-per-month`.
pub(crate) fn traffic(config: &Config, gb_per_month: Option<Decimal>) -> Traffic {
    let base = config.traffic.clone().unwrap_or_default();
    match gb_per_month {
        Some(total) => base.scaled_to(total),
        None => base,
    }
}

/// The estimates `check` shows: the shipped prices and the configured traffic.
pub(crate) fn for_check(session: &Session) -> (Vec<SetEstimate>, Traffic) {
    let traffic = traffic(&session.config, None);
    (
        estimate(
            &session.analysis,
            &session.model,
            PriceTable::embedded(),
            &traffic,
        ),
        traffic,
    )
}

/// How a workload set is named: its VPC, or its workloads when the VPC is not known.
pub(crate) fn set_name(set: &SetEstimate) -> String {
    match &set.vpc {
        Some(vpc) => vpc.to_string(),
        None => format!("workloads {}", set.workloads.join(", ")),
    }
}

fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `1234.5` → `1,234.50` with `dp` places (trailing zeros dropped when `trim`).
fn grouped(d: Decimal, dp: u32, trim: bool) -> String {
    let r = round(d, dp);
    let text = if trim {
        r.normalize().to_string()
    } else {
        format!("{r:.0$}", dp as usize)
    };
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

pub(crate) fn usd(d: Decimal) -> String {
    grouped(d, 2, false)
}

pub(crate) fn gb(d: Decimal) -> String {
    grouped(d, if d.abs() < Decimal::TEN { 2 } else { 0 }, true)
}

/// A plain number: the exact figure without trailing zeros.
pub(crate) fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Word-wraps `text` to the report width; continuation lines are indented by `indent`.
fn wrap(text: &str, first: &str, indent: usize, out: &mut String) {
    let mut line = format!("{first} ");
    let mut visible = anstream::adapter::strip_str(&line)
        .to_string()
        .chars()
        .count();
    let mut empty = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if !empty && visible + 1 + len > WIDTH {
            let _ = writeln!(out, "{line}");
            line = " ".repeat(indent);
            visible = indent;
            empty = true;
        }
        if !empty {
            line.push(' ');
            visible += 1;
        }
        line.push_str(word);
        visible += len;
        empty = false;
    }
    let _ = writeln!(out, "{line}");
}

pub(crate) fn design_name(kind: DesignKind) -> &'static str {
    match kind {
        DesignKind::AsWritten => "as written",
        DesignKind::NatPerAz => "NAT gateway per AZ",
        DesignKind::SingleNat => "single NAT gateway",
        DesignKind::Endpoints => "endpoints",
    }
}

pub(crate) fn traffic_text(traffic: &Traffic) -> String {
    let origin = match traffic.origin {
        TrafficOrigin::Default => {
            "privlink's defaults; set --gb-per-month N or a [traffic] table in privlink.toml"
        }
        TrafficOrigin::Config => "the [traffic] table of privlink.toml",
        TrafficOrigin::Total => {
            "--gb-per-month, split as the [traffic] table or the defaults split it"
        }
    };
    format!(
        "{} GB/month = image pulls {} + logs {} + other {} ({origin})",
        gb(traffic.total()),
        gb(traffic.image_pulls_gb),
        gb(traffic.logs_gb),
        gb(traffic.other_gb)
    )
}

/// Where endpoints stand against another design, in words, with what the other leaves unpriced.
pub(crate) fn comparison_text(c: &Comparison, e: &Estimate) -> String {
    let text = crossing_text(c);
    let unpriced = e.design(c.against).unpriced_share;
    if unpriced.is_zero() {
        return text;
    }
    let percent = round(unpriced * Decimal::ONE_HUNDRED, 1).normalize();
    format!(
        "{text} ({percent}% of the traffic is on flows that do not work as written and is not priced there)"
    )
}

fn crossing_text(c: &Comparison) -> String {
    let name = match c.against {
        DesignKind::AsWritten => "the design as written",
        other => design_name(other),
    };
    let x = &c.crossings;
    match (x.from_zero, x.points.as_slice()) {
        (Cheaper::Endpoints, []) => format!("cheaper than {name} at any volume"),
        (Cheaper::Other, []) => format!("dearer than {name} at any volume"),
        (Cheaper::Same, []) => format!("the same as {name} at any volume"),
        (_, [(at, Cheaper::Endpoints)]) => format!(
            "cheaper than {name} above {} GB/month (break-even)",
            gb(*at)
        ),
        (_, [(at, Cheaper::Other)]) => format!("cheaper than {name} below {} GB/month", gb(*at)),
        (from, points) => {
            let who = |c: Cheaper| match c {
                Cheaper::Endpoints => "endpoints".to_owned(),
                Cheaper::Other => name.to_owned(),
                Cheaper::Same => "neither".to_owned(),
            };
            let mut parts = vec![format!("{} cheaper from 0", who(from))];
            parts.extend(
                points
                    .iter()
                    .map(|(at, c)| format!("{} from {} GB/month", who(*c), gb(*at))),
            );
            format!("against {name}: {}", parts.join(", "))
        }
    }
}

pub(crate) fn unit_text(item: &LineItem) -> String {
    match item.unit {
        Unit::Hour => format!("{} h × {}", gb(item.quantity), plain(item.unit_usd)),
        Unit::Gb => format!("{} GB × {}", gb(item.quantity), plain(item.unit_usd)),
        Unit::Free => "free".to_owned(),
    }
}

/// The full `privlink cost` text report.
pub(crate) fn text(sets: &[SetEstimate], out: &mut String) {
    if sets.is_empty() {
        out.push_str("nothing to price: the inputs define no workload and no subnet without an internet route\n");
        return;
    }
    for set in sets {
        let place = set
            .region
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let head = format!("cost of {}{place}", set_name(set));
        match &set.result {
            Err(why) => {
                let _ = writeln!(out, "{}: not priced: {why}\n", paint(BOLD, head));
            }
            Ok(e) => estimate_text(&head, set, e, out),
        }
    }
}

fn estimate_text(head: &str, set: &SetEstimate, e: &Estimate, out: &mut String) {
    let azs = if e.azs.len() == 1 {
        "1 AZ".to_owned()
    } else {
        format!("{} AZs", e.azs.len())
    };
    wrap(
        &format!(
            "workloads {} in {azs} ({})",
            set.workloads.join(", "),
            e.azs.join(", ")
        ),
        &format!("{}:", paint(BOLD, head)),
        2,
        out,
    );
    wrap(&traffic_text(&e.traffic), "  traffic:", 4, out);
    out.push('\n');
    let label_width = e
        .designs
        .iter()
        .map(|d| design_label(d.kind, &d.summary).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 52);
    let _ = writeln!(
        out,
        "  {}",
        paint(
            DIM,
            format!(
                "{:<label_width$}  {:>12}  {:>12}  {:>12}",
                "USD/month", "fixed", "traffic", "total"
            )
        )
    );
    let cheapest = e
        .designs
        .iter()
        .map(|d| d.total_usd())
        .min()
        .unwrap_or_default();
    for d in &e.designs {
        let label = truncate(&design_label(d.kind, &d.summary), label_width);
        let total = d.total_usd();
        let row = format!(
            "{label:<label_width$}  {:>12}  {:>12}  {:>12}",
            usd(d.curve.fixed),
            usd(total - d.curve.fixed),
            usd(total)
        );
        let _ = writeln!(
            out,
            "  {}",
            if total == cheapest {
                paint(style::OK, row)
            } else {
                row
            }
        );
    }
    out.push('\n');
    for c in &e.comparisons {
        wrap(
            &format!("are {}", comparison_text(c, e)),
            "  endpoints",
            4,
            out,
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "  {}",
        paint(DIM, format!("line items ({HOURS_PER_MONTH} hours a month)"))
    );
    for d in &e.designs {
        let _ = writeln!(out, "  {}", design_name(d.kind));
        for item in &d.items {
            let amount = if item.unit == Unit::Free {
                "0.00".to_owned()
            } else {
                usd(item.usd)
            };
            let left = truncate(&item.label, 56);
            let _ = writeln!(out, "    {left:<56} {:>22} {:>12}", unit_text(item), amount);
        }
    }
    out.push('\n');
    prices_text(e, out);
    for note in &e.notes {
        wrap(note, &format!("  {}", paint(style::INFO, "note:")), 4, out);
    }
    out.push('\n');
}

pub(crate) fn design_label(kind: DesignKind, summary: &str) -> String {
    match kind {
        DesignKind::AsWritten => format!("as written: {summary}"),
        DesignKind::Endpoints => format!("endpoints: {summary}"),
        DesignKind::NatPerAz | DesignKind::SingleNat => summary.to_owned(),
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn prices_text(e: &Estimate, out: &mut String) {
    let p = &e.prices;
    let star = |assumed: bool| if assumed { "*" } else { "" };
    let tier = &p.interface_endpoint_gb[0];
    let first = tier
        .up_to_gb
        .map(|up| format!(" up to {} GB", gb(up)))
        .unwrap_or_default();
    let line = format!(
        "NAT gateway {}/h{} + {}/GB{}, public IPv4 {}/h{}, interface endpoint {}/h per AZ{} + {}/GB{first}{}, cross-AZ {}/GB{}",
        plain(p.nat_gateway_hour.usd),
        star(p.nat_gateway_hour.assumed),
        plain(p.nat_gateway_gb.usd),
        star(p.nat_gateway_gb.assumed),
        plain(p.public_ipv4_hour.usd),
        star(p.public_ipv4_hour.assumed),
        plain(p.interface_endpoint_hour.usd),
        star(p.interface_endpoint_hour.assumed),
        plain(tier.usd),
        star(tier.assumed),
        plain(p.cross_az_gb.usd),
        star(p.cross_az_gb.assumed),
    );
    wrap(&line, "  prices (USD):", 4, out);
    let mut dates: Vec<&str> = p
        .figures()
        .iter()
        .map(|(_, f)| f.date.as_str())
        .chain(p.interface_endpoint_gb.iter().map(|t| t.date.as_str()))
        .collect();
    dates.sort_unstable();
    let assumed = p.figures().iter().any(|(_, f)| f.assumed)
        || p.interface_endpoint_gb.iter().any(|t| t.assumed);
    let mut taken = format!(
        "taken {} to {}; sources in --format json and crates/privlink_analysis/data/prices.toml",
        dates.first().copied().unwrap_or_default(),
        dates.last().copied().unwrap_or_default()
    );
    if assumed {
        taken.push_str("; * assumed: no source gives it for this region");
    }
    wrap(&taken, "   ", 4, out);
}

/// One info line per workload set for `check`: the NAT path against the endpoints it needs.
pub(crate) fn check_lines(session: &Session, out: &mut String) {
    let (sets, traffic) = for_check(session);
    for set in &sets {
        let head = format!("{}:", paint(style::INFO, "info[cost]"));
        let text = match &set.result {
            Err(why) => format!("{}: not priced: {why}", set_name(set)),
            Ok(e) => {
                let nat = e.cheaper_nat_design();
                let ends = e.design(DesignKind::Endpoints);
                let count = e.interface_services.len() + e.gateway_services.len();
                let verdict = match e.comparison(nat.kind).map(|c| &c.crossings) {
                    Some(c) => match (c.break_even_gb(), c.from_zero) {
                        (Some(at), _) => format!("break-even {} GB/month", gb(at)),
                        (None, Cheaper::Endpoints) => "endpoints cheaper at any volume".to_owned(),
                        (None, Cheaper::Other) => "NAT cheaper at any volume".to_owned(),
                        (None, Cheaper::Same) => "the same at any volume".to_owned(),
                    },
                    None => String::new(),
                };
                format!(
                    "{}: NAT path ({}) ≈ ${}/month vs ${}/month through the {} endpoints it needs ({}) at {} GB/month; {verdict} — see privlink cost",
                    set_name(set),
                    design_name(nat.kind),
                    usd(nat.total_usd()),
                    usd(ends.total_usd()),
                    count,
                    ends.summary,
                    gb(traffic.total()),
                )
            }
        };
        wrap(&text, &head, 2, out);
    }
    if !sets.is_empty() {
        out.push('\n');
    }
}

/// The cost object of the JSON reports.
#[derive(Debug, Serialize)]
pub(crate) struct CostJson {
    hours_per_month: u32,
    currency: &'static str,
    traffic: TrafficJson,
    sets: Vec<SetJson>,
}

#[derive(Debug, Serialize)]
struct TrafficJson {
    total_gb: f64,
    image_pulls_gb: f64,
    logs_gb: f64,
    other_gb: f64,
    source: &'static str,
}

#[derive(Debug, Serialize)]
struct SetJson {
    vpc: Option<String>,
    region: Option<String>,
    workloads: Vec<String>,
    not_priced: Option<String>,
    estimate: Option<EstimateJson>,
}

#[derive(Debug, Serialize)]
struct EstimateJson {
    azs: Vec<String>,
    interface_services: Vec<String>,
    gateway_services: Vec<String>,
    designs: Vec<DesignJson>,
    comparisons: Vec<ComparisonJson>,
    nat_vs_endpoints: SummaryJson,
    prices: PricesJson,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct DesignJson {
    design: &'static str,
    summary: String,
    fixed_usd: f64,
    traffic_usd: f64,
    total_usd: f64,
    unpriced_share: f64,
    items: Vec<ItemJson>,
}

#[derive(Debug, Serialize)]
struct ItemJson {
    label: String,
    quantity: f64,
    unit: &'static str,
    unit_usd: f64,
    usd: f64,
}

#[derive(Debug, Serialize)]
struct ComparisonJson {
    against: &'static str,
    cheaper_at_low_traffic: &'static str,
    break_even_gb: Option<f64>,
    crossings: Vec<CrossingJson>,
}

#[derive(Debug, Serialize)]
struct CrossingJson {
    gb: f64,
    cheaper_above: &'static str,
}

#[derive(Debug, Serialize)]
struct SummaryJson {
    nat_design: &'static str,
    nat_usd: f64,
    endpoints_usd: f64,
    endpoints: usize,
    break_even_gb: Option<f64>,
}

#[derive(Debug, Serialize)]
struct PricesJson {
    region: String,
    figures: Vec<FigureJson>,
    interface_endpoint_gb: Vec<FigureJson>,
}

#[derive(Debug, Serialize)]
struct FigureJson {
    name: String,
    usd: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    up_to_gb: Option<f64>,
    date: String,
    source: String,
    assumed: bool,
}

fn num(d: Decimal, dp: u32) -> f64 {
    round(d, dp).to_f64().unwrap_or(f64::NAN)
}

fn exact(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

fn cheaper_name(c: Cheaper, against: DesignKind) -> &'static str {
    match c {
        Cheaper::Endpoints => DesignKind::Endpoints.as_str(),
        Cheaper::Other => against.as_str(),
        Cheaper::Same => "same",
    }
}

/// The cost object.
pub(crate) fn json(sets: &[SetEstimate], traffic: &Traffic) -> CostJson {
    CostJson {
        hours_per_month: HOURS_PER_MONTH,
        currency: "USD",
        traffic: TrafficJson {
            total_gb: num(traffic.total(), 2),
            image_pulls_gb: num(traffic.image_pulls_gb, 2),
            logs_gb: num(traffic.logs_gb, 2),
            other_gb: num(traffic.other_gb, 2),
            source: match traffic.origin {
                TrafficOrigin::Default => "default",
                TrafficOrigin::Config => "config",
                TrafficOrigin::Total => "gb-per-month",
            },
        },
        sets: sets
            .iter()
            .map(|set| SetJson {
                vpc: set.vpc.as_ref().map(ToString::to_string),
                region: set.region.clone(),
                workloads: set.workloads.clone(),
                not_priced: set.result.as_ref().err().map(NotPriced::to_string),
                estimate: set
                    .result
                    .as_ref()
                    .ok()
                    .map(|e| estimate_json(e, set.region.as_deref().unwrap_or_default())),
            })
            .collect(),
    }
}

fn estimate_json(e: &Estimate, region: &str) -> EstimateJson {
    let nat = e.cheaper_nat_design();
    let ends = e.design(DesignKind::Endpoints);
    let p = &e.prices;
    EstimateJson {
        azs: e.azs.clone(),
        interface_services: e.interface_services.clone(),
        gateway_services: e.gateway_services.clone(),
        designs: e
            .designs
            .iter()
            .map(|d| DesignJson {
                design: d.kind.as_str(),
                summary: d.summary.clone(),
                fixed_usd: num(d.curve.fixed, 2),
                traffic_usd: num(d.total_usd() - d.curve.fixed, 2),
                total_usd: num(d.total_usd(), 2),
                unpriced_share: num(d.unpriced_share, 4),
                items: d
                    .items
                    .iter()
                    .map(|i| ItemJson {
                        label: i.label.clone(),
                        quantity: num(i.quantity, 2),
                        unit: match i.unit {
                            Unit::Hour => "hour",
                            Unit::Gb => "gb",
                            Unit::Free => "free",
                        },
                        unit_usd: exact(i.unit_usd),
                        usd: num(i.usd, 2),
                    })
                    .collect(),
            })
            .collect(),
        comparisons: e
            .comparisons
            .iter()
            .map(|c| ComparisonJson {
                against: c.against.as_str(),
                cheaper_at_low_traffic: cheaper_name(c.crossings.from_zero, c.against),
                break_even_gb: c.crossings.break_even_gb().map(|g| num(g, 2)),
                crossings: c
                    .crossings
                    .points
                    .iter()
                    .map(|(at, who)| CrossingJson {
                        gb: num(*at, 2),
                        cheaper_above: cheaper_name(*who, c.against),
                    })
                    .collect(),
            })
            .collect(),
        nat_vs_endpoints: SummaryJson {
            nat_design: nat.kind.as_str(),
            nat_usd: num(nat.total_usd(), 2),
            endpoints_usd: num(ends.total_usd(), 2),
            endpoints: e.interface_services.len() + e.gateway_services.len(),
            break_even_gb: e
                .comparison(nat.kind)
                .and_then(|c| c.crossings.break_even_gb())
                .map(|g| num(g, 2)),
        },
        prices: PricesJson {
            region: region.to_owned(),
            figures: p
                .figures()
                .into_iter()
                .map(|(name, f)| FigureJson {
                    name: name.to_owned(),
                    usd: exact(f.usd),
                    up_to_gb: None,
                    date: f.date.clone(),
                    source: f.source.clone(),
                    assumed: f.assumed,
                })
                .collect(),
            interface_endpoint_gb: p
                .interface_endpoint_gb
                .iter()
                .enumerate()
                .map(|(i, t)| FigureJson {
                    name: format!("tier {}", i + 1),
                    usd: exact(t.usd),
                    up_to_gb: t.up_to_gb.map(exact),
                    date: t.date.clone(),
                    source: t.source.clone(),
                    assumed: t.assumed,
                })
                .collect(),
        },
        notes: e.notes.clone(),
    }
}

/// The cost object for `check --format json`.
pub(crate) fn json_for_check(session: &Session) -> CostJson {
    let (sets, traffic) = for_check(session);
    json(&sets, &traffic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn numbers_read_like_money_and_volumes() {
        assert_eq!(usd(d("122.64")), "122.64");
        assert_eq!(usd(d("1234567.005")), "1,234,567.01");
        assert_eq!(usd(d("45.26")), "45.26");
        assert_eq!(usd(d("0.6666666")), "0.67");
        assert_eq!(gb(d("1417.8846153846")), "1,418");
        assert_eq!(gb(d("1048576")), "1,048,576");
        assert_eq!(gb(d("6.6666")), "6.67");
        assert_eq!(gb(d("100")), "100");
        assert_eq!(plain(d("0.0620")), "0.062");
    }

    #[test]
    fn wrapping_keeps_to_the_width() {
        let mut out = String::new();
        let words = "word ".repeat(60);
        wrap(words.trim(), "  note:", 4, &mut out);
        assert!(out.lines().count() > 2);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
        assert!(
            out.lines().skip(1).all(|l| l.starts_with("    word")),
            "{out}"
        );
    }
}
