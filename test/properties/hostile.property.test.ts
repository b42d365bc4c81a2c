import { App, CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as fc from 'fast-check';
import {
  ClientServerService, ClientService, IServiceConnectNamespace, IServiceConnectServer, ServiceConnectNamespace, ServiceConnectRules,
} from '../../src';
import { expectLibraryError } from '../support/library-error';
import { propertyRuns } from '../support/runs';

/*
 * Fuzzing the public API with what a new user, or JavaScript, may pass: tokens (parameters, Lazy),
 * imported constructs, out-of-range and fractional ports, odd strings, undefined and null. Every outcome
 * is either a synthesized template that holds the invariants below, or an Error in the library's format
 * (a rule id, or a Fix), never a TypeError and never a message that says "undefined".
 *
 * Runs 30 cases in `npm test` and 1000 in `npx projen test:properties` (test/support/runs.ts), from a fixed seed
 * so that CI is repeatable; FUZZ_RUNS and FUZZ_SEED override them, to explore by hand.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? propertyRuns(1000, 30));
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

/** A value as the fuzzer describes it; it becomes a real value (a token needs a stack) when the app is built. */
type PortSpec = number | 'param' | 'lazy' | 'undefined' | 'null' | 'string';
type NameSpec = string | 'param' | 'undefined' | 'null' | 'number';

const portArb: fc.Arbitrary<PortSpec> = fc.oneof(
  { arbitrary: fc.integer({ min: 1025, max: 65535 }), weight: 3 },
  fc.constantFrom<PortSpec>(0, -1, 1, 80, 1024, 65535, 65536, 70000, 80.5, Number.NaN, Number.POSITIVE_INFINITY, 'param', 'lazy', 'undefined', 'null', 'string'),
);
const nameArb: fc.Arbitrary<NameSpec> = fc.oneof(
  { arbitrary: fc.constantFrom<NameSpec>('api', 'orders', 'db-1', 'a_b'), weight: 3 },
  fc.constantFrom<NameSpec>('http', 'api', 'pg', 'Api', '', '-x', 'a.b', 'a'.repeat(65), 'ünï', 'undefined', 'null', 'number', 'param'),
  fc.string({ maxLength: 8 }),
);

/** Mostly `valid`, sometimes one of `hostile`. */
function mostly<T>(valid: T, ...hostile: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(valid), weight: 4 * hostile.length }, { arbitrary: fc.constantFrom(...hostile), weight: hostile.length });
}

/** Mostly undefined (the prop left out), sometimes an arbitrary value: one hostile value per app is enough to test. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
}

interface ServerSpec {
  readonly imported: boolean;
  /** Attached to an ECS service built with aws-cdk-lib (its own task definition), instead of built by the library. */
  readonly attached: boolean;
  readonly task: 'container' | 'own' | 'imported';
  readonly protocol: 'tcp' | 'udp' | 'range';
  readonly containerPort: number;
  readonly portMappingName: NameSpec;
  readonly discoveryName?: NameSpec;
  readonly dnsName?: NameSpec;
  readonly port?: PortSpec;
  readonly ingressPortOverride?: PortSpec;
  readonly listenPort?: PortSpec;
  readonly securityGroups: boolean;
  readonly desiredCount?: PortSpec;
}

interface Scenario {
  readonly cluster: 'own' | 'imported' | 'importedNoVpc';
  readonly namespace: 'own' | 'fromNamespace' | 'arn' | 'none' | 'string';
  readonly servers: ServerSpec[];
  /** Indexes of servers, or something that is not one. */
  readonly connectsTo: Array<number | 'undefined' | 'null' | 'client' | 'fargate'>;
  readonly clientDesiredCount?: PortSpec;
  readonly relax?: { readonly ruleId: string | 'undefined'; readonly reason: string | 'undefined' };
}

