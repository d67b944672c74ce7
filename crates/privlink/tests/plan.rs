//! `privlink plan` end to end: seed 001's table, the JSON contract, usage errors, and the reference
//! networks fed back to `privlink check --endpoints-only`, which must find no error and no warning
//! and trace every flow through an endpoint. The Terraform is also checked by `terraform validate`
//! and `terraform fmt -check` where terraform and the provider mirror are installed (the project's
//! machine image), and the CloudFormation by `cfn-lint`, which `scripts/test` installs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde::Deserialize;

const REGION: &str = "ap-northeast-1";
const PLUGIN_DIR: &str = "/opt/tf-plugins";

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

/// A plan the tests write and check.
#[derive(Clone, Copy, Debug)]
struct Case {
    kind: &'static str,
    features: &'static [&'static str],
    image: Option<&'static str>,
    azs: u8,
}

const fn case(kind: &'static str, features: &'static [&'static str]) -> Case {
    Case {
        kind,
        features,
        image: None,
        azs: 2,
    }
}

/// Every kind, bare and with features: seed 001's Fargate task, ECS Exec, EFS, Service Connect,
/// X-Ray and services the application calls; one case names its image, one spans three AZs.
const CASES: &[Case] = &[
    case("ecs-fargate", &[]),
    case("ecs-fargate", &["awslogs", "secretsmanager", "ssm"]),
    case(
        "ecs-fargate",
        &[
            "awslogs",
            "exec",
            "efs",
            "service-connect",
            "xray",
            "service:sqs",
        ],
    ),
    Case {
        image: Some("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1"),
        ..case("ecs-fargate", &["awslogs"])
    },
    case("ecs-ec2", &["awslogs", "secretsmanager"]),
    Case {
        azs: 3,
        ..case("ecs-ec2", &["exec", "efs", "ssm"])
    },
    case("eks-node", &[]),
    case(
        "eks-node",
        &[
            "xray",
            "exec",
            "service:elasticloadbalancing",
            "service:autoscaling",
        ],
    ),
    case("eks-fargate", &[]),
    case("eks-fargate", &["service:sqs"]),
];

impl Case {
    fn args(&self, format: &str) -> Vec<String> {
        let mut args = vec![
            "plan".to_owned(),
            "--kind".to_owned(),
            self.kind.to_owned(),
            "--region".to_owned(),
            REGION.to_owned(),
            "--azs".to_owned(),
            self.azs.to_string(),
            "--format".to_owned(),
            format.to_owned(),
        ];
        for f in self.features {
            args.extend(["--feature".to_owned(), (*f).to_owned()]);
        }
        if let Some(image) = self.image {
            args.extend(["--image".to_owned(), image.to_owned()]);
        }
        args
    }

    fn plan(&self, format: &str) -> String {
        let args = self.args(format);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (status, stdout, stderr) = run(&args);
        assert_eq!(status, 0, "{self:?} {format}: {stderr}");
        stdout
    }

    /// The services the plan serves with an endpoint.
    fn endpoint_services(&self) -> BTreeSet<String> {
        let plan: PlanJson = serde_json::from_str(&self.plan("json")).expect("plan json");
        plan.services
            .into_iter()
            .filter(|s| s.endpoint_type != "none")
            .map(|s| s.service)
            .collect()
    }

    /// A `--workload` spec naming every feature (but EFS, whose file system only the example
    /// workload names) on the app subnets of the written network.
    fn workload_spec(&self, subnets: &[String], security_group: &str) -> String {
        let features: Vec<&str> = self
            .features
            .iter()
            .copied()
            .filter(|f| *f != "efs")
            .collect();
        let mut spec = format!(
            "kind={},subnets={},security-groups={security_group}",
            self.kind,
            subnets.join("+")
        );
        if !features.is_empty() {
            spec.push_str(&format!(",features={}", features.join("+")));
        }
        spec
    }
}

// The JSON of `plan --format json`: the types are the contract (no unknown fields).

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanJson {
    schema_version: u32,
    tool: Tool,
    workload: PlanWorkload,
    azs: u8,
    services: Vec<PlanService>,
    notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanWorkload {
    kind: String,
    platform_version: Option<String>,
    region: String,
    features: Vec<String>,
    images: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanService {
    service: String,
    title: String,
    endpoint_type: String,
    service_name: Option<String>,
    service_region: Option<String>,
    purpose: String,
    why: String,
    predicted_error: String,
    policy: Option<serde_json::Value>,
    pull_through_cache: Option<PullThrough>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PullThrough {
    prefix: String,
    upstream: String,
    image: String,
}

/// Runs `check --endpoints-only` on `path` and asserts what a reference network must give: no
/// error, no warning, one workload of the planned kind, every flow through an endpoint. Returns the
/// services traced.
fn assert_checks_clean(case: &Case, path: &Path, extra: &[&str]) -> BTreeSet<String> {
    let path = path.to_str().expect("utf-8 path");
    let args = [
        &[
            "check",
            "--endpoints-only",
            "--format",
            "json",
            "--region",
            REGION,
        ][..],
        extra,
        &[path][..],
    ]
    .concat();
    let (status, stdout, stderr) = run(&args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{case:?}: {e}: {stdout}{stderr}"));
    let loud: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    assert!(loud.is_empty(), "{case:?} {extra:?}: {loud:#?}");
    assert_eq!(status, 0, "{case:?}: {stderr}");
    let workloads = report["workloads"].as_array().expect("workloads");
    assert_eq!(workloads.len(), 1, "{case:?}: {workloads:#?}");
    assert_eq!(workloads[0]["kind"], case.kind, "{case:?}");
    assert_eq!(workloads[0]["assumed"], false, "{case:?}");
    let flows = report["flows"].as_array().expect("flows");
    assert!(!flows.is_empty(), "{case:?}");
    for flow in flows {
        assert_eq!(flow["verdict"], "endpoint", "{case:?} {extra:?}: {flow:#?}");
    }
    let subnets: BTreeSet<&str> = flows.iter().filter_map(|f| f["subnet"].as_str()).collect();
    assert_eq!(
        subnets.len(),
        usize::from(case.azs),
        "{case:?}: {subnets:?}"
    );
    flows
        .iter()
        .filter_map(|f| f["service"].as_str().map(str::to_owned))
        .collect()
}

/// Writes `text` as `file` in a new temporary directory.
fn written(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(file), text).expect("write");
    dir
}

#[test]
fn the_table_is_seed_001s() {
    let (status, stdout, stderr) = run(&[
        "plan",
        "--kind",
        "ecs-fargate",
        "--feature",
        "awslogs",
        "--feature",
        "ssm,secretsmanager",
        "--region",
        REGION,
    ]);
    assert_eq!(status, 0, "{stderr}");
    for line in stdout.lines() {
        assert!(line.chars().count() <= 100, "{line}");
    }
    insta::assert_snapshot!("table_seed-001", stdout);
    let (_, legacy, _) = run(&[
        "plan",
        "--kind",
        "ecs-fargate",
        "--platform-version",
        "1.3.0",
        "--feature",
        "awslogs,ssm,secretsmanager",
        "--region",
        REGION,
    ]);
    assert!(
        !legacy.contains("ecr.api"),
        "1.3.0 needs no ecr.api: {legacy}"
    );
    assert!(
        legacy.contains("ecr.dkr") && legacy.contains("retired"),
        "{legacy}"
    );
}

#[test]
fn an_image_outside_aws_needs_a_pull_through_cache_not_an_endpoint() {
    let (status, stdout, _) = run(&[
        "plan",
        "--kind",
        "ecs-fargate",
        "--image",
        "nginx:1.27",
        "--region",
        REGION,
    ]);
    assert_eq!(status, 0);
    assert!(stdout.contains("registry-1.docker.io  none"), "{stdout}");
    assert!(
        stdout.contains("ECR pull-through cache rule")
            && stdout.contains("ACCOUNT.dkr.ecr.ap-northeast-1.amazonaws.com/docker-hub/library/"),
        "{stdout}"
    );
    assert!(stdout.contains("No VPC endpoint serves"), "{stdout}");
    let (status, _, stderr) = run(&[
        "plan",
        "--kind",
        "ecs-fargate",
        "--image",
        "nginx:1.27",
        "--region",
        REGION,
        "--format",
        "terraform",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("pull-through cache rule (prefix docker-hub"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_say_what_to_do() {
    for (args, expected) in [
        (
            &[
                "plan",
                "--kind",
                "eks-node",
                "--platform-version",
                "1.4.0",
                "--region",
                REGION,
            ][..],
            "--platform-version",
        ),
        (
            &["plan", "--kind", "ecs-fargate", "--region", "tokyo"][..],
            "not an AWS region",
        ),
        (
            &["plan", "--kind", "fargate", "--region", REGION][..],
            "ecs-fargate",
        ),
        (
            &[
                "plan",
                "--kind",
                "ecs-fargate",
                "--feature",
                "logs",
                "--region",
                REGION,
            ][..],
            "awslogs",
        ),
        (
            &[
                "plan",
                "--kind",
                "eks-node",
                "--azs",
                "1",
                "--region",
                REGION,
                "--format",
                "terraform",
            ][..],
            "at least two AZs",
        ),
        (
            &[
                "plan",
                "--kind",
                "ecs-fargate",
                "--azs",
                "7",
                "--region",
                REGION,
            ][..],
            "--azs",
        ),
        (
            &[
                "plan",
                "--kind",
                "ecs-fargate",
                "--image",
                "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1",
                "--region",
                REGION,
                "--format",
                "cloudformation",
            ][..],
            "replicate the repository into ap-northeast-1",
        ),
    ] {
        let (status, _, stderr) = run(args);
        assert_eq!(status, 2, "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn the_json_is_the_tables_data() {
    let fargate = Case {
        image: Some("public.ecr.aws/nginx/nginx:1"),
        ..case("ecs-fargate", &["awslogs", "service:sqs"])
    };
    let plan: PlanJson = serde_json::from_str(&fargate.plan("json")).expect("plan json");
    assert_eq!(plan.schema_version, 1);
    assert_eq!(
        (plan.tool.name.as_str(), plan.tool.version.is_empty()),
        ("privlink", false)
    );
    let w = &plan.workload;
    assert_eq!(
        (
            w.kind.as_str(),
            w.platform_version.as_deref(),
            w.region.as_str()
        ),
        ("ecs-fargate", None, REGION)
    );
    assert_eq!(w.features, ["awslogs", "service:sqs"]);
    assert_eq!(w.images, ["public.ecr.aws/nginx/nginx:1"]);
    assert_eq!(plan.azs, 2);
    let services: Vec<(&str, &str)> = plan
        .services
        .iter()
        .map(|s| (s.service.as_str(), s.endpoint_type.as_str()))
        .collect();
    // The image is outside ECR, so no ECR endpoint serves it: the cache is the way.
    assert_eq!(
        services,
        [
            ("logs", "interface"),
            ("public.ecr.aws", "none"),
            ("sqs", "interface")
        ]
    );
    for s in &plan.services {
        assert!(!s.title.is_empty() && !s.purpose.is_empty(), "{s:?}");
        assert!(s.why.starts_with(&s.purpose), "{s:?}");
        assert!(!s.predicted_error.is_empty(), "{s:?}");
        assert_eq!(s.service_region, None);
        assert_eq!(s.service_name.is_some(), s.endpoint_type != "none");
    }
    let logs = &plan.services[0];
    assert_eq!(
        logs.service_name.as_deref(),
        Some("com.amazonaws.ap-northeast-1.logs")
    );
    assert_eq!(
        logs.policy.as_ref().expect("a policy")["Statement"][0]["Action"],
        serde_json::json!(["logs:CreateLogStream", "logs:PutLogEvents"])
    );
    let cache = plan.services[1]
        .pull_through_cache
        .as_ref()
        .expect("a cache rule");
    assert_eq!(
        (
            cache.prefix.as_str(),
            cache.upstream.as_str(),
            cache.image.as_str()
        ),
        (
            "ecr-public",
            "public.ecr.aws",
            "ACCOUNT.dkr.ecr.ap-northeast-1.amazonaws.com/ecr-public/nginx/nginx:1"
        )
    );
    assert!(
        plan.services[2].policy.is_none(),
        "sqs keeps the default policy"
    );
    assert!(
        plan.notes.iter().any(|n| n.contains("sqs")),
        "{:?}",
        plan.notes
    );

    let s3: PlanJson =
        serde_json::from_str(&case("eks-node", &[]).plan("json")).expect("plan json");
    let s3 = s3.services.iter().find(|s| s.service == "s3").expect("s3");
    assert_eq!(s3.endpoint_type, "gateway");
    assert_eq!(
        s3.policy.as_ref().expect("a policy")["Statement"][0]["Resource"],
        "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*"
    );
}

#[test]
fn the_reference_terraform_checks_clean() {
    for case in CASES {
        let dir = written("main.tf", &case.plan("terraform"));
        let planned = case.endpoint_services();
        let traced = assert_checks_clean(case, dir.path(), &[]);
        assert!(
            traced.is_subset(&planned.iter().cloned().chain(["efs".to_owned()]).collect()),
            "{case:?}: traced {traced:?}, planned {planned:?}"
        );
        // Every planned endpoint, with every feature, as a workload on the app subnets.
        let subnets: Vec<String> = (0..case.azs)
            .map(|i| format!("aws_subnet.app[{i}]"))
            .collect();
        let group = if case.kind.starts_with("ecs") {
            "aws_security_group.app"
        } else {
            "aws_eks_cluster.main#cluster-security-group"
        };
        let spec = case.workload_spec(&subnets, group);
        let traced = assert_checks_clean(case, dir.path(), &["--workload", &spec]);
        assert_eq!(traced, planned, "{case:?}");
    }
}

#[test]
fn the_reference_cloudformation_checks_clean() {
    for case in CASES {
        let dir = written("template.yaml", &case.plan("cloudformation"));
        let template = dir.path().join("template.yaml");
        let planned = case.endpoint_services();
        let traced = assert_checks_clean(case, &template, &[]);
        assert!(
            traced.is_subset(&planned.iter().cloned().chain(["efs".to_owned()]).collect()),
            "{case:?}: traced {traced:?}, planned {planned:?}"
        );
        let subnets: Vec<String> = (1..=case.azs).map(|i| format!("AppSubnet{i}")).collect();
        let group = if case.kind.starts_with("ecs") {
            "AppSecurityGroup"
        } else {
            "EksCluster#cluster-security-group"
        };
        let spec = case.workload_spec(&subnets, group);
        let traced = assert_checks_clean(case, &template, &["--workload", &spec]);
        assert_eq!(traced, planned, "{case:?}");
    }
}

#[test]
fn the_reference_networks_are_stable() {
    let seed_001 = case("ecs-fargate", &["awslogs", "secretsmanager", "ssm"]);
    insta::assert_snapshot!("terraform_seed-001", seed_001.plan("terraform"));
    insta::assert_snapshot!("cloudformation_seed-001", seed_001.plan("cloudformation"));
    let eks = case("eks-node", &[]);
    insta::assert_snapshot!("terraform_eks-node", eks.plan("terraform"));
    insta::assert_snapshot!("cloudformation_eks-node", eks.plan("cloudformation"));
}

#[test]
fn cfn_lint_finds_nothing_in_the_reference_templates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let path = dir.path().join(format!("{i}-{}.yaml", case.kind));
        std::fs::write(&path, case.plan("cloudformation")).expect("write");
        paths.push(path);
    }
    let out = Process::new("cfn-lint")
        .args(&paths)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run cfn-lint ({e}): run scripts/test, which installs it into .venv and puts .venv/bin on PATH")
        });
    assert!(
        out.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn terraform_validates_and_formats_the_reference_configurations() {
    let have_terraform = Process::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_terraform || !Path::new(PLUGIN_DIR).is_dir() {
        eprintln!("terraform or {PLUGIN_DIR} is not on this machine: nothing to validate");
        return;
    }
    // One validation covers every case: each is a module of one root configuration, which
    // `terraform validate` checks as it would the file alone (a provider starts once, not ten times).
    let dir = tempfile::tempdir().expect("tempdir");
    let mut root_module = String::new();
    for (i, case) in CASES.iter().enumerate() {
        let module = dir.path().join(format!("case{i}"));
        std::fs::create_dir(&module).expect("mkdir");
        std::fs::write(module.join("main.tf"), case.plan("terraform")).expect("write");
        root_module.push_str(&format!(
            "module \"case{i}\" {{\n  source = \"./case{i}\"\n}}\n\n"
        ));
    }
    std::fs::write(
        dir.path().join("main.tf"),
        root_module.trim_end().to_owned() + "\n",
    )
    .expect("write");
    let terraform = |args: &[&str]| {
        Process::new("terraform")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("terraform runs")
    };
    let init = terraform(&[
        "init",
        "-backend=false",
        "-input=false",
        "-no-color",
        &format!("-plugin-dir={PLUGIN_DIR}"),
    ]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let fmt = terraform(&["fmt", "-check", "-recursive", "-diff", "-no-color"]);
    assert!(
        fmt.status.success(),
        "terraform fmt would change (case N is CASES[N]):\n{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
    let validate = terraform(&["validate", "-json", "-no-color"]);
    let report: serde_json::Value =
        serde_json::from_slice(&validate.stdout).expect("validate -json");
    assert_eq!(report["valid"], true, "case N is CASES[N]: {report:#}");
    assert_eq!(report["warning_count"], 0, "case N is CASES[N]: {report:#}");
}
