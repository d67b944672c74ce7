//! One network written as Terraform HCL and as a CloudFormation template gives the same flows and
//! the same findings, apart from where they are written: the fixtures under
//! `tests/fixtures/equivalence/` are twins, and the test maps each Terraform address to the logical
//! ID of its twin before comparing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::{LoadOptions, load};

/// Terraform address → CloudFormation logical ID, longest first so no name is replaced inside
/// another.
const TWINS: [(&str, &str); 12] = [
    ("aws_ecs_task_definition.app", "Task"),
    ("aws_security_group.endpoints", "EndpointSg"),
    ("aws_vpc_endpoint.ecr_api", "EcrApi"),
    ("aws_vpc_endpoint.ecr_dkr", "EcrDkr"),
    ("aws_route_table.private", "PrivateRoutes"),
    ("aws_security_group.app", "AppSg"),
    ("aws_ecs_service.app", "Service"),
    ("aws_vpc_endpoint.logs", "Logs"),
    ("aws_vpc_endpoint.s3", "S3"),
    ("aws_subnet.app_a", "AppA"),
    ("aws_subnet.app_c", "AppC"),
    ("aws_vpc.main", "Vpc"),
];

fn analyse(path: PathBuf, region: Option<&str>) -> Analysis {
    let options = LoadOptions {
        region: region.map(str::to_owned),
        ..LoadOptions::default()
    };
    let loaded = load(&[path], &options);
    let errors: Vec<String> = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    analyze(
        &loaded.model,
        &Options {
            endpoints_only: false,
            region: None,
        },
    )
}

/// Flows and findings as text, without locations.
fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for w in &analysis.workloads {
        let w = &w.workload;
        let features: Vec<String> = w.features.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "workload {} {} {:?} subnets={:?} sgs={:?} features={features:?}",
            w.name, w.kind, w.platform_version, w.subnets.known, w.security_groups.known
        );
    }
    for f in &analysis.flows {
        let blocked = f
            .blocked
            .as_ref()
            .map(|b| format!("{} {}", b.cause.rule(), b.resource))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "flow {} {} {} {} via={:?} {blocked}",
            f.workload, f.subnet, f.service, f.verdict, f.via
        );
        for h in &f.hops {
            let _ = writeln!(
                out,
                "  {} {:?} {} [{:?}]",
                h.kind, h.status, h.detail, h.element
            );
        }
    }
    for f in &analysis.findings {
        let fix = f
            .fix
            .as_ref()
            .map(|x| format!("{} {:?}", x.summary, x.intents))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "finding {} {} {:?} {:?} {:?} {:?} {:?}\n  {}\n  {:?}\n  {fix}",
            f.rule,
            f.severity,
            f.workload,
            f.service,
            f.services,
            f.resource,
            f.subnets,
            f.message,
            f.predicted_error
        );
    }
    out
}

fn fixtures() -> &'static Path {
    Path::new("tests/fixtures/equivalence")
}

#[test]
fn terraform_and_cloudformation_twins_give_the_same_flows_and_findings() {
    let terraform = analyse(fixtures().join("terraform"), None);
    let cloudformation = analyse(fixtures().join("cloudformation"), Some("ap-northeast-1"));
    let mut expected = render(&terraform);
    for (address, logical_id) in TWINS {
        expected = expected.replace(address, logical_id);
    }
    // Each finding speaks its input's language.
    expected = expected.replace("private_dns_enabled = true", "PrivateDnsEnabled: true");
    let actual = render(&cloudformation);
    assert!(
        !terraform.flows.is_empty(),
        "the Terraform twin has flows:\n{expected}"
    );
    assert_eq!(actual, expected);
    let rules: Vec<&str> = cloudformation.findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        ["missing-interface-endpoint", "private-dns-disabled"],
        "{actual}"
    );
}
