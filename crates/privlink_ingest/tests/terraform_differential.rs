//! Differential test: a table of Terraform expressions evaluated by privlink and by `terraform
//! console`, the two answers compared.
//!
//! Each row is evaluated as `jsonencode(EXPR)` in a small configuration (`PREAMBLE`) holding known
//! variables, `null`s, and unknowns: `terraform_data.u`'s `id` and `output` are known only after
//! apply, in `terraform console` as in privlink. Terraform's answer is one of: a JSON text (the
//! value is wholly known), `(known after apply)` (something in it is unknown), or an error. privlink
//! must give the same: the same JSON, an unknown, or an `invalid-terraform` diagnostic.
//!
//! Also checked: every function privlink evaluates has a row; every function `terraform metadata
//! functions` lists is either evaluated or reported as an unresolved input naming it.
//!
//! Needs `terraform` on PATH (or `TERRAFORM`); without it the test says so and passes, except when
//! the `CI` environment variable is set. Run alone with
//! `cargo test -p privlink_ingest --test terraform_differential -- --nocapture`.

use std::path::Path;
use std::process::{Command, Stdio};

use privlink_ingest::terraform::config::{
    ConfigOptions, evaluate_directory, evaluated_functions, not_evaluated_functions,
};
use privlink_ingest::terraform::value::Value;
use privlink_model::DiagnosticKind;

/// The configuration every row is evaluated in.
const PREAMBLE: &str = r#"
variable "obj" {
  default = { a = "x", b = null, n = 1, tags = { Name = "n" } }
}
variable "nothing" {
  default = null
}
variable "names" {
  default = ["b", "a", "b", ""]
}
variable "endpoints" {
  default = {
    s3  = { service = "s3", type = "Gateway", policy = null }
    ecr = { service = "ecr.api", type = "Interface", policy = "{}" }
  }
}
resource "terraform_data" "u" {
  input = "x"
}
locals {
  u     = terraform_data.u.id
  uobj  = { id = terraform_data.u.id, name = "n" }
  ulist = [terraform_data.u.id, "b"]
}
"#;

/// Files next to the configuration, for `file()` and `templatefile()`.
const FILES: &[(&str, &str)] = &[
    ("hello.txt", "hi there\n"),
    (
        "tpl.tftpl",
        "Hello ${name}!%{ for x in xs }-${x}%{ endfor }",
    ),
];

