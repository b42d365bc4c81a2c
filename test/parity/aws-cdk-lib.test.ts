// @floor-skip: it ports the Service Connect tests of the current aws-cdk-lib, whose access-log cases need aws-cdk-lib newer than the floor 2.178.0.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, ServiceConnectServiceBase } from '../../src';

/*
 * Parity with aws-cdk-lib's own Service Connect tests (aws-ecs/test/base-service.test.ts,
 * aws-ecs/test/fargate/fargate-service.test.ts and framework-integ's integ.service-connect*.ts): every
 * configuration they accept attaches with neither `namespace` nor `endpoints` given, keeps every field of
 * its configuration, and is read as ECS reads it; every configuration they reject is not synthesized.
 * The cases are rebuilt from what those tests configure and expect; the code is ours.
 */

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

interface Ctx {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly task: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
}

/** The fargate-service.test.ts setup: a cluster, a task whose container maps port 80 as 'api', a service without Service Connect. */
function fargate(options: { clusterNamespace?: string; appProtocol?: ecs.AppProtocol } = {}): Ctx {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  if (options.clusterNamespace) {
    cluster.addDefaultCloudMapNamespace({ name: options.clusterNamespace });
  }
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  task.addContainer('web', { image, memoryLimitMiB: 512, portMappings: [{ name: 'api', containerPort: 80, appProtocol: options.appProtocol }] });
  const service = new ecs.FargateService(stack, 'FargateService', { cluster, taskDefinition: task });
  return { stack, vpc, cluster, task, service };
}

/** The service's Service Connect configuration as aws-cdk-lib renders it into the template, before the library attaches. */
function configurationOf(service: ecs.BaseService): Record<string, unknown> {
  const resource = service.node.defaultChild as ecs.CfnService;
  // `_toCloudFormation` is how aws-cdk-lib renders one resource: the template's casing, map keys as they are.
  const rendered = Stack.of(service).resolve((resource as unknown as { _toCloudFormation(): any })._toCloudFormation());
  // Through JSON, as the template is: keys left undefined are not written.
  return JSON.parse(JSON.stringify((Object.values(rendered.Resources)[0] as any).Properties.ServiceConnectConfiguration));
}

/** Attaches as the README's "Adopting" section says, leaving out namespace and endpoints. */
function adopt(ctx: Ctx, service: ecs.BaseService = ctx.service): ServiceConnectServiceBase {
  const configuration = configurationOf(service);
  return configuration.Services ? ClientServerService.attach(ctx.stack, `${service.node.id}Sc`, { service })
    : ClientService.attach(ctx.stack, `${service.node.id}Sc`, { service });
}

/** Every field of `before` is in the rendered configuration unchanged; the library may add the proxy's logs where there were none. */
function expectKept(before: Record<string, unknown>, service: ecs.BaseService): void {
  const logicalId = Stack.of(service).getLogicalId(service.node.defaultChild as ecs.CfnService);
  const after = Template.fromStack(Stack.of(service)).toJSON().Resources[logicalId].Properties.ServiceConnectConfiguration;
  expect(Object.keys(after).filter((key) => !(key in before) && key !== 'LogConfiguration')).toEqual([]);
  expect(after).toEqual(expect.objectContaining(before));
}

