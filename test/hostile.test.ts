import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClientServerService, ClientService, ServiceConnectEndpoint, ServiceConnectNamespace, ServiceConnectRules } from '../src';
import { fargateTask, TestEnv } from './util';
import { topologyFileNames } from '../src/monitoring/topology';

/*
 * Hostile input, as a new user (or JavaScript) gives it: every case either synthesizes a correct
 * template or fails with the library's message (construct path, value found, fix), never a TypeError.
 */

const image = ecs.ContainerImage.fromRegistry('busybox');
const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1';

/** The ingress rules of the stack, as [FromPort, IpProtocol]. */
function ingress(env: TestEnv): Array<[unknown, unknown]> {
  return Object.values(Template.fromStack(env.stack).findResources('AWS::EC2::SecurityGroupIngress'))
    .map((r: any) => [r.Properties.FromPort, r.Properties.IpProtocol]);
}

/** What a call throws: the message, and whether it is a TypeError. */
function thrownBy(call: () => unknown): { message: string; typeError: boolean } | undefined {
  try {
    call();
    return undefined;
  } catch (e) {
    return { message: (e as Error).message, typeError: e instanceof TypeError };
  }
}

/** A server 'Api' on the given port mappings and endpoints, with a client 'Web' calling it; relaxing `relax` on the server keeps synth going. */
function wired(portMappings: ecs.PortMapping[], endpoints: (env: TestEnv) => ServiceConnectEndpoint[], relax?: string): TestEnv {
  const env = new TestEnv();
  const api = new ClientServerService(env.stack, 'Api', { cluster: env.cluster, namespace: env.namespace, container: { image, portMappings }, endpoints: endpoints(env) });
  new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image }, connectsTo: [api] });
  if (relax) {
    ServiceConnectRules.relax(api, relax, 'testing what is rendered');
  }
  return env;
}

describe('imported task definitions', () => {
  test.each([
    ['FargateTaskDefinition.fromFargateTaskDefinitionAttributes', (env: TestEnv) => ecs.FargateTaskDefinition.fromFargateTaskDefinitionAttributes(env.stack, 'Imported', {
      taskDefinitionArn: TASK_ARN, networkMode: ecs.NetworkMode.AWS_VPC, taskRole: iam.Role.fromRoleArn(env.stack, 'Role', 'arn:aws:iam::123456789012:role/app'),
    })],
    ['Ec2TaskDefinition.fromEc2TaskDefinitionArn', (env: TestEnv) => ecs.Ec2TaskDefinition.fromEc2TaskDefinitionArn(env.stack, 'Imported', TASK_ARN)],
    ['TaskDefinition.fromTaskDefinitionArn', (env: TestEnv) => ecs.TaskDefinition.fromTaskDefinitionArn(env.stack, 'Imported', TASK_ARN)],
  ])('%s: a clear error naming the task definition, never a TypeError', (_name, imported) => {
    // GIVEN an imported task definition, passed through `any` as JavaScript would
    const env = new TestEnv();
    const taskDefinition = imported(env) as any;
    // WHEN a server or a client is built on it
    for (const build of [
      () => new ClientServerService(env.stack, 'Api', { cluster: env.cluster, namespace: env.namespace, taskDefinition, endpoints: [{ portMappingName: 'http' }] }),
      () => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition }),
    ]) {
      // THEN the error names the task definition and says how to fix it
      const thrown = thrownBy(build);
      expect(thrown?.typeError).toBe(false);
      expect(thrown?.message).toMatch(/^Stack\/(Api|Web): the task definition is not one defined in this app.*\(found: taskDefinition Stack\/Imported\)\. Fix: define the task definition in this app/);
    }
  });
});

describe('a cluster from fromClusterAttributes', () => {
  test('without a VPC: a clear error for an awsvpc service, never a TypeError', () => {
    const env = new TestEnv();
    const cluster = ecs.Cluster.fromClusterAttributes(env.stack, 'Imported', { clusterName: 'shared' } as any);
    const thrown = thrownBy(() => new ClientService(env.stack, 'Web', { cluster, namespace: env.namespace, container: { image } }));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toMatch(/^Stack\/Web: the cluster has no VPC.*\(found: cluster Stack\/Imported without `vpc`\)\. Fix: import the cluster with its `vpc`/);
  });

  test('with its VPC: the service synthesizes', () => {
    const env = new TestEnv();
    const cluster = ecs.Cluster.fromClusterAttributes(env.stack, 'Imported', { clusterName: 'shared', vpc: env.vpc });
    new ClientService(env.stack, 'Web', { cluster, namespace: env.namespace, container: { image } });
    Template.fromStack(env.stack).resourceCountIs('AWS::ECS::Service', 1);
  });
});

