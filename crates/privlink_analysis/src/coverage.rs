//! Coverage: how much of the analysis is decided.
//!
//! Exit status 0 must mean "checked, and it works". A required flow whose verdict is `unknown`, or a
//! workload privlink cannot place in subnets, is not checked; this module counts them per workload
//! and overall, groups the unknown flows by the fact that leaves them undecided (the first hop that
//! is not determined and the element that decides it), and says which command-line input would
//! decide each (`--region`, `--var`, `--parameter`, `--aws-snapshot`, `--workload`). The
//! `unresolved-input` rule reports the same groups as findings.

use privlink_model::{Location, Origin, Provenance, ResourceId};
use serde::Serialize;

use crate::AnalyzedWorkload;
use crate::flows_by_workload::FlowsByWorkload;
use crate::reach::{Flow, HopKind, HopStatus, Verdict};

/// Coverage of one workload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkloadCoverage {
    /// The workload's name.
    pub workload: String,
    /// Whether privlink knows every subnet the workload runs in.
    pub placed: bool,
    /// Why it is not (fully) placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unplaced_reason: Option<String>,
    /// Required flows traced.
    pub flows: usize,
    /// Flows with a definite verdict.
    pub decided: usize,
    /// Flows with the verdict `unknown`.
    pub unknown: usize,
    /// The services of the unknown flows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undecided_services: Vec<String>,
}

impl WorkloadCoverage {
    /// Whether every required flow of the workload was decided.
    pub fn fully_checked(&self) -> bool {
        self.placed && self.unknown == 0
    }
}

/// A group of unknown flows that one fact leaves undecided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownReason {
    /// The hop that is not determined.
    pub hop: HopKind,
    /// The element that would decide it, when the trace names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<ResourceId>,
    /// What is not known (the first flow's hop detail).
    pub reason: String,
    /// Where the deciding element is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The flows it leaves unknown.
    pub flows: usize,
    /// Their workloads.
    pub workloads: Vec<String>,
    /// Their services.
    pub services: Vec<String>,
    /// Their subnets.
    pub subnets: Vec<String>,
    /// The command-line inputs that can decide it.
    pub decide_with: Vec<&'static str>,
}

/// Coverage of a whole analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Coverage {
    /// Workloads analysed.
    pub workloads: usize,
    /// Workloads placed and with every required flow decided.
    pub workloads_checked: usize,
    /// Workloads not placed, or with an unknown required flow.
    pub workloads_undecided: usize,
    /// Required flows traced.
    pub flows: usize,
    /// Flows with a definite verdict.
    pub flows_decided: usize,
    /// Flows with the verdict `unknown`.
    pub flows_unknown: usize,
    /// The unknown flows grouped by what leaves them undecided, most flows first.
    pub unknown_reasons: Vec<UnknownReason>,
    /// Per workload, in analysis order (reports put it on each workload).
    #[serde(skip)]
    pub per_workload: Vec<WorkloadCoverage>,
}

impl Coverage {
    /// Whether every workload is placed and every required flow decided.
    pub fn complete(&self) -> bool {
        self.workloads_undecided == 0
    }

    /// The coverage of the workload called `name`.
    pub fn of(&self, name: &str) -> Option<&WorkloadCoverage> {
        self.per_workload.iter().find(|w| w.workload == name)
    }
}

/// Computes the coverage of `flows` traced for `workloads`.
pub fn coverage(workloads: &[AnalyzedWorkload], flows: &[Flow]) -> Coverage {
    let mut per_workload = Vec::new();
    let mut reasons: Vec<UnknownReason> = Vec::new();
    let by_workload = FlowsByWorkload::new(flows);
    for a in workloads {
        let w = &a.workload;
        let mine = by_workload.of(&w.name);
        let unknown: Vec<&Flow> = mine
            .iter()
            .copied()
            .filter(|f| f.verdict == Verdict::Unknown)
            .collect();
        let unplaced_reason = if w.subnets.known.is_empty() {
            Some(
                w.subnets
                    .unknown
                    .as_ref()
                    .map_or_else(|| "it names no subnets".to_owned(), |u| u.reason.clone()),
            )
        } else {
            w.subnets
                .unknown
                .as_ref()
                .map(|u| format!("further subnets are not known ({})", u.reason))
        };
        let mut undecided_services = Vec::new();
        for f in &unknown {
            push_unique(&mut undecided_services, &f.service);
            add_reason(&mut reasons, a, f);
        }
        per_workload.push(WorkloadCoverage {
            workload: w.name.clone(),
            placed: unplaced_reason.is_none(),
            unplaced_reason,
            flows: mine.len(),
            decided: mine.len() - unknown.len(),
            unknown: unknown.len(),
            undecided_services,
        });
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.flows));
    let workloads_checked = per_workload.iter().filter(|w| w.fully_checked()).count();
    let flows_unknown = flows
        .iter()
        .filter(|f| f.verdict == Verdict::Unknown)
        .count();
    Coverage {
        workloads: per_workload.len(),
        workloads_checked,
        workloads_undecided: per_workload.len() - workloads_checked,
        flows: flows.len(),
        flows_decided: flows.len() - flows_unknown,
        flows_unknown,
        unknown_reasons: reasons,
        per_workload,
    }
}

