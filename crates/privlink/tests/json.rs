//! The JSON report deserialises into the SPEC.md schema with no unknown fields (ripgrep's habit:
//! the types below are the contract; a field added to the output must be added here on purpose).

use std::path::Path;

use assert_cmd::Command;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema_version: u32,
    tool: Tool,
    endpoints_only: bool,
    inputs: Vec<Input>,
    workloads: Vec<Workload>,
    flows: Vec<Flow>,
    findings: Vec<Finding>,
    summary: Summary,
    cost: Cost,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    path: String,
    format: String,
    status: String,
    diagnostics: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Workload {
    name: String,
    kind: String,
    platform_version: Option<String>,
    region: Option<String>,
    vpc: Option<String>,
    subnets: Vec<String>,
    security_groups: Vec<String>,
    features: Vec<String>,
    images: Vec<Option<String>>,
    assumed: bool,
    source: Option<Source>,
    coverage: WorkloadCoverage,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadCoverage {
    workload: String,
    placed: bool,
    unplaced_reason: Option<String>,
    flows: usize,
    decided: usize,
    unknown: usize,
    #[serde(default)]
    undecided_services: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    path: String,
    line: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Flow {
    workload: String,
    subnet: String,
    az: Option<String>,
    service: String,
    purpose: String,
    verdict: String,
    via: Option<String>,
    hops: Vec<Hop>,
    blocked_by: Option<BlockedBy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hop {
    kind: String,
    detail: String,
    ok: bool,
    status: String,
    element: Option<String>,
    location: Option<Location>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockedBy {
    rule: String,
    resource: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Location {
    path: String,
    line: u32,
    column: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    rule: String,
    code: String,
    severity: String,
    message: String,
    workload: Option<String>,
    service: Option<String>,
    #[serde(default)]
    services: Vec<String>,
    resource: Option<String>,
    location: Option<Location>,
    #[serde(default)]
    subnets: Vec<String>,
    predicted_error: Option<String>,
    fix: Option<Fix>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fix {
    summary: String,
    applicability: String,
    #[serde(default)]
    intents: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    coverage: Coverage,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Coverage {
    workloads: usize,
    workloads_checked: usize,
    workloads_undecided: usize,
    flows: usize,
    flows_decided: usize,
    flows_unknown: usize,
    unknown_reasons: Vec<UnknownReason>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnknownReason {
    hop: String,
    element: Option<String>,
    reason: String,
    location: Option<Location>,
    flows: usize,
    workloads: Vec<String>,
    services: Vec<String>,
    subnets: Vec<String>,
    decide_with: Vec<String>,
}

/// The cost object: `check`'s `cost` key and what `cost --format json` prints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cost {
    hours_per_month: u32,
    currency: String,
    traffic: Traffic,
    sets: Vec<CostSet>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Traffic {
    total_gb: f64,
    image_pulls_gb: f64,
    logs_gb: f64,
    other_gb: f64,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CostSet {
    vpc: Option<String>,
    region: Option<String>,
    workloads: Vec<String>,
    not_priced: Option<String>,
    estimate: Option<Estimate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Estimate {
    azs: Vec<String>,
    interface_services: Vec<String>,
    gateway_services: Vec<String>,
    designs: Vec<Design>,
    comparisons: Vec<Comparison>,
    nat_vs_endpoints: NatVsEndpoints,
    prices: Prices,
    notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Design {
    design: String,
    summary: String,
    fixed_usd: f64,
    traffic_usd: f64,
    total_usd: f64,
    unpriced_share: f64,
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    label: String,
    quantity: f64,
    unit: String,
    unit_usd: f64,
    usd: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Comparison {
    against: String,
    cheaper_at_low_traffic: String,
    break_even_gb: Option<f64>,
    crossings: Vec<Crossing>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Crossing {
    gb: f64,
    cheaper_above: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NatVsEndpoints {
    nat_design: String,
    nat_usd: f64,
    endpoints_usd: f64,
    endpoints: usize,
    break_even_gb: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prices {
    region: String,
    figures: Vec<Figure>,
    interface_endpoint_gb: Vec<Figure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Figure {
    name: String,
    usd: f64,
    up_to_gb: Option<f64>,
    date: String,
    source: String,
    assumed: bool,
}

fn report(args: &[&str]) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root)
        .args(args)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn the_report_follows_the_schema() {
    let r = report(&["check", "--format", "json", "examples/dns-hostnames-off"]);
    assert_eq!(r.schema_version, 1);
    assert_eq!(
        (r.tool.name.as_str(), r.tool.version.as_str()),
        ("privlink", env!("CARGO_PKG_VERSION"))
    );
    assert!(!r.endpoints_only);
    assert_eq!(
        (
            r.inputs[0].path.as_str(),
            r.inputs[0].format.as_str(),
            r.inputs[0].status.as_str()
        ),
        ("examples/dns-hostnames-off", "terraform-hcl", "ok")
    );
    assert!(r.inputs[0].diagnostics.is_empty());
    let w = &r.workloads[0];
    assert_eq!(
        (
            w.name.as_str(),
            w.kind.as_str(),
            w.platform_version.as_deref()
        ),
        ("app", "ecs-fargate", Some("1.4.0"))
    );
    assert_eq!(
        (w.region.as_deref(), w.vpc.as_deref()),
        (Some("ap-northeast-1"), Some("aws_vpc.main"))
    );
    assert_eq!(w.subnets.len(), 4);
    assert_eq!(w.security_groups, ["aws_security_group.app"]);
    assert_eq!(w.features, ["awslogs"]);
    assert_eq!(
        w.images,
        [Some(
            "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1.0.0".to_owned()
        )]
    );
    assert!(!w.assumed);
    assert_eq!(
        w.source.as_ref().map(|s| (s.path.as_str(), s.line)),
        Some(("examples/dns-hostnames-off/ecs.tf", 45))
    );
    // 4 subnets × ecr.api, ecr.dkr, s3, logs.
    assert_eq!(r.flows.len(), 16);
    for f in &r.flows {
        assert_eq!(f.workload, "app");
        assert!(f.az.is_some() && !f.purpose.is_empty() && !f.hops.is_empty());
        assert!(f.hops.iter().all(|h| !h.kind.is_empty()
            && !h.detail.is_empty()
            && h.ok == (h.status == "ok" || h.status == "warning")));
        match f.verdict.as_str() {
            "blocked" => assert_eq!(
                f.blocked_by
                    .as_ref()
                    .map(|b| (b.rule.as_str(), b.resource.as_str())),
                Some(("vpc-dns-disabled", "aws_vpc.main")),
                "{f:?}"
            ),
            "endpoint" => assert_eq!(
                (f.service.as_str(), f.via.as_deref(), f.blocked_by.is_none()),
                ("s3", Some("aws_vpc_endpoint.s3"), true)
            ),
            other => panic!(
                "unexpected verdict {other} for {} in {}",
                f.service, f.subnet
            ),
        }
        // A blocking hop names the element that decided it and where that is written.
        let blocking = f.hops.iter().filter(|h| h.status == "blocked");
        assert!(blocking.clone().all(|h| {
            h.element.is_some()
                && h.location
                    .as_ref()
                    .is_some_and(|l| l.line > 0 && l.column > 0)
        }));
        assert_eq!(blocking.count(), usize::from(f.verdict == "blocked"));
    }
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["vpc-dns-disabled", "invalid-terraform"]);
    let dns = &r.findings[0];
    assert_eq!(
        (dns.code.as_str(), dns.severity.as_str()),
        ("PL006", "error")
    );
    assert_eq!(
        (
            dns.workload.as_deref(),
            dns.service.as_deref(),
            dns.resource.as_deref()
        ),
        (Some("app"), Some("ecr.api"), Some("aws_vpc.main"))
    );
    assert_eq!(dns.services, ["ecr.api", "ecr.dkr", "logs"]);
    assert_eq!(dns.subnets.len(), 4);
    assert!(dns.message.contains("enable_dns_hostnames"));
    assert_eq!(
        dns.location
            .as_ref()
            .map(|l| (l.path.as_str(), l.line, l.column)),
        Some(("examples/dns-hostnames-off/main.tf", 32, 1))
    );
    assert!(
        dns.predicted_error
            .as_deref()
            .is_some_and(|e| e.starts_with("ResourceInitializationError"))
    );
    let fix = dns.fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, "safe");
    assert!(fix.summary.contains("enable_dns_hostnames = true") && !fix.intents.is_empty());
    assert_eq!(
        (r.summary.errors, r.summary.warnings, r.summary.infos),
        (2, 0, 0)
    );
    // Every required flow decided (blocked counts as decided), on the summary and the workload.
    let c = &r.summary.coverage;
    assert_eq!(
        (c.workloads, c.workloads_checked, c.workloads_undecided),
        (1, 1, 0)
    );
    assert!(c.flows > 0 && c.flows_decided == c.flows && c.flows_unknown == 0);
    assert!(c.unknown_reasons.is_empty());
    let wc = &r.workloads[0].coverage;
    assert!(wc.placed && wc.unplaced_reason.is_none() && wc.undecided_services.is_empty());
    assert_eq!(
        (wc.workload.as_str(), wc.flows, wc.decided, wc.unknown),
        (r.workloads[0].name.as_str(), c.flows, c.flows, 0)
    );
    // The cost of the workload set: priced although its flows are blocked as written.
    assert_eq!(
        (r.cost.hours_per_month, r.cost.currency.as_str()),
        (730, "USD")
    );
    let t = &r.cost.traffic;
    assert_eq!(
        (
            t.total_gb,
            t.image_pulls_gb,
            t.logs_gb,
            t.other_gb,
            t.source.as_str()
        ),
        (100.0, 80.0, 10.0, 10.0, "default")
    );
    let set = &r.cost.sets[0];
    assert_eq!(
        (
            set.vpc.as_deref(),
            set.region.as_deref(),
            set.workloads.as_slice()
        ),
        (
            Some("aws_vpc.main"),
            Some("ap-northeast-1"),
            &["app".to_owned()][..]
        )
    );
    assert!(set.not_priced.is_none());
    let e = set.estimate.as_ref().expect("priced");
    let kinds: Vec<&str> = e.designs.iter().map(|d| d.design.as_str()).collect();
    assert_eq!(
        kinds,
        ["as-written", "nat-per-az", "single-nat", "endpoints"]
    );
    for d in &e.designs {
        assert!(!d.summary.is_empty() && !d.items.is_empty(), "{d:?}");
        assert!(
            (d.fixed_usd + d.traffic_usd - d.total_usd).abs() < 0.011,
            "{d:?}"
        );
        assert!(d.items.iter().all(|i| !i.label.is_empty()
            && i.quantity >= 0.0
            && i.unit_usd >= 0.0
            && i.usd >= 0.0
            && ["hour", "gb", "free"].contains(&i.unit.as_str())));
    }
    assert_eq!(e.comparisons.len(), 3);
    assert!(e.comparisons.iter().all(|c| {
        c.crossings
            .iter()
            .all(|x| x.gb > 0.0 && !x.cheaper_above.is_empty())
            && !c.against.is_empty()
            && !c.cheaper_at_low_traffic.is_empty()
    }));
    assert!(
        e.comparisons
            .iter()
            .all(|c| c.break_even_gb.is_none_or(|g| g > 0.0))
    );
    assert_eq!(e.interface_services, ["ecr.api", "ecr.dkr", "logs"]);
    assert_eq!(e.gateway_services, ["s3"]);
    assert!(!e.azs.is_empty());
    let n = &e.nat_vs_endpoints;
    assert!(
        !n.nat_design.is_empty() && n.nat_usd > 0.0 && n.endpoints_usd > 0.0 && n.endpoints == 4
    );
    assert!(n.break_even_gb.is_some_and(|g| g > 0.0), "{n:?}");
    assert_eq!(e.prices.region, "ap-northeast-1");
    assert_eq!(e.prices.figures.len(), 5);
    assert_eq!(e.prices.interface_endpoint_gb.len(), 3);
    assert!(
        e.prices
            .figures
            .iter()
            .chain(&e.prices.interface_endpoint_gb)
            .all(|f| !f.name.is_empty()
                && f.usd > 0.0
                && !f.date.is_empty()
                && !f.source.is_empty())
    );
    assert_eq!(
        e.prices.interface_endpoint_gb[0].up_to_gb,
        Some(1_048_576.0)
    );
    assert!(
        e.prices.figures.iter().any(|f| f.assumed),
        "cross-AZ in Tokyo is assumed"
    );
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("blocked or undetermined")),
        "{:?}",
        e.notes
    );
    // As written every flow of seed 000 is blocked (DNS hostnames off) but S3's: the 80% of image
    // pulls ride the gateway; the other 20% are not priced there.
    assert_eq!(e.designs[0].unpriced_share, 0.2);
    assert!(e.designs[1..].iter().all(|d| d.unpriced_share == 0.0));
}

#[test]
fn endpoints_only_is_reported() {
    let r = report(&[
        "check",
        "--format",
        "json",
        "--endpoints-only",
        "examples/fargate-secrets",
    ]);
    assert!(r.endpoints_only);
    assert!(r.flows.iter().all(|f| f.verdict == "endpoint"));
    assert_eq!(
        r.summary.errors + r.summary.warnings + r.summary.infos,
        r.findings.len()
    );
}

#[test]
fn undecided_flows_are_grouped_by_what_decides_them() {
    // CloudFormation without a region: one endpoint names a literal region.
    let r = report(&[
        "check",
        "--format",
        "json",
        "crates/privlink/tests/fixtures/coverage/literal-region",
    ]);
    let c = &r.summary.coverage;
    assert_eq!(c.workloads_undecided, 1);
    assert!(c.flows_unknown > 0);
    assert_eq!(
        c.unknown_reasons.iter().map(|u| u.flows).sum::<usize>(),
        c.flows_unknown
    );
    for u in &c.unknown_reasons {
        assert!(!u.hop.is_empty() && !u.reason.is_empty(), "{u:?}");
        assert!(u.element.is_some() && u.location.is_some(), "{u:?}");
        assert_eq!(u.workloads, ["app"]);
        assert!(!u.services.is_empty() && !u.subnets.is_empty(), "{u:?}");
        assert_eq!(u.decide_with.first().map(String::as_str), Some("--region"));
    }
}
