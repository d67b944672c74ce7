//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself (`pre-commit
//! try-repo` on this checkout, uncommitted changes included) in a temporary git repository: on a
//! broken network `privlink` fails with the findings and `privlink-fix` writes the fix (keeping a
//! backup); on the fixed network `privlink` passes.
//!
//! pre-commit installs the hooks as a user's first run does: a new virtual environment and `pip
//! install` of this repository, which builds the wheel with maturin. The test points that build at
//! the workspace's target directory and the profile the wheel test builds with
//! (`MATURIN_PEP517_ARGS`), so it compiles privlink's own crates again, not its dependencies.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{output, root, succeed, text, venv_tool, wheel_profile};

/// A git repository in `dir` whose root holds the files of `examples/EXAMPLE`, committed.
fn repository_of(dir: &Path, example: &str) {
    succeed(Command::new("git").args(["init", "-q"]).current_dir(dir));
    let source = root().join("examples").join(example);
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    succeed(Command::new("git").args(["add", "."]).current_dir(dir));
    succeed(
        Command::new("git")
            .args([
                "-c",
                "user.name=privlink tests",
                "-c",
                "user.email=tests@privlink.invalid",
                "commit",
                "-q",
                "-m",
                example,
            ])
            .current_dir(dir),
    );
}

/// `pre-commit try-repo <this checkout> [HOOK] --all-files` in `repository`.
fn try_repo(repository: &Path, hook: Option<&str>) -> Output {
    let store = tempfile::tempdir().unwrap();
    let mut command = Command::new(venv_tool("pre-commit"));
    command.arg("try-repo").arg(root());
    command.args(hook);
    command
        .args(["--all-files", "--color", "never"])
        .current_dir(repository)
        .env("PRE_COMMIT_HOME", store.path())
        .env("CARGO_TARGET_DIR", root().join("target"))
        .env(
            "MATURIN_PEP517_ARGS",
            format!("--locked --profile {}", wheel_profile()),
        );
    output(&mut command)
}

#[test]
fn hooks_fail_on_a_broken_network_fix_it_and_pass_on_a_fixed_one() {
    let broken = tempfile::tempdir().unwrap();
    repository_of(broken.path(), "dns-hostnames-off");
    let run = try_repo(broken.path(), None);
    let log = text(&run);
    assert!(!run.status.success(), "{log}");
    // `privlink`: the findings, in the hook's output.
    assert!(log.contains("privlink check"), "{log}");
    assert!(log.contains("vpc-dns-disabled"), "{log}");
    assert!(log.contains("main.tf"), "{log}");
    // `privlink-fix`: the VPC's DNS hostnames turned on in the user's file, with a backup.
    assert!(log.contains("files were modified by this hook"), "{log}");
    let main = std::fs::read_to_string(broken.path().join("main.tf")).unwrap();
    assert!(main.contains("enable_dns_hostnames = true"), "{main}");
    assert!(
        broken.path().join("main.tf.privlink-backup").is_file(),
        "{log}"
    );

    let fixed = tempfile::tempdir().unwrap();
    repository_of(fixed.path(), "dedicated-endpoint-subnets");
    let run = try_repo(fixed.path(), Some("privlink"));
    let log = text(&run);
    assert!(run.status.success(), "{log}");
    assert!(log.contains("privlink check"), "{log}");
    assert!(log.contains("Passed"), "{log}");
}
