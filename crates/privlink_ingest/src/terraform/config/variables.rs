//! Input variables: where the root module's values come from (with Terraform's precedence), and
//! how any module's `var.x` is evaluated and converted to its declared type.
//!
//! Precedence, lowest first: `default`, `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars` / `*.auto.tfvars.json` in lexical order, then `--var-file` files, then `--var`
//! values. (Terraform interleaves `-var` and `-var-file` in command-line order; privlink receives
//! them separately and applies the files first.) `TF_VAR_*` environment variables are not read:
//! a check should not depend on the shell it runs in.

use std::collections::HashMap;

use privlink_model::DiagnosticKind;

use super::engine::{Engine, ModId};
use super::eval::Scope;
use super::module::{LoadProblem, VariableDecl, display_join, parse_file};
use super::syntax::{Expr, Pos};
use super::types::{Type, convert, parse_type};
use crate::InputError;
use crate::terraform::value::Value;

/// Where a root variable's value comes from.
#[derive(Debug)]
enum RootValue {
    /// An expression in a variables file.
    File(Expr),
    /// A `--var NAME=VALUE` string, read according to the variable's type.
    Cli(String),
}

/// The root module's variable values from files and the command line.
#[derive(Debug, Default)]
pub(crate) struct RootValues {
    values: HashMap<String, RootValue>,
}

impl RootValues {
    /// Reads the variables files and `--var` values.
    pub(crate) fn gather(engine: &Engine<'_>) -> Self {
        let mut values = HashMap::new();
        let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
        for name in ["terraform.tfvars", "terraform.tfvars.json"] {
            let path = engine.root_dir.join(name);
            if path.is_file() {
                files.push((path, display_join(&engine.display, name)));
            }
        }
        let mut auto: Vec<String> = std::fs::read_dir(&engine.root_dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .filter(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
                    .collect()
            })
            .unwrap_or_default();
        auto.sort();
        files.extend(
            auto.into_iter()
                .map(|n| (engine.root_dir.join(&n), display_join(&engine.display, &n))),
        );
        for file in &engine.options.var_files {
            files.push((file.clone(), file.display().to_string()));
        }
        for (path, display) in files {
            let text = match crate::read::read_text(&path) {
                Ok(text) => text,
                Err(e) => {
                    engine
                        .file_error(e.into_input_error(&display, "cannot read the variables file"));
                    continue;
                }
            };
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let mut problems = Vec::new();
            if let Some(body) = parse_file(&name, &text, display, &engine.sources, &mut problems) {
                for attr in body.attributes {
                    values.insert(attr.name, RootValue::File(attr.expr));
                }
            }
            for problem in problems {
                match problem {
                    LoadProblem::Input {
                        path,
                        position,
                        message,
                        help,
                    } => engine.file_error(InputError {
                        path,
                        position,
                        message,
                        help,
                    }),
                    LoadProblem::InputAt { pos, message } => engine.input_error(pos, message, None),
                    LoadProblem::Invalid { pos, message } => engine.invalid(pos, message, None),
                    LoadProblem::Unresolved { .. } => {}
                }
            }
        }
        let root = engine.inst(0);
        for (name, value) in &engine.options.vars {
            if !root.def.variables.contains_key(name) {
                engine.file_error(
                    InputError::file(
                        format!("--var {name}"),
                        format!("Value for undeclared variable: A variable named {name:?} was assigned on the command line, but the root module {} does not declare a variable of that name.", engine.display),
                    )
                    .with_help(format!("correct the name, or declare it with variable {name:?} {{}}")),
                );
            }
            values.insert(name.clone(), RootValue::Cli(value.clone()));
        }
        Self { values }
    }
}

