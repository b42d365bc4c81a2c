import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { artifactFileNames, writeArtifactsAtSynth } from '../core/artifacts';
import { compareText } from '../core/text-order';
import { outsideCallersOf, portsFor } from '../outside/access';
import { EdgeStatus } from '../topology/plan';
import type { AppWiring } from '../topology/wiring';
import type { IServiceConnectNamespace } from '../types';

/** One service of the topology artifact. */
export interface TopologyService {
  readonly id: string;
  readonly path: string;
  readonly stack: string;
  readonly kind: 'client' | 'client-server';
  readonly endpoints: Array<{
    readonly portMappingName: string;
    readonly discoveryName: string;
    readonly dnsName: string;
    /** The client alias port; a port from a token reads as its CloudFormation value (see `portOf`). */
    readonly port?: number | string;
    readonly listenPort?: number | string;
  }>;
}

/** One edge of the topology artifact. */
export interface TopologyEdge {
  readonly client: string;
  readonly server: string;
  readonly ordered: boolean;
  /** The server's proxy listen ports the client is allowed to reach. */
  readonly ports: Array<number | string>;
}

/** A caller from outside the namespace (API Gateway through a VPC link, a Lambda function, an instance, an address range). */
export interface TopologyOutsideCaller {
  readonly id: string;
  /** The caller's construct path, address range or label. */
  readonly caller: string;
  readonly kind: 'vpc-link' | 'outside';
  /** The service it calls. */
  readonly server: string;
  /** The server's proxy listen ports it is allowed to reach. */
  readonly ports: Array<number | string>;
}

/** The namespace's graph, as written to the cloud assembly. */
export interface Topology {
  readonly namespace: { readonly name: string; readonly path: string };
  readonly services: TopologyService[];
  readonly edges: TopologyEdge[];
  /** Callers from outside the namespace, which reach the servers' tasks without Service Connect; absent when there are none. */
  readonly outsideCallers?: TopologyOutsideCaller[];
}

/**
 * A port as the artifact shows it: a number, or for a token the CloudFormation value it stands for, e.g.
 * `Ref(PortParam)` for a parameter, never the token's placeholder text or number.
 */
export function portOf(scope: IConstruct, port: number | undefined): number | string | undefined {
  if (port === undefined || !Token.isUnresolved(port)) {
    return port;
  }
  const value: unknown = Stack.of(scope).resolve(port);
  if (typeof value === 'number' || typeof value === 'string') {
    return value;
  }
  const [fn, args] = Object.entries(value ?? {})[0] ?? [];
  if (fn === undefined) {
    return 'token';
  }
  const name = fn.replace(/^Fn::/, '');
  return typeof args === 'string' ? `${name}(${args})`
    : Array.isArray(args) && args.every((a) => typeof a === 'string') ? `${name}(${args.join('.')})` : `${name}(...)`;
}

/**
 * The namespace's graph from its members and their planned edges (every stack of the app, every wrapper
 * of the same Cloud Map namespace).
 */
