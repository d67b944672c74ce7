//! What the distribution tests share: the workspace, the Python tools `scripts/test` installs into
//! `.venv` (maturin, pre-commit), the wheel (built once per run), and fresh virtual environments.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root (the repository checkout).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A Python tool installed into `.venv` by `scripts/test` (from `requirements-test.txt`).
pub(crate) fn venv_tool(name: &str) -> PathBuf {
    let path = root().join(".venv/bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/test, which installs {name} into .venv from requirements-test.txt",
        path.display()
    );
    path
}

/// The Cargo profile the tests build the wheel with: `dev` (the fastest to compile; maturin
/// resolves the binary's features alone, so its dependencies are compiled apart from `cargo
/// test`'s, once per target directory), or `PRIVLINK_WHEEL_PROFILE` (e.g. `release`, the shipping
/// profile of pyproject.toml, to test the wheel a release publishes).
pub(crate) fn wheel_profile() -> String {
    std::env::var("PRIVLINK_WHEEL_PROFILE").unwrap_or_else(|_| "dev".to_owned())
}

/// Runs `command`, failing the test with its output when it cannot start.
pub(crate) fn output(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

/// Runs `command` and fails the test with its output unless it succeeds.
pub(crate) fn succeed(command: &mut Command) -> Output {
    let out = output(command);
    assert!(out.status.success(), "{command:?} failed\n{}", text(&out));
    out
}

/// Standard output and error, for assertions and failure messages.
pub(crate) fn text(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The wheel of this checkout for this platform, built by maturin from pyproject.toml (once per
/// test run, into `target/distribution-tests/wheels`).
pub(crate) fn wheel() -> &'static Path {
    static WHEEL: OnceLock<PathBuf> = OnceLock::new();
    WHEEL.get_or_init(|| {
        let out = root().join("target/distribution-tests/wheels");
        let _ = std::fs::remove_dir_all(&out);
        succeed(
            Command::new(venv_tool("maturin"))
                .args(["build", "--locked", "--profile"])
                .arg(wheel_profile())
                .arg("--out")
                .arg(&out)
                .current_dir(root()),
        );
        let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
            .expect("maturin's output directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension() == Some(OsStr::new("whl")))
            .collect();
        assert_eq!(wheels.len(), 1, "one wheel for this platform: {wheels:?}");
        wheels.into_iter().next().expect("one wheel")
    })
}

/// A new virtual environment in `dir` (from the base interpreter, so nothing of `.venv` leaks in;
/// pip from the interpreter's own bundled wheel), returning its `bin` directory.
pub(crate) fn fresh_venv(dir: &Path) -> PathBuf {
    succeed(
        Command::new(venv_tool("python"))
            .args(["-m", "venv"])
            .arg(dir),
    );
    dir.join("bin")
}
