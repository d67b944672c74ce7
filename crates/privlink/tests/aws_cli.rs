//! `privlink aws scan` as users run it: the default credential chain from the environment,
//! `AWS_ENDPOINT_URL` pointing at a moto server, `--save`, and the errors a user can act on.
#![cfg(feature = "aws")]

// Shared with privlink_aws's tests, which use all of them; these tests use a part.
#[allow(dead_code)]
#[path = "../../privlink_aws/tests/support/moto.rs"]
mod moto;
#[allow(dead_code)]
#[path = "../../privlink_aws/tests/support/networks.rs"]
mod networks;
#[path = "../../privlink_aws/tests/support/servers.rs"]
mod servers;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use moto::Moto;
use serde_json::Value;
use servers::Behaviour;

/// `privlink` with an environment of its own: only what the test gives, no AWS files of this machine,
/// no instance metadata lookups.
fn privlink(home: &Path, endpoint: Option<&str>, credentials: bool, args: &[&str]) -> Output {
    let mut env = Vec::new();
    if let Some(url) = endpoint {
        env.push(("AWS_ENDPOINT_URL", url));
    }
    if credentials {
        env.extend([
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ]);
    }
    privlink_with(home, &env, args)
}

/// `privlink` with only `env` (and `HOME`, `PATH`, the shared files under `home`).
/// `privlink aws scan` of ap-northeast-1 with a JSON report, as most tests run it.
const SCAN_JSON: [&str; 6] = [
    "aws",
    "scan",
    "--region",
    "ap-northeast-1",
    "--format",
    "json",
];

fn privlink_with(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_privlink"));
    command
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"));
    command.envs(env.iter().copied());
    command.args(args).output().expect("privlink runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn scan_honours_aws_endpoint_url_and_saves_a_snapshot_check_reads() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("a temporary directory");
    let saved = home.path().join("scan.json");
    let saved_arg = saved.to_str().expect("a UTF-8 path");
    let out = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "scan",
            "--region",
            "ap-northeast-1",
            "--save",
            saved_arg,
            "--format",
            "json",
        ],
    );
    // moto's default VPC has no internet route, so privlink assumes a Fargate task there: findings.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["workloads"][0]["assumed"], true);
    assert_eq!(report["inputs"][0]["format"], "aws-snapshot");
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("the snapshot"))
            .expect("JSON");
    assert_eq!(snapshot["privlink_snapshot"], 1);
    assert_eq!(snapshot["regions"][0]["region"], "ap-northeast-1");
    // moto's default VPC, read through the endpoint the environment named.
    assert!(
        snapshot["regions"][0]["vpcs"]
            .as_array()
            .is_some_and(|v| !v.is_empty()),
        "{snapshot}"
    );
    let offline = privlink(
        home.path(),
        None,
        false,
        &["check", "--aws-snapshot", saved_arg, "--format", "json"],
    );
    assert_eq!(offline.status.code(), Some(1), "{}", stderr(&offline));
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("a JSON report");
    assert_eq!(offline["findings"], report["findings"]);
    assert_eq!(offline["workloads"], report["workloads"]);
}

