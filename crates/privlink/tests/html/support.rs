//! What the HTML report tests share: running privlink, parsing pages, selecting elements.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};
use serde_json::Value;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

pub(crate) fn privlink(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("privlink")
        .expect("binary")
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

/// The HTML report and the JSON report of the same inputs.
pub(crate) fn reports(args: &[&str]) -> (String, Value) {
    let (_, html) = privlink(&[&["check", "--format", "html"][..], args].concat());
    let (_, json) = privlink(&[&["check", "--format", "json"][..], args].concat());
    (html, serde_json::from_str(&json).expect("json report"))
}

pub(crate) fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("a valid selector");
    doc.select(&selector).collect()
}

pub(crate) fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect()
}

/// Parses a page and fails on any HTML parse error.
pub(crate) fn parse_strict(html: &str) -> Html {
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    doc
}

pub(crate) const FIXTURE_MANY: &str = "crates/privlink/tests/fixtures/html/many";
