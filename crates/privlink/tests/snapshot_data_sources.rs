//! Terraform data sources answered from `--aws-snapshot`: a new ECS service deployed into a VPC and
//! subnets that already exist, looked up with `data "aws_vpc"` (by tag) and `data "aws_subnets"`
//! (EC2 filters `vpc-id` and `tag:Tier` with a wildcard), checked against a scan of the account
//! with every endpoint the service needs, and against one without the CloudWatch Logs endpoint.
//! The snapshot's elements the configuration names are the same elements, not a second network.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const FIXTURE: &str = "crates/privlink/tests/fixtures/snapshot-data-sources";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn check(snapshot: Option<&str>) -> (i32, Value) {
    let mut args = vec!["check".to_owned(), FIXTURE.to_owned()];
    if let Some(s) = snapshot {
        args.extend(["--aws-snapshot".to_owned(), format!("{FIXTURE}/{s}")]);
    }
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .args(&args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), report)
}

fn verdicts(report: &Value) -> Vec<(String, String, String)> {
    report["flows"]
        .as_array()
        .expect("flows")
        .iter()
        .map(|f| {
            (
                f["subnet"].as_str().unwrap_or_default().to_owned(),
                f["service"].as_str().unwrap_or_default().to_owned(),
                f["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_snapshot_answers_the_data_sources_and_the_service_is_checked_in_the_scanned_network() {
    let (status, report) = check(Some("scan.json"));
    assert_eq!(status, 0, "{report:#}");
    let workloads = report["workloads"].as_array().expect("workloads");
    assert_eq!(workloads.len(), 1, "one service, no second network");
    assert_eq!(workloads[0]["vpc"], "vpc-0a1");
    // The subnets tagged `private` in the VPC tagged `shared`, not the default VPC's.
    assert_eq!(
        workloads[0]["subnets"],
        serde_json::json!(["subnet-0p1", "subnet-0p2"])
    );
    let flows = verdicts(&report);
    assert_eq!(flows.len(), 8, "4 services in 2 subnets: {flows:?}");
    assert!(flows.iter().all(|(_, _, v)| v == "endpoint"), "{flows:?}");
    assert!(
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["severity"] == "info"),
        "{report:#}"
    );
}

#[test]
fn a_scan_without_the_logs_endpoint_fails_for_exactly_that() {
    let (status, report) = check(Some("scan-no-logs.json"));
    assert_eq!(status, 1, "{report:#}");
    let failing: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default(),
                f["service"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(failing, [("missing-interface-endpoint", "logs")]);
    for (subnet, service, verdict) in verdicts(&report) {
        let want = if service == "logs" {
            "blocked"
        } else {
            "endpoint"
        };
        assert_eq!(verdict, want, "{service} from {subnet}");
    }
}

#[test]
fn without_a_snapshot_the_data_sources_are_unknown_and_said_so() {
    let (status, report) = check(None);
    assert_eq!(status, 1, "{report:#}");
    assert!(report["flows"].as_array().expect("flows").is_empty());
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["rule"] == "unresolved-input"
            && f["severity"] == "error"
            && f["workload"] == "app"
            && f["message"]
                .as_str()
                .is_some_and(|m| m.contains("data.aws_subnets.private"))),
        "{report:#}"
    );
    assert!(
        findings.iter().any(|f| f["rule"] == "unresolved-input"
            && f["fix"]["summary"]
                .as_str()
                .is_some_and(|s| s.contains("--aws-snapshot"))),
        "{report:#}"
    );
}
