// The benchmark topology, built twice: with this library, and by hand with aws-cdk-lib L2 constructs
// (FargateService with serviceConnectConfiguration and the circuit breaker, plus the DependsOn and
// security-group rules).
import { App, CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type * as library from '../src';

// The library as its users load it: the compiled package (lib/, which `npm run bench` compiles first), not
// src/ through ts-node, whose transpiled sources and source maps users never hold. The types come from src/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ClientServerService, ClientService, ServiceConnectNamespace }: typeof library = require('../lib');

/**
 * What a benchmark run builds besides the call graph, the same in both variants:
 * - `base`: the proxy's logs on (a log group per service, as users run it);
 * - `spot`: `base` with a FARGATE_SPOT capacity provider strategy on every service;
 * - `alarms`: `base` with the 5xx-rate alarm on every server that has callers (a composite alarm over
 *   one rate alarm per caller), explicit service names so that alarms may name callers of later stacks, and stacks of 15
 *   services, since the alarms of popular early servers would pass CloudFormation's 500 resources per stack at 40;
 * - `wide`: `base` with one namespace of up to 300 services over stacks of 28 (300 services: 11 stacks).
 */
export interface Scenario {
  readonly name: string;
  readonly spot: boolean;
  readonly alarms: boolean;
  readonly stackSize: number;
  /** Services per namespace: a namespace may hold 300 (rule NamespaceServiceLimit). */
  readonly namespaceSize: number;
}

export const SCENARIOS: Record<string, Scenario> = {
  base: { name: 'base', spot: false, alarms: false, stackSize: 40, namespaceSize: 250 },
  spot: { name: 'spot', spot: true, alarms: false, stackSize: 40, namespaceSize: 250 },
  alarms: { name: 'alarms', spot: false, alarms: true, stackSize: 15, namespaceSize: 250 },
  wide: { name: 'wide', spot: false, alarms: false, stackSize: 28, namespaceSize: 300 },
};

/** The scenario `name`, or an error naming the known ones. */
export function scenario(name: string): Scenario {
  const found = SCENARIOS[name];
  if (!found) {
    throw new Error(`unknown scenario ${name}: one of ${Object.keys(SCENARIOS).join(', ')}`);
  }
  return found;
}

/** One service of the topology: a client (no endpoint) or a server on port 8080 + i. */
export interface Node {
  readonly index: number;
  readonly client: boolean;
  /** Indexes of the servers it calls. */
  readonly calls: number[];
}

/** A deterministic pseudo-random generator, so both variants and every run build the same topology. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * N services: about 20% clients, each calling 3 servers; servers call 1-2 servers created before them
 * (so there is no cycle), always in their own namespace of `NAMESPACE_SIZE` services (a client can
 * only call servers of its namespace). Up to `NAMESPACE_SIZE` services, the topology is the same as
 * with one namespace.
 */
export function topology(n: number, namespaceSize: number): Node[] {
  const namespaceOf = (index: number) => Math.floor(index / namespaceSize);
  const next = random(n);
  const nodes: Node[] = [];
  const servers: number[] = [];
  for (let i = 0; i < n; i++) {
    const client = i % 5 === 4;
    const pool = servers.filter((server) => namespaceOf(server) === namespaceOf(i));
    const wanted = client ? 3 : (pool.length === 0 ? 0 : 1 + Math.floor(next() * 2));
    const calls: number[] = [];
    while (calls.length < Math.min(wanted, pool.length)) {
      const pick = pool[Math.floor(next() * pool.length)];
      if (!calls.includes(pick)) {
        calls.push(pick);
      }
    }
    nodes.push({ index: i, client, calls });
    if (!client) {
      servers.push(i);
    }
  }
  return nodes;
}

interface Base {
  readonly app: App;
  readonly stacks: Stack[];
  readonly cluster: ecs.Cluster;
  readonly nodes: Node[];
  readonly stackOf: (node: Node) => Stack;
  readonly namespaceOf: (index: number) => number;
  /** Callers of each server, by index. */
  readonly callers: Map<number, number[]>;
}

function base(n: number, sc: Scenario): Base {
  const app = new App();
  const stacks = Array.from({ length: Math.ceil(n / sc.stackSize) }, (_, i) => new Stack(app, `Bench${i}`, { env: { account: '123456789012', region: 'us-east-1' } }));
  const vpc = new ec2.Vpc(stacks[0], 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc, enableFargateCapacityProviders: sc.spot });
  const nodes = topology(n, sc.namespaceSize);
  const callers = new Map<number, number[]>();
  nodes.forEach((node) => node.calls.forEach((server) => callers.set(server, [...(callers.get(server) ?? []), node.index])));
  return {
    app,
    stacks,
    cluster,
    nodes,
    callers,
    stackOf: (node) => stacks[Math.floor(node.index / sc.stackSize)],
    namespaceOf: (index) => Math.floor(index / sc.namespaceSize),
  };
}

/** The namespaces' construct ids and names, all in the first stack; the namespace `k` holds the services of `namespaceOf`. */
function namespaces(n: number, sc: Scenario): Array<{ id: string; name: string }> {
  return Array.from({ length: Math.max(1, Math.ceil(n / sc.namespaceSize)) }, (_, k) => ({ id: `Namespace${k}`, name: `bench${k}.internal` }));
}

const SPOT = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
const RATE = 5;

