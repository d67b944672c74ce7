//! `workload-sg-blocks-https`: the workload's security groups do not allow HTTPS out.

use privlink_model::{HttpsPeer, Severity};

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL009",
    name: "workload-sg-blocks-https",
    severity: Severity::Error,
    summary: "The workload's security groups have no egress for TCP 443 to the endpoint ENIs or the S3 prefix list",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::WorkloadSgBlocksHttps { to } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let target = match to {
        HttpsPeer::PrefixList(_) => "the S3 prefix list (image layers)".to_owned(),
        HttpsPeer::SecurityGroup(_) => format!(
            "the network interfaces of the {} endpoint",
            group.services_text()
        ),
        HttpsPeer::Cidr(c) => format!("{c} ({})", group.services_text()),
    };
    Draft {
        message: format!(
            "the security groups of {} ({}) do not allow egress tcp/443 to {target}",
            group.first().workload,
            group.cause.resource
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.2 ("SGs must allow egress to the S3 prefix-list id"), §6 (GuardBench fix)
const DOCS: &str = r#"# workload-sg-blocks-https (PL009)

## What it does
Finds workloads whose security groups do not allow outbound TCP 443 to where a required service is:
the interface endpoint's network interfaces (by CIDR or by the endpoint's security group), the S3
prefix list for image layers through the gateway endpoint, or public addresses through NAT.

Terraform removes the default allow-all egress rule from every `aws_security_group` it creates, so a
group written without `egress` blocks allows nothing out.

## Why is this bad?
Security groups are checked on the way out too. A group whose egress allows only the VPC CIDR reaches
interface endpoints but not the S3 gateway endpoint: S3 addresses are public, and layer downloads time
out (`CannotPullContainerError: ... starport-layer-bucket ...`). Two egress paths are
enough for EKS nodes or ECS tasks that pull from ECR: the endpoint security group and the S3
gateway's prefix list.

## Example
```hcl
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block] # S3 is not in the VPC
  }
}
```

```yaml
AppSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc
    SecurityGroupEgress:
      - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }
```

## Use instead
```hcl
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
```

```yaml
      - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-61a54008 }
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
"#;