impl Engine<'_> {
    /// `var.NAME` in a module instance.
    pub(crate) fn variable(&self, module: ModId, name: &str, at: Pos) -> Value {
        let inst = self.inst(module);
        let Some(decl) = inst.def.variables.get(name) else {
            self.invalid(
                at,
                format!("Reference to undeclared input variable: An input variable with the name {name:?} has not been declared. This variable can be declared with a variable {name:?} {{}} block."),
                None,
            );
            return Value::unknown(format!("var.{name} is not declared"));
        };
        self.memo(
            &self.memos.variables,
            (module, name.to_owned()),
            || format!("{}var.{name}", prefix(&inst.path)),
            decl.pos,
            || self.compute_variable(module, name, decl),
            |cycle| Value::unknown(cycle.to_owned()),
        )
    }

    fn compute_variable(&self, module: ModId, name: &str, decl: &VariableDecl) -> Value {
        let inst = self.inst(module);
        let ty = decl.type_expr.as_ref().and_then(|t| {
            parse_type(t, &|e| self.eval(e, &Scope::constant()))
                .map_err(|m| self.invalid(t.pos, format!("Invalid type specification: {m}"), None))
                .ok()
        });
        let given = match (inst.parent, inst.call) {
            (Some(parent), Some(call)) => {
                let parent_inst = self.inst(parent);
                let call_decl = &parent_inst.def.calls[call];
                call_decl.body.attribute(name).map(|attr| {
                    let scope = Scope::module(parent, inst.repetition.as_ref());
                    (self.eval(&attr.expr, &scope), attr.pos)
                })
            }
            _ => self.root_value(name, ty.as_ref(), decl.pos),
        };
        let (value, at, from_default) = match (given, &decl.default) {
            (Some((Value::Null, _)), Some(default)) if decl.non_nullable => {
                (self.eval(default, &Scope::constant()), default.pos, true)
            }
            (Some((value, at)), _) => (value, at, false),
            (None, Some(default)) => (self.eval(default, &Scope::constant()), default.pos, true),
            (None, None) => return self.missing_variable(module, name, decl),
        };
        match &ty {
            Some(ty) => convert(value.clone(), ty).unwrap_or_else(|e| {
                let message = if from_default {
                    format!("Invalid default value for variable: This default value is not compatible with the variable's type constraint: {e}.")
                } else {
                    format!("Invalid value for input variable: The given value is not suitable for var.{name}: {e}.")
                };
                self.invalid(at, message, None);
                value
            }),
            None => value,
        }
    }

    fn missing_variable(&self, module: ModId, name: &str, decl: &VariableDecl) -> Value {
        let inst = self.inst(module);
        if let (Some(parent), Some(call)) = (inst.parent, inst.call) {
            let call_decl = &self.inst(parent).def.calls[call];
            self.invalid(
                call_decl.pos,
                format!("Missing required argument: The argument {name:?} is required, but no definition was found."),
                None,
            );
            return Value::unknown(format!("module input {name} is not set"));
        }
        let reason =
            format!("var.{name} has no value; set it with --var {name}=... or a .tfvars file");
        self.diagnostic(
            DiagnosticKind::UnresolvedInput,
            decl.pos,
            format!("variable {name:?} has no value"),
            None,
            Some(format!("set it with --var {name}=... or in a .tfvars file")),
        );
        Value::unknown(reason)
    }

    fn root_value(&self, name: &str, ty: Option<&Type>, at: Pos) -> Option<(Value, Pos)> {
        match self.root_values.values.get(name)? {
            RootValue::File(expr) => Some((self.eval(expr, &Scope::constant()), expr.pos)),
            RootValue::Cli(text) if ty.is_none_or(Type::is_literal_cli) => {
                Some((Value::string(text.clone()), at))
            }
            RootValue::Cli(text) => {
                match super::hcl::parse_expression(text, at) {
                    Ok(expr) => Some((self.eval(&expr, &Scope::constant()), at)),
                    Err(message) => {
                        self.file_error(
                        InputError::file("--var", format!("invalid value for variable {name:?}: {message}"))
                            .with_help(format!("for a collection type write HCL, e.g. --var '{name}=[\"a\", \"b\"]'")),
                    );
                        Some((
                            Value::unknown(format!("var.{name} could not be read from --var")),
                            at,
                        ))
                    }
                }
            }
        }
    }
}

/// `module.x.` prefix for node names in messages.
pub(crate) fn prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    }
}
