//! `eks-private-endpoint-disabled`: nodes without internet while the cluster's private endpoint is off.

use privlink_model::{FixIntent, Known, RouteDestination, RouteTarget, Severity};

use crate::finding::{Applicability, Finding, Fix};
use crate::rules::wording::{attribute, language_of, setting};
use crate::rules::{Context, Rule, RuleCheck, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL019",
    name: "eks-private-endpoint-disabled",
    severity: Severity::Error,
    summary: "EKS nodes have no internet path while the cluster's private API endpoint is off",
    docs: DOCS,
    check: RuleCheck::Findings(check),
};

/// Whether a subnet's route table sends 0.0.0.0/0 to NAT, a NAT instance or an internet gateway.
fn has_way_out(ctx: &Context<'_>, subnet: &privlink_model::ResourceId) -> Option<bool> {
    let table = ctx.network.route_table(subnet).value().cloned()?;
    let rt = ctx.model.route_tables.get(&table.route_table)?;
    let out = rt.routes.iter().any(|r| {
        matches!(r.destination, RouteDestination::Ipv4(n) if n.prefix_len() == 0)
            && matches!(
                r.target,
                RouteTarget::NatGateway(_)
                    | RouteTarget::InternetGateway(_)
                    | RouteTarget::NetworkInterface(_)
                    | RouteTarget::Instance(_)
            )
    });
    if out || rt.routes.is_complete() {
        Some(out)
    } else {
        None
    }
}

fn check(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for w in ctx.workloads.iter().filter(|w| w.kind.is_eks()) {
        let Some(cluster) = w
            .cluster
            .as_ref()
            .and_then(|c| ctx.model.eks_clusters.get(c))
        else {
            continue;
        };
        if cluster.endpoint_private_access != Known::Value(false) {
            continue;
        }
        let public = cluster.endpoint_public_access != Known::Value(false);
        let isolated: Vec<String> = w
            .subnets
            .iter()
            .filter(|s| ctx.endpoints_only || !public || has_way_out(ctx, s) == Some(false))
            .map(ToString::to_string)
            .collect();
        if isolated.is_empty() {
            continue;
        }
        let why = if public {
            "its public endpoint needs internet access, which these subnets do not have"
        } else {
            "its public endpoint is off too"
        };
        let lang = language_of(ctx, &cluster.id);
        out.push(Finding {
            rule: RULE.name,
            code: RULE.code,
            severity: RULE.severity,
            message: format!("{} has {} off, so nodes of {} in {} cannot reach the Kubernetes API: {why}", cluster.id, attribute(lang, "endpoint_private_access"), w.name, join_and(&isolated)),
            workload: Some(w.name.clone()),
            service: Some("eks".to_owned()),
            services: Vec::new(),
            resource: Some(cluster.id.to_string()),
            location: cluster.provenance.location.clone(),
            subnets: isolated,
            predicted_error: Some("NodeCreationFailure: Your launched instances are unable to register with your Amazon EKS cluster. Common causes for this failure are insufficient node IAM role permissions or lack of outbound internet access for the nodes.".to_owned()),
            fix: Some(Fix {
                summary: format!("set {} in the {} of {}", setting(lang, "endpoint_private_access", "true"), attribute(lang, "vpc_config"), cluster.id),
                applicability: Applicability::Manual,
                intents: vec![FixIntent::Manual { description: format!("enable private API access on {}", cluster.id) }],
            }),
        });
    }
    out
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §3.1 (cluster endpoint private access; DNS attributes), §6 (NodeCreationFailure)
const DOCS: &str = r#"# eks-private-endpoint-disabled (PL019)

## What it does
Finds EKS node groups and Fargate profiles whose subnets have no way to the internet while their
cluster's private API endpoint is off (`endpoint_private_access` defaults to false in Terraform and
CloudFormation).

## Why is this bad?
Nodes register with the Kubernetes API server. Without private access the API is reachable only
through its public endpoint, over the internet; nodes in isolated subnets never join, and the node
group fails after 15 minutes with `NodeCreationFailure`. The EKS guide for private clusters lists
private access as a requirement (with VPC DNS support and hostnames on).

## Example
```hcl
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.cluster.arn
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
    # endpoint_private_access defaults to false
  }
}
```

```yaml
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetC]
      EndpointPrivateAccess: false
```

## Use instead
```hcl
  vpc_config {
    subnet_ids              = aws_subnet.private[*].id
    endpoint_private_access = true
    endpoint_public_access  = false
  }
```

```yaml
    ResourcesVpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetC]
      EndpointPrivateAccess: true
```

## References
- https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
- https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
"#;
