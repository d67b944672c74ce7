//! `efs-mount-target-unreachable`: no EFS mount target is reachable over NFS.

use privlink_model::Severity;

use crate::rules::fixes::fix_for;
use crate::rules::{Context, Draft, FlowGroup, Rule, RuleCheck};

/// The rule.
pub(crate) static RULE: Rule = Rule {
    code: "PL021",
    name: "efs-mount-target-unreachable",
    severity: Severity::Error,
    summary: "An EFS volume has no mount target the workload reaches on TCP 2049 in its AZ",
    docs: DOCS,
    check: RuleCheck::Flows(check),
};

fn check(ctx: &Context<'_>, group: &FlowGroup<'_>) -> Draft {
    Draft {
        message: format!(
            "{} mounts an EFS volume but {}",
            group.first().workload,
            group.cause.detail
        ),
        fix: Some(fix_for(ctx, group, &group.cause.cause)),
        severity: None,
    }
}

// The AWS facts behind this rule (shared/domain/aws-requirements.md, not shown to users):
// privlink domain notes §1.2 (EFS volumes), §6 (EFS error strings)
const DOCS: &str = r#"# efs-mount-target-unreachable (PL021)

## What it does
For workloads with EFS volumes, checks that the file system has a mount target in each workload
subnet's AZ, that its name resolves (VPC DNS support and hostnames on), and that NFS (TCP 2049) passes
the workload's security group egress, the mount target's security group ingress and the network ACLs
both ways. EFS needs no VPC endpoint.

## Why is this bad?
The task stops before it starts:

```text
ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-xxxx.efs.<region>.amazonaws.com" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.
```

or, when NFS is filtered, with a `mount.nfs4: Connection timed out` error.

## Example
```hcl
resource "aws_efs_mount_target" "a" {
  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = aws_subnet.app_a.id
  security_groups = [aws_security_group.efs.id] # admits nothing on 2049
}
# no mount target in the AZ of aws_subnet.app_c
```

```yaml
MountTargetA:
  Type: AWS::EFS::MountTarget
  Properties:
    FileSystemId: !Ref FileSystem
    SubnetId: !Ref AppSubnetA
    SecurityGroups: [!Ref EfsSecurityGroup]
```

## Use instead
```hcl
resource "aws_efs_mount_target" "each" {
  for_each        = aws_subnet.app
  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = each.value.id
  security_groups = [aws_security_group.efs.id] # ingress tcp/2049 from the app security group
}
```

```yaml
EfsSecurityGroupIngress:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref EfsSecurityGroup
    IpProtocol: tcp
    FromPort: 2049
    ToPort: 2049
    SourceSecurityGroupId: !Ref AppSecurityGroup
```

## References
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html
"#;
