//! Element identifiers.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The identity of a model element: the name a user would search for in their inputs.
///
/// Terraform elements use their full address (`module.net.aws_subnet.app["a"]`), CloudFormation
/// elements their logical ID, live elements their AWS id (`subnet-0abc...`). Implicit elements that
/// AWS creates alongside another one are named after it with a `#` suffix
/// (`aws_vpc.main#main-route-table`), so they never collide with a declared address.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ResourceId(String);

impl ResourceId {
    /// Wraps an address.
    pub fn new(address: impl Into<String>) -> Self {
        Self(address.into())
    }

    /// The id of an element AWS creates implicitly with `self` (main route table, default SG, ...).
    pub fn implicit(&self, what: &str) -> Self {
        Self(format!("{}#{what}", self.0))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl From<&str> for ResourceId {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for ResourceId {
    fn from(value: String) -> Self {
        Self(value)
    }
}
