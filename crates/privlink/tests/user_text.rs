//! Nothing a user reads refers to material users cannot read: the background articles privlink's
//! examples were first drawn from ("seed article 003", "seed 000's answer", `seed-001-...`, "the
//! article") or privlink's internal notes on AWS ("the domain notes", `aws-requirements.md`).
//! User-visible text explains the AWS behaviour itself and links AWS documentation.
//!
//! Read: README, `docs/`, `examples/`, the data files shipped in the binary (the price table), the
//! files users install privlink through (pyproject.toml, `.pre-commit-hooks.yaml`, `action.yml`,
//! `.github/`), every source line that is not a comment (messages, rule documentation, fixes),
//! and what the binary prints: every man page (all of `--help`, command by command), and the
//! reports and cost estimates of every shipped example.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// What `text` says that points at internal material, if anything.
fn internal_reference(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for phrase in [
        "seed article",
        "domain notes",
        "aws-requirements",
        "shared/seeds",
        "the article",
    ] {
        if lower.contains(phrase) {
            return Some(phrase.to_owned());
        }
    }
    // "seed 000", "seed-001-...", "seed_002", "Seed 004's".
    lower.match_indices("seed").find_map(|(at, _)| {
        let rest = &lower[at + 4..];
        let mut chars = rest.chars();
        let separator = chars.next()?;
        let digit = chars.next()?;
        ([' ', '-', '_'].contains(&separator) && digit.is_ascii_digit())
            .then(|| lower[at..].chars().take(8).collect())
    })
}

/// Every line of `text` that refers to internal material, as `label:line: text`.
fn offending_lines(label: &str, text: &str, skip_comments: bool) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !(skip_comments && line.trim_start().starts_with("//")))
        .filter_map(|(n, line)| {
            internal_reference(line).map(|found| format!("{label}:{}: `{found}` in: {line}", n + 1))
        })
        .collect()
}

/// The files under `dir` (recursively), except build output and installed packages.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy();
        if name == "target" || name == "node_modules" || name == ".terraform" {
            continue;
        }
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn check_files(paths: Vec<PathBuf>, skip_comments: bool, offending: &mut Vec<String>) {
    let root = root();
    for path in paths {
        // Binary files (none is expected) are not text a user reads.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let label = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        offending.extend(offending_lines(&label, &text, skip_comments));
    }
}

#[test]
fn the_matcher_finds_what_it_must() {
    for text in [
        "Seed article 001 turned off private DNS",
        "as seed 000 does",
        "examples/seed-002-cloudformation",
        "fn seed_004_one_terabyte()",
        "privlink domain notes §5.1",
        "see shared/domain/aws-requirements.md",
        "as the article says",
    ] {
        assert!(internal_reference(text).is_some(), "{text}");
    }
    for text in [
        "a random seed for the generator",
        "seeded from a full build",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    ] {
        assert_eq!(internal_reference(text), None, "{text}");
    }
}

#[test]
fn files_users_read_explain_aws_themselves() {
    let root = root();
    let mut offending = Vec::new();
    let mut documents = vec![root.join("README.md")];
    for name in ["pyproject.toml", ".pre-commit-hooks.yaml", "action.yml"] {
        let path = root.join(name);
        assert!(path.is_file(), "{name} is shipped");
        documents.push(path);
    }
    documents.extend(files(&root.join("docs")));
    documents.extend(files(&root.join("examples")));
    documents.extend(files(&root.join(".github")));
    check_files(documents, false, &mut offending);

    let mut sources = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).expect("crates") {
        let krate = krate.expect("crate").path();
        sources.extend(files(&krate.join("src")));
        sources.extend(files(&krate.join("data")));
    }
    assert!(
        sources.len() > 100,
        "the sources are read: {}",
        sources.len()
    );
    check_files(sources, true, &mut offending);
    assert!(
        offending.is_empty(),
        "user-visible text refers to internal material; explain the AWS behaviour and link AWS \
         documentation instead:\n{}",
        offending.join("\n")
    );
}

#[test]
fn what_the_binary_prints_explains_aws_itself() {
    let root = root();
    let mut offending = Vec::new();

    // Every man page: the whole of `--help`, command by command.
    let pages = tempfile::tempdir().unwrap();
    Command::cargo_bin("privlink")
        .unwrap()
        .args(["man", "--dir"])
        .arg(pages.path())
        .assert()
        .success();
    let pages = files(pages.path());
    assert!(
        pages.iter().any(|p| p.ends_with("privlink-check.1")),
        "{pages:?}"
    );
    check_files(pages, false, &mut offending);

    // The reports and cost estimates of every example.
    for example in std::fs::read_dir(root.join("examples")).expect("examples") {
        let example = example.expect("example").path();
        let display = example.strip_prefix(&root).unwrap().display().to_string();
        for args in [
            vec!["check", "--no-color", "--fail-on", "never"],
            vec!["check", "--format", "json", "--fail-on", "never"],
            vec!["cost", "--no-color"],
            vec!["fix", "--no-color"],
        ] {
            let out = Command::cargo_bin("privlink")
                .unwrap()
                .args(&args)
                .arg(&display)
                .current_dir(&root)
                .output()
                .expect("privlink runs");
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let label = format!("privlink {} {display}", args.join(" "));
            offending.extend(offending_lines(&label, &printed, false));
        }
    }
    assert!(
        offending.is_empty(),
        "privlink prints references to internal material:\n{}",
        offending.join("\n")
    );
}
