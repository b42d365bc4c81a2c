// Recipe: access logs of the Service Connect proxy, in JSON (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AccessLogFormat, ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Every request through the proxies is logged as one JSON object, next to the proxies' own logs in
 * the log group of `proxyLogs` (access logs need it on). Query parameters stay out of the logs: they
 * can carry tokens.
 */
export function accessLogs(app: App): Stack {
  const stack = new Stack(app, 'ShopAccessLogs');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');
  const logging = ecs.LogDrivers.awsLogs({ streamPrefix: 'app' });

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    container: { image, logging, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
    proxyLogs: { retention: logs.RetentionDays.THREE_MONTHS },
    accessLogs: { format: AccessLogFormat.JSON, includeQueryParameters: false },
  });
  // The client's proxy logs the calls it makes, with the upstream host that answered.
  new ClientService(stack, 'Web', {
    cluster, namespace, container: { image, logging }, connectsTo: [api], accessLogs: { format: AccessLogFormat.JSON },
  });
  return stack;
}
// recipe:end