describe('from JavaScript', () => {
  test.each([
    ['a ClientService', (env: TestEnv) => new ClientService(env.stack, 'Other', { cluster: env.cluster, namespace: env.namespace, container: { image } }), 'Stack/Other'],
    ['undefined', () => undefined, 'nothing'],
    ['a plain FargateService', (env: TestEnv) => new ecs.FargateService(env.stack, 'Plain', { cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'PlainTask') }), 'Stack/Plain'],
  ])('connectsTo holding %s: a clear error, never a TypeError', (_name, target, found) => {
    const env = new TestEnv();
    const thrown = thrownBy(() => new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, container: { image }, connectsTo: [target(env) as any],
    }));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toContain(`Stack/Web: connectTo needs a server: a ClientServerService, or one from ClientServerService.fromAttributes (found: ${found}). Fix: `);
  });

  test.each([
    ['no props', undefined, /Stack\/Web: no props \(found: nothing\)\. Fix: pass the props object/],
    ['a namespace that is a string', { namespace: 'shop.internal' }, /`namespace` is not a Service Connect namespace \(found: namespace a string\)/],
    ['connectsTo that is not a list', { connectsTo: {} }, /`connectsTo` is not a list \(found: connectsTo an object\)/],
    ['no cluster', { cluster: undefined }, /Stack\/Web: no ECS cluster \(found: cluster nothing\)/],
  ])('%s: a clear error, never a TypeError', (_name, props, expected) => {
    const env = new TestEnv();
    const thrown = thrownBy(() => new ClientService(env.stack, 'Web', props === undefined ? undefined as any
      : { cluster: env.cluster, namespace: env.namespace, container: { image }, ...props } as any));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toMatch(expected);
  });

  test.each([
    ['endpoints that are not a list', {}, /`endpoints` must be a list .*\(found: endpoints an object\)/],
    ['an undefined endpoint', [undefined], /\(found: endpoints with port mapping names \[nothing\]\)/],
    ['a null endpoint', [null], /\(found: endpoints with port mapping names \[nothing\]\)/],
  ])('a server with %s: a clear error, never a TypeError', (_name, endpoints, expected) => {
    const env = new TestEnv();
    const thrown = thrownBy(() => new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, namespace: env.namespace, container: { image, portMappings: [{ name: 'http', containerPort: 8080 }] }, endpoints: endpoints as any,
    }));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toMatch(expected);
  });

  test.each([
    ['no attributes', undefined, /Stack\/Payments: fromAttributes needs the namespace the server joined \(found: namespace nothing\)/],
    ['no endpoints', { endpoints: undefined }, /fromAttributes needs the server's endpoints.*\(found: endpoints nothing\)/],
    ['an endpoint without names', { endpoints: [{ listenPort: 8443 }] }, /\(found: endpoints \[an object\]\)/],
    ['security groups that are strings', { securityGroups: ['sg-123'] }, /fromAttributes takes security groups \(found: securityGroups \[a string\]\)/],
  ])('fromAttributes with %s: a clear error, never a TypeError', (_name, attrs, expected) => {
    const env = new TestEnv();
    const thrown = thrownBy(() => ClientServerService.fromAttributes(env.stack, 'Payments', attrs === undefined ? undefined as any : {
      namespace: env.namespace, endpoints: [{ portMappingName: 'http', discoveryName: 'payments', dnsName: 'payments', listenPort: 8443 }], ...attrs,
    } as any));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toMatch(expected);
  });
});

describe('names that are tokens, in messages', () => {
  test('an endpoint named by a token with a value of the wrong type: the message says a token, never its placeholder', () => {
    const env = new TestEnv();
    const name = new CfnParameter(env.stack, 'PortName').valueAsString;
    const thrown = thrownBy(() => new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      container: { image, portMappings: [{ name: 'http', containerPort: 8080 }] },
      endpoints: [{ portMappingName: name, discoveryName: 5 as any }],
    }));
    expect(thrown?.message).toMatch(/endpoint '\(a token\)' has a value of the wrong type \(found: discoveryName a number\)/);
    expect(thrown?.message).not.toMatch(/\$\{Token/);
  });

  test('a server from fromAttributes whose discovery name is a token, with a port that is not a number', () => {
    const env = new TestEnv();
    const name = new CfnParameter(env.stack, 'Discovery').valueAsString;
    const thrown = thrownBy(() => ClientServerService.fromAttributes(env.stack, 'Payments', {
      namespace: env.namespace, endpoints: [{ portMappingName: 'http', discoveryName: name, dnsName: 'payments', listenPort: '8443' as any }],
    }));
    expect(thrown?.message).toMatch(/endpoint '\(a token\)' has a port that is not a number \(found: listenPort a string\)/);
    expect(thrown?.message).not.toMatch(/\$\{Token/);
  });
});

