//! The Terraform inputs of one run, loaded together because they complete each other.
//!
//! * **A plan or state with its configuration.** A Terraform directory given in the same run as a
//!   plan or state JSON that shares resource addresses with it is taken as that plan's
//!   configuration (`privlink check plan.json infra/`). The plan stays the authority for the model;
//!   the directory gives each resource the file and line of its block, linked by address, and fills
//!   in what the plan leaves unknown where the configuration says more ([`super::plan`]'s
//!   `companion`). The directory is not lowered a second time, and its own diagnostics are left
//!   out (Terraform planned it, so it also validated it); its read errors are still reported. A
//!   directory alone is checked against the provider schema (`super::validate`) before lowering.
//! * **Task definitions.** ECS task-definition JSON files, given as inputs or found beside them,
//!   become the task definitions of ECS services whose task definition the Terraform inputs do not
//!   define, matched by family. A given file no service uses is reported.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use privlink_model::{Diagnostic, DiagnosticKind, Known, Model};

use super::config::{EvaluatedConfig, evaluate_with_snapshots};
use super::lower::lower;
use super::plan::TerraformJson;
use super::plan::companion::attach;
use super::resource::{ResourceMode, TfResource};
use super::validate::validate;
use super::value::Value;
use crate::inputs::{InputFormat, InputReport, LoadOptions, detect};
use crate::snapshot::Snapshot;
use crate::task_definition::{self, TaskDefinitionFile};

/// The Terraform-family inputs of one run, by the index of their input report.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    directories: Vec<Directory>,
    documents: Vec<(usize, TerraformJson)>,
    task_definitions: Vec<(usize, TaskDefinitionFile)>,
    /// Directories where task definitions may be found beside the inputs, with how they are shown.
    beside: Vec<(PathBuf, String)>,
    /// AWS snapshots given in the same run: they answer the directories' data sources.
    snapshots: Vec<Snapshot>,
}

#[derive(Debug)]
struct Directory {
    report: usize,
    dir: PathBuf,
    display: String,
}

impl Batch {
    /// A Terraform configuration directory.
    pub(crate) fn add_directory(&mut self, report: usize, dir: &Path, display: &str) {
        self.look_beside(dir, display);
        self.directories.push(Directory {
            report,
            dir: dir.to_path_buf(),
            display: display.to_owned(),
        });
    }

    /// A plan or state JSON file, read.
    pub(crate) fn add_document(
        &mut self,
        report: usize,
        path: &Path,
        display: &str,
        read: TerraformJson,
    ) {
        self.look_beside_file(path, display);
        self.documents.push((report, read));
    }

    /// An AWS snapshot, read.
    pub(crate) fn add_snapshot(&mut self, snapshot: Snapshot) {
        self.snapshots.push(snapshot);
    }

    /// A task definition file, read.
    pub(crate) fn add_task_definition(
        &mut self,
        report: usize,
        path: &Path,
        display: &str,
        file: TaskDefinitionFile,
    ) {
        self.look_beside_file(path, display);
        self.task_definitions.push((report, file));
    }

    fn look_beside_file(&mut self, path: &Path, display: &str) {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir_display = display.rsplit_once('/').map_or(".", |(d, _)| d);
        self.look_beside(dir, dir_display);
    }

    fn look_beside(&mut self, dir: &Path, display: &str) {
        if !self.beside.iter().any(|(d, _)| d == dir) {
            self.beside.push((dir.to_path_buf(), display.to_owned()));
        }
    }

    /// Loads everything: pairs directories with plans, lowers each source into the model of its
    /// input (`models[i]` belongs to `reports[i]`).
    pub(crate) fn finish(
        self,
        options: &LoadOptions,
        models: &mut [Model],
        reports: &mut [InputReport],
    ) {
        let mut config_options = options.terraform.clone();
        if config_options.region.is_none() {
            config_options.region.clone_from(&options.region);
        }
        let evaluated: Vec<(Directory, EvaluatedConfig)> = self
            .directories
            .into_iter()
            .map(|d| {
                let e =
                    evaluate_with_snapshots(&d.dir, &d.display, &config_options, &self.snapshots);
                (d, e)
            })
            .collect();
        let paired: Vec<Option<usize>> = evaluated
            .iter()
            .map(|(_, e)| best_document(&e.resources, &self.documents))
            .collect();
        let given: Vec<String> = self
            .task_definitions
            .iter()
            .map(|(_, f)| f.path.clone())
            .collect();
        let mut files: Vec<&TaskDefinitionFile> =
            self.task_definitions.iter().map(|(_, f)| f).collect();
        let found = found_beside(&self.beside, reports, &given);
        files.extend(&found);
        let mut used: HashSet<String> = HashSet::new();

        for (index, (report, mut document)) in self.documents.into_iter().enumerate() {
            for ((_, config), _) in evaluated
                .iter()
                .zip(&paired)
                .filter(|(_, p)| **p == Some(index))
            {
                attach(&mut document.resources, &config.resources);
            }
            if let Some(region) = &options.region {
                for r in document
                    .resources
                    .iter_mut()
                    .filter(|r| !r.region.is_known())
                {
                    r.region = Known::Value(region.clone());
                }
            }
            let model = lower_with_task_definitions(document.resources, &files, options);
            used.extend(used_files(&model));
            models[report].merge(model);
            reports[report].errors.extend(document.errors);
        }
        for ((directory, mut config), pair) in evaluated.into_iter().zip(paired) {
            if pair.is_none() {
                let validation =
                    validate(&mut config.resources, &directory.dir, &directory.display);
                let mut model = lower_with_task_definitions(config.resources, &files, options);
                model.diagnostics.extend(config.diagnostics);
                model.diagnostics.extend(validation.diagnostics);
                model.misspellings.extend(validation.misspellings);
                used.extend(used_files(&model));
                models[directory.report].merge(model);
            }
            reports[directory.report].errors.extend(config.errors);
        }
        for (report, file) in &self.task_definitions {
            if !used.contains(&file.path) {
                models[*report].diagnostics.push(unused(file));
            }
        }
    }
}

