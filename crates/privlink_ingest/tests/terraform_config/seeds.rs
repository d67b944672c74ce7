//! The seed articles' configurations.

use privlink_model::DiagnosticKind;

use super::support::*;

#[test]
fn seed_000_for_each_over_a_tuple_is_reported_and_still_expanded() {
    let config = eval_fixture("seed-000");
    assert!(config.errors.is_empty(), "{:?}", config.errors);
    let invalid: Vec<_> = config
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::InvalidTerraform)
        .collect();
    assert_eq!(invalid.len(), 1, "{}", dump(&config));
    let d = invalid[0];
    assert!(d.message.starts_with("Invalid for_each argument: The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type tuple."), "{}", d.message);
    let loc = d.location.as_ref().unwrap();
    assert_eq!(
        (loc.path.as_str(), loc.line),
        ("fixtures/seed-000/endpoints.tf", 29)
    );
    assert_eq!(
        d.resource.as_deref(),
        Some("aws_route_table_association.private")
    );

    let associations: Vec<_> = config
        .resources
        .iter()
        .filter(|r| r.resource_type == "aws_route_table_association")
        .collect();
    assert_eq!(associations.len(), 4);
    let a = resource(
        &config,
        "aws_route_table_association.private[\"aws_subnet.private_1a_app1.id\"]",
    );
    assert!(is_ref(
        a.get("subnet_id").unwrap(),
        "aws_subnet.private_1a_app1",
        "id"
    ));
    assert!(is_ref(
        a.get("route_table_id").unwrap(),
        "aws_route_table.private",
        "id"
    ));

    let endpoint = resource(&config, "aws_vpc_endpoint.ecr_dkr");
    assert_eq!(
        endpoint.get("service_name"),
        Some(&s("com.amazonaws.ap-northeast-1.ecr.dkr"))
    );
    assert_eq!(
        endpoint.region.value().map(String::as_str),
        Some("ap-northeast-1")
    );
    let sg = attr(
        &config,
        "aws_security_group.vpc_endpoint",
        "ingress.0.cidr_blocks",
    );
    assert_eq!(
        sg,
        &privlink_ingest::terraform::value::Value::List(vec![s("10.0.0.0/16")])
    );
    assert_eq!(
        attr(&config, "aws_subnet.private_1c_app2", "cidr_block"),
        &s("10.0.5.0/24")
    );
    insta::assert_snapshot!(dump(&config));
}

/// Seed 003 writes Terraform 0.11 syntax: quoted interpolations and the legacy `.*` splat.
#[test]
fn seed_003_legacy_interpolation_syntax() {
    let config = eval_files(&[(
        "main.tf",
        r#"
resource "aws_vpc" "sample" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "sample-private-subnets" {
  count      = 2
  vpc_id     = "${aws_vpc.sample.id}"
  cidr_block = "${cidrsubnet(aws_vpc.sample.cidr_block, 8, count.index)}"
}
resource "aws_vpc_endpoint" "sample-ecr-api" {
  service_name      = "com.amazonaws.ap-northeast-1.ecr.api"
  vpc_endpoint_type = "Interface"
  vpc_id            = "${aws_vpc.sample.id}"
  subnet_ids        = ["${aws_subnet.sample-private-subnets.*.id}"]
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    let endpoint = resource(&config, "aws_vpc_endpoint.sample-ecr-api");
    assert!(is_ref(
        endpoint.get("vpc_id").unwrap(),
        "aws_vpc.sample",
        "id"
    ));
    // Terraform 0.12+ reads `["${list}"]` as a list holding the list (the provider then rejects it).
    let subnets = endpoint.get("subnet_ids.0").unwrap().as_list().unwrap();
    assert!(is_ref(
        &subnets[1],
        "aws_subnet.sample-private-subnets[1]",
        "id"
    ));
}

/// Seed 001 builds availability zones and service names from `data.aws_region.current`.
#[test]
fn seed_001_region_data_source_in_templates() {
    let config = eval_files(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "ap-northeast-1"
}
data "aws_region" "current" {}
variable "subnets" {
  default = { private = { a = { cidr_block = "10.0.1.0/24" } } }
}
resource "aws_subnet" "private-a" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "${data.aws_region.current.name}a"
  cidr_block        = var.subnets.private.a.cidr_block
  tags              = merge({ Env = "sandbox" }, { Name = "private-a" })
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc_endpoint" "ecr-dkr" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.ecr.dkr"
  vpc_endpoint_type = "Interface"
}
"#,
    )]);
    assert!(
        config.diagnostics.is_empty() && config.errors.is_empty(),
        "{}",
        dump(&config)
    );
    assert_eq!(
        attr(&config, "aws_subnet.private-a", "availability_zone"),
        &s("ap-northeast-1a")
    );
    assert_eq!(
        attr(&config, "aws_subnet.private-a", "cidr_block"),
        &s("10.0.1.0/24")
    );
    assert_eq!(
        attr(&config, "aws_vpc_endpoint.ecr-dkr", "service_name"),
        &s("com.amazonaws.ap-northeast-1.ecr.dkr")
    );
}
