import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, ServiceConnectNamespace, ServiceConnectRules } from '../src';
import { dependsOnOf, fargateTask, serviceLogicalId, TestEnv } from './util';

/*
 * Wired from the finished app: each case of issue #11 ("the wiring depends on the order of calls")
 * synthesizes correctly or fails with a rule id and a fix.
 */

function ingress(template: Template): any[] {
  return Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
}

function server(env: TestEnv, id: string, containerPort: number, scope: Stack = env.stack) {
  return new ClientServerService(scope, id, {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(scope, `${id}Task`, [{ name: 'http', containerPort }]),
    endpoints: [{ portMappingName: 'http', discoveryName: id.toLowerCase() }],
  });
}

test('1. a port mapping added after the edge is opened, and the topology shows it', () => {
  // GIVEN a server whose task definition gets its port mapping only after the edge
  const env = new TestEnv();
  const taskDefinition = new ecs.FargateTaskDefinition(env.stack, 'ApiTask', { cpu: 512, memoryLimitMiB: 1024 });
  const container = taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 512 });
  const api = new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster, namespace: env.namespace, taskDefinition, endpoints: [{ portMappingName: 'http' }],
  });
  new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  // WHEN
  container.addPortMappings({ name: 'http', containerPort: 8080 });
  // THEN
  expect(ingress(env.template())).toEqual([expect.objectContaining({ FromPort: 8080, ToPort: 8080 })]);
  expect(api.listenPorts).toEqual([8080]);
});

test('2. a port mapping name given as a token fails synth with PortMappingNameExists and the fix', () => {
  const env = new TestEnv();
  const api = new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
    endpoints: [{ portMappingName: new ecs.CfnService(env.stack, 'X', {}).attrName }],
  });
  new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  expect(() => env.template()).toThrow(/\[PortMappingNameExists\] Stack\/Api: the endpoint's port mapping name is a token.*Fix: give `portMappingName` as a literal string/);
});

test('3. an unordered edge declared again with ordering keeps the ordering, in either order', () => {
  for (const orderedFirst of [false, true]) {
    const env = new TestEnv();
    const api = server(env, 'Api', 8080);
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    web.connectTo(api, { ordered: orderedFirst });
    web.connectTo(api, { ordered: !orderedFirst });
    expect(dependsOnOf(env.stack, 'Web')).toContain(serviceLogicalId(env.stack, 'Api'));
    expect(ingress(env.template())).toHaveLength(1);
  }
});

test('4. across stacks, an unordered edge and the reverse ordered edge synthesize in either order', () => {
  const templates = [false, true].map((unorderedFirst) => {
    const app = new App();
    const env = new TestEnv(app, 'Backend');
    const frontend = new Stack(app, 'Frontend');
    const a = server(env, 'A', 8080);
    const b = server(env, 'B', 8081, frontend);
    if (unorderedFirst) {
      a.connectTo(b, { ordered: false });
      b.connectTo(a);
    } else {
      b.connectTo(a);
      a.connectTo(b, { ordered: false });
    }
    app.synth();
    return [Template.fromStack(env.stack).toJSON(), Template.fromStack(frontend).toJSON()];
  });
  expect(templates[0]).toEqual(templates[1]);
  expect(ingress(Template.fromJSON(templates[0][1])).map((r) => r.FromPort).sort()).toEqual([8080, 8081]);
});

test('5. a client security group in the platform stack synthesizes, ordered or not', () => {
  for (const ordered of [true, false]) {
    // GIVEN a platform stack with the cluster, the namespace and the frontend's security group
    const app = new App();
    const platform = new TestEnv(app, 'Platform');
    const webGroup = new ec2.SecurityGroup(platform.stack, 'WebGroup', { vpc: platform.vpc });
    const backend = new Stack(app, 'Backend');
    const frontend = new Stack(app, 'Frontend');
    const api = server(platform, 'Api', 8080, backend);
    const web = new ClientService(frontend, 'Web', {
      cluster: platform.cluster, namespace: platform.namespace, taskDefinition: fargateTask(frontend, 'WebTask'), securityGroups: [webGroup],
    });
    // WHEN
    web.connectTo(api, { ordered });
    // THEN the rule lives in the backend, which deploys after the platform
    const assembly = app.synth();
    expect(ingress(Template.fromStack(backend))).toEqual([expect.objectContaining({ FromPort: 8080 })]);
    expect(assembly.getStackByName('Backend').dependencies.map((d) => d.id)).toContain('Platform');
    const stacks = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'));
    expect(stacks('Frontend').sort()).toEqual(ordered ? ['Backend', 'Platform'] : ['Platform']);
  }
});

