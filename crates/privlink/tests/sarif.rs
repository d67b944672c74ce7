//! The SARIF report validates against the official SARIF 2.1.0 schema (the copy Microsoft ships in
//! its SARIF multitool on npm, installed by `scripts/test` into `testdata/sarif/`), and meets what
//! GitHub code scanning requires of an upload: one rule per rule name, results that name a rule of
//! the driver, repository-relative artifact URIs and 1-based regions.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn schema() -> Value {
    let path = root()
        .join("testdata/sarif/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run scripts/test, which installs the SARIF schema with npm",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the schema is JSON")
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

fn assert_valid(log: &Value) {
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

fn assert_github_accepts(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "one rule per rule name");
    for rule in rules {
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|t| t.contains("## What it does"))
        );
    }
    for result in run["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex");
        assert_eq!(
            ids[usize::try_from(index).expect("index")],
            id,
            "ruleIndex points at the rule"
        );
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "GitHub shows results at a location");
        for l in locations {
            let uri = l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(
                !uri.starts_with('/') && !uri.contains("://") && !uri.starts_with("./"),
                "repository-relative: {uri}"
            );
            if let Some(region) = l["physicalLocation"].get("region") {
                assert!(region["startLine"].as_u64().is_some_and(|n| n >= 1));
            }
        }
    }
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
