//! The command line, end to end: the shipped examples, exit codes, bad input, workloads from flags
//! and from privlink.toml, and the other commands.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn privlink() -> Command {
    let mut cmd = Command::cargo_bin("privlink").expect("binary");
    cmd.current_dir(root()).env_remove("NO_COLOR");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = privlink().args(args).output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn examples_report_what_the_seeds_say() {
    for (example, code) in [
        ("dns-hostnames-off", 1),
        ("dedicated-endpoint-subnets", 0),
        ("fargate-secrets", 0),
        ("eks-privatelink", 0),
    ] {
        let path = format!("examples/{example}");
        let (status, stdout, stderr) = run(&["check", &path]);
        assert_eq!(status, code, "{example}: {stdout}{stderr}");
        assert!(
            !stdout.contains('\u{1b}'),
            "no colour when not on a terminal"
        );
        insta::assert_snapshot!(format!("check_{example}"), stdout);
    }
}

#[test]
fn seed_000_as_written_has_its_two_bugs() {
    let (_, stdout, _) = run(&["check", "examples/dns-hostnames-off"]);
    assert!(stdout.contains("error[vpc-dns-disabled]"), "{stdout}");
    assert!(stdout.contains("error[invalid-terraform]"), "{stdout}");
    assert!(
        stdout.contains("--> examples/dns-hostnames-off/main.tf:91:3"),
        "the for_each line: {stdout}"
    );
    assert!(
        stdout.contains("predicted error: ResourceInitializationError"),
        "{stdout}"
    );
}

#[test]
fn endpoints_only_turns_nat_dependencies_into_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = root().join("crates/privlink_analysis/tests/fixtures/network/main.tf");
    std::fs::copy(fixture, dir.path().join("main.tf")).expect("copy");
    let path = dir.path().to_str().expect("utf-8 path");
    let vars = [
        "--var",
        "nat=true",
        "--var",
        "app_egress=all",
        "--var",
        r#"interface_services=["ecr.api","ecr.dkr"]"#,
    ];
    let (status, stdout, _) = run(&[&["check", path][..], &vars[..]].concat());
    assert_eq!(status, 0, "a NAT dependency is a warning: {stdout}");
    assert!(stdout.contains("warning[nat-dependency]"), "{stdout}");
    let (status, _, _) = run(&[&["check", path, "--fail-on", "warning"][..], &vars[..]].concat());
    assert_eq!(status, 1, "--fail-on warning");
    let (status, stdout, _) = run(&[&["check", path, "--endpoints-only"][..], &vars[..]].concat());
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("error[missing-interface-endpoint]"),
        "{stdout}"
    );
    assert!(stdout.contains("with --endpoints-only"), "{stdout}");
    let (status, _, _) = run(&[
        &["check", path, "--endpoints-only", "--fail-on", "never"][..],
        &vars[..],
    ]
    .concat());
    assert_eq!(status, 0, "--fail-on never");
}

#[test]
fn unreadable_input_is_exit_2_and_the_others_are_still_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("broken.tf"),
        "resource \"aws_vpc\" \"x\" {\n  cidr_block = \n}\n",
    )
    .expect("write");
    let broken = dir.path().to_str().expect("utf-8 path");
    let (status, stdout, _) = run(&[
        "check",
        broken,
        "examples/fargate-secrets",
        "does/not/exist",
    ]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stdout.contains("broken.tf:2:"),
        "file and line of the parse error: {stdout}"
    );
    assert!(stdout.contains("does/not/exist: cannot read"), "{stdout}");
    assert!(
        stdout.contains("app (ecs-fargate)"),
        "the valid input is still analysed: {stdout}"
    );
    let (status, json, _) = run(&[
        "check",
        "--format",
        "json",
        broken,
        "examples/fargate-secrets",
    ]);
    assert_eq!(status, 2);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["inputs"][0]["status"], "error");
    assert_eq!(report["inputs"][0]["diagnostics"][0]["line"], 2);
    assert_eq!(report["inputs"][1]["status"], "ok");
}

#[test]
fn unknown_functions_and_missing_var_files_are_input_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_vpc\" \"x\" {\n  cidr_block = cidrsubnett(\"10.0.0.0/8\", 8, 1)\n}\n",
    )
    .expect("write");
    let path = dir.path().to_str().expect("utf-8 path");
    let (status, stdout, _) = run(&["check", path, "examples/fargate-secrets"]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stdout.contains("main.tf:2:16"),
        "file, line and column of the call: {stdout}"
    );
    assert!(stdout.contains("cidrsubnett"), "{stdout}");
    assert!(
        stdout.contains("app (ecs-fargate)"),
        "the other input is still analysed: {stdout}"
    );

    let (status, stdout, _) = run(&[
        "check",
        "examples/fargate-secrets",
        "--var-file",
        "no/such.tfvars",
    ]);
    assert_eq!(status, 2, "{stdout}");
    assert!(stdout.contains("no/such.tfvars"), "{stdout}");
}

