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

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

use moto::Moto;
use serde_json::Value;

/// `privlink` with an environment of its own: only what the test gives, no AWS files of this machine,
/// no instance metadata lookups.
fn privlink(home: &Path, endpoint: Option<&str>, credentials: bool, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_privlink"));
    command
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"));
    if let Some(url) = endpoint {
        command.env("AWS_ENDPOINT_URL", url);
    }
    if credentials {
        command
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing");
    }
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
    let err = scan_error(&moto.url(), true, &["ap-northeast-1", "xx-nowhere-1"]);
    assert!(
        err.contains("region `xx-nowhere-1` does not exist"),
        "{err}"
    );
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
