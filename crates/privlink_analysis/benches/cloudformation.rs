//! How long `privlink check` takes on an organisation written in CloudFormation: 50 network stacks
//! (a VPC, three app subnets and three endpoint subnets across AZs, eight interface endpoints and an
//! S3 gateway endpoint, everything exported) and 50 application stacks that import them (an ECS
//! service each): 100 templates evaluated together, every import linked to its export. Measures
//! loading (parsing, evaluation, lowering) and analysis separately.
//!
//! Run with `cargo bench -p privlink_analysis --bench cloudformation`.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use privlink_analysis::{Options, analyze};
use privlink_ingest::{LoadOptions, load};

const STACKS: usize = 50;
const SERVICES: [&str; 8] = [
    "ecr.api",
    "ecr.dkr",
    "logs",
    "secretsmanager",
    "ssm",
    "sts",
    "kms",
    "ssmmessages",
];

fn network(i: usize) -> String {
    let mut t = format!(
        "Parameters:\n  Env: {{Type: String, Default: net{i}}}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {{CidrBlock: 10.{i}.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true}}\n  Routes:\n    Type: AWS::EC2::RouteTable\n    Properties: {{VpcId: !Ref Vpc}}\n  EndpointSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: endpoints\n      VpcId: !Ref Vpc\n      SecurityGroupIngress: [{{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !GetAtt Vpc.CidrBlock}}]\n  S3:\n    Type: AWS::EC2::VPCEndpoint\n    Properties: {{VpcId: !Ref Vpc, ServiceName: !Sub 'com.amazonaws.${{AWS::Region}}.s3', RouteTableIds: [!Ref Routes]}}\n"
    );
    for (kind, offset) in [("App", 0), ("Endpoint", 10)] {
        for (z, zone) in ["a", "c", "d"].iter().enumerate() {
            let _ = write!(
                t,
                "  {kind}{zone}:\n    Type: AWS::EC2::Subnet\n    Properties: {{VpcId: !Ref Vpc, CidrBlock: !Select [{}, !Cidr [!GetAtt Vpc.CidrBlock, 16, 8]], AvailabilityZone: !Sub '${{AWS::Region}}{zone}'}}\n  {kind}{zone}Routes:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: {{SubnetId: !Ref {kind}{zone}, RouteTableId: !Ref Routes}}\n",
                z + offset
            );
        }
    }
    for (s, service) in SERVICES.iter().enumerate() {
        let _ = write!(
            t,
            "  Endpoint{s}:\n    Type: AWS::EC2::VPCEndpoint\n    Properties: {{VpcId: !Ref Vpc, ServiceName: !Sub 'com.amazonaws.${{AWS::Region}}.{service}', VpcEndpointType: Interface, PrivateDnsEnabled: true, SubnetIds: [!Ref Endpointa, !Ref Endpointc, !Ref Endpointd], SecurityGroupIds: [!Ref EndpointSg]}}\n"
        );
    }
    t.push_str("Outputs:\n");
    for name in ["Vpc", "Appa", "Appc", "Appd"] {
        let _ = writeln!(
            t,
            "  {name}: {{Value: !Ref {name}, Export: {{Name: !Sub '${{Env}}-{name}'}}}}"
        );
    }
    t
}

fn application(i: usize) -> String {
    format!(
        "Resources:\n  Sg{i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {{GroupDescription: app, VpcId: !ImportValue net{i}-Vpc}}\n  Task{i}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub '123456789012.dkr.ecr.${{AWS::Region}}.amazonaws.com/app{i}:1'\n          LogConfiguration: {{LogDriver: awslogs}}\n          Secrets: [{{Name: DB, ValueFrom: !Sub 'arn:aws:secretsmanager:${{AWS::Region}}:123456789012:secret:db{i}'}}]\n  Service{i}:\n    Type: AWS::ECS::Service\n    Properties:\n      LaunchType: FARGATE\n      TaskDefinition: !Ref Task{i}\n      NetworkConfiguration:\n        AwsvpcConfiguration:\n          Subnets: [!ImportValue net{i}-Appa, !ImportValue net{i}-Appc, !ImportValue net{i}-Appd]\n          SecurityGroups: [!Ref Sg{i}]\n"
    )
}

fn write_organisation(dir: &Path) {
    for i in 0..STACKS {
        std::fs::write(dir.join(format!("network{i}.yaml")), network(i)).expect("write");
        std::fs::write(dir.join(format!("app{i}.yaml")), application(i)).expect("write");
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_organisation(dir.path());
    let paths = [dir.path().to_path_buf()];
    let options = LoadOptions {
        region: Some("ap-northeast-1".to_owned()),
        ..LoadOptions::default()
    };
    let loaded = load(&paths, &options);
    assert!(
        loaded.inputs.iter().all(|i| i.errors.is_empty()),
        "{:?}",
        loaded.inputs
    );
    assert_eq!(loaded.model.workloads.len(), STACKS);
    let analysis = analyze(&loaded.model, &Options::default());
    assert_eq!(
        analysis.flows.len(),
        STACKS * 3 * 5,
        "three subnets × ecr.api, ecr.dkr, s3, logs, secretsmanager"
    );
    c.bench_function("cloudformation_load_100_templates", |b| {
        b.iter(|| load(&paths, &options));
    });
    c.bench_function("cloudformation_analyze_50_vpcs", |b| {
        b.iter(|| analyze(&loaded.model, &Options::default()));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
