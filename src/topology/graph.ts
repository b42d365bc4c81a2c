import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { IServiceConnectServer, IServiceConnectService } from '../service-types';
import { findPath } from './path';
import { orderStacks, stackChain } from './stack-order';

/** One edge of the call graph: `client` calls `server`. */
export interface Edge {
  readonly client: IServiceConnectService;
  readonly server: IServiceConnectServer;
  readonly ordered: boolean;
}

/** An edge that was refused, kept for the rules to report at synth. */
export interface RefusedEdge {
  readonly server: IServiceConnectServer;
  /** The cycle the edge would close, as construct paths from the client back to the client. */
  readonly cycle?: string[];
  /** The cycle of stacks the edge would close, as stack names from the client's stack back to it. */
  readonly stackCycle?: string[];
  /** Set when the server is in another namespace than the client. */
  readonly crossNamespace?: boolean;
}

const outgoing = new WeakMap<IServiceConnectService, Edge[]>();
const refused = new WeakMap<IServiceConnectService, RefusedEdge[]>();
/** The ECS service resource of each service built in this app (imported servers have none). */
const serviceResources = new WeakMap<IServiceConnectService, IConstruct>();

function listOf<T>(map: WeakMap<IServiceConnectService, T[]>, service: IServiceConnectService): T[] {
  let list = map.get(service);
  if (!list) {
    list = [];
    map.set(service, list);
  }
  return list;
}

/** Records the ECS service resource that ordering edges point at. */
export function registerServiceResource(service: IServiceConnectService, resource: IConstruct): void {
  serviceResources.set(service, resource);
}

/** Edges declared from `client`, in declaration order. */
export function edgesFrom(client: IServiceConnectService): Edge[] {
  return [...(outgoing.get(client) ?? [])];
}

/** Edges from `client` that were refused (cycle, other namespace). */
export function refusedEdgesFrom(client: IServiceConnectService): RefusedEdge[] {
  return [...(refused.get(client) ?? [])];
}

/** A path from `from` to `to` over ordered edges, both ends included, or undefined. */
function orderedPath(from: IServiceConnectService, to: IServiceConnectService): IServiceConnectService[] | undefined {
  return findPath(from, to, (node) => (outgoing.get(node) ?? []).filter((edge) => edge.ordered).map((edge) => edge.server));
}

function ruleDescription(client: IConstruct, server: IConstruct): string {
  return `Service Connect from ${client.node.path} to ${server.node.path}`.slice(0, 255);
}

/**
 * Adds the edge `client` -> `server`: orders the client's ECS service after the server's, and lets the
 * client's security groups reach the server's proxy listen ports. An edge that would close an ordered
 * cycle, or that crosses namespaces, is refused and kept for the rules to report.
 */
export function connect(client: IServiceConnectService, server: IServiceConnectServer, ordered: boolean): void {
  if ((outgoing.get(client) ?? []).some((edge) => edge.server === server)) {
    return;
  }
  if (client.namespace !== server.namespace) {
    listOf(refused, client).push({ server, crossNamespace: true });
    return;
  }
  if (ordered) {
    const back = orderedPath(server, client);
    if (back) {
      listOf(refused, client).push({ server, cycle: [client, ...back].map((s) => s.node.path) });
      return;
    }
  }
  // Which stack holds the security-group rules decides which stack deploys after the other.
  const clientStack = Stack.of(client);
  const serverStack = Stack.of(server);
  const clientFirst = stackChain(clientStack, serverStack);
  if (ordered && clientFirst) {
    listOf(refused, client).push({ server, stackCycle: [...clientFirst, clientStack].map((s) => s.stackName) });
    return;
  }
  // Rules in the client's stack order it after the server's: right for ordered edges, and for unordered
  // ones unless the server's stack must already deploy after the client's.
  // Otherwise the rules go in the server's stack, which already deploys after the client's.
  const rulesInClientStack = ordered || !clientFirst;
  if (rulesInClientStack) {
    orderStacks(serverStack, clientStack);
  }
  listOf(outgoing, client).push({ client, server, ordered });

  const clientResource = serviceResources.get(client);
  const serverResource = serviceResources.get(server);
  if (ordered && clientResource && serverResource) {
    // A task resolves only the endpoints that existed when it started (seed, "Deployment order"), so the
    // client's ECS service waits for the server's. Only the two service resources are ordered: a
    // dependency between whole constructs would also catch the security-group rules and form a cycle.
    // Across stacks CDK turns this into a stack dependency.
    clientResource.node.addDependency(serverResource);
  }

  allowTraffic(client, server, rulesInClientStack);
}

/**
 * Lets `client`'s security groups reach `server`'s on each proxy listen port: an ingress rule on the
 * server's groups, plus an egress rule on client groups that do not allow all outbound traffic.
 *
 * Across stacks the rules must live where the references point the same way as the deployment order:
 * in the client's stack (referencing the server's groups) when the client's stack deploys after the
 * server's, else in the server's stack. `remoteRule` is how aws-cdk-lib places a rule in the peer
 * group's stack.
 */
function allowTraffic(client: IServiceConnectService, server: IServiceConnectServer, inClientStack: boolean): void {
  const description = ruleDescription(client, server);
  for (const port of server.listenPorts.map((p) => ec2.Port.tcp(p))) {
    for (const serverGroup of server.connections.securityGroups) {
      for (const clientGroup of client.connections.securityGroups) {
        serverGroup.addIngressRule(clientGroup, port, description, inClientStack);
        if (!clientGroup.allowAllOutbound) {
          clientGroup.addEgressRule(serverGroup, port, description, !inClientStack);
        }
      }
    }
  }
}
