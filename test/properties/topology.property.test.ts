import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, ServiceConnectNamespace, ServiceConnectServiceBase } from '../../src';
import { propertyRuns } from '../support/runs';

/*
 * Invariants over random valid topologies: 1-30 services, random acyclic edges, one to three stacks,
 * Fargate and EC2, random endpoint options. For every generated app:
 * - the ordering in the templates (DependsOn between ECS services, plus stack dependencies) has the same
 *   transitive closure as the ordered edges;
 * - every edge has exactly one ingress rule per (server group, client group), on the proxy listen port;
 * - no ingress rule is open to 0.0.0.0/0 (or ::/0);
 * - discovery names and endpoints are unique in the namespace;
 * - every task leaves at least 64 MiB and 256 CPU units to the proxy.
 */

const serviceArb = fc.record({
  server: fc.boolean(),
  stack: fc.nat(2),
  ec2: fc.boolean(),
  override: fc.option(fc.integer({ min: 1025, max: 65535 }), { nil: undefined }),
  clientPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
});
const topologyArb = fc.record({
  services: fc.array(serviceArb, { minLength: 1, maxLength: 30 }),
  // each pair (i, j) with j < i: service i may call server j (so edges never form a cycle)
  edges: fc.array(fc.tuple(fc.nat(29), fc.nat(29)), { maxLength: 60 }),
  stacks: fc.integer({ min: 1, max: 3 }),
});

type Generated = typeof topologyArb extends fc.Arbitrary<infer T> ? T : never;

