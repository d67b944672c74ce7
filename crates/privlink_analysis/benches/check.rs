//! How long `privlink check` takes on an organisation's whole network: 50 VPCs, each with three app
//! subnets and three endpoint subnets across AZs, eight interface endpoints, an S3 gateway endpoint,
//! a network ACL and four ECS services, written as one Terraform configuration with modules.
//! Measures loading (HCL evaluation and lowering), analysis (tracing and rules) and pricing (cost)
//! separately.
//!
//! Run with `cargo bench -p privlink_analysis --bench check`.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use privlink_analysis::cost::{self, PriceTable, Traffic};
use privlink_analysis::{Options, analyze};
use privlink_ingest::{LoadOptions, load};

const VPCS: usize = 50;

const MODULE: &str = r#"
variable "index" { type = number }
locals {
  cidr     = cidrsubnet("10.0.0.0/8", 8, var.index)
  zones    = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
  services = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "sts", "kms", "ssmmessages"])
}
resource "aws_vpc" "this" {
  cidr_block           = local.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "app" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(local.cidr, 8, count.index)
  availability_zone = local.zones[count.index]
}
resource "aws_subnet" "endpoint" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(local.cidr, 8, count.index + 10)
  availability_zone = local.zones[count.index]
}
resource "aws_route_table" "app" {
  count  = 3
  vpc_id = aws_vpc.this.id
}
resource "aws_route_table_association" "app" {
  count          = 3
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}
resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.app[*].id
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
}
resource "aws_security_group" "endpoint" {
  vpc_id = aws_vpc.this.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.cidr]
  }
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.this.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.cidr]
  }
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}
resource "aws_vpc_endpoint" "interface" {
  for_each            = local.services
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.ap-northeast-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.endpoint[*].id
  security_group_ids  = [aws_security_group.endpoint.id]
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.ap-northeast-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.app[*].id
}
resource "aws_ecs_task_definition" "app" {
  family = "app-${var.index}"
  container_definitions = jsonencode([{
    name             = "app"
    image            = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1"
    secrets          = [{ name = "DB", valueFrom = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db" }]
    logConfiguration = { logDriver = "awslogs" }
  }])
}
resource "aws_ecs_service" "app" {
  count           = 4
  name            = "app-${var.index}-${count.index}"
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = aws_subnet.app[*].id
    security_groups = [aws_security_group.app.id]
  }
}
"#;

fn write_organisation(dir: &Path) {
    std::fs::create_dir_all(dir.join("modules/vpc")).expect("module dir");
    std::fs::write(dir.join("modules/vpc/main.tf"), MODULE).expect("module");
    let mut root = String::from("provider \"aws\" {\n  region = \"ap-northeast-1\"\n}\n");
    for i in 0..VPCS {
        let _ = writeln!(
            root,
            "module \"vpc_{i}\" {{\n  source = \"./modules/vpc\"\n  index  = {i}\n}}"
        );
    }
    std::fs::write(dir.join("main.tf"), root).expect("root module");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_organisation(dir.path());
    let paths = [dir.path().to_path_buf()];
    let loaded = load(&paths, &LoadOptions::default());
    assert!(
        loaded.inputs.iter().all(|i| i.is_ok()),
        "the generated configuration loads"
    );
    assert_eq!(loaded.model.vpcs.len(), VPCS);
    let analysis = analyze(&loaded.model, &Options::default());
    assert_eq!(analysis.workloads.len(), VPCS * 4);
    assert!(
        analysis.findings.is_empty(),
        "the generated network is clean"
    );

    let mut group = c.benchmark_group("organisation");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| load(&paths, &LoadOptions::default())));
    group.bench_function("analyze", |b| {
        b.iter(|| analyze(&loaded.model, &Options::default()));
    });
    // Pricing the 50 workload sets (one per VPC) from the analysis: `privlink cost` past analysis.
    let traffic = Traffic::default();
    let priced = cost::estimate(&analysis, &loaded.model, PriceTable::embedded(), &traffic);
    assert!(priced.iter().all(|s| s.result.is_ok()) && priced.len() == VPCS);
    group.bench_function("cost", |b| {
        b.iter(|| cost::estimate(&analysis, &loaded.model, PriceTable::embedded(), &traffic));
    });
    group.bench_function("load+analyze", |b| {
        b.iter(|| {
            let loaded = load(&paths, &LoadOptions::default());
            analyze(&loaded.model, &Options::default())
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
