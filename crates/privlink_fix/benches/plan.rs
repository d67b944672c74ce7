//! How long `privlink fix` takes to plan the fixes of a large broken network: 50 VPCs in one
//! Terraform file, each with DNS hostnames off (an attribute edit), no logs endpoint (a new
//! resource), the S3 gateway endpoint on one of its two route tables (a list edit) and an ECS
//! service. Planning includes re-analysing the fixed network until nothing new appears. Measures
//! the plan, and the diffs of what it changes.
//!
//! Run with `cargo bench -p privlink_fix --bench plan`.

use std::fmt::Write as _;

use criterion::{Criterion, criterion_group, criterion_main};
use privlink_analysis::{Options, analyze};
use privlink_ingest::{LoadOptions, load};

const VPCS: usize = 50;

fn network(i: usize) -> String {
    format!(
        r#"
# network {i}
resource "aws_vpc" "net{i}" {{
  cidr_block = "10.{i}.0.0/16"
}}

resource "aws_subnet" "net{i}_a" {{
  vpc_id            = aws_vpc.net{i}.id
  cidr_block        = "10.{i}.1.0/24"
  availability_zone = "ap-northeast-1a"
}}

resource "aws_subnet" "net{i}_c" {{
  vpc_id            = aws_vpc.net{i}.id
  cidr_block        = "10.{i}.2.0/24"
  availability_zone = "ap-northeast-1c"
}}

resource "aws_route_table" "net{i}_a" {{
  vpc_id = aws_vpc.net{i}.id
}}

resource "aws_route_table" "net{i}_c" {{
  vpc_id = aws_vpc.net{i}.id
}}

resource "aws_route_table_association" "net{i}_a" {{
  subnet_id      = aws_subnet.net{i}_a.id
  route_table_id = aws_route_table.net{i}_a.id
}}

resource "aws_route_table_association" "net{i}_c" {{
  subnet_id      = aws_subnet.net{i}_c.id
  route_table_id = aws_route_table.net{i}_c.id
}}

resource "aws_security_group" "net{i}_endpoints" {{
  vpc_id = aws_vpc.net{i}.id
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.{i}.0.0/16"]
  }}
}}

resource "aws_security_group" "net{i}_app" {{
  vpc_id = aws_vpc.net{i}.id
  egress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_vpc_endpoint" "net{i}_ecr_api" {{
  vpc_id              = aws_vpc.net{i}.id
  service_name        = "com.amazonaws.ap-northeast-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.net{i}_a.id, aws_subnet.net{i}_c.id]
  security_group_ids  = [aws_security_group.net{i}_endpoints.id]
}}

resource "aws_vpc_endpoint" "net{i}_ecr_dkr" {{
  vpc_id              = aws_vpc.net{i}.id
  service_name        = "com.amazonaws.ap-northeast-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.net{i}_a.id, aws_subnet.net{i}_c.id]
  security_group_ids  = [aws_security_group.net{i}_endpoints.id]
}}

resource "aws_vpc_endpoint" "net{i}_s3" {{
  vpc_id          = aws_vpc.net{i}.id
  service_name    = "com.amazonaws.ap-northeast-1.s3"
  route_table_ids = [aws_route_table.net{i}_a.id]
}}

resource "aws_ecs_service" "net{i}" {{
  name            = "app{i}"
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {{
    subnets         = [aws_subnet.net{i}_a.id, aws_subnet.net{i}_c.id]
    security_groups = [aws_security_group.net{i}_app.id]
  }}
}}
"#
    )
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from(
        r#"provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  container_definitions = jsonencode([{
    name             = "app"
    image            = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:1"
    logConfiguration = { logDriver = "awslogs", options = { awslogs-group = "app" } }
  }])
}
"#,
    );
    for i in 0..VPCS {
        let _ = write!(text, "{}", network(i));
    }
    std::fs::write(dir.path().join("main.tf"), text).expect("write main.tf");
    let loaded = load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert!(loaded.inputs.iter().all(|i| i.is_ok()), "the network loads");
    let options = privlink_fix::Options {
        analysis: Options::default(),
        ..privlink_fix::Options::default()
    };
    let analysis = analyze(&loaded.model, &options.analysis);
    assert_eq!(analysis.findings.len(), 3 * VPCS, "three findings per VPC");

    let plan = privlink_fix::plan(&loaded.model, &analysis, &options);
    assert!(
        plan.findings
            .iter()
            .all(|f| f.status == privlink_fix::Status::Fixed),
        "every finding is fixed"
    );
    let mut group = c.benchmark_group("fix");
    group.sample_size(10);
    group.bench_function("plan 50 broken VPCs", |b| {
        b.iter(|| privlink_fix::plan(&loaded.model, &analysis, &options));
    });
    group.bench_function("diffs of the plan", |b| {
        b.iter(|| plan.files.iter().map(|f| f.diff().len()).sum::<usize>());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
