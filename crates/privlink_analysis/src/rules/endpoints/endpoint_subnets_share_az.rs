//! `endpoint-subnets-share-az`: an interface endpoint lists two subnets in one AZ.

use std::collections::BTreeMap;

use privlink_model::{EndpointKind, FixIntent, Known, ResourceId, Severity};

use crate::finding::{Applicability, Finding, Fix};
use crate::rules::wording::{attribute, language_of};
use crate::rules::{Context, Rule, RuleCheck, element_finding, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL012",
    name: "endpoint-subnets-share-az",
    severity: Severity::Error,
    summary: "An interface endpoint lists two subnets in the same AZ (AWS rejects it)",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in ctx.model.endpoints.values() {
        if e.kind != Known::Value(EndpointKind::Interface) {
            continue;
        }
        let mut by_az: BTreeMap<&str, Vec<&ResourceId>> = BTreeMap::new();
        for s in &e.subnets {
            if let Some(az) = ctx
                .model
                .subnets
                .get(s)
                .and_then(|s| s.availability_zone.value())
            {
                by_az.entry(az).or_default().push(s);
            }
        }
        for (az, subnets) in by_az.into_iter().filter(|(_, s)| s.len() > 1) {
            let at = e.provenance.location.clone();
            out.push(element_finding(
                &RULE,
                format!("{} lists {} in {az}: an interface endpoint takes at most one subnet per AZ", e.id, join_and(&subnets)),
                &e.id,
                at,
                Some(format!(
                    "DuplicateSubnetsInSameZone: Found another VPC endpoint subnet in the availability zone of {}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.",
                    subnets[1]
                )),
                Fix {
                    summary: format!(
                        "keep one of {} in {}: every subnet of the VPC reaches the endpoint's interface in {az} through the local route, so the others need no interface of their own",
                        join_and(&subnets),
                        attribute(language_of(ctx, &e.id), "subnet_ids")
                    ),
                    applicability: Applicability::Manual,
                    intents: vec![FixIntent::Manual { description: format!("remove {} from the subnets of {}", join_and(&subnets[1..]), e.id) }],
                },
            ));
        }
    }
    out
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 (at most one subnet per AZ; the DuplicateSubnetsInSameZone error)
// seed article 000
const DOCS: &str = r#"# endpoint-subnets-share-az (PL012)

## What it does
Finds interface endpoints whose subnets include two in the same availability zone.

## Why is this bad?
An interface endpoint gets one network interface per AZ; AWS refuses a second subnet in an AZ:

```text
DuplicateSubnetsInSameZone: Found another VPC endpoint subnet in the availability zone of subnet-xxxx. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.
```

Teams with two application subnets per AZ run into this. The answer is to let the
interface does not need to be in the client's subnet, every subnet of the VPC reaches it through the
local route: put the endpoints in one dedicated subnet per AZ.

## Example
```hcl
resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids = [aws_subnet.private_1a_app1.id, aws_subnet.private_1a_app2.id] # both in 1a
}
```

```yaml
EcrDkrEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.dkr
    VpcEndpointType: Interface
    SubnetIds: [!Ref App1SubnetA, !Ref App2SubnetA]
```

## Use instead
```hcl
  subnet_ids = [aws_subnet.private_1a_vpc_endpoint.id, aws_subnet.private_1c_vpc_endpoint.id]
```

```yaml
    SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
"#;
