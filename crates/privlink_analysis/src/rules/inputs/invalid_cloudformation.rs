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
// privlink domain notes, Updates ("Seed 002 also declares `Default: dev` outside its own `AllowedValues`")
const DOCS: &str = r#"# invalid-cloudformation (PL102)

## What it does
Reports templates that CloudFormation refuses before it creates anything, found while reading them:
a parameter whose value (its `Default` included) is not one of its `AllowedValues`, a parameter
without `Type`, a resource without `Type` or with a logical ID that is not alphanumeric, an unknown
top-level section, no resources at all, two templates exporting the same name. privlink still
evaluates the template with the value as written, so the network analysis goes on.

Errors that stop privlink from reading a template at all (invalid YAML, an unknown `!Tag`, a `!Ref` to
nothing, circular conditions) are input errors instead: they are printed with file, line and column
and make the exit status 2.

## Why is this bad?
The stack is never created or updated. An endpoint stack that declares `Default: dev` outside its
`AllowedValues` (`stg`, `prd`), for instance, cannot be deployed without
`--parameter-overrides` fails with

```text
Parameter 'EnvironmentName' must be one of AllowedValues
```

## Example
```hcl
# Terraform has no parameters; see invalid-terraform for configurations Terraform rejects.
variable "environment" {
  default = "dev"
  validation {
    condition     = contains(["stg", "prd"], var.environment)
    error_message = "stg or prd"
  }
}
```

```yaml
Parameters:
  EnvironmentName:
    Type: String
    Default: dev
    AllowedValues:
      - stg
      - prd
```

## Use instead
Make the default one of the allowed values (or allow it):

```hcl
variable "environment" {
  default = "stg"
}
```

```yaml
Parameters:
  EnvironmentName:
    Type: String
    Default: dev
    AllowedValues:
      - dev
      - stg
      - prd
```

## References
- AWS CloudFormation User Guide, "Parameters" (`AllowedValues`, `Default`): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
"#;
