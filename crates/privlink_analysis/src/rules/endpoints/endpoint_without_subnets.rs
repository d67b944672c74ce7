//! `endpoint-without-subnets`: an interface endpoint with no subnets has no ENI.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL013",
    name: "endpoint-without-subnets",
    severity: Severity::Error,
    summary: "An interface endpoint has no subnets, so it has no network interface to connect to",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::EndpointWithoutSubnets { endpoint } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    Draft {
        message: format!(
            "{endpoint} captures {} through private DNS but has no subnets, so there is no network interface to answer {}",
            group.services_text(),
            group.first().workload
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 (one ENI per selected subnet, one subnet per AZ)
const DOCS: &str = r#"# endpoint-without-subnets (PL013)

## What it does
Finds interface endpoints that list no subnets.

## Why is this bad?
An interface endpoint is a set of network interfaces, one per subnet it lists. With none, its private
DNS name resolves to nothing usable while still capturing the service name for the whole VPC, and
every call to the service fails.

## Example
```hcl
resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = []
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
```

## Use instead
```hcl
subnet_ids = [aws_subnet.endpoint_a.id, aws_subnet.endpoint_c.id] # one per AZ
```

```yaml
SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
"#;
