# The cluster and its node group. The nodes' only egress: the endpoints and the S3 prefix list.

resource "aws_security_group" "sample-node" {
  name   = "sample-node"
  vpc_id = aws_vpc.sample.id

  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.sample-ecr-privatelink.id]
  }

  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.sample-s3.prefix_list_id]
  }
}

resource "aws_eks_cluster" "sample" {
  name     = "sample"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"

  vpc_config {
    subnet_ids              = aws_subnet.sample-private-subnets[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}

resource "aws_launch_template" "sample-node" {
  name_prefix            = "sample-node-"
  vpc_security_group_ids = [aws_security_group.sample-node.id]
}

resource "aws_eks_node_group" "sample" {
  cluster_name    = aws_eks_cluster.sample.name
  node_group_name = "sample"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = aws_subnet.sample-private-subnets[*].id

  launch_template {
    id      = aws_launch_template.sample-node.id
    version = "$Latest"
  }

  scaling_config {
    desired_size = 2
    max_size     = 3
    min_size     = 1
  }
}
