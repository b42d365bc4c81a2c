import { App, Aspects, CfnParameter, Duration, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { IConstruct } from 'constructs';
import { ClientServerService, ClientService, DeploymentStrategy, ServiceConnectNamespace, ServiceConnectRules } from '../../src';
import { fargateTask, TestEnv } from '../util';

/*
 * The defects of issue #18 in how the library reads an app: each test fails on the main before it.
 */

function app() {
  const root = new App();
  const stack = new Stack(root, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return { root, stack, vpc, cluster };
}

function service(stack: Stack, cluster: ecs.ICluster, id: string, config?: ecs.ServiceConnectProps): ecs.FargateService {
  return new ecs.FargateService(stack, id, {
    cluster, taskDefinition: fargateTask(stack, `${id}Task`, [{ name: 'http', containerPort: 8080 }]), serviceConnectConfiguration: config,
  });
}

describe('the namespace a configuration names', () => {
  test('a plain name the app does not define is imported by that name, and the same name is the same namespace', () => {
    const { stack, cluster } = app();
    const a = ClientServerService.attach(stack, 'A', { service: service(stack, cluster, 'SvcA', { namespace: 'cool', services: [{ portMappingName: 'http', discoveryName: 'a' }] }) });
    const b = ClientServerService.attach(stack, 'B', { service: service(stack, cluster, 'SvcB', { namespace: 'cool', services: [{ portMappingName: 'http', discoveryName: 'a' }] }) });
    expect(a.namespace.namespaceName).toBe('cool');
    expect(b.namespace).toBe(a.namespace);
    // one namespace: the discovery name used twice is found
    expect(() => Template.fromStack(stack)).toThrow(/\[DiscoveryNameUnique\] Stack\/B: the discovery name is already used in namespace cool by Stack\/A/);
  });

  test('a Cloud Map namespace of the app named by ARN is that namespace, even beside a cluster default', () => {
    const { stack, cluster } = app();
    cluster.addDefaultCloudMapNamespace({ name: 'default.internal' });
    const other = new servicediscovery.HttpNamespace(stack, 'Other', { name: 'other.internal' });
    const inDefault = ClientServerService.attach(stack, 'InDefault', { service: service(stack, cluster, 'SvcA', { services: [{ portMappingName: 'http', dnsName: 'api', port: 80 }] }) });
    const inOther = ClientServerService.attach(stack, 'InOther', {
      service: service(stack, cluster, 'SvcB', { namespace: other.namespaceArn, services: [{ portMappingName: 'http', dnsName: 'api', port: 80 }] }),
    });
    expect(inDefault.namespace).toBe(ServiceConnectNamespace.ofCluster(cluster));
    expect(inOther.namespace.cloudMapNamespace).toBe(other);
    // the same endpoint in two namespaces is no clash, and the configuration is no conflict
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('an L1 Cloud Map namespace referred to by GetAtt is that namespace', () => {
    const { stack, cluster } = app();
    const l1 = new servicediscovery.CfnHttpNamespace(stack, 'L1Namespace', { name: 'l1.internal' });
    const svc = ClientService.attach(stack, 'Sc', { service: service(stack, cluster, 'Svc', { namespace: l1.attrArn }) });
    expect(svc.namespace.namespaceName).toBe('l1.internal');
    expect(stack.resolve(svc.namespace.namespaceArn)).toEqual({ 'Fn::GetAtt': ['L1Namespace', 'Arn'] });
  });

  test('a name two Cloud Map namespaces of the app have is refused with the fix, never guessed', () => {
    const { stack, cluster, vpc } = app();
    new servicediscovery.PrivateDnsNamespace(stack, 'One', { name: 'twin.internal', vpc });
    new servicediscovery.PrivateDnsNamespace(stack, 'Two', { name: 'twin.internal', vpc: new ec2.Vpc(stack, 'Vpc2', { maxAzs: 1, natGateways: 0 }) });
    const svc = service(stack, cluster, 'Svc', { namespace: 'twin.internal' });
    expect(() => ClientService.attach(stack, 'Sc', { service: svc })).toThrow(/\[NamespaceNamed\] Stack\/Sc: .*several Cloud Map namespaces.*Stack\/One\/Resource, Stack\/Two\/Resource.*Fix: name the namespace by its ARN/);
  });

  test('one parameter naming the namespace of two services is one namespace', () => {
    const { stack, cluster } = app();
    const param = new CfnParameter(stack, 'Ns', { type: 'String' });
    const a = ClientService.attach(stack, 'A', { service: service(stack, cluster, 'SvcA', { namespace: param.valueAsString }) });
    const b = ClientService.attach(stack, 'B', { service: service(stack, cluster, 'SvcB', { namespace: param.valueAsString }) });
    expect(b.namespace).toBe(a.namespace);
  });
});

describe('endpoints as ECS names them', () => {
  test('a client alias without a DNS name is discoveryName.namespace: no false clash with a bare name, and the real clash is found', () => {
    const { stack, cluster } = app();
    const ns = new ServiceConnectNamespace(stack, 'Ns', { name: 'shop.internal', defaultFor: [cluster] });
    // `api.shop.internal:8080`, as ECS names the first; a library endpoint named `api` on 8080 is another endpoint
    const adopted = ClientServerService.attach(stack, 'Adopted', {
      service: service(stack, cluster, 'Svc', { namespace: 'shop.internal', services: [{ portMappingName: 'http', discoveryName: 'api' }] }),
    });
    new ClientServerService(stack, 'Bare', {
      cluster,
      namespace: ns,
      taskDefinition: fargateTask(stack, 'BareTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'bare', dnsName: 'api' }],
    });
    expect(adopted.endpoints.map((ep) => `${ep.dnsName}:${ep.port}`)).toEqual(['api.shop.internal:8080']);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('the real clash with a default DNS name is found', () => {
    const { stack, cluster } = app();
    const ns = new ServiceConnectNamespace(stack, 'Ns', { name: 'shop.internal', defaultFor: [cluster] });
    ClientServerService.attach(stack, 'Adopted', {
      service: service(stack, cluster, 'Svc', { namespace: 'shop.internal', services: [{ portMappingName: 'http', discoveryName: 'api' }] }),
    });
    new ClientServerService(stack, 'Clash', {
      cluster,
      namespace: ns,
      taskDefinition: fargateTask(stack, 'ClashTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'clash', dnsName: 'api.shop.internal' }],
    });
    expect(() => Template.fromStack(stack)).toThrow(/\[EndpointUnique\] Stack\/(Clash|Adopted): the endpoint is already used in namespace shop.internal/);
  });

  test('the same token twice is the same value: one parameter as two discovery names, a Lazy 80 beside a literal 80', () => {
    const env = new TestEnv();
    const name = new CfnParameter(env.stack, 'Name', { type: 'String' }).valueAsString;
    const task = (id: string) => fargateTask(env.stack, id, [{ name: 'http', containerPort: 8080 }]);
    new ClientServerService(env.stack, 'A', { cluster: env.cluster, namespace: env.namespace, taskDefinition: task('TA'), endpoints: [{ portMappingName: 'http', discoveryName: name }] });
    new ClientServerService(env.stack, 'B', { cluster: env.cluster, namespace: env.namespace, taskDefinition: task('TB'), endpoints: [{ portMappingName: 'http', discoveryName: name }] });
    new ClientServerService(env.stack, 'C', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: task('TC'),
      endpoints: [{ portMappingName: 'http', discoveryName: 'c', dnsName: 'web', port: Lazy.number({ produce: () => 80 }) }],
    });
    new ClientServerService(env.stack, 'D', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: task('TD'), endpoints: [{ portMappingName: 'http', discoveryName: 'd', dnsName: 'web', port: 80 }],
    });
    const error = (() => { try { env.template(); return ''; } catch (e) { return String(e); } })();
    expect(error).toMatch(/\[DiscoveryNameUnique\] Stack\/B: the discovery name is already used in namespace test.internal by Stack\/A \(found: discovery name '\{"Ref":"Name"\}'\)/);
    expect(error).toMatch(/\[EndpointUnique\] Stack\/D: the endpoint is already used in namespace test.internal by Stack\/C \(found: endpoint web:80\)/);
  });
});

describe('bridge mode', () => {
  function bridgeService(stack: Stack, cluster: ecs.Cluster, config: ecs.ServiceConnectProps) {
    const task = new ecs.Ec2TaskDefinition(stack, 'BridgeTask', { networkMode: ecs.NetworkMode.BRIDGE });
    (task.node.defaultChild as ecs.CfnTaskDefinition).memory = '1024';
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 512, portMappings: [{ name: 'http', containerPort: 8080 }] });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium'), machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    return new ecs.Ec2Service(stack, 'Bridge', { cluster, taskDefinition: task, serviceConnectConfiguration: config });
  }

  test('a bridge-mode server nobody in the app calls is adopted, with a warning', () => {
    const { stack, cluster } = app();
    const adopted = ClientServerService.attach(stack, 'Sc', { service: bridgeService(stack, cluster, { namespace: 'shop.internal', services: [{ portMappingName: 'http' }] }) });
    expect(() => Template.fromStack(stack)).not.toThrow();
    Annotations.fromStack(stack).hasWarning('/Stack/Sc', Match.stringLikeRegexp('\\[BridgeIngressPortOverride\\].*no service of the app calls it.*in the service\'s own Service Connect configuration'));
    expect(adopted.endpoints[0].listenPort).toBeUndefined();
  });

  test('an override given to attach but not in the configuration: the conflict shows where the two differ', () => {
    const { stack, cluster } = app();
    ClientServerService.attach(stack, 'Sc', {
      service: bridgeService(stack, cluster, { namespace: 'shop.internal', services: [{ portMappingName: 'http' }] }),
      endpoints: [{ portMappingName: 'http', dnsName: 'http.shop.internal', ingressPortOverride: 9090 }],
    });
    expect(() => Template.fromStack(stack)).toThrow(/\[ServiceConnectConfigurationConflict\].*proxy listening on an ephemeral port.*proxy listening on 9090/);
  });
});

describe('ingress from a shared instance security group', () => {
  test('a bridge-mode client calling an awsvpc server: the rule stays, and a warning names who gets in and the fix', () => {
    const env = new TestEnv();
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium'), machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http' }],
    });
    const webTask = new ecs.Ec2TaskDefinition(env.stack, 'WebTask', { networkMode: ecs.NetworkMode.BRIDGE });
    (webTask.node.defaultChild as ecs.CfnTaskDefinition).memory = '1024';
    webTask.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 512 });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: webTask, connectsTo: [api] });
    const template = env.template();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080 });
    Annotations.fromStack(env.stack).hasWarning('/Stack/Web', Match.stringLikeRegexp(
      "\\[InstanceSecurityGroupIngress\\] Stack/Web: the server Stack/Api admits this client from its container instances' security group, which lets in every task.*"
      + 'found: network mode bridge, security group Stack/Cluster/Capacity/InstanceSecurityGroup.*Fix: run the client in the awsvpc network mode'));
  });
});

