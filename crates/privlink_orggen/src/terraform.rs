//! The Terraform form: a root module with one `module` call per VPC (`vpc-NNNN.tf`), all calling the
//! local module `modules/vpc`, whose variables carry the defects.

use std::fmt::Write as _;
use std::path::Path;

use crate::{AZS, REGION, VpcSpec};

/// The shared module every VPC is an instance of.
const MODULE: &str = r#"# One VPC of the generated organisation: 3 AZs, two app subnets and one endpoint subnet per AZ,
# interface endpoints in the endpoint subnets, the S3 gateway endpoint, and one ECS Fargate service.

variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "azs" {
  type = list(string)
}

variable "interface_services" {
  type    = list(string)
  default = ["ecr.api", "ecr.dkr", "logs", "secretsmanager"]
}

variable "private_dns_off" {
  type    = list(string)
  default = []
}

variable "endpoint_ingress_port" {
  type    = number
  default = 443
}

variable "workload_egress_port" {
  type    = number
  default = 443
}

variable "dns_hostnames" {
  type    = bool
  default = true
}

variable "s3_gateway_on_endpoint_route_table" {
  type    = bool
  default = false
}

data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = var.dns_hostnames
  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "app" {
  count             = 6
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = var.azs[count.index % 3]
  tags = {
    Name = "${var.name}-app-${count.index}"
  }
}

resource "aws_subnet" "endpoint" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index + 8)
  availability_zone = var.azs[count.index]
  tags = {
    Name = "${var.name}-endpoint-${count.index}"
  }
}

resource "aws_route_table" "app" {
  count  = 3
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "app" {
  count          = 6
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index % 3].id
}

resource "aws_route_table" "endpoint" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "endpoint" {
  count          = 3
  subnet_id      = aws_subnet.endpoint[count.index].id
  route_table_id = aws_route_table.endpoint.id
}

resource "aws_security_group" "endpoint" {
  name   = "${var.name}-endpoints"
  vpc_id = aws_vpc.this.id

  ingress {
    from_port   = var.endpoint_ingress_port
    to_port     = var.endpoint_ingress_port
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = aws_vpc.this.id

  egress {
    from_port   = var.workload_egress_port
    to_port     = var.workload_egress_port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(var.interface_services)
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = !contains(var.private_dns_off, each.key)
  subnet_ids          = aws_subnet.endpoint[*].id
  security_group_ids  = [aws_security_group.endpoint.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.s3_gateway_on_endpoint_route_table ? [aws_route_table.endpoint.id] : aws_route_table.app[*].id
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_ecs_task_definition" "app" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "123456789012.dkr.ecr.${data.aws_region.current.name}.amazonaws.com/${var.name}:1"
      essential = true
      secrets = [
        {
          name      = "DB_PASSWORD"
          valueFrom = "arn:aws:secretsmanager:${data.aws_region.current.name}:123456789012:secret:${var.name}-db"
        }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/${var.name}"
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "app"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "app" {
  name             = var.name
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.app.arn
  desired_count    = 2
  launch_type      = "FARGATE"
  platform_version = "1.4.0"

  network_configuration {
    subnets          = aws_subnet.app[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
}
"#;

/// Writes the configuration into `dir` (created if needed).
///
/// # Errors
/// When a file cannot be written.
pub fn write(dir: &Path, org: &[VpcSpec]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("modules/vpc"))?;
    std::fs::write(dir.join("modules/vpc/main.tf"), MODULE)?;
    std::fs::write(
        dir.join("main.tf"),
        format!(
            r#"terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }}
  }}
}}

provider "aws" {{
  region = "{REGION}"
}}
"#
        ),
    )?;
    for vpc in org {
        std::fs::write(dir.join(format!("vpc-{:04}.tf", vpc.index)), call(vpc))?;
    }
    Ok(())
}

/// The module call of one VPC, with the arguments its defect sets.
fn call(vpc: &VpcSpec) -> String {
    let mut text = format!(
        "module \"{}\" {{\n  source = \"./modules/vpc\"\n  name   = \"{}\"\n  cidr   = \"{}\"\n  azs    = [{}]\n",
        vpc.name.replace('-', "_"),
        vpc.name,
        vpc.cidr,
        AZS.map(|az| format!("\"{az}\"")).join(", ")
    );
    let services = vpc.interface_services();
    if services.len() != crate::INTERFACE_SERVICES.len() {
        let list = services
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(text, "\n  interface_services = [{list}]");
    }
    let off = crate::INTERFACE_SERVICES
        .into_iter()
        .filter(|s| !vpc.private_dns(s))
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>();
    if !off.is_empty() {
        let _ = writeln!(text, "\n  private_dns_off = [{}]", off.join(", "));
    }
    if vpc.endpoint_ingress_port() != 443 {
        let _ = writeln!(
            text,
            "\n  endpoint_ingress_port = {}",
            vpc.endpoint_ingress_port()
        );
    }
    if vpc.workload_egress_port() != 443 {
        let _ = writeln!(
            text,
            "\n  workload_egress_port = {}",
            vpc.workload_egress_port()
        );
    }
    if !vpc.dns_hostnames() {
        text.push_str("\n  dns_hostnames = false\n");
    }
    if vpc.s3_gateway_misplaced() {
        text.push_str("\n  s3_gateway_on_endpoint_route_table = true\n");
    }
    text.push_str("}\n");
    text
}
