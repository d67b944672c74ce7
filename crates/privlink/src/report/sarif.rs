//! The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.
//!
//! One reporting descriptor per rule (id = the rule's name, help = its documentation), one result per
//! finding at its source location (repository-relative URIs), and the inputs that could not be read
//! as tool execution notifications.

use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use privlink_analysis::finding::Finding;
use privlink_analysis::rules::RULES;
use privlink_model::{Location, Severity};
use serde_json::{Value, json};

use crate::session::Session;

/// Characters escaped in URI paths (RFC 3986: everything but unreserved characters and `/`).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A repository-relative URI for a path as the user gave it.
fn uri(path: &str) -> String {
    let path = Path::new(path);
    let relative = match (path.is_absolute(), std::env::current_dir()) {
        (true, Ok(cwd)) => path.strip_prefix(&cwd).unwrap_or(path),
        _ => path,
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    utf8_percent_encode(text.trim_start_matches("./"), PATH).to_string()
}

fn physical(location: &Location) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(&location.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": location.line.max(1), "startColumn": location.column.max(1)}
        }
    })
}

fn message(f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(e) = &f.predicted_error {
        text.push_str(&format!("\n\nPredicted error: {e}"));
    }
    if let Some(fix) = &f.fix {
        text.push_str(&format!("\n\nFix: {}", fix.summary));
    }
    text
}

fn result(f: &Finding, fallback: Option<&str>) -> Value {
    let index = RULES.iter().position(|r| r.name == f.rule).unwrap_or(0);
    let locations = match (&f.location, fallback) {
        (Some(l), _) => vec![physical(l)],
        // A finding without a source line (a workload from the command line) points at the input.
        (None, Some(path)) => vec![
            json!({"physicalLocation": {"artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}}}),
        ],
        (None, None) => Vec::new(),
    };
    let mut properties = json!({"code": f.code});
    for (key, value) in [
        ("workload", &f.workload),
        ("service", &f.service),
        ("resource", &f.resource),
    ] {
        if let Some(v) = value {
            properties[key] = json!(v);
        }
    }
    if !f.services.is_empty() {
        properties["services"] = json!(f.services);
    }
    if !f.subnets.is_empty() {
        properties["subnets"] = json!(f.subnets);
    }
    json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": message(f)},
        "locations": locations,
        "properties": properties,
    })
}

/// The run's coverage: the JSON report's `summary.coverage`, with the workloads not fully checked.
fn coverage(c: &privlink_analysis::coverage::Coverage) -> Value {
    let mut value = json!(c);
    value["undecided_workloads"] = json!(
        c.per_workload
            .iter()
            .filter(|w| !w.fully_checked())
            .collect::<Vec<_>>()
    );
    value
}

/// The SARIF log.
pub(crate) fn report(session: &Session) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "name": r.name.split('-').map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
                }).collect::<String>(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs, "markdown": r.docs},
                "helpUri": format!("https://github.com/privlink/privlink/blob/main/docs/rules/{}.md", r.name),
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"code": r.code, "tags": ["aws", "network", "vpc-endpoints"], "precision": "high"},
            })
        })
        .collect();
    let fallback = session.inputs.first().map(|i| i.path.as_str());
    let results: Vec<Value> = session
        .analysis
        .findings
        .iter()
        .map(|f| result(f, fallback))
        .collect();
    let notifications: Vec<Value> = session
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter())
        .map(|e| {
            let mut n = json!({"level": "error", "message": {"text": e.message}, "descriptor": {"id": "input-error"}});
            if let Some(l) = e.location() {
                n["locations"] = json!([physical(&l)]);
            } else {
                n["locations"] = json!([{"physicalLocation": {"artifactLocation": {"uri": uri(&e.path), "uriBaseId": "%SRCROOT%"}}}]);
            }
            n
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "privlink",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/privlink/privlink",
                "rules": rules,
            }},
            "properties": {"coverage": coverage(&session.analysis.coverage)},
            "invocations": [{
                "executionSuccessful": !session.has_input_errors(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}
