//! `image-not-in-ecr`: an image comes from a registry no VPC endpoint serves.

use privlink_model::Severity;

use crate::reach::{Cause, Verdict};
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL017",
    name: "image-not-in-ecr",
    severity: Severity::Error,
    summary: "An image comes from Docker Hub, ECR Public, GHCR, Quay or another registry no endpoint serves",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::ImageNotInEcr { image } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let source = crate::images::classify(image);
    let how = if group.flows.iter().all(|f| f.verdict == Verdict::Blocked) {
        "and the subnets have no path to it, so the pull fails"
    } else {
        "which it reaches only through NAT: the pull fails once NAT is gone"
    };
    Draft {
        message: format!(
            "{} pulls {image} from {source}, which no VPC endpoint serves, {how}",
            group.first().workload
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: Some(super::severity(group)),
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.3 (ECR Public), §4.4 (pull-through cache upstreams and URI syntax)
const DOCS: &str = r#"# image-not-in-ecr (PL017)

## What it does
Classifies every container image: private ECR in the workload's region, ECR in another region
(`image-cross-region`), ECR Public (`public.ecr.aws`), Docker Hub (including bare names such as
`nginx:1.27` and `bitnami/redis`), GitHub Container Registry, Quay, `registry.k8s.io`, GitLab, Azure,
or another registry. VPC endpoints serve only private ECR, so any other image needs a path to the
internet. The finding is an error when there is none (or with `--endpoints-only`) and a warning when
the pull works today only through NAT. Images known only after apply are not judged.

## Why is this bad?
An isolated subnet cannot reach Docker Hub: the task stops with
`CannotPullContainerError: ... dial tcp ...:443: i/o timeout`. ECR Public is not served by VPC
endpoints either (only its API in us-east-1).

## Example
```hcl
container_definitions = jsonencode([{
  name  = "web"
  image = "nginx:1.27"
}])
```

```yaml
ContainerDefinitions:
  - Name: web
    Image: public.ecr.aws/nginx/nginx:1.27
```

## Use instead
An ECR pull-through cache rule copies the upstream image into your private registry on first use
(Docker Hub, GHCR, GitLab and Azure need a Secrets Manager secret named `ecr-pullthroughcache/...`;
ECR Public, Quay and `registry.k8s.io` need none):

```hcl
resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
  ecr_repository_prefix = "docker-hub"
  upstream_registry_url = "registry-1.docker.io"
  credential_arn        = aws_secretsmanager_secret.docker_hub.arn # ecr-pullthroughcache/docker-hub
}
# image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/docker-hub/library/nginx:1.27"
```

```yaml
PullThroughCache:
  Type: AWS::ECR::PullThroughCacheRule
  Properties:
    EcrRepositoryPrefix: ecr-public
    UpstreamRegistryUrl: public.ecr.aws
# Image: !Sub ${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/ecr-public/nginx/nginx:1.27
```

The first pull of a tag through the cache may still need a NAT path (ECR documentation); later pulls
do not.

## References
- https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
"#;
