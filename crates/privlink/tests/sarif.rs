//! The SARIF report validates against the official SARIF 2.1.0 schema (the copy Microsoft ships in
//! its SARIF multitool on npm, installed by `scripts/test` into `testdata/sarif/`), and meets what
//! GitHub code scanning requires of an upload: one rule per rule name, results that name a rule of
//! the driver, repository-relative artifact URIs and 1-based regions.

#[path = "support/sarif_schema.rs"]
mod sarif_schema;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sarif_schema::{assert_github_accepts, assert_valid};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn sarif(args: &[&str]) -> Value {
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn sarif_of_an_example_with_findings() {
    let log = sarif(&["check", "--format", "sarif", "examples/dns-hostnames-off"]);
    assert_valid(&log);
    assert_github_accepts(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let rules: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["vpc-dns-disabled", "invalid-terraform"]);
    let dns = &results[0];
    assert_eq!(dns["level"], "error");
    assert_eq!(
        dns["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/dns-hostnames-off/main.tf"
    );
    assert_eq!(
        dns["locations"][0]["physicalLocation"]["region"]["startLine"],
        32
    );
    assert!(
        dns["message"]["text"]
            .as_str()
            .unwrap()
            .contains("Predicted error: ResourceInitializationError")
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_reports_unreadable_inputs_as_notifications() {
    let log = sarif(&[
        "check",
        "--format",
        "sarif",
        "examples/dedicated-endpoint-subnets",
        "no/such/dir",
    ]);
    assert_valid(&log);
    assert_github_accepts(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
    assert!(
        log["runs"][0]["results"].as_array().unwrap().is_empty(),
        "the readable example is clean"
    );
}

#[test]
fn sarif_warnings_and_notes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\ndata \"aws_vpc\" \"shared\" {}\nresource \"aws_vpc_endpoint\" \"logs\" {\n  vpc_id       = data.aws_vpc.shared.id\n  service_name = \"com.amazonaws.eu-west-1.logs\"\n}\n",
    )
    .expect("write");
    let log = sarif(&[
        "check",
        "--format",
        "sarif",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_valid(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "unresolved-input" && r["level"] == "note")
    );
}
