//! `docs/rules/` is generated from the rules' own documentation (the text `privlink rule NAME`
//! prints). This test fails when a file is stale, missing or left over; run it with
//! `PRIVLINK_BLESS=1` to rewrite them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use privlink_analysis::rules::RULES;

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn expected() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.name), r.docs.to_owned()))
        .collect();
    let mut index = String::from(
        "# Rules\n\nGenerated from the rules' documentation (`privlink rule NAME` prints the same text).\n\n| code | rule | severity | what it finds |\n|---|---|---|---|\n",
    );
    let mut sorted: Vec<_> = RULES.iter().collect();
    sorted.sort_by_key(|r| r.code);
    for r in sorted {
        let _ = writeln!(
            index,
            "| {} | [{}]({}.md) | {} | {} |",
            r.code, r.name, r.name, r.severity, r.summary
        );
    }
    files.push(("README.md".to_owned(), index));
    files
}

#[test]
fn rule_docs_are_current() {
    let dir = docs_dir();
    let bless = std::env::var_os("PRIVLINK_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
    }
    let expected = expected();
    let mut stale = Vec::new();
    for (name, text) in &expected {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, text).expect("write doc");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    for entry in std::fs::read_dir(&dir).expect("docs/rules exists") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !expected.iter().any(|(n, _)| *n == name) {
            if bless {
                std::fs::remove_file(dir.join(&name)).expect("remove stale doc");
            } else {
                stale.push(format!("{name} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale: {stale:?}; run `PRIVLINK_BLESS=1 cargo test -p privlink_analysis --test docs`"
    );
}
