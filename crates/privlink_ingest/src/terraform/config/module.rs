//! Loading one module directory: every `*.tf` / `*.tf.json` parsed once and its declarations
//! (variables, locals, outputs, resources, data sources, module calls, providers) collected.
//!
//! A file that does not parse is an input error; the directory's other files still load.
//! Override files (`*_override.tf`) are not merged: they are skipped with an `unresolved-input`
//! diagnostic, so nothing they change is silently half-applied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::json::{self, FileLowering};
use super::schema::block_schema;
use super::source::Sources;
use super::syntax::{Attribute, Block, Body, Expr, Pos};
use super::{hcl, source::pos};
use crate::terraform::resource::ResourceMode;

/// A `variable` block.
#[derive(Debug)]
pub(crate) struct VariableDecl {
    pub(crate) type_expr: Option<Expr>,
    pub(crate) default: Option<Expr>,
    /// `nullable = false`: a null value given for it means "use the default".
    pub(crate) non_nullable: bool,
    pub(crate) pos: Pos,
}

/// A `resource` or `data` block.
#[derive(Debug)]
pub(crate) struct ResourceDecl {
    pub(crate) mode: ResourceMode,
    pub(crate) resource_type: String,
    pub(crate) name: String,
    pub(crate) body: Body,
    pub(crate) pos: Pos,
}

impl ResourceDecl {
    /// `aws_vpc.main` / `data.aws_region.current`, without module path or key.
    pub(crate) fn local_address(&self) -> String {
        match self.mode {
            ResourceMode::Managed => format!("{}.{}", self.resource_type, self.name),
            ResourceMode::Data => format!("data.{}.{}", self.resource_type, self.name),
        }
    }

    /// The provider configuration it uses: `aws` or `aws.west`.
    pub(crate) fn provider_key(&self) -> String {
        self.body
            .attribute("provider")
            .and_then(|a| a.expr.as_static_path())
            .map_or_else(
                || {
                    self.resource_type
                        .split('_')
                        .next()
                        .unwrap_or("aws")
                        .to_owned()
                },
                |p| p.join("."),
            )
    }
}

/// A `module` block.
#[derive(Debug)]
pub(crate) struct ModuleCall {
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) body: Body,
    pub(crate) pos: Pos,
    /// `providers = { aws = aws.west }`: child configuration key → parent configuration key.
    pub(crate) providers: Vec<(String, String)>,
}

/// A `provider` block.
#[derive(Debug)]
pub(crate) struct ProviderDecl {
    /// `aws` or `aws.west`.
    pub(crate) key: String,
    pub(crate) body: Body,
}

/// Everything declared in one module directory.
#[derive(Debug, Default)]
pub(crate) struct ModuleDef {
    pub(crate) dir: PathBuf,
    /// `path.module`: the directory relative to the root module (`.`, `modules/net`).
    pub(crate) rel_path: String,
    pub(crate) variables: HashMap<String, VariableDecl>,
    pub(crate) locals: HashMap<String, Attribute>,
    pub(crate) outputs: HashMap<String, Attribute>,
    pub(crate) resources: Vec<ResourceDecl>,
    pub(crate) resource_index: HashMap<(ResourceMode, String, String), usize>,
    pub(crate) calls: Vec<ModuleCall>,
    pub(crate) call_index: HashMap<String, usize>,
    pub(crate) providers: Vec<ProviderDecl>,
}

/// Problems found while loading.
#[derive(Debug)]
pub(crate) enum LoadProblem {
    /// The file or directory cannot be read or parsed (position is 1-based line/column).
    Input {
        path: String,
        position: Option<(u32, u32)>,
        message: String,
        help: Option<String>,
    },
    /// An error at a position in a parsed file.
    InputAt { pos: Pos, message: String },
    /// Terraform would reject it (duplicate declarations).
    Invalid { pos: Pos, message: String },
    /// Not evaluated by privlink (override files).
    Unresolved { path: String, message: String },
}

/// Joins the user's display path and a path relative to it.
pub(crate) fn display_join(display: &str, rel: &str) -> String {
    let display = display.trim_end_matches('/');
    let rel = rel.trim_start_matches("./");
    if display.is_empty() || display == "." {
        rel.to_owned()
    } else if rel.is_empty() || rel == "." {
        display.to_owned()
    } else {
        format!("{display}/{rel}")
    }
}

