//! Plan JSON, state JSON and ECS task definitions on the command line: reports from a plan, a plan
//! with its configuration directory, task definitions, and what an unreadable file does to a run.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

const FIXTURES: &str = "crates/privlink_ingest/tests/fixtures";

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
fn a_plan_alone_is_checked_and_findings_name_the_resource() {
    let plan = format!("{FIXTURES}/plans/equivalence.plan.json");
    let (status, stdout, _) = run(&["check", &plan]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("app (ecs-fargate 1.4.0) in aws_vpc.main (ap-northeast-1)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"ecr.api         endpoint  via aws_vpc_endpoint.interface["ecr.api"]"#),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[missing-interface-endpoint]"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("-->"),
        "plan JSON has no source lines: {stdout}"
    );
    let (_, json, _) = run(&["check", "--format", "json", &plan]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["inputs"][0]["format"], "terraform-plan");
    let finding = &report["findings"][0];
    assert_eq!(finding["resource"], "aws_vpc.main");
    assert_eq!(finding["service"], "logs");
    assert!(finding["location"].is_null());
}

#[test]
fn a_state_is_the_deployed_network() {
    let (status, stdout, _) = run(&[
        "check",
        "--format",
        "json",
        &format!("{FIXTURES}/plans/brownfield.state.json"),
    ]);
    assert_eq!(status, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["inputs"][0]["format"], "terraform-state");
    let logs = report["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["service"] == "logs")
        .expect("logs flow");
    assert_eq!(
        logs["via"], "aws_vpc_endpoint.old_logs",
        "deployed, and deleted only by the plan"
    );
}

#[test]
fn unreadable_plans_are_exit_2_with_their_path_and_the_others_are_still_analysed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = std::fs::read_to_string(root().join(FIXTURES).join("plans/equivalence.plan.json"))
        .expect("fixture");
    let truncated = dir.path().join("truncated.plan.json");
    std::fs::write(&truncated, &plan[..plan.len() * 2 / 3]).expect("write");
    let not_a_plan = dir.path().join("settings.json");
    std::fs::write(&not_a_plan, "{\n  \"editor.tabSize\": 2\n}\n").expect("write");
    let future = dir.path().join("future.plan.json");
    std::fs::write(
        &future,
        plan.replacen(r#""format_version":"1.2""#, r#""format_version":"3.0""#, 1),
    )
    .expect("write");
    let paths = [truncated, not_a_plan, future].map(|p| p.to_str().expect("utf-8").to_owned());
    let good = format!("{FIXTURES}/plans/fargate-secrets.plan.json");
    let (status, stdout, _) = run(&["check", &paths[0], &paths[1], &paths[2], &good]);
    assert_eq!(status, 2, "{stdout}");
    assert!(
        stdout.contains(&format!("{}:1:", paths[0])),
        "path and position of the truncation: {stdout}"
    );
    assert!(stdout.contains("the JSON ends early"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{}: a JSON file that is not a Terraform plan or state",
            paths[1]
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{}: format_version `3.0` is not one privlink reads",
            paths[2]
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("app (ecs-fargate) in aws_vpc.main (ap-northeast-1)"),
        "the good plan is analysed: {stdout}"
    );

    let (status, json, _) = run(&["check", "--format", "json", &paths[0], &good]);
    assert_eq!(status, 2);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["inputs"][0]["status"], "error");
    assert_eq!(
        report["inputs"][0]["diagnostics"][0]["path"],
        paths[0].as_str()
    );
    assert_eq!(report["inputs"][1]["status"], "ok");
    assert!(!report["flows"].as_array().unwrap().is_empty());
}

#[test]
fn task_definitions_from_files_beside_the_plan_and_from_workload_specs() {
    let (status, stdout, _) = run(&[
        "check",
        &format!("{FIXTURES}/task-definitions/service.plan.json"),
    ]);
    assert_eq!(status, 1);
    assert!(
        stdout.contains("secretsmanager  blocked"),
        "app.json's Secrets Manager secret: {stdout}"
    );
    assert!(
        stdout.contains("ssm      blocked"),
        "worker.json's SSM parameter: {stdout}"
    );

    let spec = format!(
        "kind=ecs-fargate,name=api,subnets=aws_subnet.app,security-groups=aws_security_group.endpoints,task-definition={FIXTURES}/task-definitions/app.json"
    );
    let (status, stdout, _) = run(&[
        "check",
        &format!("{FIXTURES}/plans/brownfield.plan.json"),
        "--workload",
        &spec,
    ]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("api (ecs-fargate)"), "{stdout}");
    assert!(
        stdout.contains("secretsmanager"),
        "features from the task definition: {stdout}"
    );
    assert!(stdout.contains("logs "), "{stdout}");

    let (status, _, stderr) = run(&[
        "check",
        &format!("{FIXTURES}/plans/brownfield.plan.json"),
        "--workload",
        "kind=ecs-fargate,subnets=aws_subnet.app,task-definition=nope.json",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("nope.json: cannot read the task definition"),
        "{stderr}"
    );
}

#[test]
fn a_plan_with_its_directory_points_at_the_hcl() {
    let plan = format!("{FIXTURES}/plans/fargate-secrets.plan.json");
    let (status, alone, _) = run(&["check", &plan]);
    assert_eq!(status, 0);
    assert!(
        alone.contains(
            "info[unresolved-input]: the container definitions of aws_ecs_task_definition.app"
        ),
        "{alone}"
    );
    let (status, paired, _) = run(&["check", &plan, "examples/fargate-secrets"]);
    assert_eq!(status, 0, "{paired}");
    assert!(
        !paired.contains("unresolved-input"),
        "the directory says what the plan could not: {paired}"
    );
    assert!(
        paired.contains("logs            endpoint  via aws_vpc_endpoint.logs"),
        "{paired}"
    );
    let (_, hcl, _) = run(&["check", "examples/fargate-secrets"]);
    assert_eq!(paired, hcl, "the same report as the configuration alone");

    let (status, json, _) = run(&[
        "check",
        "--format",
        "json",
        &format!("{FIXTURES}/plans/equivalence.plan.json"),
        &format!("{FIXTURES}/equivalence/hcl"),
    ]);
    assert_eq!(status, 1);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["inputs"][0]["format"], "terraform-plan");
    assert_eq!(report["inputs"][1]["format"], "terraform-hcl");
    let location = &report["findings"][0]["location"];
    assert_eq!(
        location["path"],
        format!("{FIXTURES}/equivalence/hcl/main.tf")
    );
    assert_eq!(location["line"], 24, "aws_vpc.main");
}