/// What `privlink aws scan` prints on standard error when it stops with exit status 2.
fn scan_error(endpoint: &str, credentials: bool, regions: &[&str]) -> String {
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut args = vec!["aws", "scan"];
    for region in regions {
        args.extend(["--region", region]);
    }
    let out = privlink(home.path(), Some(endpoint), credentials, &args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn an_empty_endpoint_url_counts_as_unset() {
    // `AWS_ENDPOINT_URL=` (an unset CI variable): the default endpoint, which without credentials
    // is a credentials error, not a panic.
    let err = scan_error("", false, &["ap-northeast-1"]);
    assert!(err.contains("no credentials"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Empty service-specific variables fall back to AWS_ENDPOINT_URL, as for the AWS CLI.
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("a temporary directory");
    let url = moto.url();
    let mut env = credentials();
    env.push(("AWS_ENDPOINT_URL", &url));
    for variable in [
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_EC2",
        "AWS_ENDPOINT_URL_ECS",
        "AWS_ENDPOINT_URL_EKS",
    ] {
        env.push((variable, ""));
    }
    let out = privlink_with(home.path(), &env, &SCAN_JSON);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["workloads"][0]["assumed"], true);
}

fn credentials() -> Vec<(&'static str, &'static str)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ]
}

#[test]
fn regions_that_are_not_region_names_fail_before_any_call() {
    // The endpoint never answers: a scan that called it would wait for the whole budget.
    let silent = servers::start(Behaviour::Silent);
    for region in ["", "../../etc", "xx-fake-9"] {
        let start = Instant::now();
        let err = scan_error(&silent, true, &[region]);
        assert!(
            err.contains(&format!("`{region}` (--region) is not an AWS region name")),
            "{err}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{:?}",
            start.elapsed()
        );
    }
    // A configured region is checked as well.
    let home = tempfile::tempdir().expect("a temporary directory");
    let mut env = credentials();
    env.extend([
        ("AWS_ENDPOINT_URL", silent.as_str()),
        ("AWS_REGION", "../x"),
    ]);
    let out = privlink_with(home.path(), &env, &["aws", "scan"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`../x` (the configured region"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_profile_that_does_not_exist_is_named_with_the_files_looked_in() {
    let home = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        home.path().join("config"),
        "[profile dev]\nregion = ap-northeast-1\n",
    )
    .expect("a config file");
    let out = privlink_with(
        home.path(),
        &[],
        &["aws", "scan", "--profile", "no-such-profile"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("profile `no-such-profile`"), "{err}");
    assert!(
        err.contains(&home.path().join("config").display().to_string()),
        "{err}"
    );
    // The same for AWS_PROFILE.
    let out = privlink_with(home.path(), &[("AWS_PROFILE", "nope")], &["aws", "scan"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("profile `nope`"), "{}", stderr(&out));
}

#[test]
fn missing_credentials_name_the_profile_and_where_it_was_looked_for() {
    let moto = Moto::start();
    let err = scan_error(&moto.url(), false, &["ap-northeast-1"]);
    assert!(err.contains("profile `default`"), "{err}");
    assert!(err.contains("credentials"), "{err}");
}

#[test]
fn an_unreachable_endpoint_is_an_error_that_says_what_to_check() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let err = scan_error(
        &format!("http://127.0.0.1:{closed}"),
        true,
        &["ap-northeast-1"],
    );
    assert!(
        err.contains("endpoint unreachable") && err.contains("AWS_ENDPOINT_URL"),
        "{err}"
    );
}

#[test]
fn missing_credentials_are_an_error_that_says_how_to_provide_them() {
    let moto = Moto::start();
    let err = scan_error(&moto.url(), false, &["ap-northeast-1"]);
    assert!(
        err.contains("no credentials") && err.contains("--profile"),
        "{err}"
    );
}

#[test]
fn a_region_that_does_not_exist_is_named() {
    let moto = Moto::start();
    let err = scan_error(&moto.url(), true, &["ap-northeast-1", "eu-south-9"]);
    assert!(err.contains("region `eu-south-9` does not exist"), "{err}");
}

#[test]
fn apply_prints_the_plan_and_changes_nothing_without_yes() {
    let moto = Moto::start();
    let home = tempfile::tempdir().expect("a temporary directory");
    let saved = home.path().join("scan.json");
    let saved_arg = saved.to_str().expect("a UTF-8 path");
    let scan = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "scan",
            "--region",
            "ap-northeast-1",
            "--save",
            saved_arg,
        ],
    );
    assert_eq!(scan.status.code(), Some(1), "{}", stderr(&scan));
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("the snapshot"))
            .expect("JSON");
    let subnet = snapshot["regions"][0]["subnets"][0]["SubnetId"]
        .as_str()
        .expect("a default subnet")
        .to_owned();
    // A Fargate task without a public IP in a default subnet: nothing reaches ECR or CloudWatch Logs.
    let workload = format!("kind=ecs-fargate,subnets={subnet},features=awslogs,name=app");
    let out = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "apply",
            "--region",
            "ap-northeast-1",
            "--endpoints-only",
            "--workload",
            &workload,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("create interface endpoint com.amazonaws.ap-northeast-1.logs"),
        "{text}"
    );
    assert!(text.contains("Nothing was changed"), "{text}");
    let again = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "scan",
            "--region",
            "ap-northeast-1",
            "--save",
            saved_arg,
        ],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let after: Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).expect("the snapshot"))
            .expect("JSON");
    assert_eq!(
        after["regions"][0]["vpc_endpoints"],
        snapshot["regions"][0]["vpc_endpoints"]
    );
}

