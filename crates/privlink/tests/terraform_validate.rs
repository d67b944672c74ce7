//! privlink and `terraform validate` agree on which shipped configurations are invalid. Runs where a
//! `terraform` binary and the local AWS provider mirror (`/opt/tf-plugins`) are on the machine, as on
//! the project's machine image; elsewhere it says so and checks nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

const PLUGIN_DIR: &str = "/opt/tf-plugins";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn terraform_says_valid(dir: &Path) -> bool {
    let work = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(dir).expect("example dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&path, work.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let init = Command::new("terraform")
        .args([
            "init",
            "-backend=false",
            "-input=false",
            "-no-color",
            &format!("-plugin-dir={PLUGIN_DIR}"),
        ])
        .current_dir(work.path())
        .output()
        .expect("terraform init runs");
    assert!(
        init.status.success(),
        "terraform init failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&init.stderr)
    );
    let validate = Command::new("terraform")
        .args(["validate", "-json", "-no-color"])
        .current_dir(work.path())
        .output()
        .expect("runs");
    let report: serde_json::Value =
        serde_json::from_slice(&validate.stdout).expect("validate -json");
    report["valid"].as_bool().expect("a `valid` field")
}

fn privlink_says_valid(dir: &Path) -> bool {
    let out = assert_cmd::Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(dir)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    !report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["rule"] == "invalid-terraform")
}

#[test]
fn privlink_agrees_with_terraform_validate_on_the_examples() {
    let have_terraform = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_terraform || !Path::new(PLUGIN_DIR).is_dir() {
        eprintln!("terraform or {PLUGIN_DIR} is not on this machine: nothing to compare");
        return;
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            std::fs::read_dir(p).is_ok_and(|mut d| {
                d.any(|f| f.is_ok_and(|f| f.path().extension().is_some_and(|e| e == "tf")))
            })
        })
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 4, "the Terraform examples: {dirs:?}");
    let mut invalid = 0;
    for dir in dirs {
        let terraform = terraform_says_valid(&dir);
        assert_eq!(
            privlink_says_valid(&dir),
            terraform,
            "{}: terraform validate says valid = {terraform}",
            dir.display()
        );
        invalid += usize::from(!terraform);
    }
    assert_eq!(invalid, 1, "dns-hostnames-off is the one invalid example");
}
