//! Drawing the placed scene as inline SVG.
//!
//! The SVG carries its own `<style>`, so it reads the same when copied out of the page. Elements
//! have classes a test (or a user's stylesheet) can select: `rect.subnet` (one per subnet, with
//! `public`, `private` or `exposure-unknown`), `rect.chip`, `g.edge`, `g.link`, and the verdict
//! classes `v-endpoint`, `v-nat`, `v-internet`, `v-blocked`, `v-unknown`. Every name comes from
//! the inputs and is escaped; every cut label keeps its full text in a `<title>` tooltip.

use std::fmt::Write as _;

use privlink_analysis::reach::Verdict;

use super::super::escape::esc;
use super::super::verdict_class;
use super::layout::{CHIP_CHARS, EDGE_CHARS, Layout, MARGIN, SUBNET_CHARS, fit};
use super::scene::{EdgeKind, Exposure, Scene, SubnetBox, VpcBox};

const STYLE: &str = include_str!("diagram.css");

/// Renders the SVG.
pub(crate) fn render(scene: &Scene, layout: &Layout) -> String {
    let mut out = String::new();
    let (w, h) = (layout.width, layout.height);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="diagram-title">"#
    );
    let _ = writeln!(
        out,
        "<title id=\"diagram-title\">Network diagram: VPCs, AZs, subnets, workloads, endpoints and flows coloured by verdict</title>"
    );
    let _ = writeln!(out, "<style>{STYLE}</style>");
    markers(&mut out);
    legend(&mut out);
    if scene.vpcs.is_empty() {
        let _ = writeln!(
            out,
            r#"<text class="note" x="{MARGIN}" y="{}">no VPC in the inputs</text>"#,
            h - MARGIN - 10
        );
    }
    for (vpc, g) in scene.vpcs.iter().zip(&layout.vpcs) {
        vpc_box(vpc, g, &mut out);
    }
    out.push_str("</svg>\n");
    out
}

fn markers(out: &mut String) {
    out.push_str("<defs>\n");
    for verdict in [
        Verdict::Endpoint,
        Verdict::Nat,
        Verdict::Internet,
        Verdict::Blocked,
        Verdict::Unknown,
    ] {
        let class = verdict_class(verdict);
        let _ = writeln!(
            out,
            r#"<marker id="arrow-{class}" class="{class}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>"#
        );
    }
    out.push_str("</defs>\n");
}

fn legend(out: &mut String) {
    let y = MARGIN;
    out.push_str("<g class=\"legend\">\n");
    let mut x = MARGIN;
    for (class, text) in [
        ("v-endpoint", "endpoint"),
        ("v-nat", "NAT / internet"),
        ("v-blocked", "blocked"),
        ("v-unknown", "unknown"),
    ] {
        let _ = writeln!(
            out,
            r#"<g class="legend-item {class}"><path class="line" d="M{x},{ly} h34" marker-end="url(#arrow-{class})"/><text x="{tx}" y="{ty}">{text}</text></g>"#,
            ly = y + 8,
            tx = x + 42,
            ty = y + 12,
        );
        x += 50 + 8 * i32::try_from(text.len()).unwrap_or(0);
    }
    let y2 = y + 26;
    let _ = writeln!(
        out,
        r#"<rect class="legend-subnet public" x="{MARGIN}" y="{y2}" width="26" height="16" rx="3"/><text x="{x1}" y="{t}">public subnet</text><rect class="legend-subnet private" x="{x2}" y="{y2}" width="26" height="16" rx="3"/><text x="{x3}" y="{t}">private subnet</text><rect class="workload-mark" x="{x4}" y="{wy}" width="9" height="9"/><text x="{x5}" y="{t}">workload</text><rect class="chip" x="{x6}" y="{y2}" width="40" height="16" rx="8"/><text class="chip-label" x="{x7}" y="{t}">ENI</text><rect class="edge-item" x="{x8}" y="{y2}" width="30" height="16" rx="3"/><text x="{x9}" y="{t}">gateway, NAT, gateway endpoint (VPC edge)</text>"#,
        x1 = MARGIN + 32,
        x2 = MARGIN + 150,
        x3 = MARGIN + 182,
        x4 = MARGIN + 310,
        wy = y2 + 4,
        x5 = MARGIN + 324,
        x6 = MARGIN + 400,
        x7 = MARGIN + 409,
        x8 = MARGIN + 452,
        x9 = MARGIN + 488,
        t = y2 + 12,
    );
    out.push_str("</g>\n");
}

fn title(lines: &[String]) -> String {
    format!("<title>{}</title>", esc(&lines.join("\n")))
}

