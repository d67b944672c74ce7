//! Hostile command lines: outputs that would replace inputs, files that are not files, bad
//! workload specs and regions, configuration errors located. Each is an error that says what and
//! where, and nothing the user owns is changed.

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
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// A copy of an example in a temporary directory.
fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(root().join("examples").join(name)).expect("example") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

#[test]
fn output_never_replaces_an_input() {
    let dir = example("fargate-secrets");
    let main = dir.path().join("main.tf");
    let before = std::fs::read_to_string(&main).expect("main.tf");
    let input = dir.path().to_str().expect("utf-8");
    let (status, _, stderr) = run(&["check", input, "--output", main.to_str().expect("utf-8")]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("would overwrite an input"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&main).expect("main.tf"), before);

    // A report beside the inputs is fine, and replaced whole when written again.
    let report = dir.path().join("report.txt");
    let report_arg = report.to_str().expect("utf-8");
    for _ in 0..2 {
        let (status, _, stderr) = run(&["check", input, "--output", report_arg]);
        assert!(status <= 1, "{stderr}");
    }
    assert!(!std::fs::read_to_string(&report).expect("report").is_empty());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("privlink-tmp")),
        "no temporary file is left: {names:?}"
    );
}

#[cfg(unix)]
#[test]
fn config_and_prices_that_are_not_files_are_errors_naming_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("privlink.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let (status, _, stderr) = run(&[
        "check",
        "examples/fargate-secrets",
        "--config",
        fifo.to_str().expect("utf-8"),
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("privlink.toml: cannot read the configuration file: it is a FIFO"),
        "{stderr}"
    );
    let (status, _, stderr) = run(&["cost", "examples/fargate-secrets", "--prices", "/dev/zero"]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("/dev/zero: cannot read the price table: it is a device"),
        "{stderr}"
    );
}

#[test]
fn workload_errors_say_where_the_workload_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("privlink.toml");
    std::fs::write(
        &config,
        "region = \"ap-northeast-1\"\n\n[[workload]]\nname = \"ok\"\nkind = \"ecs-fargate\"\nsubnets = [\"aws_subnet.private-a\"]\n\n[[workload]]\nname = \"typo\"\nkind = \"ecs-fargate\"\nsubnets = [\"aws_subnet.nope\"]\n",
    )
    .expect("write");
    let (status, _, stderr) = run(&[
        "check",
        "examples/fargate-secrets",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("privlink.toml:8: [[workload]]: no subnet named `aws_subnet.nope`"),
        "{stderr}"
    );
}

#[test]
fn workload_keys_given_twice_or_empty_and_fake_regions_are_usage_errors() {
    for (spec, expected) in [
        (
            "kind=ecs-fargate,subnets=aws_subnet.private-a,subnet=aws_subnet.private-b",
            "`subnets` is given twice",
        ),
        ("kind=ecs-fargate,subnets=", "`subnets=` has no value"),
    ] {
        let (status, _, stderr) = run(&["check", "examples/fargate-secrets", "--workload", spec]);
        assert_eq!(status, 2, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
    let (status, _, stderr) = run(&["plan", "--kind", "ecs-fargate", "--region", "xx-fake-9"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("is not an AWS region name"), "{stderr}");
}
