//! `privlink fix`, end to end, on copies of the rule fixtures, the examples and the CloudFormation
//! and module fixtures. For each: the fixes are written, the copy is checked again, and
//!
//! * every finding `fix` reports fixed is gone, and every finding left is one `fix` reported (as
//!   left to do by hand, or revealed by the fixes): nothing new appears;
//! * a second `fix --write` finds nothing to write;
//! * every changed file has its backup, and its comments survive;
//! * written Terraform passes `terraform fmt -check` and, where the configuration was valid before,
//!   `terraform validate` (with the provider mirror at /opt/tf-plugins; skipped with a note where
//!   terraform is not installed);
//! * written CloudFormation passes `cfn-lint` with nothing it did not report before (cfn-lint is
//!   installed into `.venv` by `scripts/test`; without it the tests fail and say so);
//! * the printed patch, applied with `git apply`, gives the same files as `--write`.
//!
//! The printed fix of every case is pinned in a snapshot.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PLUGIN_DIR: &str = "/opt/tf-plugins";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn privlink_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("privlink")
}

/// A temporary directory holding copies of inputs; privlink runs in it.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies a directory of the repository to `name` in the workspace.
    fn copy(&self, from: &str, name: &str) {
        copy_dir(&root().join(from), &self.path().join(name));
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(privlink_bin())
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("privlink runs")
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.run(args);
        let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "privlink {args:?}: not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().expect("exit code"), value)
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every file under the workspace, relative, with its content.
    fn files(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        collect_files(self.path(), self.path(), &mut out);
        out
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn collect_files(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == ".terraform") {
                continue;
            }
            collect_files(base, &path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .into_owned();
            out.insert(rel, text);
        }
    }
}

type Key = (String, String, String, String);

fn key(f: &Value) -> Key {
    let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
    (s("rule"), s("resource"), s("workload"), s("service"))
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .collect()
}

/// What one fix run did.
struct Fixed {
    /// The printed fix (findings and patch), before writing.
    printed: String,
    /// The `--write --report-format json` report.
    report: Value,
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Runs the DESIGN's property on `input` (relative to the workspace): writes every fix, checks
/// again, and checks the written files with the real tools.
fn fix_and_recheck(ws: &Workspace, input: &str, flags: &[&str], tools: &Tools) -> Fixed {
    let with = |first: &[&str]| -> Vec<String> {
        first
            .iter()
            .chain(flags)
            .chain(std::iter::once(&input))
            .map(|s| (*s).to_owned())
            .collect()
    };
    let check = with(&["check", "--format", "json", "--fail-on", "never"]);
    let (_, before) = ws.json(&args(&check));
    let originals = ws.files();

    let printed = ws.run(&args(&with(&["fix"])));
    let printed = String::from_utf8(printed.stdout).expect("utf-8");
    assert_eq!(ws.files(), originals, "printing changes nothing");

    let (status, report) = ws.json(&args(&with(&["fix", "--write", "--report-format", "json"])));
    assert_ne!(status, 2, "{input}: fix --write failed: {report}");
    let (_, after) = ws.json(&args(&check));

    // Every finding of the analysis is in the report; those reported fixed are gone; every finding
    // left was reported.
    let reported: BTreeMap<Key, &Value> =
        findings(&report).into_iter().map(|f| (key(f), f)).collect();
    for f in findings(&before) {
        assert!(
            reported
                .get(&key(f))
                .is_some_and(|r| r["revealed"] == false),
            "{input}: {:?} is not in the fix report",
            key(f)
        );
    }
    let left: BTreeSet<Key> = findings(&after).into_iter().map(key).collect();
    for (k, f) in &reported {
        if f["status"] == "fixed" {
            assert!(
                !left.contains(k),
                "{input}: {k:?} was reported fixed but is still found:\n{printed}"
            );
        }
    }
    for k in &left {
        assert!(
            reported.contains_key(k),
            "{input}: {k:?} appeared after the fix without being reported:\n{printed}"
        );
    }
    let open_errors = reported
        .values()
        .any(|f| f["status"] != "fixed" && f["severity"] == "error");
    assert_eq!(status, i32::from(open_errors), "{input}: exit status");

    // Backups hold the originals; comments survive; new files are new.
    let written = report["written"].as_array().expect("written");
    for w in written {
        let path = w["path"].as_str().expect("path");
        let rel = path.to_owned();
        match w["backup"].as_str() {
            Some(backup) => {
                let original = &originals[&rel];
                assert_eq!(&ws.read(backup), original, "{backup} holds the original");
                comments_survive(original, &ws.read(path), path);
            }
            None => assert!(!originals.contains_key(&rel), "{path} was new"),
        }
    }

    // Nothing left to write.
    let (_, again) = ws.json(&args(&with(&["fix", "--write", "--report-format", "json"])));
    assert_eq!(
        again["files"],
        Value::Array(Vec::new()),
        "{input}: a second run writes nothing"
    );
    assert_eq!(again["written"], Value::Array(Vec::new()));

    let invalid_before = findings(&before)
        .iter()
        .any(|f| f["rule"] == "invalid-terraform" || f["rule"] == "invalid-cloudformation");
    tools.check(ws, written, invalid_before);
    Fixed { printed, report }
}

/// Every comment of the original is still in the fixed file.
fn comments_survive(original: &str, fixed: &str, path: &str) {
    for line in original.lines() {
        let comment = ["#", "//"]
            .iter()
            .filter_map(|m| {
                line.match_indices(m)
                    .find(|(i, _)| *i == 0 || line[..*i].ends_with([' ', '\t']))
                    .map(|(i, _)| &line[i..])
            })
            .next();
        if let Some(comment) = comment {
            assert!(
                fixed.contains(comment),
                "{path}: the comment `{comment}` is gone"
            );
        }
    }
}

/// The real tools written files are checked with.
struct Tools {
    terraform: bool,
    cfn_lint: PathBuf,
}

impl Tools {
    fn find() -> Self {
        let terraform = Command::new("terraform")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
            && Path::new(PLUGIN_DIR).is_dir();
        if !terraform {
            eprintln!(
                "note: terraform or its provider mirror {PLUGIN_DIR} is not on this machine: written Terraform is not validated"
            );
        }
        let venv = root().join(".venv/bin/cfn-lint");
        let cfn_lint = if venv.is_file() {
            venv
        } else if Command::new("cfn-lint")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            PathBuf::from("cfn-lint")
        } else {
            panic!("cfn-lint is not installed: run scripts/test, which installs it into .venv");
        };
        Self {
            terraform,
            cfn_lint,
        }
    }

