//! `missing-interface-endpoint`: a required interface service has no usable path.

use privlink_model::Severity;

use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL001",
    name: "missing-interface-endpoint",
    severity: Severity::Error,
    summary: "A service the workload needs has no interface endpoint in the VPC and no other way out",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let first = group.first();
    let vpc = first
        .vpc
        .as_ref()
        .map_or_else(|| "the VPC".to_owned(), ToString::to_string);
    let why = if ctx.endpoints_only {
        ""
    } else {
        ", and its subnets have no route out"
    };
    let purposes: Vec<String> = group
        .flows
        .iter()
        .map(|f| format!("{} for {}", f.service, f.purpose))
        .collect::<Vec<_>>();
    let mut purposes_unique: Vec<String> = Vec::new();
    for p in purposes {
        if !purposes_unique.contains(&p) {
            purposes_unique.push(p);
        }
    }
    Draft {
        message: format!(
            "{} needs {} but {vpc} has no endpoint for {}{why}",
            first.workload,
            purposes_unique.join("; "),
            if group.services.len() == 1 {
                "it"
            } else {
                "them"
            },
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §1.1, §1.2 (Fargate), §2 (ECS on EC2), §3.2 (EKS), §6 (error strings)
const DOCS: &str = r#"# missing-interface-endpoint (PL001)

## What it does
Finds AWS services a workload needs (ECR API and registry, CloudWatch Logs, Secrets Manager, SSM,
STS, EC2, ...) for which the workload's VPC has **no interface endpoint at all**, while the workload's
subnets have no other way to reach the service's public endpoint (no NAT gateway, no internet gateway
with a public IP), or while `--endpoints-only` asks for the private path.

Which services a workload needs comes from its kind, platform version and features (see
`privlink plan`): an ECS Fargate task on platform 1.4.0 pulling from ECR needs `ecr.api`, `ecr.dkr` and
the S3 gateway endpoint; `awslogs` adds `logs`; secrets add `secretsmanager` or `ssm`; ECS on EC2 adds
`ecs`, `ecs-agent` and `ecs-telemetry`; EKS nodes add `ec2` and `sts`.

## Why is this bad?
Without a path the call times out and the task never starts. For ECR auth on Fargate 1.4.0 the task
stops with:

```text
ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. RequestError: send request failed caused by: Post "https://api.ecr.<region>.amazonaws.com/": dial tcp ...:443: i/o timeout
```

The most common trap: ECR and S3 are there, CloudWatch Logs is not, and the task
stops with `ResourceInitializationError: failed to validate logger args: ...`.

When an endpoint for the service exists but cannot be used, privlink reports why instead
(`private-dns-disabled`, `endpoint-sg-blocks-https`, ...): this rule fires only when there is none.

## Example
```hcl
resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_a.id, aws_subnet.endpoint_c.id]
  security_group_ids  = [aws_security_group.endpoint.id]
}
# no ecr.api and no logs endpoint: a Fargate 1.4.0 task with awslogs cannot start
```

```yaml
EcrDkrEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.dkr
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
# no ecr.api and no logs endpoint
```

## Use instead
Add one interface endpoint per missing service, with private DNS, in one subnet per AZ, with a
security group that admits TCP 443 from the workload:

```hcl
resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_a.id, aws_subnet.endpoint_c.id]
  security_group_ids  = [aws_security_group.endpoint.id]
}
```

```yaml
LogsEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.logs
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
```

## References
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
- https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
"#;
