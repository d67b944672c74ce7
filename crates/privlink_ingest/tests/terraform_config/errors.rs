//! Bad input: it is reported with a position and never hides the rest of the configuration.

use privlink_ingest::terraform::config::{ConfigOptions, evaluate_directory};
use privlink_model::DiagnosticKind;

use super::support::*;

#[test]
fn unparsable_files_are_input_errors_and_other_files_still_load() {
    let config = eval_files(&[
        (
            "bad.tf",
            "resource \"aws_vpc\" \"a\" {\n  cidr_block = = \"10.0.0.0/16\"\n}\n",
        ),
        (
            "bad.tf.json",
            "{\"resource\": {\"aws_vpc\": {\"b\": {\"cidr_block\": 10.0.0}}}}",
        ),
        (
            "good.tf",
            "resource \"aws_vpc\" \"c\" {\n  cidr_block = \"10.2.0.0/16\"\n}\n",
        ),
    ]);
    assert_eq!(config.resources.len(), 1);
    assert_eq!(config.resources[0].address, "aws_vpc.c");
    assert_eq!(config.errors.len(), 2, "{:?}", config.errors);
    let hcl = config
        .errors
        .iter()
        .find(|e| e.path == "cfg/bad.tf")
        .unwrap();
    assert_eq!(hcl.position, Some((2, 16)));
    assert!(hcl.message.starts_with("invalid HCL: "), "{}", hcl.message);
    assert!(hcl.help.is_some());
    let json = config
        .errors
        .iter()
        .find(|e| e.path == "cfg/bad.tf.json")
        .unwrap();
    assert_eq!(json.position, Some((1, 47)));
    assert_eq!(json.message, "invalid JSON: invalid number");
}

#[test]
fn unknown_functions_are_input_errors_at_the_call() {
    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_vpc\" \"a\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags       = { Name = nosuchfn(\"x\") }\n}\n",
    )]);
    assert_eq!(config.errors.len(), 1);
    let e = &config.errors[0];
    assert_eq!(
        (e.path.as_str(), e.position),
        ("cfg/main.tf", Some((3, 25)))
    );
    assert_eq!(
        e.message,
        "Call to unknown function: There is no function named \"nosuchfn\"."
    );
    assert_eq!(attr(&config, "aws_vpc.a", "cidr_block"), &s("10.0.0.0/16"));
    assert!(
        attr(&config, "aws_vpc.a", "tags.Name")
            .as_unknown()
            .is_some()
    );
}

#[test]
fn missing_files_are_input_errors_unless_try_handles_them() {
    let config = eval_files(&[(
        "main.tf",
        "locals {\n  a = file(\"${path.module}/missing.json\")\n  b = try(file(\"missing.json\"), \"{}\")\n  c = fileexists(\"missing.json\")\n}\nresource \"x_probe\" \"p\" {\n  a = local.a\n  b = local.b\n  c = local.c\n}\n",
    )]);
    assert_eq!(config.errors.len(), 1, "{:?}", config.errors);
    assert_eq!(config.errors[0].position, Some((2, 7)));
    assert!(
        config.errors[0]
            .message
            .contains("no file exists at \"./missing.json\""),
        "{}",
        config.errors[0].message
    );
    assert_eq!(attr(&config, "x_probe.p", "b"), &s("{}"));
    assert_eq!(
        attr(&config, "x_probe.p", "c"),
        &privlink_ingest::terraform::value::Value::Bool(false)
    );
}

#[test]
fn function_failures_are_invalid_terraform_at_the_call() {
    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_subnet\" \"a\" {\n  cidr_block = cidrsubnet(\"10.0.0.0/30\", 3, 0)\n}\n",
    )]);
    let d = &config.diagnostics[0];
    assert_eq!(d.kind, DiagnosticKind::InvalidTerraform);
    assert_eq!(
        d.message,
        "Error in function call: Call to function \"cidrsubnet\" failed: insufficient address space to extend prefix of 30 by 3."
    );
    assert_eq!(d.location.as_ref().unwrap().to_string(), "cfg/main.tf:2:16");
    assert_eq!(
        d.resource.as_deref(),
        Some("aws_subnet.a"),
        "diagnostics name the resource they are in"
    );
}

