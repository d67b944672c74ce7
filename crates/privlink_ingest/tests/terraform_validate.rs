//! privlink's `invalid-terraform` findings against `terraform validate` itself: for every
//! configuration under `tests/fixtures/validate/terraform/`, the same problems at the same file and
//! line with the same words. A configuration with a `terraform.tfvars` is compared with
//! `terraform plan` instead (offline: the local provider mirror, dummy credentials, no refresh), as
//! only the plan knows the variables' values.
//!
//! Runs where `terraform` and the provider mirror (`/opt/tf-plugins`, or `TF_PLUGIN_DIR`) are on the
//! machine; elsewhere it says it skipped, and fails when `PRIVLINK_REQUIRE_TERRAFORM=1`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use privlink_ingest::{LoadOptions, load};
use privlink_model::DiagnosticKind;

const CASES: &str = "tests/fixtures/validate/terraform";

/// One problem: file (relative to the configuration), line, message.
type Problem = (String, u32, String);

fn plugin_dir() -> PathBuf {
    std::env::var_os("TF_PLUGIN_DIR")
        .map_or_else(|| PathBuf::from("/opt/tf-plugins"), PathBuf::from)
}

/// Whether terraform and the provider mirror are here; says so (or fails, when required) if not.
fn terraform_available() -> bool {
    let have = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
        && plugin_dir().is_dir();
    if !have {
        let reason = format!(
            "terraform or its provider mirror {} is not on this machine",
            plugin_dir().display()
        );
        assert!(
            std::env::var("PRIVLINK_REQUIRE_TERRAFORM").as_deref() != Ok("1"),
            "{reason}, and PRIVLINK_REQUIRE_TERRAFORM=1"
        );
        eprintln!("skipped: {reason}: privlink is not compared with terraform validate");
    }
    have
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn terraform(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("terraform runs")
}

/// What terraform reports for a configuration: errors of `validate`, or of `plan` with the
/// configuration's variables.
fn terraform_problems(case: &Path) -> BTreeSet<Problem> {
    let work = tempfile::tempdir().expect("tempdir");
    copy_dir(case, work.path());
    let plan = case.join("terraform.tfvars").is_file();
    if plan {
        std::fs::write(
            work.path().join("privlink_offline_override.tf"),
            r#"provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock-access-key"
  secret_key                  = "mock-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"#,
        )
        .expect("write provider configuration");
    }
    let plugins = format!("-plugin-dir={}", plugin_dir().display());
    let init = terraform(
        work.path(),
        &[
            "init",
            "-backend=false",
            "-input=false",
            "-no-color",
            &plugins,
        ],
    );
    assert!(
        init.status.success(),
        "terraform init in {}: {}",
        case.display(),
        String::from_utf8_lossy(&init.stderr)
    );
    let diagnostics: Vec<serde_json::Value> = if plan {
        let out = terraform(
            work.path(),
            &[
                "plan",
                "-refresh=false",
                "-input=false",
                "-no-color",
                "-json",
            ],
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|l| l["type"] == "diagnostic")
            .map(|l| l["diagnostic"].clone())
            .collect()
    } else {
        let out = terraform(work.path(), &["validate", "-json", "-no-color"]);
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("terraform validate -json");
        report["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let summary = d["summary"].as_str().unwrap_or_default();
            let detail = d["detail"].as_str().unwrap_or_default();
            let message = if detail.is_empty() {
                summary.to_owned()
            } else {
                format!("{summary}: {detail}")
            };
            let range = &d["range"];
            (
                range["filename"].as_str().unwrap_or_default().to_owned(),
                u32::try_from(range["start"]["line"].as_u64().unwrap_or(0)).unwrap_or(0),
                message,
            )
        })
        .collect()
}

/// What privlink reports as `invalid-terraform`, with paths relative to the configuration and the
/// module call it adds to Terraform's words left out.
fn privlink_problems(case: &Path) -> BTreeSet<Problem> {
    let loaded = load(
        &[case.to_path_buf()],
        &LoadOptions {
            region: Some("us-east-1".to_owned()),
            ..LoadOptions::default()
        },
    );
    let errors: Vec<String> = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", case.display());
    let prefix = format!("{}/", case.display());
    loaded
        .model
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::InvalidTerraform)
        .map(|d| {
            let location = d.location.clone().expect("located");
            let mut message = d.message.replace(&prefix, "");
            if let Some(at) = message.rfind(" (in module.") {
                message.truncate(at);
            }
            (
                location.path.trim_start_matches(&prefix).to_owned(),
                location.line,
                message,
            )
        })
        .collect()
}

#[test]
fn privlink_reports_what_terraform_validate_reports() {
    if !terraform_available() {
        return;
    }
    let mut cases: Vec<PathBuf> = std::fs::read_dir(CASES)
        .expect("the validation fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    let mut failures = Vec::new();
    let mut problems = 0;
    for case in &cases {
        let expected = terraform_problems(case);
        let found = privlink_problems(case);
        problems += expected.len();
        if expected != found {
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            failures.push(format!(
                "{}:\n  terraform only: {missing:#?}\n  privlink only: {extra:#?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(problems >= 30, "the cases cover {problems} problems");
}
