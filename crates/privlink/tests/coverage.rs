//! Nothing passes unchecked: every example and every fixture directory of the repository either
//! exits non-zero or has every workload placed and every required flow decided, and a report that
//! leaves something undecided says which workload and what decides it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn check(args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .arg("check")
        .args(args)
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

/// Whether `dir` holds input files of its own (not only directories of inputs).
fn holds_inputs(dir: &Path) -> bool {
    std::fs::read_dir(dir).expect("readable").any(|e| {
        let path = e.expect("entry").path();
        path.is_file()
            && path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "tf" | "json" | "yaml" | "yml" | "tfstate"))
    })
}

fn directories(under: &Path, out: &mut Vec<PathBuf>) {
    if holds_inputs(under) {
        out.push(under.to_path_buf());
    }
    let mut children: Vec<PathBuf> = std::fs::read_dir(under)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && !p.ends_with(".terraform"))
        .collect();
    children.sort();
    for child in children {
        directories(&child, out);
    }
}

/// The example and fixture directories, relative to the workspace root.
fn input_directories() -> Vec<String> {
    let root = root();
    let mut dirs = Vec::new();
    for top in [
        "examples",
        "testdata",
        "crates/privlink/tests/fixtures",
        "crates/privlink_analysis/tests/fixtures",
        "crates/privlink_ingest/tests/fixtures",
        "crates/privlink_fix/tests/fixtures",
    ] {
        let path = root.join(top);
        if path.is_dir() {
            directories(&path, &mut dirs);
        }
    }
    dirs.iter()
        .map(|d| {
            d.strip_prefix(&root)
                .expect("under the root")
                .display()
                .to_string()
        })
        .collect()
}

/// The names of the workloads the report says are not fully checked.
fn undecided_workloads(report: &Value) -> Vec<String> {
    report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .filter(|w| {
            let c = &w["coverage"];
            c["placed"] == Value::Bool(false) || c["unknown"].as_u64() != Some(0)
        })
        .map(|w| w["name"].as_str().expect("name").to_owned())
        .collect()
}

#[test]
fn no_example_or_fixture_exits_0_with_an_undecided_required_flow() {
    let dirs = input_directories();
    assert!(dirs.len() > 20, "found the fixtures: {dirs:?}");
    let mut checked_incomplete = 0;
    for dir in &dirs {
        let (status, report) = check(&[dir]);
        let coverage = &report["summary"]["coverage"];
        let unknown = coverage["flows_unknown"].as_u64().expect("flows_unknown");
        let undecided = coverage["workloads_undecided"]
            .as_u64()
            .expect("workloads_undecided");
        let workloads = undecided_workloads(&report);
        assert_eq!(
            workloads.len() as u64,
            undecided,
            "{dir}: summary and workloads agree"
        );
        if undecided == 0 {
            assert_eq!(unknown, 0, "{dir}");
            continue;
        }
        checked_incomplete += 1;
        assert_ne!(status, 0, "{dir}: exit 0 with undecided flows: {report}");
        for name in &workloads {
            assert!(
                report["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .any(|f| {
                        f["rule"] == "unresolved-input"
                            && f["severity"] == "error"
                            && f["workload"] == name.as_str()
                            && f["fix"]["summary"]
                                .as_str()
                                .is_some_and(|s| s.contains("--"))
                    }),
                "{dir}: no unresolved-input error names workload {name}"
            );
        }
        assert!(
            coverage["unknown_reasons"]
                .as_array()
                .expect("reasons")
                .iter()
                .all(|r| !r["decide_with"].as_array().expect("hints").is_empty()),
            "{dir}: every reason says what decides it"
        );
    }
    assert!(
        checked_incomplete > 0,
        "some fixture leaves flows undecided"
    );
}

/// Templates checked without a region: the region is one unknown, so the endpoints named with
/// `AWS::Region` are decided, but one endpoint names a literal region, which may or may not be the
/// stack's.
const NO_REGION: &str = "crates/privlink/tests/fixtures/coverage/literal-region";

#[test]
fn undecided_flows_fail_the_run_and_name_what_decides_them() {
    let (status, report) = check(&[NO_REGION]);
    assert_eq!(status, 1);
    let coverage = &report["summary"]["coverage"];
    assert_eq!(coverage["workloads"], 1);
    assert_eq!(coverage["workloads_checked"], 0);
    assert_eq!(coverage["flows"], 8);
    assert_eq!(coverage["flows_unknown"], 2);
    let reason = &coverage["unknown_reasons"][0];
    assert_eq!(reason["element"], "Logs");
    assert_eq!(reason["services"], serde_json::json!(["logs"]));
    assert_eq!(reason["decide_with"][0], "--region");
    let workload = &report["workloads"][0]["coverage"];
    assert_eq!(workload["decided"], 6);
    assert_eq!(workload["unknown"], 2);
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "unresolved-input")
        .expect("an unresolved-input finding");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["workload"], "app");
    assert_eq!(finding["resource"], "Logs");
    assert_eq!(finding["service"], "logs");
    assert!(
        finding["fix"]["summary"]
            .as_str()
            .expect("fix")
            .contains("--region REGION"),
        "{finding}"
    );
}

