//! `nat-dependency`: a required flow works only through NAT or an internet gateway.

use privlink_model::Severity;

use crate::reach::{Cause, Verdict};
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL020",
    name: "nat-dependency",
    severity: Severity::Warning,
    summary: "A required flow works only through a NAT gateway, NAT instance or internet gateway",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let first = group.first();
    let through = match first.verdict {
        Verdict::Internet => "an internet gateway",
        _ => "NAT",
    };
    let why = match &group.cause.cause {
        Cause::PrivateDnsDisabled { endpoint } => {
            format!(" ({endpoint} exists but has private DNS off)")
        }
        Cause::S3GatewayNotOnRouteTable {
            endpoint,
            route_table,
            ..
        } => {
            format!(" ({endpoint} exists but is not on {route_table})")
        }
        _ => String::new(),
    };
    Draft {
        message: format!(
            "{} reaches {} only through {through}{why}: it stops if the NAT path is removed, and pays NAT data processing meanwhile",
            first.workload,
            group.services_text()
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §7 (NAT and endpoint pricing), seed article 004 (the cost comparison)
const DOCS: &str = r#"# nat-dependency (PL020)

## What it does
Reports required flows that work today only because the subnet has a NAT gateway, a NAT instance, or
an internet gateway with a public IP: the VPC has no usable endpoint for the service. It is a warning:
nothing fails yet. With `--endpoints-only` privlink evaluates as if those routes did not exist, and the
same flows are reported as errors by the rule that says what is missing.

## Why is this bad?
Teams remove NAT gateways to save money and to close the network; every flow that silently depended
on NAT then fails at the next deploy. Meanwhile each gigabyte to ECR, S3, CloudWatch Logs or Secrets
Manager pays NAT data processing (0.062 USD/GB in Tokyo, against 0.01 USD/GB through an interface
endpoint and nothing through the S3 gateway endpoint). See `privlink cost`.

## Example
```hcl
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}
# no endpoints: ECR, S3 and CloudWatch Logs traffic all goes through NAT
```

```yaml
PrivateDefaultRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref PrivateRouteTable
    DestinationCidrBlock: 0.0.0.0/0
    NatGatewayId: !Ref NatGateway
```

## Use instead
Add the endpoints the workload needs (`privlink plan --kind ecs-fargate --feature awslogs` lists them;
`privlink fix` writes them), then remove the NAT route.

```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.ap-northeast-1.s3"
  route_table_ids = [aws_route_table.private.id]
}
```

```yaml
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    RouteTableIds: [!Ref PrivateRouteTable]
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
- https://aws.amazon.com/vpc/pricing/
- https://aws.amazon.com/privatelink/pricing/
"#;
