//! `nacl-blocks-traffic`: a network ACL drops the request or the stateless reply.

use privlink_model::{Direction, Severity};

use crate::reach::Cause;
use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL010",
    name: "nacl-blocks-traffic",
    severity: Severity::Error,
    summary: "A network ACL drops the request to the service or the reply (NACLs are stateless)",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    let Cause::NaclBlocksTraffic { direction, subnet } = &group.cause.cause else {
        unreachable!("this rule reports only its own cause");
    };
    let way = match direction {
        Direction::Egress => "outbound",
        Direction::Ingress => "inbound",
    };
    Draft {
        message: format!(
            "{} cannot reach {}: {} ({way} at {subnet})",
            group.first().workload,
            group.services_text(),
            group.cause.detail
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §5.3 (stateless; ephemeral ranges; what endpoints need)
const DOCS: &str = r#"# nacl-blocks-traffic (PL010)

## What it does
Evaluates the network ACLs on every flow, in rule-number order, for the exact address and port
ranges involved: the workload subnet's outbound TCP 443 and inbound reply (the client's ephemeral
ports, 32768-60999 on Linux), and, when the endpoint's interfaces are in another subnet, that subnet's
inbound 443 and outbound reply. Subnets without an explicit association use the VPC's default ACL.

## Why is this bad?
Network ACLs are stateless: allowing the request does not allow the reply. A NACL that allows only
inbound 443 (a common copy of a "web tier" ACL) drops every reply from the endpoints, and the task
times out exactly as if the endpoint were missing. A DENY with a lower rule number than the ALLOW wins.

## Example
```hcl
resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app_a.id]
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/16"
    from_port  = 443
    to_port    = 443
  }
  # no ingress rule for the replies
}
```

```yaml
PrivateNaclEgress:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref PrivateNacl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    Egress: true
    CidrBlock: 10.0.0.0/16
    PortRange: { From: 443, To: 443 }
# no ingress entry for ports 1024-65535
```

## Use instead
```hcl
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }
```

```yaml
PrivateNaclIngressReplies:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref PrivateNacl
    RuleNumber: 100
    Protocol: 6
    RuleAction: allow
    Egress: false
    CidrBlock: 10.0.0.0/16
    PortRange: { From: 1024, To: 65535 }
```

## References
- https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
"#;
