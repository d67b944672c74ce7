//! `interface-endpoint-with-route-tables`: an interface endpoint is given route tables.

use privlink_model::{EndpointKind, FixIntent, Known, Severity};

use crate::finding::{Applicability, Finding, Fix};
use crate::rules::wording::{attribute, language_of, setting};
use crate::rules::{Context, Rule, RuleCheck, element_finding, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL014",
    name: "interface-endpoint-with-route-tables",
    severity: Severity::Error,
    summary: "An interface endpoint is given route tables, which only gateway endpoints take (AWS rejects it)",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    ctx.model
        .endpoints
        .values()
        .filter(|e| e.kind == Known::Value(EndpointKind::Interface) && !e.route_tables.known.is_empty())
        .map(|e| {
            let tables = join_and(&e.route_tables.known);
            let lang = language_of(ctx, &e.id);
            let gateway = e.service_suffix().is_some_and(|s| crate::catalog::is_gateway(&s));
            let hint = if gateway { format!(" (for {} a gateway endpoint on those route tables is what you want)", e.service_suffix().unwrap_or_default()) } else { String::new() };
            element_finding(
                &RULE,
                format!("{} is an interface endpoint but lists route tables {tables}: interface endpoints are reached through their network interfaces, not routes{hint}", e.id),
                &e.id,
                e.provenance.location.clone(),
                Some("CreateVpcEndpoint fails with InvalidParameter: route tables are accepted only for gateway endpoints (exact text may differ)".to_owned()),
                Fix {
                    summary: if gateway {
                        format!("make {} a gateway endpoint ({}), or drop {}", e.id, setting(lang, "vpc_endpoint_type", "\"Gateway\""), attribute(lang, "route_table_ids"))
                    } else {
                        format!("remove {} from {} and give it {} (one per AZ)", attribute(lang, "route_table_ids"), e.id, attribute(lang, "subnet_ids"))
                    },
                    applicability: Applicability::Manual,
                    intents: vec![FixIntent::Manual { description: format!("remove the route tables of {}", e.id) }],
                },
            )
        })
        .collect()
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 (interface endpoints: ENIs in subnets), §5.2 (gateway endpoints: route tables)
const DOCS: &str = r#"# interface-endpoint-with-route-tables (PL014)

## What it does
Finds interface endpoints that are given route tables.

## Why is this bad?
Route tables belong to gateway endpoints (S3, DynamoDB): AWS adds a prefix-list route to each. An
interface endpoint is a set of network interfaces in subnets; the EC2 API rejects route tables for
it. The mix-up usually comes from copying the S3 gateway endpoint block and changing only the
service name, or from setting `vpc_endpoint_type = "Interface"` on the S3 block.

## Example
```hcl
resource "aws_vpc_endpoint" "logs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type = "Interface"
  route_table_ids   = [aws_route_table.private.id]
}
```

```yaml
LogsEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.logs
    VpcEndpointType: Interface
    RouteTableIds: [!Ref PrivateRouteTable]
```

## Use instead
```hcl
  subnet_ids          = [aws_subnet.endpoint_a.id, aws_subnet.endpoint_c.id]
  security_group_ids  = [aws_security_group.endpoint.id]
  private_dns_enabled = true
```

```yaml
    SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]
    PrivateDnsEnabled: true
```

## References
- https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
"#;
