//! Terraform configurations checked against the AWS provider's schema, as `terraform validate` (and
//! `terraform plan`, for values known only from variables) checks them: run on the resource instances
//! the evaluator produced, before lowering.
//!
//! ```text
//! TfResource ──► decode (names, required arguments, block counts, value types)
//!                   │ no problem
//!                   ▼
//!                provider (computed attributes set, null required arguments, fixed sets of values)
//! ```
//!
//! Each problem is an `invalid-terraform` diagnostic with Terraform's own words, located at the
//! argument (in a module, at the module's file and line, naming the module call). Terraform stops
//! at the first stage that fails for a block, and so does this. What the analysis then reads:
//!
//! * an argument or block the schema does not have (`private_dns_enable`, a typo) is removed from
//!   the instance, as Terraform accepts nothing of it; a name Terraform would suggest instead is
//!   recorded as a [`Misspelling`], so `privlink fix` renames it rather than writing the right name
//!   beside it;
//! * a value outside its set or of the wrong type is kept as written, so the analysis goes on with
//!   what the author meant (`"interface"` is still an interface endpoint).
//!
//! The schema is hashicorp/aws 5.100.0's: a configuration whose lock file or `required_providers`
//! constraints rule that version out (the 6.x provider gives every resource a `region`) is not
//! checked, and an `unresolved-input` diagnostic says so (`provider_version`).
//!
//! Values known only after apply are not checked, as Terraform does not check them. Resource types
//! the committed schema lacks are not checked. Blocks with no instances (`count = 0`) are not
//! evaluated and so not checked either, where `terraform validate` checks them too.

mod decode;
mod provider;
mod provider_version;
mod suggest;
mod types;
mod validators;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use privlink_model::{Diagnostic, DiagnosticKind, Location, Misspelling};

pub(crate) use self::types::ValueType;
use super::config::schema::provider_block_schema;
use super::resource::{ResourceMode, TfResource};
use super::value::Value;

/// What validation found in a configuration.
#[derive(Debug, Default)]
pub(crate) struct Validation {
    /// `invalid-terraform` diagnostics, one per place and message.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Misspelt arguments and blocks, with the name each stands for.
    pub(crate) misspellings: Vec<Misspelling>,
}

/// One thing Terraform rejects.
#[derive(Debug, Default)]
struct Problem {
    location: Option<Location>,
    /// Terraform's summary line (`Unsupported argument`).
    summary: String,
    /// Terraform's detail, empty when it gives none.
    detail: String,
    /// What to do.
    help: String,
    /// The path of an argument or block the schema does not have: not read.
    unknown: Option<String>,
    /// For a name Terraform suggests another for: the parent block's path, the name as written,
    /// the name suggested.
    misspelt: Option<(String, String, String)>,
}