fn vpc_box(vpc: &VpcBox, g: &super::layout::VpcGeometry, out: &mut String) {
    let r = g.rect;
    let _ = writeln!(
        out,
        r#"<g class="vpc"><rect class="vpc-box" x="{}" y="{}" width="{}" height="{}" rx="6"/><text class="vpc-label" x="{}" y="{}">{}<tspan class="vpc-detail" dx="12">{}</tspan></text>"#,
        r.x,
        r.y,
        r.w,
        r.h,
        r.x + 14,
        r.y + 22,
        esc(&vpc.label),
        esc(&vpc.detail)
    );
    if vpc.edge.is_empty() {
        let b = g.edge_band;
        let _ = writeln!(
            out,
            r#"<text class="note" x="{}" y="{}">no internet gateway, NAT gateway or gateway endpoint</text>"#,
            b.x,
            b.y + 13
        );
    }
    for (item, rect) in vpc.edge.iter().zip(&g.edge) {
        let kind = match item.kind {
            EdgeKind::InternetGateway => "igw",
            EdgeKind::NatGateway => "nat",
            EdgeKind::GatewayEndpoint => "gateway-endpoint",
            EdgeKind::Unplaced => "unplaced",
            EdgeKind::OtherGateway => "other-gateway",
            EdgeKind::NoPath => "no-path",
        };
        let verdict = item.verdict.map_or("unused", verdict_class);
        let _ = writeln!(
            out,
            r#"<g class="edge {kind} {verdict}">{}<rect class="edge-item" x="{}" y="{}" width="{}" height="{}" rx="3"/><text class="edge-label" x="{}" y="{}">{}</text></g>"#,
            title(&item.title),
            rect.x,
            rect.y,
            rect.w,
            rect.h,
            rect.x + 8,
            rect.y + 16,
            esc(&fit(&item.label, EDGE_CHARS))
        );
    }
    if vpc.columns.is_empty() {
        let _ = writeln!(
            out,
            r#"<text class="note" x="{}" y="{}">no subnets in the inputs</text>"#,
            r.x + 14,
            r.y + r.h - 12
        );
    }
    for (column, cg) in vpc.columns.iter().zip(&g.columns) {
        let _ = writeln!(
            out,
            r#"<text class="az" x="{}" y="{}">{}</text>"#,
            cg.header.x + 2,
            cg.header.y + 14,
            esc(&column.name)
        );
        for (subnet, sg) in column.subnets.iter().zip(&cg.subnets) {
            subnet_box(subnet, sg, out);
        }
    }
    for (link, points) in vpc.links.iter().zip(&g.links) {
        if points.is_empty() {
            continue;
        }
        let d: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x},{y}", if i == 0 { "M" } else { "L" }))
            .collect();
        let d = d.join(" ");
        let class = verdict_class(link.verdict);
        let _ = writeln!(
            out,
            r#"<g class="link {class}">{}<path class="hit" d="{d}"/><path class="line" d="{d}" marker-end="url(#arrow-{class})"/></g>"#,
            title(&link.title)
        );
    }
    out.push_str("</g>\n");
}

fn subnet_box(s: &SubnetBox, g: &super::layout::SubnetGeometry, out: &mut String) {
    let r = g.rect;
    let (exposure, tag) = match s.exposure {
        Exposure::Public => ("public", "public"),
        Exposure::Private => ("private", "private"),
        Exposure::Unknown => ("exposure-unknown", "route not known"),
    };
    let mut tip = vec![s.id.to_string(), format!("{} · {tag}", s.cidr)];
    tip.extend(s.workloads.iter().map(|w| format!("workload {w}")));
    let _ = writeln!(
        out,
        r#"<g class="subnet-group">{}<rect class="subnet {exposure}" data-subnet="{}" x="{}" y="{}" width="{}" height="{}" rx="4"/><text class="subnet-label" x="{}" y="{}">{}</text><text class="subnet-detail" x="{}" y="{}">{} · <tspan class="tag {exposure}">{tag}</tspan></text>"#,
        title(&tip),
        esc(s.id.as_str()),
        r.x,
        r.y,
        r.w,
        r.h,
        r.x + 8,
        r.y + 18,
        esc(&fit(s.id.as_str(), SUBNET_CHARS)),
        r.x + 8,
        r.y + 34,
        esc(&s.cidr),
    );
    for (w, y) in s.workloads.iter().zip(&g.workloads) {
        let _ = writeln!(
            out,
            r#"<rect class="workload-mark" x="{}" y="{}" width="9" height="9"/><text class="workload" x="{}" y="{y}">{}</text>"#,
            r.x + 9,
            y - 9,
            r.x + 23,
            esc(&fit(w, SUBNET_CHARS - 2))
        );
    }
    for (chip, c) in s.chips.iter().zip(&g.chips) {
        let verdict = chip.verdict.map_or("unused", verdict_class);
        let mut tip = chip.title.clone();
        if chip.verdict.is_none() {
            tip.push("no traced flow uses this ENI".to_owned());
        }
        let _ = writeln!(
            out,
            r#"<g class="eni {verdict}">{}<rect class="chip" x="{}" y="{}" width="{}" height="{}" rx="9"/><text class="chip-label" x="{}" y="{}">{}</text></g>"#,
            title(&tip),
            c.x,
            c.y,
            c.w,
            c.h,
            c.x + 6,
            c.y + 13,
            esc(&fit(&chip.label, CHIP_CHARS))
        );
    }
    out.push_str("</g>\n");
}
