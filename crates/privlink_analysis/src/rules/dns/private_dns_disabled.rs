//! `private-dns-disabled`: a required endpoint has private DNS off.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL005",
    name: "private-dns-disabled",
    severity: Severity::Error,
    summary: "A required interface endpoint has private DNS off, so clients resolve the public name",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::PrivateDnsDisabled { endpoint } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let first = group.first();
    let tail = if ctx.endpoints_only {
        ""
    } else {
        ", where the subnet has no route"
    };
    Draft {
        message: format!(
            "{endpoint} has private DNS off: {} resolves the public {} endpoint{tail} and never uses the endpoint",
            first.workload,
            group.services_text()
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.2 (ecr.dkr needs private DNS), §5.1 (private DNS), Updates (CloudFormation default false)
const DOCS: &str = r#"# private-dns-disabled (PL005)

## What it does
Finds interface endpoints a workload needs whose private DNS is off. Terraform's
`private_dns_enabled` and CloudFormation's `PrivateDnsEnabled` both default to **false**; only the
console and the CDK turn it on by default.

## Why is this bad?
ECS, EKS and the AWS SDKs call the service's regular hostname (`api.ecr.<region>.amazonaws.com`,
`logs.<region>.amazonaws.com`, ...). Only private DNS makes that name resolve to the endpoint's network
interfaces; without it the name resolves to public addresses, which an isolated subnet cannot reach.
With private DNS off on the Secrets Manager endpoint, a Fargate task that injects a secret stops with:

```text
ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ...
```

For `ecr.dkr` private DNS is required outright (ECR user guide).

## Example
```hcl
resource "aws_vpc_endpoint" "secretsmanager" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.ap-northeast-1.secretsmanager"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private_a.id]
  # private_dns_enabled defaults to false
}
```

```yaml
ECRDkrEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.dkr
    VpcEndpointType: Interface
    # PrivateDnsEnabled defaults to false
```

## Use instead
```hcl
private_dns_enabled = true
```

```yaml
PrivateDnsEnabled: true
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html
"#;
