//! The GitHub Action (`action.yml`): its shell steps run here as a runner runs them (`bash -eo
//! pipefail` on a script file, the step's `env` with its expressions evaluated, `GITHUB_OUTPUT`,
//! `GITHUB_PATH` and `GITHUB_STEP_SUMMARY` files), installing the wheel built from this checkout.
//! The text report is in the log, the SARIF the upload step is given validates against the SARIF
//! schema and meets GitHub's requirements, and the verdict fails exactly when privlink finds an
//! error. The `uses:` step (GitHub's upload-sarif) cannot run outside GitHub; its inputs are
//! checked instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::sarif_schema::{assert_github_accepts, assert_valid};
use crate::support::{output, root, succeed, text, venv_tool, wheel};

/// `action.yml` as JSON (read by PyYAML, which pre-commit brings into `.venv`).
fn action() -> Value {
    let out = succeed(
        Command::new(venv_tool("python"))
            .args([
                "-c",
                "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
            ])
            .arg(root().join("action.yml")),
    );
    serde_json::from_slice(&out.stdout).expect("action.yml as JSON")
}

/// One run of the action, as a runner would do it.
struct Run {
    inputs: BTreeMap<String, String>,
    /// `GITHUB_WORKSPACE`: the checked-out repository the steps run in (a copy of `examples/`).
    workspace: PathBuf,
    runner_temp: PathBuf,
    /// `steps.<id>.outputs`.
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// Directories added through `GITHUB_PATH`.
    path: Vec<String>,
    summary: PathBuf,
    /// Each shell step's name and what it printed.
    log: Vec<(String, Output)>,
    /// Each `uses:` step's action and its `with:` values, evaluated.
    uses: Vec<(String, BTreeMap<String, String>)>,
}

impl Run {
    /// A run with `inputs` (the defaults of action.yml for the others) in directories under `temp`.
    fn new(overrides: &[(&str, &str)], temp: &Path) -> Run {
        let workspace = temp.join("workspace");
        copy_dir(&root().join("examples"), &workspace.join("examples"));
        let runner_temp = temp.join("runner");
        std::fs::create_dir_all(&runner_temp).unwrap();
        let action = action();
        let mut inputs: BTreeMap<String, String> = action["inputs"]
            .as_object()
            .expect("inputs")
            .iter()
            .map(|(name, input)| {
                let default = input["default"].as_str().unwrap_or_default();
                (name.clone(), default.to_owned())
            })
            .collect();
        for (name, value) in overrides {
            assert!(inputs.contains_key(*name), "action.yml has no input {name}");
            inputs.insert((*name).to_owned(), (*value).to_owned());
        }
        Run {
            inputs,
            workspace,
            summary: runner_temp.join("step-summary.md"),
            runner_temp,
            outputs: BTreeMap::new(),
            path: Vec::new(),
            log: Vec::new(),
            uses: Vec::new(),
        }
    }

