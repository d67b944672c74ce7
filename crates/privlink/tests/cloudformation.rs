//! The command line on CloudFormation and CDK inputs: seed 002 with and without its network stack,
//! `--parameter`, the CDK assembly, and bad templates (exit 2, with file:line:column, the other
//! inputs still analysed).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn seed_002_both_stacks_gives_definite_findings_at_the_yaml() {
    let (status, stdout, stderr) = run(&["check", "examples/cloudformation-private-dns-off"]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    insta::assert_snapshot!("check_seed_002", stdout);
    for expected in [
        "error[invalid-cloudformation]: parameter EnvironmentName is `dev`, which is not one of its AllowedValues (stg, prd)",
        "--> examples/cloudformation-private-dns-off/endpoints.yaml:9:14",
        "error[private-dns-disabled]: ECRDkrEndpoint has private DNS off",
        "--> examples/cloudformation-private-dns-off/endpoints.yaml:18:3",
        "18 |   ECRDkrEndpoint:",
        "error[missing-interface-endpoint]: assumed-fargate needs logs",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn seed_002_endpoint_stack_alone_is_unknown_and_says_which_exports_to_provide() {
    let (status, stdout, _) = run(&[
        "check",
        "--region",
        "ap-northeast-1",
        "examples/cloudformation-private-dns-off/endpoints.yaml",
    ]);
    assert_eq!(
        status, 1,
        "the invalid parameter is still an error: {stdout}"
    );
    assert!(stdout.contains("8 flows: 8 unknown"), "{stdout}");
    for export in [
        "dev-vpc",
        "dev-sg-vpcendpoint",
        "dev-private-subnet1",
        "dev-private-subnet2",
        "dev-private-route-table-az-a",
        "dev-private-route-table-az-c",
    ] {
        assert!(
            stdout.contains(&format!(
                "Fn::ImportValue `{export}`: no given template exports it"
            )),
            "{export}: {stdout}"
        );
    }
}

#[test]
fn parameters_from_the_command_line_apply_to_every_template() {
    // `stg` is allowed by both stacks, and the network stack then exports `stg-*`, which the
    // endpoint stack imports.
    let (status, stdout, _) = run(&[
        "check",
        "--format",
        "json",
        "--parameter",
        "EnvironmentName=stg",
        "examples/cloudformation-private-dns-off",
    ]);
    assert_eq!(status, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(
        rules,
        [
            "private-dns-disabled",
            "private-dns-disabled",
            "missing-interface-endpoint"
        ]
    );
    let (status, _, stderr) = run(&[
        "check",
        "--parameter",
        "EnvironmentName",
        "examples/cloudformation-private-dns-off",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("--parameter `EnvironmentName` is not KEY=VALUE"),
        "{stderr}"
    );
}

#[test]
fn cdk_assembly_is_read_from_its_manifest() {
    let (status, stdout, _) = run(&["check", "--format", "json", "testdata/cdk"]);
    assert_eq!(
        status, 1,
        "the stack without the logs endpoint fails: {stdout}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["inputs"][0]["format"], "cdk-out");
    let blocked: Vec<(&str, &str)> = report["flows"]
        .as_array()
        .expect("flows")
        .iter()
        .filter(|f| f["verdict"] != "endpoint")
        .map(|f| {
            (
                f["workload"].as_str().unwrap_or_default(),
                f["service"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        blocked,
        [("IsolatedFargateNoLogs.ServiceD69D759B", "logs"); 2]
    );
}

#[test]
fn bad_templates_exit_2_with_positions_and_the_good_input_is_still_analysed() {
    let bad = "crates/privlink_ingest/tests/fixtures/cloudformation/bad";
    let (status, stdout, _) = run(&[
        "check",
        &format!("{bad}/unknown-tag.yaml"),
        &format!("{bad}/ref-to-nothing.yaml"),
        "examples/cloudformation-private-dns-off",
    ]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "error[input]: {bad}/unknown-tag.yaml:5:18: unknown tag `!Reff`"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "error[input]: {bad}/ref-to-nothing.yaml:9:14: `Ref VPC`"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[private-dns-disabled]: ECRDkrEndpoint"),
        "seed 002 is still analysed: {stdout}"
    );
}
