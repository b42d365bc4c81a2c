import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, IServiceConnectNamespace, ServiceConnectNamespace } from '../src';
import { dependsOnOf, fargateTask, serviceLogicalId, TestEnv, TestPort, waitsFor } from './util';

interface ServerExtras {
  readonly ingressPortOverride?: number;
  readonly namespace?: IServiceConnectNamespace;
  readonly stack?: Stack;
}

function server(env: TestEnv, id: string, port: TestPort, extra: ServerExtras = {}) {
  const scope = extra.stack ?? env.stack;
  return new ClientServerService(scope, id, {
    cluster: env.cluster,
    namespace: extra.namespace ?? env.namespace,
    taskDefinition: fargateTask(scope, `${id}Task`, [port]),
    endpoints: [{ portMappingName: port.name, discoveryName: id.toLowerCase(), ingressPortOverride: extra.ingressPortOverride }],
  });
}

function ingressRules(template: Template): any[] {
  return Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
}

describe('ordering', () => {
  test('a three-tier chain in one stack orders each service after the one it calls, with DependsOn', () => {
    // GIVEN
    const env = new TestEnv();
    const db = server(env, 'Db', { name: 'pg', containerPort: 5432 });
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 });
    // WHEN
    api.connectTo(db);
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    // THEN
    const dbId = serviceLogicalId(env.stack, 'Db');
    const apiId = serviceLogicalId(env.stack, 'Api');
    expect(dependsOnOf(env.stack, 'Api')).toContain(dbId);
    expect(dependsOnOf(env.stack, 'Web')).toContain(apiId);
    expect(dependsOnOf(env.stack, 'Db')).not.toContain(apiId);
    expect(api.connectsTo).toEqual([db]);
  });

  test('across two stacks the client stack depends on the server stack, and synth succeeds', () => {
    // GIVEN
    const app = new App();
    const env = new TestEnv(app, 'Backend');
    const frontend = new Stack(app, 'Frontend');
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 });
    // WHEN
    const web = new ClientService(frontend, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(frontend, 'WebTask'), connectsTo: [api],
    });
    // THEN
    const assembly = app.synth();
    expect(frontend.dependencies).toContain(env.stack);
    expect(env.stack.dependencies).not.toContain(frontend);
    expect(assembly.getStackByName('Frontend').dependencies.map((d) => d.id)).toContain('Backend');
    // the ingress rule lives in the client's stack, so the reference points the same way as the ordering
    expect(ingressRules(Template.fromStack(frontend))).toEqual([expect.objectContaining({ FromPort: 8080, ToPort: 8080 })]);
    expect(ingressRules(Template.fromStack(env.stack))).toEqual([]);
    expect(web.connectsTo).toEqual([api]);
  });

  test('every service depends on its namespace being created', () => {
    const env = new TestEnv();
    server(env, 'Api', { name: 'http', containerPort: 8080 });
    const namespaceId = Object.keys(env.template().findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    // by the configuration's reference to the namespace's ARN; a DependsOn would be redundant (cfn-lint W3005)
    expect(waitsFor(env.template().toJSON(), serviceLogicalId(env.stack, 'Api'))).toContain(namespaceId);
    expect(dependsOnOf(env.stack, 'Api')).not.toContain(namespaceId);
  });

  test('a configuration that names the namespace by a literal keeps the DependsOn: nothing else orders the two', () => {
    const env = new TestEnv();
    const service = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080 }]),
      serviceConnectConfiguration: { namespace: 'test.internal', services: [{ portMappingName: 'http' }] },
    });
    ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service, namespace: env.namespace });
    const template = env.template().toJSON();
    const namespaceId = Object.keys(env.template().findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    const ordersId = env.stack.getLogicalId(service.node.defaultChild as ecs.CfnService);
    expect(template.Resources[ordersId].Properties.ServiceConnectConfiguration.Namespace).toBe('test.internal');
    expect(template.Resources[ordersId].DependsOn).toContain(namespaceId);
  });

  test('a namespace in another stack becomes a stack dependency', () => {
    const app = new App();
    const shared = new Stack(app, 'Shared');
    const namespace = new ServiceConnectNamespace(shared, 'Namespace', { name: 'shared.internal' });
    const env = new TestEnv(app, 'Services');
    server(env, 'Api', { name: 'http', containerPort: 8080 }, { namespace });
    app.synth();
    expect(env.stack.dependencies).toContain(shared);
  });

  test('a cycle fails synth naming the cycle; declaring one edge unordered breaks it', () => {
    // GIVEN
    const env = new TestEnv();
    const a = server(env, 'A', { name: 'http', containerPort: 8080 });
    const b = server(env, 'B', { name: 'http', containerPort: 8081 });
    a.connectTo(b);
    // WHEN
    b.connectTo(a);
    // THEN
    expect(() => env.template()).toThrow(/\[ConnectCycle\] Stack\/B: .*found: Stack\/B -> Stack\/A -> Stack\/B\).*Fix: .*ordered: false/);

    // GIVEN the same services, with the back edge unordered
    const env2 = new TestEnv();
    const a2 = server(env2, 'A', { name: 'http', containerPort: 8080 });
    const b2 = server(env2, 'B', { name: 'http', containerPort: 8081 });
    a2.connectTo(b2);
    b2.connectTo(a2, { ordered: false });
    // THEN synth passes, only A waits for B, and both directions get their ingress rule
    expect(dependsOnOf(env2.stack, 'A')).toContain(serviceLogicalId(env2.stack, 'B'));
    expect(dependsOnOf(env2.stack, 'B')).not.toContain(serviceLogicalId(env2.stack, 'A'));
    expect(ingressRules(env2.template()).map((r) => r.FromPort).sort()).toEqual([8080, 8081]);
  });

  test('a longer cycle is named in full', () => {
    const env = new TestEnv();
    const a = server(env, 'A', { name: 'http', containerPort: 8080 });
    const b = server(env, 'B', { name: 'http', containerPort: 8081 });
    const c = server(env, 'C', { name: 'http', containerPort: 8082 });
    a.connectTo(b);
    b.connectTo(c);
    c.connectTo(a);
    expect(() => env.template()).toThrow(/found: Stack\/C -> Stack\/A -> Stack\/B -> Stack\/C\)/);
  });

  test('an unordered edge across stacks breaks a cycle without a stack cycle', () => {
    const app = new App();
    const env = new TestEnv(app, 'Backend');
    const frontend = new Stack(app, 'Frontend');
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 });
    const web = new ClientServerService(frontend, 'Web', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(frontend, 'WebTask', [{ name: 'http', containerPort: 3000 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'web' }],
      connectsTo: [api],
    });
    api.connectTo(web, { ordered: false });
    expect(() => app.synth()).not.toThrow();
    // the rule opening web to api lives in web's (the later) stack
    expect(ingressRules(Template.fromStack(frontend)).map((r) => r.FromPort).sort()).toEqual([3000, 8080]);
  });
});

