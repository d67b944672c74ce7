//! Terraform configuration evaluation: a directory of `*.tf` / `*.tf.json` files, its modules and
//! variables, evaluated into resource instances.
//!
//! ```text
//! *.tf ──(hcl-edit)──► hcl ──┐                      ┌─ variables (tfvars, --var, defaults, types)
//!                            ├─► syntax ─► module ──┤─ engine: memoized lazy evaluation, cycles
//! *.tf.json ──► json ────────┘   (one tree) (decls) ├─ eval / references / resources / providers
//!                                                   └─ functions, data_sources, iam_policy
//!                                                        │
//!                                                        ▼
//!                                              TfResource per instance
//! ```
//!
//! | module | owns |
//! |---|---|
//! | `syntax` | the expression/body tree both syntaxes lower into |
//! | `hcl`, `json` | native syntax via hcl-edit; JSON syntax with a position-aware reader |
//! | `source` | files read and offset → line/column |
//! | `module` | one directory's declarations |
//! | `engine` | module instances, memo tables, cycle detection, the final walk |
//! | `eval`, `references` | expressions; named references (resources, modules, vars, ...) |
//! | `projection` | `for` over resources without building whole resource objects |
//! | `resources` | `count`/`for_each`, nested and `dynamic` blocks, module calls |
//! | `variables`, `types` | variable values, precedence and type conversion |
//! | `providers` | provider configurations and regions |
//! | `functions` | built-in functions |
//! | `data_sources`, `iam_policy` | data sources privlink can answer offline |
//! | `schema` | the AWS provider schema (computed attributes, nested blocks) |
//!
//! Evaluation runs on a thread with a large stack: expressions and reference chains recurse, and
//! a deep (but legal) configuration must not overflow the caller's stack.
//!
//! Deliberately not done (each is visible to the user, never silent):
//!
//! * override files (`*_override.tf`) are skipped with an `unresolved-input` diagnostic;
//! * `TF_VAR_*` environment variables are not read, and `--var-file`s apply before `--var`s;
//! * functions that need time, randomness, hashing or YAML (`timestamp`, `uuid`, `md5`, `sha256`,
//!   `yamldecode`, ...) and provider-defined functions evaluate to unknown;
//! * `validation`, `precondition`/`postcondition`, `check`, `moved`, `import` and `removed` blocks
//!   are not evaluated; sensitivity marks are not tracked;
//! * values carry no list/tuple or map/object distinction, so `for_each` over any list is
//!   reported as "a value of type tuple" (Terraform says "list of string" for a `list(string)`).

mod budget;
mod data_sources;
mod engine;
mod eval;
mod functions;
pub use functions::{evaluated_functions, not_evaluated_functions};
mod hcl;
mod iam_policy;
mod json;
mod module;
mod projection;
mod providers;
mod references;
mod resources;
pub(crate) mod schema;
mod snapshot_data;
mod source;
mod syntax;
mod types;
mod values;
mod variables;

use std::path::{Path, PathBuf};

use privlink_model::Diagnostic;

use super::resource::TfResource;
use crate::InputError;

/// What the user passed on the command line for Terraform.
#[derive(Clone, Debug, Default)]
pub struct ConfigOptions {
    /// `--var NAME=VALUE`, in order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in order.
    pub var_files: Vec<PathBuf>,
    /// `--region`: used when the AWS provider configuration does not determine the region.
    pub region: Option<String>,
}

/// The evaluated configuration of one root module.
#[derive(Clone, Debug, Default)]
pub struct EvaluatedConfig {
    /// Every resource and data-source instance, root module first, in file order.
    pub resources: Vec<TfResource>,
    /// Problems Terraform would report (`invalid-terraform`) and values privlink could not resolve
    /// (`unresolved-input`).
    pub diagnostics: Vec<Diagnostic>,
    /// Files or expressions that could not be read at all.
    pub errors: Vec<InputError>,
}

/// Evaluates the root module in `dir`. `display` is how paths are shown (as the user named them).
pub fn evaluate_directory(dir: &Path, display: &str, options: &ConfigOptions) -> EvaluatedConfig {
    evaluate_with_snapshots(dir, display, options, &[])
}

/// Evaluates the root module in `dir`, answering data sources from AWS snapshots given in the same
/// run (`--aws-snapshot`), as `terraform plan` answers them from the account.
pub(crate) fn evaluate_with_snapshots(
    dir: &Path,
    display: &str,
    options: &ConfigOptions,
    snapshots: &[crate::snapshot::Snapshot],
) -> EvaluatedConfig {
    const STACK: usize = 256 * 1024 * 1024;
    let run = || {
        let (resources, diagnostics, errors) =
            engine::Engine::new(dir, display, options, snapshots).run();
        EvaluatedConfig {
            resources,
            diagnostics,
            errors,
        }
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("terraform-eval".into())
            .stack_size(STACK)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| EvaluatedConfig {
                errors: vec![
                    InputError::file(
                        display,
                        "internal error while evaluating the Terraform configuration",
                    )
                    .with_help("this is a privlink bug; please report it with the configuration"),
                ],
                ..EvaluatedConfig::default()
            }),
            // No thread available: evaluate here (deep configurations may then exhaust the stack).
            Err(_) => run(),
        }
    })
}
