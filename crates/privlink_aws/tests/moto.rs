//! `aws scan` and `aws apply` against a real AWS API emulator (moto server on 127.0.0.1): the
//! examples' networks are created through the SDK, scanned, analysed, fixed and scanned again.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use privlink_analysis::finding::Finding;
use privlink_analysis::{Options, analyze};
use privlink_aws::apply::{self, ApplyOptions, StepOutcome};
use privlink_aws::{NoProgress, ScanOptions, ScanOutcome, scan};
use privlink_ingest::snapshot::{self, Snapshot};
use privlink_model::{FixIntent, Model};
use serde_json::Value;

use support::moto::Moto;
use support::networks::{self, Variant};

const REGION: &str = "ap-northeast-1";

fn setup(moto: &Moto, build: impl Future<Output = ()>) {
    let _ = moto;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(build);
}

fn scan_of(moto: &Moto) -> ScanOutcome {
    let options = ScanOptions {
        sdk: Some(networks::sdk_config(moto, REGION)),
        concurrency: 2,
        ..ScanOptions::default()
    };
    scan(&options, Arc::new(NoProgress)).expect("the scan runs")
}

fn analyse(snapshot: &Snapshot) -> (Model, Vec<Finding>) {
    let text = snapshot::to_text(snapshot);
    let model = snapshot::lower(snapshot, &text, "scan.json");
    let findings = analyze(&model, &Options::default()).findings;
    (model, findings)
}

/// What must match between two analyses of one network (ids differ between sources).
fn summary(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.rule,
                f.severity,
                f.service.as_deref().unwrap_or("-"),
                f.workload.as_deref().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

/// The findings of an example's Terraform directory, summarised as [`summary`] does.
fn terraform_findings(example: &str) -> Vec<String> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(example);
    let loaded = privlink_ingest::load(&[dir], &privlink_ingest::LoadOptions::default());
    assert!(
        loaded
            .inputs
            .iter()
            .all(privlink_ingest::InputReport::is_ok),
        "{:?}",
        loaded.inputs
    );
    assert!(
        !loaded.model.workloads.is_empty(),
        "the Terraform of {example} defines its workload"
    );
    summary(&analyze(&loaded.model, &Options::default()).findings)
}

/// The findings of an example's Terraform after `edit` changes its `main.tf` (a broken variant).
fn terraform_variant_findings(example: &str, edit: impl Fn(String) -> String) -> Vec<String> {
    let from = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(example);
    let dir = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(&from).expect("the example") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).expect("a .tf file");
            let name = path.file_name().expect("a file name");
            let text = if name == "main.tf" { edit(text) } else { text };
            std::fs::write(dir.path().join(name), text).expect("written");
        }
    }
    let loaded = privlink_ingest::load(
        &[dir.path().to_path_buf()],
        &privlink_ingest::LoadOptions::default(),
    );
    assert!(
        loaded
            .inputs
            .iter()
            .all(privlink_ingest::InputReport::is_ok),
        "{:?}",
        loaded.inputs
    );
    summary(&analyze(&loaded.model, &Options::default()).findings)
}

/// `text` without the block that starts with `header` (up to its closing brace at the line start).
fn without_block(text: &str, header: &str) -> String {
    let start = text.find(header).expect("the block");
    let end = start + text[start..].find("\n}\n").expect("its end") + 3;
    format!("{}{}", &text[..start], &text[end..])
}

fn fixes(findings: &[Finding]) -> Vec<Vec<FixIntent>> {
    findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .map(|f| f.intents.clone())
        .filter(|i| !i.is_empty())
        .collect()
}

fn apply_fixes(moto: &Moto, dry_run: bool) -> (apply::Plan, apply::ApplyReport) {
    let scanned = scan_of(moto);
    let (model, findings) = analyse(&scanned.snapshot);
    let plan = apply::plan(&model, &scanned.snapshot, &fixes(&findings));
    let options = ApplyOptions {
        dry_run,
        sdk: Some(networks::sdk_config(moto, REGION)),
        ..ApplyOptions::default()
    };
    let report = apply::execute(&plan, &options).expect("the runtime starts");
    (plan, report)
}

