# NAT gateway or endpoints? A Fargate service in private
# subnets of three Tokyo AZs that reaches ECR, S3, CloudWatch Logs and Secrets Manager through one
# NAT gateway, the setup whose NAT bill makes teams compare NAT against PrivateLink by hand:
# NAT 0.062 USD/h + 0.062 USD/GB, an interface endpoint 0.014 USD/h + 0.01 USD/GB, and endpoints
# that multiply (ECR needs ecr.api, ecr.dkr and S3; logs makes four) and are billed per AZ.
# `privlink cost` prices this design, all-NAT and all-endpoints, and says where they cross.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

locals {
  zones = {
    a = "ap-northeast-1a"
    c = "ap-northeast-1c"
    d = "ap-northeast-1d"
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.4.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = local.zones
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, index(keys(local.zones), each.key))
  availability_zone = each.value
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 100)
  availability_zone = local.zones.a
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

# One NAT gateway in 1a for the three AZs: the cheap-looking choice that pays cross-AZ transfer.
resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}
