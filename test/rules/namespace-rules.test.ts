import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ServiceConnectNamespace } from '../../src';
import { discoveryNameUnique, endpointUnique, namespaceServiceLimit, namespaceSizeThreshold } from '../../src/rules/namespace-rules';
import { fargateTask } from '../util';
import { describeRule } from './harness';

describeRule(discoveryNameUnique, [{
  name: 'two services from one task definition without a discovery name',
  fail: (env) => {
    const taskDefinition = fargateTask(env.stack, 'Shared', [{ name: 'http', containerPort: 8080 }]);
    env.server('Blue', { taskDefinition, endpoints: [{ portMappingName: 'http', dnsName: 'blue' }] });
    env.server('Green', { taskDefinition, endpoints: [{ portMappingName: 'http', dnsName: 'green' }] });
  },
  pass: (env) => {
    const taskDefinition = fargateTask(env.stack, 'Shared', [{ name: 'http', containerPort: 8080 }]);
    env.server('Blue', { taskDefinition, endpoints: [{ portMappingName: 'http', discoveryName: 'blue' }] });
    env.server('Green', { taskDefinition, endpoints: [{ portMappingName: 'http', discoveryName: 'green' }] });
  },
  found: "discovery name 'http'",
}]);

describeRule(endpointUnique, [{
  name: 'two endpoints with the same DNS name and port',
  fail: (env) => {
    env.server('Blue', { endpoints: [{ portMappingName: 'http', discoveryName: 'blue', dnsName: 'api', port: 80 }] });
    env.server('Green', { endpoints: [{ portMappingName: 'http', discoveryName: 'green', dnsName: 'api', port: 80 }] });
  },
  pass: (env) => {
    env.server('Blue', { endpoints: [{ portMappingName: 'http', discoveryName: 'blue', dnsName: 'api', port: 80 }] });
    env.server('Green', { endpoints: [{ portMappingName: 'http', discoveryName: 'green', dnsName: 'api', port: 81 }] });
  },
  found: 'endpoint api:80',
}]);

/** A task with exactly 64 MiB of proxy memory: enough below the threshold, short above it. */
function task64(stack: Stack): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'ApiTask', { cpu: 512, memoryLimitMiB: 1024 });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('busybox'), cpu: 256, memoryLimitMiB: 960, portMappings: [{ name: 'http', containerPort: 8080 }],
  });
  return taskDefinition;
}

describeRule(namespaceSizeThreshold, [{
  name: 'more than 2000 tasks (1001 desired at 200%)',
  fail: (env) => env.server('Api', { desiredCount: 1001, taskDefinition: task64(env.stack) }),
  pass: (env) => env.server('Api', { desiredCount: 1000, taskDefinition: task64(env.stack) }), // exactly 2000 tasks
  found: 'task definitions with less: Stack/ApiTask',
}, {
  name: 'a desired count given as a token cannot be counted, so it is never silently one task',
  fail: (env) => env.server('Api', { desiredCount: new CfnParameter(env.stack, 'Count', { type: 'Number' }).valueAsNumber, taskDefinition: task64(env.stack) }),
  pass: (env) => env.server('Api', { desiredCount: 2, taskDefinition: task64(env.stack) }),
  found: 'up to 2 tasks counted; task definitions with less: Stack/ApiTask',
  fix: 'give `desiredCount` as a number so the library can count the tasks; or, if the namespace can run more than 2000 tasks, give every task definition listed at least 128 MiB of memory above its container limits; or acknowledge this warning if it cannot',
}]);