fn endpoint_count(snapshot: &Snapshot) -> usize {
    snapshot.regions.iter().map(|r| r.vpc_endpoints.len()).sum()
}

#[test]
fn seed_001_scanned_live_gives_the_findings_of_its_terraform() {
    let moto = Moto::start();
    setup(
        &moto,
        networks::seed_001(&networks::sdk_config(&moto, REGION), &Variant::default()),
    );
    let scanned = scan_of(&moto);
    assert!(scanned.warnings.is_empty(), "{:?}", scanned.warnings);
    let (model, findings) = analyse(&scanned.snapshot);
    let app = model
        .workloads
        .iter()
        .find(|w| w.name == "app")
        .expect("the ECS service is a workload");
    let features: Vec<String> = app.features.iter().map(ToString::to_string).collect();
    assert_eq!(features, ["awslogs", "secretsmanager", "ssm"]);
    assert_eq!(model.endpoints.len(), 6);
    // examples/fargate-secrets is clean: every flow through an endpoint.
    assert_eq!(
        summary(&findings),
        terraform_findings("fargate-secrets"),
        "{findings:#?}"
    );
    assert_eq!(summary(&findings), Vec::<String>::new());
    let flows = analyze(&model, &Options::default()).flows;
    assert_eq!(flows.len(), 6);
    assert!(
        flows
            .iter()
            .all(|f| f.verdict == privlink_analysis::reach::Verdict::Endpoint),
        "{flows:#?}"
    );
}

#[test]
fn seed_000_corrected_scanned_live_gives_the_findings_of_its_terraform() {
    let moto = Moto::start();
    setup(
        &moto,
        networks::seed_000(&networks::sdk_config(&moto, REGION), &Variant::default()),
    );
    let (model, findings) = analyse(&scan_of(&moto).snapshot);
    assert_eq!(model.workloads.len(), 1);
    assert_eq!(model.workloads[0].subnets.known.len(), 4);
    assert_eq!(
        summary(&findings),
        terraform_findings("dedicated-endpoint-subnets"),
        "{findings:#?}"
    );
    assert_eq!(summary(&findings), Vec::<String>::new());
}

#[test]
fn broken_seed_000_is_found_and_fixed_by_apply_once() {
    let moto = Moto::start();
    let variant = Variant {
        dns_hostnames_off: true,
        without: vec!["logs"],
        without_s3_gateway: true,
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_000(&networks::sdk_config(&moto, REGION), &variant),
    );
    let before = scan_of(&moto);
    let (_, findings) = analyse(&before.snapshot);
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    for rule in [
        "vpc-dns-disabled",
        "missing-interface-endpoint",
        "missing-s3-gateway-endpoint",
    ] {
        assert!(rules.contains(&rule), "{rule} expected in {findings:#?}");
    }
    // The findings name AWS ids.
    assert!(
        findings.iter().all(
            |f| f.resource.as_deref().is_some_and(|r| r.starts_with("vpc-")
                || r.starts_with("rtb-")
                || r.starts_with("vpce-"))
        ),
        "{findings:#?}"
    );

    let (plan, report) = apply_fixes(&moto, false);
    assert!(report.failed.is_none(), "{report:#?}");
    assert_eq!(report.done.len(), plan.steps.len());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("drops their open connections to S3")),
        "{plan:#?}"
    );
    let after = scan_of(&moto);
    let (_, findings) = analyse(&after.snapshot);
    assert_eq!(summary(&findings), Vec::<String>::new(), "{findings:#?}");
    let created: Vec<_> = after
        .snapshot
        .regions
        .iter()
        .flat_map(|r| &r.vpc_endpoints)
        .filter(|e| e.tags.iter().any(|t| t.key == apply::MANAGED_TAG))
        .collect();
    assert_eq!(
        created.len(),
        2,
        "the logs interface endpoint and the S3 gateway endpoint: {created:#?}"
    );
    let logs = created
        .iter()
        .find(|e| e.service_name.ends_with(".logs"))
        .expect("a logs endpoint");
    assert!(logs.private_dns_enabled);
    assert_eq!(logs.subnet_ids.len(), 2, "one subnet per AZ");

    // Running apply again creates nothing.
    let (plan, report) = apply_fixes(&moto, false);
    assert!(plan.steps.is_empty(), "{plan:#?}");
    assert!(report.done.is_empty());
    assert_eq!(
        endpoint_count(&scan_of(&moto).snapshot),
        endpoint_count(&after.snapshot)
    );
}

