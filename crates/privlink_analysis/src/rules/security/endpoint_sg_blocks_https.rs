//! `endpoint-sg-blocks-https`: no security group of the endpoint admits HTTPS from the workload.

use privlink_model::Severity;

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck, join_and};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL008",
    name: "endpoint-sg-blocks-https",
    severity: Severity::Error,
    summary: "No security group of the endpoint admits TCP 443 from the workload (including the silent VPC default group)",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::EndpointSgBlocksHttps {
        endpoint,
        default_group,
    } = &group.cause.cause
    else {
        unreachable!("this rule reports only its own cause");
    };
    let endpoints: Vec<String> = group
        .flows
        .iter()
        .filter_map(|f| f.via.as_ref().map(ToString::to_string))
        .fold(Vec::new(), |mut acc, e| {
            if !acc.contains(&e) {
                acc.push(e);
            }
            acc
        });
    let message = if *default_group {
        format!(
            "{endpoint} has no security group, so AWS attaches the VPC default group, which admits only its own members: {} cannot reach {} on tcp/443",
            group.first().workload,
            group.services_text()
        )
    } else {
        format!(
            "{} does not admit tcp/443 from {} ({}), so {} {} unreachable even though private DNS points at {}",
            group.cause.resource,
            group.first().workload,
            join_and(&group.subnets),
            group.services_text(),
            if group.services.len() == 1 {
                "is"
            } else {
                "are"
            },
            join_and(&endpoints)
        )
    };
    Draft {
        message,
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §4.2 ("Endpoint SG must allow inbound 443"), §5.1 (default security group; the VPC-wide blackhole)
const DOCS: &str = r#"# endpoint-sg-blocks-https (PL008)

## What it does
Finds interface endpoints whose security groups do not admit TCP 443 from the workload's subnet
addresses or security groups. An endpoint created without security groups gets the **VPC default
security group**, which admits traffic only from its own members: that case is reported too.

## Why is this bad?
With private DNS on, the endpoint captures the service name for the whole VPC. If its security group
drops the workload's connections, the service is unreachable, **even when a NAT gateway exists**: the
name no longer resolves to the public endpoint. An EKS node then reports
`dial tcp <endpoint-ip>:443: i/o timeout` on every pull; an endpoint for STS whose group blocks the
nodes breaks aws-node (VPC CNI) VPC-wide.

## Example
```hcl
resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.ap-northeast-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_a.id]
  # no security_group_ids: the VPC default group is attached
}
```

```yaml
EndpointSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: endpoints
    VpcId: !Ref Vpc
    SecurityGroupIngress:
      - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/16 }
```

## Use instead
```hcl
resource "aws_security_group" "endpoint" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
```

```yaml
SecurityGroupIngress:
  - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }
```

## References
- https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
"#;
