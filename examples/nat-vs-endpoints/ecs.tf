# The service: an image in ECR, logs to CloudWatch Logs, a secret from Secrets Manager.

resource "aws_security_group" "app" {
  name   = "nat-vs-endpoints-app"
  vpc_id = aws_vpc.main.id

  egress {
    description = "HTTPS to AWS services"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_secretsmanager_secret" "db_password" {
  name = "nat-vs-endpoints/db-password"
}

resource "aws_ecs_cluster" "main" {
  name = "nat-vs-endpoints"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "nat-vs-endpoints-app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app:latest"
      essential = true
      secrets = [
        { name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db_password.arn },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/nat-vs-endpoints"
          awslogs-region        = "ap-northeast-1"
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
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [for s in aws_subnet.private : s.id]
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }
}
