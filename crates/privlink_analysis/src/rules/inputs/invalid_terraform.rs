//! `invalid-terraform`: Terraform the provider or Terraform itself would reject.

use privlink_model::{DiagnosticKind, Severity};

use crate::finding::Finding;
use crate::rules::{Context, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL100",
    name: "invalid-terraform",
    severity: Severity::Error,
    summary: "Terraform would reject this configuration (privlink still analyses what it means)",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    super::diagnostics(ctx, DiagnosticKind::InvalidTerraform, &RULE)
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes, Updates ("for_each keys must be known at plan time")
const DOCS: &str = r#"# invalid-terraform (PL100)

## What it does
Reports Terraform that `terraform plan` would reject, found while reading the configuration:
`for_each` over a list or tuple, `for_each` keys that are known only after apply, references to
undeclared resources, variables or locals. privlink still interprets the configuration the way the
author meant it (each list element as an instance) so the network analysis goes on.

## Why is this bad?
The plan fails before anything is created:

```text
Error: Invalid for_each argument
  The given "for_each" argument value is unsuitable: the "for_each" argument must be a map, or set of strings, and you have provided a value of type tuple.
```

Route table associations written with `for_each` over a list of subnet ids fail twice over (a
tuple, and ids known only after apply).

## Example
```hcl
resource "aws_route_table_association" "private" {
  for_each = [aws_subnet.app_a.id, aws_subnet.app_c.id]
  subnet_id      = each.key
  route_table_id = aws_route_table.private.id
}
```

```yaml
# CloudFormation has no for_each; see invalid-cloudformation for templates CloudFormation rejects.
Resources: {}
```

## Use instead
Key the instances by names known at plan time:

```hcl
resource "aws_route_table_association" "private" {
  for_each = {
    app_a = aws_subnet.app_a.id
    app_c = aws_subnet.app_c.id
  }
  subnet_id      = each.value
  route_table_id = aws_route_table.private.id
}
```

```yaml
Resources: {}
```

## References
- https://developer.hashicorp.com/terraform/language/meta-arguments/for_each
"#;