const serverArb: fc.Arbitrary<ServerSpec> = fc.record({
  imported: fc.boolean(),
  attached: fc.boolean(),
  task: fc.oneof(fc.constant<ServerSpec['task']>('container'), mostly<ServerSpec['task']>('own', 'imported')),
  protocol: mostly<ServerSpec['protocol']>('tcp', 'udp', 'range'),
  containerPort: fc.integer({ min: 1, max: 65535 }),
  portMappingName: fc.oneof({ arbitrary: fc.constant<NameSpec>('http'), weight: 12 }, nameArb),
  discoveryName: sometimes(nameArb),
  dnsName: sometimes(nameArb),
  port: sometimes(portArb),
  ingressPortOverride: sometimes(portArb),
  listenPort: sometimes(portArb),
  securityGroups: fc.boolean(),
  desiredCount: sometimes(fc.constantFrom<PortSpec>(1, 2, 0, -1, 1.5, 'param', 'lazy', 'undefined')),
}, { requiredKeys: ['imported', 'attached', 'task', 'protocol', 'containerPort', 'portMappingName', 'securityGroups'] });

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  cluster: mostly<Scenario['cluster']>('own', 'imported', 'importedNoVpc'),
  namespace: fc.oneof(mostly<Scenario['namespace']>('own', 'none', 'string'), fc.constantFrom<Scenario['namespace']>('fromNamespace', 'arn')),
  servers: fc.array(serverArb, { minLength: 1, maxLength: 3 }),
  connectsTo: fc.array(fc.oneof({ arbitrary: fc.nat(3), weight: 16 }, fc.constantFrom<'undefined' | 'null' | 'client' | 'fargate'>('undefined', 'null', 'client', 'fargate')), { maxLength: 3 }),
  clientDesiredCount: sometimes(fc.constantFrom<PortSpec>(1, 3, 'param', 'lazy')),
  relax: sometimes(fc.record({
    ruleId: fc.oneof(fc.constantFrom('EndpointPort', 'IngressPortOverride', 'DiscoveryNameFormat', 'PortMappingNameExists'), mostly('EndpointPort', 'ExternalNotSupported', 'NoSuchRule', 'undefined')),
    reason: mostly('known and accepted', '', 'undefined'),
  })),
}, { requiredKeys: ['cluster', 'namespace', 'servers', 'connectsTo'] });

