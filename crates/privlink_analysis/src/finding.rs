//! Findings: what is wrong, for which workload and service, where, the error it causes, and the fix.

use privlink_model::{FixIntent, Location, Severity};
use serde::Serialize;

/// How safe it is to apply a fix without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Only adds what is missing; applying it cannot break what works.
    Safe,
    /// Changes behaviour beyond the finding (e.g. opens a security group wider); review it.
    Unsafe,
    /// privlink describes it but cannot write it.
    Manual,
}

/// The change that resolves a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// One line.
    pub summary: String,
    /// How safe it is.
    pub applicability: Applicability,
    /// The changes, independent of input format.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intents: Vec<FixIntent>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Rule name.
    pub rule: &'static str,
    /// Rule code.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The workload it affects.
    pub workload: Option<String>,
    /// The service it affects (the first, when several share the cause).
    pub service: Option<String>,
    /// Every service with this cause.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// The element to change.
    pub resource: Option<String>,
    /// Where it is written.
    pub location: Option<Location>,
    /// The workload subnets affected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// The error the workload stops with.
    pub predicted_error: Option<String>,
    /// How to fix it.
    pub fix: Option<Fix>,
}
