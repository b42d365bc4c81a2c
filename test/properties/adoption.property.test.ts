import { App, Aspects, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, ServiceConnectAlarmOptions, ServiceConnectChecks } from '../../src';
import { expectLibraryError } from '../support/library-error';
import { propertyRuns } from '../support/runs';

/*
 * Fuzzing adoption: ECS services built with aws-cdk-lib in the shapes its own tests use (a namespace named
 * by a string, an ARN, a Cloud Map construct of the app or the cluster default; set by props,
 * enableServiceConnect or an L1 property override; with or without DNS names; one token used twice),
 * attached with neither namespace nor endpoints, with alarms of any values; and ServiceConnectChecks on
 * L1 services with overrides. Every outcome is a template whose Service Connect configuration is the
 * one aws-cdk-lib rendered, or an Error in the library's format; never a TypeError, an "undefined" or a
 * token's placeholder.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? propertyRuns(300, 20));
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);

type NamespaceSpec = 'clusterDefault' | 'plainName' | 'appNamespaceName' | 'appNamespaceArn' | 'privateDnsArn' | 'literalArn' | 'parameter' | 'none';
type Setter = 'props' | 'enable' | 'override';

interface AdoptedSpec {
  readonly namespace: NamespaceSpec;
  readonly setter: Setter;
  readonly server: boolean;
  readonly dnsName?: string;
  readonly discoveryName?: string;
  readonly appProtocol: boolean;
  readonly alarms?: ServiceConnectAlarmOptions;
}

interface Scenario {
  readonly services: AdoptedSpec[];
  /** One parameter as the discovery name of every server that asks for `sharedToken`. */
  readonly sharedToken: boolean;
  readonly checksOnL1: boolean;
}

const alarmsArb: fc.Arbitrary<ServiceConnectAlarmOptions> = fc.record({
  http5xxRatePercent: fc.constantFrom(-5, 0, 1, 50, 100, 150),
  evaluationPeriods: fc.constantFrom(0, 1, 5),
  datapointsToAlarm: fc.constantFrom(1, 3, 6),
  period: fc.constantFrom(Duration.seconds(10), Duration.minutes(1), Duration.minutes(5)),
  discoveryName: fc.constantFrom('api', 'nope'),
  targetResponseTime: fc.constantFrom(Duration.millis(0), Duration.millis(500)),
}, { requiredKeys: [] });

const adoptedArb: fc.Arbitrary<AdoptedSpec> = fc.record({
  namespace: fc.constantFrom<NamespaceSpec>('clusterDefault', 'plainName', 'appNamespaceName', 'appNamespaceArn', 'privateDnsArn', 'literalArn', 'parameter', 'none'),
  setter: fc.constantFrom<Setter>('props', 'enable', 'override'),
  server: fc.boolean(),
  dnsName: fc.option(fc.constantFrom('api', 'api.cool', 'a..b.', 'API'), { nil: undefined }),
  discoveryName: fc.option(fc.constantFrom('api', 'svc', 'shared-token'), { nil: undefined }),
  appProtocol: fc.boolean(),
  alarms: fc.option(alarmsArb, { nil: undefined }),
}, { requiredKeys: ['namespace', 'setter', 'server', 'appProtocol'] });

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  services: fc.array(adoptedArb, { minLength: 1, maxLength: 3 }),
  sharedToken: fc.boolean(),
  checksOnL1: fc.boolean(),
});