    fn check(&self, ws: &Workspace, written: &[Value], invalid_before: bool) {
        let paths: Vec<&str> = written.iter().filter_map(|w| w["path"].as_str()).collect();
        let terraform: Vec<&str> = paths
            .iter()
            .copied()
            .filter(|p| p.ends_with(".tf"))
            .collect();
        if !terraform.is_empty() && self.terraform {
            self.terraform_checks(ws, &terraform, invalid_before);
        }
        for w in written {
            let path = w["path"].as_str().expect("path");
            if path.ends_with(".tf") {
                continue;
            }
            let after = self.lint(&ws.path().join(path));
            let before = match w["backup"].as_str() {
                Some(backup) => self.lint(&ws.path().join(backup)),
                None => BTreeMap::new(),
            };
            for (rule, count) in &after {
                assert!(
                    before.get(rule).is_some_and(|b| b >= count),
                    "{path}: cfn-lint reports {rule} {count} time(s) after the fix, {} before",
                    before.get(rule).copied().unwrap_or(0)
                );
            }
        }
    }

    fn terraform_checks(&self, ws: &Workspace, files: &[&str], invalid_before: bool) {
        let fmt = Command::new("terraform")
            .args(["fmt", "-check", "-diff", "-no-color"])
            .args(files)
            .current_dir(ws.path())
            .output()
            .expect("terraform fmt runs");
        assert!(
            fmt.status.success(),
            "terraform fmt -check: {}",
            String::from_utf8_lossy(&fmt.stdout)
        );
        if invalid_before {
            return;
        }
        // The root module: the directory of the first file that is not in a `modules/` tree.
        let dirs: BTreeSet<PathBuf> = files
            .iter()
            .map(|f| {
                let p = Path::new(f);
                let mut dir = p.parent().unwrap_or(Path::new(".")).to_path_buf();
                while dir.components().any(|c| c.as_os_str() == "modules") {
                    dir = dir.parent().unwrap_or(Path::new(".")).to_path_buf();
                }
                dir
            })
            .collect();
        for dir in dirs {
            let dir = ws.path().join(dir);
            let init = Command::new("terraform")
                .args([
                    "init",
                    "-backend=false",
                    "-input=false",
                    "-no-color",
                    &format!("-plugin-dir={PLUGIN_DIR}"),
                ])
                .current_dir(&dir)
                .output()
                .expect("terraform init runs");
            assert!(
                init.status.success(),
                "terraform init in {}: {}",
                dir.display(),
                String::from_utf8_lossy(&init.stderr)
            );
            let validate = Command::new("terraform")
                .args(["validate", "-no-color"])
                .current_dir(&dir)
                .output()
                .expect("terraform validate runs");
            assert!(
                validate.status.success(),
                "terraform validate in {}: {}{}",
                dir.display(),
                String::from_utf8_lossy(&validate.stdout),
                String::from_utf8_lossy(&validate.stderr)
            );
        }
    }

