//! The CloudFormation front-end: templates (YAML with short-form tags, or JSON), CDK cloud
//! assemblies and nested stacks, evaluated together and lowered into the model.
//!
//! ```text
//! inputs ──► sources (files, directories, cdk.out) ──► parse (positioned nodes) ──► nested stacks
//!        ──► eval (parameters, conditions, mappings, intrinsics, exports ↔ imports) ──► resources
//!        ──► validate (properties against the resource schemas) ──► lower ──► Model
//! ```
//!
//! Every template of a run is evaluated in one [`eval::Evaluator`], so `Fn::ImportValue` finds the
//! export of another given template and a nested stack's outputs reach its parent. An input that
//! cannot be read (invalid YAML, an unknown tag, a `!Ref` to nothing, circular conditions) gets an
//! error with file, line and column; the other inputs, and the rest of that template where it can
//! still be read, are analysed.

mod dependencies;
mod eval;
mod lower;
mod node;
mod parse;
mod resources;
mod sources;
mod template;
#[cfg(test)]
mod tests;
mod validate;
mod value;

use std::path::{Path, PathBuf};
use std::rc::Rc;

use privlink_model::{Diagnostic, DiagnosticKind, Model};

pub(crate) use eval::EvalOptions;
pub(crate) use sources::directory_format;
use template::{Template, TemplateFile};

use crate::InputError;
use crate::inputs::InputFormat;

/// How deep nested stacks may go (CloudFormation allows five levels).
const MAX_NESTING: usize = 5;

/// The templates of every CloudFormation input of a run, gathered before evaluation.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    files: Vec<TemplateFile>,
    /// Errors found while gathering, by input.
    errors: Vec<(usize, InputError)>,
}

impl Batch {
    /// Adds the templates of input number `input`.
    pub(crate) fn add(&mut self, input: usize, path: &Path, display: &str, format: InputFormat) {
        let (files, errors) = sources::collect(input, path, display, format);
        self.files.extend(files);
        self.errors.extend(errors.into_iter().map(|e| (input, e)));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty() && self.errors.is_empty()
    }

    /// Reads, evaluates and lowers every template together. Errors are returned by input index.
    pub(crate) fn load(self, options: &EvalOptions) -> (Model, Vec<(usize, InputError)>) {
        let mut errors = self.errors;
        let mut templates = Vec::new();
        for file in self.files {
            match read(&file) {
                Ok(root) => templates.push(Rc::new(Template::new(file, root, None))),
                Err(e) => errors.push((file.input, e)),
            }
        }
        let first_input = templates.first().map(|t| t.file.input);
        let mut ev = eval::Evaluator::new(templates, options.clone());
        discover_nested(&mut ev, &mut errors);
        if let Some(input) = first_input {
            for (key, _) in &options.parameters {
                let declared = ev
                    .templates
                    .iter()
                    .any(|t| t.parent.is_none() && t.parameter(key).is_some());
                if !declared {
                    errors.push((
                        input,
                        InputError::file(
                            "--parameter",
                            format!("no template given declares a parameter `{key}`"),
                        )
                        .with_help("check the name against the templates' Parameters"),
                    ));
                }
            }
        }
        ev.validate();
        dependencies::check(&mut ev);
        let mut resources = resources::evaluate(&mut ev);
        let validation = validate::validate(&mut resources);
        let mut model = lower::lower(&ev, &resources);
        model
            .diagnostics
            .extend(std::mem::take(&mut ev.diagnostics));
        model.diagnostics.extend(validation.diagnostics);
        model.misspellings.extend(validation.misspellings);
        errors.append(&mut ev.errors);
        (model, errors)
    }
}

/// Reads and parses one template file.
fn read(file: &TemplateFile) -> Result<node::Node, InputError> {
    let text = crate::read::read_text(&file.path)
        .map_err(|e| e.into_input_error(&file.display, "cannot read"))?;
    parse::parse(&text).map_err(|e| {
        let mut error = InputError::at(&e.at.location(&file.display), e.message);
        if let Some(help) = e.help {
            error = error.with_help(help);
        }
        error
    })
}

