//! The GitLab CI snippet of the README: its `jq` program turns privlink's JSON report into a code
//! quality report GitLab accepts (every entry with a description, a check name, a unique
//! fingerprint, one of GitLab's severities and a location with a path and a line).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{root, text};

/// The jq program of the README's GitLab CI snippet (the text between `jq '` and `'`).
fn readme_jq_program() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find("### GitLab CI").expect("a GitLab CI section")..];
    let start = section.find("jq '").expect("a jq program") + 4;
    let end = start + section[start..].find('\'').expect("the program's end");
    section[start..end].to_owned()
}

#[test]
fn the_readme_jq_program_writes_a_code_quality_report() {
    let report = assert_cmd::Command::cargo_bin("privlink")
        .unwrap()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args([
            "examples/dns-hostnames-off",
            "examples/cloudformation-private-dns-off",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(report.status.success(), "{}", text(&report));

    let mut jq = Command::new("jq")
        .arg(readme_jq_program())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jq (scripts/test installs it)");
    jq.stdin.take().unwrap().write_all(&report.stdout).unwrap();
    let out = jq.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let findings: Value = serde_json::from_slice(&report.stdout).unwrap();
    let quality: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = quality.as_array().expect("a list");
    assert_eq!(
        entries.len(),
        findings["findings"].as_array().unwrap().len()
    );
    assert!(!entries.is_empty());
    let mut fingerprints = BTreeSet::new();
    for entry in entries {
        assert!(
            entry["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{entry}"
        );
        assert!(
            entry["check_name"].as_str().is_some_and(|c| !c.is_empty()),
            "{entry}"
        );
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&entry["severity"].as_str().unwrap_or_default()),
            "{entry}"
        );
        assert!(entry["location"]["path"].as_str().is_some(), "{entry}");
        assert!(
            entry["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1),
            "{entry}"
        );
        assert!(
            fingerprints.insert(entry["fingerprint"].as_str().unwrap().to_owned()),
            "fingerprints are unique: {entry}"
        );
    }
    let rules: Vec<&str> = entries
        .iter()
        .map(|e| e["check_name"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"vpc-dns-disabled"), "{rules:?}");
    assert!(rules.contains(&"invalid-cloudformation"), "{rules:?}");
}
