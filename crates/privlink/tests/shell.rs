//! What privlink gives the shell and the manual: completion scripts (bash's run by bash itself),
//! man pages, and a `--version` that names the features built in and the price table's date.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn privlink(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("privlink")
        .unwrap()
        .args(args)
        .output()
        .expect("privlink runs");
    assert!(out.status.success(), "privlink {args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// What bash completes after `privlink WORDS...` (the last word being completed), with the script
/// `privlink completions bash` prints loaded as a user's shell loads it.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), privlink(&["completions", "bash"])).unwrap();
    let words = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'\nCOMP_WORDS=(privlink {words})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         _privlink privlink \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.path().display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_flags_and_values() {
    assert_eq!(bash_completes(&["ch"]), ["check"]);
    let flags = bash_completes(&["check", "--endpoints"]);
    assert_eq!(flags, ["--endpoints-only"]);
    let mut formats = bash_completes(&["check", "--format", ""]);
    formats.sort();
    assert_eq!(formats, ["html", "json", "markdown", "sarif", "text"]);
    assert_eq!(bash_completes(&["completions", "po"]), ["powershell"]);
}

#[test]
fn every_shell_gets_a_script_for_its_own_completion_system() {
    for (shell, marker) in [
        ("bash", "complete -F _privlink"),
        ("zsh", "#compdef privlink"),
        ("fish", "complete -c privlink"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = privlink(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        for command in ["check", "explain", "fix", "cost", "plan", "rules"] {
            assert!(script.contains(command), "{shell} completes `{command}`");
        }
    }
    let out = assert_cmd::Command::cargo_bin("privlink")
        .unwrap()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("powershell"));
}

#[test]
fn man_pages_document_every_command() {
    let page = privlink(&["man"]);
    assert!(page.contains(".TH privlink 1"), "{page}");
    assert!(page.contains("will this container workload start without a NAT gateway?"));
    for command in [
        "check",
        "explain",
        "cost",
        "plan",
        "fix",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("privlink\\-{command}(1)")),
            "{command}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    privlink(&["man", "--dir", pages.to_str().unwrap()]);
    let check = std::fs::read_to_string(pages.join("privlink-check.1")).unwrap();
    assert!(check.contains("\\-\\-endpoints\\-only"), "{check}");
    assert!(
        check.contains("Exit status: 0 when nothing is at or above"),
        "{check}"
    );
}

#[test]
fn version_names_the_features_and_the_price_table_date() {
    // The newest date of the shipped table, read here independently of privlink's parser.
    let table =
        std::fs::read_to_string(root().join("crates/privlink_analysis/data/prices.toml")).unwrap();
    let newest = table
        .split("date = \"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .max()
        .expect("dated figures");
    let features = if cfg!(feature = "aws") { "aws" } else { "none" };
    let expected = format!(
        "privlink {} (features: {features}; price table of {newest})\n",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(privlink(&["--version"]), expected);
    assert_eq!(privlink(&["-V"]), expected);
}