describe('namespaces from JavaScript', () => {
  test.each([
    ['no props', (env: TestEnv) => new ServiceConnectNamespace(env.stack, 'Ns', undefined as any), /^Stack\/Ns: a namespace needs a name \(found: name nothing\)\. Fix: /],
    ['an empty name', (env: TestEnv) => new ServiceConnectNamespace(env.stack, 'Ns', { name: '' }), /a namespace needs a name \(found: name ''\)/],
    ['defaultFor that is not a list', (env: TestEnv) => new ServiceConnectNamespace(env.stack, 'Ns', { name: 'x', defaultFor: env.cluster as any }), /`defaultFor` is not a list \(found: defaultFor Stack\/Cluster\)/],
    ['defaultFor holding undefined', (env: TestEnv) => new ServiceConnectNamespace(env.stack, 'Ns', { name: 'x', defaultFor: [undefined as any] }), /makeDefaultFor needs an ECS cluster \(found: cluster nothing\)/],
    ['fromNamespace of undefined', (env: TestEnv) => ServiceConnectNamespace.fromNamespace(env.stack, 'Ns', undefined as any), /^Stack\/Ns: fromNamespace needs a Cloud Map namespace \(found: namespace nothing\)/],
    ['fromNamespaceArn of undefined', (env: TestEnv) => ServiceConnectNamespace.fromNamespaceArn(env.stack, 'Ns', undefined as any), /not a Cloud Map namespace ARN \(found: nothing\)/],
    ['shareWith without options', (env: TestEnv) => env.namespace.shareWith('Share', undefined as any), /a namespace share needs at least one principal/],
    ['shareWith a string of principals', (env: TestEnv) => env.namespace.shareWith('Share', { principals: '111122223333' as any }), /share principals must be a list of strings \(found: principals a string\)/],
  ])('%s: a clear error, never a TypeError', (_name, call, expected) => {
    const env = new TestEnv();
    const thrown = thrownBy(() => call(env));
    expect(thrown?.typeError).toBe(false);
    expect(thrown?.message).toMatch(expected);
    expect(thrown?.message).not.toMatch(/\bundefined\b/);
  });
});

describe('ports: never a rule on a port no proxy listens on', () => {
  test('a named port range (relaxed): no rule on port 0', () => {
    const env = wired([{ name: 'range', containerPort: ecs.ContainerDefinition.CONTAINER_PORT_USE_RANGE, containerPortRange: '8000-8010' }],
      () => [{ portMappingName: 'range' }], 'EndpointPort');
    expect(ingress(env)).toEqual([]);
  });

  test('a UDP port mapping: a warning, and no TCP rule', () => {
    const env = wired([{ name: 'dns', containerPort: 5353, protocol: ecs.Protocol.UDP }], () => [{ portMappingName: 'dns' }]);
    expect(ingress(env)).toEqual([]);
  });

  test('an ingress override from a Lazy: the rule is on that port', () => {
    const env = wired([{ name: 'http', containerPort: 8080 }], () => [{ portMappingName: 'http', ingressPortOverride: Lazy.number({ produce: () => 9000 }) }]);
    expect(ingress(env)).toEqual([[9000, 'tcp']]);
  });

  test('an ingress override from a parameter: the rule refers to the parameter', () => {
    const env = wired([{ name: 'http', containerPort: 8080 }], (e) => [{
      portMappingName: 'http', ingressPortOverride: new CfnParameter(e.stack, 'ListenPort', { type: 'Number' }).valueAsNumber,
    }]);
    expect(ingress(env)).toEqual([[{ Ref: 'ListenPort' }, 'tcp']]);
  });

  test('a server from fromAttributes with a listen port of -1 (relaxed): no rule', () => {
    const env = new TestEnv();
    const group = new ec2.SecurityGroup(env.stack, 'PaymentsGroup', { vpc: env.vpc });
    const payments = ClientServerService.fromAttributes(env.stack, 'Payments', {
      namespace: env.namespace, securityGroups: [group], endpoints: [{ portMappingName: 'http', discoveryName: 'payments', dnsName: 'payments', listenPort: -1 }],
    });
    ServiceConnectRules.relax(payments, 'EndpointPort', 'testing what is rendered');
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image }, connectsTo: [payments] });
    expect(ingress(env)).toEqual([]);
  });
});

describe('the topology artifact', () => {
  test('ports from a parameter or a Lazy read as what they stand for, never as a token', () => {
    // GIVEN a server whose alias port is a parameter and whose listen port is a Lazy
    const env = wired([{ name: 'http', containerPort: 8080 }], (e) => [{
      portMappingName: 'http', port: new CfnParameter(e.stack, 'AliasPort', { type: 'Number' }).valueAsNumber, ingressPortOverride: Lazy.number({ produce: () => 9000 }),
    }]);
    // WHEN synthesized
    const assembly = env.app.synth();
    const files = topologyFileNames(env.namespace);
    const json = fs.readFileSync(path.join(assembly.directory, files.json), 'utf8');
    const mermaid = fs.readFileSync(path.join(assembly.directory, files.mermaid), 'utf8');
    // THEN the parameter reads as Ref(AliasPort), the Lazy as its number, and the edge has the port opened
    expect(JSON.parse(json).services[0].endpoints[0]).toEqual({ portMappingName: 'http', discoveryName: 'http', dnsName: 'http', port: 'Ref(AliasPort)', listenPort: 9000 });
    expect(JSON.parse(json).edges).toEqual([{ client: 's1', server: 's0', ordered: true, ports: [9000] }]);
    expect(mermaid).toContain('http:Ref(AliasPort)');
    expect(mermaid).toContain('|"tcp 9000"|');
    for (const text of [json, mermaid]) {
      expect(text).not.toMatch(/Token\[|e\+\d{2,}/);
    }
  });
});
