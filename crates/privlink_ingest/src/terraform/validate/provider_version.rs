//! Whether the committed provider schema (hashicorp/aws 5.100.0) is the one Terraform would use for
//! a configuration: arguments come and go between major versions (6.0 gave every resource a
//! `region`), so a configuration for another version is not checked against it.
//!
//! Terraform picks one version of the provider for the whole configuration: the one its lock file
//! (`.terraform.lock.hcl`) records, else one that meets every `required_providers` constraint of the
//! root module and of every module it calls. The schema applies when that can be 5.100.0.

use std::fs;
use std::path::Path;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use privlink_model::Location;

/// The provider version of the committed schema.
pub(super) const SCHEMA_VERSION: [u64; 3] = [5, 100, 0];

/// Why the committed schema does not apply: the version the configuration asks for, and where.
#[derive(Debug)]
pub(super) struct OtherVersion {
    pub(super) wanted: String,
    pub(super) location: Location,
}

/// Checks the lock file of the root module, else the `hashicorp/aws` version constraints of the
/// module directories given (each as a path to read and the path to show).
pub(super) fn other_version<'a>(
    root: (&'a Path, &'a str),
    modules: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Option<OtherVersion> {
    let (root_dir, root_display) = root;
    if let Some((version, location)) = locked_version(root_dir, root_display) {
        return (!meets(&format!("= {version}"))).then(|| OtherVersion {
            wanted: format!("{version} (the version .terraform.lock.hcl records)"),
            location,
        });
    }
    std::iter::once(root)
        .chain(modules)
        .flat_map(|(dir, display)| constraints(dir, display))
        .find(|(constraint, _)| !meets(constraint))
        .map(|(constraint, location)| OtherVersion {
            wanted: constraint,
            location,
        })
}

fn shown(display: &str, name: &str) -> String {
    if display.is_empty() || display == "." {
        name.to_owned()
    } else {
        format!("{}/{name}", display.trim_end_matches('/'))
    }
}

/// The `hashicorp/aws` version the root module's lock file records.
fn locked_version(dir: &Path, display: &str) -> Option<(String, Location)> {
    let text = fs::read_to_string(dir.join(".terraform.lock.hcl")).ok()?;
    let body: Body = text.parse().ok()?;
    body.iter()
        .filter_map(Structure::as_block)
        .filter(|b| {
            b.has_ident("provider") && b.labels.first().is_some_and(|l| is_aws_source(l.as_str()))
        })
        .find_map(|b| {
            let attribute = b.body.get_attribute("version")?;
            let version = string(&attribute.value)?;
            let location = location(
                &text,
                attribute.span(),
                &shown(display, ".terraform.lock.hcl"),
            );
            Some((version, location))
        })
}

/// Every `hashicorp/aws` version constraint in the `terraform` blocks of a module directory.
fn constraints(dir: &Path, display: &str) -> Vec<(String, Location)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let Ok(text) = fs::read_to_string(dir.join(&name)) else {
            continue;
        };
        let path = shown(display, &name);
        if name.ends_with(".tf.json") {
            out.extend(json_constraints(&text, &path));
            continue;
        }
        let Ok(body) = text.parse::<Body>() else {
            continue;
        };
        for terraform in body
            .iter()
            .filter_map(Structure::as_block)
            .filter(|b| b.has_ident("terraform"))
        {
            for required in terraform
                .body
                .iter()
                .filter_map(Structure::as_block)
                .filter(|b| b.has_ident("required_providers"))
            {
                for attribute in required.body.iter().filter_map(Structure::as_attribute) {
                    let Expression::Object(object) = &attribute.value else {
                        continue;
                    };
                    let field = |key: &str| {
                        object.iter().find_map(|(k, v)| {
                            let name = match k {
                                ObjectKey::Ident(i) => i.as_str().to_owned(),
                                ObjectKey::Expression(e) => string(e)?,
                            };
                            (name == key).then(|| (string(v.expr()), v.expr().span()))
                        })
                    };
                    let source = field("source").and_then(|(s, _)| s);
                    let is_aws = match &source {
                        Some(s) => is_aws_source(s),
                        None => attribute.key.as_str() == "aws",
                    };
                    if let (true, Some((Some(version), span))) = (is_aws, field("version")) {
                        out.push((version, location(&text, span, &path)));
                    }
                }
            }
        }
    }
    out
}

