//! `privlink.toml`: defaults for the flags and workloads, found beside the inputs or in the working
//! directory.

use std::path::{Path, PathBuf};

use std::str::FromStr as _;

use anyhow::Result;
use privlink_analysis::cost::Traffic;
use privlink_ingest::workload_spec::WorkloadSpec;
use rust_decimal::Decimal;
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
    /// Default `--allow-undecided`.
    #[serde(default)]
    pub(crate) allow_undecided: bool,
    /// Workloads (`[[workload]]`).
    #[serde(skip)]
    pub(crate) workloads: Vec<WorkloadSpec>,
    /// The line of each `[[workload]]`, for errors.
    #[serde(skip)]
    pub(crate) workload_lines: Vec<usize>,
    #[serde(default, rename = "workload")]
    spanned_workloads: Vec<toml::Spanned<WorkloadSpec>>,
    /// Monthly traffic for `privlink cost` (`[traffic]`).
    #[serde(default, deserialize_with = "traffic_table")]
    pub(crate) traffic: Option<Traffic>,
    /// The file it was read from.
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
}

/// `[traffic]`: GB a month by category; a key left out is 0.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TrafficTable {
    /// Image layers pulled (through S3).
    #[serde(default)]
    image_pulls_gb: f64,
    /// Logs sent to CloudWatch Logs.
    #[serde(default)]
    logs_gb: f64,
    /// Everything else the workloads send to AWS services.
    #[serde(default)]
    other_gb: f64,
}

/// Reads `[traffic]` into exact decimals (a TOML number is read back from its shortest decimal
/// form, so `12.5` is 12.5).
fn traffic_table<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Traffic>, D::Error> {
    let table = TrafficTable::deserialize(deserializer)?;
    let gb = |key: &str, value: f64| {
        let max = privlink_analysis::cost::MAX_TRAFFIC_GB;
        if !value.is_finite() || value < 0.0 || value > max as f64 {
            return Err(serde::de::Error::custom(format!(
                "[traffic] {key} = {value}: write a number of GB from 0 to {max}"
            )));
        }
        Decimal::from_str(&value.to_string())
            .map_err(|e| serde::de::Error::custom(format!("[traffic] {key} = {value}: {e}")))
    };
    Ok(Some(Traffic::configured(
        gb("image-pulls-gb", table.image_pulls_gb)?,
        gb("logs-gb", table.logs_gb)?,
        gb("other-gb", table.other_gb)?,
    )))
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
    let text = read_file(&path, "cannot read the configuration file")?;
    parse(&text, path)
}

/// Parses the text of the configuration file at `path`: workloads keep the line of their
/// `[[workload]]` header and their task definition files are resolved beside the file.
fn parse(text: &str, path: PathBuf) -> Result<Config> {
    let mut config: Config =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    for spanned in std::mem::take(&mut config.spanned_workloads) {
        // The line of its `[[workload]]` header (the span may start at the header or at its body).
        let start = spanned.span().start;
        let before = text
            .get(..start + "[[workload]]".len())
            .or_else(|| text.get(..start))
            .unwrap_or_default();
        let header = before.rfind("[[workload]]").unwrap_or(before.len());
        let line = before[..header].matches('\n').count() + 1;
        config.workload_lines.push(line);
        config.workloads.push(spanned.into_inner());
    }
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

/// Reads a file the user named (`--config`, `--prices`, a task definition) through the input
/// reading layer: regular files only, bounded in size, UTF-8 errors located.
pub(crate) fn read_file(path: &Path, context: &str) -> Result<String> {
    privlink_ingest::read::read_text(path).map_err(|e| {
        let error = e.into_input_error(&path.display().to_string(), context);
        let at = match error.position {
            Some((line, column)) => format!("{}:{line}:{column}", error.path),
            None => error.path.clone(),
        };
        let help = error
            .help
            .map(|h| format!("\n  = help: {h}"))
            .unwrap_or_default();
        anyhow::anyhow!("{at}: {}{help}", error.message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_workloads_and_defaults() {
        let config = parse(
            r#"
region = "ap-northeast-1"
endpoints-only = true
fail-on = "warning"
allow-undecided = true

[[workload]]
name = "app"
kind = "ecs-fargate"
subnets = ["aws_subnet.a"]
features = ["awslogs"]
task-definition = "task.json"
"#,
            PathBuf::from("infra/privlink.toml"),
        )
        .unwrap();
        assert_eq!(config.region.as_deref(), Some("ap-northeast-1"));
        assert!(config.endpoints_only);
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert!(config.allow_undecided);
        assert_eq!(config.workloads[0].subnets, ["aws_subnet.a"]);
        assert_eq!(config.workload_lines, [7]);
        assert_eq!(
            config.workloads[0].task_definition.as_deref(),
            Some(Path::new("infra/task.json"))
        );
    }

    #[test]
    fn traffic_table() {
        let config: Config =
            toml::from_str("[traffic]\nimage-pulls-gb = 300\nlogs-gb = 12.5\n").unwrap();
        let traffic = config.traffic.unwrap();
        assert_eq!(traffic.image_pulls_gb, Decimal::from(300));
        assert_eq!(traffic.logs_gb, Decimal::from_str("12.5").unwrap());
        assert_eq!(traffic.other_gb, Decimal::ZERO);
        let negative = toml::from_str::<Config>("[traffic]\nlogs-gb = -1\n").unwrap_err();
        assert!(negative.to_string().contains("logs-gb = -1"), "{negative}");
        assert!(toml::from_str::<Config>("[traffic]\nlog-gb = 1\n").is_err());
        assert!(
            toml::from_str::<Config>("region = \"x\"\n")
                .unwrap()
                .traffic
                .is_none()
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("regoin = \"x\"").is_err());
    }
}
