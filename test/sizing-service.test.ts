import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService } from '../src';
import { TestEnv } from './util';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

describe('tasks the library sizes from container options', () => {
  test('a Fargate task gets the container plus proxy headroom, rounded up to a valid size, with a named port mapping', () => {
    // GIVEN
    const env = new TestEnv();
    // WHEN
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      container: { image, cpu: 512, memoryLimitMiB: 1536, portMappings: [{ name: 'http', containerPort: 8080 }] },
      endpoints: [{ portMappingName: 'http' }],
    });
    // THEN 512 + 256 CPU -> 1024; 1536 + 64 MiB -> 2048
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      Memory: '2048',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [Match.objectLike({ Name: 'app', Cpu: 512, Memory: 1536, PortMappings: [Match.objectLike({ Name: 'http', ContainerPort: 8080 })] })],
    });
    expect(api.endpoints[0].containerPort).toBe(8080);
    // AND no headroom warning: the library sized it
    expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('Headroom|FargateMinimumMemory'))).toEqual([]);
  });

  test('defaults: a 256 CPU / 512 MiB container becomes a 512 CPU / 1024 MiB task', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image } });
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
  });

  test('a container with only a soft limit keeps it: the task is sized around the reservation, and no hard limit is added', () => {
    // GIVEN a reservation above the 512 MiB the library assumes for a container that gives no memory
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image, memoryReservationMiB: 2048 } });
    // THEN 2048 + 64 MiB -> 3072 with 256 + 256 CPU -> 512, and the container has its reservation only
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512', Memory: '3072', ContainerDefinitions: [Match.objectLike({ Name: 'app', MemoryReservation: 2048, Memory: Match.absent() })],
    });
  });

  test('above 500 requests/s the proxy gets 512 CPU units', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, container: { image, cpu: 512, memoryLimitMiB: 1024 }, expectedPeakRequestsPerSecond: 800,
    });
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
  });

  test('on EC2 the size is taken as is', () => {
    const env = new TestEnv();
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium') });
    const web = new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, container: { image, cpu: 300, memoryLimitMiB: 700 }, launchType: ecs.LaunchType.EC2,
    });
    expect(web.service).toBeInstanceOf(ecs.Ec2Service);
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '556', Memory: '764', RequiresCompatibilities: ['EC2'] });
  });

  test('a container too large for any Fargate size is refused', () => {
    const env = new TestEnv();
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image, cpu: 16384, memoryLimitMiB: 1024 } }))
      .toThrow(/Stack\/Web: no Fargate task size fits the container plus the proxy.*Fix:/);
  });

  test('both a task definition and container options is a contradiction', () => {
    const env = new TestEnv();
    const taskDefinition = new ecs.FargateTaskDefinition(env.stack, 'Task');
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition, container: { image } }))
      .toThrow(/give only one of them/);
    expect(() => new ClientService(env.stack, 'Other', { cluster: env.cluster, namespace: env.namespace }))
      .toThrow(/no task definition.*Fix: pass `taskDefinition`/);
  });
});
