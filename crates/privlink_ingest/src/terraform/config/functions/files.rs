//! Filesystem functions: `file`, `fileexists`, `abspath`, `basename`, `dirname`.
//!
//! Relative paths are resolved against the root module directory, Terraform's working directory
//! (`path.module` values are relative to it). `templatefile` evaluates a template and lives in the
//! evaluator.

use std::path::{Path, PathBuf};

use super::{FnContext, FnError, FnResult, arity, string_arg};
use crate::terraform::value::Value;

pub(super) fn call(name: &str, args: &[Value], ctx: &FnContext<'_>) -> Option<FnResult> {
    Some(match name {
        "file" => file(args, ctx),
        "fileexists" => arity(args, 1, 1)
            .and_then(|()| Ok(Value::Bool(resolve(ctx, &string_arg(args, 0)?).is_file()))),
        "abspath" => arity(args, 1, 1).and_then(|()| {
            let path = resolve(ctx, &string_arg(args, 0)?);
            Ok(Value::String(
                normalize(&path).to_string_lossy().into_owned(),
            ))
        }),
        "basename" => arity(args, 1, 1).and_then(|()| {
            let path = string_arg(args, 0)?;
            Ok(Value::String(
                Path::new(&path)
                    .file_name()
                    .map_or(path.clone(), |n| n.to_string_lossy().into_owned()),
            ))
        }),
        "dirname" => arity(args, 1, 1).and_then(|()| {
            let path = string_arg(args, 0)?;
            let parent = Path::new(&path)
                .parent()
                .map(|p| p.to_string_lossy().into_owned());
            Ok(Value::String(match parent {
                Some(p) if p.is_empty() => ".".to_owned(),
                Some(p) => p,
                None => path,
            }))
        }),
        _ => return None,
    })
}

/// Resolves a path as Terraform would from the root module directory.
pub(crate) fn resolve(ctx: &FnContext<'_>, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        ctx.cwd.join(p)
    }
}

fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads a file for `file()` / `templatefile()`; a missing file is an input error.
pub(crate) fn read(ctx: &FnContext<'_>, path: &str) -> Result<String, FnError> {
    let full = resolve(ctx, path);
    crate::read::read_in_tree(&normalize(&full), &normalize(ctx.cwd)).map_err(|e| match e {
        crate::read::ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => FnError::Input {
            message: format!("Invalid function argument: no file exists at {path:?} ({e})"),
            help: format!(
                "the path is resolved from the root module directory {}; use \"${{path.module}}/...\" for files beside the module",
                ctx.cwd.display()
            ),
        },
        e => FnError::Input {
            message: format!("cannot read {path:?}: {e}"),
            help: e.help().to_owned(),
        },
    })
}

fn file(args: &[Value], ctx: &FnContext<'_>) -> FnResult {
    arity(args, 1, 1)?;
    read(ctx, &string_arg(args, 0)?).map(Value::String)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{FnContext, FnError, call};
    use crate::terraform::value::Value;

    #[test]
    fn path_functions_match_terraform_console() {
        assert_eq!(
            f("basename", &[Value::string("/a/b/c.txt")]).unwrap(),
            Value::string("c.txt")
        );
        assert_eq!(
            f("dirname", &[Value::string("/a/b/c.txt")]).unwrap(),
            Value::string("/a/b")
        );
        assert_eq!(
            f("dirname", &[Value::string("c.txt")]).unwrap(),
            Value::string(".")
        );
    }

    #[test]
    fn file_reads_relative_to_the_root_module_and_reports_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy.json"), "{}").unwrap();
        let ctx = FnContext { cwd: dir.path() };
        assert_eq!(
            call("file", &[Value::string("policy.json")], &ctx).unwrap(),
            Value::string("{}")
        );
        assert_eq!(
            call("fileexists", &[Value::string("policy.json")], &ctx).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            call("fileexists", &[Value::string("nope")], &ctx).unwrap(),
            Value::Bool(false)
        );
        let abs = call("abspath", &[Value::string("./x/../policy.json")], &ctx).unwrap();
        assert!(abs.as_str().unwrap().ends_with("/policy.json"));
        assert!(matches!(
            call("file", &[Value::string("nope.json")], &ctx),
            Err(FnError::Input { .. })
        ));
    }
}
