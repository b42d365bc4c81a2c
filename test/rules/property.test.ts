import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, ServiceConnectEndpoint, ServiceConnectNamespace } from '../../src';
import { propertyRuns } from '../support/runs';

/*
 * Property: whatever props the three constructs get (including tokens and absent values), synth either
 * succeeds or fails with the library's own messages (`[RuleId] path: ... (found: ...). Fix: ...`), never
 * with another exception such as a TypeError.
 */

const tokenNumber = (n: number) => Lazy.number({ produce: () => n });
const tokenString = (s: string) => Lazy.string({ produce: () => s });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const port = fc.oneof(
  fc.integer({ min: -5, max: 70000 }), fc.constant(8080), fc.double({ min: 1, max: 70000, noNaN: true }), fc.constant(tokenNumber(9000)),
);
const name = fc.oneof(fc.constantFrom('http', 'api', 'db', 'Api', '-x', 'a'.repeat(70), 'svc.shop', ''), fc.constant(tokenString('tok')));

const endpoint: fc.Arbitrary<ServiceConnectEndpoint> = fc.record({
  portMappingName: fc.oneof(fc.constantFrom('http', 'tcp', 'missing'), fc.constant(tokenString('http'))),
  discoveryName: maybe(name),
  dnsName: maybe(name),
  port: maybe(port),
  ingressPortOverride: maybe(port),
  idleTimeout: maybe(fc.integer({ min: 0, max: 3600 }).map((s) => Duration.seconds(s))),
  perRequestTimeout: maybe(fc.integer({ min: 1, max: 600 }).map((s) => Duration.seconds(s))),
});

const taskShape = fc.record({
  kind: fc.constantFrom('fargate', 'ec2', 'ec2-no-memory', 'container', 'container-ec2'),
  cpu: fc.constantFrom(256, 512, 1024, 2048),
  memory: fc.constantFrom(512, 1024, 2048, 3072),
  containerCpu: maybe(fc.oneof(fc.integer({ min: 0, max: 2048 }), fc.constant(tokenNumber(128)))),
  containerMemory: fc.oneof(fc.integer({ min: 64, max: 3072 }), fc.constant(tokenNumber(256))),
  appProtocol: fc.constantFrom(undefined, ecs.AppProtocol.http, ecs.AppProtocol.grpc),
});

const serviceShape = fc.record({
  server: fc.boolean(),
  task: taskShape,
  endpoints: fc.array(endpoint, { maxLength: 3 }),
  desiredCount: maybe(fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constant(tokenNumber(2)))),
  maxHealthyPercent: maybe(fc.integer({ min: 100, max: 400 })),
  platformVersion: maybe(fc.constantFrom(...Object.values(ecs.FargatePlatformVersion))),
  controller: maybe(fc.constantFrom(ecs.DeploymentControllerType.ECS, ecs.DeploymentControllerType.CODE_DEPLOY)),
  circuitBreaker: maybe(fc.boolean()),
  expectedPeakRequestsPerSecond: maybe(fc.integer({ min: 0, max: 5000 })),
  proxyLogs: maybe(fc.boolean()),
  useClusterDefault: fc.boolean(),
  connectTo: fc.array(fc.nat(5), { maxLength: 3 }),
  unordered: fc.boolean(),
});

type Shape = fc.Arbitrary<typeof serviceShape extends fc.Arbitrary<infer T> ? T : never>;

function taskDefinitionFor(stack: Stack, id: string, t: (typeof taskShape extends fc.Arbitrary<infer T> ? T : never)) {
  const portMappings = [{ name: 'http', containerPort: 8080, appProtocol: t.appProtocol }, { name: 'tcp', containerPort: 9000 }];
  const containerOptions = { image: ecs.ContainerImage.fromRegistry('busybox'), cpu: t.containerCpu, memoryLimitMiB: t.containerMemory, portMappings };
  if (t.kind === 'container' || t.kind === 'container-ec2') {
    return { container: containerOptions, launchType: t.kind === 'container-ec2' ? ecs.LaunchType.EC2 : undefined };
  }
  // aws-cdk-lib itself refuses containers with more CPU than their task; keep to task definitions it accepts.
  if (t.containerCpu !== undefined && !Token.isUnresolved(t.containerCpu)) {
    containerOptions.cpu = Math.min(t.containerCpu, t.cpu);
  }
  const taskDefinition = new ecs.TaskDefinition(stack, id, {
    compatibility: t.kind === 'fargate' ? ecs.Compatibility.FARGATE : ecs.Compatibility.EC2,
    networkMode: ecs.NetworkMode.AWS_VPC,
    cpu: String(t.cpu),
    memoryMiB: t.kind === 'ec2-no-memory' ? undefined : String(t.memory),
  });
  taskDefinition.addContainer('app', containerOptions);
  return { taskDefinition };
}

/** Our messages: a rule finding, or a props contradiction in the same `(found: ...). Fix: ...` form. */
const LIBRARY_MESSAGE = /(\[[A-Za-z0-9]+\] )?[^\n]*\(found: [^\n]*\)\. Fix: /;

function synthesize(shapes: Array<Shape extends fc.Arbitrary<infer T> ? T : never>): void {
  const app = new App();
  const stacks = shapes.length > 1 ? [new Stack(app, 'A'), new Stack(app, 'B')] : [new Stack(app, 'A')];
  const vpc = ec2.Vpc.fromVpcAttributes(stacks[0], 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
  cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium') });
  const namespace = new ServiceConnectNamespace(stacks[0], 'Namespace', { name: 'prop.internal', defaultFor: [cluster] });
  const built: ClientServerService[] = [];
  shapes.forEach((s, i) => {
    const stack = stacks[i % stacks.length];
    const common = {
      cluster,
      namespace: s.useClusterDefault ? undefined : namespace,
      ...taskDefinitionFor(stack, `Task${i}`, s.task),
      desiredCount: s.desiredCount,
      maxHealthyPercent: s.maxHealthyPercent,
      platformVersion: s.task.kind === 'fargate' || s.task.kind === 'container' ? s.platformVersion : undefined,
      deploymentController: s.controller ? { type: s.controller } : undefined,
      circuitBreaker: s.circuitBreaker === undefined ? undefined : { enable: s.circuitBreaker },
      expectedPeakRequestsPerSecond: s.expectedPeakRequestsPerSecond,
      proxyLogs: s.proxyLogs === undefined ? undefined : { enabled: s.proxyLogs },
    };
    const service = s.server
      ? new ClientServerService(stack, `Svc${i}`, { ...common, endpoints: s.endpoints })
      : new ClientService(stack, `Svc${i}`, common);
    for (const target of s.connectTo) {
      const server = built[target % Math.max(built.length, 1)];
      if (server) {
        service.connectTo(server, { ordered: !s.unordered });
      }
    }
    if (service instanceof ClientServerService) {
      built.push(service);
    }
  });
  app.synth();
}

test('synth succeeds or fails with the library\'s messages only', () => {
  fc.assert(fc.property(fc.array(serviceShape, { minLength: 1, maxLength: 4 }), (shapes) => {
    try {
      synthesize(shapes);
    } catch (e) {
      const error = e as Error;
      expect(error).not.toBeInstanceOf(TypeError);
      const lines = error.message.split('\n').filter((line) => line.trim() && !line.startsWith('Validation failed'));
      for (const line of lines) {
        expect(line).toMatch(LIBRARY_MESSAGE);
      }
    }
  }), { numRuns: propertyRuns(50), seed: Number(process.env.FC_SEED ?? 20261123) });
});
