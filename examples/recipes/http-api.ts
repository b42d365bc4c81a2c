// Recipe: an API Gateway HTTP API in front of a Service Connect server (docs/recipes.md).
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * The HTTP API sends every request, through a VPC link, to the tasks ECS registered in the `orders`
 * endpoint's Cloud Map service. The library looks that service up at deploy time (CloudFormation does not
 * return it), creates the VPC link with a security group of its own, and lets that group reach the server's
 * proxy listen port (8080), nothing else. Service Connect clients in the namespace call `orders:80` as usual.
 */
export function httpApi(app: App): Stack {
  const stack = new Stack(app, 'ShopHttpApi');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');
  const logging = ecs.LogDrivers.awsLogs({ streamPrefix: 'app' });

  const orders = new ClientServerService(stack, 'Orders', {
    cluster,
    namespace,
    container: { image, logging, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    endpoints: [{ portMappingName: 'http', discoveryName: 'orders', dnsName: 'orders', port: 80 }],
  });
  new ClientService(stack, 'Web', { cluster, namespace, container: { image, logging }, connectsTo: [orders] });

  // Callers sign their requests (IAM authorization); each request is logged.
  const gateway = new apigwv2.HttpApi(stack, 'HttpApi', { defaultAuthorizer: new apigwv2Authorizers.HttpIamAuthorizer() });
  gateway.addRoutes({ path: '/{proxy+}', integration: orders.httpApiIntegration('Orders', { discoveryName: 'orders' }) });
  const accessLogs = new logs.LogGroup(stack, 'HttpApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
  const stage = gateway.defaultStage?.node.defaultChild as apigwv2.CfnStage;
  stage.accessLogSettings = {
    destinationArn: accessLogs.logGroupArn,
    format: JSON.stringify({ requestId: '$context.requestId', status: '$context.status', path: '$context.path', latency: '$context.integrationLatency' }),
  };
  new CfnOutput(stack, 'ApiUrl', { value: gateway.apiEndpoint });
  return stack;
}
// recipe:end
