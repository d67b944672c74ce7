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
    let r = report(&["check", "--format", "json", "examples/seed-000-as-written"]);
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
        ("examples/seed-000-as-written", "terraform-hcl", "ok")
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
        Some(("examples/seed-000-as-written/ecs.tf", 45))
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
    assert!(dns.message.contains("enableDnsHostnames"));
    assert_eq!(
        dns.location
            .as_ref()
            .map(|l| (l.path.as_str(), l.line, l.column)),
        Some(("examples/seed-000-as-written/main.tf", 32, 1))
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
}

#[test]
fn endpoints_only_is_reported() {
    let r = report(&[
        "check",
        "--format",
        "json",
        "--endpoints-only",
        "examples/seed-001-fargate-secrets",
    ]);
    assert!(r.endpoints_only);
    assert!(r.flows.iter().all(|f| f.verdict == "endpoint"));
    assert_eq!(
        r.summary.errors + r.summary.warnings + r.summary.infos,
        r.findings.len()
    );
}