describe('namespace-wide rules across stacks', () => {
  test('a duplicate discovery name in two stacks is caught, naming both services', () => {
    // GIVEN two stacks sharing one namespace
    const app = new App();
    const backend = new Stack(app, 'Backend');
    const vpc = new ec2.Vpc(backend, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(backend, 'Cluster', { vpc });
    const namespace = new ServiceConnectNamespace(backend, 'Namespace', { name: 'shop.internal' });
    const frontend = new Stack(app, 'Frontend');
    // WHEN both define a service whose discovery name is 'api'
    new ClientServerService(backend, 'Api', {
      cluster,
      namespace,
      taskDefinition: fargateTask(backend, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    });
    new ClientServerService(frontend, 'Bff', {
      cluster,
      namespace,
      taskDefinition: fargateTask(frontend, 'BffTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'bff' }],
    });
    // THEN synth fails with the rule, the second service's path and the first's
    expect(() => app.synth()).toThrow(/\[DiscoveryNameUnique\] Frontend\/Bff: the discovery name is already used in namespace shop\.internal by Backend\/Api \(found: discovery name 'api'\)/);
  });
});

describe('the size threshold with 101 services over 3 stacks', () => {
  // GIVEN a namespace whose services are spread over three stacks: hand-sized tasks with 64 MiB of proxy
  // memory, and tasks the library sizes from a 960 MiB container (1024 MiB with 64 MiB of headroom,
  // 2048 MiB with 128).
  function build(count: number) {
    const app = new App();
    const stacks = [0, 1, 2].map((i) => new Stack(app, `Stack${i}`));
    const vpc = new ec2.Vpc(stacks[0], 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
    const namespace = new ServiceConnectNamespace(stacks[0], 'Namespace', { name: 'big.internal' });
    const handSized = stacks.map((stack) => {
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'HandSized', { cpu: 512, memoryLimitMiB: 1024 });
      taskDefinition.addContainer('app', {
        image: ecs.ContainerImage.fromRegistry('busybox'), cpu: 256, memoryLimitMiB: 960, portMappings: [{ name: 'http', containerPort: 8080 }],
      });
      return taskDefinition;
    });
    const sized: ClientServerService[] = [];
    for (let i = 0; i < count; i++) {
      const stack = stacks[i % 3];
      const common = { cluster, namespace, proxyLogs: { enabled: false }, endpoints: [{ portMappingName: 'http', discoveryName: `svc${i}` }] };
      if (i < 3) {
        // the first services are sized by the library, before the namespace is large
        sized.push(new ClientServerService(stack, `Svc${i}`, {
          ...common,
          container: { image: ecs.ContainerImage.fromRegistry('busybox'), cpu: 256, memoryLimitMiB: 960, portMappings: [{ name: 'http', containerPort: 8080 }] },
        }));
      } else {
        new ClientServerService(stack, `Svc${i}`, { ...common, taskDefinition: handSized[i % 3] });
      }
    }
    return { app, stacks, sized };
  }

  const memoryOf = (stack: Stack, service: ClientServerService) => {
    const logicalId = stack.getLogicalId(service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition);
    return Template.fromStack(stack).toJSON().Resources[logicalId].Properties.Memory;
  };

  test('100 services: no warning, library-sized tasks get 64 MiB of headroom', () => {
    const { stacks, sized } = build(100);
    expect(memoryOf(stacks[0], sized[0])).toBe('1024');
    expect(Annotations.fromStack(stacks[0]).findWarning('*', Match.stringLikeRegexp('NamespaceSizeThreshold'))).toEqual([]);
  });

  test('101 services: the warning names the hand-sized task definitions, and library-sized tasks grow', () => {
    const { stacks, sized } = build(101);
    // THEN every library-sized task, even those created before the threshold was crossed, gets 128 MiB
    expect(memoryOf(stacks[0], sized[0])).toBe('2048');
    expect(memoryOf(stacks[2], sized[2])).toBe('2048');
    // AND the warning names each hand-sized task definition, in every stack
    const warnings = Annotations.fromStack(stacks[0]).findWarning('*', Match.stringLikeRegexp('NamespaceSizeThreshold'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data))
      .toMatch(/101 services.*task definitions with less: Stack0\/HandSized, Stack1\/HandSized, Stack2\/HandSized/);
    // AND hand-sized tasks with 64 MiB now also get the per-service headroom warning at 128 MiB
    expect(Annotations.fromStack(stacks[1]).findWarning('*', Match.stringLikeRegexp('ProxyMemoryHeadroom.*128 MiB')).length).toBeGreaterThan(0);
  });
});

describe('the service limit with 301 services over 3 stacks and two wrappers of one namespace', () => {
  // GIVEN one Cloud Map namespace, created in the first stack and wrapped again in the last, whose services
  // are spread over three stacks (a stack holds at most 500 resources); the services of a stack share one
  // task definition, each with a discovery name of its own.
  function build(count: number): App {
    const app = new App();
    const stacks = [0, 1, 2].map((i) => new Stack(app, `Stack${i}`));
    const vpc = new ec2.Vpc(stacks[0], 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
    const namespace = new ServiceConnectNamespace(stacks[0], 'Namespace', { name: 'big.internal' });
    const wrapper = ServiceConnectNamespace.fromNamespace(stacks[2], 'Wrapper', namespace.cloudMapNamespace);
    const taskDefinitions = stacks.map((stack) => fargateTask(stack, 'Task', [{ name: 'http', containerPort: 8080 }]));
    for (let i = 0; i < count; i++) {
      new ClientServerService(stacks[i % 3], `Svc${i}`, {
        cluster,
        namespace: i % 3 === 2 ? wrapper : namespace,
        taskDefinition: taskDefinitions[i % 3],
        proxyLogs: { enabled: false },
        endpoints: [{ portMappingName: 'http', discoveryName: `svc${i}` }],
      });
    }
    return app;
  }

  function synthError(app: App): string | undefined {
    try {
      app.synth();
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  test('301 services: synth fails with one finding, on the namespace, naming the count and the limit', () => {
    const message = synthError(build(301));
    expect(message).toMatch(new RegExp(`\\[${namespaceServiceLimit.id}\\] Stack0/Namespace: the namespace has more than the 300 Service Connect services `
      + 'a namespace may hold \\(quota "Services per namespace", not adjustable\\) \\(found: 301 services\\)\\. Fix: split the services over several namespaces'));
    expect(message?.match(/\[NamespaceServiceLimit\]/g)).toHaveLength(1);
  });

  test('300 services: synth succeeds', () => {
    expect(synthError(build(300))).toBeUndefined();
  });
});