/// Loads the local templates of nested stacks (`AWS::CloudFormation::Stack` with a `TemplateURL`
/// that is a path, or a CDK asset), breadth first, so a parent's `!GetAtt Child.Outputs.X` finds them.
fn discover_nested(ev: &mut eval::Evaluator, errors: &mut Vec<(usize, InputError)>) {
    let mut t = 0;
    while t < ev.templates.len() {
        let parent = ev.template(t);
        let depth = std::iter::successors(parent.parent.as_ref().map(|p| p.0), |&p| {
            ev.templates[p].parent.as_ref().map(|x| x.0)
        })
        .count();
        for entry in parent.section("Resources") {
            if entry.value.get("Type").and_then(node::Node::as_str)
                != Some("AWS::CloudFormation::Stack")
                || ev.exists(t, entry) == Some(false)
            {
                continue;
            }
            let Some(url_node) = entry
                .value
                .get("Properties")
                .and_then(|p| p.get("TemplateURL"))
            else {
                continue;
            };
            let at = parent.location(url_node.at);
            let value = ev.eval(t, url_node);
            let Some(path) = value
                .to_text()
                .and_then(|url| sources::nested_template(&parent.file, &url).map(|p| (url, p)))
            else {
                let why = value.to_text().map_or_else(
                    || "its TemplateURL is not known before deployment".to_owned(),
                    |url| format!("its TemplateURL {url:?} is not a local file"),
                );
                ev.diagnostic(
                    format!("nested {t} {}", entry.key),
                    Diagnostic {
                        kind: DiagnosticKind::UnreadInput,
                        message: format!(
                            "nested stack {}: {why}, so its template and the resources in it are not checked",
                            entry.key
                        ),
                        location: Some(at),
                        resource: Some(entry.key.clone()),
                        help: Some("give TemplateURL as a path relative to this template (`aws cloudformation package` turns it into an S3 URL at deploy time), or check the nested template on its own".to_owned()),
                        predicted_error: None,
                    },
                );
                continue;
            };
            let (url, path) = path;
            let tree = tree_of(ev, t);
            if !(crate::read::lexically_inside(&path, &tree)
                && crate::read::inside(&path, &tree).unwrap_or(true))
            {
                errors.push((
                    parent.file.input,
                    InputError::at(
                        &at,
                        format!(
                            "nested stack {}: TemplateURL {url:?} leads outside {}, the directory of the template given",
                            entry.key,
                            tree.display()
                        ),
                    )
                    .with_help("privlink reads nested templates only inside the directory of the template it is given; move the nested template there"),
                ));
                continue;
            }
            if depth + 1 > MAX_NESTING || same_file_above(ev, t, &path) {
                errors.push((parent.file.input, InputError::at(&at, "nested stacks nest deeper than CloudFormation allows (or include themselves)")));
                continue;
            }
            let file = TemplateFile {
                input: parent.file.input,
                display: nested_display(&parent.file, &path),
                stack: format!("{}.{}", parent.file.stack, entry.key),
                env: template::StackEnv {
                    stack_name: None,
                    ..parent.file.env.clone()
                },
                assets: Rc::clone(&parent.file.assets),
                path,
            };
            match read(&file) {
                Ok(root) => ev.templates.push(Rc::new(Template::new(
                    file,
                    root,
                    Some((t, entry.key.clone())),
                ))),
                Err(e) if e.position.is_none() => {
                    errors.push((
                        parent.file.input,
                        InputError::at(&at, format!("nested stack {}: {}", entry.key, e.message))
                            .with_help("TemplateURL names a file relative to this template"),
                    ));
                }
                Err(e) => errors.push((parent.file.input, e)),
            }
        }
        t += 1;
    }
}

/// The directory a run's nested templates must stay in: that of the template given (the top of
/// `t`'s nesting).
fn tree_of(ev: &eval::Evaluator, mut t: usize) -> PathBuf {
    while let Some((p, _)) = &ev.templates[t].parent {
        t = *p;
    }
    let path = &ev.templates[t].file.path;
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn same_file_above(ev: &eval::Evaluator, mut t: usize, path: &Path) -> bool {
    loop {
        if ev.templates[t].file.path == path {
            return true;
        }
        match &ev.templates[t].parent {
            Some((p, _)) => t = *p,
            None => return false,
        }
    }
}

/// How a nested template is shown: beside its parent as the user named it.
fn nested_display(parent: &TemplateFile, path: &Path) -> String {
    let parent_dir = parent.path.parent().unwrap_or(Path::new(""));
    let display_dir = parent.display.rsplit_once('/').map_or("", |(d, _)| d);
    match path.strip_prefix(parent_dir) {
        Ok(relative) => {
            let relative: PathBuf = relative
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect();
            let relative = relative.to_string_lossy();
            if display_dir.is_empty() {
                relative.into_owned()
            } else {
                format!("{display_dir}/{relative}")
            }
        }
        Err(_) => path.to_string_lossy().into_owned(),
    }
}
