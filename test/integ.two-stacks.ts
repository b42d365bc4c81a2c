// Integration test: a namespace and its servers in one stack, the client in another. The frontend
// stack deploys after the backend stack, and the rule opening the api to the web lives in the frontend.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';
import { expectCloudMapService, expectSteadyServiceConnect } from './support/integ-assertions';

const app = new App();
const backend = new Stack(app, 'ServiceConnectIntegBackend');
const frontend = new Stack(app, 'ServiceConnectIntegFrontend');

const vpc = new ec2.Vpc(backend, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(backend, 'Cluster', { vpc });
const namespace = new ServiceConnectNamespace(backend, 'Namespace', { name: 'two-stacks.internal', defaultFor: [cluster] });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

const api = new ClientServerService(backend, 'Api', {
  cluster,
  container: { image, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
  endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
});
const web = new ClientService(frontend, 'Web', { cluster, namespace, container: { image }, connectsTo: [api] });

// Deployed (RELEASING.md): both services reach steady state with Service Connect, across the two stacks, and the
// api's Cloud Map service is in the namespace.
const integ = new IntegTest(app, 'TwoStacks', { testCases: [backend, frontend] });
expectSteadyServiceConnect(integ, api, ['http'])
  .next(expectSteadyServiceConnect(integ, web))
  .next(expectCloudMapService(integ, namespace, 'http'));
app.synth();
