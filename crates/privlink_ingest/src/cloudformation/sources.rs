//! Finding the templates of an input: a template file, a directory of templates, or a CDK cloud
//! assembly (`cdk.out/`: `manifest.json` lists every stack's template, its environment and the
//! asset manifest that maps a nested stack's S3 `TemplateURL` back to its local file).

use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value as Json;

use super::template::{StackEnv, TemplateFile};
use crate::InputError;
use crate::inputs::{InputFormat, detect};
use crate::read::read_text;

/// File extensions a template in a directory may have.
const TEMPLATE_EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "template", "cfn"];

/// What a directory holds, when it is CloudFormation: a CDK assembly (itself or a `cdk.out/` in it),
/// or template files.
pub(crate) fn directory_format(dir: &Path) -> Option<InputFormat> {
    if is_cloud_assembly(dir) || is_cloud_assembly(&dir.join("cdk.out")) {
        return Some(InputFormat::CdkOut);
    }
    (!template_files(dir).is_empty()).then_some(InputFormat::CloudFormation)
}

/// A CDK cloud assembly: its `manifest.json` has `artifacts` and `version`, or cannot be read while
/// the directory is otherwise one (`cdk.out` marker or `tree.json`), so a broken manifest is
/// reported as such rather than as a directory with nothing to read.
fn is_cloud_assembly(dir: &Path) -> bool {
    let manifest = dir.join("manifest.json");
    match read_text(&manifest)
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
    {
        Some(m) => m.get("artifacts").is_some() && m.get("version").is_some(),
        None => {
            manifest.exists() && (dir.join("cdk.out").is_file() || dir.join("tree.json").is_file())
        }
    }
}

/// The CloudFormation templates directly in a directory, by name.
fn template_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e))
        })
        .filter(|p| read_text(p).is_ok_and(|t| detect(&t) == InputFormat::CloudFormation))
        .collect();
    files.sort();
    files
}

/// The stack name a template file stands for when nothing else names it: the file's stem.
fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("template");
    name.split('.').next().unwrap_or(name).to_owned()
}

fn join_display(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_owned()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

/// The templates of one input.
pub(crate) fn collect(
    input: usize,
    path: &Path,
    display: &str,
    format: InputFormat,
) -> (Vec<TemplateFile>, Vec<InputError>) {
    let plain = |path: PathBuf, display: String| TemplateFile {
        input,
        stack: stem(&path),
        path,
        display,
        env: StackEnv::default(),
        assets: Rc::default(),
    };
    match format {
        InputFormat::CdkOut => {
            let (dir, display) = if is_cloud_assembly(path) {
                (path.to_path_buf(), display.to_owned())
            } else {
                (path.join("cdk.out"), join_display(display, "cdk.out"))
            };
            let mut files = Vec::new();
            let mut errors = Vec::new();
            read_assembly(input, &dir, &display, &mut files, &mut errors);
            (files, errors)
        }
        _ if path.is_dir() => {
            let files = template_files(path)
                .into_iter()
                .map(|p| {
                    let name = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_owned();
                    plain(p, join_display(display, &name))
                })
                .collect();
            (files, Vec::new())
        }
        _ => (
            vec![plain(path.to_path_buf(), display.to_owned())],
            Vec::new(),
        ),
    }
}

/// Reads a cloud assembly's manifest: its stacks, and nested assemblies (CDK stages).
fn read_assembly(
    input: usize,
    dir: &Path,
    display: &str,
    files: &mut Vec<TemplateFile>,
    errors: &mut Vec<InputError>,
) {
    let manifest_display = join_display(display, "manifest.json");
    let manifest = match read_text(&dir.join("manifest.json"))
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<Json>(&t).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => {
            errors.push(
                InputError::file(
                    manifest_display,
                    format!("cannot read the CDK manifest: {e}"),
                )
                .with_help("run `cdk synth` again"),
            );
            return;
        }
    };
    let Some(artifacts) = manifest.get("artifacts").and_then(Json::as_object) else {
        return;
    };
    for (id, artifact) in artifacts {
        let properties = artifact.get("properties");
        let property = |key: &str| properties.and_then(|p| p.get(key)).and_then(Json::as_str);
        match artifact.get("type").and_then(Json::as_str) {
            Some("aws:cloudformation:stack") => {
                let Some(template) = property("templateFile") else {
                    continue;
                };
                let env = environment(artifact.get("environment").and_then(Json::as_str));
                let stack_name = property("stackName").unwrap_or(id).to_owned();
                let assets = artifacts
                    .iter()
                    .filter(|(_, a)| {
                        a.get("type").and_then(Json::as_str) == Some("cdk:asset-manifest")
                    })
                    .filter(|(asset_id, _)| {
                        artifact
                            .get("dependencies")
                            .and_then(Json::as_array)
                            .is_some_and(|d| {
                                d.iter().any(|x| x.as_str() == Some(asset_id.as_str()))
                            })
                    })
                    .filter_map(|(_, a)| a.get("properties")?.get("file")?.as_str())
                    .flat_map(|file| file_assets(dir, file))
                    .collect();
                files.push(TemplateFile {
                    input,
                    path: dir.join(template),
                    display: join_display(display, template),
                    stack: stack_name.clone(),
                    env: StackEnv {
                        stack_name: Some(stack_name),
                        ..env
                    },
                    assets: Rc::new(assets),
                });
            }
            Some("cdk:cloud-assembly") => {
                if let Some(sub) = property("directoryName") {
                    read_assembly(
                        input,
                        &dir.join(sub),
                        &join_display(display, sub),
                        files,
                        errors,
                    );
                }
            }
            _ => {}
        }
    }
}

