//! `vpc-dns-disabled`: a VPC DNS attribute that private DNS needs is off.

use privlink_model::Severity;

use crate::coverage::Language;
use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::wording::{self, language_of};
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL006",
    name: "vpc-dns-disabled",
    severity: Severity::Error,
    summary: "enableDnsSupport or enableDnsHostnames is off in a VPC whose endpoints need private DNS",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::VpcDnsDisabled { attribute } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let vpc = &group.cause.resource;
    let lang = language_of(ctx, vpc);
    // The attribute as the input writes it (the EC2 API's name for an account or an unknown input).
    let name = |terraform: &'static str, api: &'static str| match lang {
        Language::Terraform | Language::CloudFormation => wording::attribute(lang, terraform),
        Language::Account | Language::Unknown => api,
    };
    let message = if *attribute == "enableDnsSupport" {
        format!(
            "{vpc} has {} off: the VPC resolver does not answer, so {} cannot resolve {}",
            name("enable_dns_support", "enableDnsSupport"),
            group.first().workload,
            group.services_text()
        )
    } else {
        let default = match lang {
            Language::Terraform => " (Terraform's default for aws_vpc)",
            Language::CloudFormation => " (CloudFormation's default for AWS::EC2::VPC)",
            Language::Account | Language::Unknown => "",
        };
        format!(
            "{vpc} has {} off{default}: AWS rejects interface endpoints with private DNS, so {} cannot reach {}",
            name("enable_dns_hostnames", "enableDnsHostnames"),
            group.first().workload,
            group.services_text()
        )
    };
    Draft {
        message,
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.1 (private DNS needs both attributes; defaults; the InvalidParameter error), §3.1 (EKS private access)
const DOCS: &str = r#"# vpc-dns-disabled (PL006)

## What it does
Finds VPCs where a workload depends on interface endpoints with private DNS while
`enableDnsHostnames` is off, and VPCs where `enableDnsSupport` is off so nothing resolves at all.
Terraform's `aws_vpc` defaults `enable_dns_hostnames` to **false** (as AWS does for non-default VPCs),
so a VPC written without it cannot have private DNS endpoints: an easy bug to ship.

## Why is this bad?
Private DNS works only when both attributes are on. Creating or updating an endpoint with private
DNS in such a VPC fails:

```text
InvalidParameter: Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for vpc-xxxx
```

and until it succeeds the service names resolve to public addresses the workload cannot reach.

## Example
```hcl
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  # enable_dns_hostnames defaults to false
}
```

```yaml
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
    EnableDnsHostnames: false
```

## Use instead
```hcl
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
```

```yaml
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
    EnableDnsSupport: true
    EnableDnsHostnames: true
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html
- https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
"#;
