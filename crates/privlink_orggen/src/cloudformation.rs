//! The CloudFormation form: one YAML template per VPC (`vpc-NNNN.yaml`), each a whole stack with
//! the VPC, its endpoints and its ECS service. Service names use `${AWS::Region}`, so privlink is
//! run with `--region` (or the stacks are deployed) to resolve them.

use std::fmt::Write as _;
use std::path::Path;

use crate::{ACCOUNT, AZS, VpcSpec};

/// Writes one template per VPC into `dir` (created if needed).
///
/// # Errors
/// When a file cannot be written.
pub fn write(dir: &Path, org: &[VpcSpec]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for vpc in org {
        std::fs::write(
            dir.join(format!("vpc-{:04}.yaml", vpc.index)),
            template(vpc),
        )?;
    }
    Ok(())
}

/// `CamelCase` logical-ID stem of an interface service (`ecr.api` → `EcrApi`).
fn stem(service: &str) -> String {
    service
        .split(['.', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The template of one VPC.
fn template(vpc: &VpcSpec) -> String {
    let mut t = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: {name}, one VPC of the generated organisation\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {cidr}\n      EnableDnsSupport: true\n      EnableDnsHostnames: {hostnames}\n      Tags:\n        - Key: Name\n          Value: {name}\n",
        name = vpc.name,
        cidr = vpc.cidr,
        hostnames = vpc.dns_hostnames(),
    );
    for k in 0..6 {
        let _ = write!(
            t,
            "  AppSubnet{k}:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: {}\n      AvailabilityZone: {}\n",
            vpc.subnet_cidr(k),
            AZS[k % 3]
        );
        let _ = write!(
            t,
            "  AppSubnet{k}RouteTableAssociation:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:\n      SubnetId: !Ref AppSubnet{k}\n      RouteTableId: !Ref AppRouteTable{}\n",
            k % 3
        );
    }
    for (k, az) in AZS.iter().enumerate() {
        let _ = write!(
            t,
            "  AppRouteTable{k}:\n    Type: AWS::EC2::RouteTable\n    Properties:\n      VpcId: !Ref Vpc\n"
        );
        let _ = write!(
            t,
            "  EndpointSubnet{k}:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: {}\n      AvailabilityZone: {az}\n",
            vpc.subnet_cidr(k + 8),
        );
        let _ = write!(
            t,
            "  EndpointSubnet{k}RouteTableAssociation:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties:\n      SubnetId: !Ref EndpointSubnet{k}\n      RouteTableId: !Ref EndpointRouteTable\n"
        );
    }
    let _ = write!(
        t,
        "  EndpointRouteTable:\n    Type: AWS::EC2::RouteTable\n    Properties:\n      VpcId: !Ref Vpc\n"
    );
    let _ = write!(
        t,
        "  EndpointSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: HTTPS from the VPC to the interface endpoints\n      VpcId: !Ref Vpc\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: {port}\n          ToPort: {port}\n          CidrIp: !GetAtt Vpc.CidrBlock\n",
        port = vpc.endpoint_ingress_port()
    );
    let _ = write!(
        t,
        "  AppSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: The ECS service\n      VpcId: !Ref Vpc\n      SecurityGroupEgress:\n        - IpProtocol: tcp\n          FromPort: {port}\n          ToPort: {port}\n          CidrIp: 0.0.0.0/0\n",
        port = vpc.workload_egress_port()
    );
    for service in vpc.interface_services() {
        let _ = write!(
            t,
            "  {stem}Endpoint:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      ServiceName: !Sub com.amazonaws.${{AWS::Region}}.{service}\n      VpcEndpointType: Interface\n      VpcId: !Ref Vpc\n      PrivateDnsEnabled: {dns}\n      SubnetIds:\n        - !Ref EndpointSubnet0\n        - !Ref EndpointSubnet1\n        - !Ref EndpointSubnet2\n      SecurityGroupIds:\n        - !Ref EndpointSecurityGroup\n",
            stem = stem(service),
            dns = vpc.private_dns(service),
        );
    }
    let tables = if vpc.s3_gateway_misplaced() {
        "        - !Ref EndpointRouteTable\n".to_owned()
    } else {
        (0..3)
            .map(|k| format!("        - !Ref AppRouteTable{k}\n"))
            .collect()
    };
    let _ = write!(
        t,
        "  S3GatewayEndpoint:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      ServiceName: !Sub com.amazonaws.${{AWS::Region}}.s3\n      VpcEndpointType: Gateway\n      VpcId: !Ref Vpc\n      RouteTableIds:\n{tables}"
    );
    let _ = write!(
        t,
        r#"  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: {name}
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: {name}
      RequiresCompatibilities:
        - FARGATE
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ExecutionRoleArn: !Sub arn:aws:iam::${{AWS::AccountId}}:role/ecsTaskExecutionRole
      ContainerDefinitions:
        - Name: app
          Image: !Sub {account}.dkr.ecr.${{AWS::Region}}.amazonaws.com/{name}:1
          Essential: true
          Secrets:
            - Name: DB_PASSWORD
              ValueFrom: !Sub arn:aws:secretsmanager:${{AWS::Region}}:{account}:secret:{name}-db
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: /ecs/{name}
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix: app
  Service:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: {name}
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDefinition
      DesiredCount: 2
      LaunchType: FARGATE
      PlatformVersion: 1.4.0
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: DISABLED
          SecurityGroups:
            - !Ref AppSecurityGroup
          Subnets:
"#,
        name = vpc.name,
        account = ACCOUNT,
    );
    for k in 0..6 {
        let _ = writeln!(t, "            - !Ref AppSubnet{k}");
    }
    t
}
