//! `endpoint-policy-denies`: an endpoint policy does not allow a call the flow makes.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL011",
    name: "endpoint-policy-denies",
    severity: Severity::Error,
    summary: "An endpoint policy does not allow the actions or resources a required flow uses",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::EndpointPolicyDenies {
        endpoint,
        action,
        resource,
        statement,
    } = &group.cause.cause
    else {
        unreachable!("this rule reports only its own cause");
    };
    let on = resource.as_deref().unwrap_or("the resource it needs");
    let why = statement.as_ref().map_or_else(
        || "no statement allows it".to_owned(),
        |s| format!("{s} denies it"),
    );
    Draft {
        message: format!(
            "the policy of {endpoint} does not let {} call {action} on {on} ({why}), so {} fails",
            group.first().workload,
            group.services_text()
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.1 (layer bucket and minimal policy), §4.2 (pull actions), §1.5
const DOCS: &str = r#"# endpoint-policy-denies (PL011)

## What it does
Evaluates every endpoint policy on a required flow the way IAM does, for the calls that flow makes:
an image pull calls `ecr:GetAuthorizationToken` (ecr.api), then `ecr:BatchCheckLayerAvailability`,
`ecr:GetDownloadUrlForLayer` and `ecr:BatchGetImage` on the repository (ecr.dkr), then `s3:GetObject`
on `arn:aws:s3:::prod-<region>-starport-layer-bucket/*` through the S3 gateway endpoint; awslogs calls
`logs:CreateLogStream` and `logs:PutLogEvents`; secrets call `secretsmanager:GetSecretValue` or
`ssm:GetParameters`.

An explicit `Deny` that matches wins; otherwise an `Allow` must match; otherwise the call is denied.
`Action`/`NotAction` and `Resource`/`NotResource` take wildcards; `Principal: "*"` matches everyone;
`aws:SourceVpc` and `aws:SourceVpce` conditions are decided when the ids are known (live scans). When
privlink cannot decide (a specific principal, another condition key, a resource the inputs do not name)
the flow is `unknown` and the hop says why.

## Why is this bad?
A policy written to allow "only our own buckets" on the S3 gateway endpoint blocks ECR's layer
bucket, and every pull stops after the manifest (`CannotPullContainerError: ... starport-layer-bucket`).
A policy with only `Deny` statements denies everything, since nothing allows anything (the
terraform-aws-vpc examples show such a policy next to a full-access default).

## Example
```hcl
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.ap-northeast-1.s3"
  route_table_ids = [aws_route_table.private.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
    }]
  })
}
```

```yaml
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
    RouteTableIds: [!Ref PrivateRouteTable]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: s3:*
          Resource: [arn:aws:s3:::my-app-bucket, arn:aws:s3:::my-app-bucket/*]
```

## Use instead
Add the layer bucket (or the ECR actions) to the policy:

```hcl
      Resource = ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*",
                  "arn:aws:s3:::prod-ap-northeast-1-starport-layer-bucket/*"]
```

```yaml
          Resource:
            - arn:aws:s3:::my-app-bucket/*
            - !Sub arn:aws:s3:::prod-${AWS::Region}-starport-layer-bucket/*
```

## References
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"#;