/// Validates every resource instance of an evaluated configuration (its root module read from
/// `root`, shown as `display`) against the provider schema, removing what Terraform would not read.
pub(crate) fn validate(resources: &mut [TfResource], root: &Path, display: &str) -> Validation {
    let mut validation = Validation::default();
    let module_dirs: BTreeSet<&str> = resources
        .iter()
        .filter_map(|r| r.location.as_ref())
        .filter_map(|l| l.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    if let Some(other) = provider_version::other_version(
        (root, display),
        module_dirs.iter().map(|d| (Path::new(*d), *d)),
    ) {
        let [major, minor, patch] = provider_version::SCHEMA_VERSION;
        validation.diagnostics.push(Diagnostic {
            kind: DiagnosticKind::UnresolvedInput,
            message: format!(
                "this configuration uses hashicorp/aws {}, and privlink has the schema of {major}.{minor}.{patch}: its resource arguments are not checked against the provider schema",
                other.wanted
            ),
            location: Some(other.location),
            resource: None,
            help: Some("run terraform validate, which checks them with the provider terraform init installed".to_owned()),
            predicted_error: None,
        });
        return validation;
    }
    let mut seen: HashSet<(Option<Location>, String)> = HashSet::new();
    let mut misspelt: HashSet<Location> = HashSet::new();
    for resource in resources {
        let mode = match resource.mode {
            ResourceMode::Managed => "managed",
            ResourceMode::Data => "data",
        };
        let Some(schema) = provider_block_schema(mode, &resource.resource_type) else {
            continue;
        };
        let json = resource
            .location
            .as_ref()
            .is_some_and(|l| l.path.ends_with(".tf.json"));
        let mut problems = decode::check(resource, schema, json);
        if problems.is_empty() {
            problems = provider::check(resource, schema);
        }
        let address = configuration_address(&resource.address);
        for problem in problems {
            if let Some(path) = &problem.unknown {
                remove_path(&mut resource.attributes, path);
            }
            if let (Some((parent, written, meant)), Some(location), Some(block)) =
                (&problem.misspelt, &problem.location, &resource.location)
                && misspelt.insert(location.clone())
            {
                validation.misspellings.push(Misspelling {
                    block: block.clone(),
                    parent: parent.clone(),
                    written: written.clone(),
                    meant: meant.clone(),
                    location: location.clone(),
                });
            }
            let mut message = if problem.detail.is_empty() {
                problem.summary.clone()
            } else {
                format!("{}: {}", problem.summary, problem.detail)
            };
            if let Some(module) = module_call(&address) {
                message.push_str(&format!(" (in {module})"));
            }
            if !seen.insert((problem.location.clone(), message.clone())) {
                continue;
            }
            validation.diagnostics.push(Diagnostic {
                kind: DiagnosticKind::InvalidTerraform,
                message,
                location: problem.location,
                resource: Some(address.clone()),
                help: Some(problem.help),
                predicted_error: Some(format!("Error: {}", problem.summary)),
            });
        }
    }
    validation
}

/// The address of the block an instance comes from, as `terraform validate` names it: without
/// instance keys (`module.net["a"].aws_subnet.app[0]` → `module.net.aws_subnet.app`).
fn configuration_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if quoted {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    quoted = false;
                }
            } else if c == '"' {
                quoted = true;
            } else if c == ']' {
                depth -= 1;
            }
            continue;
        }
        if c == '[' {
            depth += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// The module call a resource address is inside (`module.net.module.inner`), if any.
fn module_call(address: &str) -> Option<&str> {
    if !address.starts_with("module.") {
        return None;
    }
    let parts: Vec<&str> = address.split('.').collect();
    let mut end = 0;
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "module" {
        end += parts[i].len() + parts[i + 1].len() + 2;
        i += 2;
    }
    address.get(..end.saturating_sub(1))
}

/// Removes the value at a dotted path (`dns_options.0.bogus`) from an instance's attributes.
fn remove_path(attributes: &mut BTreeMap<String, Value>, path: &str) {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    if rest.is_empty() {
        attributes.remove(first);
        return;
    }
    let (index, rest) = rest.split_once('.').unwrap_or((rest, ""));
    let Some(Value::List(blocks) | Value::Set(blocks)) = attributes.get_mut(first) else {
        return;
    };
    if let (Ok(i), false) = (index.parse::<usize>(), rest.is_empty())
        && let Some(Value::Map(block)) = blocks.get_mut(i)
    {
        remove_path(block, rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_addresses_drop_instance_keys() {
        assert_eq!(
            configuration_address(r#"module.net["a.]"].aws_subnet.app[0]"#),
            "module.net.aws_subnet.app"
        );
        assert_eq!(configuration_address("aws_vpc.main"), "aws_vpc.main");
    }

    #[test]
    fn module_calls_are_named() {
        assert_eq!(
            module_call("module.net.module.inner.aws_vpc.main"),
            Some("module.net.module.inner")
        );
        assert_eq!(module_call("module.net.aws_vpc.main"), Some("module.net"));
        assert_eq!(module_call("aws_vpc.main"), None);
    }
}
