//! `s3-interface-endpoint-only`: S3 is only an interface endpoint; ECR needs the gateway endpoint.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL004",
    name: "s3-interface-endpoint-only",
    severity: Severity::Error,
    summary: "S3 has only an interface endpoint; ECR layer downloads need the S3 gateway endpoint",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::S3InterfaceEndpointOnly { endpoint } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    Draft {
        message: format!(
            "{} downloads image layers from S3, and the VPC has only the S3 interface endpoint {endpoint}, which ECR layer downloads do not use",
            group.first().workload
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §1.1 (S3 interface endpoints; uncertainty register item 3), §5.1 (S3 interface private DNS)
const DOCS: &str = r#"# s3-interface-endpoint-only (PL004)

## What it does
Finds VPCs that reach S3 through an **interface** endpoint only, with no S3 gateway endpoint, while
a workload pulls images from ECR.

## Why is this bad?
ECR's documentation says layer downloads cannot use S3 interface endpoints: use the gateway endpoint
(the request to support interface endpoints, aws/containers-roadmap #1691, is still open). With private
DNS on the interface endpoint the layer bucket's name resolves to it and pulls fail even with a NAT
gateway; without private DNS the pulls bypass it. The gateway endpoint is free.

## Example
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.s3"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_a.id]
}
```

```yaml
S3InterfaceEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    VpcEndpointType: Interface
    SubnetIds: [!Ref EndpointSubnetA]
```

## Use instead
```hcl
resource "aws_vpc_endpoint" "s3_gateway" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
```

```yaml
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds: [!Ref PrivateRouteTable]
```

## References
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
"#;