function taskDefinition(stack: Stack, node: Node): ecs.FargateTaskDefinition {
  const td = new ecs.FargateTaskDefinition(stack, `Task${node.index}`, { cpu: 512, memoryLimitMiB: 1024 });
  td.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
    cpu: 256,
    memoryLimitMiB: 768,
    portMappings: node.client ? [] : [{ name: 'http', containerPort: 8080 + node.index, appProtocol: ecs.AppProtocol.http }],
  });
  return td;
}

const endpointOf = (node: Node) => ({ portMappingName: 'http', discoveryName: `svc${node.index}`, dnsName: `svc${node.index}`, port: 80 });

/** The topology with this library. */
export function buildWithLibrary(n: number, sc: Scenario = SCENARIOS.base): App {
  const { app, cluster, nodes, stackOf, namespaceOf, callers } = base(n, sc);
  const stacks0 = Stack.of(cluster);
  const namespace = namespaces(n, sc).map(({ id, name }) => new ServiceConnectNamespace(stacks0, id, { name }));
  const built: Array<library.ClientServerService | library.ClientService> = [];
  for (const node of nodes) {
    const stack = stackOf(node);
    const common = {
      cluster,
      namespace: namespace[namespaceOf(node.index)],
      taskDefinition: taskDefinition(stack, node),
      serviceName: sc.alarms ? `svc${node.index}` : undefined,
      capacityProviderStrategies: sc.spot ? SPOT : undefined,
      connectsTo: node.calls.map((i) => built[i] as library.ClientServerService),
    };
    const alarms = sc.alarms && callers.has(node.index) ? { http5xxRatePercent: RATE } : undefined;
    built.push(node.client
      ? new ClientService(stack, `Svc${node.index}`, common)
      : new ClientServerService(stack, `Svc${node.index}`, { ...common, endpoints: [endpointOf(node)], alarms }));
  }
  return app;
}

/** The same topology written by hand with aws-cdk-lib. */
export function buildWithL2(n: number, sc: Scenario = SCENARIOS.base): App {
  const { app, cluster, nodes, stackOf, namespaceOf, callers } = base(n, sc);
  const namespace = namespaces(n, sc).map(({ id, name }) => new servicediscovery.HttpNamespace(Stack.of(cluster), id, { name }));
  const built: ecs.FargateService[] = [];
  for (const node of nodes) {
    const stack = stackOf(node);
    const own = namespace[namespaceOf(node.index)];
    const taskDef = taskDefinition(stack, node);
    // the proxy's logs: a log group of the service's own, with a retention, writable by the execution role
    const logGroup = new logs.LogGroup(stack, `Svc${node.index}ProxyLogGroup`, { retention: logs.RetentionDays.ONE_MONTH });
    logGroup.grantWrite(taskDef.obtainExecutionRole());
    const service = new ecs.FargateService(stack, `Svc${node.index}`, {
      cluster,
      taskDefinition: taskDef,
      serviceName: sc.alarms ? `svc${node.index}` : undefined,
      minHealthyPercent: 100,
      // the deployment circuit breaker with rollback, which the library sets and aws-cdk-lib warns about when it is missing
      circuitBreaker: { rollback: true },
      capacityProviderStrategies: sc.spot ? SPOT : undefined,
      serviceConnectConfiguration: {
        namespace: own.namespaceArn,
        services: node.client ? undefined : [endpointOf(node)],
        logDriver: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'service-connect' }),
      },
    });
    (service.node.defaultChild as CfnResource).node.addDependency(own);
    for (const i of node.calls) {
      const server = built[i];
      // the client's service waits for the server's; across stacks, the client's stack for the server's
      (service.node.defaultChild as CfnResource).node.addDependency(server.node.defaultChild as CfnResource);
      // open the server's proxy port to the client; in the client's stack when the stacks differ
      service.connections.allowTo(server, ec2.Port.tcp(8080 + i));
    }
    built.push(service);
  }
  if (sc.alarms) {
    // the 5xx rate of each server as each caller sees it, under a composite alarm per server
    for (const [serverIndex, callerIndexes] of callers) {
      const server = built[serverIndex];
      const children: cloudwatch.Alarm[] = [];
      const composite = new cloudwatch.CompositeAlarm(server, 'Http5xxRateAlarm', {
        alarmRule: { renderAlarmRule: () => Lazy.string({ produce: () => children.map((c) => `ALARM("${c.alarmArn}")`).join(' OR ') }) },
      });
      for (const callerIndex of callerIndexes) {
        const caller = built[callerIndex];
        const metric = (metricName: string) => new cloudwatch.Metric({
          namespace: 'AWS/ECS',
          metricName,
          statistic: 'Sum',
          dimensionsMap: { ClusterName: cluster.clusterName, ServiceName: `svc${callerIndex}`, TargetDiscoveryName: `svc${serverIndex}` },
        });
        children.push(new cloudwatch.Alarm(composite, `From${caller.node.id}`, {
          metric: new cloudwatch.MathExpression({
            expression: 'IF(e + o2 + o3 + o4 > 0, 100 * e / (e + o2 + o3 + o4), 0)',
            usingMetrics: { e: metric('HTTPCode_Target_5XX_Count'), o2: metric('HTTPCode_Target_2XX_Count'), o3: metric('HTTPCode_Target_3XX_Count'), o4: metric('HTTPCode_Target_4XX_Count') },
          }),
          threshold: RATE,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }));
      }
    }
  }
  return app;
}
