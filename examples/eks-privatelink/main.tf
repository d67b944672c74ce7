# EKS worker nodes pulling from ECR through PrivateLink, with the endpoints such a setup starts from
# (ecr.api, ecr.dkr, and the S3 gateway endpoint written without a type, which Terraform
# creates as a gateway endpoint), in today's syntax (`aws_subnet.x[*].id` rather than the
# 0.11-era `["${aws_subnet.x.*.id}"]`). The nodes' security group opens only two egress paths:
# the endpoints' security group and the S3 prefix list. A node that must also join the
# cluster needs ec2, sts and logs endpoints and the cluster's private API endpoint, added here.

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

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "sample" {
  cidr_block           = "10.2.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "sample-private-subnets" {
  count             = 2
  vpc_id            = aws_vpc.sample.id
  cidr_block        = cidrsubnet(aws_vpc.sample.cidr_block, 8, count.index + 10)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_route_table" "sample-private" {
  vpc_id = aws_vpc.sample.id
}

resource "aws_route_table_association" "sample-private" {
  count          = length(aws_subnet.sample-private-subnets)
  subnet_id      = aws_subnet.sample-private-subnets[count.index].id
  route_table_id = aws_route_table.sample-private.id
}

resource "aws_security_group" "sample-ecr-privatelink" {
  name   = "sample-ecr-privatelink"
  vpc_id = aws_vpc.sample.id
}

# A separate rule: the node group's egress names this group, so an inline rule would be a cycle.
resource "aws_vpc_security_group_ingress_rule" "endpoints-from-nodes" {
  security_group_id            = aws_security_group.sample-ecr-privatelink.id
  referenced_security_group_id = aws_security_group.sample-node.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_endpoint" "sample-ecr-api" {
  service_name        = "com.amazonaws.ap-northeast-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  vpc_id              = aws_vpc.sample.id
  subnet_ids          = aws_subnet.sample-private-subnets[*].id
  security_group_ids  = [aws_security_group.sample-ecr-privatelink.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "sample-ecr-dkr" {
  service_name        = "com.amazonaws.ap-northeast-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  vpc_id              = aws_vpc.sample.id
  subnet_ids          = aws_subnet.sample-private-subnets[*].id
  security_group_ids  = [aws_security_group.sample-ecr-privatelink.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "sample-s3" {
  vpc_id          = aws_vpc.sample.id
  service_name    = "com.amazonaws.ap-northeast-1.s3"
  route_table_ids = [aws_route_table.sample-private.id]
}

# What a node needs beyond image pulls to join the cluster (EKS private clusters guide).
resource "aws_vpc_endpoint" "node" {
  for_each            = toset(["ec2", "sts", "logs"])
  service_name        = "com.amazonaws.ap-northeast-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  vpc_id              = aws_vpc.sample.id
  subnet_ids          = aws_subnet.sample-private-subnets[*].id
  security_group_ids  = [aws_security_group.sample-ecr-privatelink.id]
  private_dns_enabled = true
}
