//! Problems a front-end finds in the inputs themselves, reported as findings by the analysis.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Location;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Works today but is fragile or costly.
    Warning,
    /// The workload will not start or the apply will fail.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// What a load diagnostic is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// Terraform the provider or Terraform itself would reject.
    InvalidTerraform,
    /// CloudFormation that CloudFormation would reject.
    InvalidCloudformation,
    /// A value that could not be resolved from the inputs.
    UnresolvedInput,
    /// Part of the inputs that could not be read at all (a module that is not installed, a nested
    /// template that is not given): its elements are missing from the check, not merely unknown, so
    /// the run cannot vouch for the network.
    UnreadInput,
}

/// A problem in an input that still loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// What it is about.
    pub kind: DiagnosticKind,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where.
    pub location: Option<Location>,
    /// The resource it concerns, if any.
    pub resource: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// The error Terraform, CloudFormation or AWS would print, when there is a known one.
    pub predicted_error: Option<String>,
}

/// An argument or property the inputs misspell: Terraform or CloudFormation rejects it, and the
/// analysis reads the element as if it were not written. A fix that sets the argument it stands for
/// renames it instead of writing the right name beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misspelling {
    /// Where the block or resource that holds it starts (the location of its element's provenance).
    pub block: Location,
    /// The path of the nested block it is written in, empty at the top level of the block
    /// (`vpc_config.0`, `NetworkConfiguration.AwsvpcConfiguration`).
    pub parent: String,
    /// The name as written: `private_dns_enable`.
    pub written: String,
    /// The name it stands for: `private_dns_enabled`.
    pub meant: String,
    /// Where the misspelt name is written.
    pub location: Location,
}
