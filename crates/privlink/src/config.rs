//! `privlink.toml`: defaults for the flags and workloads, found beside the inputs or in the working
//! directory.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use privlink_ingest::workload_spec::WorkloadSpec;
use serde::Deserialize;

use crate::cli::FailOn;

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Config {
    /// Default `--region`.
    pub(crate) region: Option<String>,
    /// Default `--endpoints-only`.
    #[serde(default)]
    pub(crate) endpoints_only: bool,
    /// Default `--fail-on`.
    pub(crate) fail_on: Option<FailOn>,
    /// Workloads (`[[workload]]`).
    #[serde(default, rename = "workload")]
    pub(crate) workloads: Vec<WorkloadSpec>,
    /// The file it was read from.
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
}

/// Reads `explicit`, or else the first `privlink.toml` beside the inputs or in the working directory.
pub(crate) fn load(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Config> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => candidates(inputs).into_iter().find(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut config: Config =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    // Task definition files named in the file are relative to it, as a user reading it expects.
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for workload in &mut config.workloads {
        if let Some(file) = workload
            .task_definition
            .as_mut()
            .filter(|f| f.is_relative())
        {
            *file = base.join(&*file);
        }
    }
    config.path = Some(path);
    Ok(config)
}

fn candidates(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        let dir = if input.is_dir() {
            input.clone()
        } else {
            input.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        out.push(dir.join("privlink.toml"));
    }
    out.push(PathBuf::from("privlink.toml"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_workloads_and_defaults() {
        let config: Config = toml::from_str(
            r#"
region = "ap-northeast-1"
endpoints-only = true
fail-on = "warning"

[[workload]]
name = "app"
kind = "ecs-fargate"
subnets = ["aws_subnet.a"]
features = ["awslogs"]
"#,
        )
        .unwrap();
        assert_eq!(config.region.as_deref(), Some("ap-northeast-1"));
        assert!(config.endpoints_only);
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.workloads[0].subnets, ["aws_subnet.a"]);
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("regoin = \"x\"").is_err());
    }
}