#[test]
fn an_endpoint_left_with_the_default_group_gets_a_group_of_its_own() {
    let moto = Moto::start();
    let variant = Variant {
        default_group: vec!["ecr.api"],
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_000(&networks::sdk_config(&moto, REGION), &variant),
    );
    let (_, findings) = analyse(&scan_of(&moto).snapshot);
    assert_eq!(
        summary(&findings),
        ["endpoint-sg-blocks-https error ecr.api app"],
        "{findings:#?}"
    );
    let (plan, report) = apply_fixes(&moto, false);
    assert!(report.failed.is_none(), "{report:#?}");
    assert!(
        matches!(
            plan.steps[0].action,
            apply::Action::CreateEndpointSecurityGroup { .. }
        ),
        "{plan:#?}"
    );
    let after = scan_of(&moto);
    assert_eq!(summary(&analyse(&after.snapshot).1), Vec::<String>::new());
    let group = after.snapshot.regions[0]
        .security_groups
        .iter()
        .find(|g| g.group_name == apply::ENDPOINT_GROUP_NAME)
        .expect("the new group");
    assert!(
        group
            .tags
            .iter()
            .any(|t| t.key == apply::MANAGED_TAG && t.value == "true"),
        "{group:#?}"
    );
}

/// The recorded requests, in order.
fn recorded(moto: &Moto) -> Vec<Value> {
    let text = std::fs::read_to_string(moto.recording_path()).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("a recorded request"))
        .collect()
}

/// A recorded request's body, decoded.
fn body_of(entry: &Value) -> String {
    let body = entry["body"].as_str().unwrap_or_default();
    if entry["body_encoded"].as_bool() == Some(true) {
        String::from_utf8_lossy(&BASE64.decode(body).unwrap_or_default()).into_owned()
    } else {
        body.to_owned()
    }
}

/// The bodies of the recorded requests.
fn recorded_bodies(moto: &Moto) -> Vec<String> {
    recorded(moto).iter().map(body_of).collect()
}

/// The EC2 action, ECS target or EKS method of each recorded request.
fn recorded_calls(moto: &Moto) -> Vec<String> {
    recorded(moto)
        .into_iter()
        .map(|entry| {
            let header = |name: &str| {
                entry["headers"]
                    .as_object()
                    .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_owned)
            };
            if let Some(target) = header("X-Amz-Target") {
                return target.rsplit('.').next().unwrap_or_default().to_owned();
            }
            let body = body_of(&entry);
            match body.split('&').find_map(|p| p.strip_prefix("Action=")) {
                Some(action) => action.to_owned(),
                None => format!(
                    "{} {}",
                    entry["method"].as_str().unwrap_or_default(),
                    entry["url"].as_str().unwrap_or_default()
                ),
            }
        })
        .collect()
}

#[test]
fn scan_makes_only_read_calls() {
    let moto = Moto::start();
    setup(
        &moto,
        networks::seed_001(&networks::sdk_config(&moto, REGION), &Variant::default()),
    );
    moto.post("/moto-api/recorder/start-recording");
    let scanned = scan_of(&moto);
    moto.post("/moto-api/recorder/stop-recording");
    assert!(!scanned.snapshot.regions[0].ecs_services.is_empty());
    let calls = recorded_calls(&moto);
    assert!(
        calls.iter().any(|c| c == "DescribeVpcEndpoints"),
        "{calls:?}"
    );
    assert!(
        calls.iter().any(|c| c == "DescribeTaskDefinition"),
        "{calls:?}"
    );
    let read_only = |c: &String| {
        c.starts_with("Describe")
            || c.starts_with("List")
            || c.starts_with("Get")
            || c.starts_with("GET ")
    };
    let writes: Vec<&String> = calls.iter().filter(|c| !read_only(c)).collect();
    assert!(writes.is_empty(), "scan made mutating calls: {writes:?}");
}

