//! Endpoints that misbehave: one that accepts connections and never answers, one that answers
//! HTTP 500, one that answers junk, one that answers a byte per second forever. Each scan fails
//! within its time budget with a short message naming the endpoint and what to check, never as a
//! clean (empty) account; a region that is not a region name fails before any call.

#[path = "support/servers.rs"]
mod servers;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::{Credentials, SharedCredentialsProvider};
use privlink_aws::{CallErrorKind, NoProgress, ScanFailure, ScanOptions, Timeouts, scan};
use servers::Behaviour;

/// The budget of one call in these tests.
const BUDGET: Duration = Duration::from_secs(2);

/// How much longer than the budget a scan may take (the runtime, the threads of a loaded machine):
/// far less than the SDK's own defaults, which wait minutes.
const SLACK: Duration = Duration::from_secs(8);

fn config(url: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("ap-northeast-1"))
        .endpoint_url(url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "test",
        )))
        .build()
}

fn options(url: &str) -> ScanOptions {
    ScanOptions {
        sdk: Some(config(url)),
        concurrency: 1,
        timeouts: Timeouts {
            connect: Duration::from_secs(1),
            read: Duration::from_secs(1),
            call: BUDGET,
            attempts: 2,
        },
        ..ScanOptions::default()
    }
}

/// Scans `behaviour`'s endpoint; the call that stopped the scan.
fn failure(behaviour: Behaviour) -> (String, privlink_aws::CallError) {
    let url = servers::start(behaviour);
    let start = Instant::now();
    let result = scan(&options(&url), Arc::new(NoProgress));
    let elapsed = start.elapsed();
    assert!(
        elapsed < BUDGET + SLACK,
        "{behaviour:?}: the scan took {elapsed:?}"
    );
    match result {
        Ok(outcome) => panic!("{behaviour:?}: a scan of a broken endpoint succeeded: {outcome:?}"),
        Err(ScanFailure::Call(e)) => (url, e),
        Err(other) => panic!("{behaviour:?}: {other:?}"),
    }
}

/// A message the user can read: one short line, naming the endpoint, without the SDK's debug
/// structures, the response body or terminal escapes.
fn assert_short(url: &str, text: &str) {
    assert!(text.contains(url), "{text}");
    assert!(!text.contains('\n'), "{text}");
    assert!(text.chars().count() < 300, "{text}");
    for leaked in [
        "Response {",
        "html",
        "Traceback",
        "secret",
        "\u{1b}",
        "not an AWS answer",
    ] {
        assert!(!text.contains(leaked), "{leaked}: {text}");
    }
}

#[test]
fn an_endpoint_that_never_answers_fails_within_the_budget() {
    let (url, error) = failure(Behaviour::Silent);
    assert_eq!(error.kind, CallErrorKind::Unreachable, "{error}");
    assert_eq!(error.call, "sts:GetCallerIdentity");
    assert_short(&url, &error.to_string());
    assert!(
        error.help().contains("AWS_ENDPOINT_URL"),
        "{}",
        error.help()
    );
    assert!(error.help().contains("--timeout"), "{}", error.help());
}

#[test]
fn an_endpoint_answering_slowly_forever_fails_within_the_budget() {
    let (url, error) = failure(Behaviour::Drip);
    assert!(
        matches!(
            error.kind,
            CallErrorKind::Unreachable | CallErrorKind::ServerError
        ),
        "{error}"
    );
    assert_short(&url, &error.to_string());
}

#[test]
fn an_endpoint_answering_500_or_junk_fails_short_and_fast() {
    for behaviour in [Behaviour::ServerError, Behaviour::Junk] {
        let (url, error) = failure(behaviour);
        assert_eq!(error.kind, CallErrorKind::ServerError, "{error}");
        assert!(error.is_fatal());
        assert_short(&url, &error.to_string());
        assert!(
            error.help().contains("AWS_ENDPOINT_URL"),
            "{}",
            error.help()
        );
    }
}

#[test]
fn region_names_are_checked_before_any_call() {
    // The endpoint never answers: a region that reached it would take the whole budget.
    let url = servers::start(Behaviour::Silent);
    for region in ["", "../../etc", "xx-fake-9"] {
        let options = ScanOptions {
            regions: vec![region.to_owned()],
            ..options(&url)
        };
        let start = Instant::now();
        match scan(&options, Arc::new(NoProgress)) {
            Err(e @ ScanFailure::InvalidRegion { .. }) => {
                assert!(e.to_string().contains(&format!("`{region}`")), "{e}");
            }
            other => panic!("{region}: {other:?}"),
        }
        assert!(start.elapsed() < BUDGET, "{:?}", start.elapsed());
    }
}

#[test]
fn every_call_denied_leaves_the_required_calls_failed() {
    let url = servers::start(Behaviour::Deny);
    let outcome = scan(&options(&url), Arc::new(NoProgress)).expect("denied calls are recorded");
    let required: Vec<&str> = outcome
        .required_failures()
        .map(|e| e.call.as_str())
        .collect();
    for call in scan::REQUIRED_CALLS {
        assert!(required.contains(call), "{call}: {required:?}");
    }
    for e in outcome.required_failures() {
        assert_eq!(e.kind, CallErrorKind::AccessDenied, "{e}");
        assert!(
            e.help().contains(&format!("grant {}", e.call)),
            "{}",
            e.help()
        );
    }
    // ECS and EKS (JSON protocols) are denied too, and are not required.
    let optional: Vec<&str> = outcome
        .optional_failures()
        .map(|e| e.call.as_str())
        .collect();
    assert!(optional.contains(&"ecs:ListClusters"), "{optional:?}");
    assert!(optional.contains(&"eks:ListClusters"), "{optional:?}");
    assert!(outcome.snapshot.regions[0].vpcs.is_empty());
}