/** Builds the app a scenario describes: a stack with the servers and one client calling them. */
function build(s: Scenario): { app: App; stack: Stack; servers: IServiceConnectServer[] } {
  const app = new App();
  const stack = new Stack(app, 'Fuzz');
  let params = 0;
  const port = (spec: PortSpec | undefined): any => {
    switch (spec) {
      case 'param': return new CfnParameter(stack, `P${params++}`, { type: 'Number' }).valueAsNumber;
      case 'lazy': return Lazy.number({ produce: () => 8443 });
      case 'undefined': return undefined;
      case 'null': return null;
      case 'string': return '8080';
      default: return spec;
    }
  };
  const name = (spec: NameSpec | undefined): any => {
    switch (spec) {
      case 'param': return new CfnParameter(stack, `P${params++}`).valueAsString;
      case 'undefined': return undefined;
      case 'null': return null;
      case 'number': return 42;
      default: return spec;
    }
  };
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = s.cluster === 'own' ? new ecs.Cluster(stack, 'Cluster', { vpc })
    : ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shared', ...(s.cluster === 'imported' ? { vpc } : {}) } as any);
  const namespace: IServiceConnectNamespace | undefined | string = s.namespace === 'own' ? new ServiceConnectNamespace(stack, 'Namespace', { name: 'fuzz.internal' })
    : s.namespace === 'fromNamespace' ? ServiceConnectNamespace.fromNamespace(stack, 'Namespace', new servicediscovery.HttpNamespace(stack, 'CloudMap', { name: 'fuzz.internal' }))
      : s.namespace === 'arn' ? ServiceConnectNamespace.fromNamespaceArn(stack, 'Namespace', 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdef0123456789')
        : s.namespace === 'string' ? 'fuzz.internal' : undefined;
  if (s.relax) {
    ServiceConnectRules.relax(stack, s.relax.ruleId === 'undefined' ? undefined as any : s.relax.ruleId, s.relax.reason === 'undefined' ? undefined as any : s.relax.reason);
  }
  const image = ecs.ContainerImage.fromRegistry('busybox');
  const servers = s.servers.map((spec, i): IServiceConnectServer => {
    const endpoint = {
      portMappingName: name(spec.portMappingName),
      // Distinct by default, so that several servers do not clash on DiscoveryNameUnique.
      discoveryName: spec.discoveryName === undefined ? `server${i}` : name(spec.discoveryName),
      dnsName: spec.dnsName === undefined ? (spec.imported ? `server${i}` : undefined) : name(spec.dnsName),
      port: port(spec.port),
    };
    if (spec.imported) {
      const securityGroups = spec.securityGroups ? [new ec2.SecurityGroup(stack, `Group${i}`, { vpc })] : undefined;
      return ClientServerService.fromAttributes(stack, `Imported${i}`, {
        namespace: namespace as any,
        securityGroups,
        endpoints: [{ ...endpoint, listenPort: spec.listenPort === undefined ? 8443 : port(spec.listenPort) }],
      });
    }
    const portMapping: ecs.PortMapping = spec.protocol === 'range'
      ? { name: 'http', containerPort: ecs.ContainerDefinition.CONTAINER_PORT_USE_RANGE, containerPortRange: '8000-8010' }
      : { name: 'http', containerPort: spec.containerPort, protocol: spec.protocol === 'udp' ? ecs.Protocol.UDP : ecs.Protocol.TCP };
    let taskDefinition: any;
    if (spec.task === 'own') {
      taskDefinition = new ecs.FargateTaskDefinition(stack, `Task${i}`, { cpu: 512, memoryLimitMiB: 1024 });
      taskDefinition.addContainer('app', { image, memoryLimitMiB: 512, portMappings: [portMapping] });
    } else if (spec.task === 'imported') {
      taskDefinition = ecs.FargateTaskDefinition.fromFargateTaskDefinitionArn(stack, `Task${i}`, 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1');
    }
    const endpoints = [{ ...endpoint, ingressPortOverride: port(spec.ingressPortOverride) }];
    if (spec.attached && s.cluster !== 'importedNoVpc') {
      const own = new ecs.FargateTaskDefinition(stack, `AttachedTask${i}`, { cpu: 512, memoryLimitMiB: 1024 });
      own.addContainer('app', { image, memoryLimitMiB: 512, portMappings: [portMapping] });
      const service = new ecs.FargateService(stack, `Attached${i}`, { cluster, taskDefinition: own, desiredCount: port(spec.desiredCount) });
      return ClientServerService.attach(stack, `Server${i}`, { service, namespace: namespace as any, endpoints });
    }
    return new ClientServerService(stack, `Server${i}`, {
      cluster,
      namespace: namespace as any,
      taskDefinition,
      desiredCount: port(spec.desiredCount),
      container: spec.task === 'container' ? { image, portMappings: [portMapping] } : undefined,
      endpoints,
    });
  });
  const connectsTo = s.connectsTo.map((target, i): any => {
    switch (target) {
      case 'undefined': return undefined;
      case 'null': return null;
      case 'client': return new ClientService(stack, `Other${i}`, { cluster, namespace: namespace as any, container: { image } });
      // A plain service in a cluster of its own: aws-cdk-lib itself needs the VPC.
      case 'fargate': return new ecs.FargateService(stack, `Plain${i}`, {
        cluster: new ecs.Cluster(stack, `PlainCluster${i}`, { vpc }),
        taskDefinition: (() => {
          const td = new ecs.FargateTaskDefinition(stack, `PlainTask${i}`);
          td.addContainer('app', { image });
          return td;
        })(),
      });
      default: return servers[target % servers.length];
    }
  });
  new ClientService(stack, 'Client', { cluster, namespace: namespace as any, container: { image }, connectsTo, desiredCount: port(s.clientDesiredCount) });
  return { app, stack, servers };
}

/** A port in a template: an integer from 1 to 65535, or an intrinsic (a token the library passed through). */
function validPort(value: unknown): boolean {
  return typeof value === 'number' ? Number.isInteger(value) && value >= 1 && value <= 65535 : typeof value === 'object' && value !== null;
}

/** Checks the invariants of a synthesized template. */
function checkTemplate(stack: Stack, servers: IServiceConnectServer[], template: any = Template.fromStack(stack).toJSON(), relaxed?: string): void {
  const resources: Array<{ Type: string; Properties?: any }> = Object.values(template.Resources ?? {});
  // The proxy listen ports of each server, as CloudFormation gets them.
  const listening = new Map(servers.map((server) => [server.node.path, server.listenPorts.map((p) => JSON.stringify(stack.resolve(p)))]));
  for (const resource of resources) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::EC2::SecurityGroupIngress' || resource.Type === 'AWS::EC2::SecurityGroupEgress') {
      expect(props.CidrIp).not.toBe('0.0.0.0/0');
      const match = /^Service Connect from (\S+) to (\S+)$/.exec(props.Description ?? '');
      if (match) {
        // A library rule: TCP, on one port the server's proxy listens on.
        expect(props.IpProtocol).toBe('tcp');
        expect(props.FromPort).toEqual(props.ToPort);
        expect(validPort(props.FromPort)).toBe(true);
        expect(listening.get(match[2])).toContain(JSON.stringify(props.FromPort));
      }
    }
    if (resource.Type === 'AWS::EC2::SecurityGroup') {
      for (const rule of props.SecurityGroupIngress ?? []) {
        expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      }
    }
    if (resource.Type === 'AWS::ECS::Service') {
      for (const service of props.ServiceConnectConfiguration?.Services ?? []) {
        // Ports as given, once the user relaxed the rule that checks them; never a security-group rule, though (above).
        for (const alias of relaxed === 'EndpointPort' ? [] : service.ClientAliases ?? []) {
          expect(validPort(alias.Port)).toBe(true);
        }
        if (service.IngressPortOverride !== undefined && relaxed !== 'IngressPortOverride') {
          expect(validPort(service.IngressPortOverride)).toBe(true);
        }
      }
    }
  }
}