#[test]
fn undeclared_references_are_invalid_terraform() {
    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_subnet\" \"a\" {\n  vpc_id = aws_vpc.nope.id\n  cidr_block = var.nope\n  tags = { a = local.nope, b = data.aws_vpc.nope.id }\n}\n",
    )]);
    let mut invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    invalid.sort();
    assert_eq!(
        invalid,
        // Terraform 1.11 `terraform validate` prints these texts.
        [
            "Reference to undeclared input variable: An input variable with the name \"nope\" has not been declared. This variable can be declared with a variable \"nope\" {} block.",
            "Reference to undeclared local value: A local value with the name \"nope\" has not been declared.",
            "Reference to undeclared resource: A data resource \"aws_vpc\" \"nope\" has not been declared in the root module.",
            "Reference to undeclared resource: A managed resource \"aws_vpc\" \"nope\" has not been declared in the root module.",
        ]
    );
    assert!(
        attr(&config, "aws_subnet.a", "vpc_id")
            .as_unknown()
            .is_some()
    );
}

#[test]
fn cycles_are_reported_with_position_and_terminate() {
    let config = eval_files(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = \"x-${local.a}\"\n}\nresource \"aws_security_group\" \"a\" {\n  name = aws_security_group.b.name\n}\nresource \"aws_security_group\" \"b\" {\n  name = aws_security_group.a.name\n  description = local.a\n}\n",
    )]);
    let cycles: Vec<_> = config
        .errors
        .iter()
        .filter(|e| e.message.starts_with("Cycle: "))
        .collect();
    assert_eq!(cycles.len(), 2, "{:?}", config.errors);
    assert!(
        cycles.iter().any(
            |e| e.message == "Cycle: local.a → local.b → local.a" && e.position == Some((2, 3))
        ),
        "{cycles:?}"
    );
    assert!(
        cycles.iter().any(|e| e
            .message
            .contains("aws_security_group.a → aws_security_group.b → aws_security_group.a")),
        "{cycles:?}"
    );
    assert!(
        attr(&config, "aws_security_group.b", "description")
            .as_unknown()
            .is_some()
    );
}

#[test]
fn long_reference_chains_do_not_overflow_the_stack() {
    let mut text = String::from("locals {\n  v0 = 0\n");
    for i in 1..3000 {
        text.push_str(&format!("  v{i} = local.v{} + 1\n", i - 1));
    }
    text.push_str("}\nresource \"x_probe\" \"p\" {\n  v = local.v2999\n}\n");
    let config = eval_files(&[("main.tf", &text)]);
    assert!(config.errors.is_empty(), "{:?}", config.errors);
    assert_eq!(
        attr(&config, "x_probe.p", "v"),
        &privlink_ingest::terraform::value::Value::Number(2999.0)
    );
}

#[test]
fn directories_without_configuration_are_input_errors() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("README.md"), "no terraform here").unwrap();
    let config = evaluate_directory(empty.path(), "empty", &ConfigOptions::default());
    assert_eq!(config.errors.len(), 1);
    assert_eq!(config.errors[0].path, "empty");
    assert!(
        config.errors[0]
            .message
            .contains("no Terraform configuration files")
    );

    let missing = evaluate_directory(
        &empty.path().join("nope"),
        "nope",
        &ConfigOptions::default(),
    );
    assert_eq!(missing.errors.len(), 1);
    assert!(
        missing.errors[0]
            .message
            .starts_with("cannot read the Terraform directory")
    );
}

#[test]
fn override_files_are_skipped_with_a_diagnostic() {
    let config = eval_files(&[
        (
            "main.tf",
            "resource \"aws_vpc\" \"a\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
        ),
        (
            "main_override.tf",
            "resource \"aws_vpc\" \"a\" {\n  cidr_block = \"10.9.0.0/16\"\n}\n",
        ),
    ]);
    assert_eq!(attr(&config, "aws_vpc.a", "cidr_block"), &s("10.0.0.0/16"));
    let unresolved = messages(&config, DiagnosticKind::UnresolvedInput);
    assert_eq!(
        unresolved,
        [
            "override file main_override.tf is not applied: privlink does not merge Terraform override files"
        ]
    );
}

