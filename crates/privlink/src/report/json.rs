//! The JSON report (SPEC.md, schema_version 1).

use privlink_analysis::coverage::{Coverage, WorkloadCoverage};
use privlink_analysis::finding::Finding;
use privlink_analysis::reach::{Flow, HopStatus};
use privlink_model::{Known, Severity};
use serde::Serialize;

use crate::session::Session;

/// The report.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    endpoints_only: bool,
    inputs: Vec<Input>,
    workloads: Vec<Workload<'a>>,
    flows: Vec<FlowOut>,
    findings: &'a [Finding],
    summary: SummaryOut<'a>,
    cost: super::cost::CostJson,
}

#[derive(Debug, Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct Input {
    path: String,
    format: &'static str,
    status: &'static str,
    diagnostics: Vec<InputDiagnostic>,
}

#[derive(Debug, Serialize)]
struct InputDiagnostic {
    path: String,
    line: Option<u32>,
    column: Option<u32>,
    message: String,
    help: Option<String>,
}

#[derive(Debug, Serialize)]
struct Workload<'a> {
    name: String,
    kind: &'static str,
    platform_version: Option<String>,
    region: Option<String>,
    vpc: Option<String>,
    subnets: Vec<String>,
    security_groups: Vec<String>,
    features: Vec<String>,
    images: Vec<Option<String>>,
    assumed: bool,
    source: Option<Source>,
    coverage: Option<&'a WorkloadCoverage>,
}

#[derive(Debug, Serialize)]
struct Source {
    path: String,
    line: u32,
}

#[derive(Debug, Serialize)]
struct FlowOut {
    workload: String,
    subnet: String,
    az: Option<String>,
    service: String,
    purpose: String,
    verdict: String,
    via: Option<String>,
    hops: Vec<HopOut>,
    blocked_by: Option<BlockedBy>,
}

#[derive(Debug, Serialize)]
struct HopOut {
    kind: String,
    detail: String,
    ok: bool,
    status: HopStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<privlink_model::Location>,
}

#[derive(Debug, Serialize)]
struct BlockedBy {
    rule: &'static str,
    resource: String,
}

/// The JSON `summary`: counts of findings by severity, and how much was checked.
#[derive(Debug, Serialize)]
struct SummaryOut<'a> {
    #[serde(flatten)]
    counts: Summary,
    coverage: &'a Coverage,
}

/// Counts of findings by severity.
#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    /// Errors.
    pub(crate) errors: usize,
    /// Warnings.
    pub(crate) warnings: usize,
    /// Infos.
    pub(crate) infos: usize,
}

/// Counts findings by severity.
pub(crate) fn summary(findings: &[Finding]) -> Summary {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    }
}

fn flow_out(flow: &Flow) -> FlowOut {
    FlowOut {
        workload: flow.workload.clone(),
        subnet: flow.subnet.to_string(),
        az: flow.az.value().cloned(),
        service: flow.service.clone(),
        purpose: flow.purpose.clone(),
        verdict: flow.verdict.to_string(),
        via: flow.via.as_ref().map(ToString::to_string),
        hops: flow
            .hops
            .iter()
            .map(|h| HopOut {
                kind: h.kind.to_string(),
                detail: h.detail.clone(),
                ok: matches!(h.status, HopStatus::Ok | HopStatus::Warning),
                status: h.status,
                element: h.element.as_ref().map(ToString::to_string),
                location: h.location.clone(),
            })
            .collect(),
        blocked_by: flow.blocked.as_ref().map(|b| BlockedBy {
            rule: b.cause.rule(),
            resource: b.resource.to_string(),
        }),
    }
}

/// Builds the report.
pub(crate) fn report(session: &Session) -> Report<'_> {
    let analysis = &session.analysis;
    Report {
        schema_version: 1,
        tool: Tool {
            name: "privlink",
            version: env!("CARGO_PKG_VERSION"),
        },
        endpoints_only: session.endpoints_only,
        inputs: session
            .inputs
            .iter()
            .map(|i| Input {
                path: i.path.clone(),
                format: i.format.as_str(),
                status: if i.is_ok() { "ok" } else { "error" },
                diagnostics: i
                    .errors
                    .iter()
                    .map(|e| InputDiagnostic {
                        path: e.path.clone(),
                        line: e.position.map(|p| p.0),
                        column: e.position.map(|p| p.1),
                        message: e.message.clone(),
                        help: e.help.clone(),
                    })
                    .collect(),
            })
            .collect(),
        workloads: analysis
            .workloads
            .iter()
            .map(|a| {
                let w = &a.workload;
                Workload {
                    name: w.name.clone(),
                    kind: w.kind.as_str(),
                    platform_version: w.platform_version.clone().or_else(|| {
                        (w.kind == privlink_model::WorkloadKind::EcsFargate)
                            .then(|| "LATEST".to_owned())
                    }),
                    region: a.region.clone(),
                    vpc: a.vpc.as_ref().map(ToString::to_string),
                    subnets: w.subnets.iter().map(ToString::to_string).collect(),
                    security_groups: w.security_groups.iter().map(ToString::to_string).collect(),
                    features: w.features.iter().map(ToString::to_string).collect(),
                    images: w
                        .images
                        .iter()
                        .map(|i| match &i.reference {
                            Known::Value(v) => Some(v.clone()),
                            Known::Unknown(_) => None,
                        })
                        .collect(),
                    assumed: w.assumed,
                    source: w.provenance.location.as_ref().map(|l| Source {
                        path: l.path.clone(),
                        line: l.line,
                    }),
                    coverage: analysis.coverage.of(&w.name),
                }
            })
            .collect(),
        flows: analysis.flows.iter().map(flow_out).collect(),
        findings: &analysis.findings,
        summary: SummaryOut {
            counts: summary(&analysis.findings),
            coverage: &analysis.coverage,
        },
        cost: super::cost::json_for_check(session),
    }
}
