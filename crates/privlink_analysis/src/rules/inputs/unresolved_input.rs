//! `unresolved-input`: a value privlink could not resolve from the inputs.

use privlink_model::{DiagnosticKind, Severity};

use crate::finding::Finding;
use crate::rules::{Context, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL101",
    name: "unresolved-input",
    severity: Severity::Info,
    summary: "A value privlink could not resolve from the inputs; flows that depend on it are unknown",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    super::diagnostics(ctx, DiagnosticKind::UnresolvedInput, &RULE)
}

const DOCS: &str = r#"# unresolved-input (PL101)

## What it does
Reports each value privlink could not determine from the inputs it was given: a `data "aws_vpc"` read
from the account at plan time, a variable without a value, a module that is not installed, a
CloudFormation `Fn::ImportValue` of a stack that was not given, an id that no input defines.

## Why is this bad?
It is not: it says what privlink could not see. Flows that depend on the value get the verdict
`unknown` instead of a guess. Give privlink the missing input (the other stack, the `.tfvars` file,
`--var`, `terraform init` for registry modules, or a live scan) to get a definite answer.

## Example
```hcl
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id       = data.aws_vpc.shared.id
  service_name = "com.amazonaws.ap-northeast-1.logs"
}
```

```yaml
VpcId:
  Fn::ImportValue: !Sub "${EnvironmentName}-vpc"
```

## Use instead
Pass the configuration or template that defines the value along with this one:

```hcl
# privlink check network/ endpoints/
```

```yaml
# privlink check network.yaml endpoints.yaml
```

## References
- SPEC.md, "Inputs": what cannot be known before apply stays a symbolic reference, never a guess
"#;
