// The benchmark topology, built twice: with this library, and by hand with aws-cdk-lib L2 constructs
// (FargateService with serviceConnectConfiguration, plus the DependsOn and security-group rules).
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';

export const STACK_SIZE = 40;
/** Services per namespace: a namespace may hold 300 (rule NamespaceServiceLimit). */
export const NAMESPACE_SIZE = 250;

/** The namespace of the service at `index`. */
const namespaceOf = (index: number) => Math.floor(index / NAMESPACE_SIZE);

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
export function topology(n: number): Node[] {
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
}

function base(n: number): Base {
  const app = new App();
  const stacks = Array.from({ length: Math.ceil(n / STACK_SIZE) }, (_, i) => new Stack(app, `Bench${i}`, { env: { account: '123456789012', region: 'us-east-1' } }));
  const vpc = new ec2.Vpc(stacks[0], 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stacks[0], 'Cluster', { vpc });
  return { app, stacks, cluster };
}

/** The namespaces' construct ids and names, all in the first stack; the namespace `k` holds the services of `namespaceOf`. */
function namespaces(n: number): Array<{ id: string; name: string }> {
  return Array.from({ length: Math.max(1, Math.ceil(n / NAMESPACE_SIZE)) }, (_, k) => ({ id: `Namespace${k}`, name: `bench${k}.internal` }));
}

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
export function buildWithLibrary(n: number): App {
  const { app, stacks, cluster } = base(n);
  const namespace = namespaces(n).map(({ id, name }) => new ServiceConnectNamespace(stacks[0], id, { name }));
  const built: Array<ClientServerService | ClientService> = [];
  for (const node of topology(n)) {
    const stack = stacks[Math.floor(node.index / STACK_SIZE)];
    const common = {
      cluster,
      namespace: namespace[namespaceOf(node.index)],
      taskDefinition: taskDefinition(stack, node),
      proxyLogs: { enabled: false },
      connectsTo: node.calls.map((i) => built[i] as ClientServerService),
    };
    built.push(node.client
      ? new ClientService(stack, `Svc${node.index}`, common)
      : new ClientServerService(stack, `Svc${node.index}`, { ...common, endpoints: [endpointOf(node)] }));
  }
  return app;
}

/** The same topology written by hand with aws-cdk-lib. */
export function buildWithL2(n: number): App {
  const { app, stacks, cluster } = base(n);
  const namespace = namespaces(n).map(({ id, name }) => new servicediscovery.HttpNamespace(stacks[0], id, { name }));
  const built: ecs.FargateService[] = [];
  for (const node of topology(n)) {
    const stack = stacks[Math.floor(node.index / STACK_SIZE)];
    const own = namespace[namespaceOf(node.index)];
    const service = new ecs.FargateService(stack, `Svc${node.index}`, {
      cluster,
      taskDefinition: taskDefinition(stack, node),
      minHealthyPercent: 100,
      serviceConnectConfiguration: {
        namespace: own.namespaceArn,
        services: node.client ? undefined : [endpointOf(node)],
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
  return app;
}
