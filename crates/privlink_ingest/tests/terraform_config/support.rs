//! Helpers: evaluate fixtures or inline files, and find resources, attributes and diagnostics.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use privlink_ingest::terraform::config::{ConfigOptions, EvaluatedConfig, evaluate_directory};
use privlink_ingest::terraform::resource::TfResource;
use privlink_ingest::terraform::value::{Reference, Value};
use privlink_model::DiagnosticKind;

/// The fixture directory `tests/fixtures/terraform/NAME`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
}

/// Evaluates a fixture, displayed as `fixtures/NAME`.
pub(crate) fn eval_fixture(name: &str) -> EvaluatedConfig {
    eval_fixture_with(name, &ConfigOptions::default())
}

/// Evaluates a fixture with options.
pub(crate) fn eval_fixture_with(name: &str, options: &ConfigOptions) -> EvaluatedConfig {
    evaluate_directory(&fixture(name), &format!("fixtures/{name}"), options)
}

/// Writes files into a temporary directory and evaluates it, displayed as `cfg`.
pub(crate) fn eval_files(files: &[(&str, &str)]) -> EvaluatedConfig {
    eval_files_with(files, &ConfigOptions::default())
}

/// Same, with options.
pub(crate) fn eval_files_with(files: &[(&str, &str)], options: &ConfigOptions) -> EvaluatedConfig {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    evaluate_directory(dir.path(), "cfg", options)
}

/// Writes `(relative path, text)` files under `root`.
pub(crate) fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

/// The resource with this address.
pub(crate) fn resource<'a>(config: &'a EvaluatedConfig, address: &str) -> &'a TfResource {
    config
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            panic!(
                "no resource {address}; have: {:?}",
                config
                    .resources
                    .iter()
                    .map(|r| &r.address)
                    .collect::<Vec<_>>()
            )
        })
}

/// An attribute of a resource.
pub(crate) fn attr<'a>(config: &'a EvaluatedConfig, address: &str, path: &str) -> &'a Value {
    resource(config, address)
        .get(path)
        .unwrap_or_else(|| panic!("{address} has no attribute {path}"))
}

/// An unknown that is exactly `address` / `attribute`.
pub(crate) fn is_ref(value: &Value, address: &str, attribute: &str) -> bool {
    value.as_unknown().and_then(|u| u.reference.as_ref())
        == Some(&Reference::new(address, attribute))
}

/// A string value.
pub(crate) fn s(text: &str) -> Value {
    Value::string(text)
}

/// The messages of diagnostics of one kind.
pub(crate) fn messages(config: &EvaluatedConfig, kind: DiagnosticKind) -> Vec<String> {
    config
        .diagnostics
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.message.clone())
        .collect()
}

/// A readable dump of everything evaluated, for snapshots.
pub(crate) fn dump(config: &EvaluatedConfig) -> String {
    let mut out = String::new();
    for r in &config.resources {
        let loc = r
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let region = match &r.region {
            privlink_model::Known::Value(v) => v.clone(),
            privlink_model::Known::Unknown(u) => format!("unknown: {}", u.reason),
        };
        let _ = writeln!(out, "{}  @ {loc}  region={region}", r.address);
        for (k, v) in &r.attributes {
            let _ = writeln!(out, "    {k} = {v}");
        }
    }
    for d in &config.diagnostics {
        let loc = d
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let _ = writeln!(out, "{:?} @ {loc}: {}", d.kind, d.message);
    }
    for e in &config.errors {
        let _ = writeln!(out, "error: {e}");
    }
    out
}
