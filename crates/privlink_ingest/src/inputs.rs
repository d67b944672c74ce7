//! Loading inputs: format detection by content, one report per input, one merged model.
//!
//! Every input is loaded independently: one that cannot be read gets an error in its report and the
//! others still load. Terraform directories, plan and state JSON and ECS task definitions are
//! lowered together at the end ([`crate::terraform::sources`]), as a plan and its configuration,
//! or a service and its task definition file, complete each other.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use privlink_model::{Model, ResourceId};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::InputError;
use crate::cloudformation::{self, EvalOptions};
use crate::task_definition;
use crate::terraform::config::ConfigOptions;
use crate::terraform::plan::{read_plan, read_state};
use crate::terraform::sources::Batch;

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
/// together, so imports find the exports of other given templates; Terraform directories, plans,
/// states and task definitions too, as they complete each other.
pub fn load(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let mut models = Vec::new();
    let mut templates = cloudformation::Batch::default();
    let mut terraform = Batch::default();
    for (input, path) in paths.iter().enumerate() {
        let display = display_path(path);
        let (format, (model, errors)) = load_one(path, &display, &mut terraform, input);
        if matches!(format, InputFormat::CloudFormation | InputFormat::CdkOut) && errors.is_empty()
        {
            templates.add(input, path, &display, format);
        }
        models.push(model);
        loaded.inputs.push(InputReport {
            path: display,
            format,
            errors,
        });
    }
    terraform.finish(options, &mut models, &mut loaded.inputs);
    merge_with_snapshots(&mut loaded, models);
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
    for report in &mut loaded.inputs {
        report.errors = summarise(std::mem::take(&mut report.errors));
    }
    loaded
}

/// A file and a position in it.
type Place = (String, Option<(u32, u32)>);

/// How many errors with the same message, or at the same place, are shown before the rest are
/// summarised.
const MAX_ALIKE: usize = 5;

/// The errors, with those beyond the first [`MAX_ALIKE`] at one place, or with one message,
/// replaced by one error saying how many more there are: an `Fn::Sub` with 100,000 undefined
/// references is a few errors and a count, not 100,000 error blocks.
fn summarise(errors: Vec<InputError>) -> Vec<InputError> {
    let mut seen: std::collections::HashSet<InputError> = std::collections::HashSet::new();
    let mut at_place: HashMap<Place, usize> = HashMap::new();
    let mut with_message: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    // (first error hidden for this key, how many were hidden)
    let mut hidden: Vec<(InputError, usize)> = Vec::new();
    let mut hidden_index: HashMap<(Place, bool), usize> = HashMap::new();
    for error in errors {
        if !seen.insert(error.clone()) {
            continue;
        }
        let place = (error.path.clone(), error.position);
        let n_place = at_place.entry(place.clone()).or_default();
        *n_place += 1;
        let n_message = with_message.entry(error.message.clone()).or_default();
        *n_message += 1;
        let key = if *n_place > MAX_ALIKE {
            Some((place, true))
        } else if *n_message > MAX_ALIKE {
            Some(((error.message.clone(), None), false))
        } else {
            None
        };
        match key {
            None => kept.push(error),
            Some(key) => match hidden_index.get(&key) {
                Some(&i) => hidden[i].1 += 1,
                None => {
                    hidden_index.insert(key, hidden.len());
                    hidden.push((error, 1));
                }
            },
        }
    }
    for (first, count) in hidden {
        let mut summary = first.clone();
        summary.message = format!(
            "and {count} more error{} like `{}`",
            if count == 1 { "" } else { "s" },
            first.message
        );
        summary.help = Some("fix the errors shown; the others are alike".to_owned());
        kept.push(summary);
    }
    kept
}