describe('calls declared too late, and relaxations that would drop a call', () => {
  test('connectTo after the wiring ran is a clear error', () => {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    const late: IAspect = { visit: (node: IConstruct) => { if (node === web) { web.connectTo(api); } } };
    Aspects.of(env.stack).add(late);
    expect(() => env.template()).toThrow(/\[ConnectAfterWiring\] Stack\/Web: connectTo was called after the library wired the app.*found: connectTo\(Stack\/Api\)/);
  });

  test('ConnectAcrossNamespaces cannot be relaxed: the call would be dropped', () => {
    const env = new TestEnv();
    expect(() => ServiceConnectRules.relax(env.stack, 'ConnectAcrossNamespaces', 'we know')).toThrow(/\[ConnectAcrossNamespaces\] Stack: this rule cannot be relaxed/);
  });
});

describe('attach from another stack', () => {
  test('the resources attach creates live in the ECS service\'s stack: no dependency cycle', () => {
    const { root, stack, cluster } = app();
    const ns = new ServiceConnectNamespace(stack, 'Ns', { name: 'shop.internal' });
    const svc = service(stack, cluster, 'Svc');
    svc.taskDefinition.obtainExecutionRole();
    const platform = new Stack(root, 'Platform', { env: { account: '111111111111', region: 'us-east-1' } });
    const attached = ClientServerService.attach(platform, 'Sc', { service: svc, namespace: ns, endpoints: [{ portMappingName: 'http' }] });
    expect(() => root.synth()).not.toThrow();
    expect(attached.proxyLogGroup && Stack.of(attached.proxyLogGroup)).toBe(stack);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
    Template.fromStack(platform).resourceCountIs('AWS::Logs::LogGroup', 0);
  });
});

describe('messages', () => {
  test('an empty proxy-log stream prefix is refused at construction', () => {
    const env = new TestEnv();
    expect(() => new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), proxyLogs: { streamPrefix: '' },
    })).toThrow(/Stack\/Web: the proxy logs need a stream prefix.*found: streamPrefix ""\)/);
  });

  test('a bake time above 1440 minutes fails synth', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'WebTask'),
      deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(1441),
    });
    expect(() => env.template()).toThrow(/\[BlueGreenBakeTime\] Stack\/Web: a bake time is 0 to 1440 minutes.*found: bakeTime 1441 minutes/);
  });

  test('a sizing error names a token as a token, never its placeholder number', () => {
    const env = new TestEnv();
    const cpu = new CfnParameter(env.stack, 'Cpu', { type: 'Number' }).valueAsNumber;
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image: ecs.ContainerImage.fromRegistry('nginx'), cpu } }))
      .toThrow(/found: cpu \(a token\), memoryLimitMiB 512\)/);
  });
});
