// Recipe: a Lambda function in the VPC calls a Service Connect server (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * A Lambda function has no Service Connect proxy, so `orders:80` does not resolve for it. It asks Cloud Map
 * for the tasks ECS registered under the endpoint's discovery name (DiscoverInstances, by namespace name and
 * discovery name) and calls one of them on the address and port registered there: the proxy's listen port.
 * `allowFrom` lets the function's security group reach that port, and the topology artifact shows the caller.
 */
export function lambdaCaller(app: App): Stack {
  const stack = new Stack(app, 'ShopLambdaCaller');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const orders = new ClientServerService(stack, 'Orders', {
    cluster,
    namespace,
    container: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }),
      portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
    },
    endpoints: [{ portMappingName: 'http', discoveryName: 'orders', dnsName: 'orders', port: 80 }],
  });

  const caller = new lambda.Function(stack, 'Caller', {
    runtime: lambda.determineLatestNodeRuntime(stack),
    handler: 'index.handler',
    vpc,
    logGroup: new logs.LogGroup(stack, 'CallerLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    environment: { NAMESPACE_NAME: namespace.namespaceName, SERVICE_NAME: 'orders' },
    code: lambda.Code.fromInline([
      "const { ServiceDiscoveryClient, DiscoverInstancesCommand } = require('@aws-sdk/client-servicediscovery');",
      'const cloudMap = new ServiceDiscoveryClient({});',
      'exports.handler = async () => {',
      '  const { Instances = [] } = await cloudMap.send(new DiscoverInstancesCommand({',
      "    NamespaceName: process.env.NAMESPACE_NAME, ServiceName: process.env.SERVICE_NAME, HealthStatus: 'HEALTHY_OR_ELSE_ALL',",
      '  }));',
      "  if (Instances.length === 0) throw new Error('no task of ' + process.env.SERVICE_NAME + ' is registered');",
      '  const { AWS_INSTANCE_IPV4: ip, AWS_INSTANCE_PORT: port } = Instances[Math.floor(Math.random() * Instances.length)].Attributes;',
      "  const response = await fetch('http://' + ip + ':' + port + '/');",
      '  return { status: response.status };',
      '};',
    ].join('\n')),
  });
  // DiscoverInstances is allowed for this namespace and the endpoint's discovery name only: the conditions
  // narrow it (the action has long taken them; a namespace ARN as its resource is newer).
  caller.addToRolePolicy(new iam.PolicyStatement({
    actions: ['servicediscovery:DiscoverInstances'],
    resources: ['*'],
    conditions: { StringEquals: { 'servicediscovery:NamespaceName': namespace.namespaceName, 'servicediscovery:ServiceName': 'orders' } },
  }));
  // The function's security group may reach the orders endpoint's proxy listen port (8080), nothing else.
  orders.allowFrom(caller, { discoveryName: 'orders' });
  return stack;
}
// recipe:end
