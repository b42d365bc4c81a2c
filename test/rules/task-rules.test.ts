import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describeRule, RuleEnv } from './harness';
import { RuleSeverity } from '../../src/rules/rule';
import {
  fargateMinimumMemory, portNameNetworkMode, proxyCpuHeadroom, proxyMemoryHeadroom, taskMemoryAboveContainers, taskMemoryRequired,
  windowsNotSupported,
} from '../../src/rules/task-rules';

interface TaskShape {
  readonly cpu?: string;
  readonly memoryMiB?: string;
  readonly containerCpu?: number;
  readonly containerMemoryMiB?: number;
  readonly compatibility?: ecs.Compatibility;
  readonly networkMode?: ecs.NetworkMode;
  readonly runtimePlatform?: ecs.RuntimePlatform;
}

/** A task definition of the given shape with one container exposing 'http' on 8080. */
function task(env: RuleEnv, shape: TaskShape): ecs.TaskDefinition {
  const taskDefinition = new ecs.TaskDefinition(env.stack, 'Task', {
    compatibility: shape.compatibility ?? ecs.Compatibility.FARGATE,
    networkMode: shape.networkMode ?? ecs.NetworkMode.AWS_VPC,
    cpu: shape.cpu ?? '512',
    memoryMiB: shape.memoryMiB,
    runtimePlatform: shape.runtimePlatform,
  });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('busybox'),
    cpu: shape.containerCpu,
    memoryLimitMiB: shape.containerMemoryMiB ?? 256,
    portMappings: [{ name: 'http', containerPort: 8080, hostPort: shape.networkMode === ecs.NetworkMode.HOST ? 8080 : undefined }],
  });
  return taskDefinition;
}

function serverWith(env: RuleEnv, shape: TaskShape, extra: { expectedPeakRequestsPerSecond?: number } = {}): void {
  if (shape.compatibility === ecs.Compatibility.EC2) {
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium') });
  }
  env.server('Api', { taskDefinition: task(env, shape), ...extra });
}

const EC2 = ecs.Compatibility.EC2;

describeRule(taskMemoryRequired, [{
  name: 'an EC2 task definition with container limits only',
  fail: (env) => serverWith(env, { compatibility: EC2, memoryMiB: undefined, cpu: undefined }),
  pass: (env) => serverWith(env, { compatibility: EC2, memoryMiB: '1024', cpu: undefined }),
  found: 'task definition Stack/Task has no task-level memory',
}]);

describeRule(taskMemoryAboveContainers, [{
  name: 'container limits equal to the task memory',
  fail: (env) => serverWith(env, { memoryMiB: '1024', containerMemoryMiB: 1024 }),
  // one MiB above is no error (the headroom warning is ProxyMemoryHeadroom's)
  pass: (env) => serverWith(env, { memoryMiB: '1024', containerMemoryMiB: 1023 }),
  found: 'task memory 1024 MiB, container limits 1024 MiB',
}]);

describeRule(proxyMemoryHeadroom, [{
  name: '63 MiB left for the proxy',
  fail: (env) => serverWith(env, { memoryMiB: '1024', containerMemoryMiB: 961 }),
  pass: (env) => serverWith(env, { memoryMiB: '1024', containerMemoryMiB: 960 }), // exactly 64 MiB
  found: '63 MiB (task 1024 MiB, container limits 961 MiB)',
  fix: 'add 1 MiB to the task memory, or lower the container limits',
}]);

describeRule(proxyCpuHeadroom, [{
  name: '255 CPU units left for the proxy',
  fail: (env) => serverWith(env, { cpu: '512', memoryMiB: '1024', containerCpu: 257 }),
  pass: (env) => serverWith(env, { cpu: '512', memoryMiB: '1024', containerCpu: 256 }), // exactly 256
  found: '255 units (task 512, containers 257)',
  fix: 'add 1 CPU units to the task CPU, or lower the containers\' CPU',
}, {
  name: 'above 500 requests/s the proxy needs 512 units',
  fail: (env) => serverWith(env, { cpu: '1024', memoryMiB: '2048', containerCpu: 513 }, { expectedPeakRequestsPerSecond: 501 }),
  pass: (env) => serverWith(env, { cpu: '1024', memoryMiB: '2048', containerCpu: 512 }, { expectedPeakRequestsPerSecond: 501 }),
  found: '511 units (task 1024, containers 513)',
  fix: 'add 1 CPU units to the task CPU, or lower the containers\' CPU',
}]);

describeRule(fargateMinimumMemory, [{
  name: 'a 512 MiB Fargate task',
  fail: (env) => serverWith(env, { cpu: '256', memoryMiB: '512', containerMemoryMiB: 256, containerCpu: 0 }),
  pass: (env) => serverWith(env, { cpu: '256', memoryMiB: '1024', containerMemoryMiB: 256, containerCpu: 0 }),
  found: '512 MiB',
}]);

describeRule(windowsNotSupported, [{
  name: 'a Windows runtime platform',
  fail: (env) => serverWith(env, {
    cpu: '1024', memoryMiB: '2048', runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
  }),
  pass: (env) => serverWith(env, {
    cpu: '1024', memoryMiB: '2048', runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
  }),
  found: 'operatingSystemFamily WINDOWS_SERVER_2022_CORE',
}]);

describe('PortNameNetworkMode (error)', () => {
  // aws-cdk-lib already refuses named port mappings in host or none network mode when the container is
  // added, so no construct tree reaches this rule; its pure check is tested on facts in
  // test/unit/task-rules.test.ts.
  test('aws-cdk-lib rejects the configuration first', () => {
    const env = new RuleEnv();
    expect(() => task(env, { compatibility: EC2, networkMode: ecs.NetworkMode.HOST, memoryMiB: '1024' })).toThrow(/not supported for network mode host/);
  });
});

test('the severities match the catalog', () => {
  expect([taskMemoryRequired, taskMemoryAboveContainers, windowsNotSupported, portNameNetworkMode].map((r) => r.severity))
    .toEqual([RuleSeverity.ERROR, RuleSeverity.ERROR, RuleSeverity.ERROR, RuleSeverity.ERROR]);
  expect([proxyMemoryHeadroom, proxyCpuHeadroom, fargateMinimumMemory].map((r) => r.severity))
    .toEqual([RuleSeverity.WARNING, RuleSeverity.WARNING, RuleSeverity.WARNING]);
});
