import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, ServiceConnectDashboard, ServiceConnectNamespace, ServiceConnectServiceBase } from '../../src';
import { topologyFileNames } from '../../src/monitoring/topology';
import { propertyRuns } from '../support/runs';

/** Cases of a full run: enough to cover every kind of reordering the counters below name. */
const FULL_RUNS = 20;

/*
 * The wiring is computed from the finished construct tree, so the synthesized app must not depend on
 * the order of calls. Each run generates one topology (1-3 stacks, servers and clients, each with its
 * own Fargate task definition, edges some of them unordered and kept acyclic by only calling a server
 * earlier in (stack, index) order, security groups of the service's stack or of the platform stack 0, one
 * group shared by several services, a dashboard) and builds it twice, each time
 * with the calls in another random order that respects only what the API needs (a security group, a task
 * definition and the servers of `connectsTo` exist before the service; both ends exist before
 * `connectTo`). Shuffled: creating the security groups, the task definitions, the services and the
 * dashboard; adding each server's named port mapping (often after its service and its edges); declaring
 * the edges. Construct ids stay the same. The two builds must give deep-equal templates (DependsOn
 * compared as rendered: CDK sorts it by construct path), the same topology artifact (JSON and Mermaid),
 * the same stack dependencies and the same annotations (as a multiset: CDK lists them in construct-tree
 * order, which follows creation order, as it does the resources of a template).
 *
 * Counters check that the runs really exercised what the claim is about (two services or two edges of
 * one client swapped, a port mapping added after its edges, cross-stack edges and groups, ...).
 *
 * This found that the dashboard's rows, and which service namespace rules such as DiscoveryNameUnique
 * blame, followed the order services joined the namespace; `AppWiring.groupOf` now lists them by path
 * (regression tests at the end). Explore with FC_SEED=<n> FC_RUNS=<n> (FC_STATS=1 prints the counters).
 */

const MAX_SERVICES = 6;
const MAX_EDGES = 8;
/** Per service at most two groups, a task definition, a port mapping and the service; the shared group, the edges, the dashboard. */
const MAX_ACTIONS = 5 * MAX_SERVICES + 1 + MAX_EDGES + 1;
/** Uniform modulo any count of services (1 to 6): fast-check's bias towards small numbers would make most edges call service 0. */
const anyIndex = fc.noBias(fc.nat(59));

const serviceArb = fc.record({
  /** Two servers for one client, so that clients have servers to call. */
  server: fc.constantFrom(true, true, false),
  stack: fc.nat(2),
  /** A security group of its own, in its own stack. */
  ownGroup: fc.boolean(),
  /** A security group of its own, created in the platform stack 0. */
  platformGroup: fc.boolean(),
  /** The one security group of stack 0 that several services share. */
  sharedGroup: fc.boolean(),
  /** Whether the groups created for the service allow all outbound traffic (else the library adds egress rules). */
  allowAllOutbound: fc.boolean(),
  /** A client alias port, else the container port resolved (at synth) from the port mapping. */
  aliasPort: fc.option(fc.constantFrom(80, 8080), { nil: undefined }),
});
const edgeArb = fc.record({
  /** The client, modulo the number of services. */
  client: anyIndex,
  /** The server, modulo the number of servers the client may call. */
  server: anyIndex,
  ordered: fc.boolean(),
  /** Declared in the client's `connectsTo` prop (always ordered) rather than with `connectTo` (one time in three). */
  viaProps: fc.constantFrom(false, false, true),
});
const topologyArb = fc.record({
  stacks: fc.integer({ min: 1, max: 3 }),
  services: fc.array(serviceArb, { minLength: 2, maxLength: MAX_SERVICES }),
  edges: fc.array(edgeArb, { maxLength: MAX_EDGES }),
  dashboard: fc.boolean(),
});
/** One order of calls. */
const orderArb = fc.record({
  /** Priorities of the actions: lower goes first, when its prerequisites are done; ties keep the natural order. Unbiased: with fast-check's bias most would be 0 and the two orders alike. */
  priorities: fc.noBias(fc.array(fc.nat(99), { minLength: MAX_ACTIONS, maxLength: MAX_ACTIONS })),
  /** Servers whose port mapping is added last, after every service and edge is declared. */
  lateMappings: fc.array(fc.boolean(), { minLength: MAX_SERVICES, maxLength: MAX_SERVICES }),
});

type Order = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

type Topology = typeof topologyArb extends fc.Arbitrary<infer T> ? T : never;

interface Edge {
  readonly client: number;
  readonly server: number;
  readonly ordered: boolean;
  readonly viaProps: boolean;
}

/**
 * The edges of `t` (duplicates kept: the plan merges them). A service calls a server before it in the
 * order of (stack, index): a lower index in the same stack, or any index in an earlier stack (the stack
 * order allows no other). So edges never form a cycle.
 */