#[test]
fn workloads_from_flags_and_from_privlink_toml() {
    let spec = "kind=ecs-fargate,name=web,subnets=aws_subnet.private-a,security-groups=aws_security_group.app,features=awslogs+service:sqs";
    let (status, stdout, _) = run(&["check", "examples/fargate-secrets", "--workload", spec]);
    assert_eq!(status, 1, "no sqs endpoint: {stdout}");
    assert!(stdout.contains("web (ecs-fargate)"), "{stdout}");
    assert!(stdout.contains("sqs"), "{stdout}");
    assert!(
        !stdout.contains("secretsmanager "),
        "the spec replaces the service found in the inputs: {stdout}"
    );

    let (status, _, stderr) = run(&[
        "check",
        "examples/fargate-secrets",
        "--workload",
        "kind=ecs-fargate,subnets=aws_subnet.nope",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("no subnet named `aws_subnet.nope`"),
        "{stderr}"
    );
    let (status, _, stderr) = run(&["check", "examples/fargate-secrets", "--workload", "app"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("is not a workload spec"), "{stderr}");

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("privlink.toml");
    std::fs::write(
        &config,
        "endpoints-only = true\n[[workload]]\nname = \"batch\"\nkind = \"ecs-ec2\"\nsubnets = [\"aws_subnet.private-a\"]\nsecurity-groups = [\"aws_security_group.app\"]\n",
    )
    .expect("write");
    let (status, stdout, _) = run(&[
        "check",
        "examples/fargate-secrets",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("batch (ecs-ec2)"), "{stdout}");
    assert!(
        stdout.contains("ecs-telemetry"),
        "ECS on EC2 needs the agent endpoints: {stdout}"
    );
}

#[test]
fn output_file_is_never_coloured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.txt");
    let status = privlink()
        .args([
            "check",
            "examples/dns-hostnames-off",
            "--output",
            out.to_str().expect("utf-8"),
        ])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs")
        .status;
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(out).expect("written");
    assert!(text.contains("error[vpc-dns-disabled]"));
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn colour_is_forced_on_and_turned_off() {
    let coloured = privlink()
        .args(["check", "examples/dns-hostnames-off"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'),
        "CLICOLOR_FORCE colours a pipe"
    );
    for (flag, env) in [(Some("--no-color"), None), (None, Some(("NO_COLOR", "1")))] {
        let mut cmd = privlink();
        cmd.args(["check", "examples/dns-hostnames-off"])
            .env("CLICOLOR_FORCE", "1");
        if let Some(flag) = flag {
            cmd.arg(flag);
        }
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("runs");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'),
            "{flag:?} {env:?}"
        );
    }
}

#[test]
fn explain_prints_numbered_hops_with_their_source() {
    let (status, stdout, _) = run(&["explain", "examples/fargate-secrets", "--service", "s3"]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("app → s3 from aws_subnet.private-a"),
        "{stdout}"
    );
    assert!(stdout.contains("2. route"), "{stdout}");
    assert!(stdout.contains("prefix list"), "{stdout}");
    assert!(
        stdout.contains("decided by aws_vpc_endpoint.s3 at examples/fargate-secrets/main.tf:"),
        "{stdout}"
    );
    let (status, _, stderr) = run(&["explain", "examples/fargate-secrets", "--workload", "nope"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("no workload named `nope`; workloads: app"),
        "{stderr}"
    );
    let (status, _, stderr) = run(&["explain", "examples/fargate-secrets", "--service", "sqs"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("no flow to `sqs`"), "{stderr}");
}

#[test]
fn rules_and_rule_docs() {
    let (status, stdout, _) = run(&["rules"]);
    assert_eq!(status, 0);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("PL001  missing-interface-endpoint")),
        "{stdout}"
    );
    let (status, stdout, _) = run(&["rule", "s3-gateway-not-on-route-table"]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("# s3-gateway-not-on-route-table (PL003)"));
    let (status, by_code, _) = run(&["rule", "PL003"]);
    assert_eq!((status, by_code), (0, stdout));
    let (status, _, stderr) = run(&["rule", "no-such-rule"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("rules: "), "{stderr}");
}
