//! Evaluation speed of large generated Terraform configurations.
//!
//! * `flat`: 50 VPCs written out as plain blocks (VPC, 6 subnets, route tables and associations, an
//!   endpoint security group, 8 interface endpoints and an S3 gateway endpoint each): ~1,200
//!   resource blocks in 50 files.
//! * `modules`: the same network as one local module instantiated with `for_each` over 50 VPCs,
//!   with `for_each` subnets, `dynamic` security group rules and an IAM policy document.
//!
//! Run with `cargo bench -p privlink_ingest --bench terraform_eval`.

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use privlink_ingest::terraform::config::{ConfigOptions, evaluate_directory};

const VPCS: usize = 50;
const SERVICES: &[&str] = &[
    "ecr.api",
    "ecr.dkr",
    "logs",
    "ssm",
    "secretsmanager",
    "kms",
    "sts",
    "ecs",
];

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("path has a parent"))
        .expect("create bench directory");
    std::fs::write(path, text).expect("write bench file");
}

fn flat(dir: &Path) {
    write(
        &dir.join("provider.tf"),
        "provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\n",
    );
    for v in 0..VPCS {
        let mut tf = String::new();
        let _ = writeln!(
            tf,
            "resource \"aws_vpc\" \"v{v}\" {{\n  cidr_block = \"10.{v}.0.0/16\"\n  enable_dns_support = true\n  enable_dns_hostnames = true\n}}"
        );
        for s in 0..6 {
            let az = ["a", "c", "d"][s % 3];
            let _ = writeln!(
                tf,
                "resource \"aws_subnet\" \"v{v}_s{s}\" {{\n  vpc_id = aws_vpc.v{v}.id\n  cidr_block = cidrsubnet(aws_vpc.v{v}.cidr_block, 8, {s})\n  availability_zone = \"ap-northeast-1{az}\"\n}}\nresource \"aws_route_table\" \"v{v}_s{s}\" {{\n  vpc_id = aws_vpc.v{v}.id\n}}\nresource \"aws_route_table_association\" \"v{v}_s{s}\" {{\n  subnet_id = aws_subnet.v{v}_s{s}.id\n  route_table_id = aws_route_table.v{v}_s{s}.id\n}}"
            );
        }
        let _ = writeln!(
            tf,
            "resource \"aws_security_group\" \"v{v}_endpoints\" {{\n  vpc_id = aws_vpc.v{v}.id\n  ingress {{\n    from_port = 443\n    to_port = 443\n    protocol = \"tcp\"\n    cidr_blocks = [aws_vpc.v{v}.cidr_block]\n  }}\n}}"
        );
        for service in SERVICES {
            let name = service.replace('.', "_");
            let _ = writeln!(
                tf,
                "resource \"aws_vpc_endpoint\" \"v{v}_{name}\" {{\n  vpc_id = aws_vpc.v{v}.id\n  service_name = \"com.amazonaws.ap-northeast-1.{service}\"\n  vpc_endpoint_type = \"Interface\"\n  private_dns_enabled = true\n  subnet_ids = [aws_subnet.v{v}_s0.id, aws_subnet.v{v}_s1.id, aws_subnet.v{v}_s2.id]\n  security_group_ids = [aws_security_group.v{v}_endpoints.id]\n}}"
            );
        }
        let tables: Vec<String> = (0..6)
            .map(|s| format!("aws_route_table.v{v}_s{s}.id"))
            .collect();
        let _ = writeln!(
            tf,
            "resource \"aws_vpc_endpoint\" \"v{v}_s3\" {{\n  vpc_id = aws_vpc.v{v}.id\n  service_name = \"com.amazonaws.ap-northeast-1.s3\"\n  route_table_ids = [{}]\n}}",
            tables.join(", ")
        );
        write(&dir.join(format!("vpc{v:02}.tf")), &tf);
    }
}

fn modules(dir: &Path) {
    write(
        &dir.join("main.tf"),
        &format!(
            r#"provider "aws" {{
  region = var.region
}}
variable "region" {{
  default = "ap-northeast-1"
}}
locals {{
  vpcs     = {{ for i in range({VPCS}) : format("vpc%02d", i) => cidrsubnet("10.0.0.0/8", 8, i) }}
  services = {services}
}}
module "vpc" {{
  source   = "./modules/vpc"
  for_each = local.vpcs
  name     = each.key
  cidr     = each.value
  services = local.services
}}
output "endpoint_ids" {{
  value = {{ for k, m in module.vpc : k => m.endpoint_ids }}
}}
"#,
            services = format!("{:?}", SERVICES).replace(", ", ", ")
        ),
    );
    write(
        &dir.join("modules/vpc/main.tf"),
        r#"variable "name" {}
variable "cidr" {}
variable "services" {
  type = list(string)
}
data "aws_region" "current" {}
data "aws_availability_zones" "azs" {}
locals {
  subnets = { for i in range(6) : "s${i}" => { cidr = cidrsubnet(var.cidr, 8, i), az = data.aws_availability_zones.azs.names[i % 3] } }
}
resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}
resource "aws_subnet" "this" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}
resource "aws_route_table" "this" {
  for_each = local.subnets
  vpc_id   = aws_vpc.this.id
}
resource "aws_route_table_association" "this" {
  for_each       = local.subnets
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}
resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.this.id
  dynamic "ingress" {
    for_each = [443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [aws_vpc.this.cidr_block]
    }
  }
}
data "aws_iam_policy_document" "s3" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::prod-${data.aws_region.current.name}-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(var.services)
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for k, s in aws_subnet.this : s.id if contains(["s0", "s1", "s2"], k)]
  security_group_ids  = [aws_security_group.endpoints.id]
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.this.id
  service_name    = "com.amazonaws.${data.aws_region.current.name}.s3"
  route_table_ids = values(aws_route_table.this)[*].id
  policy          = data.aws_iam_policy_document.s3.json
}
output "endpoint_ids" {
  value = { for k, e in aws_vpc_endpoint.interface : k => e.id }
}
"#,
    );
}

fn bench(c: &mut Criterion) {
    let options = ConfigOptions::default();
    for (name, generate) in [("flat", flat as fn(&Path)), ("modules", modules)] {
        let dir = tempfile::tempdir().expect("temporary directory");
        generate(dir.path());
        let first = evaluate_directory(dir.path(), name, &options);
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        assert!(
            first.resources.len() > 1_000,
            "{} resources",
            first.resources.len()
        );
        c.bench_function(
            &format!(
                "evaluate {name} ({} resource instances)",
                first.resources.len()
            ),
            |b| {
                b.iter(|| black_box(evaluate_directory(dir.path(), name, &options)));
            },
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
