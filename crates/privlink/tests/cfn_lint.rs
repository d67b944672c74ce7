//! privlink and `cfn-lint` (the linter AWS maintains, installed into `.venv` by `scripts/test` from
//! `requirements-test.txt`) agree on which shipped templates CloudFormation rejects, and on the
//! line: seed 002's endpoint stack (a `Default` outside its `AllowedValues`) is the invalid one, and
//! every template privlink's tests and examples treat as valid is lint-clean. Where `cfn-lint` is
//! not installed it says so and checks nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn cfn_lint() -> Option<PathBuf> {
    let venv = root().join(".venv/bin/cfn-lint");
    if venv.is_file() {
        return Some(venv);
    }
    let on_path = Command::new("cfn-lint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    on_path.then(|| PathBuf::from("cfn-lint"))
}

/// The lines of the errors (`E....`) cfn-lint reports.
fn lint_error_lines(cfn_lint: &Path, template: &str) -> Vec<u64> {
    let out = Command::new(cfn_lint)
        .args(["--format", "json", template])
        .current_dir(root())
        .output()
        .expect("cfn-lint runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("cfn-lint JSON for {template}: {e}"));
    report
        .as_array()
        .expect("a list of matches")
        .iter()
        .filter(|m| m["Level"] == "Error")
        .filter_map(|m| m["Location"]["Start"]["LineNumber"].as_u64())
        .collect()
}

/// The lines of privlink's `invalid-cloudformation` findings.
fn privlink_invalid_lines(template: &str) -> Vec<u64> {
    let out = assert_cmd::Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--region",
            "ap-northeast-1",
            template,
        ])
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "invalid-cloudformation")
        .filter_map(|f| f["location"]["line"].as_u64())
        .collect()
}

#[test]
fn privlink_agrees_with_cfn_lint_on_the_shipped_templates() {
    let Some(cfn_lint) = cfn_lint() else {
        eprintln!(
            "cfn-lint is not installed (scripts/test installs it into .venv): nothing to compare"
        );
        return;
    };
    let templates = [
        (
            "examples/cloudformation-private-dns-off/endpoints.yaml",
            vec![9],
        ),
        (
            "examples/cloudformation-private-dns-off/network.yaml",
            vec![],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/equivalence/cloudformation/network.yaml",
            vec![],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/cloudformation-default-not-allowed/template.yaml",
            vec![6],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/cloudformation-default-allowed/template.yaml",
            vec![],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/cloudformation-typed-allowed-values/template.yaml",
            vec![],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/cloudformation-typed-default-not-allowed/template.yaml",
            vec![7],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/ecs-ec2/cloudformation/ecs-ec2.yaml",
            vec![],
        ),
        (
            "crates/privlink_analysis/tests/fixtures/eks-auto-mode/cloudformation/eks-auto-mode.yaml",
            vec![],
        ),
        (
            "crates/privlink_ingest/tests/fixtures/cloudformation/network.yaml",
            vec![],
        ),
        (
            "crates/privlink_ingest/tests/fixtures/cloudformation/nested/stacks/network.yaml",
            vec![],
        ),
    ];
    for (template, invalid_lines) in templates {
        assert_eq!(
            lint_error_lines(&cfn_lint, template),
            invalid_lines,
            "cfn-lint on {template}"
        );
        assert_eq!(
            privlink_invalid_lines(template),
            invalid_lines,
            "privlink on {template}"
        );
    }
}
