//! Variables: defaults, types, tfvars precedence, --var and --var-file.

use privlink_ingest::terraform::config::{ConfigOptions, evaluate_directory};
use privlink_ingest::terraform::value::Value;
use privlink_model::DiagnosticKind;

use super::support::*;

const DECLS: &str = r#"
variable "a" {
  default = "default"
}
variable "b" {
  default = "default"
}
variable "c" {
  default = "default"
}
variable "d" {
  default = "default"
}
variable "e" {
  default = "default"
}
variable "f" {
  default = "default"
}
variable "g" {
  default = "default"
}
variable "cidrs" {
  type    = list(string)
  default = []
}
variable "count_n" {
  type = number
}
variable "settings" {
  type = object({
    name    = string
    port    = optional(number, 443)
    enabled = optional(bool)
  })
  default = { name = "x" }
}
resource "x_probe" "p" {
  a        = var.a
  b        = var.b
  c        = var.c
  d        = var.d
  e        = var.e
  f        = var.f
  g        = var.g
  cidrs    = var.cidrs
  count_n  = var.count_n
  settings = var.settings
}
"#;

#[test]
fn precedence_matches_terraform() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("main.tf", DECLS),
            (
                "terraform.tfvars",
                "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\n",
            ),
            (
                "terraform.tfvars.json",
                r#"{"b": "tfvars.json", "c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json"}"#,
            ),
            (
                "a.auto.tfvars",
                "c = \"a.auto\"\nd = \"a.auto\"\ne = \"a.auto\"\n",
            ),
            (
                "b.auto.tfvars.json",
                r#"{"d": "b.auto.json", "e": "b.auto.json", "count_n": "3"}"#,
            ),
            ("extra.tfvars", "e = \"var-file\"\nf = \"var-file\"\n"),
        ],
    );
    let options = ConfigOptions {
        vars: vec![
            ("f".into(), "cli".into()),
            ("cidrs".into(), r#"["10.0.0.0/8", "10.1.0.0/16"]"#.into()),
        ],
        var_files: vec![dir.path().join("extra.tfvars")],
        region: None,
    };
    let config = evaluate_directory(dir.path(), "cfg", &options);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let get = |p: &str| attr(&config, "x_probe.p", p).clone();
    assert_eq!(get("a"), s("tfvars"));
    assert_eq!(get("b"), s("tfvars.json"));
    assert_eq!(get("c"), s("a.auto"));
    assert_eq!(get("d"), s("b.auto.json"));
    assert_eq!(get("e"), s("var-file"));
    assert_eq!(get("f"), s("cli"));
    assert_eq!(get("g"), s("default"));
    assert_eq!(
        get("cidrs"),
        Value::List(vec![s("10.0.0.0/8"), s("10.1.0.0/16")])
    );
    assert_eq!(
        get("count_n"),
        Value::Number(3.0),
        "converted to the declared type"
    );
    assert_eq!(
        get("settings").to_string(),
        r#"{enabled = null, name = "x", port = 443}"#
    );
}

#[test]
fn string_typed_cli_values_are_literal() {
    let options = ConfigOptions {
        vars: vec![("name".into(), "[not hcl".into())],
        ..ConfigOptions::default()
    };
    let config = eval_files_with(
        &[(
            "main.tf",
            "variable \"name\" {\n  type = string\n}\nresource \"x_probe\" \"p\" {\n  n = var.name\n}\n",
        )],
        &options,
    );
    assert_eq!(attr(&config, "x_probe.p", "n"), &s("[not hcl"));
}

#[test]
fn a_variable_without_value_is_unknown_with_one_diagnostic() {
    let config = eval_files(&[(
        "main.tf",
        "variable \"vpc_cidr\" {}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = var.vpc_cidr\n}\nresource \"aws_subnet\" \"s\" {\n  cidr_block = cidrsubnet(var.vpc_cidr, 8, 1)\n}\n",
    )]);
    let cidr = attr(&config, "aws_vpc.v", "cidr_block")
        .as_unknown()
        .unwrap();
    assert_eq!(
        cidr.reason,
        "var.vpc_cidr has no value; set it with --var vpc_cidr=... or a .tfvars file"
    );
    assert!(cidr.reference.is_none());
    let unresolved: Vec<_> = config
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::UnresolvedInput)
        .collect();
    assert_eq!(unresolved.len(), 1);
    assert_eq!(
        unresolved[0].location.as_ref().unwrap().to_string(),
        "cfg/main.tf:1:1"
    );
    let derived = attr(&config, "aws_subnet.s", "cidr_block")
        .as_unknown()
        .unwrap();
    assert!(derived.reason.contains("var.vpc_cidr has no value"));
}

#[test]
fn wrong_typed_values_are_reported() {
    let options = ConfigOptions {
        vars: vec![("n".into(), "many".into())],
        ..ConfigOptions::default()
    };
    let config = eval_files_with(
        &[(
            "main.tf",
            "variable \"n\" {\n  type = number\n}\nresource \"x_probe\" \"p\" {\n  n = var.n\n}\n",
        )],
        &options,
    );
    let invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    assert!(
        invalid[0].starts_with("Invalid value for input variable"),
        "{invalid:?}"
    );
}

#[test]
fn missing_var_file_is_an_input_error() {
    let options = ConfigOptions {
        var_files: vec!["/nonexistent/prod.tfvars".into()],
        ..ConfigOptions::default()
    };
    let config = eval_files_with(
        &[("main.tf", "variable \"a\" {\n  default = 1\n}\n")],
        &options,
    );
    assert_eq!(config.errors.len(), 1);
    assert_eq!(config.errors[0].path, "/nonexistent/prod.tfvars");
    assert!(
        config.errors[0]
            .message
            .starts_with("cannot read the variables file")
    );
}
