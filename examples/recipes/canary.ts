// Recipe: ECS-native canary deployment through Service Connect (docs/recipes.md).
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, DeploymentStrategy, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * A deployment of the api sends 10% of the clients' requests to the new revision for 10 minutes, then
 * the rest; the old revision keeps running for 30 minutes more. The circuit breaker rolls back a
 * revision whose tasks fail to start. Service Connect shifts the traffic: no load balancer is needed.
 */
export function canary(app: App): Stack {
  const stack = new Stack(app, 'ShopCanary');
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
    desiredCount: 4,
    deploymentStrategy: DeploymentStrategy.CANARY,
    canaryConfiguration: { canaryPercent: 10, canaryBakeTime: Duration.minutes(10) },
    bakeTime: Duration.minutes(30),
    circuitBreaker: { rollback: true },
  });
  new ClientService(stack, 'Web', { cluster, namespace, container: { image, logging }, connectsTo: [api] });
  return stack;
}
// recipe:end