test('every input gives a valid template or a library error, never a crash', () => {
  const outcomes = { synthesized: 0, refused: 0 };
  fc.assert(fc.property(scenarioArb, (scenario) => {
    let built: ReturnType<typeof build> | undefined;
    let template: any;
    try {
      built = build(scenario);
      template = built.app.synth().getStackByName('Fuzz').template;
    } catch (e) {
      outcomes.refused++;
      if (process.env.FUZZ_STATS) {
        console.log((e as Error).message.split('\n').slice(0, 3).join(' | ').slice(0, 300));
      }
      // The library's message: a rule id or a fix, and no "undefined" that leaked into it.
      expectLibraryError(e);
      return;
    }
    outcomes.synthesized++;
    checkTemplate(built.stack, built.servers, template, scenario.relax?.ruleId);
  }), { numRuns: RUNS, seed: SEED });
  if (process.env.FUZZ_STATS) {
    console.log(outcomes);
  }
  // Both outcomes happen, so the fuzzer reaches the templates and the errors.
  expect(outcomes.synthesized).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
});

test('the invariants hold on a known-good app, so they can fail', () => {
  // GIVEN a valid server and client
  const { stack, servers } = build({
    cluster: 'own',
    namespace: 'own',
    connectsTo: [0],
    servers: [{ imported: false, attached: false, task: 'container', protocol: 'tcp', containerPort: 8080, portMappingName: 'http', securityGroups: false, port: 80 }],
  });
  // THEN the template holds the invariants
  checkTemplate(stack, servers);
  // AND a rule on a port no proxy listens on is caught
  expect(() => checkTemplate(stack, [{ ...servers[0], node: servers[0].node, listenPorts: [9999] } as any])).toThrow();
  expect(Token.isUnresolved(servers[0].listenPorts[0])).toBe(false);
});
