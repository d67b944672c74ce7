//! The region as one unknown: templates checked without `--region` (and without a CDK
//! environment) name their region only as `AWS::Region`. It is the same value for the whole run, so
//! an endpoint named `com.amazonaws.${AWS::Region}.logs` in the workload's VPC serves it whatever the
//! region is, and a missing endpoint is missing in every region: those flows are decided as they are
//! with `--region`. Only what depends on the value stays unknown, with `--region` to decide it: an
//! endpoint or an ECR image named for a literal region.

use std::path::{Path, PathBuf};

use privlink_analysis::Analysis;
use privlink_analysis::reach::{HopStatus, Verdict};
use privlink_ingest::LoadOptions;

/// Loads the inputs (which must load cleanly) and analyses them.
fn analyse(paths: &[PathBuf], options: &LoadOptions) -> Analysis {
    let loaded = privlink_ingest::load(paths, options);
    for input in &loaded.inputs {
        assert!(input.is_ok(), "{}: {:?}", input.path, input.errors);
    }
    privlink_analysis::analyze(&loaded.model, &privlink_analysis::Options::default())
}

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn run(path: &str, region: Option<&str>) -> Analysis {
    let options = LoadOptions {
        region: region.map(str::to_owned),
        ..LoadOptions::default()
    };
    analyse(&[fixture(path)], &options)
}

/// `service verdict via` per flow, in order.
fn verdicts(analysis: &Analysis) -> Vec<String> {
    analysis
        .flows
        .iter()
        .map(|f| format!("{} {} {} {:?}", f.subnet, f.service, f.verdict, f.via))
        .collect()
}

fn unknown_services(analysis: &Analysis) -> Vec<&str> {
    let mut services: Vec<&str> = analysis
        .flows
        .iter()
        .filter(|f| f.verdict == Verdict::Unknown)
        .map(|f| f.service.as_str())
        .collect();
    services.dedup();
    services
}

/// The services `missing-interface-endpoint` reports.
fn missing(analysis: &Analysis) -> Vec<&str> {
    analysis
        .findings
        .iter()
        .filter(|f| f.rule == "missing-interface-endpoint")
        .filter_map(|f| f.service.as_deref())
        .collect()
}

fn errors(analysis: &Analysis) -> Vec<&str> {
    analysis
        .findings
        .iter()
        .filter(|f| f.severity == privlink_model::Severity::Error)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn endpoints_named_with_the_region_serve_whatever_the_region() {
    for path in [
        "tests/fixtures/region/cloudformation-clean",
        "../../testdata/cdk/agnostic.out",
    ] {
        let without = run(path, None);
        assert!(!without.flows.is_empty(), "{path}");
        assert_eq!(unknown_services(&without), Vec::<&str>::new(), "{path}");
        assert!(
            without
                .coverage
                .per_workload
                .iter()
                .all(|w| w.fully_checked()),
            "{path}"
        );
        let with = run(path, Some("eu-west-1"));
        assert_eq!(verdicts(&without), verdicts(&with), "{path}");
    }
    let clean = run("tests/fixtures/region/cloudformation-clean", None);
    assert_eq!(errors(&clean), Vec::<&str>::new());
    assert!(clean.flows.iter().all(|f| f.verdict == Verdict::Endpoint));
}

#[test]
fn a_missing_endpoint_is_missing_in_every_region() {
    let broken = run("tests/fixtures/region/cloudformation-missing-logs", None);
    assert_eq!(errors(&broken), ["missing-interface-endpoint"]);
    assert_eq!(missing(&broken), ["logs"]);
    assert_eq!(unknown_services(&broken), Vec::<&str>::new());
    let with = run(
        "tests/fixtures/region/cloudformation-missing-logs",
        Some("ap-northeast-1"),
    );
    assert_eq!(verdicts(&broken), verdicts(&with));
    assert_eq!(missing(&with), ["logs"]);

    // The same in a CDK synth without an environment.
    let cdk = run("../../testdata/cdk/agnostic.out", None);
    assert_eq!(missing(&cdk), ["logs"]);
    let finding = cdk
        .findings
        .iter()
        .find(|f| f.rule == "missing-interface-endpoint")
        .expect("a finding");
    assert_eq!(
        finding.workload.as_deref(),
        Some("AgnosticFargateNoLogs.ServiceD69D759B")
    );
}

#[test]
fn an_endpoint_named_for_a_literal_region_is_decided_by_the_region() {
    let path = "tests/fixtures/region/cloudformation-literal-region";
    let without = run(path, None);
    assert_eq!(unknown_services(&without), ["logs"]);
    let flow = without
        .flows
        .iter()
        .find(|f| f.service == "logs")
        .expect("a logs flow");
    let hop = flow
        .hops
        .iter()
        .find(|h| h.status == HopStatus::Unknown)
        .expect("an unknown hop");
    assert_eq!(hop.element.as_ref().map(|e| e.as_str()), Some("Logs"));
    assert!(hop.detail.contains("us-west-2"), "{}", hop.detail);
    let reason = &without.coverage.unknown_reasons[0];
    assert_eq!(reason.decide_with[0], "--region");
    assert!(without.findings.iter().any(|f| f.rule == "unresolved-input"
        && f.severity == privlink_model::Severity::Error
        && f.resource.as_deref() == Some("Logs")));

    // --region decides it: in us-west-2 the endpoint serves, elsewhere it names another region.
    let there = run(path, Some("us-west-2"));
    assert_eq!(unknown_services(&there), Vec::<&str>::new());
    assert!(there.flows.iter().all(|f| f.verdict == Verdict::Endpoint));
    let elsewhere = run(path, Some("eu-west-1"));
    assert!(errors(&elsewhere).contains(&"endpoint-region-mismatch"));
    assert_eq!(unknown_services(&elsewhere), Vec::<&str>::new());
}

#[test]
fn an_image_in_a_named_region_is_decided_by_the_region() {
    let path = "tests/fixtures/region/cloudformation-image-in-named-region";
    let without = run(path, None);
    let unknown = unknown_services(&without);
    assert!(unknown.contains(&"ecr.dkr"), "{unknown:?}");
    assert!(!unknown.contains(&"logs"), "{unknown:?}");
    assert!(
        !errors(&without).contains(&"image-cross-region"),
        "{:?}",
        errors(&without)
    );
    let there = run(path, Some("eu-central-1"));
    assert_eq!(unknown_services(&there), Vec::<&str>::new());
    assert_eq!(errors(&there), Vec::<&str>::new());
    let elsewhere = run(path, Some("ap-northeast-1"));
    assert!(errors(&elsewhere).contains(&"image-cross-region"));
}