/// The expressions. Each is evaluated alone, as `jsonencode(EXPR)`.
const ROWS: &[&str] = &[
    // null and unknown through operators and comparisons
    "var.obj != null",
    "var.obj == null",
    "var.nothing == null",
    "null == null",
    "local.uobj != null",
    "local.ulist != null",
    "local.u != null",
    "local.u == \"x\"",
    "[1, 2] == [1, 2]",
    "[1, 2] == [1, 2, 3]",
    "{ a = 1 } == { a = 1 }",
    "{ a = 1 } == { b = 1 }",
    "1 == \"1\"",
    "[local.u] == [1, 2]",
    "true && local.u == \"x\"",
    "false && local.u == \"x\"",
    "true || local.u == \"x\"",
    "1 + 2 * 3 - 4 / 8",
    "7 % 3",
    "-7 % 3",
    "\"5\" + 1",
    "!false",
    "1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4",
    // conditionals and their result types
    "true ? 1 : \"a\"",
    "false ? [\"a\"] : []",
    "var.obj != null ? var.obj.a : \"none\"",
    "var.nothing != null ? var.nothing.a : \"none\"",
    "local.u != null ? 1 : 2",
    "var.endpoints != null ? keys(var.endpoints) : []",
    // for expressions, with and without if, grouping
    "[for k, v in var.endpoints : k if v.policy != null]",
    "{ for k, v in var.endpoints : k => v.service if v.type == \"Interface\" }",
    "{ for k, v in var.obj : k => v if v != null }",
    "[for n in var.names : upper(n) if n != \"\"]",
    "{ for n in var.names : n => n... }",
    "[for i, n in var.names : i]",
    "[for x in local.ulist : x]",
    "[for x in local.ulist : x if x != null]",
    "{ for k, v in local.uobj : k => v }",
    // splats
    "[{ a = 1 }, { a = 2 }][*].a",
    "var.nothing[*]",
    "{ a = 1 }[*]",
    "[{ a = [1, 2] }].*.a",
    // templates
    "\"a-${var.obj.a}-${var.obj.n}\"",
    "\"%{if var.obj.n == 1}one%{else}other%{endif}\"",
    "\"%{for n in var.names}${n}.%{endfor}\"",
    "\"${local.u}-x\"",
    "<<EOT\nline ${var.obj.a}\nEOT\n",
    "<<-EOT\n    indented\n      more\n    EOT\n",
    // try and can
    "try(var.obj.missing, \"fallback\")",
    "try(var.nothing.a, \"fallback\")",
    "try(var.obj.a, \"fallback\")",
    "try(local.uobj.id, \"fallback\")",
    "can(var.obj.missing)",
    "can(var.obj.a)",
    "can(regex(\"^a\", \"abc\"))",
    "can(regex(\"^z\", \"abc\"))",
    // collections with null, unknown and reference arguments
    "length(local.ulist)",
    "length(var.names)",
    "length(\"héllo\")",
    "length(var.obj)",
    "concat(local.ulist, [\"c\"])",
    "concat([], [1], [\"a\"])",
    "flatten([[1, [2]], [], [[3]]])",
    "distinct(var.names)",
    "distinct(local.ulist)",
    "distinct([1, \"1\", 2])",
    "compact(var.names)",
    "compact([\"a\", null, \"\"])",
    "compact(local.ulist)",
    "sort(var.names)",
    "sort([10, 9, 1])",
    "sort(local.ulist)",
    "reverse(var.names)",
    "reverse(local.ulist)",
    "slice(var.names, 1, 3)",
    "slice(local.ulist, 0, 1)",
    "element(var.names, 5)",
    "element(local.ulist, 1)",
    "index(var.names, \"a\")",
    "contains(var.names, \"a\")",
    "contains(local.ulist, \"b\")",
    "contains(local.ulist, \"z\")",
    "coalesce(null, \"\", \"a\")",
    "coalesce(null, 1, \"a\")",
    "coalesce(local.u, \"a\")",
    "coalesce(\"a\", local.u)",
    "coalescelist([], [1, 2])",
    "coalescelist([], local.ulist)",
    "merge(var.obj, { a = \"y\" }, null)",
    "merge({ a = 1 }, local.uobj)",
    "lookup(var.obj, \"a\", \"d\")",
    "lookup(var.obj, \"zz\", \"d\")",
    "lookup(local.uobj, \"name\", \"d\")",
    "keys(var.endpoints)",
    "keys(local.uobj)",
    "values({ b = 2, a = 1 })",
    "values(local.uobj)",
    "zipmap([\"a\", \"b\"], [1, 2])",
    "toset(var.names)",
    "toset([\"a\", 1])",
    "toset(local.ulist)",
    "tolist(toset([\"b\", \"a\"]))",
    "tolist(local.ulist)",
    "tomap({ a = 1, b = \"x\" })",
    "setunion([\"a\"], [\"b\", \"a\"])",
    "setunion([\"a\"], local.ulist)",
    "setintersection([\"a\", \"b\"], [\"b\"])",
    "setsubtract([\"a\", \"b\"], [\"b\"])",
    "setproduct([\"a\", \"b\"], [1, 2])",
    "one([])",
    "one([\"x\"])",
    "one(local.ulist)",
    "one([local.u])",
    "range(3)",
    "range(1, 10, 3)",
    "range(5, 1)",
    "chunklist([1, 2, 3, 4, 5], 2)",
    "transpose({ a = [\"1\", \"2\"], b = [\"2\"] })",
    "alltrue([true, \"true\"])",
    "anytrue([])",
    "matchkeys([\"a\", \"b\", \"c\"], [1, 2, 3], [2, 3])",
    "nonsensitive(sensitive(1) + 1)",
    "nonsensitive(sensitive(\"x\"))",
    // strings
    "format(\"%s-%03d-%.2f-%v-%q-%%\", \"a\", 7, 1.5, true, \"q\")",
    "format(\"%s\", local.u)",
    "formatlist(\"%s=%s\", [\"a\", \"b\"], \"v\")",
    "join(\",\", var.names)",
    "join(\",\", local.ulist)",
    "split(\",\", \"a,,b\")",
    "lower(\"ÀB\")",
    "upper(\"ab\")",
    "title(\"hello world\")",
    "trimspace(\"  a b \\n\")",
    "trim(\"?!a?!\", \"!?\")",
    "trimprefix(\"helloworld\", \"hello\")",
    "trimsuffix(\"helloworld\", \"world\")",
    "substr(\"hello\", 1, 3)",
    "substr(\"hello\", -3, -1)",
    "startswith(\"hello\", \"he\")",
    "endswith(\"hello\", \"lo\")",
    "strcontains(\"hello\", \"ll\")",
    "replace(\"a-b-c\", \"-\", \"+\")",
    "replace(\"a1b22\", \"/[0-9]+/\", \"#\")",
    "regex(\"([a-z]+)-([0-9]+)\", \"abc-123\")",
    "regex(\"(?P<name>[a-z]+)\", \"abc\")",
    "regexall(\"[0-9]\", \"a1b2\")",
    "tostring(1)",
    "tostring(true)",
    "tonumber(\"1.5\")",
    "tobool(\"true\")",
    "chomp(\"a\\n\\n\")",
    "indent(2, \"a\\nb\")",
    "strrev(\"abc\")",
    // numbers
    "min(3, 1, 2)",
    "max(3, 1, 2)",
    "abs(-2.5)",
    "ceil(1.2)",
    "floor(-1.2)",
    "sum([1, 2, 3.5])",
    // networks
    "cidrsubnet(\"10.0.0.0/16\", 8, 2)",
    "cidrsubnets(\"10.0.0.0/16\", 4, 4, 8)",
    "cidrhost(\"10.0.0.0/24\", 5)",
    "cidrhost(\"10.0.0.0/24\", -1)",
    "cidrnetmask(\"10.0.0.0/20\")",
    "cidrsubnet(local.u, 8, 1)",
    // encodings
    "jsondecode(\"{\\\"a\\\": [1, true, null]}\")",
    "jsonencode({ b = [1, \"x\"], a = null })",
    "jsonencode(local.uobj)",
    "base64encode(\"hello\")",
    "base64decode(\"aGVsbG8=\")",
    // files
    "file(\"${path.module}/hello.txt\")",
    "fileexists(\"hello.txt\")",
    "fileexists(\"nope.txt\")",
    "templatefile(\"tpl.tftpl\", { name = \"n\", xs = [1, 2] })",
    "basename(\"a/b/c.txt\")",
    "dirname(\"a/b/c.txt\")",
    "abspath(\"hello.txt\") == \"${path.cwd}/hello.txt\"",
    // errors Terraform reports
    "var.obj.missing",
    "var.nothing.a",
    "element([], 0)",
    "slice([1], 0, 5)",
    "one([1, 2])",
    "coalesce(null, \"\")",
    "tonumber(\"x\")",
    "lookup(var.obj, \"zz\")",
    "regex(\"^z\", \"abc\")",
    "nosuchfunction(1)",
    "[1][3]",
    "for_each_is_not_a_thing.x",
    "true ? 1 : false",
];

