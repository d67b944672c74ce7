//! The shapes of `terraform show -json` output privlink reads, for plans (format 0.1 to 1.x) and
//! states (0.1 to 1.x).
//!
//! Only what privlink uses is declared; other fields are ignored so newer minor versions still
//! load. Attribute values, unknown markers and configuration expressions stay JSON: their shape
//! depends on the provider schema, and [`super::values`] walks them together.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value as Json};

/// The major format versions privlink reads.
const SUPPORTED_MAJORS: [&str; 2] = ["0", "1"];

/// Checks `format_version`; `Err` says what is wrong.
pub(crate) fn check_version(version: &str) -> Result<(), String> {
    let mut parts = version.split('.');
    let major = parts.next().unwrap_or_default();
    let minor_ok = parts
        .next()
        .is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()));
    if SUPPORTED_MAJORS.contains(&major) && minor_ok && parts.next().is_none() {
        Ok(())
    } else {
        Err(format!(
            "format_version `{version}` is not one privlink reads (0.x and 1.x)"
        ))
    }
}

/// `terraform show -json PLANFILE`.
#[derive(Debug, Deserialize)]
pub(crate) struct PlanJson {
    pub(crate) format_version: String,
    #[serde(default)]
    pub(crate) variables: IndexMap<String, VariableJson>,
    #[serde(default)]
    pub(crate) planned_values: Option<ValuesJson>,
    #[serde(default)]
    pub(crate) resource_changes: Vec<ResourceChangeJson>,
    #[serde(default)]
    pub(crate) prior_state: Option<StateJson>,
    #[serde(default)]
    pub(crate) configuration: Option<ConfigJson>,
    /// Set (Terraform 1.5+) when planning failed part-way.
    #[serde(default)]
    pub(crate) errored: bool,
}

/// `terraform show -json` of a state (also a plan's `prior_state`).
#[derive(Debug, Deserialize)]
pub(crate) struct StateJson {
    pub(crate) format_version: String,
    /// Absent for an empty state.
    #[serde(default)]
    pub(crate) values: Option<ValuesJson>,
}

/// A root variable's value.
#[derive(Debug, Deserialize)]
pub(crate) struct VariableJson {
    #[serde(default)]
    pub(crate) value: Json,
}

/// `planned_values` / `values`.
#[derive(Debug, Deserialize)]
pub(crate) struct ValuesJson {
    #[serde(default)]
    pub(crate) root_module: ModuleJson,
}

/// One module instance with its resources and child module instances.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ModuleJson {
    #[serde(default)]
    pub(crate) resources: Vec<ResourceJson>,
    #[serde(default)]
    pub(crate) child_modules: Vec<ModuleJson>,
}

/// One resource instance's values.
#[derive(Debug, Deserialize)]
pub(crate) struct ResourceJson {
    pub(crate) address: String,
    /// Present for objects that are deposed (being replaced); they are not the resource.
    #[serde(default)]
    pub(crate) deposed_key: Option<String>,
    #[serde(default)]
    pub(crate) values: Json,
    /// The shape of the value (format 0.2+): collections are arrays and objects even when the value
    /// is unknown, which tells a list attribute from a single value.
    #[serde(default)]
    pub(crate) sensitive_values: Option<Json>,
}

/// One entry of `resource_changes`.
#[derive(Debug, Deserialize)]
pub(crate) struct ResourceChangeJson {
    pub(crate) address: String,
    /// Set for a deposed object (the old half of a create-before-destroy replacement).
    #[serde(default)]
    pub(crate) deposed: Option<String>,
    pub(crate) change: ChangeJson,
}

/// What happens to one resource instance.
#[derive(Debug, Deserialize)]
pub(crate) struct ChangeJson {
    #[serde(default)]
    pub(crate) actions: Vec<String>,
    #[serde(default)]
    pub(crate) after: Json,
    #[serde(default)]
    pub(crate) after_unknown: Json,
    #[serde(default)]
    pub(crate) after_sensitive: Json,
}

impl ChangeJson {
    /// Whether the instance no longer exists after apply (`delete`, `forget`), so it is not part of
    /// the planned network.
    pub(crate) fn removes(&self) -> bool {
        !self.actions.is_empty() && self.actions.iter().all(|a| a == "delete" || a == "forget")
    }
}

/// `configuration`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConfigJson {
    #[serde(default)]
    pub(crate) provider_config: IndexMap<String, ProviderConfigJson>,
    #[serde(default)]
    pub(crate) root_module: ConfigModuleJson,
}

/// A provider configuration.
#[derive(Debug, Deserialize)]
pub(crate) struct ProviderConfigJson {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) alias: Option<String>,
    /// The module the configuration is written in (absent for the root module).
    #[serde(default)]
    pub(crate) module_address: Option<String>,
    #[serde(default)]
    pub(crate) expressions: Map<String, Json>,
}

/// One module's configuration (shared by all its instances).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConfigModuleJson {
    #[serde(default)]
    pub(crate) resources: Vec<ConfigResourceJson>,
    #[serde(default)]
    pub(crate) module_calls: IndexMap<String, ModuleCallJson>,
    #[serde(default)]
    pub(crate) outputs: IndexMap<String, OutputJson>,
}

/// A resource block.
#[derive(Debug, Deserialize)]
pub(crate) struct ConfigResourceJson {
    /// Relative to the module: `aws_subnet.private`.
    pub(crate) address: String,
    #[serde(default)]
    pub(crate) provider_config_key: Option<String>,
    #[serde(default)]
    pub(crate) expressions: Map<String, Json>,
    /// What `each.value` stands for in the block.
    #[serde(default)]
    pub(crate) for_each_expression: Option<Json>,
}

/// A `module` block.
#[derive(Debug, Deserialize)]
pub(crate) struct ModuleCallJson {
    #[serde(default)]
    pub(crate) expressions: Map<String, Json>,
    /// What `each.value` stands for in the call's arguments.
    #[serde(default)]
    pub(crate) for_each_expression: Option<Json>,
    #[serde(default)]
    pub(crate) module: ConfigModuleJson,
}

/// An `output` block.
#[derive(Debug, Deserialize)]
pub(crate) struct OutputJson {
    #[serde(default)]
    pub(crate) expression: Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for ok in ["0.1", "0.2", "1.0", "1.2", "1.10"] {
            assert!(check_version(ok).is_ok(), "{ok}");
        }
        for bad in ["2.0", "1", "1.x", "", "1.2.3", "v1.0"] {
            assert!(check_version(bad).is_err(), "{bad}");
        }
    }
}