#[test]
fn seed_003_scanned_live_reads_the_node_group_security_groups_from_its_launch_template() {
    let moto = Moto::start();
    setup(
        &moto,
        networks::seed_003(&networks::sdk_config(&moto, REGION)),
    );
    let scanned = scan_of(&moto);
    assert!(scanned.warnings.is_empty(), "{:?}", scanned.warnings);
    let (model, findings) = analyse(&scanned.snapshot);
    let node = model
        .workloads
        .iter()
        .find(|w| w.name == "sample")
        .expect("the node group is a workload");
    assert_eq!(node.kind, privlink_model::WorkloadKind::EksNode);
    let sample_node = &scanned.snapshot.regions[0]
        .security_groups
        .iter()
        .find(|g| g.group_name == "sample-node")
        .expect("the node group")
        .group_id;
    assert_eq!(
        node.security_groups.known,
        [privlink_model::ResourceId::new(sample_node)]
    );
    // examples/eks-privatelink: the nodes pull and join through the endpoints alone.
    assert_eq!(
        summary(&findings),
        terraform_findings("eks-privatelink"),
        "{findings:#?}"
    );
    assert_eq!(summary(&findings), Vec::<String>::new());
}

/// moto honours EC2's `DryRun` on security-group calls (not on `CreateVpcEndpoint`), so the dry run
/// is shown on a plan of security-group rules: AWS answers `DryRunOperation` and nothing changes.
#[test]
fn a_dry_run_changes_nothing() {
    let moto = Moto::start();
    // The app group's egress admits only the endpoint group, but ecr.api has the VPC default group.
    let variant = Variant {
        default_group: vec!["ecr.api"],
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_001(&networks::sdk_config(&moto, REGION), &variant),
    );
    let before = scan_of(&moto);
    let (_, findings) = analyse(&before.snapshot);
    assert_eq!(
        summary(&findings),
        ["workload-sg-blocks-https error ecr.api app"],
        "{findings:#?}"
    );
    let (plan, report) = apply_fixes(&moto, true);
    assert!(
        matches!(
            plan.steps[..],
            [apply::Step {
                action: apply::Action::AllowHttpsEgress { .. },
                ..
            }]
        ),
        "{plan:#?}"
    );
    assert!(report.failed.is_none(), "{report:#?}");
    assert_eq!(report.done[0].1, StepOutcome::WouldSucceed);
    let after = scan_of(&moto);
    assert_eq!(
        after.snapshot.regions[0].security_groups,
        before.snapshot.regions[0].security_groups
    );
}

