//! `invalid-cloudformation`: a template CloudFormation itself would reject.

use privlink_model::{DiagnosticKind, Severity};

use crate::finding::Finding;
use crate::rules::{Context, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL102",
    name: "invalid-cloudformation",
    severity: Severity::Error,
    summary: "CloudFormation would reject this template (privlink still analyses what it means)",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    super::diagnostics(ctx, DiagnosticKind::InvalidCloudformation, &RULE)
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// A parameter `Default` outside its own `AllowedValues` is rejected by CloudFormation.
const DOCS: &str = r#"# invalid-cloudformation (PL102)

## What it does
Reports templates that CloudFormation refuses, found while reading them:

- the properties of the resource types privlink reads, checked against CloudFormation's resource
  schemas as cfn-lint checks them, with cfn-lint's words: a property the type does not have (E3002,
  `Additional properties are not allowed ('PrivateDnsEnable' was unexpected. Did you mean
  'PrivateDnsEnabled'?)`), a required property left out (E3003), a value of the wrong type (E3012,
  `'yes' is not of type 'boolean'`), a value outside its enumeration (E3030, `'interface' is not one
  of ['Interface', 'Gateway', ...]`). Values are checked as evaluated: a parameter's value where a
  property uses it; values known only when the stack is deployed are not checked;
- a parameter whose value (its `Default` included) is not one of its `AllowedValues`, a parameter
  without `Type`, a resource without `Type` or with a logical ID that is not alphanumeric, an unknown
  top-level section, no resources at all, two templates exporting the same name.

What privlink analyses then: a misspelt or unknown property is read as not written (CloudFormation
accepts nothing of the template); other values are read as written, so the network analysis goes
on. `privlink fix`, when it sets a property that is written with a misspelt name, renames it
instead of writing the right name beside it, and reports the misspelling fixed.

Errors that stop privlink from reading a template at all (invalid YAML, an unknown `!Tag`, a `!Ref` to
nothing, circular conditions) are input errors instead: they are printed with file, line and column
and make the exit status 2.

## Why is this bad?
The stack is never created or updated: CloudFormation validates each resource's properties against
its schema, and a parameter against its `AllowedValues`:

```text
Parameter 'EnvironmentName' must be one of AllowedValues
```

Until a misspelt property is corrected, the resource does not get what the author wrote:
`PrivateDnsEnable: true` leaves the endpoint's private DNS at CloudFormation's default, off.

## Example
```hcl
# Terraform: see invalid-terraform for configurations Terraform rejects.
resource "aws_vpc_endpoint" "logs" {
  private_dns_enable = true
}
```

```yaml
Resources:
  LogsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.ap-northeast-1.logs
      VpcEndpointType: interface
      PrivateDnsEnable: true
```

## Use instead
Spell the properties and values as the resource type does:

```hcl
resource "aws_vpc_endpoint" "logs" {
  private_dns_enabled = true
}
```

```yaml
Resources:
  LogsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.ap-northeast-1.logs
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
- https://github.com/aws-cloudformation/cfn-lint (rules E3002, E3003, E3012, E3030)
"#;
