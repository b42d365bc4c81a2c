// Recipe: Service Connect on EC2 capacity (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Service Connect on EC2 needs the ECS-optimized Amazon Linux 2023 (or Amazon Linux 2) AMI, an
 * instance role allowed to call `ecs:Poll`, and task-level memory. `cluster.addCapacity` gives the
 * first two; the library sizes the tasks and uses the EC2 launch type when asked (a capacity provider
 * strategy works too).
 */
export function ec2Capacity(app: App): Stack {
  const stack = new Stack(app, 'ShopOnEc2');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  cluster.addCapacity('Capacity', {
    instanceType: new ec2.InstanceType('t3.large'),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 2,
  });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    launchType: ecs.LaunchType.EC2, // an EC2 task definition with awsvpc networking and task-level memory
    container: { image, cpu: 256, memoryLimitMiB: 512, portMappings: [{ name: 'http', containerPort: 8080 }] },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
  });
  new ClientService(stack, 'Web', {
    cluster, namespace, launchType: ecs.LaunchType.EC2, container: { image, cpu: 256, memoryLimitMiB: 512 }, connectsTo: [api],
  });
  return stack;
}
// recipe:end
