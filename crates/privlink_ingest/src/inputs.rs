//! Loading inputs: format detection by content, one report per input, one merged model.
//!
//! Every input is loaded independently: one that cannot be read gets an error in its report and the
//! others still load.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use privlink_model::{Known, Model};

use crate::InputError;
use crate::cloudformation::{self, EvalOptions};
use crate::terraform::config::{ConfigOptions, evaluate_directory};
use crate::terraform::lower::lower;

/// What the user passed that affects loading.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Terraform variables and variable files.
    pub terraform: ConfigOptions,
    /// `--region`: used where the inputs do not determine the region.
    pub region: Option<String>,
    /// `--parameter KEY=VALUE`: CloudFormation parameters, for every template that declares KEY.
    pub cloudformation_parameters: Vec<(String, String)>,
}

/// The format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// A directory of Terraform configuration (`*.tf`, `*.tf.json`).
    TerraformHcl,
    /// `terraform show -json` of a plan.
    TerraformPlan,
    /// `terraform show -json` of a state.
    TerraformState,
    /// A CloudFormation template (YAML or JSON).
    CloudFormation,
    /// A CDK cloud assembly (`cdk.out/`).
    CdkOut,
    /// An ECS task definition (JSON).
    TaskDefinition,
    /// A privlink AWS snapshot.
    AwsSnapshot,
    /// Not recognised.
    Unknown,
}

impl InputFormat {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TerraformHcl => "terraform-hcl",
            Self::TerraformPlan => "terraform-plan",
            Self::TerraformState => "terraform-state",
            Self::CloudFormation => "cloudformation",
            Self::CdkOut => "cdk-out",
            Self::TaskDefinition => "ecs-task-definition",
            Self::AwsSnapshot => "aws-snapshot",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to one input.
#[derive(Clone, Debug, PartialEq)]
pub struct InputReport {
    /// The path as the user gave it.
    pub path: String,
    /// Its detected format.
    pub format: InputFormat,
    /// What could not be read (empty when the input loaded completely).
    pub errors: Vec<InputError>,
}

impl InputReport {
    /// Whether it loaded without errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Every input, loaded.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The merged model.
    pub model: Model,
    /// One report per input.
    pub inputs: Vec<InputReport>,
}

/// Loads every path (a file or a directory). CloudFormation inputs are gathered and evaluated
/// together, so imports find the exports of other given templates.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let mut templates = cloudformation::Batch::default();
    for (input, path) in paths.iter().enumerate() {
        let display = display_path(path);
        let (format, result) = load_one(path, &display, options);
        let (model, errors) = result;
        if matches!(format, InputFormat::CloudFormation | InputFormat::CdkOut) && errors.is_empty()
        {
            templates.add(input, path, &display, format);
        }
        loaded.model.merge(model);
        loaded.inputs.push(InputReport {
            path: display,
            format,
            errors,
        });
    }
    if !templates.is_empty() {
        let cfn = EvalOptions {
            parameters: options.cloudformation_parameters.clone(),
            region: options.region.clone(),
        };
        let (model, errors) = templates.load(&cfn);
        loaded.model.merge(model);
        for (input, error) in errors {
            loaded.inputs[input].errors.push(error);
        }
    }
    loaded
}

/// Whether a directory holds Terraform configuration files.
fn has_terraform(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".tf") || name.ends_with(".tf.json")
        })
    })
}

/// How a path is shown: as given, without a leading `./`.
fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let trimmed = text.strip_prefix("./").unwrap_or(&text);
    if trimmed.is_empty() {
        ".".to_owned()
    } else {
        trimmed.to_owned()
    }
}

type Outcome = (Model, Vec<InputError>);

