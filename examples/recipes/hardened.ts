// Recipe: hardened for the AWS Control Tower proactive controls (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Every log group kept a year and encrypted with a rotated KMS key of the app, containers that run as a
 * non-root user on a read-only root filesystem, and tasks that reach only the servers they call plus
 * the AWS endpoints a task needs, in private subnets without public IP addresses. `s3PrefixListId` is
 * the region's `com.amazonaws.<region>.s3` prefix list (image layers come from S3).
 */
export function hardened(app: App, s3PrefixListId: string): Stack {
  const stack = new Stack(app, 'ShopHardened');

  // One key for the logs: rotated, and grants only for AWS resources or by AWS services.
  const logKey = new kms.Key(stack, 'LogKey', { enableKeyRotation: true, description: 'Logs of the shop' });
  logKey.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  const retention = logs.RetentionDays.ONE_YEAR;

  // Private subnets only; ECR, ECS and CloudWatch Logs through VPC endpoints.
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs', { retention, encryptionKey: logKey })) });
  const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false, description: 'VPC endpoints of the shop' });
  const services = [
    ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    ec2.InterfaceVpcEndpointAwsService.ECS, ec2.InterfaceVpcEndpointAwsService.ECS_AGENT, ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY,
  ];
  for (const service of services) {
    vpc.addInterfaceEndpoint(service.shortName, { service, securityGroups: [endpoints], open: false });
  }
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repository', 'shop');

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    container: {
      image: ecs.ContainerImage.fromEcrRepository(repository, 'api-1.0'),
      user: '1000',
      readonlyRootFilesystem: true,
      portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
    },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
    proxyLogs: { retention, encryptionKey: logKey },
    containerLogs: { retention, encryptionKey: logKey },
    allowAllOutbound: false,
  });
  const web = new ClientService(stack, 'Web', {
    cluster,
    namespace,
    container: { image: ecs.ContainerImage.fromEcrRepository(repository, 'web-1.0'), user: '1000', readonlyRootFilesystem: true },
    connectsTo: [api],
    proxyLogs: { retention, encryptionKey: logKey },
    containerLogs: { retention, encryptionKey: logKey },
    allowAllOutbound: false,
  });

  // Besides the servers they call (the library's rules), the tasks reach the AWS endpoints and S3 only.
  for (const connections of [api.connections, web.connections]) {
    connections.allowTo(endpoints, ec2.Port.tcp(443), 'ECR, ECS and CloudWatch Logs through VPC endpoints');
    connections.allowTo(ec2.Peer.prefixList(s3PrefixListId), ec2.Port.tcp(443), 'Image layers from S3');
  }
  return stack;
}
// recipe:end