export function topologyOf(namespace: IServiceConnectNamespace, wiring: AppWiring): Topology {
  // In path order, so that the artifact does not depend on the order the services were created in.
  const members = [...wiring.groupOf(namespace).services].sort((a, b) => compareText(a.node.path, b.node.path));
  const idOf = new Map(members.map((service, i) => [service, `s${i}`]));
  const outsideCallers: TopologyOutsideCaller[] = members.flatMap((server) => outsideCallersOf(server).map((caller) => ({ server, caller })))
    .map(({ server, caller }, i) => ({
      id: `o${i}`,
      caller: caller.label,
      kind: caller.viaVpcLink ? 'vpc-link' as const : 'outside' as const,
      server: idOf.get(server) ?? '',
      ports: portsFor(caller, server.endpoints).map((port) => portOf(server, port) ?? 'token'),
    }));
  return {
    namespace: { name: namespace.namespaceName, path: namespace.node.path },
    services: members.map((service, i) => ({
      id: `s${i}`,
      path: service.node.path,
      stack: Stack.of(service).stackName,
      kind: service.endpoints.length > 0 ? 'client-server' : 'client',
      endpoints: service.endpoints.map((ep) => ({
        portMappingName: ep.portMappingName,
        discoveryName: ep.discoveryName,
        dnsName: ep.dnsName,
        port: portOf(service, ep.port),
        listenPort: portOf(service, ep.listenPort),
      })),
    })),
    edges: members.flatMap((client) => wiring.edgesFrom(client)
      .filter((edge) => edge.status === EdgeStatus.OK && idOf.has(edge.server))
      .map((edge) => ({
        client: idOf.get(client) ?? '',
        server: idOf.get(edge.server) ?? '',
        ordered: edge.ordered,
        ports: edge.ports.map((port) => portOf(edge.server, port) ?? 'token'),
      }))),
    // Only when there are some: the artifact of a namespace without outside callers stays as it was.
    ...(outsideCallers.length > 0 ? { outsideCallers } : {}),
  };
}

/** Mermaid text is quoted in `"..."`; keep labels free of characters that would end or break them. */
function label(text: string): string {
  return text.replace(/["<>{}|]/g, '_');
}

/**
 * The graph as a Mermaid flowchart: one node per service (its construct id and endpoints), a solid arrow
 * per ordered edge and a dotted one per unordered edge, labelled with the ports opened.
 */
export function toMermaid(topology: Topology): string {
  const lines = ['flowchart LR'];
  for (const service of topology.services) {
    const name = service.path.split('/').pop() ?? service.path;
    const endpoints = service.endpoints.map((ep) => `${ep.dnsName}:${ep.port ?? '?'}`);
    const text = [name, ...(service.kind === 'client' ? ['client'] : endpoints)].map(label).join('<br/>');
    lines.push(`  ${service.id}["${text}"]`);
  }
  for (const edge of topology.edges) {
    const ports = edge.ports.length > 0 ? edge.ports.join(', ') : 'no port';
    lines.push(`  ${edge.client} ${edge.ordered ? '-->' : '-.->'}|"${label(`tcp ${ports}${edge.ordered ? '' : ' (unordered)'}`)}"| ${edge.server}`);
  }
  // Callers from outside the namespace: a rounded node each, and a thick arrow (no proxy, no ordering).
  for (const outside of topology.outsideCallers ?? []) {
    const name = outside.caller.split('/').filter(Boolean).pop() ?? outside.caller;
    const kind = outside.kind === 'vpc-link' ? 'API Gateway VPC link' : 'outside the namespace';
    lines.push(`  ${outside.id}(["${[name, kind].map(label).join('<br/>')}"])`);
    const ports = outside.ports.length > 0 ? outside.ports.join(', ') : 'no port';
    lines.push(`  ${outside.id} ==>|"${label(`tcp ${ports} (direct)`)}"| ${outside.server}`);
  }
  return lines.join('\n') + '\n';
}

/** File names of a namespace's topology in the cloud assembly directory. */
export function topologyFileNames(namespace: Construct): { json: string; mermaid: string } {
  return artifactFileNames(namespace, { json: 'service-connect.json', mermaid: 'service-connect.mmd' });
}

/**
 * At synth, writes the namespace's topology into the cloud assembly directory as JSON and Mermaid, and
 * records the file names as `cdk-service-connect:topology` metadata of the namespace.
 */
export function writeTopologyAtSynth(namespace: IServiceConnectNamespace & Construct, wiring: AppWiring): void {
  writeArtifactsAtSynth(namespace, 'cdk-service-connect:topology', topologyFileNames(namespace), () => {
    const topology = topologyOf(namespace, wiring);
    return { json: JSON.stringify(topology, undefined, 2) + '\n', mermaid: toMermaid(topology) };
  });
}
