import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';
import { propertyRuns } from '../support/runs';

/*
 * Logical-id stability: adding a service or an edge to a topology never changes the logical id or a
 * replacement-triggering property of an existing resource. Checked with @aws-cdk/cloudformation-diff,
 * which knows each property's update behaviour from the CloudFormation resource specification.
 */

interface Plan {
  readonly servers: number;
  readonly clients: number;
  readonly edges: Array<[number, number]>;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  servers: fc.integer({ min: 1, max: 6 }),
  clients: fc.integer({ min: 0, max: 3 }),
  edges: fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 12 }),
});

/** Servers first, then clients; edge (a, b) means service max(a, b) calls server min(a, b) when that is a server. */
function synth(plan: Plan): Record<string, any> {
  const app = new App();
  const stack = new Stack(app, 'Stable');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'stable.internal' });
  const image = ecs.ContainerImage.fromRegistry('busybox');
  const services: Array<ClientServerService | ClientService> = [];
  for (let i = 0; i < plan.servers; i++) {
    services.push(new ClientServerService(stack, `Server${i}`, {
      cluster,
      namespace,
      container: { image, portMappings: [{ name: 'http', containerPort: 8000 + i }] },
      endpoints: [{ portMappingName: 'http', discoveryName: `server${i}` }],
    }));
  }
  for (let i = 0; i < plan.clients; i++) {
    services.push(new ClientService(stack, `Client${i}`, { cluster, namespace, container: { image } }));
  }
  for (const [a, b] of plan.edges) {
    const [client, server] = [Math.max(a, b), Math.min(a, b)];
    if (client < services.length && client !== server && server < plan.servers) {
      services[client].connectTo(services[server] as ClientServerService);
    }
  }
  return Template.fromStack(stack).toJSON();
}

/** Resources of `before` that `after` removes or replaces. */
function damage(before: Record<string, any>, after: Record<string, any>): string[] {
  const diff = fullDiff(before, after);
  const damaged: string[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (change.isRemoval || change.changeImpact === ResourceImpact.WILL_REPLACE || change.changeImpact === ResourceImpact.MAY_REPLACE
      || change.changeImpact === ResourceImpact.WILL_DESTROY) {
      damaged.push(`${logicalId}: ${change.changeImpact}`);
    }
  });
  return damaged;
}

test('adding a service or an edge never renames or replaces an existing resource', () => {
  fc.assert(fc.property(planArb, fc.constantFrom('server', 'client', 'edge'), fc.tuple(fc.nat(9), fc.nat(9)), (plan, addition, edge) => {
    const before = synth(plan);
    const grown: Plan = addition === 'server' ? { ...plan, servers: plan.servers + 1, edges: plan.edges.map(([a, b]) => [a >= plan.servers ? a + 1 : a, b >= plan.servers ? b + 1 : b]) }
      : addition === 'client' ? { ...plan, clients: plan.clients + 1 }
        : { ...plan, edges: [...plan.edges, edge] };
    const after = synth(grown);
    expect(damage(before, after)).toEqual([]);
    // every logical id of before still exists after
    expect(Object.keys(after.Resources)).toEqual(expect.arrayContaining(Object.keys(before.Resources)));
  }), { numRuns: propertyRuns(15), seed: Number(process.env.FC_SEED ?? 7) });
});

test('the check sees a replacement when there is one', () => {
  // renaming the namespace replaces it: the comparison must report that
  const before = synth({ servers: 1, clients: 0, edges: [] });
  const after = JSON.parse(JSON.stringify(before).replace('stable.internal', 'renamed.internal'));
  expect(damage(before, after)).toEqual([expect.stringMatching(/^Namespace.*WILL_REPLACE/)]);
});