/// Creates, through boto3 (moto's own dependency) while moto still lets calls through without
/// authentication, a user whose policy allows everything but `ec2:DescribeNatGateways`; returns its keys.
fn user_denied_nat_gateways(moto: &Moto) -> (String, String) {
    let script = r#"
import boto3, json, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam.create_user(UserName="scanner")
iam.put_user_policy(UserName="scanner", PolicyName="scan", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": "ec2:DescribeNatGateways", "Resource": "*"}]}))
key = iam.create_access_key(UserName="scanner")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
"#;
    let out = std::process::Command::new(support::moto::python())
        .args(["-c", script, &moto.url()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (id, secret) = text.trim().split_once(' ').expect("an access key");
    (id.to_owned(), secret.to_owned())
}

#[test]
fn a_denied_call_is_named_with_its_permission_and_the_rest_is_scanned() {
    // The three IAM calls above are the only ones moto lets through unauthenticated.
    let moto = Moto::start_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
    let (id, secret) = user_denied_nat_gateways(&moto);
    let credentials = aws_sdk_ec2::config::Credentials::new(id, secret, None, None, "moto-iam");
    let config = networks::sdk_config(&moto, REGION)
        .to_builder()
        .credentials_provider(aws_sdk_ec2::config::SharedCredentialsProvider::new(
            credentials,
        ))
        .build();
    setup(&moto, networks::seed_001(&config, &Variant::default()));
    let options = ScanOptions {
        sdk: Some(config),
        concurrency: 1,
        ..ScanOptions::default()
    };
    let scanned = scan(&options, Arc::new(NoProgress)).expect("the scan runs");
    let nat = scanned
        .warnings
        .iter()
        .find(|w| w.call == "ec2:DescribeNatGateways")
        .expect("the denied call is reported");
    assert_eq!(nat.kind, privlink_aws::CallErrorKind::AccessDenied);
    assert!(
        nat.help().contains("grant ec2:DescribeNatGateways"),
        "{}",
        nat.help()
    );
    // moto's signature check rejects the EKS REST calls once IAM is enforced (SignatureDoesNotMatch),
    // which the scan records the same way; nothing else fails.
    let others: Vec<&str> = scanned
        .warnings
        .iter()
        .map(|w| w.call.as_str())
        .filter(|c| *c != "ec2:DescribeNatGateways")
        .collect();
    assert!(
        others.iter().all(|c| c.starts_with("eks:")),
        "{:?}",
        scanned.warnings
    );
    let region = &scanned.snapshot.regions[0];
    let recorded = region
        .errors
        .iter()
        .find(|e| e.call == "ec2:DescribeNatGateways")
        .expect("recorded in the snapshot");
    assert_eq!(
        (recorded.permission.as_str(), recorded.collection.as_str()),
        ("ec2:DescribeNatGateways", "nat_gateways")
    );
    // Everything else was read, and the analysis says what is missing.
    assert_eq!(region.vpc_endpoints.len(), 6);
    assert_eq!(region.ecs_services.len(), 1);
    let (model, findings) = analyse(&scanned.snapshot);
    assert!(
        findings.iter().all(|f| f.rule == "unresolved-input"),
        "{findings:#?}"
    );
    assert!(
        model
            .diagnostics
            .iter()
            .any(|d| d.message.contains("ec2:DescribeNatGateways"))
    );
}

#[test]
fn a_broken_seed_001_gives_the_same_findings_live_and_as_terraform() {
    let moto = Moto::start();
    let variant = Variant {
        dns_hostnames_off: true,
        without: vec!["ssm"],
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_001(&networks::sdk_config(&moto, REGION), &variant),
    );
    let (_, findings) = analyse(&scan_of(&moto).snapshot);
    let terraform = terraform_variant_findings("fargate-secrets", |main| {
        without_block(&main, "resource \"aws_vpc_endpoint\" \"ssm\"").replace(
            "enable_dns_hostnames = true",
            "enable_dns_hostnames = false",
        )
    });
    assert!(!terraform.is_empty());
    assert_eq!(summary(&findings), terraform, "{findings:#?}");
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert!(
        rules.contains(&"vpc-dns-disabled") && rules.contains(&"missing-interface-endpoint"),
        "{rules:?}"
    );
}

#[test]
fn apply_stops_at_the_first_failure_and_a_second_run_finishes_the_job() {
    let moto = Moto::start();
    let variant = Variant {
        without: vec!["logs"],
        without_s3_gateway: true,
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_000(&networks::sdk_config(&moto, REGION), &variant),
    );
    let scanned = scan_of(&moto);
    let (model, findings) = analyse(&scanned.snapshot);
    let mut plan = apply::plan(&model, &scanned.snapshot, &fixes(&findings));
    assert_eq!(plan.steps.len(), 2, "{plan:#?}");
    // A step AWS refuses, between the two.
    let failing = apply::Step {
        region: REGION.to_owned(),
        action: apply::Action::AllowHttpsEgress {
            group: "sg-0000000000000dead".to_owned(),
            peer: apply::RulePeer::Cidr("10.0.0.0/16".to_owned()),
        },
    };
    plan.steps.insert(1, failing);
    let options = ApplyOptions {
        sdk: Some(networks::sdk_config(&moto, REGION)),
        ..ApplyOptions::default()
    };
    let report = apply::execute(&plan, &options).expect("the runtime starts");
    assert_eq!(report.done.len(), 1, "{report:#?}");
    let (step, error) = report.failed.as_ref().expect("the refused step");
    assert_eq!(step.action.call(), "ec2:AuthorizeSecurityGroupEgress");
    assert_eq!(error.call, "ec2:AuthorizeSecurityGroupEgress");
    assert_eq!(report.not_done.len(), 1);
    // Only what was done is done.
    let (_, findings) = analyse(&scan_of(&moto).snapshot);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    // A second run plans only what is left, and finishes.
    let (plan, report) = apply_fixes(&moto, false);
    assert_eq!(plan.steps.len(), 1, "{plan:#?}");
    assert!(report.failed.is_none(), "{report:#?}");
    assert_eq!(
        summary(&analyse(&scan_of(&moto).snapshot).1),
        Vec::<String>::new()
    );
}

/// The IAM action (`service:Action`) of each recorded request: EC2 and STS name it in the query body,
/// ECS in `X-Amz-Target`, EKS by its REST path.
fn recorded_iam_actions(moto: &Moto) -> BTreeSet<String> {
    recorded_calls(moto)
        .into_iter()
        .map(|call| match call.split_once(' ') {
            Some((method, url)) => {
                let path = url.split_once("://").map_or(url, |(_, rest)| {
                    rest.find('/').map_or("", |slash| &rest[slash..])
                });
                let path = path.split('?').next().unwrap_or_default();
                let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
                let action = match (method, &parts[..]) {
                    ("GET", ["clusters"]) => "ListClusters",
                    ("GET", ["clusters", _]) => "DescribeCluster",
                    ("GET", ["clusters", _, "node-groups"]) => "ListNodegroups",
                    ("GET", ["clusters", _, "node-groups", _]) => "DescribeNodegroup",
                    ("GET", ["clusters", _, "fargate-profiles"]) => "ListFargateProfiles",
                    ("GET", ["clusters", _, "fargate-profiles", _]) => "DescribeFargateProfile",
                    _ => panic!("an EKS request this test does not know: {call}"),
                };
                format!("eks:{action}")
            }
            None if call == "GetCallerIdentity" => format!("sts:{call}"),
            None if [
                "ListClusters",
                "DescribeClusters",
                "ListServices",
                "DescribeServices",
                "DescribeTaskDefinition",
            ]
            .contains(&call.as_str()) =>
            {
                format!("ecs:{call}")
            }
            None => format!("ec2:{call}"),
        })
        .collect()
}

/// The actions of the README's `aws scan` policy.
fn readme_scan_policy() -> BTreeSet<String> {
    let readme = include_str!("../../../README.md");
    let after = &readme[readme.find("`aws scan`:\n").expect("the scan policy")..];
    let start = after.find("```json\n").expect("its JSON block") + "```json\n".len();
    let json = &after[start..start + after[start..].find("```").expect("the block's end")];
    let policy: Value = serde_json::from_str(json).expect("the policy is JSON");
    policy["Statement"][0]["Action"]
        .as_array()
        .expect("a list of actions")
        .iter()
        .map(|a| a.as_str().expect("an action").to_owned())
        .collect()
}

/// A scan of an account with an ECS service, an EKS cluster with a node group from a launch template
/// and a Fargate profile calls every action of the README's scan policy, and nothing else.
#[test]
fn the_readme_scan_policy_is_exactly_the_calls_a_scan_makes() {
    let moto = Moto::start();
    let config = networks::sdk_config(&moto, REGION);
    setup(&moto, async {
        networks::seed_001(&config, &Variant::default()).await;
        networks::seed_003(&config).await;
        let eks = aws_sdk_eks::Client::new(&config);
        let cluster = eks
            .describe_cluster()
            .name("sample")
            .send()
            .await
            .expect("DescribeCluster");
        let subnets = cluster
            .cluster()
            .and_then(|c| c.resources_vpc_config())
            .map(|v| v.subnet_ids().to_vec())
            .unwrap_or_default();
        eks.create_fargate_profile()
            .cluster_name("sample")
            .fargate_profile_name("jobs")
            .pod_execution_role_arn("arn:aws:iam::123456789012:role/eks-pods")
            .set_subnets(Some(subnets))
            .selectors(
                aws_sdk_eks::types::FargateProfileSelector::builder()
                    .namespace("jobs")
                    .build(),
            )
            .send()
            .await
            .expect("CreateFargateProfile");
    });
    moto.post("/moto-api/recorder/start-recording");
    let scanned = scan_of(&moto);
    moto.post("/moto-api/recorder/stop-recording");
    assert!(scanned.warnings.is_empty(), "{:?}", scanned.warnings);
    assert_eq!(scanned.snapshot.regions[0].eks_fargate_profiles.len(), 1);
    assert_eq!(recorded_iam_actions(&moto), readme_scan_policy());
}

/// Every endpoint apply creates carries the `ClientToken` of its change, the same token a plan of
/// the same account makes again, so AWS answers a retried or repeated call with the endpoint it
/// already made. (moto records the token but does not deduplicate on it, so what AWS does with it
/// is not shown here; a second run creating nothing is shown by the tests above, through the scan.)
#[test]
fn created_endpoints_carry_the_client_token_of_their_change() {
    let moto = Moto::start();
    let variant = Variant {
        without: vec!["logs"],
        without_s3_gateway: true,
        ..Variant::default()
    };
    setup(
        &moto,
        networks::seed_000(&networks::sdk_config(&moto, REGION), &variant),
    );
    let tokens = |plan: &apply::Plan| -> Vec<String> {
        plan.steps
            .iter()
            .filter_map(|s| match &s.action {
                apply::Action::CreateInterfaceEndpoint { client_token, .. }
                | apply::Action::CreateGatewayEndpoint { client_token, .. } => {
                    Some(client_token.clone())
                }
                _ => None,
            })
            .collect()
    };
    let plan_of = |scanned: &ScanOutcome| {
        let (model, findings) = analyse(&scanned.snapshot);
        apply::plan(&model, &scanned.snapshot, &fixes(&findings))
    };
    let first = plan_of(&scan_of(&moto));
    let again = plan_of(&scan_of(&moto));
    assert_eq!(tokens(&first).len(), 2, "{first:#?}");
    assert_eq!(tokens(&first), tokens(&again));

    moto.post("/moto-api/recorder/start-recording");
    let options = ApplyOptions {
        sdk: Some(networks::sdk_config(&moto, REGION)),
        ..ApplyOptions::default()
    };
    let report = apply::execute(&first, &options).expect("the runtime starts");
    moto.post("/moto-api/recorder/stop-recording");
    assert!(report.failed.is_none(), "{report:#?}");
    let bodies = recorded_bodies(&moto);
    for token in tokens(&first) {
        assert!(
            bodies
                .iter()
                .any(|b| b.split('&').any(|p| p == format!("ClientToken={token}"))),
            "{token} not sent: {bodies:#?}"
        );
    }
    // Apply calls only actions of the README's policies (apply needs the scan policy too).
    let scan_policy = readme_scan_policy();
    let apply_calls = recorded_iam_actions(&moto);
    assert!(
        apply_calls.contains("ec2:CreateVpcEndpoint"),
        "{apply_calls:?}"
    );
    let readme = include_str!("../../../README.md");
    for call in &apply_calls {
        assert!(
            scan_policy.contains(call) || readme.contains(&format!("\"{call}\"")),
            "{call} is in neither README policy"
        );
    }
}