fn load_one(path: &Path, display: &str, options: &LoadOptions) -> (InputFormat, Outcome) {
    let metadata = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let err = InputError::file(display, format!("cannot read: {e}"))
                .with_help("check the path; privlink takes Terraform directories, plan/state JSON, CloudFormation templates and task definitions");
            return (InputFormat::Unknown, (Model::default(), vec![err]));
        }
    };
    if metadata.is_dir() {
        // Templates are loaded together, after every input is known (see `load`).
        if !has_terraform(path)
            && let Some(format) = cloudformation::directory_format(path)
        {
            return (format, (Model::default(), Vec::new()));
        }
        return (
            InputFormat::TerraformHcl,
            load_terraform_dir(path, display, options),
        );
    }
    let is_tf = path.extension().is_some_and(|e| e == "tf") || display.ends_with(".tf.json");
    if is_tf {
        // A single configuration file stands for its module directory.
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir_display = display.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
        return (
            InputFormat::TerraformHcl,
            load_terraform_dir(dir, &dir_display, options),
        );
    }
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return (
                InputFormat::Unknown,
                (
                    Model::default(),
                    vec![InputError::file(display, format!("cannot read: {e}"))],
                ),
            );
        }
    };
    let format = detect(&text);
    let outcome = match format {
        InputFormat::CloudFormation => (Model::default(), Vec::new()),
        InputFormat::Unknown => (
            Model::default(),
            vec![InputError::file(display, "not a Terraform plan or state, CloudFormation template, task definition or privlink snapshot")
                .with_help("privlink detects formats by content; a Terraform configuration is read as a directory")],
        ),
        other => (
            Model::default(),
            vec![InputError::file(display, format!("{other} input is not supported by this build of privlink"))],
        ),
    };
    (format, outcome)
}

/// Detects a file's format from its content.
pub fn detect(text: &str) -> InputFormat {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            return InputFormat::Unknown;
        };
        let has = |k: &str| json.get(k).is_some();
        if has("privlink_snapshot") {
            InputFormat::AwsSnapshot
        } else if has("format_version") && (has("planned_values") || has("resource_changes")) {
            InputFormat::TerraformPlan
        } else if has("format_version") && has("values") {
            InputFormat::TerraformState
        } else if has("AWSTemplateFormatVersion") || has("Resources") {
            InputFormat::CloudFormation
        } else if has("containerDefinitions")
            || json
                .get("taskDefinition")
                .is_some_and(|t| t.get("containerDefinitions").is_some())
        {
            InputFormat::TaskDefinition
        } else {
            InputFormat::Unknown
        }
    } else if trimmed
        .lines()
        .any(|l| l.starts_with("Resources:") || l.starts_with("AWSTemplateFormatVersion"))
    {
        InputFormat::CloudFormation
    } else {
        InputFormat::Unknown
    }
}

fn load_terraform_dir(dir: &Path, display: &str, options: &LoadOptions) -> Outcome {
    let mut config_options = options.terraform.clone();
    if config_options.region.is_none() {
        config_options.region.clone_from(&options.region);
    }
    let evaluated = evaluate_directory(dir, display, &config_options);
    let region = options.region.clone().map_or_else(
        || Known::unknown("no region is configured; pass --region"),
        Known::Value,
    );
    let region = evaluated
        .resources
        .iter()
        .find_map(|r| r.region.value().cloned())
        .map_or(region, Known::Value);
    let mut model = lower(&evaluated.resources, region);
    model.diagnostics.extend(evaluated.diagnostics);
    (model, evaluated.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect(r#"{"format_version":"1.2","planned_values":{}}"#),
            InputFormat::TerraformPlan
        );
        assert_eq!(
            detect(r#"{"format_version":"1.0","values":{}}"#),
            InputFormat::TerraformState
        );
        assert_eq!(
            detect(r#"{"AWSTemplateFormatVersion":"2010-09-09"}"#),
            InputFormat::CloudFormation
        );
        assert_eq!(
            detect("AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n"),
            InputFormat::CloudFormation
        );
        assert_eq!(
            detect(r#"{"family":"x","containerDefinitions":[]}"#),
            InputFormat::TaskDefinition
        );
        assert_eq!(
            detect(r#"{"taskDefinition":{"containerDefinitions":[]}}"#),
            InputFormat::TaskDefinition
        );
        assert_eq!(detect("hello"), InputFormat::Unknown);
        assert_eq!(detect("{ not json"), InputFormat::Unknown);
    }

    #[test]
    fn missing_path_is_an_input_error() {
        let loaded = load(&[PathBuf::from("does/not/exist")], &LoadOptions::default());
        assert_eq!(loaded.inputs.len(), 1);
        assert!(!loaded.inputs[0].is_ok());
        assert!(loaded.inputs[0].errors[0].message.contains("cannot read"));
    }
}
