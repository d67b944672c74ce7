//! Terraform's evaluation semantics where they are easy to get wrong: `null` arguments, `==` with
//! `null`, references kept through functions, `resource.TYPE.NAME`, data sources read at plan time,
//! whole resources passed through module outputs, data sources reading a resource by id.

use privlink_model::DiagnosticKind;

use super::support::*;

#[test]
fn a_null_argument_is_an_omitted_argument() {
    let config = eval_files(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "eu-west-1"
}
data "aws_vpc_endpoint_service" "logs" {
  service      = "logs"
  service_name = try(var.missing_on_purpose, null)
}
variable "missing_on_purpose" {
  type    = string
  default = null
}
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = null
  tags                 = { Name = null }
}
resource "x_probe" "p" {
  service = data.aws_vpc_endpoint_service.logs.service_name
  dns     = aws_vpc.main.enable_dns_hostnames
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    assert_eq!(
        attr(&config, "x_probe.p", "service"),
        &s("com.amazonaws.eu-west-1.logs")
    );
    // Omitted: the provider computes it (a reference), not `null`.
    assert!(is_ref(
        attr(&config, "x_probe.p", "dns"),
        "aws_vpc.main",
        "enable_dns_hostnames"
    ));
    assert!(
        resource(&config, "aws_vpc.main")
            .get("enable_dns_hostnames")
            .is_none()
    );
    // Inside a map a null stays a null element: only arguments are omitted.
    assert_eq!(
        attr(&config, "aws_vpc.main", "tags").to_string(),
        "{Name = null}"
    );
}

#[test]
fn comparisons_with_null_are_known_for_known_non_null_values() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_subnet" "a" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
variable "endpoints" {
  type    = any
  default = { s3 = { service = "s3" } }
}
locals {
  settings = { subnet = aws_subnet.a.id, name = "x" }
  both     = [local.settings != null, local.settings == null, null == null, aws_subnet.a.id != null]
  guarded  = local.settings != null ? { one = local.settings } : {}
}
resource "x_probe" "p" {
  for_each = var.endpoints != null ? var.endpoints : {}
  both     = local.both
  dynamic "guarded" {
    for_each = local.settings != null ? [local.settings] : []
    content {
      subnet = guarded.value.subnet
    }
  }
}
resource "x_probe" "q" {
  for_each = local.guarded
  subnet   = each.value.subnet
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let both = attr(&config, "x_probe.p[\"s3\"]", "both")
        .as_list()
        .unwrap();
    assert_eq!(
        both[..3].to_vec(),
        [true, false, true].map(privlink_ingest::terraform::value::Value::Bool)
    );
    // A resource attribute may be null after apply as far as Terraform knows: undecided.
    assert!(both[3].as_unknown().is_some());
    assert!(is_ref(
        attr(&config, "x_probe.p[\"s3\"]", "guarded.0.subnet"),
        "aws_subnet.a",
        "id"
    ));
    assert!(is_ref(
        attr(&config, "x_probe.q[\"one\"]", "subnet"),
        "aws_subnet.a",
        "id"
    ));
}

#[test]
fn functions_keep_the_references_they_hold() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_subnet" "a" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
resource "aws_subnet" "b" {
  vpc_id     = "vpc-1"
  cidr_block = "10.0.1.0/24"
}
resource "aws_ecs_task_definition" "t" {
  family                = "app"
  container_definitions = "[]"
}
resource "x_probe" "p" {
  distinct = distinct(concat([aws_subnet.a.id], [aws_subnet.b.id, aws_subnet.a.id]))
  compact  = compact([aws_subnet.a.id, "", null])
  sort     = sort([aws_subnet.b.id, "subnet-0"])
  revision = "${aws_ecs_task_definition.t.arn}:${aws_ecs_task_definition.t.revision}"
  joined   = join(",", [aws_subnet.a.id, aws_subnet.b.id])
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let list = |p: &str| attr(&config, "x_probe.p", p).as_list().unwrap().to_vec();
    let distinct = list("distinct");
    assert_eq!(distinct.len(), 2);
    assert!(
        is_ref(&distinct[0], "aws_subnet.a", "id") && is_ref(&distinct[1], "aws_subnet.b", "id")
    );
    let compact = list("compact");
    assert_eq!(compact.len(), 1);
    assert!(is_ref(&compact[0], "aws_subnet.a", "id"));
    let sort = list("sort");
    assert_eq!(sort[0], s("subnet-0"));
    assert!(is_ref(&sort[1], "aws_subnet.b", "id"));
    // A value computed from several unknowns keeps all of them as its sources.
    let sources = |p: &str| {
        attr(&config, "x_probe.p", p)
            .as_unknown()
            .unwrap()
            .sources
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sources("revision"),
        [
            "aws_ecs_task_definition.t.arn",
            "aws_ecs_task_definition.t.revision"
        ]
    );
    assert_eq!(sources("joined"), ["aws_subnet.a.id", "aws_subnet.b.id"]);
}

