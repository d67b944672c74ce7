//! The resource instances a Terraform front-end hands to lowering.
//!
//! HCL evaluation, `.tf.json`, plan JSON and state JSON all produce [`TfResource`]s: one per resource
//! instance after `count`/`for_each` expansion and module expansion, with attributes evaluated to
//! [`Value`]s. Lowering into the model (`terraform::lower`) is shared by all of them, so the same
//! network gives the same model whichever way Terraform describes it.

use std::collections::BTreeMap;
use std::fmt;

use privlink_model::{Known, Location};

use super::value::Value;

/// Managed resource or data source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceMode {
    /// `resource "..." "..."`.
    Managed,
    /// `data "..." "..."`.
    Data,
}

/// The key of one instance of a resource with `count` or `for_each`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    /// `count.index`.
    Index(u64),
    /// `each.key`.
    Key(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Index(i) => write!(f, "[{i}]"),
            Self::Key(k) => write!(f, "[{k:?}]"),
        }
    }
}

/// One resource instance with its evaluated attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct TfResource {
    /// The full instance address, as Terraform prints it: `module.net.aws_subnet.app["a"]`,
    /// `data.aws_region.current`.
    pub address: String,
    /// Managed resource or data source.
    pub mode: ResourceMode,
    /// The resource type: `aws_subnet`.
    pub resource_type: String,
    /// The resource name: `app`.
    pub name: String,
    /// The module instance path: empty for the root module, else `module.net` or
    /// `module.net["x"].module.inner`.
    pub module: String,
    /// The instance key with `count` or `for_each`.
    pub key: Option<InstanceKey>,
    /// Attribute values. Nested blocks are lists of maps (`ingress` → `[{...}, {...}]`), as in plan
    /// JSON. Attributes not written are absent (lowering applies the provider defaults).
    pub attributes: BTreeMap<String, Value>,
    /// Where the resource block starts (for plan-only inputs, `None` until linked to HCL).
    pub location: Option<Location>,
    /// Where attributes and nested blocks are written, by dotted path: `subnet_ids`, `ingress.0`,
    /// `ingress.0.cidr_blocks`, `vpc_config.0.endpoint_private_access`.
    pub attribute_locations: BTreeMap<String, Location>,
    /// The region of the AWS provider configuration the resource uses.
    pub region: Known<String>,
}

impl TfResource {
    /// An attribute by dotted path.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let (first, rest) = path.split_once('.').unwrap_or((path, ""));
        let top = self.attributes.get(first)?;
        if rest.is_empty() {
            Some(top)
        } else {
            top.get_path(rest)
        }
    }

    /// Where an attribute path is written, falling back to its closest written parent, then to the
    /// resource itself.
    pub fn location_of(&self, path: &str) -> Option<Location> {
        let mut p = path;
        loop {
            if let Some(loc) = self.attribute_locations.get(p) {
                return Some(loc.clone());
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return self.location.clone(),
            }
        }
    }
}