/** Builds the app: aws-cdk-lib services, each attached; returns what each service's configuration rendered before attach. */
function build(s: Scenario) {
  const app = new App();
  const stack = new Stack(app, 'Adopt', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  cluster.addDefaultCloudMapNamespace({ name: 'cool' });
  const http = new servicediscovery.HttpNamespace(stack, 'Http', { name: 'http.internal' });
  const privateDns = new servicediscovery.PrivateDnsNamespace(stack, 'Private', { name: 'private.internal', vpc });
  const namespaceParam = new CfnParameter(stack, 'Namespace').valueAsString;
  const sharedName = new CfnParameter(stack, 'SharedName').valueAsString;
  const namespaceOf = (spec: NamespaceSpec): string | undefined => ({
    clusterDefault: undefined,
    none: undefined,
    plainName: 'plain.internal',
    appNamespaceName: http.namespaceName,
    appNamespaceArn: http.namespaceArn,
    privateDnsArn: privateDns.namespaceArn,
    literalArn: 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-0123456789abcdef',
    parameter: namespaceParam,
  })[spec];
  const before: Array<{ service: ecs.FargateService; rendered: unknown }> = [];
  s.services.forEach((spec, i) => {
    const task = new ecs.FargateTaskDefinition(stack, `Task${i}`, { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry('busybox'),
      memoryLimitMiB: 512,
      portMappings: [{ name: 'api', containerPort: 8080, appProtocol: spec.appProtocol ? ecs.AppProtocol.http : undefined }],
    });
    const discoveryName = spec.discoveryName === 'shared-token' ? (s.sharedToken ? sharedName : `svc${i}`) : spec.discoveryName;
    const config: ecs.ServiceConnectProps = {
      namespace: namespaceOf(spec.namespace),
      services: spec.server ? [{ portMappingName: 'api', dnsName: spec.dnsName, discoveryName: discoveryName ?? `svc${i}` }] : undefined,
    };
    // 'none' leaves the cluster default out of it too: only an L1 configuration can name no namespace at all.
    const service = new ecs.FargateService(stack, `Svc${i}`, {
      cluster, taskDefinition: task, serviceConnectConfiguration: spec.setter === 'props' && spec.namespace !== 'none' ? config : undefined,
    });
    const resource = service.node.defaultChild as ecs.CfnService;
    if (spec.setter === 'enable' && spec.namespace !== 'none') {
      service.enableServiceConnect(config);
    } else if (spec.setter === 'override' || spec.namespace === 'none') {
      resource.addPropertyOverride('ServiceConnectConfiguration', {
        Enabled: true,
        ...(spec.namespace === 'none' ? {} : { Namespace: config.namespace ?? 'cool' }),
        ...(spec.server ? { Services: [{ PortName: 'api', DiscoveryName: discoveryName ?? `svc${i}`, ClientAliases: [{ Port: 80, DnsName: spec.dnsName }] }] } : {}),
      });
    }
    before.push({ service, rendered: stack.resolve((resource as any)._toCloudFormation()) });
    if (spec.server) {
      ClientServerService.attach(stack, `Sc${i}`, { service, alarms: spec.alarms });
    } else {
      ClientService.attach(stack, `Sc${i}`, { service });
    }
  });
  if (s.checksOnL1) {
    const task = new ecs.CfnTaskDefinition(stack, 'L1Task', {
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1 GB',
      containerDefinitions: [{ name: 'app', image: 'busybox', memory: 512 }],
    });
    task.addPropertyOverride('ContainerDefinitions.0.PortMappings', [{ Name: 'api', ContainerPort: 8080 }]);
    const l1 = new ecs.CfnService(stack, 'L1Service', {
      taskDefinition: task.ref,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'] } },
    });
    l1.addPropertyOverride('ServiceConnectConfiguration', { Enabled: true, Namespace: 'cool', Services: [{ PortName: 'api', DiscoveryName: sharedName }] });
    Aspects.of(app).add(new ServiceConnectChecks());
  }
  return { app, stack, before };
}

test('adopting aws-cdk-lib services in every shape keeps their configuration or refuses with the library\'s message', () => {
  const outcomes = { synthesized: 0, refused: 0 };
  fc.assert(fc.property(scenarioArb, (scenario) => {
    let built: ReturnType<typeof build> | undefined;
    let template: any;
    try {
      built = build(scenario);
      template = built.app.synth().getStackByName('Adopt').template;
    } catch (e) {
      outcomes.refused++;
      expectLibraryError(e);
      return;
    }
    outcomes.synthesized++;
    // Every field aws-cdk-lib rendered is in the template as it was; the library adds at most the proxy's logs.
    for (const { service, rendered } of built.before) {
      const logicalId = built.stack.getLogicalId(service.node.defaultChild as ecs.CfnService);
      const properties = (Object.values((rendered as any).Resources)[0] as any).Properties;
      const original = JSON.parse(JSON.stringify(properties.ServiceConnectConfiguration ?? {}));
      const after = template.Resources[logicalId].Properties.ServiceConnectConfiguration;
      expect(after).toEqual(expect.objectContaining(original));
    }
    // One parameter as the discovery name of two servers in one namespace is a duplicate: never synthesized.
    const sharers = scenario.services.filter((spec) => spec.server && spec.discoveryName === 'shared-token');
    const same: Partial<Record<NamespaceSpec, string>> = { none: 'cool', clusterDefault: 'cool', appNamespaceName: 'http', appNamespaceArn: 'http' };
    const namespaces = new Set(sharers.map((spec) => same[spec.namespace] ?? spec.namespace));
    expect(scenario.sharedToken && sharers.length > 1 && namespaces.size === 1).toBe(false);
  }), { numRuns: RUNS, seed: SEED });
  expect(outcomes.synthesized).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
});