/// The plan or state a configuration belongs to: the one sharing the most managed resource
/// addresses with it, if any does.
fn best_document(
    configuration: &[TfResource],
    documents: &[(usize, TerraformJson)],
) -> Option<usize> {
    let addresses: HashSet<&str> = configuration
        .iter()
        .filter(|r| r.mode == ResourceMode::Managed)
        .map(|r| r.address.as_str())
        .collect();
    documents
        .iter()
        .enumerate()
        .map(|(i, (_, d))| {
            (
                i,
                d.resources
                    .iter()
                    .filter(|r| addresses.contains(r.address.as_str()))
                    .count(),
            )
        })
        .filter(|(_, shared)| *shared > 0)
        .max_by_key(|(i, shared)| (*shared, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// Lowers Terraform resources, adding the task definition files whose family no
/// `aws_ecs_task_definition` among them defines.
fn lower_with_task_definitions(
    mut resources: Vec<TfResource>,
    files: &[&TaskDefinitionFile],
    options: &LoadOptions,
) -> Model {
    let defined: HashSet<String> = resources
        .iter()
        .filter(|r| r.mode == ResourceMode::Managed && r.resource_type == "aws_ecs_task_definition")
        .filter_map(|r| r.get("family").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let mut added: HashSet<&str> = HashSet::new();
    for file in files {
        if let Some(family) = file.family.as_deref()
            && !defined.contains(family)
            && added.insert(family)
        {
            resources.push(file.as_terraform());
        }
    }
    let region = options.region.clone().map_or_else(
        || Known::unknown("no region is configured; pass --region"),
        Known::Value,
    );
    let region = resources
        .iter()
        .find_map(|r| r.region.value().cloned())
        .map_or(region, Known::Value);
    lower(&resources, region)
}

/// The task definition files a model's workloads took their containers from.
fn used_files(model: &Model) -> impl Iterator<Item = String> + '_ {
    model
        .workloads
        .iter()
        .flat_map(|w| &w.images)
        .filter_map(|i| i.location.as_ref().map(|l| l.path.clone()))
}

/// Task definition files in the directories of the inputs (not in subdirectories), not given as
/// inputs themselves. Files that are not task definitions are ignored.
fn found_beside(
    directories: &[(PathBuf, String)],
    reports: &[InputReport],
    given: &[String],
) -> Vec<TaskDefinitionFile> {
    let inputs: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    let mut found = Vec::new();
    for (dir, display) in directories {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json") && !n.ends_with(".tf.json"))
            .collect();
        names.sort();
        for name in names {
            let shown = if display == "." {
                name.clone()
            } else {
                format!("{display}/{name}")
            };
            if inputs.contains(&shown.as_str()) || given.contains(&shown) {
                continue;
            }
            let Ok(text) = fs::read_to_string(dir.join(&name)) else {
                continue;
            };
            if detect(&text) == InputFormat::TaskDefinition
                && let Ok(file) = task_definition::read(&text, &shown)
            {
                found.push(file);
            }
        }
    }
    found
}

fn unused(file: &TaskDefinitionFile) -> Diagnostic {
    let family = file.family.as_deref().unwrap_or("(no family)");
    Diagnostic {
        kind: DiagnosticKind::UnresolvedInput,
        message: format!(
            "no ECS service in the inputs runs the task definition family `{family}` of {}, so privlink does not know where its tasks run",
            file.path
        ),
        location: Some(file.location.clone()),
        resource: file.family.clone(),
        help: Some(format!(
            "name the placement: --workload kind=ecs-fargate,subnets=SUBNET,security-groups=SG,task-definition={}",
            file.path
        )),
        predicted_error: None,
    }
}
