//! SARIF validation shared by the tests that produce SARIF (the report itself, the GitHub Action):
//! the official SARIF 2.1.0 schema (the copy Microsoft ships in its SARIF multitool on npm,
//! installed by `scripts/test` into `testdata/sarif/`), and what GitHub code scanning requires of
//! an upload.

use std::path::Path;

use serde_json::Value;

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../testdata/sarif/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json",
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run scripts/test, which installs the SARIF schema with npm",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The log validates against the SARIF 2.1.0 schema.
pub(crate) fn assert_valid(log: &Value) {
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

/// GitHub code scanning accepts the log: one rule per rule name, results that name a rule of the
/// driver, repository-relative artifact URIs and 1-based regions.
pub(crate) fn assert_github_accepts(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "one rule per rule name");
    for rule in rules {
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|t| t.contains("## What it does"))
        );
    }
    for result in run["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex");
        assert_eq!(
            ids[usize::try_from(index).expect("index")],
            id,
            "ruleIndex points at the rule"
        );
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "GitHub shows results at a location");
        for l in locations {
            let uri = l["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(
                !uri.starts_with('/') && !uri.contains("://") && !uri.starts_with("./"),
                "repository-relative: {uri}"
            );
            if let Some(region) = l["physicalLocation"].get("region") {
                assert!(region["startLine"].as_u64().is_some_and(|n| n >= 1));
            }
        }
    }
}