test('6. relaxing ConnectCycle keeps the security-group rule and drops only the ordering', () => {
  const env = new TestEnv();
  const a = server(env, 'A', 8080);
  const b = server(env, 'B', 8081);
  a.connectTo(b);
  b.connectTo(a);
  ServiceConnectRules.relax(b, 'ConnectCycle', 'b calls a only after both run');
  expect(ingress(env.template()).map((r) => r.FromPort).sort()).toEqual([8080, 8081]);
  expect(dependsOnOf(env.stack, 'A')).toContain(serviceLogicalId(env.stack, 'B'));
  expect(dependsOnOf(env.stack, 'B')).not.toContain(serviceLogicalId(env.stack, 'A'));
});

describe('7. one Cloud Map namespace wrapped twice is one namespace', () => {
  function twoWrappers() {
    const app = new App();
    const env = new TestEnv(app, 'Platform');
    const cloudMap = new servicediscovery.HttpNamespace(env.stack, 'CloudMap', { name: 'x.internal' });
    const other = new Stack(app, 'Services');
    const first = ServiceConnectNamespace.fromNamespace(env.stack, 'First', cloudMap);
    const second = ServiceConnectNamespace.fromNamespace(other, 'Second', cloudMap);
    return { app, env, other, first, second };
  }

  test('an edge between services of the two wrappers is valid', () => {
    const { app, env, other, first, second } = twoWrappers();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, namespace: first, taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    new ClientService(other, 'Web', { cluster: env.cluster, namespace: second, taskDefinition: fargateTask(other, 'WebTask'), connectsTo: [api] });
    expect(() => app.synth()).not.toThrow();
    expect(ingress(Template.fromStack(other))).toHaveLength(1);
  });

  test('a discovery name used in both wrappers is a duplicate', () => {
    const { app, env, other, first, second } = twoWrappers();
    for (const [scope, namespace] of [[env.stack, first], [other, second]] as const) {
      new ClientServerService(scope, 'Api', {
        cluster: env.cluster, namespace, taskDefinition: fargateTask(scope, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
      });
    }
    expect(() => app.synth()).toThrow(/\[DiscoveryNameUnique\] Services\/Api: the discovery name is already used in namespace .* by Platform\/Api/);
  });

  test('the cluster default and an explicit wrapper of the same namespace are one namespace', () => {
    const env = new TestEnv();
    const cloudMap = env.cluster.addDefaultCloudMapNamespace({ name: 'y.internal', useForServiceConnect: true });
    const explicit = ServiceConnectNamespace.fromNamespace(env.stack, 'Explicit', cloudMap);
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: explicit, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    expect(ingress(env.template())).toHaveLength(1);
  });
});

describe('8. the EC2 bridge network mode', () => {
  function bridge(ingressPortOverride?: number) {
    const env = new TestEnv();
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium'), minCapacity: 1 });
    const task = (id: string, ports: ecs.PortMapping[]) => {
      const taskDefinition = new ecs.Ec2TaskDefinition(env.stack, id, { networkMode: ecs.NetworkMode.BRIDGE });
      (taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).memory = '1024';
      taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 512, portMappings: ports });
      return taskDefinition;
    };
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: task('ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', ingressPortOverride }],
    });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: task('WebTask', []), connectsTo: [api] });
    return { env, api, web };
  }

  test('without an ingress override the listen port is unknown: BridgeIngressPortOverride, no rule on the container port', () => {
    const { env, api } = bridge();
    expect(api.listenPorts).toEqual([]);
    expect(() => env.template()).toThrow(/\[BridgeIngressPortOverride\] Stack\/Api: endpoint 'http' runs in the bridge network mode.*Fix: set `ingressPortOverride`/);
  });

  test('with an override, the instances\' group is never opened to itself: a SharedSecurityGroup warning instead', () => {
    const { env, api } = bridge(9090);
    expect(api.listenPorts).toEqual([9090]);
    const template = env.template();
    expect(ingress(template)).toEqual([]);
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[];
    expect(groups.flatMap((g) => g.Properties.SecurityGroupIngress ?? []).filter((r: any) => r.FromPort === 8080 || r.FromPort === 9090)).toEqual([]);
    Annotations.fromStack(env.stack).hasWarning('/Stack/Web', Match.stringLikeRegexp('\\[SharedSecurityGroup\\] Stack/Web: the server Stack/Api is in a security group'));
  });
});
