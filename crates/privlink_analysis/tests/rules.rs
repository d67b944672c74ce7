//! Every rule against its fixtures: each case under `tests/fixtures/rules/<rule>/` names a fixture
//! network and the variables that break (or keep) it, and says whether the rule must fire. The
//! findings of each case are pinned in a snapshot.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use privlink_analysis::rules::RULES;
use privlink_analysis::{Analysis, Options, analyze};
use privlink_ingest::terraform::config::ConfigOptions;
use privlink_ingest::{LoadOptions, load};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    fixture: String,
    expect: Expect,
    #[serde(default)]
    endpoints_only: bool,
    #[serde(default)]
    vars: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Fires,
    Silent,
}

fn fixtures() -> PathBuf {
    Path::new("tests/fixtures").to_path_buf()
}

fn run(case: &Case) -> (Analysis, Vec<String>) {
    let options = LoadOptions {
        terraform: ConfigOptions {
            vars: case.vars.clone().into_iter().collect(),
            ..ConfigOptions::default()
        },
        region: None,
        ..LoadOptions::default()
    };
    let loaded = load(&[fixtures().join(&case.fixture)], &options);
    let errors = loaded
        .inputs
        .iter()
        .flat_map(|i| i.errors.iter().map(ToString::to_string))
        .collect();
    (
        analyze(
            &loaded.model,
            &Options {
                endpoints_only: case.endpoints_only,
                region: None,
            },
        ),
        errors,
    )
}

fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for f in &analysis.findings {
        let at = f
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let _ = writeln!(out, "{} {} {} at {at}", f.severity, f.code, f.rule);
        let _ = writeln!(out, "  {}", f.message);
        if !f.subnets.is_empty() {
            let _ = writeln!(out, "  subnets: {}", f.subnets.join(", "));
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  fix ({:?}): {}", fix.applicability, fix.summary);
        }
    }
    out
}

#[test]
fn every_rule_fires_on_its_broken_case_and_is_silent_on_the_fixed_one() {
    let mut failures = Vec::new();
    for rule in RULES {
        let dir = fixtures().join("rules").join(rule.name);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| {
                panic!(
                    "{} has no fixture directory {}: {e}",
                    rule.name,
                    dir.display()
                )
            })
            .map(|e| e.expect("readable fixture directory").path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        cases.sort();
        let mut seen = (false, false);
        for path in cases {
            let case: Case =
                toml::from_str(&std::fs::read_to_string(&path).expect("readable case"))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let (analysis, errors) = run(&case);
            assert!(
                errors.is_empty(),
                "{}: the fixture does not load cleanly: {errors:?}",
                path.display()
            );
            let fired = analysis.findings.iter().any(|f| f.rule == rule.name);
            match case.expect {
                Expect::Fires => seen.0 = true,
                Expect::Silent => seen.1 = true,
            }
            if fired != (case.expect == Expect::Fires) {
                failures.push(format!(
                    "{} ({}): expected {:?}, findings:\n{}",
                    path.display(),
                    case.description,
                    case.expect,
                    render(&analysis)
                ));
            }
            for w in &analysis.coverage.per_workload {
                let said = analysis.findings.iter().any(|f| {
                    f.rule == "unresolved-input"
                        && f.severity == privlink_model::Severity::Error
                        && f.workload.as_deref() == Some(w.workload.as_str())
                });
                if !w.fully_checked() && !said {
                    failures.push(format!(
                        "{}: workload {} is not fully checked and no unresolved-input error says so",
                        path.display(),
                        w.workload
                    ));
                }
            }
            let name = format!(
                "{}__{}",
                rule.name,
                path.file_stem().expect("file name").to_string_lossy()
            );
            insta::with_settings!({ description => case.description.clone(), omit_expression => true }, {
                insta::assert_snapshot!(name, render(&analysis));
            });
        }
        assert!(
            seen.0 && seen.1,
            "{} needs at least one `fires` and one `silent` case",
            rule.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_reference_network_is_clean() {
    let case = Case {
        description: String::new(),
        fixture: "network".into(),
        expect: Expect::Silent,
        endpoints_only: true,
        vars: BTreeMap::new(),
    };
    let (analysis, errors) = run(&case);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(analysis.findings.is_empty(), "{}", render(&analysis));
    assert_eq!(
        analysis.flows.len(),
        2 * 4,
        "two subnets × ecr.api, ecr.dkr, s3, logs"
    );
    assert!(
        analysis
            .flows
            .iter()
            .all(|f| f.verdict == privlink_analysis::reach::Verdict::Endpoint)
    );
}
