// Recipe: ECS-native blue/green deployment with Service Connect test traffic (docs/recipes.md).
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ClientServerService, ClientService, DeploymentLifecycleStage, DeploymentStrategy, ServiceConnectNamespace,
} from '../../src';

// recipe:start
/**
 * A deployment of the api starts the new revision (green) next to the current one (blue). Requests
 * with `x-shop-test: green` go to green; a smoke-test function runs once they can, and rolls the
 * deployment back if it fails. Then all traffic moves to green, and blue keeps running for the bake
 * time, ready for a rollback. Clients change nothing: their proxies route by the header.
 */
export function blueGreen(app: App): Stack {
  const stack = new Stack(app, 'ShopBlueGreen');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');
  const logging = ecs.LogDrivers.awsLogs({ streamPrefix: 'app' });
  const smokeTests = lambda.Function.fromFunctionName(stack, 'SmokeTests', 'shop-smoke-tests');

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    // header-based test traffic needs an HTTP, HTTP/2 or gRPC port mapping
    container: { image, logging, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80, testTrafficHeader: { name: 'x-shop-test', value: 'green' } }],
    deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
    bakeTime: Duration.minutes(15), // required for blue/green
    lifecycleHooks: [{ lambdaFunction: smokeTests, stages: [DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] }],
  });
  new ClientService(stack, 'Web', { cluster, namespace, container: { image, logging }, connectsTo: [api] });
  return stack;
}
// recipe:end
