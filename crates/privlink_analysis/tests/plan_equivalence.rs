//! One network, however Terraform describes it, gives the same flows and findings: as HCL, as
//! Terraform JSON syntax (`.tf.json`), as the plan Terraform makes of it, and as that plan given
//! with its configuration directory (which must then also give the same locations as the HCL).
//!
//! The plans are real `terraform show -json` output, written by `scripts/regenerate-plans`.

use std::path::{Path, PathBuf};

use privlink_analysis::finding::Finding;
use privlink_analysis::reach::Flow;
use privlink_analysis::{Analysis, AnalyzedWorkload, Options, analyze};
use privlink_ingest::{LoadOptions, load};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

const FIXTURES: &str = "crates/privlink_ingest/tests/fixtures";

fn analyse(paths: &[PathBuf]) -> Analysis {
    let loaded = load(paths, &LoadOptions::default());
    for input in &loaded.inputs {
        assert!(input.is_ok(), "{}: {:?}", input.path, input.errors);
    }
    analyze(&loaded.model, &Options::default())
}

/// Flows, findings and workloads without source locations (plan JSON has none, and a `.tf.json`
/// has its own).
fn without_locations(analysis: &Analysis) -> (Vec<Flow>, Vec<Finding>, Vec<AnalyzedWorkload>) {
    let mut flows = analysis.flows.clone();
    for flow in &mut flows {
        for hop in &mut flow.hops {
            hop.location = None;
        }
        for blocked in [&mut flow.blocked, &mut flow.without_nat]
            .into_iter()
            .flatten()
        {
            blocked.location = None;
        }
    }
    let mut findings = analysis.findings.clone();
    for finding in &mut findings {
        finding.location = None;
    }
    let mut workloads = analysis.workloads.clone();
    for w in &mut workloads {
        w.workload.provenance.location = None;
        for image in &mut w.workload.images {
            image.location = None;
        }
    }
    (flows, findings, workloads)
}

/// Asserts two lists are equal, showing where the first pair that differs differs (flows are
/// long).
fn assert_same<T: PartialEq + std::fmt::Debug>(left: &[T], right: &[T], what: &str) {
    let Some(i) = (0..left.len().max(right.len())).find(|&i| left.get(i) != right.get(i)) else {
        return;
    };
    let (l, r) = (
        format!("{:#?}", left.get(i)),
        format!("{:#?}", right.get(i)),
    );
    let (l, r): (Vec<&str>, Vec<&str>) = (l.lines().collect(), r.lines().collect());
    let line = (0..l.len().max(r.len()))
        .find(|&n| l.get(n) != r.get(n))
        .unwrap_or(0);
    let window =
        |v: &[&str]| v[line.saturating_sub(12).min(v.len())..(line + 3).min(v.len())].join("\n");
    panic!(
        "{what}: element {i} differs at line {line}:\n--- left\n{}\n--- right\n{}",
        window(&l),
        window(&r)
    );
}

#[test]
fn hcl_tf_json_and_plan_give_the_same_flows_and_findings() {
    let hcl = analyse(&[path(&format!("{FIXTURES}/equivalence/hcl"))]);
    assert_eq!(hcl.flows.len(), 10, "5 services in 2 subnets");
    let rules: Vec<(&str, Option<&str>)> = hcl
        .findings
        .iter()
        .map(|f| (f.rule, f.service.as_deref()))
        .collect();
    assert_eq!(rules, [("missing-interface-endpoint", Some("logs"))]);
    let at = hcl.findings[0].location.as_ref().expect("a location");
    assert!(at.path.ends_with("equivalence/hcl/main.tf"), "{at}");

    let (flows, findings, workloads) = without_locations(&hcl);
    let tf_json = analyse(&[path(&format!("{FIXTURES}/equivalence/tf-json"))]);
    let (json_flows, json_findings, json_workloads) = without_locations(&tf_json);
    assert_same(&json_flows, &flows, ".tf.json: flows");
    assert_same(&json_findings, &findings, ".tf.json: findings");
    assert_same(&json_workloads, &workloads, ".tf.json: workloads");

    let plan = path(&format!("{FIXTURES}/plans/equivalence.plan.json"));
    let plan_only = analyse(std::slice::from_ref(&plan));
    let (plan_flows, plan_findings, plan_workloads) = without_locations(&plan_only);
    assert_same(&plan_flows, &flows, "plan JSON: flows");
    assert_same(&plan_findings, &findings, "plan JSON: findings");
    assert_same(&plan_workloads, &workloads, "plan JSON: workloads");

    // With its configuration, a plan's findings point where the HCL's do.
    let paired = analyse(&[plan, path(&format!("{FIXTURES}/equivalence/hcl"))]);
    assert_same(&paired.flows, &hcl.flows, "plan + HCL directory: flows");
    assert_same(
        &paired.findings,
        &hcl.findings,
        "plan + HCL directory: findings",
    );
    assert_same(
        &paired.workloads,
        &hcl.workloads,
        "plan + HCL directory: workloads",
    );
}

#[test]
fn example_plans_with_their_directories_agree_with_the_directories() {
    for example in [
        "dedicated-endpoint-subnets",
        "fargate-secrets",
        "eks-privatelink",
    ] {
        let dir = path(&format!("examples/{example}"));
        let hcl = analyse(std::slice::from_ref(&dir));
        assert!(!hcl.flows.is_empty(), "{example}");
        let paired = analyse(&[path(&format!("{FIXTURES}/plans/{example}.plan.json")), dir]);
        assert_same(&paired.flows, &hcl.flows, &format!("{example}: flows"));
        assert_same(
            &paired.findings,
            &hcl.findings,
            &format!("{example}: findings"),
        );
    }
}