    /// The value of one `${{ ... }}` expression: the contexts the action uses, nothing else.
    fn evaluate(&self, expression: &str) -> String {
        let expression = expression.trim();
        if let Some(name) = expression.strip_prefix("inputs.") {
            return self
                .inputs
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("action.yml reads the undeclared input `{name}`"));
        }
        if let Some(rest) = expression.strip_prefix("steps.") {
            let (step, output) = rest
                .split_once(".outputs.")
                .unwrap_or_else(|| panic!("unsupported expression `{expression}`"));
            return self
                .outputs
                .get(step)
                .and_then(|outputs| outputs.get(output))
                .cloned()
                .unwrap_or_default();
        }
        match expression {
            "github.action_path" => root().display().to_string(),
            "runner.temp" => self.runner_temp.display().to_string(),
            _ => panic!(
                "the test does not evaluate `{expression}`: teach it, or simplify action.yml"
            ),
        }
    }

    /// `text` with every `${{ ... }}` replaced by its value.
    fn substitute(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("a closed expression") + start;
            out.push_str(&self.evaluate(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Runs the action's steps in order; returns the exit status of the last shell step run.
    fn run(&mut self) -> Option<i32> {
        let action = action();
        assert_eq!(action["runs"]["using"], "composite");
        let mut status = None;
        for step in action["runs"]["steps"].as_array().expect("steps") {
            let name = step["name"]
                .as_str()
                .expect("every step has a name")
                .to_owned();
            if let Some(uses) = step["uses"].as_str() {
                let with = step["with"]
                    .as_object()
                    .map(|with| {
                        with.iter()
                            .map(|(k, v)| (k.clone(), self.substitute(v.as_str().unwrap())))
                            .collect()
                    })
                    .unwrap_or_default();
                self.uses.push((uses.to_owned(), with));
                continue;
            }
            assert_eq!(step["shell"], "bash", "{name}: every shell step uses bash");
            let out = self.shell_step(step, &name);
            status = out.status.code();
            let failed = !out.status.success();
            self.log.push((name, out));
            if failed {
                break;
            }
        }
        status
    }

    fn shell_step(&mut self, step: &Value, name: &str) -> Output {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("step.sh");
        std::fs::write(&script, self.substitute(step["run"].as_str().expect("run"))).unwrap();
        let github_output = dir.path().join("output");
        let github_path = dir.path().join("path");
        std::fs::write(&github_output, "").unwrap();
        std::fs::write(&github_path, "").unwrap();
        let mut path = self.path.clone();
        path.push(std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(&self.workspace)
            .env("PATH", path.join(":"))
            .env("RUNNER_TEMP", &self.runner_temp)
            .env("GITHUB_OUTPUT", &github_output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_ACTIONS", "true")
            // The runner's environment, not the test's: no colour settings leak in.
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(
                    key,
                    self.substitute(value.as_str().expect("env values are text")),
                );
            }
        }
        let out = output(&mut command);
        let outputs = std::fs::read_to_string(&github_output).unwrap();
        if let Some(id) = step["id"].as_str() {
            let entry = self.outputs.entry(id.to_owned()).or_default();
            for line in outputs.lines() {
                let (key, value) = line
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{name}: GITHUB_OUTPUT line `{line}`"));
                entry.insert(key.to_owned(), value.to_owned());
            }
        }
        let added = std::fs::read_to_string(&github_path).unwrap();
        // Each line is prepended: the last one added comes first.
        for dir in added.lines() {
            self.path.insert(0, dir.to_owned());
        }
        out
    }

    fn step_log(&self, name: &str) -> String {
        let (_, out) = self
            .log
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("step `{name}` ran: {:?}", self.names()));
        text(out)
    }

    fn names(&self) -> Vec<&str> {
        self.log.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// Copies the directory tree `from` to `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_action_reports_a_broken_network_in_the_log_in_sarif_and_in_the_summary_and_fails() {
    let temp = tempfile::tempdir().unwrap();
    let sarif = temp.path().join("results.sarif");
    let wheel = wheel().display().to_string();
    let sarif_text = sarif.display().to_string();
    let mut run = Run::new(
        &[
            ("package", &wheel),
            (
                "paths",
                "examples/dns-hostnames-off\nexamples/cloudformation-private-dns-off",
            ),
            ("sarif-file", &sarif_text),
        ],
        temp.path(),
    );
    let status = run.run();
    assert_eq!(
        run.names(),
        ["Install privlink", "Check", "Verdict"],
        "every shell step ran"
    );
    assert_eq!(status, Some(1), "{}", run.step_log("Verdict"));
    assert!(run.step_log("Verdict").contains("::error title=privlink::"));
    assert!(
        run.step_log("Install privlink")
            .contains("(features: aws; price table of"),
        "{}",
        run.step_log("Install privlink")
    );

    // The text report, in the job log.
    let check = run.step_log("Check");
    assert!(check.contains("vpc-dns-disabled"), "{check}");
    assert!(
        check.contains("examples/dns-hostnames-off/main.tf"),
        "{check}"
    );
    assert!(
        check.contains("examples/cloudformation-private-dns-off/endpoints.yaml"),
        "{check}"
    );
    assert_eq!(run.outputs["check"]["exit-code"], "1");

    // The SARIF handed to GitHub's upload-sarif is valid and holds the same findings.
    assert_eq!(run.outputs["check"]["sarif-written"], "true");
    let (uses, with) = &run.uses[0];
    assert!(
        uses.starts_with("github/codeql-action/upload-sarif@"),
        "{uses}"
    );
    assert_eq!(with["sarif_file"], sarif_text);
    let log: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_valid(&log);
    assert_github_accepts(&log);
    let rules: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"vpc-dns-disabled"), "{rules:?}");
    assert!(rules.contains(&"invalid-cloudformation"), "{rules:?}");

    // The Markdown report, in the job summary.
    let summary = std::fs::read_to_string(&run.summary).unwrap();
    assert!(summary.contains("vpc-dns-disabled"), "{summary}");
}

#[test]
fn the_action_passes_on_a_working_network_and_honours_its_inputs() {
    let temp = tempfile::tempdir().unwrap();
    let wheel = wheel().display().to_string();
    let mut run = Run::new(
        &[
            ("package", &wheel),
            ("paths", "examples/dedicated-endpoint-subnets"),
            ("args", "--endpoints-only --region ap-northeast-1"),
            ("fail-on", "warning"),
            ("summary", "false"),
        ],
        temp.path(),
    );
    assert_eq!(run.run(), Some(0), "{}", run.step_log("Check"));
    assert_eq!(run.outputs["check"]["exit-code"], "0");
    assert!(
        run.step_log("Verdict")
            .contains("nothing at or above warning")
    );
    assert!(
        !run.summary.exists(),
        "summary: false writes no job summary"
    );
    // The default SARIF file, relative to the workspace, as upload-sarif reads it.
    assert_eq!(run.uses[0].1["sarif_file"], "privlink.sarif");
    let sarif = run.workspace.join("privlink.sarif");
    let log: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_valid(&log);
    assert!(log["runs"][0]["results"].as_array().unwrap().is_empty());
}