    /// cfn-lint's matches by rule id.
    fn lint(&self, template: &Path) -> BTreeMap<String, usize> {
        let out = Command::new(&self.cfn_lint)
            .args(["--format", "json"])
            .arg(template)
            .output()
            .expect("cfn-lint runs");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "cfn-lint JSON for {}: {e}: {}",
                template.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let mut counts = BTreeMap::new();
        for m in report.as_array().expect("matches") {
            let id = m["Rule"]["Id"].as_str().unwrap_or("?").to_owned();
            *counts.entry(id).or_insert(0) += 1;
        }
        counts
    }
}

/// A rule fixture case: the fixture network and the variables that break it.
#[derive(Debug, serde::Deserialize)]
struct Case {
    fixture: String,
    #[serde(default)]
    endpoints_only: bool,
    #[serde(default)]
    vars: BTreeMap<String, String>,
}

/// A variable value as `terraform.tfvars` writes it: booleans, numbers, lists and maps as they are,
/// anything else as a string.
fn tfvars_value(text: &str) -> String {
    let t = text.trim();
    if t == "true"
        || t == "false"
        || t.starts_with('[')
        || t.starts_with('{')
        || t.parse::<f64>().is_ok()
    {
        t.to_owned()
    } else {
        Value::String(text.to_owned()).to_string()
    }
}

