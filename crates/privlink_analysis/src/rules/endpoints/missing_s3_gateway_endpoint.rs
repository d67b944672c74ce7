//! `missing-s3-gateway-endpoint`: image layers (S3) have no path.

use privlink_model::Severity;

use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL002",
    name: "missing-s3-gateway-endpoint",
    severity: Severity::Error,
    summary: "Image layers live in S3, and the VPC has no S3 gateway endpoint and no other way out",
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
        " and its subnets have no route out"
    };
    Draft {
        message: format!(
            "{} needs S3 for {}, but {vpc} has no S3 gateway endpoint{why}",
            first.workload, first.purpose
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §1.1, §4.1 (layer bucket), §5.2 (gateway endpoints), §6
const DOCS: &str = r#"# missing-s3-gateway-endpoint (PL002)

## What it does
Finds workloads that pull images from ECR (or run on EKS nodes) in a VPC that has no S3 **gateway**
endpoint, when the workload's subnets have no other route to S3 (or with `--endpoints-only`).

## Why is this bad?
ECR serves the image manifest itself, but the layers are downloaded from an AWS-owned S3 bucket,
`prod-<region>-starport-layer-bucket`, through a presigned URL. With the ECR interface endpoints and
no path to S3 the manifest arrives and every layer download hangs:

```text
CannotPullContainerError: ... error pulling image configuration: Get https://prod-<region>-starport-layer-bucket.s3.amazonaws.com/... (timeout)
```

Gateway endpoints cost nothing, so there is no reason to send layers through a NAT gateway.

## Example
```hcl
resource "aws_vpc_endpoint" "ecr_api" { service_name = "com.amazonaws.ap-northeast-1.ecr.api" ... }
resource "aws_vpc_endpoint" "ecr_dkr" { service_name = "com.amazonaws.ap-northeast-1.ecr.dkr" ... }
# no com.amazonaws.ap-northeast-1.s3 gateway endpoint
```

```yaml
EcrApiEndpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.api", ... } }
EcrDkrEndpoint: { Type: AWS::EC2::VPCEndpoint, Properties: { ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.dkr", ... } }
# no S3 gateway endpoint
```

## Use instead
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id] # every table the workload subnets use
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
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
"#;
