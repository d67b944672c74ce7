//! privlink analysis: what each workload needs and whether it gets it.
//!
//! ```text
//! Model ──► workloads (declared, or assumed) ──► requirements (catalog) ──► flows (reach) ──► findings (rules)
//!                                                                                 └──► cost (NAT against endpoints)
//! ```
//!
//! Everything here reads only the [`privlink_model::Model`]: no file I/O, no input syntax.

pub mod catalog;
pub mod cost;
pub mod coverage;
pub mod finding;
pub mod flows_by_workload;
pub mod images;
pub mod policy;
pub mod reach;
mod region;
pub mod requirements;
pub mod rules;
pub mod workloads;

use privlink_model::{Known, Model, ResourceId, Workload};

use crate::finding::Finding;
use crate::reach::{Flow, Network, TraceOptions};

/// Analysis options.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Evaluate as if no NAT gateway, NAT instance or internet gateway route existed.
    pub endpoints_only: bool,
    /// The region to assume where the inputs do not determine one (`--region`).
    pub region: Option<String>,
}

/// A workload as analysed.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzedWorkload {
    /// The workload.
    pub workload: Workload,
    /// Its region.
    pub region: Option<String>,
    /// Its VPC.
    pub vpc: Option<ResourceId>,
}

/// The result of an analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The workloads analysed (declared, or assumed when the inputs define none).
    pub workloads: Vec<AnalyzedWorkload>,
    /// One flow per workload × subnet × required service.
    pub flows: Vec<Flow>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// How much of it is decided.
    pub coverage: coverage::Coverage,
}

impl Analysis {
    /// Reports what the analysis leaves undecided (unknown required flows, unplaced workloads) as
    /// infos instead of errors: `--allow-undecided`, so only decided flows can fail the run.
    pub fn allow_undecided(&mut self) {
        for f in &mut self.findings {
            if f.rule == "unresolved-input" && f.severity == privlink_model::Severity::Error {
                f.severity = privlink_model::Severity::Info;
            }
        }
        rules::sort(&mut self.findings);
    }
}

/// Analyses a model.
pub fn analyze(model: &Model, options: &Options) -> Analysis {
    let effective = workloads::effective_workloads(model);
    // Assumed workloads get a new security group, which the model then holds.
    let with_groups = workloads::with_assumed_groups(model, &effective);
    let model: &Model = &with_groups;
    let network = Network::new(model);
    let trace_options = TraceOptions {
        endpoints_only: options.endpoints_only,
    };
    let mut workloads = Vec::new();
    let mut flows = Vec::new();
    for workload in effective {
        let vpc = model.workload_vpc(&workload).value().cloned();
        let region = vpc
            .as_ref()
            .and_then(|v| model.vpcs.get(v))
            .and_then(|v| match &v.region {
                Known::Value(r) => Some(r.clone()),
                Known::Unknown(_) => None,
            })
            .or_else(|| options.region.clone());
        let needs = requirements::requirements(
            &workload,
            region.as_deref().unwrap_or(privlink_model::RUN_REGION),
        );
        for subnet in &workload.subnets {
            for requirement in &needs {
                let mut flow = reach::trace(
                    &network,
                    trace_options,
                    &workload,
                    subnet,
                    requirement,
                    region.as_deref(),
                );
                if region.is_none() {
                    region::settle(&network, &mut flow, requirement);
                }
                flows.push(flow);
            }
        }
        workloads.push(AnalyzedWorkload {
            workload,
            region,
            vpc,
        });
    }
    let analysed: Vec<Workload> = workloads
        .iter()
        .map(|w: &AnalyzedWorkload| w.workload.clone())
        .collect();
    let coverage = coverage::coverage(&workloads, &flows);
    let flows_by_workload = flows_by_workload::FlowsByWorkload::new(&flows);
    let ctx = rules::Context {
        model,
        network: &network,
        flows: &flows,
        flows_by_workload: &flows_by_workload,
        workloads: &analysed,
        analysed: &workloads,
        coverage: &coverage,
        endpoints_only: options.endpoints_only,
    };
    let findings = rules::run(&ctx);
    Analysis {
        workloads,
        flows,
        findings,
        coverage,
    }
}