function build(t: Generated) {
  const app = new App();
  // only the stacks some service uses (an empty stack is a template-validation warning)
  const stackCount = Math.min(t.stacks, 1 + Math.max(...t.services.map((s) => s.stack)));
  const stacks = Array.from({ length: stackCount }, (_, i) => new Stack(app, `S${i}`));
  const vpc = ec2.Vpc.fromVpcAttributes(stacks[0], 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
  cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.large') });
  const namespace = new ServiceConnectNamespace(stacks[0], 'Namespace', { name: 'prop.internal' });
  const services: ServiceConnectServiceBase[] = [];
  const edges = new Set<string>();
  t.services.forEach((s, i) => {
    // services only live in stacks at or after the namespace's, and call servers in stacks at or before theirs
    const stack = stacks[Math.min(s.stack, stackCount - 1)];
    const container = {
      image: ecs.ContainerImage.fromRegistry('busybox'),
      cpu: 256,
      memoryLimitMiB: 512,
      portMappings: s.server ? [{ name: 'http', containerPort: 8000 + i }] : [],
    };
    const common = { cluster, namespace, container, launchType: s.ec2 ? ecs.LaunchType.EC2 : ecs.LaunchType.FARGATE, proxyLogs: { enabled: false } };
    services.push(s.server
      ? new ClientServerService(stack, `Svc${i}`, {
        ...common,
        endpoints: [{ portMappingName: 'http', discoveryName: `svc${i}`, dnsName: `svc${i}`, port: s.clientPort, ingressPortOverride: s.override }],
      })
      : new ClientService(stack, `Svc${i}`, common));
  });
  for (const [a, b] of t.edges) {
    const [client, server] = [Math.max(a, b), Math.min(a, b)];
    if (client >= services.length || client === server || !(services[server] instanceof ClientServerService)) {
      continue;
    }
    if (stacks.indexOf(Stack.of(services[server])) > stacks.indexOf(Stack.of(services[client]))) {
      continue; // a client in an earlier stack than its server is refused by design (ConnectCycle); not a valid topology
    }
    services[client].connectTo(services[server] as ClientServerService);
    edges.add(`${client}->${server}`);
  }
  return { app, stacks, services, edges };
}

/** Transitive closure of a relation given as `a->b` strings. */
function closure(pairs: Iterable<string>): Set<string> {
  const next = new Map<string, Set<string>>();
  for (const p of pairs) {
    const [a, b] = p.split('->');
    (next.get(a) ?? next.set(a, new Set()).get(a))?.add(b);
  }
  const result = new Set<string>();
  for (const start of next.keys()) {
    const stack = [...(next.get(start) ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const node = stack.pop() as string;
      if (!seen.has(node)) {
        seen.add(node);
        result.add(`${start}->${node}`);
        stack.push(...(next.get(node) ?? []));
      }
    }
  }
  return result;
}

test('random valid topologies keep every invariant', () => {
  fc.assert(fc.property(topologyArb, (t) => {
    const { app, stacks, services, edges } = build(t);
    const assembly = app.synth();
    const templates = stacks.map((s) => Template.fromStack(s).toJSON());
    const indexOfLogicalId = new Map<string, number>();
    services.forEach((s, i) => indexOfLogicalId.set(`${Stack.of(s).stackName}/${Stack.of(s).getLogicalId(s.service.node.defaultChild as any)}`, i));

    // ordering: DependsOn between ECS services within a stack, plus "after every service of a stack it depends on"
    const ordering = new Set<string>();
    const stackDeps = new Map(stacks.map((s) => [s.stackName, assembly.getStackByName(s.stackName).dependencies.map((d) => d.id)]));
    templates.forEach((tpl, si) => {
      for (const [id, r] of Object.entries<any>(tpl.Resources ?? {})) {
        if (r.Type !== 'AWS::ECS::Service') continue;
        const client = indexOfLogicalId.get(`${stacks[si].stackName}/${id}`) as number;
        for (const dep of r.DependsOn ?? []) {
          const server = indexOfLogicalId.get(`${stacks[si].stackName}/${dep}`);
          if (server !== undefined) ordering.add(`${client}->${server}`);
        }
      }
    });
    const stackOrder = closure([...stackDeps].flatMap(([stack, deps]) => deps.map((d) => `${stack}->${d}`)));
    for (const edge of edges) {
      const [c, s] = edge.split('->').map(Number);
      const [cs, ss] = [Stack.of(services[c]).stackName, Stack.of(services[s]).stackName];
      if (cs !== ss) {
        // across stacks, the edge is carried by the client's stack depending on the server's
        expect(stackOrder.has(`${cs}->${ss}`)).toBe(true);
        ordering.add(edge);
      }
    }
    expect([...closure(ordering)].sort()).toEqual([...closure(edges)].sort());

    // security groups
    const ingress = templates.flatMap((tpl) => Object.values<any>(tpl.Resources ?? {}).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r) => r.Properties));
    const groupsInline = templates.flatMap((tpl) => Object.values<any>(tpl.Resources ?? {}).filter((r) => r.Type === 'AWS::EC2::SecurityGroup').flatMap((r) => r.Properties.SecurityGroupIngress ?? []));
    for (const rule of [...ingress, ...groupsInline]) {
      expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      expect(rule.CidrIpv6).not.toBe('::/0');
    }
    const describe = (rule: any) => `${JSON.stringify(rule.SourceSecurityGroupId).match(/Svc(\d+)/)?.[1]}->${JSON.stringify(rule.GroupId).match(/Svc(\d+)/)?.[1]}:${rule.FromPort}`;
    const expected = [...edges].map((edge) => {
      const [c, s] = edge.split('->').map(Number);
      return `${c}->${s}:${(services[s] as ClientServerService).listenPorts[0]}`;
    }).sort();
    expect(ingress.filter((r) => r.SourceSecurityGroupId !== undefined && r.FromPort === r.ToPort).map(describe).sort()).toEqual(expected);

    // uniqueness in the namespace
    const endpoints = services.flatMap((s) => s.endpoints);
    expect(new Set(endpoints.map((e) => e.discoveryName)).size).toBe(endpoints.length);
    expect(new Set(endpoints.map((e) => `${e.dnsName}:${e.port}`)).size).toBe(endpoints.length);

    // proxy headroom
    for (const tpl of templates) {
      for (const r of Object.values<any>(tpl.Resources ?? {}).filter((x) => x.Type === 'AWS::ECS::TaskDefinition')) {
        const containers = r.Properties.ContainerDefinitions;
        const memory = containers.reduce((sum: number, c: any) => sum + (c.Memory ?? 0), 0);
        const cpu = containers.reduce((sum: number, c: any) => sum + (c.Cpu ?? 0), 0);
        expect(Number(r.Properties.Memory) - memory).toBeGreaterThanOrEqual(64);
        expect(Number(r.Properties.Cpu) - cpu).toBeGreaterThanOrEqual(256);
      }
    }
  }), { numRuns: propertyRuns(25), seed: Number(process.env.FC_SEED ?? 6) });
});
