//! `endpoint-region-mismatch`: the service name names another region with no service region.

use privlink_model::{FixIntent, Known, Severity};

use crate::catalog::CROSS_REGION_SERVICES;
use crate::finding::{Applicability, Finding, Fix};
use crate::rules::wording::{attribute, language_of, setting};
use crate::rules::{Context, Rule, RuleCheck, element_finding};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL015",
    name: "endpoint-region-mismatch",
    severity: Severity::Error,
    summary: "An endpoint's service name is for another region than its VPC, and no valid service region makes it cross-region",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in ctx.model.endpoints.values() {
        let Some(name) = e.service() else { continue };
        let Some(vpc_region) = e
            .vpc
            .value()
            .and_then(|v| ctx.model.vpcs.get(v))
            .and_then(|v| v.region.value())
        else {
            continue;
        };
        // A name written with the run's region is in whatever region the VPC is.
        if &name.region == vpc_region || name.in_run_region() {
            continue;
        }
        let service_region = e.service_region.as_ref().and_then(Known::value);
        let cross_region = CROSS_REGION_SERVICES.contains(&name.service.as_str());
        if service_region == Some(&name.region) && cross_region {
            continue;
        }
        let full = e.service_name.value().cloned().unwrap_or_default();
        let lang = language_of(ctx, &e.id);
        let service_region_name = attribute(lang, "service_region");
        let why = match (service_region, cross_region) {
            (Some(r), false) => format!(
                "{service_region_name} is {r}, but {} is not served by cross-region PrivateLink",
                name.service
            ),
            (Some(r), true) => format!("{service_region_name} is {r}, not {}", name.region),
            (None, true) => format!(
                "no {service_region_name} says so; {} supports cross-region PrivateLink with {}",
                name.service,
                setting(lang, "service_region", &format!("\"{}\"", name.region))
            ),
            (None, false) => format!(
                "and {} is not served by cross-region PrivateLink",
                name.service
            ),
        };
        out.push(element_finding(
            &RULE,
            format!("{} is in a VPC in {vpc_region} but names {full} ({why})", e.id),
            &e.id,
            e.provenance.location.clone(),
            Some(format!("InvalidServiceName: The Vpc Endpoint Service '{full}' does not exist (the EC2 API's answer to a service name it does not offer; exact text may differ)")),
            Fix {
                summary: if cross_region {
                    format!("use com.amazonaws.{vpc_region}.{} or set {}", name.service, setting(lang, "service_region", &format!("\"{}\"", name.region)))
                } else {
                    format!("use com.amazonaws.{vpc_region}.{}", name.service)
                },
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual { description: format!("name the {vpc_region} service in {}", e.id) }],
            },
        ));
    }
    out
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.2 (endpoints are regional), Updates (cross-region PrivateLink, service_region)
const DOCS: &str = r#"# endpoint-region-mismatch (PL015)

## What it does
Finds endpoints whose service name is for another region than their VPC
(`com.amazonaws.us-east-1.logs` in an `ap-northeast-1` VPC), unless the endpoint is a valid
cross-region endpoint: the service is one cross-region PrivateLink serves (S3, IAM, ECR `ecr.api` and
`ecr.dkr`, KMS, ECS, Lambda, Data Firehose, Managed Service for Apache Flink, Route 53) and its
service region (Terraform `service_region`, API `ServiceRegion`) names that region.

## Why is this bad?
Copying a module from one region to another with a hard-coded service name creates endpoints for the
wrong region: AWS rejects them, or, for a cross-region service without `service_region`, the endpoint
does not serve the local region. Either way the workload's calls to its own region find no endpoint.

## Example
```hcl
provider "aws" {
  region = "ap-northeast-1"
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type = "Interface"
}
```

```yaml
LogsEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: com.amazonaws.us-east-1.logs
    VpcEndpointType: Interface
```

## Use instead
```hcl
  service_name = "com.amazonaws.${data.aws_region.current.name}.logs"
```

```yaml
    ServiceName: !Sub com.amazonaws.${AWS::Region}.logs
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html
"#;