function edgesOf(t: Topology, stackOf: (i: number) => number): Edge[] {
  const before = (i: number, j: number) => stackOf(i) < stackOf(j) || (stackOf(i) === stackOf(j) && i < j);
  return t.edges.flatMap((e) => {
    const client = e.client % t.services.length;
    const callable = t.services.map((_, i) => i).filter((i) => t.services[i].server && before(i, client));
    if (callable.length === 0) {
      return [];
    }
    return [{ client, server: callable[e.server % callable.length], ordered: e.ordered || e.viaProps, viaProps: e.viaProps }];
  });
}

/** The stack index of each service: only the stacks some service uses, kept in order (an empty stack is a template-validation warning); stack 0 always, the platform. */
function stacksOf(t: Topology): (i: number) => number {
  const wanted = (i: number) => Math.min(t.services[i].stack, t.stacks - 1);
  const used = [...new Set([0, ...t.services.map((_, i) => wanted(i))])].sort((x, y) => x - y);
  return (i) => used.indexOf(wanted(i));
}

interface Action {
  readonly key: string;
  readonly needs: string[];
  readonly run: () => void;
}

/** Builds the topology, running the actions in the order `how` gives. Returns the app and the order used. */
function build(t: Topology, how: Order) {
  const app = new App();
  const stackOf = stacksOf(t);
  const stacks = Array.from({ length: 1 + Math.max(...t.services.map((_, i) => stackOf(i))) }, (_, i) => new Stack(app, `S${i}`));
  const vpc = ec2.Vpc.fromVpcAttributes(stacks[0], 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
  const namespace = new ServiceConnectNamespace(stacks[0], 'Namespace', { name: 'order.internal' });
  const image = ecs.ContainerImage.fromRegistry('busybox');
  const edges = edgesOf(t, stackOf);

  const groups = new Map<string, ec2.SecurityGroup>();
  const tasks: ecs.FargateTaskDefinition[] = [];
  const containers: ecs.ContainerDefinition[] = [];
  const services: ServiceConnectServiceBase[] = [];
  const groupKeys = (i: number) => [
    ...(t.services[i].ownGroup ? [`own${i}`] : []),
    ...(t.services[i].platformGroup ? [`platform${i}`] : []),
    ...(t.services[i].sharedGroup ? ['shared'] : []),
  ];

  // In the natural order: groups, task definitions, port mappings, services, edges, dashboard.
  const actions: Action[] = [];
  const group = (key: string, stack: Stack, id: string, allowAllOutbound: boolean) => actions.push({
    key: `group:${key}`, needs: [], run: () => groups.set(key, new ec2.SecurityGroup(stack, id, { vpc, allowAllOutbound })),
  });
  if (t.services.some((s) => s.sharedGroup)) {
    group('shared', stacks[0], 'SharedGroup', false);
  }
  t.services.forEach((s, i) => {
    if (s.ownGroup) group(`own${i}`, stacks[stackOf(i)], `Group${i}`, s.allowAllOutbound);
    if (s.platformGroup) group(`platform${i}`, stacks[0], `PlatformGroup${i}`, s.allowAllOutbound);
  });
  t.services.forEach((_, i) => actions.push({
    key: `task:${i}`,
    needs: [],
    run: () => {
      tasks[i] = new ecs.FargateTaskDefinition(stacks[stackOf(i)], `Task${i}`, { cpu: 512, memoryLimitMiB: 1024 });
      containers[i] = tasks[i].addContainer('app', { image, memoryLimitMiB: 512 });
    },
  }));
  t.services.forEach((s, i) => {
    if (s.server) {
      const late = how.lateMappings[i] ? [...t.services.map((_, j) => `svc:${j}`), ...edges.flatMap((e, k) => (e.viaProps ? [] : [`edge:${k}`]))] : [];
      actions.push({
        key: `port:${i}`,
        needs: [`task:${i}`, ...late],
        run: () => containers[i].addPortMappings({ name: 'http', containerPort: 8000 + i }),
      });
    }
  });
  t.services.forEach((s, i) => {
    const propsEdges = edges.filter((e) => e.client === i && e.viaProps);
    actions.push({
      key: `svc:${i}`,
      needs: [`task:${i}`, ...groupKeys(i).map((g) => `group:${g}`), ...propsEdges.map((e) => `svc:${e.server}`)],
      run: () => {
        const common = {
          cluster,
          namespace,
          taskDefinition: tasks[i],
          securityGroups: groupKeys(i).length > 0 ? groupKeys(i).map((g) => groups.get(g) as ec2.SecurityGroup) : undefined,
          connectsTo: propsEdges.length > 0 ? propsEdges.map((e) => services[e.server] as ClientServerService) : undefined,
          proxyLogs: { enabled: false },
        };
        services[i] = s.server
          ? new ClientServerService(stacks[stackOf(i)], `Svc${i}`, {
            ...common,
            endpoints: [{ portMappingName: 'http', discoveryName: `svc${i}`, dnsName: `svc${i}`, port: s.aliasPort }],
          })
          : new ClientService(stacks[stackOf(i)], `Svc${i}`, common);
      },
    });
  });
  edges.forEach((e, k) => {
    if (!e.viaProps) {
      actions.push({
        key: `edge:${k}`,
        needs: [`svc:${e.client}`, `svc:${e.server}`],
        run: () => services[e.client].connectTo(services[e.server] as ClientServerService, { ordered: e.ordered }),
      });
    }
  });
  if (t.dashboard) {
    // in the last stack: it refers to every server, so in stack 0 it would close a stack cycle (DependencyCycle)
    actions.push({ key: 'dashboard', needs: [], run: () => new ServiceConnectDashboard(stacks[stacks.length - 1], 'Dashboard', { namespace }) });
  }
  if (actions.length > MAX_ACTIONS) {
    throw new Error(`${actions.length} actions, more than MAX_ACTIONS`);
  }

  // Run the ready action of lowest priority, again and again (the prerequisites are acyclic).
  const pending = actions.map((action, k) => ({ action, rank: how.priorities[k] ?? 0, k })).sort((x, y) => x.rank - y.rank || x.k - y.k);
  const done = new Set<string>();
  const order: string[] = [];
  while (pending.length > 0) {
    const next = pending.findIndex(({ action }) => action.needs.every((need) => done.has(need)));
    const [{ action }] = pending.splice(next, 1);
    action.run();
    done.add(action.key);
    order.push(action.key);
  }
  return { app, stacks, namespace, order, edges };
}

/** Everything the app synthesizes that the order of calls must not change, and the order used. */
function synthesize(t: Topology, how: Order) {
  const { app, stacks, namespace, order, edges } = build(t, how);
  const assembly = app.synth();
  const files = topologyFileNames(namespace);
  const artifacts = stacks.map((s) => assembly.getStackByName(s.stackName));
  const output = {
    templates: Object.fromEntries(stacks.map((s) => [s.stackName, Template.fromStack(s).toJSON()])),
    topology: JSON.parse(fs.readFileSync(path.join(assembly.directory, files.json), 'utf8')),
    mermaid: fs.readFileSync(path.join(assembly.directory, files.mermaid), 'utf8'),
    stackDependencies: Object.fromEntries(artifacts.map((a) => [a.stackName, a.dependencies.map((d) => d.id)])),
    // CDK lists a stack's annotations in construct-tree order, which is creation order: compared as a multiset
    messages: artifacts.flatMap((a) => a.messages.map((m) => `${m.level} ${m.id} ${JSON.stringify(m.entry.data)}`)).sort(),
  };
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return { order, edges, output };
}

/** JSON with the keys of every object sorted: equal texts are deep-equal values, whatever the order of keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v));
}

/** Whether the port mapping of some server was added after its service and after an edge to it was declared. */
function portMappingLate(order: string[], edges: Edge[]): boolean {
  return order.some((key, at) => {
    const [kind, index] = key.split(':');
    if (kind !== 'port') return false;
    const server = Number(index);
    return order.indexOf(`svc:${server}`) < at
      && edges.some((e, k) => e.server === server && !e.viaProps && order.indexOf(`edge:${k}`) < at);
  });
}

/** Whether two of `keys` run in one relative order in `a` and in the other in `b`. */
function swapped(a: string[], b: string[], keys: string[]): boolean {
  return keys.some((x) => keys.some((y) => a.indexOf(x) < a.indexOf(y) && b.indexOf(x) > b.indexOf(y)));
}

test('the synthesized app does not depend on the order of calls', () => {
  const seen = {
    runs: 0,
    reordered: 0,
    servicesSwapped: 0,
    edgesOfOneClientSwapped: 0,
    lateMapping: 0,
    unordered: 0,
    propsEdge: 0,
    multiStack: 0,
    crossStackEdge: 0,
    crossStackGroup: 0,
    dashboard: 0,
  };
  // The property compares canonical JSON texts, which is cheap; on failure, the shrunk counterexample is
  // synthesized again below and compared with expect, for a readable diff.
  const details = fc.check(fc.property(topologyArb, orderArb, orderArb, (t, first, second) => {
    const a = synthesize(t, first);
    const b = synthesize(t, second);

    // what this run exercised, to check below that the property is not vacuous
    seen.runs++;
    if (a.order.join() !== b.order.join()) seen.reordered++;
    if (swapped(a.order, b.order, t.services.map((_, i) => `svc:${i}`))) seen.servicesSwapped++;
    const calls = (client: number) => a.edges.flatMap((e, k) => (e.client === client && !e.viaProps ? [`edge:${k}`] : []));
    if (t.services.some((_, i) => swapped(a.order, b.order, calls(i)))) seen.edgesOfOneClientSwapped++;
    if (portMappingLate(a.order, a.edges) || portMappingLate(b.order, b.edges)) seen.lateMapping++;
    if (a.edges.some((e) => !e.ordered)) seen.unordered++;
    if (a.edges.some((e) => e.viaProps)) seen.propsEdge++;
    if (Object.keys(a.output.templates).length > 1) seen.multiStack++;
    if (a.edges.some((e) => stacksOf(t)(e.client) !== stacksOf(t)(e.server))) seen.crossStackEdge++;
    if (t.dashboard) seen.dashboard++;
    if (t.services.some((s, i) => (s.platformGroup || s.sharedGroup) && stacksOf(t)(i) > 0)) seen.crossStackGroup++;

    return canonical(a.output) === canonical(b.output);
  }), {
    numRuns: propertyRuns(FULL_RUNS),
    seed: Number(process.env.FC_SEED ?? 11),
    // shrinking a failure synthesizes hundreds of apps: report the smallest counterexample found in time
    interruptAfterTimeLimit: 90_000,
    markInterruptAsFailure: true,
  });

  const report = fc.defaultReportMessage(details) ?? '';
  if (details.failed && details.counterexample) {
    const [t, first, second] = details.counterexample;
    try {
      const a = synthesize(t, first).output;
      const b = synthesize(t, second).output;
      expect(Object.keys(b.templates)).toEqual(Object.keys(a.templates));
      for (const name of Object.keys(a.templates)) {
        // toEqual ignores the order of keys (resources are listed in construct creation order), not of arrays
        // (DependsOn included: CDK renders it sorted by construct path)
        expect(b.templates[name]).toEqual(a.templates[name]);
      }
      expect(b.topology).toEqual(a.topology);
      expect(b.mermaid).toBe(a.mermaid);
      expect(b.stackDependencies).toEqual(a.stackDependencies);
      expect(b.messages).toEqual(a.messages);
    } catch (error) {
      (error as Error).message = `${report}\n\n${(error as Error).message}`;
      throw error;
    }
  }
  if (details.failed) {
    throw new Error(report);
  }

  // the runs really shuffled, and covered the cases the claim is about
  if (process.env.FC_STATS) console.log(seen);
  expect(seen.reordered).toBeGreaterThanOrEqual(seen.runs - 1);
  // a few cases (npm test) cannot cover every kind; the full count (test:properties) must
  if (seen.runs >= FULL_RUNS) {
    for (const [what, count] of Object.entries(seen)) {
      expect([what, count > 0]).toEqual([what, true]);
    }
  }
});

describe('found by the property: what followed the order services joined the namespace', () => {
  const noLateMappings = Array(MAX_SERVICES).fill(false);
  const natural: Order = { priorities: Array(MAX_ACTIONS).fill(0), lateMappings: noLateMappings };
  // for two servers the actions are task:0 task:1 port:0 port:1 svc:0 svc:1 dashboard: create Svc0 last
  const svc0Last: Order = { priorities: Array.from({ length: MAX_ACTIONS }, (_, k) => (k === 4 ? 1 : 0)), lateMappings: noLateMappings };
  const server = { server: true, stack: 0, ownGroup: false, platformGroup: false, sharedGroup: false, allowAllOutbound: true, aliasPort: undefined };
  const twoServers: Topology = { stacks: 1, services: [server, server], edges: [], dashboard: true };

  test('the dashboard has its rows in path order', () => {
    const a = synthesize(twoServers, natural);
    const b = synthesize(twoServers, svc0Last);
    expect(b.order.indexOf('svc:0')).toBeGreaterThan(b.order.indexOf('svc:1'));
    expect(b.output.templates.S0).toEqual(a.output.templates.S0);
  });

  test('DiscoveryNameUnique blames the same service whichever joined first', () => {
    const blamed = (order: Array<'A' | 'B'>) => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1'], privateSubnetIds: ['subnet-0123456789abcdef0'] });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'order.internal' });
      for (const id of order) {
        const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`);
        taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), portMappings: [{ name: 'http', containerPort: 8080 }] });
        new ClientServerService(stack, id, { cluster, namespace, taskDefinition, proxyLogs: { enabled: false }, endpoints: [{ portMappingName: 'http', discoveryName: 'same', dnsName: id }] });
      }
      return (() => app.synth()) as () => unknown;
    };
    expect(blamed(['A', 'B'])).toThrow(/\[DiscoveryNameUnique\] S\/B: the discovery name is already used in namespace order.internal by S\/A/);
    expect(blamed(['B', 'A'])).toThrow(/\[DiscoveryNameUnique\] S\/B: the discovery name is already used in namespace order.internal by S\/A/);
  });
});
