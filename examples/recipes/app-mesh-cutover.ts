// Recipe: cut over from an App Mesh copy of an app to a Service Connect copy (docs/recipes.md).
import { App, ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AppMeshConversion, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * The shop as the app defines it on App Mesh: a web frontend calling `api.shop.local:8080`, each task
 * with an Envoy sidecar. Called once per copy of the app.
 */
function meshedShop(scope: Construct, cluster: ecs.ICluster): ecs.FargateService {
  const mesh = new appmesh.Mesh(scope, 'Mesh');
  const api = mesh.addVirtualNode('ApiNode', {
    virtualNodeName: 'api',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('api.shop.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 8080, timeout: { perRequest: Duration.seconds(15) } })],
  });
  const apiName = new appmesh.VirtualService(scope, 'ApiService', {
    virtualServiceName: 'api.shop.local', virtualServiceProvider: appmesh.VirtualServiceProvider.virtualNode(api),
  });
  const web = mesh.addVirtualNode('WebNode', {
    virtualNodeName: 'web',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('web.shop.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 80 })],
    backends: [appmesh.Backend.virtualService(apiName)],
  });
  meshedService(scope, 'Api', cluster, api, 8080);
  return meshedService(scope, 'Web', cluster, web, 80);
}

/** One ECS service of the shop on App Mesh: the app container, an Envoy sidecar it waits for, the APPMESH proxy and Envoy's grant. */
function meshedService(scope: Construct, id: string, cluster: ecs.ICluster, node: appmesh.VirtualNode, port: number): ecs.FargateService {
  const task = new ecs.FargateTaskDefinition(scope, `${id}Task`, {
    cpu: 512,
    memoryLimitMiB: 1024,
    proxyConfiguration: new ecs.AppMeshProxyConfiguration({
      containerName: 'envoy',
      properties: { appPorts: [port], proxyIngressPort: 15000, proxyEgressPort: 15001, ignoredUID: 1337, egressIgnoredIPs: ['169.254.170.2', '169.254.169.254'] },
    }),
  });
  const logging = ecs.LogDrivers.awsLogs({ streamPrefix: id, logRetention: logs.RetentionDays.ONE_MONTH });
  const app = task.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'), memoryLimitMiB: 512, portMappings: [{ containerPort: port }], logging,
  });
  const envoy = task.addContainer('envoy', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod'),
    user: '1337',
    memoryLimitMiB: 256,
    environment: { APPMESH_RESOURCE_ARN: node.virtualNodeArn },
    logging,
  });
  app.addContainerDependencies({ container: envoy, condition: ecs.ContainerDependencyCondition.HEALTHY });
  task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['appmesh:StreamAggregatedResources'], resources: [node.virtualNodeArn] }));
  return new ecs.FargateService(scope, id, { cluster, taskDefinition: task });
}

/**
 * Fails the deployment while an alarm is in ALARM: a step of the cutover only goes out while the new
 * copy is healthy.
 */
export const GATE_CODE = `
const { CloudWatchClient, DescribeAlarmsCommand } = require('@aws-sdk/client-cloudwatch');
const https = require('https');
function respond(event, status, reason) {
  const body = JSON.stringify({ Status: status, Reason: reason, PhysicalResourceId: 'cutover-gate',
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  return new Promise((resolve, reject) => {
    const request = https.request(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, resolve);
    request.on('error', reject);
    request.end(body);
  });
}
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return respond(event, 'SUCCESS', 'nothing to check');
  try {
    const names = event.ResourceProperties.AlarmNames;
    const { MetricAlarms = [], CompositeAlarms = [] } = await new CloudWatchClient({}).send(new DescribeAlarmsCommand({ AlarmNames: names }));
    const firing = [...MetricAlarms, ...CompositeAlarms].filter((a) => a.StateValue === 'ALARM').map((a) => a.AlarmName);
    return firing.length > 0
      ? respond(event, 'FAILED', 'the new copy is unhealthy, so the weights stay as they were: ' + firing.join(', ') + ' in ALARM')
      : respond(event, 'SUCCESS', names.length + ' alarms checked');
  } catch (e) {
    return respond(event, 'FAILED', String(e));
  }
};`;

/**
 * Both copies of the shop behind one internal Application Load Balancer: `blue` on App Mesh as deployed
 * today, `green` converted to Service Connect. The listener sends `greenPercent` of the requests to green
 * (an integer from 0 to 100; deploy with 0, 10, 50, 100, ...: one step per deployment, yours to choose), and each step deploys only
 * while the alarms the library puts on green's servers are not in ALARM. Roll back by deploying a lower
 * percentage; remove blue once green takes 100.
 */
export function appMeshCutover(app: App, greenPercent: number): Stack {
  const stack = new Stack(app, 'ShopCutover');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

  const blueWeb = meshedShop(new Construct(stack, 'Blue'), cluster);
  const green = new Construct(stack, 'Green');
  const greenWeb = meshedShop(green, cluster);
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const conversion = new AppMeshConversion(green, 'AppMeshConversion', { namespace, alarms: { http5xxRatePercent: 5 } });

  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
  const listener = alb.addListener('Http', { port: 80, open: false });
  listener.connections.allowDefaultPortFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), 'clients in the VPC');
  const blueTargets = new elbv2.ApplicationTargetGroup(stack, 'BlueTargets', { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targets: [blueWeb] });
  const greenTargets = new elbv2.ApplicationTargetGroup(stack, 'GreenTargets', { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targets: [greenWeb] });
  const blueWeight: elbv2.WeightedTargetGroup = { targetGroup: blueTargets, weight: 100 - greenPercent };
  const greenWeight: elbv2.WeightedTargetGroup = { targetGroup: greenTargets, weight: greenPercent };
  listener.addAction('Cutover', { action: elbv2.ListenerAction.weightedForward([blueWeight, greenWeight]) });

  // Green's health in one alarm with a name of ours: the gate reads it by name, so that the listener, which
  // green's services wait for, does not wait for green's alarms.
  const greenHealthName = `${stack.stackName}-green-health`;
  new cloudwatch.CompositeAlarm(stack, 'GreenHealth', {
    compositeAlarmName: greenHealthName,
    alarmRule: conversion.alarmRule,
  });
  const gate = new lambda.Function(stack, 'CutoverGate', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(GATE_CODE),
    timeout: Duration.seconds(30),
    logGroup: new logs.LogGroup(stack, 'CutoverGateLogs', { retention: logs.RetentionDays.ONE_MONTH }),
  });
  gate.addToRolePolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:DescribeAlarms'],
    resources: [stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: greenHealthName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  }));
  // A new step (a new percentage) runs the gate again; the listener changes only after it passed.
  const healthy = new CustomResource(stack, 'GreenHealthy', {
    serviceToken: gate.functionArn,
    properties: { AlarmNames: [greenHealthName], GreenPercent: greenPercent },
  });
  listener.node.addDependency(healthy);
  return stack;
}
// recipe:end
