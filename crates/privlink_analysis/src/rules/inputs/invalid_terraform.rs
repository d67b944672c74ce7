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
Reports Terraform that `terraform validate` or `terraform plan` would reject, with Terraform's own
words, found while reading the configuration:

- every argument and block of the resources and data sources privlink reads, checked against the
  AWS provider's schema (hashicorp/aws 5.100): an argument or block the resource does not have
  (`Unsupported argument`, with Terraform's `Did you mean "private_dns_enabled"?`; in `.tf.json`,
  `Extraneous JSON object property`), a required argument or block left out, more blocks than
  allowed, a value that does not convert to the argument's type (`Incorrect attribute value
  type`), a value for an attribute the provider computes, and a value outside the set the provider
  accepts (`expected vpc_endpoint_type to be one of ["Interface" "Gateway" ...], got interface`).
  Values known only after apply are not checked, as Terraform does not check them; values from
  variables are, as `terraform plan` checks them. Inside a module the finding points at the
  module's file and line and names the module call. A configuration whose lock file or
  `required_providers` rule out the 5.x provider is not checked against this schema (an
  `unresolved-input` finding says so);
- `for_each` over a list or tuple, `count`/`for_each` known only after apply, references to
  undeclared resources, variables or locals.

What privlink analyses then: a misspelt or unknown argument is read as not written (Terraform
accepts nothing of it); a value outside its set is read as the author meant it (`"interface"` is
still an interface endpoint), so the network analysis goes on. `privlink fix`, when it sets an
argument that is written with a misspelt name, renames it instead of writing the right name beside
it, and reports the misspelling fixed.

## Why is this bad?
The plan fails before anything is created:

```text
Error: Unsupported argument
  An argument named "private_dns_enable" is not expected here. Did you mean "private_dns_enabled"?
```

And until the name is corrected, the endpoint's private DNS is not what the author wrote: the
provider's default (off) applies, so the workloads resolve the service's public name.

## Example
```hcl
resource "aws_vpc_endpoint" "logs" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type  = "interface"
  private_dns_enable = true
}
```

```yaml
# CloudFormation: see invalid-cloudformation for templates CloudFormation rejects.
Resources: {}
```

## Use instead
Spell the arguments and values as the provider does:

```hcl
resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
```

```yaml
Resources: {}
```

## References
- https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/vpc_endpoint
- https://developer.hashicorp.com/terraform/cli/commands/validate
- https://developer.hashicorp.com/terraform/language/meta-arguments/for_each
"#;