fn json_constraints(text: &str, path: &str) -> Vec<(String, Location)> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let terraform = match &json["terraform"] {
        serde_json::Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    terraform
        .iter()
        .filter_map(|t| t["required_providers"]["aws"]["version"].as_str())
        .map(|v| (v.to_owned(), Location::new(path, 1, 1)))
        .collect()
}

fn is_aws_source(source: &str) -> bool {
    let source = source.to_ascii_lowercase();
    source == "hashicorp/aws" || source == "registry.terraform.io/hashicorp/aws"
}

fn string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().to_string()),
        _ => None,
    }
}

fn location(text: &str, span: Option<std::ops::Range<usize>>, path: &str) -> Location {
    let offset = span.map_or(0, |s| s.start).min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location::new(
        path,
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Whether 5.100.0 meets a Terraform version constraint (`>= 5.46, < 6.0`, `~> 5.0`, `6.2.0`).
pub(super) fn meets(constraint: &str) -> bool {
    constraint.split(',').all(|part| {
        let part = part.trim();
        let (op, version) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("=", part));
        let Some(wanted) = parse(version) else {
            // A version privlink cannot read is no reason to skip checking.
            return true;
        };
        let have = SCHEMA_VERSION;
        let given = version.split('.').count();
        match op {
            ">=" => have >= wanted,
            "<=" => have <= wanted,
            ">" => have > wanted,
            "<" => have < wanted,
            "!=" => have != wanted,
            "~>" => {
                // `~> 5.46` allows 5.46 up to (not including) 6.0; `~> 5.46.1` up to 5.47.
                let mut upper = wanted;
                let bump = given.clamp(2, 3) - 2;
                upper[bump] += 1;
                for u in upper.iter_mut().skip(bump + 1) {
                    *u = 0;
                }
                have >= wanted && have < upper
            }
            _ => have == wanted,
        }
    })
}

fn parse(version: &str) -> Option<[u64; 3]> {
    let version = version.trim().trim_start_matches('v');
    let core = version.split(['-', '+']).next()?;
    let mut parts = [0u64; 3];
    let mut count = 0;
    for (i, p) in core.split('.').enumerate() {
        if i >= 3 {
            return None;
        }
        parts[i] = p.parse().ok()?;
        count += 1;
    }
    (count > 0).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_are_read_as_terraform_reads_them() {
        assert!(meets(">= 5.0"));
        assert!(meets("~> 5.0"));
        assert!(meets(">= 5.46, < 6.0"));
        assert!(meets("5.100.0"));
        assert!(!meets(">= 6.0"));
        assert!(!meets("~> 5.46.1"));
        assert!(!meets("~> 4.0"));
        assert!(meets("~> 5.100.0"));
        assert!(!meets("< 5.100"));
    }

    #[test]
    fn the_modules_declare_their_versions() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(
            dir.path().join("versions.tf"),
            "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 6.0\"\n    }\n  }\n}\n",
        )
        .expect("write");
        let found = other_version((dir.path(), "infra"), []).expect("6.0 is another version");
        assert_eq!(found.wanted, ">= 6.0");
        assert_eq!(found.location, Location::new("infra/versions.tf", 5, 17));
        fs::write(
            dir.path().join(".terraform.lock.hcl"),
            "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.100.0\"\n}\n",
        )
        .expect("write");
        assert!(
            other_version((dir.path(), "infra"), []).is_none(),
            "the lock file decides"
        );
    }
}
