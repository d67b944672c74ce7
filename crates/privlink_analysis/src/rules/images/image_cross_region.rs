//! `image-cross-region`: an ECR image in another region without cross-region endpoints.

use privlink_model::Severity;

use crate::reach::{Cause, Verdict};
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL018",
    name: "image-cross-region",
    severity: Severity::Error,
    summary: "An ECR image is in another region and no cross-region endpoint for that region's ECR and S3 serves it",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::ImageCrossRegion { image, region } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let how = if group.flows.iter().all(|f| f.verdict == Verdict::Blocked) {
        "the subnets have no path to it"
    } else {
        "it is reached only through NAT"
    };
    Draft {
        message: format!(
            "{} pulls {image} from ECR in {region}; the local ECR endpoints do not serve another region, no cross-region endpoint serves {}, and {how}",
            group.first().workload,
            group.services_text()
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: Some(super::severity(group)),
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.2 (cross-region requests), Updates (cross-region PrivateLink for ECR and S3)
const DOCS: &str = r#"# image-cross-region (PL018)

## What it does
Finds private ECR images whose registry is in another region than the workload, when the VPC has no
cross-region PrivateLink endpoints for that region: `ecr.api`, `ecr.dkr` (interface endpoints named
for the other region, with `service_region` set) and S3 for that region (an S3 **interface** endpoint,
since gateway endpoints are same-region only).

## Why is this bad?
VPC endpoints of one region do not serve another region's registry: the pull goes to the public
endpoint of the other region and fails in an isolated subnet. Since cross-region PrivateLink (domain
notes, Updates) an interface endpoint can reach ECR and S3 in another region when its service region
says so.

## Example
```hcl
container_definitions = jsonencode([{
  name  = "app"
  image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1" # the task runs in ap-northeast-1
}])
```

```yaml
ContainerDefinitions:
  - Name: app
    Image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
```

## Use instead
Replicate the repository into the workload's region and pull from there:

```hcl
resource "aws_ecr_replication_configuration" "to_tokyo" {
  replication_configuration {
    rule {
      destination {
        region      = "ap-northeast-1"
        registry_id = "123456789012"
      }
    }
  }
}
```

```yaml
Replication:
  Type: AWS::ECR::ReplicationConfiguration
  Properties:
    ReplicationConfiguration:
      Rules:
        - Destinations: [{ Region: ap-northeast-1, RegistryId: "123456789012" }]
```

or add cross-region endpoints (`service_name = "com.amazonaws.us-west-2.ecr.dkr"`,
`service_region = "us-west-2"`, likewise `ecr.api` and `s3`).

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
"#;