/// Without a region, endpoints named with `AWS::Region` are decided: a template set that has them
/// all exits 0, one that lacks an endpoint fails on it.
#[test]
fn without_a_region_endpoints_named_with_it_are_decided() {
    let (status, report) =
        check(&["crates/privlink_analysis/tests/fixtures/region/cloudformation-clean"]);
    assert_eq!(status, 0, "{report}");
    assert_eq!(report["summary"]["coverage"]["flows_unknown"], 0);
    let (status, report) =
        check(&["crates/privlink_analysis/tests/fixtures/region/cloudformation-missing-logs"]);
    assert_eq!(status, 1);
    assert_eq!(report["summary"]["coverage"]["flows_unknown"], 0);
    let rules: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| &f["rule"])
        .collect();
    assert_eq!(rules, ["missing-interface-endpoint"]);
    let (status, _) = check(&["testdata/cdk/agnostic.out/AgnosticFargate.template.json"]);
    assert_eq!(status, 0);
}

#[test]
fn with_a_region_the_same_flows_are_decided() {
    let (_, report) = check(&[NO_REGION, "--region", "eu-west-1"]);
    let coverage = &report["summary"]["coverage"];
    assert_eq!(coverage["flows_unknown"], 0, "{coverage}");
    assert_eq!(coverage["workloads_checked"], 1);
    assert!(
        !report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "unresolved-input" && f["severity"] == "error")
    );
}

#[test]
fn allow_undecided_reports_them_as_infos() {
    let (status, report) = check(&[NO_REGION, "--allow-undecided"]);
    let findings = report["findings"].as_array().expect("findings");
    let unresolved: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "unresolved-input")
        .collect();
    assert!(!unresolved.is_empty());
    assert!(unresolved.iter().all(|f| f["severity"] == "info"));
    // The missing S3 gateway endpoint is decided and still fails the run.
    assert_eq!(status, 1);
    assert_eq!(report["summary"]["coverage"]["flows_unknown"], 2);
    let (status, _) = check(&[NO_REGION, "--allow-undecided", "--fail-on", "info"]);
    assert_eq!(status, 1);
}

#[test]
fn a_run_whose_only_gap_is_undecided_passes_only_when_allowed() {
    // Subnets given by id without their VPC: nothing to trace them through.
    let dir = "crates/privlink_ingest/tests/fixtures/cloudformation";
    let (status, report) = check(&[dir]);
    assert_eq!(status, 1, "{}", report["summary"]);
    assert!(
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["severity"] != "error" || f["rule"] == "unresolved-input")
    );
    let (status, _) = check(&[dir, "--allow-undecided"]);
    assert_eq!(status, 0);
}

#[test]
fn every_format_states_the_coverage() {
    let render = |format: &str| {
        let out = Command::cargo_bin("privlink")
            .expect("binary")
            .current_dir(root())
            .args(["check", NO_REGION, "--format", format])
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let headline = "0 of 1 workload and 6 of 8 required flows fully checked; 2 unknown";
    for format in ["text", "markdown", "html"] {
        assert!(
            render(format).contains(headline),
            "{format}: {}",
            render(format)
        );
    }
    let sarif: Value = serde_json::from_str(&render("sarif")).expect("sarif");
    let coverage = &sarif["runs"][0]["properties"]["coverage"];
    assert_eq!(coverage["flows_unknown"], 2);
    assert_eq!(coverage["undecided_workloads"][0]["workload"], "app");
}

/// A configuration whose modules are not installed (no `terraform init` yet) checks none of their
/// resources: an error naming the module and `terraform init`, not a clean exit.
#[test]
fn a_module_that_is_not_installed_fails_the_run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 6.5\"\n}\n",
    )
    .expect("write main.tf");
    let path = dir.path().to_str().expect("a UTF-8 path");
    let (status, report) = check(&[path]);
    assert_eq!(status, 1, "{report}");
    let errors: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["rule"], "unresolved-input");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("module \"vpc\"") && m.contains("terraform init")),
        "{}",
        errors[0]
    );
    let (status, _) = check(&[path, "--allow-undecided"]);
    assert_eq!(status, 0);
}
