//! Where each model element came from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A position in an input file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl Location {
    /// A location.
    pub fn new(path: impl Into<String>, line: u32, column: u32) -> Self {
        Self {
            path: path.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// How an element came to be in the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Written in the inputs (or present in the scanned account).
    Declared,
    /// Created by AWS alongside another element without being written: the main route table, the
    /// default security group and the default network ACL of a VPC, an EKS cluster security group.
    Implicit {
        /// What creates it, e.g. `created with aws_vpc.main`.
        note: String,
    },
    /// Referenced by the inputs but defined outside them (`data "aws_vpc"`, `Fn::ImportValue`): a
    /// placeholder whose attributes are unknown.
    External {
        /// The reference as written, e.g. `data.aws_vpc.shared.id` or `Fn::ImportValue dev-vpc`.
        reference: String,
    },
    /// Assumed by privlink because the inputs say nothing (the default workload).
    Assumed,
}

/// Provenance of a model element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The address a user recognises: Terraform address, CloudFormation logical ID or AWS id.
    pub address: String,
    /// Where it is written, when it is written somewhere.
    pub location: Option<Location>,
    /// How it came to be.
    pub origin: Origin,
}

impl Provenance {
    /// A declared element at a location.
    pub fn declared(address: impl Into<String>, location: Option<Location>) -> Self {
        Self {
            address: address.into(),
            location,
            origin: Origin::Declared,
        }
    }

    /// An element AWS creates implicitly, located where its creator is.
    pub fn implicit(
        address: impl Into<String>,
        location: Option<Location>,
        note: impl Into<String>,
    ) -> Self {
        Self {
            address: address.into(),
            location,
            origin: Origin::Implicit { note: note.into() },
        }
    }

    /// A placeholder for something outside the inputs.
    pub fn external(
        address: impl Into<String>,
        location: Option<Location>,
        reference: impl Into<String>,
    ) -> Self {
        Self {
            address: address.into(),
            location,
            origin: Origin::External {
                reference: reference.into(),
            },
        }
    }

    /// Whether the element is a placeholder for something outside the inputs.
    pub fn is_external(&self) -> bool {
        matches!(self.origin, Origin::External { .. })
    }
}
