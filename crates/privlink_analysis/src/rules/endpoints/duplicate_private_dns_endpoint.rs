//! `duplicate-private-dns-endpoint`: two endpoints for one service with private DNS in one VPC.

use std::collections::BTreeMap;

use privlink_model::{EndpointKind, FixIntent, Known, ResourceId, Severity};

use crate::finding::{Applicability, Finding, Fix};
use crate::rules::{Context, Rule, RuleCheck, element_finding};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL007",
    name: "duplicate-private-dns-endpoint",
    severity: Severity::Error,
    summary: "Two interface endpoints for one service have private DNS in one VPC (AWS rejects the second)",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut by_service: BTreeMap<(&ResourceId, String, String), Vec<&privlink_model::VpcEndpoint>> =
        BTreeMap::new();
    for e in ctx.model.endpoints.values() {
        let (Some(vpc), Some(name)) = (e.vpc.value(), e.service()) else {
            continue;
        };
        if e.kind == Known::Value(EndpointKind::Interface) && e.private_dns == Known::Value(true) {
            by_service
                .entry((vpc, name.region, name.service))
                .or_default()
                .push(e);
        }
    }
    let mut out = Vec::new();
    for ((vpc, region, service), endpoints) in by_service {
        let Some((first, rest)) = endpoints.split_first() else {
            continue;
        };
        for e in rest {
            let host = crate::catalog::hostname(&service, &region);
            out.push(element_finding(
                &RULE,
                format!("{} and {} both serve {service} with private DNS in {vpc}: only one endpoint can own the private DNS name {host}", first.id, e.id),
                &e.id,
                e.provenance.location.clone(),
                Some(format!("InvalidParameter: private-dns-enabled cannot be set because there is already a conflicting DNS domain for {host} in the VPC {vpc}")),
                Fix {
                    summary: format!("remove {}, or turn its private DNS off", e.id),
                    applicability: Applicability::Manual,
                    intents: vec![FixIntent::Manual { description: format!("remove the duplicate {service} endpoint {}", e.id) }],
                },
            ));
        }
    }
    out
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 ("Only one endpoint per service per VPC can own the private hosted zone")
const DOCS: &str = r#"# duplicate-private-dns-endpoint (PL007)

## What it does
Finds two interface endpoints for the same service, both with private DNS, in one VPC.

## Why is this bad?
Private DNS creates a private hosted zone for the service's name; a VPC can have only one. Creating
the second endpoint fails:

```text
InvalidParameter: private-dns-enabled cannot be set because there is already a conflicting DNS domain for logs.<region>.amazonaws.com in the VPC vpc-xxxx
```

A Route 53 private hosted zone you created for the same name conflicts the same way
(`ConflictingDomainExists`). This usually happens when two modules each create "their" endpoints.

## Example
```hcl
module "vpc" {
  source             = "terraform-aws-modules/vpc/aws"
  # ... its endpoints submodule creates a logs endpoint with private DNS
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id              = module.vpc.vpc_id
  service_name        = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
```

```yaml
LogsEndpointA:
  Type: AWS::EC2::VPCEndpoint
  Properties: { VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.logs", VpcEndpointType: Interface, PrivateDnsEnabled: true }
LogsEndpointB:
  Type: AWS::EC2::VPCEndpoint
  Properties: { VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.logs", VpcEndpointType: Interface, PrivateDnsEnabled: true }
```

## Use instead
Keep one endpoint per service and VPC (give it one subnet per AZ):

```hcl
# delete the second aws_vpc_endpoint for logs
```

```yaml
# delete LogsEndpointB
```

## References
- https://github.com/hashicorp/terraform-provider-aws/issues/17535
- https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
"#;