/// The texts `terraform plan` (1.11) prints for unsuitable `count` and `for_each` values.
#[test]
fn count_and_for_each_errors_use_terraforms_words() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "x_r" "cnull" {
  count = null
}
resource "x_r" "cneg" {
  count = -1
}
resource "x_r" "fnull" {
  for_each = null
}
resource "x_r" "fstr" {
  for_each = "abc"
}
resource "x_r" "fnum" {
  for_each = toset([1, 2])
}
"#,
    )]);
    let mut invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    invalid.sort();
    assert_eq!(
        invalid,
        [
            "Invalid count argument: The given \"count\" argument value is null. An integer is required.",
            "Invalid count argument: The given \"count\" argument value is unsuitable: must be greater than or equal to zero.",
            "Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type string.",
            "Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the given \"for_each\" argument value is null. A map, or set of strings is allowed.",
            "Invalid for_each set argument: The given \"for_each\" argument value is unsuitable: \"for_each\" supports maps and sets of strings, but you have provided a set containing type number.",
        ]
    );
    let numbered: Vec<_> = config
        .resources
        .iter()
        .filter(|r| r.name == "fnum")
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(numbered, ["x_r.fnum[\"1\"]", "x_r.fnum[\"2\"]"]);
}

#[test]
fn invalid_variable_defaults_are_reported() {
    let config = eval_files(&[(
        "main.tf",
        "variable \"v\" {\n  type    = number\n  default = \"x\"\n}\n",
    )]);
    assert_eq!(
        messages(&config, DiagnosticKind::InvalidTerraform),
        [
            "Invalid default value for variable: This default value is not compatible with the variable's type constraint: cannot convert \"x\" to a number."
        ]
    );
}

/// Odd but parseable configurations: each is reported somehow, none panics or hangs.
#[test]
fn odd_configurations_never_panic() {
    let snippets = [
        "locals {\n  a = [for x in 1 : x]\n}",
        "locals {\n  a = null[0]\n  b = \"s\".x\n  c = {}[*][*].x\n  d = [1][5]\n  e = toset([\"a\"])[0]\n}",
        "resource \"x\" \"y\" {\n  count = \"two\"\n}",
        "resource \"x\" \"y\" {\n  for_each = {a = 1}\n  v = x.y\n  w = x.y[\"zz\"].id\n}",
        "resource \"x\" \"y\" {\n  count = 2\n  w = x.y[7].id\n}",
        "locals {\n  a = \"${[1]}\"\n  b = 1 + \"x\"\n  c = !\"x\"\n  d = true ? 1 : 2\n  e = \"x\" ? 1 : 2\n}",
        "locals {\n  a = {for k, v in [1, 1] : v => k}\n  b = merge(1)\n  c = concat(...)\n}",
        "module \"m\" {\n  source = \"./m\"\n  count = -3\n}",
        "module \"self\" {\n  source = \"./\"\n}",
        "resource \"x\" \"y\" {\n  dynamic \"b\" {\n    content {}\n  }\n  dynamic \"c\" {\n    for_each = 5\n    content {}\n  }\n}",
        "locals {\n  a = local\n  b = var\n  c = each.key\n  d = count.index\n  e = path.nope\n  f = module.x\n}",
        "output \"o\" {\n  value = templatefile(\"nope.tpl\", {})\n}",
        "provider \"aws\" {\n  region = [5]\n}\nresource \"aws_vpc\" \"v\" {}",
    ];
    for snippet in snippets {
        let config = eval_files(&[("main.tf", snippet)]);
        assert!(
            !config.diagnostics.is_empty() || !config.errors.is_empty(),
            "nothing reported for:\n{snippet}\n{}",
            dump(&config)
        );
    }
}

#[test]
fn attributes_of_expanded_resources_need_an_instance_key() {
    let config = eval_files(&[(
        "main.tf",
        "resource \"aws_subnet\" \"a\" {\n  count = 2\n}\nresource \"aws_vpc\" \"b\" {\n  cidr_block = aws_subnet.a.cidr_block\n}\n",
    )]);
    assert_eq!(
        messages(&config, DiagnosticKind::InvalidTerraform),
        [
            "Missing resource instance key: Because aws_subnet.a has \"count\" set, its attributes must be accessed on specific instances."
        ]
    );
}

#[test]
fn errors_in_named_values_are_reported_even_when_try_asks_first() {
    let config = eval_files(&[(
        "main.tf",
        "locals {\n  bad = cidrsubnet(\"10.0.0.0/30\", 3, 0)\n  ok  = try(local.bad, \"fallback\")\n  direct = try(cidrsubnet(\"10.0.0.0/30\", 3, 0), \"fallback\")\n}\nresource \"x_probe\" \"p\" {\n  a = local.ok\n  b = local.direct\n}\n",
    )]);
    let invalid: Vec<_> = config
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::InvalidTerraform)
        .collect();
    assert_eq!(invalid.len(), 1, "{}", dump(&config));
    assert_eq!(invalid[0].location.as_ref().unwrap().line, 2);
    assert_eq!(attr(&config, "x_probe.p", "b"), &s("fallback"));
}