describe('stack order', () => {
  function setup() {
    // the namespace and the client live in Base; the server in Servers, which must deploy after Base
    const app = new App();
    const env = new TestEnv(app, 'Base');
    const servers = new Stack(app, 'Servers');
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 }, { stack: servers });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    return { app, api, web };
  }

  test('an ordered edge that would make two stacks wait for each other is a ConnectCycle error, not a CDK crash', () => {
    const { app, api, web } = setup();
    web.connectTo(api);
    expect(() => app.synth()).toThrow(/\[ConnectCycle\] Base\/Web: connecting to Servers\/Api would order stacks in a cycle \(found: stacks Base -> Servers -> Base\)\. Fix: move the client/);
  });

  test('the same edge unordered places its rules in the server\'s stack and synthesizes', () => {
    const { app, api, web } = setup();
    web.connectTo(api, { ordered: false });
    const assembly = app.synth();
    expect(assembly.getStackByName('Servers').dependencies.map((d) => d.id)).toContain('Base');
    expect(ingressRules(Template.fromStack(Stack.of(api))).map((r) => r.FromPort)).toEqual([8080]);
  });
});

describe('security groups', () => {
  test.each([
    ['without an ingress override: the container port', undefined, 8080],
    ['with an ingress override: the override', 9090, 9090],
  ])('the server allows the client on the proxy listen port, %s', (_name, ingressPortOverride, expectedPort) => {
    // GIVEN
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      // the client alias port 80 must never be opened
      endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80, ingressPortOverride }],
    });
    // WHEN
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    // THEN
    const rules = ingressRules(env.template());
    expect(rules).toEqual([{
      IpProtocol: 'tcp',
      FromPort: expectedPort,
      ToPort: expectedPort,
      GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ApiServiceSecurityGroup/), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^WebServiceSecurityGroup/), 'GroupId'] },
      Description: 'Service Connect from Stack/Web to Stack/Api',
    }]);
  });

  test('a server with no clients gets no ingress rule, and nothing is open to 0.0.0.0/0', () => {
    const env = new TestEnv();
    server(env, 'Api', { name: 'http', containerPort: 8080 });
    const template = env.template();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[];
    for (const group of groups) {
      expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
  });

  test('one rule per distinct listen port, however many endpoints share it', () => {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }, { name: 'grpc', containerPort: 9000 }]),
      endpoints: [
        { portMappingName: 'http' },
        { portMappingName: 'http', discoveryName: 'http-two' },
        { portMappingName: 'grpc' },
      ],
    });
    expect(api.listenPorts).toEqual([8080, 9000]);
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    expect(ingressRules(env.template()).map((r) => r.FromPort).sort()).toEqual([8080, 9000]);
  });

  test('a client group that restricts outbound traffic gets a matching egress rule', () => {
    const env = new TestEnv();
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 });
    const locked = new ec2.SecurityGroup(env.stack, 'Locked', { vpc: env.vpc, allowAllOutbound: false });
    new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), securityGroups: [locked], connectsTo: [api],
    });
    env.template().hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      FromPort: 8080,
      ToPort: 8080,
      IpProtocol: 'tcp',
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiServiceSecurityGroup'), 'GroupId'] },
    });
  });

  test('a server imported with fromAttributes gets the rule but no ordering', () => {
    const env = new TestEnv();
    const group = ec2.SecurityGroup.fromSecurityGroupId(env.stack, 'PaymentsGroup', 'sg-0123456789abcdef0');
    const payments = ClientServerService.fromAttributes(env.stack, 'Payments', {
      namespace: env.namespace,
      securityGroups: [group],
      endpoints: [{ portMappingName: 'http', discoveryName: 'payments', dnsName: 'payments', port: 80, listenPort: 8443 }],
    });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [payments] });
    expect(ingressRules(env.template())).toEqual([expect.objectContaining({ GroupId: 'sg-0123456789abcdef0', FromPort: 8443 })]);
    expect(env.namespace.services).toContain(payments);
  });
});