/// `aws://ACCOUNT/REGION`, where `unknown-account` / `unknown-region` mean environment-agnostic.
fn environment(text: Option<&str>) -> StackEnv {
    let Some((account, region)) = text
        .and_then(|t| t.strip_prefix("aws://"))
        .and_then(|t| t.split_once('/'))
    else {
        return StackEnv::default();
    };
    let known = |s: &str| (!s.starts_with("unknown-") && !s.is_empty()).then(|| s.to_owned());
    StackEnv {
        stack_name: None,
        account: known(account),
        region: known(region),
    }
}

/// The JSON file assets of an asset manifest, by their S3 object key.
fn file_assets(dir: &Path, file: &str) -> Vec<(String, PathBuf)> {
    let Some(manifest) = read_text(&dir.join(file))
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
    else {
        return Vec::new();
    };
    let Some(assets) = manifest.get("files").and_then(Json::as_object) else {
        return Vec::new();
    };
    assets
        .values()
        .filter_map(|asset| {
            let source = asset.get("source")?.get("path")?.as_str()?;
            let keys = asset
                .get("destinations")?
                .as_object()?
                .values()
                .filter_map(|d| d.get("objectKey")?.as_str().map(str::to_owned));
            Some(keys.map(|k| (k, dir.join(source))).collect::<Vec<_>>())
        })
        .flatten()
        .collect()
}

/// The local file a nested stack's `TemplateURL` names: a path relative to the parent template,
/// or a CDK asset's S3 URL whose object key the asset manifest maps to a file.
pub(crate) fn nested_template(parent: &TemplateFile, url: &str) -> Option<PathBuf> {
    if let Some(key) = url.rsplit('/').next()
        && let Some(file) = parent.assets.get(key)
    {
        return Some(file.clone());
    }
    if url.contains("://") && !url.starts_with("file://") {
        return None;
    }
    let relative = url.strip_prefix("file://").unwrap_or(url);
    let base = parent.path.parent().unwrap_or(Path::new("."));
    Some(base.join(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments() {
        let e = environment(Some("aws://123456789012/ap-northeast-1"));
        assert_eq!(
            (e.account.as_deref(), e.region.as_deref()),
            (Some("123456789012"), Some("ap-northeast-1"))
        );
        let e = environment(Some("aws://unknown-account/unknown-region"));
        assert_eq!((e.account, e.region), (None, None));
    }
}
