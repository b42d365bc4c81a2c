// Integration test: an API Gateway HTTP API in front of a Service Connect server, through a VPC link, on the
// endpoint's Cloud Map service as the library's custom resource looks it up. Deployed (RELEASING.md), the
// assertions wait for the ECS service to reach steady state with Service Connect, check that the looked-up id
// is the Cloud Map service ECS created for the endpoint, and call the HTTP API, which answers from a task.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ServiceConnectNamespace } from '../src';
import { expectSteadyServiceConnect } from './support/integ-assertions';

/** What the server answers. */
const ANSWER = 'hello-from-outside';

const app = new App();
const stack = new Stack(app, 'ServiceConnectIntegOutside');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'outside.internal' });

// busybox httpd serves ANSWER on 8080; the proxy listens there too (no ingress override).
const echo = new ClientServerService(stack, 'Echo', {
  cluster,
  namespace,
  container: {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    cpu: 256,
    memoryLimitMiB: 512,
    entryPoint: ['sh', '-c'],
    command: [`mkdir -p /www && echo ${ANSWER} > /www/index.html && exec httpd -f -v -p 8080 -h /www`],
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
  },
  endpoints: [{ portMappingName: 'http', discoveryName: 'echo', dnsName: 'echo', port: 80 }],
});

const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
httpApi.addRoutes({ path: '/{proxy+}', integration: echo.httpApiIntegration('Echo') });
const cloudMapService = echo.cloudMapService('echo');

const integ = new IntegTest(app, 'HttpApiToServiceConnect', { testCases: [stack] });
const lookedUp = integ.assertions.awsApiCall('ServiceDiscovery', 'getService', { Id: cloudMapService.serviceId });
lookedUp.expect(ExpectedResult.objectLike({ Service: { Name: 'echo', NamespaceId: namespace.namespaceId } }));
const answered = integ.assertions.httpApiCall(`${httpApi.apiEndpoint}/index.html`);
answered.expect(ExpectedResult.objectLike({ status: 200, body: `${ANSWER}\n` }));
answered.waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });
expectSteadyServiceConnect(integ, echo, ['echo']).next(lookedUp).next(answered);
app.synth();
