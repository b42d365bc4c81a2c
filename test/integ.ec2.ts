// Integration test: Service Connect on EC2 capacity (ECS-optimized Amazon Linux 2, EC2 launch type).
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';

const app = new App();
const stack = new Stack(app, 'ServiceConnectIntegEc2');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
cluster.addCapacity('Capacity', {
  instanceType: new ec2.InstanceType('t3.large'),
  machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
  minCapacity: 2,
});
const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'ec2.internal' });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

const api = new ClientServerService(stack, 'Api', {
  cluster,
  namespace,
  launchType: ecs.LaunchType.EC2,
  container: { image, cpu: 256, memoryLimitMiB: 256, portMappings: [{ name: 'http', containerPort: 8080 }] },
  endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
});
new ClientService(stack, 'Web', {
  cluster, namespace, launchType: ecs.LaunchType.EC2, container: { image, cpu: 256, memoryLimitMiB: 256 }, connectsTo: [api],
});

new IntegTest(app, 'Ec2Capacity', { testCases: [stack] });
app.synth();