/// Merges the models of the inputs in order. An element a snapshot scanned that another input
/// names by its AWS id (a subnet id a `data "aws_subnets"` answered from the snapshot, or a literal
/// `subnet-...`) is one element, the scanned one, not a second network: the other inputs' stand-ins
/// for it, and their reports that it is outside the inputs, are dropped.
fn merge_with_snapshots(loaded: &mut Loaded, models: Vec<Model>) {
    let mut scanned: std::collections::HashSet<ResourceId> = std::collections::HashSet::new();
    for (model, report) in models.iter().zip(&loaded.inputs) {
        if report.format == InputFormat::AwsSnapshot {
            scanned.extend(
                model
                    .vpcs
                    .keys()
                    .chain(model.subnets.keys())
                    .chain(model.route_tables.keys())
                    .chain(model.security_groups.keys())
                    .chain(model.network_acls.keys())
                    .chain(model.endpoints.keys())
                    .chain(model.internet_gateways.keys())
                    .chain(model.nat_gateways.keys())
                    .cloned(),
            );
        }
    }
    for (mut model, report) in models.into_iter().zip(&loaded.inputs) {
        if report.format != InputFormat::AwsSnapshot && !scanned.is_empty() {
            let kept = |id: &ResourceId| !scanned.contains(id);
            model.vpcs.retain(|id, _| kept(id));
            model.subnets.retain(|id, _| kept(id));
            model.route_tables.retain(|id, _| kept(id));
            model.security_groups.retain(|id, _| kept(id));
            model.network_acls.retain(|id, _| kept(id));
            model.endpoints.retain(|id, _| kept(id));
            model.internet_gateways.retain(|id, _| kept(id));
            model.nat_gateways.retain(|id, _| kept(id));
            model.diagnostics.retain(|d| {
                d.kind != privlink_model::DiagnosticKind::UnresolvedInput
                    || d.resource
                        .as_ref()
                        .is_none_or(|r| !scanned.contains(&ResourceId::new(r)))
            });
        }
        loaded.model.merge(model);
    }
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

/// Reads one input; Terraform-family inputs go to `terraform` under the report index `index`.
fn load_one(
    path: &Path,
    display: &str,
    terraform: &mut Batch,
    index: usize,
) -> (InputFormat, Outcome) {
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
        terraform.add_directory(index, path, display);
        return (InputFormat::TerraformHcl, (Model::default(), Vec::new()));
    }
    let is_tf = path.extension().is_some_and(|e| e == "tf") || display.ends_with(".tf.json");
    if is_tf {
        // A single configuration file stands for its module directory.
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir_display = display.rsplit_once('/').map_or(".", |(d, _)| d).to_owned();
        terraform.add_directory(index, dir, &dir_display);
        return (InputFormat::TerraformHcl, (Model::default(), Vec::new()));
    }
    let text = match crate::read::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            return (
                InputFormat::Unknown,
                (
                    Model::default(),
                    vec![e.into_input_error(display, "cannot read")],
                ),
            );
        }
    };
    let format = detect(&text);
    let outcome = match format {
        InputFormat::CloudFormation => (Model::default(), Vec::new()),
        InputFormat::TerraformPlan | InputFormat::TerraformState => {
            let read = if format == InputFormat::TerraformPlan {
                read_plan(&text, display)
            } else {
                read_state(&text, display)
            };
            match read {
                Ok(read) => {
                    terraform.add_document(index, path, display, read);
                    (Model::default(), Vec::new())
                }
                Err(e) => (Model::default(), vec![e]),
            }
        }
        InputFormat::TaskDefinition => match task_definition::read(&text, display) {
            Ok(file) => {
                terraform.add_task_definition(index, path, display, file);
                (Model::default(), Vec::new())
            }
            Err(e) => (Model::default(), vec![e]),
        },
        InputFormat::Unknown => (Model::default(), vec![unrecognised(&text, display)]),
        InputFormat::AwsSnapshot => match crate::snapshot::parse(&text, display) {
            Ok(snapshot) => {
                let model = crate::snapshot::lower(&snapshot, &text, display);
                terraform.add_snapshot(snapshot);
                (model, Vec::new())
            }
            Err(e) => (Model::default(), vec![e]),
        },
        other => (
            Model::default(),
            vec![InputError::file(
                display,
                format!("{other} input is not supported by this build of privlink"),
            )],
        ),
    };
    (format, outcome)
}

/// Why a file is not read: invalid JSON (with its position), or a format privlink does not know.
fn unrecognised(text: &str, display: &str) -> InputError {
    if text.trim_start().starts_with(['{', '[']) {
        if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
            return InputError::json(display, &e, "an input");
        }
        let is_raw_state = serde_json::from_str::<JsonKeys>(text).is_ok_and(|JsonKeys(k)| {
            ["version", "lineage", "resources"]
                .iter()
                .all(|key| k.contains_key(*key))
        });
        if is_raw_state {
            return InputError::file(
                display,
                "a Terraform state file in its storage format, which privlink does not read",
            )
            .with_help(format!(
                "write it as JSON with `terraform show -json {display} > state.json` and check that"
            ));
        }
        return InputError::file(display, "a JSON file that is not a Terraform plan or state, CloudFormation template, ECS task definition or privlink snapshot")
            .with_help("a plan is read from `terraform show -json plan.out`, a state from `terraform show -json`");
    }
    InputError::file(display, "not a Terraform plan or state, CloudFormation template, task definition or privlink snapshot")
        .with_help("privlink detects formats by content; a Terraform configuration is read as a directory")
}

/// The top-level keys of a JSON object; values are skipped, not built, so large plans are cheap to
/// detect.
#[derive(Deserialize)]
struct JsonKeys(HashMap<String, IgnoredAny>);

/// `describe-task-definition` output: the task definition's keys.
#[derive(Deserialize)]
struct DescribeKeys {
    #[serde(rename = "taskDefinition")]
    task_definition: HashMap<String, IgnoredAny>,
}

/// Detects a file's format from its content.
pub fn detect(text: &str) -> InputFormat {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let Ok(JsonKeys(keys)) = serde_json::from_str::<JsonKeys>(text) else {
            return InputFormat::Unknown;
        };
        let has = |k: &str| keys.contains_key(k);
        let describe = || {
            has("taskDefinition")
                && serde_json::from_str::<DescribeKeys>(text)
                    .is_ok_and(|d| d.task_definition.contains_key("containerDefinitions"))
        };
        if has("privlink_snapshot") {
            InputFormat::AwsSnapshot
        } else if has("format_version") && (has("planned_values") || has("resource_changes")) {
            InputFormat::TerraformPlan
        } else if has("format_version")
            && (has("values")
                || keys
                    .keys()
                    .all(|k| k == "format_version" || k == "terraform_version"))
        {
            // An empty state is `{"format_version": "1.0"}`.
            InputFormat::TerraformState
        } else if has("AWSTemplateFormatVersion") || has("Resources") {
            InputFormat::CloudFormation
        } else if has("containerDefinitions") || describe() {
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
