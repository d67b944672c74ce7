//! The generated organisation (crates/privlink_orggen): in each of its three forms — Terraform,
//! CloudFormation, snapshot — `privlink check` reports exactly the injected defects, one finding per
//! broken VPC with the rule and services the manifest names, and nothing for the VPCs left intact.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use privlink_orggen::{Form, org, write_all};

/// (workload, rule, sorted services) of each finding.
type Found = BTreeSet<(String, String, Vec<String>)>;

fn check(path: &Path) -> (serde_json::Value, Found) {
    let output = Command::cargo_bin("privlink")
        .unwrap()
        .args([
            "check",
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            // `services` lists them when the cause cuts off several; `service` names the first.
            let mut services: Vec<String> = match f["services"].as_array() {
                Some(all) => all.iter().map(|s| s.as_str().unwrap().to_owned()).collect(),
                None => vec![f["service"].as_str().unwrap().to_owned()],
            };
            services.sort();
            (
                f["workload"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                services,
            )
        })
        .collect();
    (report, found)
}

#[test]
fn findings_equal_the_injected_defects_in_every_form() {
    let dir = tempfile::tempdir().unwrap();
    let vpcs = org(10);
    write_all(
        dir.path(),
        &vpcs,
        &[Form::Terraform, Form::CloudFormation, Form::Snapshot],
    )
    .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    let injected: Found = manifest["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|vpc| {
            vpc["findings"].as_array().unwrap().iter().map(|f| {
                (
                    vpc["name"].as_str().unwrap().to_owned(),
                    f["rule"].as_str().unwrap().to_owned(),
                    serde_json::from_value(f["services"].clone()).unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(injected.len(), 8, "four VPCs of five are broken");

    for form in ["terraform", "cloudformation", "snapshot.json"] {
        let (report, found) = check(&dir.path().join(form));
        assert_eq!(found, injected, "{form}");
        assert_eq!(
            report["workloads"].as_array().unwrap().len(),
            vpcs.len(),
            "{form}"
        );
        // Six app subnets times five services (ecr.api, ecr.dkr, s3, logs, secretsmanager).
        let flows = report["flows"].as_array().unwrap();
        assert_eq!(flows.len(), vpcs.len() * 30, "{form}");
        for vpc in vpcs.iter().filter(|v| v.defect.is_none()) {
            assert!(
                flows
                    .iter()
                    .filter(|f| f["workload"] == vpc.name.as_str())
                    .all(|f| f["verdict"] == "endpoint"),
                "{form}: {} is intact",
                vpc.name
            );
        }
        assert!(
            report["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["status"] == "ok" && i["diagnostics"].as_array().unwrap().is_empty()),
            "{form}: {}",
            report["inputs"]
        );
    }
}
