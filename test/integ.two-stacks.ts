// Integration test: a namespace and its servers in one stack, the client in another. The frontend
// stack deploys after the backend stack, and the rule opening the api to the web lives in the frontend.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';

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
new ClientService(frontend, 'Web', { cluster, namespace, container: { image }, connectsTo: [api] });

new IntegTest(app, 'TwoStacks', { testCases: [backend, frontend] });
app.synth();