/// One side's answer.
#[derive(Debug, PartialEq)]
enum Answer {
    /// Wholly known: its JSON encoding.
    Known(serde_json::Value),
    /// Something in it is unknown.
    Unknown,
    /// The configuration is invalid.
    Error(String),
    /// Console output this test cannot read (never agrees).
    Unreadable(String),
}

/// Where terraform is, or why the test cannot run.
fn terraform() -> Result<String, String> {
    let bin = std::env::var("TERRAFORM").unwrap_or_else(|_| "terraform".to_owned());
    match Command::new(&bin).arg("version").output() {
        Ok(out) if out.status.success() => Ok(bin),
        Ok(out) => Err(format!(
            "`{bin} version` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
        Err(e) => Err(format!("`{bin}` cannot be run: {e}")),
    }
}

/// Skips (or, in CI, fails) when terraform is missing.
fn require_terraform() -> Option<String> {
    match terraform() {
        Ok(bin) => Some(bin),
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("the differential test needs terraform in CI: {why}")
        }
        Err(why) => {
            eprintln!("skipping the differential test against terraform: {why}");
            None
        }
    }
}

fn write_config(dir: &Path) {
    std::fs::write(dir.join("main.tf"), PREAMBLE).unwrap();
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// Writes the row as `local.row` (console reads one line; heredocs need several).
fn write_row(dir: &Path, expr: &str) {
    std::fs::write(
        dir.join("row.tf"),
        format!("locals {{\n  row = {expr}\n}}\n"),
    )
    .unwrap();
}

/// `terraform console`'s answer for `jsonencode(EXPR)`.
fn terraform_answer(bin: &str, dir: &Path, expr: &str) -> Answer {
    write_row(dir, expr);
    let input = "jsonencode(local.row)\n";
    let mut child = Command::new(bin)
        .arg("console")
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform console starts");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if !out.status.success() || stderr.contains("Error") {
        return Answer::Error(format!("{stdout}\n{stderr}"));
    }
    if stdout == "(known after apply)" {
        return Answer::Unknown;
    }
    // A quoted HCL string: JSON escapes, plus `$${` and `%%{` for literal `${` and `%{`.
    serde_json::from_str::<String>(&stdout.replace("$${", "${").replace("%%{", "%{"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .map_or(Answer::Unreadable(stdout), Answer::Known)
}

/// privlink's answer for `jsonencode(EXPR)`.
fn privlink_answer(dir: &Path, expr: &str) -> Answer {
    let probe = dir.join("probe.tf");
    std::fs::write(
        &probe,
        "resource \"x_probe\" \"p\" {\n  v = jsonencode(local.row)\n}\n",
    )
    .unwrap();
    write_row(dir, expr);
    let config = evaluate_directory(dir, "cfg", &ConfigOptions::default());
    std::fs::remove_file(&probe).unwrap();
    let invalid: Vec<String> = config
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::InvalidTerraform)
        .map(|d| d.message.clone())
        .chain(config.errors.iter().map(ToString::to_string))
        .collect();
    if !invalid.is_empty() {
        return Answer::Error(invalid.join("; "));
    }
    let value = config
        .resources
        .iter()
        .find(|r| r.address == "x_probe.p")
        .and_then(|r| r.get("v"))
        .cloned();
    match value {
        Some(Value::String(json)) => Answer::Known(serde_json::from_str(&json).unwrap()),
        Some(Value::Unknown(_)) => Answer::Unknown,
        other => Answer::Error(format!("no string from jsonencode: {other:?}")),
    }
}

/// Numbers compare by value (`1` and `1.0` are the same number).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn agree(terraform: &Answer, privlink: &Answer) -> bool {
    match (terraform, privlink) {
        (Answer::Known(a), Answer::Known(b)) => same(a, b),
        (Answer::Unknown, Answer::Unknown) | (Answer::Error(_), Answer::Error(_)) => true,
        _ => false,
    }
}

#[test]
fn privlink_evaluates_expressions_as_terraform_console_does() {
    let Some(bin) = require_terraform() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    write_config(&dir);
    let mut differences = Vec::new();
    for expr in ROWS {
        let theirs = terraform_answer(&bin, &dir, expr);
        let ours = privlink_answer(&dir, expr);
        if !agree(&theirs, &ours) {
            differences.push(format!(
                "{expr}\n    terraform: {theirs:?}\n    privlink:  {ours:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} expressions differ:\n{}",
        differences.len(),
        ROWS.len(),
        differences.join("\n")
    );
}

#[test]
fn every_evaluated_function_has_a_row() {
    let missing: Vec<&str> = evaluated_functions()
        .iter()
        .copied()
        .filter(|name| !ROWS.iter().any(|row| row.contains(&format!("{name}("))))
        .collect();
    assert!(
        missing.is_empty(),
        "functions without a differential row: {missing:?}"
    );
}

#[test]
fn every_terraform_function_is_evaluated_or_reported_by_name() {
    // Each function privlink does not evaluate: an unknown value and an unresolved input naming it.
    for name in not_evaluated_functions()
        .iter()
        .chain(&["provider::aws::arn_parse"])
    {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path());
        std::fs::write(
            dir.path().join("probe.tf"),
            format!("resource \"x_probe\" \"p\" {{\n  v = {name}(\"a\")\n}}\n"),
        )
        .unwrap();
        let config = evaluate_directory(dir.path(), "cfg", &ConfigOptions::default());
        let value = config
            .resources
            .iter()
            .find(|r| r.address == "x_probe.p")
            .and_then(|r| r.get("v"));
        assert!(
            matches!(value, Some(Value::Unknown(_))),
            "{name}: {value:?}"
        );
        assert!(
            config
                .diagnostics
                .iter()
                .any(|d| d.kind == DiagnosticKind::UnresolvedInput
                    && d.message.contains(&format!("{name}()"))),
            "{name}: {:?}",
            config.diagnostics
        );
    }
    // Terraform's own list: nothing privlink would call an unknown function.
    let Some(bin) = require_terraform() else {
        return;
    };
    let out = Command::new(bin)
        .args(["metadata", "functions", "-json"])
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&String> = metadata["function_signatures"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|name| {
            let name = name.strip_prefix("core::").unwrap_or(name);
            !evaluated_functions().contains(&name) && !not_evaluated_functions().contains(&name)
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "Terraform functions privlink does not know: {unknown:?}"
    );
}

#[test]
fn the_readme_lists_the_functions_privlink_does_not_evaluate() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let missing: Vec<&&str> = not_evaluated_functions()
        .iter()
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "README does not list: {missing:?}");
}