#[test]
fn a_broken_network_is_reported_at_its_snapshot_line_and_apply_yes_fixes_it() {
    let moto = Moto::start();
    let variant = networks::Variant {
        dns_hostnames_off: true,
        without: vec!["logs"],
        ..networks::Variant::default()
    };
    let config = networks::sdk_config(&moto, "ap-northeast-1");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(networks::seed_000(&config, &variant));
    let home = tempfile::tempdir().expect("a temporary directory");
    let saved = home.path().join("scan.json");
    let saved_arg = saved.to_str().expect("a UTF-8 path");
    let scan = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "scan",
            "--region",
            "ap-northeast-1",
            "--save",
            saved_arg,
            "--no-color",
        ],
    );
    assert_eq!(scan.status.code(), Some(1), "{}", stderr(&scan));
    let text = String::from_utf8_lossy(&scan.stdout).into_owned();
    assert!(text.contains("error[vpc-dns-disabled]"), "{text}");
    assert!(text.contains("error[missing-interface-endpoint]"), "{text}");
    // The finding points at the VPC's line of the snapshot, and shows it.
    assert!(text.contains(&format!("--> {saved_arg}:")), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("| ") && l.contains("\"VpcId\": \"vpc-")),
        "{text}"
    );
    // The saved snapshot, checked offline, gives the same report.
    let offline = privlink(
        home.path(),
        None,
        false,
        &["check", "--aws-snapshot", saved_arg, "--no-color"],
    );
    assert_eq!(offline.status.code(), Some(1), "{}", stderr(&offline));
    assert_eq!(String::from_utf8_lossy(&offline.stdout), text);

    let apply = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &[
            "aws",
            "apply",
            "--region",
            "ap-northeast-1",
            "--yes",
            "--no-color",
        ],
    );
    let applied = String::from_utf8_lossy(&apply.stdout).into_owned();
    assert_eq!(apply.status.code(), Some(0), "{applied}{}", stderr(&apply));
    assert!(
        applied.contains("set enableDnsHostnames = true on vpc-"),
        "{applied}"
    );
    assert!(
        applied.contains("create interface endpoint com.amazonaws.ap-northeast-1.logs"),
        "{applied}"
    );
    assert!(applied.contains("Applied"), "{applied}");
    let after = privlink(
        home.path(),
        Some(&moto.url()),
        true,
        &["aws", "scan", "--region", "ap-northeast-1", "--no-color"],
    );
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stdout)
    );
}

/// Limits small enough for tests, given by flags and by the environment.
const LIMIT_FLAGS: &[&str] = &["--timeout", "3", "--connect-timeout", "1"];
const LIMIT_ENV: &[(&str, &str)] = &[
    ("PRIVLINK_AWS_READ_TIMEOUT", "1"),
    ("AWS_MAX_ATTEMPTS", "2"),
];