fn rule_cases() -> Vec<(String, PathBuf)> {
    let rules = root().join("crates/privlink_analysis/tests/fixtures/rules");
    let mut cases = Vec::new();
    for rule in std::fs::read_dir(&rules).expect("rules") {
        let rule = rule.expect("entry").path();
        for case in std::fs::read_dir(&rule).expect("cases") {
            let case = case.expect("entry").path();
            if case.extension().is_some_and(|e| e == "toml") {
                let name = format!(
                    "{}__{}",
                    rule.file_name().expect("name").to_string_lossy(),
                    case.file_stem().expect("stem").to_string_lossy()
                );
                cases.push((name, case));
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn every_rule_case_is_fixed_and_nothing_new_appears() {
    let tools = Tools::find();
    for (name, path) in rule_cases() {
        let case: Case = toml::from_str(&std::fs::read_to_string(&path).expect("case"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ws = Workspace::new();
        ws.copy(
            &format!("crates/privlink_analysis/tests/fixtures/{}", case.fixture),
            "net",
        );
        if !case.vars.is_empty() {
            let tfvars: String = case
                .vars
                .iter()
                .map(|(k, v)| format!("{k} = {}\n", tfvars_value(v)))
                .collect();
            std::fs::write(ws.path().join("net/terraform.tfvars"), tfvars).expect("tfvars");
        }
        let flags: &[&str] = if case.endpoints_only {
            &["--endpoints-only"]
        } else {
            &[]
        };
        let fixed = fix_and_recheck(&ws, "net", flags, &tools);
        insta::with_settings!({ omit_expression => true, description => name.clone() }, {
            insta::assert_snapshot!(format!("rule_{name}"), fixed.printed);
        });
    }
}

#[test]
fn examples_and_template_fixtures_are_fixed_and_nothing_new_appears() {
    let tools = Tools::find();
    let cases: [(&str, &str, &str); 9] = [
        ("seed-000", "examples/dns-hostnames-off", "."),
        ("seed-002", "examples/cloudformation-private-dns-off", "."),
        (
            "module",
            "crates/privlink/tests/fixtures/fix/terraform-module",
            ".",
        ),
        (
            "yaml",
            "crates/privlink/tests/fixtures/fix/cloudformation-yaml",
            ".",
        ),
        (
            "json",
            "crates/privlink/tests/fixtures/fix/cloudformation-json",
            ".",
        ),
        (
            "equivalence",
            "crates/privlink_analysis/tests/fixtures/equivalence/cloudformation",
            ".",
        ),
        (
            "ingest-network",
            "crates/privlink_ingest/tests/fixtures/cloudformation",
            "network.yaml",
        ),
        (
            "nested",
            "crates/privlink_ingest/tests/fixtures/cloudformation/nested",
            ".",
        ),
        (
            "duplicates",
            "crates/privlink_ingest/tests/fixtures/cloudformation/duplicates",
            ".",
        ),
    ];
    for (name, from, input) in cases {
        let ws = Workspace::new();
        ws.copy(from, name);
        let input = if input == "." {
            name.to_owned()
        } else {
            format!("{name}/{input}")
        };
        let fixed = fix_and_recheck(&ws, &input, &["--region", "ap-northeast-1"], &tools);
        let statuses: Vec<&str> = findings(&fixed.report)
            .iter()
            .filter_map(|f| f["status"].as_str())
            .collect();
        assert!(
            statuses.contains(&"fixed"),
            "{name}: something is fixed: {statuses:?}"
        );
        insta::with_settings!({ omit_expression => true, description => from }, {
            insta::assert_snapshot!(format!("fixture_{name}"), fixed.printed);
        });
    }
}

/// Without `--region` the endpoint privlink adds to a template is named with `AWS::Region`, as the
/// template's own endpoints are, and the run after the fix has nothing left.
#[test]
fn an_endpoint_added_without_a_region_follows_aws_region() {
    let tools = Tools::find();
    let ws = Workspace::new();
    ws.copy(
        "crates/privlink_analysis/tests/fixtures/region/cloudformation-missing-logs",
        "no-region",
    );
    let fixed = fix_and_recheck(&ws, "no-region", &[], &tools);
    assert!(
        fixed.printed.contains("com.amazonaws.${AWS::Region}.logs"),
        "{}",
        fixed.printed
    );
    let patch = fixed.printed.split("--- a/").nth(1).expect("a patch");
    assert!(!patch.contains("com.amazonaws.REGION"), "{patch}");
    let statuses: Vec<&str> = findings(&fixed.report)
        .iter()
        .filter_map(|f| f["status"].as_str())
        .collect();
    assert!(statuses.contains(&"fixed"), "{}", fixed.printed);
}

#[test]
fn the_printed_patch_is_what_write_writes() {
    for (name, from) in [
        ("seed-000", "examples/dns-hostnames-off"),
        ("seed-002", "examples/cloudformation-private-dns-off"),
        (
            "module",
            "crates/privlink/tests/fixtures/fix/terraform-module",
        ),
        (
            "json",
            "crates/privlink/tests/fixtures/fix/cloudformation-json",
        ),
    ] {
        let printed = Workspace::new();
        printed.copy(from, name);
        let patch = printed.run(&["fix", "--output", "fix.patch", name]);
        assert_ne!(patch.status.code(), Some(2));
        let apply = Command::new("git")
            .args(["apply", "fix.patch"])
            .current_dir(printed.path())
            .output()
            .expect("git runs");
        assert!(
            apply.status.success(),
            "{name}: git apply: {}",
            String::from_utf8_lossy(&apply.stderr)
        );
        std::fs::remove_file(printed.path().join("fix.patch")).expect("remove patch");

        let written = Workspace::new();
        written.copy(from, name);
        written.run(&["fix", "--write", name]);
        let without_backups = |files: BTreeMap<String, String>| -> BTreeMap<String, String> {
            files
                .into_iter()
                .filter(|(p, _)| !p.contains(".privlink-backup"))
                .collect()
        };
        assert_eq!(
            without_backups(printed.files()),
            without_backups(written.files()),
            "{name}"
        );
    }
}

#[test]
fn backups_and_user_files_are_never_overwritten() {
    let ws = Workspace::new();
    ws.copy("crates/privlink/tests/fixtures/fix/terraform-module", "m");
    let mine = "# my own file, not privlink's\n";
    std::fs::write(ws.path().join("m/modules/net/privlink_fixes.tf"), mine).expect("write");
    let original = ws.read("m/modules/net/main.tf");

    let (status, report) = ws.json(&["fix", "--write", "--report-format", "json", "m"]);
    assert_eq!(status, 0, "{report}");
    assert_eq!(ws.read("m/modules/net/privlink_fixes.tf"), mine);
    assert!(
        ws.read("m/modules/net/privlink_fixes_2.tf")
            .contains("resource \"aws_vpc_endpoint\" \"logs\"")
    );
    assert_eq!(ws.read("m/modules/net/main.tf.privlink-backup"), original);

    // The user undoes the VPC change; the next fix backs up the current file under a new name.
    let fixed = ws.read("m/modules/net/main.tf");
    std::fs::write(ws.path().join("m/modules/net/main.tf"), &original).expect("undo");
    let (status, report) = ws.json(&["fix", "--write", "--report-format", "json", "m"]);
    assert_eq!(status, 0, "{report}");
    assert_eq!(
        ws.read("m/modules/net/main.tf.privlink-backup"),
        original,
        "the first backup is kept"
    );
    assert_eq!(ws.read("m/modules/net/main.tf.privlink-backup.2"), original);
    assert_eq!(ws.read("m/modules/net/main.tf"), fixed);
    assert!(
        !ws.path().join("m/modules/net/privlink_fixes_3.tf").exists(),
        "the logs endpoint is there already"
    );
}

#[test]
fn shared_and_registry_modules_are_left_to_the_user() {
    let ws = Workspace::new();
    ws.copy(
        "crates/privlink_ingest/tests/fixtures/terraform/modules",
        "m",
    );
    let before = ws.files();
    let (_, report) = ws.json(&["fix", "--write", "--report-format", "json", "m"]);
    assert_eq!(
        ws.files().len(),
        before.len(),
        "nothing is written: {report}"
    );
    let reasons: Vec<String> = findings(&report)
        .iter()
        .flat_map(|f| f["left"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("module.net, module.per_env[\"dev\"]")),
        "the shared module is named with its instances: {reasons:?}"
    );
}

#[test]
fn the_chosen_language_and_generated_templates_limit_what_is_written() {
    let ws = Workspace::new();
    ws.copy("examples/dns-hostnames-off", "tf");
    ws.copy("examples/cloudformation-private-dns-off", "cfn");
    ws.copy("testdata/cdk/cdk.out", "cdk.out");
    let before = ws.files();

    let (_, report) = ws.json(&[
        "fix",
        "--write",
        "--report-format",
        "json",
        "--format",
        "cloudformation",
        "tf",
    ]);
    assert_eq!(ws.files(), before, "{report}");
    assert!(
        report
            .to_string()
            .contains("run privlink fix --format terraform"),
        "{report}"
    );

    let (_, report) = ws.json(&[
        "fix",
        "--write",
        "--report-format",
        "json",
        "--format",
        "terraform",
        "cfn",
    ]);
    assert_eq!(ws.files(), before, "{report}");
    assert!(
        report
            .to_string()
            .contains("run privlink fix --format cloudformation"),
        "{report}"
    );

    let (_, report) = ws.json(&["fix", "--write", "--report-format", "json", "cdk.out"]);
    assert_eq!(ws.files(), before, "{report}");
    assert!(report.to_string().contains("cdk synth"), "{report}");
}

#[test]
fn nothing_is_written_when_an_input_cannot_be_read() {
    let ws = Workspace::new();
    ws.copy("examples/dns-hostnames-off", "tf");
    let before = ws.files();
    let out = ws.run(&["fix", "--write", "tf", "missing-dir"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        stderr.starts_with("error: "),
        "plain text when not a terminal: {stderr:?}"
    );
    assert_eq!(ws.files(), before);
}

#[test]
fn plans_are_fixed_in_their_configuration() {
    let ws = Workspace::new();
    ws.copy(
        "crates/privlink_ingest/tests/fixtures/plans/src/brownfield",
        "infra",
    );
    std::fs::copy(
        root().join("crates/privlink_ingest/tests/fixtures/plans/brownfield.plan.json"),
        ws.path().join("plan.json"),
    )
    .expect("copy plan");
    let before = ws.files();

    // The plan alone says what exists, not where it is written.
    let (status, report) = ws.json(&["fix", "--write", "--report-format", "json", "plan.json"]);
    assert_eq!(status, 1, "{report}");
    assert_eq!(ws.files(), before);
    assert!(
        report
            .to_string()
            .contains("give privlink the configuration directory too"),
        "{report}"
    );

    // With its configuration, the new endpoints go beside it.
    let (status, report) = ws.json(&[
        "fix",
        "--write",
        "--report-format",
        "json",
        "plan.json",
        "infra",
    ]);
    assert_eq!(status, 0, "{report}");
    let fixes = ws.read("infra/privlink_fixes.tf");
    assert!(
        fixes.contains("resource \"aws_vpc_endpoint\" \"logs\""),
        "{fixes}"
    );
    assert!(
        fixes.contains("subnet_ids          = [aws_subnet.app.id]"),
        "{fixes}"
    );
}
