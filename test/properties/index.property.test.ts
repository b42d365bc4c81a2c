import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, IServiceConnectService, ServiceConnectNamespace } from '../../src';
import { namespaceIsLarge } from '../../src/rules/members';
import { AppWiring } from '../../src/topology/wiring';
import { propertyRuns } from '../support/runs';
import { fargateTask } from '../util';

/*
 * The app index (topology/wiring.ts) answers per-service questions from one pass over the finished app:
 * edges per client, callers per server, namespace groups. On randomized apps its answers equal the
 * direct computation (a scan of every edge or member, as before the index existed).
 */

const RUNS = propertyRuns(60, 5);

const appArb = fc.record({
  servers: fc.integer({ min: 1, max: 5 }),
  clients: fc.integer({ min: 0, max: 4 }),
  namespaces: fc.integer({ min: 1, max: 2 }),
  edges: fc.array(fc.tuple(fc.nat(8), fc.nat(4), fc.boolean()), { maxLength: 12 }),
  // desired counts: a few servers of 600 or more tasks make a namespace large (more than 2000 tasks at 200%)
  counts: fc.array(fc.constantFrom(1, 600, 1200), { minLength: 5, maxLength: 5 }),
});

test('the index answers as the direct computation does', () => {
  fc.assert(fc.property(appArb, (spec) => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    const namespaces = Array.from({ length: spec.namespaces }, (_, i) => new ServiceConnectNamespace(stack, `Ns${i}`, { name: `ns${i}.internal` }));
    const servers = Array.from({ length: spec.servers }, (_, i) => new ClientServerService(stack, `Server${i}`, {
      cluster,
      namespace: namespaces[i % namespaces.length],
      taskDefinition: fargateTask(stack, `ServerTask${i}`, [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: `server${i}` }],
      desiredCount: spec.counts[i],
    }));
    const clients = Array.from({ length: spec.clients }, (_, i) => new ClientService(stack, `Client${i}`, {
      cluster, namespace: namespaces[i % namespaces.length], taskDefinition: fargateTask(stack, `ClientTask${i}`),
    }));
    const services: IServiceConnectService[] = [...servers, ...clients];
    for (const [from, to, ordered] of spec.edges) {
      const client = services[from % services.length] as ClientService | ClientServerService;
      const server = servers[to % servers.length];
      if (client !== server) {
        client.connectTo(server, { ordered: !ordered ? false : true });
      }
    }
    const wiring = AppWiring.of(stack);
    // Before the plan: the direct computation
    const directCallers = servers.map((server) => wiring.callersOf(server).map((c) => c.path));
    const directGroups = namespaces.map((ns) => wiring.groupOf(ns).services.map((s) => s.node.path));
    const directLarge = namespaces.map(namespaceIsLarge);
    // The plan, and the index built with it
    const edges = wiring.edges();
    for (const service of services) {
      expect(wiring.edgesFrom(service)).toEqual(edges.filter((edge) => edge.client === service));
    }
    expect(servers.map((server) => wiring.callersOf(server).map((c) => c.path))).toEqual(directCallers);
    expect(namespaces.map((ns) => wiring.groupOf(ns).services.map((s) => s.node.path))).toEqual(directGroups);
    // asked twice: the second answer is the one kept for the group
    expect(namespaces.map(namespaceIsLarge)).toEqual(directLarge);
    expect(namespaces.map(namespaceIsLarge)).toEqual(directLarge);
  }), { numRuns: RUNS, seed: 20261207 });
});