/// Adds an unknown flow to the group of the fact that leaves it undecided.
fn add_reason(reasons: &mut Vec<UnknownReason>, a: &AnalyzedWorkload, flow: &Flow) {
    let hop = flow.hops.iter().find(|h| h.status == HopStatus::Unknown);
    let kind = hop.map_or(HopKind::Dns, |h| h.kind);
    let element = hop.and_then(|h| h.element.clone());
    let index = reasons
        .iter()
        .position(|r| r.hop == kind && r.element == element);
    let index = index.unwrap_or_else(|| {
        reasons.push(UnknownReason {
            hop: kind,
            element: element.clone(),
            reason: hop.map_or_else(
                || "the trace stopped without a verdict".to_owned(),
                |h| h.detail.clone(),
            ),
            location: hop.and_then(|h| h.location.clone()),
            flows: 0,
            workloads: Vec::new(),
            services: Vec::new(),
            subnets: Vec::new(),
            decide_with: Vec::new(),
        });
        reasons.len() - 1
    });
    let r = &mut reasons[index];
    r.flows += 1;
    push_unique(&mut r.workloads, &flow.workload);
    push_unique(&mut r.services, &flow.service);
    push_unique(&mut r.subnets, flow.subnet.as_str());
    for hint in decide_with(a) {
        if !r.decide_with.contains(&hint) {
            r.decide_with.push(hint);
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_owned());
    }
}

/// The language a workload is written in, as far as its provenance tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Terraform configuration, plan or state.
    Terraform,
    /// A CloudFormation template (or CDK output).
    CloudFormation,
    /// A live scan or its snapshot.
    Account,
    /// `--workload` / `privlink.toml`, or privlink's own assumption.
    Unknown,
}

/// The language of the input an element comes from.
pub fn language(provenance: &Provenance) -> Language {
    if matches!(provenance.origin, Origin::Assumed) {
        return Language::Unknown;
    }
    let address = provenance.address.as_str();
    let path = provenance
        .location
        .as_ref()
        .map(|l| l.path.as_str())
        .unwrap_or_default();
    if path.ends_with(".tf")
        || path.ends_with(".tf.json")
        || path.ends_with(".tfplan.json")
        || address.starts_with("aws_")
        || address.starts_with("module.")
        || address.starts_with("data.")
    {
        Language::Terraform
    } else if address.starts_with("arn:")
        || (address.contains('-') && address.split('-').next().is_some_and(is_aws_id_prefix))
    {
        Language::Account
    } else if path.is_empty() {
        Language::Unknown
    } else {
        Language::CloudFormation
    }
}

fn is_aws_id_prefix(prefix: &str) -> bool {
    matches!(prefix, "vpc" | "subnet" | "sg" | "vpce" | "rtb" | "acl")
}

/// The command-line inputs that can decide what a workload's analysis leaves unknown.
pub fn decide_with(a: &AnalyzedWorkload) -> Vec<&'static str> {
    let mut hints = Vec::new();
    if a.region.is_none() {
        hints.push("--region");
    }
    match language(&a.workload.provenance) {
        Language::Terraform => hints.extend(["--var", "--aws-snapshot"]),
        Language::CloudFormation => hints.extend(["--parameter", "--aws-snapshot"]),
        Language::Account => hints.push("--aws-snapshot"),
        Language::Unknown => hints.extend(["--var", "--parameter", "--aws-snapshot"]),
    }
    hints
}

/// `--region REGION`, `--var NAME=VALUE`, ...: how to write each hint.
pub fn hint_usage(hint: &str) -> &'static str {
    match hint {
        "--region" => "`--region REGION`",
        "--var" => "`--var NAME=VALUE` (or `--var-file`)",
        "--parameter" => "`--parameter KEY=VALUE`",
        "--aws-snapshot" => "`--aws-snapshot FILE` (from `privlink aws scan --save FILE`)",
        "--workload" => "`--workload kind=...,subnets=...`",
        _ => "the inputs that define it",
    }
}