#[test]
fn resource_prefixed_references_are_resource_references() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "x_probe" "p" {
  vpc  = resource.aws_vpc.main.id
  cidr = resource.aws_vpc.main.cidr_block
  ids  = [for v in resource.aws_vpc.main[*] : v.id]
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    assert!(is_ref(
        attr(&config, "x_probe.p", "vpc"),
        "aws_vpc.main",
        "id"
    ));
    assert_eq!(attr(&config, "x_probe.p", "cidr"), &s("10.0.0.0/16"));
}

#[test]
fn data_sources_are_read_at_plan_time() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
data "aws_subnets" "private" {
  filter {
    name   = "tag:Tier"
    values = ["private"]
  }
}
data "aws_subnets" "later" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.main.id]
  }
}
resource "x_probe" "p" {
  for_each = toset(data.aws_subnets.private.ids)
  subnet   = each.value
}
resource "x_probe" "q" {
  for_each = toset(data.aws_subnets.later.ids)
  subnet   = each.value
}
"#,
    )]);
    // Terraform reads the first at plan time: its keys are valid, privlink just cannot know them.
    let unresolved = messages(&config, DiagnosticKind::UnresolvedInput);
    assert!(
        unresolved.iter().any(|m| m.contains("x_probe.p")),
        "{}",
        dump(&config)
    );
    // The second depends on a VPC created by this apply: Terraform reads it during apply.
    let invalid = messages(&config, DiagnosticKind::InvalidTerraform);
    assert_eq!(invalid.len(), 1, "{}", dump(&config));
    assert!(
        config
            .diagnostics
            .iter()
            .all(|d| d.kind != DiagnosticKind::InvalidTerraform
                || d.resource.as_deref() == Some("x_probe.q")),
        "{}",
        dump(&config)
    );
}

#[test]
fn whole_resources_through_module_outputs_keep_every_attribute() {
    let config = eval_files(&[
        (
            "main.tf",
            r#"
module "lb" {
  source = "./lb"
}
resource "x_probe" "p" {
  arn  = module.lb.tgs["a"].arn
  name = module.lb.tgs["a"].name
  vpc  = module.lb.vpc.cidr_block
}
"#,
        ),
        (
            "lb/main.tf",
            r#"
resource "aws_lb_target_group" "this" {
  for_each = toset(["a"])
  name     = "tg-${each.key}"
}
resource "aws_vpc" "v" {
  cidr_block = "10.1.0.0/16"
}
output "tgs" {
  value = aws_lb_target_group.this
}
output "vpc" {
  value = aws_vpc.v
}
"#,
        ),
    ]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    assert!(is_ref(
        attr(&config, "x_probe.p", "arn"),
        "module.lb.aws_lb_target_group.this[\"a\"]",
        "arn"
    ));
    assert_eq!(attr(&config, "x_probe.p", "name"), &s("tg-a"));
    assert_eq!(attr(&config, "x_probe.p", "vpc"), &s("10.1.0.0/16"));
}

#[test]
fn a_data_source_given_the_id_of_a_resource_reads_that_resource() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_subnet" "a" {
  for_each          = { one = "10.0.0.0/24" }
  vpc_id            = "vpc-1"
  cidr_block        = each.value
  availability_zone = "eu-west-1a"
}
data "aws_subnet" "a" {
  id = aws_subnet.a["one"].id
}
resource "x_probe" "p" {
  id   = data.aws_subnet.a.id
  cidr = data.aws_subnet.a.cidr_block
  az   = data.aws_subnet.a.availability_zone
  arn  = data.aws_subnet.a.arn
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    assert!(is_ref(
        attr(&config, "x_probe.p", "id"),
        "aws_subnet.a[\"one\"]",
        "id"
    ));
    assert_eq!(attr(&config, "x_probe.p", "cidr"), &s("10.0.0.0/24"));
    assert_eq!(attr(&config, "x_probe.p", "az"), &s("eu-west-1a"));
    assert!(is_ref(
        attr(&config, "x_probe.p", "arn"),
        "aws_subnet.a[\"one\"]",
        "arn"
    ));
}
