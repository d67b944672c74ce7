//! Verdicts that depend on how Terraform elements are read when part of them is not known: each
//! fixture under `tests/fixtures/lowering/` is checked with `--endpoints-only` under variables that
//! change one thing, and each flow's verdict is compared with what the network really allows.

use std::collections::BTreeMap;

use privlink_analysis::reach::Verdict;
use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_ingest::{LoadOptions, load};

fn check(fixture: &str, vars: &[(&str, &str)]) -> Analysis {
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..ConfigOptions::default()
        },
        region: None,
        ..LoadOptions::default()
    };
    let loaded = load(
        &[format!("tests/fixtures/lowering/{fixture}").into()],
        &options,
    );
    for input in &loaded.inputs {
        assert!(input.errors.is_empty(), "{fixture}: {:?}", input.errors);
    }
    analyze(
        &loaded.model,
        &Options {
            endpoints_only: true,
            region: None,
        },
    )
}

fn verdicts(analysis: &Analysis) -> BTreeMap<&str, Verdict> {
    analysis
        .flows
        .iter()
        .map(|f| (f.service.as_str(), f.verdict))
        .collect()
}

#[test]
fn an_endpoint_of_unknown_service_is_judged_by_its_type() {
    // The unknown Gateway endpoint on the workload's route table may be S3's: S3 is unknown, not
    // blocked. The unknown Interface endpoint may be ECR's Docker endpoint: unknown.
    let interface = check("unknown-service-endpoints", &[]);
    assert_eq!(
        verdicts(&interface),
        [
            ("ecr.api", Verdict::Endpoint),
            ("ecr.dkr", Verdict::Unknown),
            ("s3", Verdict::Unknown),
        ]
        .into_iter()
        .collect()
    );
    // A Gateway endpoint can only be S3 or DynamoDB: ECR's Docker endpoint is missing.
    let gateway = check(
        "unknown-service-endpoints",
        &[("second_endpoint_type", "Gateway")],
    );
    assert_eq!(
        verdicts(&gateway),
        [
            ("ecr.api", Verdict::Endpoint),
            ("ecr.dkr", Verdict::Blocked),
            ("s3", Verdict::Unknown),
        ]
        .into_iter()
        .collect()
    );
    assert!(
        gateway
            .findings
            .iter()
            .any(|f| f.rule == "missing-interface-endpoint"
                && f.service.as_deref() == Some("ecr.dkr"))
    );
    // Once known, the gateway endpoint decides S3.
    let known = check(
        "unknown-service-endpoints",
        &[
            ("gateway_service_name", "com.amazonaws.eu-west-1.s3"),
            ("second_service_name", "com.amazonaws.eu-west-1.ecr.dkr"),
        ],
    );
    assert!(
        known.flows.iter().all(|f| f.verdict == Verdict::Endpoint),
        "{:?}",
        verdicts(&known)
    );
}

#[test]
fn an_allow_with_an_unknown_part_does_not_hide_a_known_allow() {
    let allowed = check("endpoint-policy-unknown-part", &[]);
    assert_eq!(
        verdicts(&allowed)["s3"],
        Verdict::Endpoint,
        "{:?}",
        allowed.findings
    );
    // A Deny with an unknown bucket could match the layer download: undecided, never allowed.
    let deny = check(
        "endpoint-policy-unknown-part",
        &[("deny_unknown_bucket", "true")],
    );
    assert_eq!(verdicts(&deny)["s3"], Verdict::Unknown);
}