describe('namespaces', () => {
  test('a client connecting to a server in another namespace fails synth', () => {
    const env = new TestEnv();
    const other = new ServiceConnectNamespace(env.stack, 'Other', { name: 'other.internal' });
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 }, { namespace: other });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    expect(() => env.template()).toThrow(/\[ConnectAcrossNamespaces\] Stack\/Web: the server Stack\/Api is in another namespace.*Fix:/);
  });

  test('the namespace exposes the services that joined it, across stacks', () => {
    const app = new App();
    const env = new TestEnv(app, 'Backend');
    const other = new Stack(app, 'Frontend');
    const api = server(env, 'Api', { name: 'http', containerPort: 8080 });
    const web = new ClientService(other, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(other, 'WebTask') });
    expect(env.namespace.services).toEqual([api, web]);
  });

  test('fromNamespace wraps an existing namespace of any type', () => {
    const env = new TestEnv();
    const dns = new servicediscovery.PrivateDnsNamespace(env.stack, 'Dns', { name: 'dns.internal', vpc: env.vpc });
    const namespace = ServiceConnectNamespace.fromNamespace(env.stack, 'Wrapped', dns);
    expect(namespace.namespaceName).toBe('dns.internal');
    server(env, 'Api', { name: 'http', containerPort: 8080 }, { namespace });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dns'), 'Arn'] } }),
    });
    // the service still waits for the wrapped namespace's creation
    expect(waitsFor(env.template().toJSON(), serviceLogicalId(env.stack, 'Api'))).toEqual(expect.arrayContaining([expect.stringMatching(/^Dns/)]));
  });

  test('makeDefaultFor refuses an imported cluster and a second namespace', () => {
    const env = new TestEnv();
    const imported = ecs.Cluster.fromClusterAttributes(env.stack, 'Imported', { clusterName: 'x', vpc: env.vpc });
    expect(() => env.namespace.makeDefaultFor(imported)).toThrow(/imported.*Fix: pass `namespace`/);
    env.namespace.makeDefaultFor(env.cluster);
    const second = new ServiceConnectNamespace(env.stack, 'Second', { name: 'second.internal' });
    expect(() => second.makeDefaultFor(env.cluster)).toThrow(/already defaults to another Service Connect namespace.*found: default namespace Stack\/Namespace/);
  });
});
