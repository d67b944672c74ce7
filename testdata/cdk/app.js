// Networks synthesized by the real AWS CDK for privlink's tests. Each stack is one situation the
// tests check: `node app.js OUTDIR` writes the cloud assembly (run `./regenerate` to refresh the
// committed `cdk.out/`).
'use strict';

const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');
const eks = require('aws-cdk-lib/aws-eks');
const lambda = require('aws-cdk-lib/aws-lambda');

const REGION = 'ap-northeast-1';
const ACCOUNT = '123456789012';

/** An isolated VPC (no NAT, no internet gateway) in two AZs. */
function isolatedVpc(scope) {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

/** A Fargate service pulling from ECR and logging with awslogs, with the endpoints it needs. */
class IsolatedFargateStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = isolatedVpc(this);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addInterfaceEndpoint('EcrApi', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
    vpc.addInterfaceEndpoint('EcrDkr', { service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER });
    if (props.withLogsEndpoint) {
      vpc.addInterfaceEndpoint('Logs', { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS });
    }
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repo', 'app');
    task.addContainer('app', {
      image: ecs.ContainerImage.fromEcrRepository(repository, '1.0.0'),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
    });
    new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      platformVersion: ecs.FargatePlatformVersion.VERSION1_4,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
  }
}

/** An EKS cluster with a managed node group in isolated subnets and the endpoints nodes need. */
class EksNodegroupStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = isolatedVpc(this);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const [name, service] of [
      ['Ec2', ec2.InterfaceVpcEndpointAwsService.EC2],
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
    ]) {
      vpc.addInterfaceEndpoint(name, { service });
    }
    const cluster = new eks.Cluster(this, 'Cluster', {
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      version: eks.KubernetesVersion.V1_31,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      defaultCapacity: 0,
      kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(
        this, 'KubectlLayer', `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:kubectl:1`),
    });
    cluster.addNodegroupCapacity('Nodes', {
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      instanceTypes: [new ec2.InstanceType('m5.large')],
      minSize: 2,
    });
  }
}

module.exports = { IsolatedFargateStack };
if (require.main !== module) {
  return;
}

const outdir = process.argv[2] || 'cdk.out';
const app = new cdk.App({
  outdir,
  // What `cdk.context.json` would hold after the CLI's lookup, so synthesis needs no account.
  context: {
    [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: [`${REGION}a`, `${REGION}c`, `${REGION}d`],
  },
});
// Region only: environment-agnostic in the account, so AZs come from Fn::GetAZs.
new IsolatedFargateStack(app, 'IsolatedFargate', { env: { region: REGION }, withLogsEndpoint: true });
new IsolatedFargateStack(app, 'IsolatedFargateNoLogs', { env: { region: REGION }, withLogsEndpoint: false });
// Account and region: AZs are literal names from the context above.
new EksNodegroupStack(app, 'EksNodegroup', { env: { account: ACCOUNT, region: REGION } });
app.synth();
