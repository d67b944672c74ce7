// ECS services on EC2 container instances, synthesized by the real AWS CDK for privlink's tests:
// an Auto Scaling group behind a capacity provider, in isolated subnets, with and without the ecs,
// ecs-agent and ecs-telemetry endpoints the ECS agent needs. `node ecs-ec2.js OUTDIR` writes the
// cloud assembly (run `./regenerate` to refresh the committed `ecs-ec2.out/`).
'use strict';

const cdk = require('aws-cdk-lib');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');

const REGION = 'ap-northeast-1';

/** A `bridge`-mode service on container instances of an Auto Scaling group in isolated subnets. */
class EcsOnEc2Stack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'instances', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const services = [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
    ];
    if (props.withAgentEndpoints) {
      services.push(
        ['Ecs', ec2.InterfaceVpcEndpointAwsService.ECS],
        ['EcsAgent', ec2.InterfaceVpcEndpointAwsService.ECS_AGENT],
        ['EcsTelemetry', ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY],
      );
    }
    for (const [name, service] of services) {
      vpc.addInterfaceEndpoint(name, { service });
    }
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const group = new autoscaling.AutoScalingGroup(this, 'Instances', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      instanceType: new ec2.InstanceType('t3.medium'),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
      minCapacity: 1,
      maxCapacity: 2,
    });
    const provider = new ecs.AsgCapacityProvider(this, 'Capacity', { autoScalingGroup: group });
    cluster.addAsgCapacityProvider(provider);
    const task = new ecs.Ec2TaskDefinition(this, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repo', 'app');
    task.addContainer('app', {
      image: ecs.ContainerImage.fromEcrRepository(repository, '1.0.0'),
      memoryLimitMiB: 512,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
    });
    new ecs.Ec2Service(this, 'Service', {
      cluster,
      taskDefinition: task,
      capacityProviderStrategies: [{ capacityProvider: provider.capacityProviderName, weight: 1 }],
    });
  }
}

const app = new cdk.App({ outdir: process.argv[2] || 'ecs-ec2.out' });
new EcsOnEc2Stack(app, 'EcsOnEc2', { env: { region: REGION }, withAgentEndpoints: true });
new EcsOnEc2Stack(app, 'EcsOnEc2NoAgentEndpoints', { env: { region: REGION }, withAgentEndpoints: false });
app.synth();
