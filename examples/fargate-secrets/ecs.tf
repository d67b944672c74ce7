# The Fargate service: secrets from Secrets Manager and Parameter Store, awslogs.

resource "aws_security_group" "app" {
  name   = "${local.infra_fullname}-app"
  vpc_id = aws_vpc.main.id

  egress {
    description     = "HTTPS to the interface endpoints"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.vpc-endpoint.id]
  }

  egress {
    description     = "HTTPS to S3 (image layers) through the gateway endpoint"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

resource "aws_secretsmanager_secret" "db_password" {
  name = "${local.infra_fullname}/db-password"
}

resource "aws_ssm_parameter" "api_key" {
  name  = "/${local.infra_fullname}/api-key"
  type  = "SecureString"
  value = "change-me"
}

resource "aws_ecs_cluster" "main" {
  name = local.infra_fullname
}

resource "aws_ecs_task_definition" "app" {
  family                   = "${local.infra_fullname}-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "123456789012.dkr.ecr.${data.aws_region.current.name}.amazonaws.com/app:latest"
      essential = true
      secrets = [
        { name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db_password.arn },
        { name = "API_KEY", valueFrom = aws_ssm_parameter.api_key.arn },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/${local.infra_fullname}"
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "app"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private-a.id]
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
}
