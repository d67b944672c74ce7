//! privlink's `invalid-cloudformation` findings on resource properties against cfn-lint itself: for
//! every template under `tests/fixtures/validate/cloudformation/`, cfn-lint's E3002 (unknown
//! property), E3003 (required property), E3012 (type) and E3030 (enumeration) matches and privlink's
//! findings are the same, at the same line, with the same words.
//!
//! cfn-lint comes from `.venv` (installed by `scripts/test`) or the `PATH`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use privlink_ingest::{LoadOptions, load};
use privlink_model::DiagnosticKind;

const CASES: &str = "tests/fixtures/validate/cloudformation";
const RULES: [&str; 4] = ["E3002", "E3003", "E3012", "E3030"];

/// One problem: line, message.
type Problem = (u32, String);

fn cfn_lint() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/cfn-lint");
    if venv.is_file() {
        return venv;
    }
    let on_path = Command::new("cfn-lint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        on_path,
        "cfn-lint is not installed: run scripts/test, which installs it into .venv"
    );
    PathBuf::from("cfn-lint")
}

/// cfn-lint's matches of a template, by rule.
fn lint(template: &Path) -> Vec<(String, u32, String)> {
    let out = Command::new(cfn_lint())
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .arg(template)
        .output()
        .expect("cfn-lint runs");
    let matches: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint JSON for {}: {e}: {}",
            template.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    matches
        .as_array()
        .expect("a list of matches")
        .iter()
        .map(|m| {
            (
                m["Rule"]["Id"].as_str().unwrap_or_default().to_owned(),
                u32::try_from(m["Location"]["Start"]["LineNumber"].as_u64().unwrap_or(0))
                    .unwrap_or(0),
                m["Message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn privlink(template: &Path) -> BTreeSet<Problem> {
    let loaded = load(
        &[template.to_path_buf()],
        &LoadOptions {
            region: Some("us-east-1".to_owned()),
            ..LoadOptions::default()
        },
    );
    let errors: Vec<String> = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", template.display());
    loaded
        .model
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::InvalidCloudformation)
        .map(|d| {
            let location = d.location.as_ref().expect("located");
            (location.line, d.message.clone())
        })
        .collect()
}

#[test]
fn privlink_reports_what_cfn_lint_reports() {
    let mut templates: Vec<PathBuf> = std::fs::read_dir(CASES)
        .expect("the validation fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    templates.sort();
    assert!(templates.len() >= 4, "{templates:?}");
    let mut failures = Vec::new();
    let mut problems = 0;
    for template in &templates {
        let expected: BTreeSet<Problem> = lint(template)
            .into_iter()
            .filter(|(rule, _, _)| RULES.contains(&rule.as_str()))
            .map(|(_, line, message)| (line, message))
            .collect();
        let found = privlink(template);
        problems += expected.len();
        if expected != found {
            let missing: Vec<_> = expected.difference(&found).collect();
            let extra: Vec<_> = found.difference(&expected).collect();
            failures.push(format!(
                "{}:\n  cfn-lint only: {missing:#?}\n  privlink only: {extra:#?}",
                template.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(problems >= 20, "the templates cover {problems} problems");
}

/// A value that comes from a parameter: cfn-lint warns at the parameter (W1030), privlink reports it
/// where the property uses it, as CloudFormation fails on that resource. Both call it invalid.
#[test]
fn a_parameter_outside_the_enumeration_is_invalid_where_it_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("endpoint.yaml");
    std::fs::write(
        &template,
        r"AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EndpointType:
    Type: String
    Default: interface
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0123456789abcdef0
      ServiceName: com.amazonaws.us-east-1.logs
      VpcEndpointType: !Ref EndpointType
",
    )
    .expect("write");
    let lint = lint(&template);
    assert!(
        lint.iter().any(|(rule, line, message)| rule == "W1030"
            && *line == 5
            && message.contains("'Interface'")),
        "{lint:?}"
    );
    let found = privlink(&template);
    assert_eq!(
        found,
        [(
            12,
            "'interface' is not one of ['Interface', 'Gateway', 'GatewayLoadBalancer', 'ServiceNetwork', 'Resource', 'Tunnel']".to_owned()
        )]
        .into()
    );
}
