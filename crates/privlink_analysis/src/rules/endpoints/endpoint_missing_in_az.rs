//! `endpoint-missing-in-az`: a workload AZ has no ENI of a required endpoint.

use std::collections::BTreeMap;

use privlink_model::{FixIntent, ResourceId, Severity};

use crate::finding::{Applicability, Finding, Fix};
use crate::reach::{HopKind, HopStatus};
use crate::rules::{Context, Rule, RuleCheck, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL016",
    name: "endpoint-missing-in-az",
    severity: Severity::Warning,
    summary: "A workload's AZ has no network interface of a required endpoint: traffic crosses AZs",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

/// The flows of one workload that reach one endpoint across AZs.
#[derive(Default)]
struct CrossAz<'a> {
    azs: Vec<String>,
    subnets: Vec<String>,
    service: &'a str,
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut groups: BTreeMap<(&str, &ResourceId), CrossAz<'_>> = BTreeMap::new();
    for flow in ctx.flows {
        let warned = flow
            .hops
            .iter()
            .any(|h| h.kind == HopKind::Az && h.status == HopStatus::Warning);
        let (true, Some(endpoint)) = (warned, flow.via.as_ref()) else {
            continue;
        };
        let entry = groups
            .entry((flow.workload.as_str(), endpoint))
            .or_insert_with(|| CrossAz {
                service: flow.service.as_str(),
                ..CrossAz::default()
            });
        if let Some(az) = flow.az.value()
            && !entry.azs.contains(az)
        {
            entry.azs.push(az.clone());
        }
        if !entry.subnets.contains(&flow.subnet.to_string()) {
            entry.subnets.push(flow.subnet.to_string());
        }
    }
    groups
        .into_iter()
        .map(|((workload, endpoint), CrossAz { azs, subnets, service })| {
            let e = ctx.model.endpoints.get(endpoint);
            Finding {
                rule: RULE.name,
                code: RULE.code,
                severity: RULE.severity,
                message: format!(
                    "{endpoint} has no network interface in {}: {workload} reaches {service} there across AZs, and loses it when the endpoint's AZ fails",
                    join_and(&azs)
                ),
                workload: Some(workload.to_owned()),
                service: Some(service.to_owned()),
                services: Vec::new(),
                resource: Some(endpoint.to_string()),
                location: e.and_then(|e| e.provenance.location.clone()),
                subnets,
                predicted_error: None,
                fix: Some(Fix {
                    summary: format!("add a subnet in {} to the subnets of {endpoint} (one per AZ)", join_and(&azs)),
                    applicability: Applicability::Manual,
                    intents: vec![FixIntent::Manual { description: format!("add a subnet in {} to {endpoint}", join_and(&azs)) }],
                }),
            }
        })
        .collect()
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 (a subnet in an AZ without an endpoint ENI still works, cross-AZ), §7.1 (inter-AZ PrivateLink traffic)
const DOCS: &str = r#"# endpoint-missing-in-az (PL016)

## What it does
Warns when a workload runs in an AZ where a required interface endpoint has no network interface.

## Why is this bad?
It works: the endpoint's regional DNS name answers with the interfaces it has, and traffic crosses to
another AZ. But the workload in that AZ now depends on another AZ being healthy, which is what running
in several AZs was meant to avoid. (Inter-AZ traffic over PrivateLink is not charged separately.)

## Example
```hcl
resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_a.id] # the tasks also run in 1c
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
    SubnetIds: [!Ref EndpointSubnetA]
```

## Use instead
```hcl
  subnet_ids = [aws_subnet.endpoint_a.id, aws_subnet.endpoint_c.id]
```

```yaml
    SubnetIds: [!Ref EndpointSubnetA, !Ref EndpointSubnetC]
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
- https://aws.amazon.com/privatelink/pricing/
"#;
