//! `s3-gateway-not-on-route-table`: the S3 gateway endpoint is not on the table the subnet uses.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL003",
    name: "s3-gateway-not-on-route-table",
    severity: Severity::Error,
    summary: "The S3 gateway endpoint exists but not on the route table the workload's subnet really uses",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let first = group.first();
    let Cause::S3GatewayNotOnRouteTable {
        endpoint,
        route_table,
        main_table,
    } = &group.cause.cause
    else {
        unreachable!("this rule reports only its own cause");
    };
    let subnets = join_and(&group.subnets);
    let (has, uses) = if group.subnets.len() == 1 {
        ("has", "uses")
    } else {
        ("have", "use")
    };
    let message = if *main_table {
        format!(
            "{} pulls image layers from S3, but {subnets} {has} no explicit route table association, so the VPC main route table ({route_table}) applies, and {endpoint} is not on it",
            first.workload
        )
    } else {
        format!(
            "{} pulls image layers from S3, but {subnets} {uses} {route_table}, and {endpoint} is not on it",
            first.workload
        )
    };
    Draft {
        message,
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.2 (gateway endpoints are associated with route tables; main route table)
const DOCS: &str = r#"# s3-gateway-not-on-route-table (PL003)

## What it does
Finds workload subnets whose **effective** route table does not carry the VPC's S3 gateway endpoint.
The effective table is the one explicitly associated with the subnet, or, for a subnet without an
association, the VPC's **main** route table: a subnet whose association was forgotten silently uses
the main table.

## Why is this bad?
A gateway endpoint is a prefix-list route on the route tables it is associated with, nothing more.
Subnets on other tables send S3 traffic to their default route, or nowhere, and image layer downloads
time out (`CannotPullContainerError: ... prod-<region>-starport-layer-bucket ...`). A typical
shape: the endpoint is on `aws_route_table.private`, and only the subnets associated with that table
benefit.

## Example
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private_a.id]
}
# aws_subnet.app_c is associated with aws_route_table.private_c (or with nothing: the main table)
```

```yaml
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds: [!Ref PrivateRouteTableA]   # PrivateRouteTableC is missing
```

## Use instead
List every route table the workload subnets use (check subnets without an association: they use the
main table). Adding the endpoint to a table in use may briefly interrupt open S3 connections (the
ECR user guide warns of it).

```hcl
route_table_ids = [aws_route_table.private_a.id, aws_route_table.private_c.id]
```

```yaml
RouteTableIds: [!Ref PrivateRouteTableA, !Ref PrivateRouteTableC]
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
- https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html
"#;
