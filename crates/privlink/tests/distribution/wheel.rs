//! The Python wheel: maturin builds it from pyproject.toml; pip installs it into a fresh virtual
//! environment with no Rust toolchain involved; the `privlink` it puts on the environment's PATH is
//! the full binary (with `aws`) and checks the shipped examples.

use std::process::Command;

use crate::support::{fresh_venv, output, root, succeed, text, wheel};

#[test]
fn the_wheel_installs_into_a_fresh_venv_and_checks_the_examples() {
    let wheel = wheel();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        name.starts_with(&format!("privlink-{version}-py3-none-")),
        "a binary wheel for any Python 3: {name}"
    );

    let venv = tempfile::tempdir().unwrap();
    let bin = fresh_venv(venv.path());
    succeed(
        Command::new(bin.join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--no-index",
                "--disable-pip-version-check",
            ])
            .arg(wheel),
    );
    let privlink = bin.join("privlink");
    assert!(privlink.is_file(), "pip put privlink in {}", bin.display());

    // What a user sees first: the version, with the features built in and the price table's date.
    let version_line = succeed(Command::new(&privlink).arg("--version"));
    let version_line = String::from_utf8(version_line.stdout).unwrap();
    assert!(
        version_line.starts_with(&format!(
            "privlink {version} (features: aws; price table of 20"
        )),
        "{version_line}"
    );

    // The main job on a shipped example, run as a user would, from the environment's PATH.
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let broken = output(
        Command::new("privlink")
            .args(["check", "--no-color", "examples/dns-hostnames-off"])
            .env("PATH", &path)
            .current_dir(root()),
    );
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(report.contains("vpc-dns-disabled"), "{report}");
    assert!(
        report.contains("examples/dns-hostnames-off/main.tf"),
        "{report}"
    );
    succeed(
        Command::new("privlink")
            .args(["check", "examples/dedicated-endpoint-subnets"])
            .env("PATH", &path)
            .current_dir(root()),
    );

    // The AWS SDK is in the wheel: `aws scan` is a command, not the message of a build without it.
    let scan_help = succeed(
        Command::new("privlink")
            .args(["aws", "scan", "--help"])
            .env("PATH", &path),
    );
    assert!(
        String::from_utf8_lossy(&scan_help.stdout).contains("--all-regions"),
        "{}",
        text(&scan_help)
    );
}