#[test]
fn misbehaving_endpoints_fail_within_the_budget_naming_the_endpoint() {
    for behaviour in [
        Behaviour::Silent,
        Behaviour::ServerError,
        Behaviour::Junk,
        Behaviour::Drip,
    ] {
        let url = servers::start(behaviour);
        let home = tempfile::tempdir().expect("a temporary directory");
        let mut env = credentials();
        env.push(("AWS_ENDPOINT_URL", &url));
        env.extend_from_slice(LIMIT_ENV);
        let mut args = vec!["aws", "scan", "--region", "ap-northeast-1"];
        args.extend_from_slice(LIMIT_FLAGS);
        let start = Instant::now();
        let out = privlink_with(home.path(), &env, &args);
        let elapsed = start.elapsed();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{behaviour:?}: {err}");
        // The budget is 3 s per call, and the first call that fails this way stops the scan.
        assert!(
            elapsed < Duration::from_secs(12),
            "{behaviour:?}: {elapsed:?}"
        );
        assert!(err.contains(&url), "{behaviour:?}: {err}");
        assert!(err.contains("AWS_ENDPOINT_URL"), "{behaviour:?}: {err}");
        assert!(out.stdout.is_empty(), "{behaviour:?}");
        for leaked in [
            "\u{1b}",
            "Response {",
            "html",
            "Traceback",
            "not an AWS answer",
        ] {
            assert!(!err.contains(leaked), "{behaviour:?}: {leaked}: {err}");
        }
        assert!(err.lines().count() <= 2, "{behaviour:?}: {err}");
    }
}

#[test]
fn denied_required_calls_exit_2_naming_each_call_and_its_permission() {
    let moto = Moto::start();
    let deny = servers::start(Behaviour::Deny);
    let home = tempfile::tempdir().expect("a temporary directory");
    let url = moto.url();
    let mut env = credentials();
    env.extend([
        ("AWS_ENDPOINT_URL", url.as_str()),
        ("AWS_ENDPOINT_URL_EC2", deny.as_str()),
    ]);
    let out = privlink_with(home.path(), &env, &SCAN_JSON);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for call in [
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeVpcEndpoints",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with("error[aws]: ")
                && l.contains(&format!("{call} in ap-northeast-1: access denied"))
                && l.contains(&format!("grant {call}"))),
            "{call}: {err}"
        );
    }
    // The report still comes, with the scan as an input that could not be read.
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_ne!(report["inputs"][0]["status"], "ok", "{report}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn a_denied_optional_call_is_one_warning_line_and_the_scan_goes_on() {
    let moto = Moto::start();
    let deny = servers::start(Behaviour::Deny);
    let home = tempfile::tempdir().expect("a temporary directory");
    let url = moto.url();
    let mut env = credentials();
    env.extend([
        ("AWS_ENDPOINT_URL", url.as_str()),
        ("AWS_ENDPOINT_URL_ECS", deny.as_str()),
        // Colours asked for, and refused by --no-color.
        ("CLICOLOR_FORCE", "1"),
    ]);
    let args = [
        "aws",
        "scan",
        "--region",
        "ap-northeast-1",
        "--format",
        "json",
    ];
    let out = privlink_with(home.path(), &env, &args);
    let err = stderr(&out);
    // Findings as usual (moto's default VPC has no endpoints): exit 1, not 2.
    assert_eq!(out.status.code(), Some(1), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning[aws]")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].contains("ecs:ListClusters in ap-northeast-1: access denied")
            && warnings[0].contains("grant ecs:ListClusters"),
        "{err}"
    );
    // CLICOLOR_FORCE colours the warning; --no-color and NO_COLOR do not.
    assert!(err.contains('\u{1b}'), "{err}");
    let mut plain = args.to_vec();
    plain.push("--no-color");
    let out = privlink_with(home.path(), &env, &plain);
    assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning[aws]: ecs:ListClusters"),
        "{}",
        stderr(&out)
    );
    let mut env = env.clone();
    env.push(("NO_COLOR", "1"));
    let out = privlink_with(home.path(), &env, &args);
    assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
}