/// Loads a module directory. `rel_path` is relative to the root module; `display` is the root as the
/// user named it.
pub(crate) fn load(
    dir: &Path,
    rel_path: &str,
    display: &str,
    sources: &Sources,
    problems: &mut Vec<LoadProblem>,
) -> ModuleDef {
    let mut def = ModuleDef {
        dir: dir.to_path_buf(),
        rel_path: rel_path.to_owned(),
        ..ModuleDef::default()
    };
    let dir_display = display_join(display, rel_path);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(LoadProblem::Input {
                path: dir_display,
                position: None,
                message: format!("cannot read the Terraform directory: {e}"),
                help: None,
            });
            return def;
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        // Not only regular files: a dangling or looping `.tf` link, or a FIFO, is reported when
        // read (Terraform fails on them too), not skipped in silence.
        .filter(|e| !e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        .collect();
    names.sort();
    if names.is_empty() {
        problems.push(LoadProblem::Input {
            path: dir_display,
            position: None,
            message: "no Terraform configuration files (*.tf, *.tf.json) in this directory".into(),
            help: Some("point privlink at the directory that holds the root module".into()),
        });
        return def;
    }
    for name in names {
        let file_display = display_join(&dir_display, &name);
        let stem = name.trim_end_matches(".json").trim_end_matches(".tf");
        if stem == "override" || stem.ends_with("_override") {
            problems.push(LoadProblem::Unresolved {
                path: file_display,
                message: format!("override file {name} is not applied: privlink does not merge Terraform override files"),
            });
            continue;
        }
        let text = match crate::read::read_in_tree(&dir.join(&name), dir) {
            Ok(text) => text,
            Err(e) => {
                let error = e.into_input_error(&file_display, "cannot read file");
                problems.push(LoadProblem::Input {
                    path: file_display,
                    position: error.position,
                    message: error.message,
                    help: error.help,
                });
                continue;
            }
        };
        let Some(body) = parse_file(&name, &text, file_display, sources, problems) else {
            continue;
        };
        collect(&mut def, body, problems);
    }
    def
}

/// Parses one configuration or variables file (native or JSON syntax) into a body.
pub(crate) fn parse_file(
    name: &str,
    text: &str,
    display: String,
    sources: &Sources,
    problems: &mut Vec<LoadProblem>,
) -> Option<Body> {
    let is_json = name.ends_with(".json");
    let file = sources.add(display.clone(), text.to_owned());
    if is_json {
        let root = match json::parse(text) {
            Ok(root) => root,
            Err(e) => {
                problems.push(LoadProblem::Input {
                    path: display,
                    position: Some((e.line, e.column)),
                    message: format!("invalid JSON: {}", e.message),
                    help: Some("fix the JSON syntax; Terraform would refuse this file too".into()),
                });
                return None;
            }
        };
        let schema = |mode: &str, ty: &str| block_schema(mode, ty);
        let mut lowering = FileLowering {
            file,
            errors: Vec::new(),
            schema: &schema,
        };
        let body = if name.ends_with(".tf.json") {
            lowering.file_body(&root)
        } else {
            tfvars_json_body(&root, file, &mut lowering.errors)
        };
        problems.extend(
            lowering
                .errors
                .into_iter()
                .map(|(pos, message)| LoadProblem::InputAt { pos, message }),
        );
        Some(body)
    } else {
        match hcl::parse_body(text, file) {
            Ok(body) => Some(body),
            Err(e) => {
                problems.push(LoadProblem::Input {
                    path: display,
                    position: Some((e.line, e.column)),
                    message: format!("invalid HCL: {}", e.message),
                    help: Some(
                        "fix the syntax at this position; Terraform would refuse this file too"
                            .into(),
                    ),
                });
                None
            }
        }
    }
}

/// A `.tfvars.json` file: every property is a literal value.
fn tfvars_json_body(root: &json::Node, file: u32, errors: &mut Vec<(Pos, String)>) -> Body {
    let mut body = Body::default();
    let json::NodeValue::Object(entries) = &root.value else {
        errors.push((
            pos(file, root.offset),
            "a .tfvars.json file must hold an object".into(),
        ));
        return body;
    };
    for (name, key_offset, value) in entries {
        match json::expr(value, file, json::Strings::Literal) {
            Ok(expr) => body.attributes.push(Attribute {
                name: name.clone(),
                expr,
                pos: pos(file, *key_offset),
            }),
            Err(e) => errors.push(e),
        }
    }
    body
}

fn collect(def: &mut ModuleDef, body: Body, problems: &mut Vec<LoadProblem>) {
    for block in body.blocks {
        let Block {
            kind,
            labels,
            body,
            pos,
        } = block;
        match (kind.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                if def.variables.contains_key(name) {
                    problems.push(LoadProblem::Invalid { pos, message: format!("Duplicate variable declaration: a variable named {name:?} was already declared") });
                    continue;
                }
                let type_expr = body.attribute("type").map(|a| a.expr.clone());
                let default = body.attribute("default").map(|a| a.expr.clone());
                let non_nullable = body
                    .attribute("nullable")
                    .is_some_and(|a| matches!(a.expr.kind, super::syntax::ExprKind::Bool(false)));
                def.variables.insert(
                    name.clone(),
                    VariableDecl {
                        type_expr,
                        default,
                        non_nullable,
                        pos,
                    },
                );
            }
            ("locals", []) => {
                for attr in body.attributes {
                    if def.locals.contains_key(&attr.name) {
                        problems.push(LoadProblem::Invalid { pos: attr.pos, message: format!("Duplicate local value definition: a local value named {:?} was already defined", attr.name) });
                        continue;
                    }
                    def.locals.insert(attr.name.clone(), attr);
                }
            }
            ("output", [name]) => {
                if let Some(value) = body.attributes.into_iter().find(|a| a.name == "value") {
                    def.outputs.insert(
                        name.clone(),
                        Attribute {
                            name: name.clone(),
                            expr: value.expr,
                            pos,
                        },
                    );
                }
            }
            ("resource" | "data", [resource_type, name]) => {
                let mode = if kind == "data" {
                    ResourceMode::Data
                } else {
                    ResourceMode::Managed
                };
                let key = (mode, resource_type.clone(), name.clone());
                if def.resource_index.contains_key(&key) {
                    let what = if mode == ResourceMode::Data {
                        "data"
                    } else {
                        "resource"
                    };
                    problems.push(LoadProblem::Invalid {
                        pos,
                        message: format!("Duplicate {what} \"{resource_type}\" configuration: a {what} named \"{name}\" was already declared"),
                    });
                    continue;
                }
                def.resource_index.insert(key, def.resources.len());
                def.resources.push(ResourceDecl {
                    mode,
                    resource_type: resource_type.clone(),
                    name: name.clone(),
                    body,
                    pos,
                });
            }
            ("module", [name]) => {
                if def.call_index.contains_key(name) {
                    problems.push(LoadProblem::Invalid {
                        pos,
                        message: format!(
                            "Duplicate module call: a module named {name:?} was already declared"
                        ),
                    });
                    continue;
                }
                let source = body.attribute("source").and_then(|a| match &a.expr.kind {
                    super::syntax::ExprKind::String(s) => Some(s.clone()),
                    _ => None,
                });
                let Some(source) = source else {
                    problems.push(LoadProblem::Invalid { pos, message: format!("Missing required argument: the module {name:?} has no literal \"source\"") });
                    continue;
                };
                let providers =
                    body.attribute("providers")
                        .map_or_else(Vec::new, |a| match &a.expr.kind {
                            super::syntax::ExprKind::Object(entries) => entries
                                .iter()
                                .filter_map(|(k, v)| {
                                    Some((
                                        k.as_static_path()?.join("."),
                                        v.as_static_path()?.join("."),
                                    ))
                                })
                                .collect(),
                            _ => Vec::new(),
                        });
                def.call_index.insert(name.clone(), def.calls.len());
                def.calls.push(ModuleCall {
                    name: name.clone(),
                    source,
                    body,
                    pos,
                    providers,
                });
            }
            ("provider", [name]) => {
                let alias = body
                    .attribute("alias")
                    .and_then(|a| a.expr.as_static_path())
                    .map(|p| p.join("."));
                let key = alias.map_or_else(|| name.clone(), |a| format!("{name}.{a}"));
                def.providers.push(ProviderDecl { key, body });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_join_like_the_user_typed_them() {
        assert_eq!(
            display_join("examples/dns-hostnames-off", "main.tf"),
            "examples/dns-hostnames-off/main.tf"
        );
        assert_eq!(
            display_join("examples/dns-hostnames-off/", "modules/net"),
            "examples/dns-hostnames-off/modules/net"
        );
        assert_eq!(display_join(".", "main.tf"), "main.tf");
        assert_eq!(display_join("infra", "."), "infra");
    }
}