describe('configurations aws-cdk-lib accepts attach without namespace or endpoints, and keep every field', () => {
  test.each([
    // [test of aws-cdk-lib, cluster default, enableServiceConnect argument, namespace ECS uses, DNS names ECS gives]
    ['client alias port is defaulted to containerport', undefined, { namespace: 'cool', services: [{ portMappingName: 'api' }] }, 'cool', ['api.cool'], undefined],
    ['with explicit enable', 'cool', {}, 'cool', [], undefined],
    ['with explicit enable and no props', 'cool', undefined, 'cool', [], undefined],
    ['namespace inferred from cluster', 'cool', {}, 'cool', [], undefined],
    ['with no alias name', 'cool', { services: [{ portMappingName: 'api', port: 80 }] }, 'cool', ['api.cool'], undefined],
    ['with no alias specified', 'cool', { services: [{ portMappingName: 'api' }] }, 'cool', ['api.cool'], undefined],
    ['can set idleTimeout without perRequestTimeout', undefined,
      { namespace: 'cool', services: [{ portMappingName: 'api', idleTimeout: Duration.seconds(10) }] }, 'cool', ['api.cool'], undefined],
    ['with all options exercised, but an ingress port override above 1024', undefined, {
      namespace: 'cool',
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc' }),
      services: [{
        portMappingName: 'api', discoveryName: 'svc', ingressPortOverride: 1080, port: 80, dnsName: 'api', idleTimeout: Duration.seconds(10), perRequestTimeout: Duration.seconds(10),
      }],
    }, 'cool', ['api'], ecs.AppProtocol.http],
    ['can set perRequestTimeout without idleTimeout, on an HTTP port mapping', undefined,
      { namespace: 'cool', services: [{ portMappingName: 'api', perRequestTimeout: Duration.seconds(10) }] }, 'cool', ['api.cool'], ecs.AppProtocol.http],
    ['can set idleTimeout and perRequestTimeout to 0, on an HTTP port mapping', undefined,
      { namespace: 'cool', services: [{ portMappingName: 'api', idleTimeout: Duration.seconds(0), perRequestTimeout: Duration.seconds(0) }] }, 'cool', ['api.cool'], ecs.AppProtocol.http],
  ])('%s', (_name, clusterNamespace, config, namespaceName, dnsNames, appProtocol) => {
    // GIVEN the app as aws-cdk-lib's test builds it (a literal 'cool' namespace also exists as an HttpNamespace there)
    const ctx = fargate({ clusterNamespace, appProtocol });
    if (!clusterNamespace) {
      new servicediscovery.HttpNamespace(ctx.stack, 'httpnamespace', { name: 'cool' });
    }
    ctx.service.enableServiceConnect(config as ecs.ServiceConnectProps | undefined);
    const before = configurationOf(ctx.service);
    // WHEN
    const adopted = adopt(ctx);
    // THEN it joins the namespace ECS uses, reads the endpoints as ECS names them, and renders its configuration unchanged
    expect(adopted.namespace.namespaceName).toBe(namespaceName);
    expect(adopted.endpoints.map((ep) => ep.dnsName)).toEqual(dnsNames);
    expectKept(before, ctx.service);
  });

  test('explicit enable and non default namespace: an HttpNamespace of the app named by its name is that namespace', () => {
    const ctx = fargate();
    const ns = new servicediscovery.HttpNamespace(ctx.stack, 'ns', { name: 'cool' });
    ctx.service.enableServiceConnect({ namespace: ns.namespaceName });
    const before = configurationOf(ctx.service);
    const adopted = adopt(ctx);
    expect(adopted.namespace.cloudMapNamespace).toBe(ns);
    expectKept(before, ctx.service);
  });

  test('access logs with a log driver, in every format (base-service.test.ts, in a namespace named test.namespace)', () => {
    const formats = [[ecs.ServiceConnectAccessLogFormat.JSON, true], [ecs.ServiceConnectAccessLogFormat.TEXT, false]] as const;
    for (const [format, includeQueryParameters] of formats) {
      const ctx = fargate();
      ctx.service.enableServiceConnect({
        namespace: 'test.namespace',
        services: [{ portMappingName: 'api' }],
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc' }),
        accessLogConfiguration: { format, includeQueryParameters },
      });
      const before = configurationOf(ctx.service);
      adopt(ctx);
      expectKept(before, ctx.service);
    }
  });

  test('TLS with a KMS key and a role (base-service.test.ts, in a namespace named test.namespace)', () => {
    const ctx = fargate();
    const kmsKey = new kms.Key(ctx.stack, 'KmsKey');
    const role = new iam.Role(ctx.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    ctx.service.enableServiceConnect({
      namespace: 'test.namespace',
      services: [{ portMappingName: 'api', tls: { awsPcaAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/123456789012', kmsKey, role } }],
    });
    const before = configurationOf(ctx.service);
    adopt(ctx);
    expectKept(before, ctx.service);
  });

  test('integ.service-connect.ts: a cluster default, an HttpNamespace named by ARN, and a client: each service in the namespace it names', () => {
    // GIVEN the integration test's app: the cluster defaults to scorekeep.com; SvcTwo and the generator name whistler.com by ARN
    const app = new App();
    const stack = new Stack(app, 'aws-ecs-service-connect');
    const cluster = new ecs.Cluster(stack, 'EcsCluster', {
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }),
      defaultCloudMapNamespace: { name: 'scorekeep.com', useForServiceConnect: true },
    });
    const task = new ecs.FargateTaskDefinition(stack, 'TaskDef', { cpu: 1024, memoryLimitMiB: 2048 });
    task.addContainer('web', { image, memoryLimitMiB: 512, portMappings: [{ name: 'api', containerPort: 80, appProtocol: ecs.AppProtocol.http2 }] });
    const svc = new ecs.FargateService(stack, 'Svc', {
      cluster,
      taskDefinition: task,
      serviceConnectConfiguration: { services: [{ portMappingName: 'api', dnsName: 'api', port: 80 }], logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc' }) },
    });
    const ns = new servicediscovery.HttpNamespace(stack, 'Ns', { name: 'whistler.com' });
    const svcTwo = new ecs.FargateService(stack, 'SvcTwo', { cluster, taskDefinition: task });
    svcTwo.node.addDependency(ns);
    svcTwo.enableServiceConnect({
      namespace: ns.namespaceArn,
      services: [{ portMappingName: 'api', dnsName: 'api', port: 80, idleTimeout: Duration.seconds(30), perRequestTimeout: Duration.seconds(30) }],
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc-svc2' }),
      accessLogConfiguration: { format: ecs.ServiceConnectAccessLogFormat.JSON, includeQueryParameters: true },
    });
    const generatorTask = new ecs.FargateTaskDefinition(stack, 'GeneratorTask', { cpu: 256, memoryLimitMiB: 512 });
    generatorTask.addContainer('generator', { image, memoryLimitMiB: 256 });
    const generator = new ecs.FargateService(stack, 'GeneratorSvc', { cluster, taskDefinition: generatorTask, serviceConnectConfiguration: { namespace: ns.namespaceArn } });
    generator.connections.allowTo(svcTwo, ec2.Port.allTcp());
    const before = [svc, svcTwo, generator].map(configurationOf);
    const ctx = { stack, cluster } as Ctx;
    // WHEN
    const [a, b, c] = [svc, svcTwo, generator].map((service) => adopt(ctx, service));
    // THEN no fallback to the cluster default, no spurious uniqueness finding, every field kept
    expect(a.namespace.namespaceName).toBe('scorekeep.com');
    expect(b.namespace.cloudMapNamespace).toBe(ns);
    expect(c.namespace).toBe(b.namespace);
    [svc, svcTwo, generator].forEach((service, i) => expectKept(before[i], service));
  });

  test('integ.service-connect-tls-configuration.ts: TLS in a PrivateDnsNamespace named by ARN', () => {
    const ctx = fargate();
    const namespace = new servicediscovery.PrivateDnsNamespace(ctx.stack, 'ns', { name: 'foobar.com', vpc: ctx.vpc });
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(ctx.stack, 'CA',
      'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/123456789012');
    const kmsKey = new kms.Key(ctx.stack, 'KmsKey', { enableKeyRotation: true });
    const role = new iam.Role(ctx.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    const service = new ecs.FargateService(ctx.stack, 'TlsService', {
      cluster: ctx.cluster,
      taskDefinition: ctx.task,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      serviceConnectConfiguration: {
        namespace: namespace.namespaceArn,
        services: [{ portMappingName: 'api', dnsName: 'api', port: 80, tls: { awsPcaAuthorityArn: ca.certificateAuthorityArn, role, kmsKey } }],
      },
    });
    const before = configurationOf(service);
    const adopted = adopt(ctx, service);
    expect(adopted.namespace.cloudMapNamespace).toBe(namespace);
    expectKept(before, service);
  });
});

describe('configurations aws-cdk-lib refuses are not synthesized, when set on the L1 and attached', () => {
  /** The configuration set on the L1 property, as an override or an older aws-cdk-lib would, bypassing the L2's checks. */
  function attachRaw(configuration: ecs.CfnService.ServiceConnectConfigurationProperty, extraPort?: ecs.PortMapping) {
    const ctx = fargate();
    if (extraPort) {
      ctx.task.addContainer('mobile', { image, memoryLimitMiB: 128, portMappings: [extraPort] });
    }
    (ctx.service.node.defaultChild as ecs.CfnService).serviceConnectConfiguration = configuration;
    return () => {
      ClientServerService.attach(ctx.stack, 'Sc', { service: ctx.service, proxyLogs: { enabled: false } });
      Template.fromStack(ctx.stack);
    };
  }

  test.each([
    ['access logs without a log driver', { enabled: true, namespace: 'test namespace', services: [{ portName: 'api' }], accessLogConfiguration: { format: 'JSON' } },
      undefined, /\[AccessLogsNeedProxyLogs\]/],
    ['a TLS authority that is not an ARN', { enabled: true, namespace: 'test namespace', services: [{ portName: 'api', tls: { issuerCertificateAuthority: { awsPcaAuthorityArn: 'invalid-arn' } } }] },
      undefined, /\[TlsCertificateAuthorityArn\].*found: awsPcaAuthorityArn "invalid-arn"/],
    ['a port mapping name the task definition does not have', { enabled: true, namespace: 'test namespace', services: [{ portName: '100', clientAliases: [{ dnsName: 'backend.prod', port: 80 }] }] },
      undefined, /\[PortMappingNameExists\]/],
    ['two services with one discovery name', {
      enabled: true,
      namespace: 'test namespace',
      services: [
        { portName: 'abc', clientAliases: [{ dnsName: 'backend.prod', port: 5005 }] }, { portName: 'abc', clientAliases: [{ dnsName: 'backend.prod.local', port: 100 }] },
      ],
    }, { containerPort: 100, name: 'abc' }, /\[DiscoveryNameUnique\]/],
    ['an ingress port override out of range', { enabled: true, namespace: 'test namespace', services: [{ portName: '100', ingressPortOverride: 100000, clientAliases: [{ dnsName: 'backend.prod', port: 5005 }] }] },
      { containerPort: 100, name: '100' }, /\[IngressPortOverride\]/],
    ['a client alias port out of range', { enabled: true, namespace: 'test namespace', services: [{ portName: '100', ingressPortOverride: 3000, clientAliases: [{ dnsName: 'backend.prod', port: 100000 }] }] },
      { containerPort: 100, name: '100' }, /\[EndpointPort\]/],
  ])('%s', (_name, configuration, extraPort, error) => {
    expect(attachRaw(configuration as ecs.CfnService.ServiceConnectConfigurationProperty, extraPort as ecs.PortMapping | undefined)).toThrow(error);
  });

  test('no namespace anywhere', () => {
    const ctx = fargate();
    (ctx.service.node.defaultChild as ecs.CfnService).serviceConnectConfiguration = { enabled: true };
    expect(() => ClientService.attach(ctx.stack, 'Sc', { service: ctx.service })).toThrow(/\[NamespaceRequired\]/);
  });

  test('an imported task definition: aws-cdk-lib refuses the service itself', () => {
    const ctx = fargate({ clusterNamespace: 'test' });
    const imported = ecs.FargateTaskDefinition.fromFargateTaskDefinitionArn(ctx.stack, 'Imported', 'arn:aws:ecs:us-east-1:123456789012:task-definition/my-task:1');
    expect(() => {
      const service = new ecs.FargateService(ctx.stack, 'OnImported', { cluster: ctx.cluster, taskDefinition: imported as ecs.TaskDefinition });
      ClientService.attach(ctx.stack, 'Sc', { service });
    }).toThrow(/taskRole/);
  });
});

describe('configurations aws-cdk-lib accepts and ECS refuses: the library refuses them, naming the ECS source', () => {
  test.each([
    // [test of aws-cdk-lib, configuration, rule, the ECS or Cloud Map source of the constraint]
    ['can set perRequestTimeout without idleTimeout (a TCP port mapping)', { namespace: 'cool', services: [{ portMappingName: 'api', perRequestTimeout: Duration.seconds(10) }] },
      /\[PerRequestTimeoutProtocol\]/, 'ECS API TimeoutConfiguration: perRequestTimeoutSeconds can be set only when the appProtocol is HTTP, HTTP/2 or gRPC'],
    ['can set idleTimeout and perRequestTimeout to 0 (a TCP port mapping)',
      { namespace: 'cool', services: [{ portMappingName: 'api', idleTimeout: Duration.seconds(0), perRequestTimeout: Duration.seconds(0) }] },
      /\[PerRequestTimeoutProtocol\]/, 'ECS API TimeoutConfiguration, as above'],
    ['with all options exercised (ingressPortOverride 1000)', { namespace: 'cool', services: [{ portMappingName: 'api', ingressPortOverride: 1000, dnsName: 'api', port: 80 }] },
      /\[IngressPortOverride\]/, 'ECS API ServiceConnectService: "IngressPortOverride cannot use ports <= 1024" (SPEC section 4)'],
    ['a namespace named test namespace (base-service.test.ts)', { namespace: 'test namespace', services: [{ portMappingName: 'api', dnsName: 'api' }] },
      /\[NamespaceNameFormat\]/, 'Cloud Map CreateHttpNamespace Name: ^[!-~]{1,1024}$, no space, so ECS finds no such namespace'],
  ])('%s', (_name, config, rule, source) => {
    const ctx = fargate();
    new servicediscovery.HttpNamespace(ctx.stack, 'httpnamespace', { name: 'cool' });
    ctx.service.enableServiceConnect(config as ecs.ServiceConnectProps);
    adopt(ctx);
    expect(source).toMatch(/ECS API|Cloud Map/);
    expect(() => Template.fromStack(ctx.stack)).toThrow(rule);
  });
});
