//! `plan --format table`: a table (service, endpoint type, full service name, why), one
//! row per required service, within 100 columns. Service names alone take up to half the width,
//! so "why" goes under the service name, wrapped at word boundaries.

use std::fmt::Write as _;

use privlink_analysis::requirements::Origin as NeedOrigin;
use privlink_model::{EndpointKind, WorkloadKind};

use super::{Plan, Row};

/// The width the table fits in.
const WIDTH: usize = 100;

/// The endpoint type column.
fn endpoint_type(row: &Row) -> &'static str {
    match row.endpoint {
        Some(EndpointKind::Interface) => "Interface",
        Some(EndpointKind::Gateway) => "Gateway",
        Some(EndpointKind::GatewayLoadBalancer) => "GatewayLoadBalancer",
        None => "none",
    }
}

/// Why the workload needs the service, and what serves it when no endpoint does.
pub(super) fn why(row: &Row) -> String {
    let need = &row.requirement;
    match &need.origin {
        NeedOrigin::CrossRegionImage { region, .. } => {
            format!("{}; cross-region PrivateLink to {region}", need.purpose)
        }
        NeedOrigin::ExternalImage { .. } => match &row.pull_through {
            Some(p) => format!(
                "{}; no endpoint reaches a registry outside AWS: cache it with an ECR pull-through cache rule (prefix {}) and pull {}",
                need.purpose, p.prefix, p.image
            ),
            None => format!(
                "{}; no endpoint reaches a registry outside AWS, and ECR cannot cache this one: copy the image into ECR",
                need.purpose
            ),
        },
        NeedOrigin::Efs { .. } => {
            format!("{}; no endpoint: a mount target in each AZ", need.purpose)
        }
        NeedOrigin::Catalog | NeedOrigin::Application => need.purpose.clone(),
    }
}

/// Greedy word wrap. A word longer than the width (an image reference, a bucket name) is broken
/// after its last `/` that fits, else its last `.` or `-`, else cut.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let after_last = |set: &[char]| word[..width].iter().rposition(|c| set.contains(c));
            let at = after_last(&['/'])
                .or_else(|| after_last(&['.', '-']))
                .map_or(width, |i| i + 1);
            lines.push(word.drain(..at).collect());
        }
        let word: String = word.into_iter().collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The workload in one line.
fn title(plan: &Plan) -> String {
    let r = &plan.request;
    let mut out = format!("{}", r.kind);
    if r.kind == WorkloadKind::EcsFargate {
        match &r.platform_version {
            Some(v) => {
                let _ = write!(out, " (platform version {v})");
            }
            None => out.push_str(" (platform version LATEST = 1.4.0)"),
        }
    }
    let _ = write!(out, " in {}", r.region);
    if !r.features.is_empty() {
        let features: Vec<String> = r.features.iter().map(ToString::to_string).collect();
        let _ = write!(out, ", with {}", features.join(", "));
    }
    for image in &r.images {
        let _ = write!(out, ", image {image}");
    }
    out
}

/// The table, its summary and notes.
pub(crate) fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for line in wrap(&format!("privlink plan: {}", title(plan)), WIDTH) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    let cells: Vec<[String; 3]> = plan
        .rows
        .iter()
        .map(|r| {
            [
                r.requirement.service.clone(),
                endpoint_type(r).to_owned(),
                r.service_name.clone().unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    let headers = ["SERVICE", "TYPE", "SERVICE NAME"];
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let pad = |text: &str, width: usize| format!("{text:<width$}  ");
    let mut header = String::new();
    for (h, w) in headers.iter().zip(&widths) {
        header.push_str(&pad(h, *w));
    }
    // "why" lines start under the service name.
    let why_at = widths[0] + widths[1] + 4;
    let _ = writeln!(out, "{}", header.trim_end());
    let _ = writeln!(out, "{:why_at$}WHY", "");
    for (row, cell) in plan.rows.iter().zip(&cells) {
        let mut line = String::new();
        for (c, w) in cell.iter().zip(&widths) {
            line.push_str(&pad(c, *w));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for w in wrap(&why(row), WIDTH - why_at) {
            let _ = writeln!(out, "{:why_at$}{w}", "");
        }
    }
    out.push('\n');
    let count = |kind| {
        plan.rows
            .iter()
            .filter(|r| r.endpoint == Some(kind))
            .count()
    };
    let (interface, gateway) = (count(EndpointKind::Interface), count(EndpointKind::Gateway));
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let interface_text = || {
        format!(
            "{} (a network interface in each of the workload's AZs, private DNS on)",
            plural(interface, "interface endpoint")
        )
    };
    let gateway_text = || {
        format!(
            "{} (free, on the route tables of the workload's subnets)",
            plural(gateway, "gateway endpoint")
        )
    };
    let summary = match (interface, gateway) {
        (0, 0) => "No VPC endpoint serves what this workload needs as it stands.".to_owned(),
        (_, 0) => format!("{}.", interface_text()),
        (0, _) => format!("{}.", gateway_text()),
        _ => format!("{} and {}.", interface_text(), gateway_text()),
    };
    for line in wrap(&summary, WIDTH) {
        let _ = writeln!(out, "{line}");
    }
    for note in &plan.notes {
        out.push('\n');
        for (i, line) in wrap(note, WIDTH - 2).iter().enumerate() {
            let _ = writeln!(out, "{}{line}", if i == 0 { "* " } else { "  " });
        }
    }
    out.push('\n');
    for line in wrap(
        &format!(
            "The whole network, ready to apply: {}",
            plan.command_line("terraform")
        ),
        WIDTH,
    ) {
        let _ = writeln!(out, "{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use privlink_model::WorkloadKind;

    use super::*;
    use crate::plan::tests::request;

    #[test]
    fn wraps_words_and_cuts_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij x", 4), ["abcd", "efgh", "ij x"]);
        assert_eq!(wrap("a/bcd/efgh", 7), ["a/bcd/", "efgh"]);
        assert_eq!(wrap("a/b.c:1.27", 8), ["a/", "b.c:1.27"]);
        assert_eq!(wrap("", 4), [""]);
    }

    #[test]
    fn every_plan_fits_in_100_columns() {
        let feature_sets: &[&[&str]] = &[
            &[],
            &["awslogs", "secretsmanager", "ssm", "exec", "xray", "efs"],
            &[
                "service:elasticloadbalancing",
                "private-registry-auth",
                "firelens",
            ],
        ];
        for kind in WorkloadKind::ALL {
            for features in feature_sets {
                let mut r = request(kind, features);
                r.region = "ap-southeast-1".to_owned();
                r.images = vec![
                    "ghcr.io/some-organisation/a-rather-long-image-name:2024.11.05".to_owned(),
                    "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1".to_owned(),
                ];
                let text = render(&Plan::new(r));
                for line in text.lines() {
                    assert!(line.chars().count() <= WIDTH, "{}: {line}", line.len());
                }
            }
        }
    }
}
