import { findPath } from './path';
import { compareText } from '../core/text-order';

/*
 * The call graph's plan, as a pure function of plain data: which edges are refused and why, which are
 * ordered, and in which stack each security-group rule lives. The wiring aspect gathers the input from
 * the finished construct tree and applies the output; nothing here depends on the order of calls.
 */

/** A security group, as the plan sees it. */
export interface PlanGroup {
  readonly id: string;
  readonly stack: string;
  readonly allowAllOutbound: boolean;
}

/** A service, as the plan sees it. */
export interface PlanService {
  readonly id: string;
  readonly stack: string;
  /** Services with equal keys are in the same Cloud Map namespace. */
  readonly namespace: string;
  readonly groups: string[];
  /** The server's proxy listen ports (empty for a client). */
  readonly listenPorts: number[];
  /** Whether the service has an ECS service resource in this app, so that it can be ordered. */
  readonly orderable: boolean;
  /** Whether `ConnectCycle` is relaxed on the service: its edges that close a cycle lose their ordering only. */
  readonly cycleRelaxed: boolean;
  /** Stacks that deploy before this service's stack because the service refers to them (cluster, namespace, groups). */
  readonly after: string[];
}

/** An edge as declared: `client` calls `server`. */
export interface PlanEdgeInput {
  readonly client: string;
  readonly server: string;
  readonly ordered: boolean;
}

/** What the plan starts from. */
export interface PlanInput {
  readonly services: PlanService[];
  readonly groups: PlanGroup[];
  readonly edges: PlanEdgeInput[];
  /** Explicit stack dependencies: `[stack, dependsOn]`. */
  readonly stackDependencies: Array<[string, string]>;
}

/** Why an edge was refused. */
export enum EdgeStatus {
  OK = 'ok',
  CROSS_NAMESPACE = 'crossNamespace',
  CYCLE = 'cycle',
  STACK_CYCLE = 'stackCycle',
}

/** One security-group rule: `clientGroup` may reach `serverGroup` on `port`. */
export interface PlannedRule {
  readonly serverGroup: string;
  readonly clientGroup: string;
  readonly port: number;
  /** Whether the rule lives in the client group's stack (else the server group's). */
  readonly inClientGroupStack: boolean;
}

/** One edge of the plan. */
export interface PlannedEdge {
  readonly client: string;
  readonly server: string;
  readonly status: EdgeStatus;
  /** Whether the client's ECS service is ordered after the server's. */
  readonly ordered: boolean;
  /** The cycle the edge closes, client first and last (status CYCLE). */
  readonly cycle?: string[];
  /** The stacks the edge would order in a cycle, the client's first and last (status STACK_CYCLE). */
  readonly stackCycle?: string[];
  readonly rules: PlannedRule[];
  /** Groups the client and the server share: no rule is planned for them. */
  readonly sharedGroups: string[];
}

/** A directed graph of string nodes. */
class Graph {
  private readonly next = new Map<string, Set<string>>();

  public add(from: string, to: string): void {
    if (from === to) {
      return;
    }
    const set = this.next.get(from) ?? new Set<string>();
    set.add(to);
    this.next.set(from, set);
  }

  /** A path from `from` to `to`, both included, following edges in sorted order; undefined if none. */
  public path(from: string, to: string): string[] | undefined {
    return findPath(from, to, (node) => [...(this.next.get(node) ?? [])].sort());
  }
}

function byClientThenServer(a: PlanEdgeInput, b: PlanEdgeInput): number {
  return compareText(a.client, b.client) || compareText(a.server, b.server);
}

/** Declared edges with duplicates merged (ordered if any declaration is), sorted. */
function mergeEdges(edges: PlanEdgeInput[]): PlanEdgeInput[] {
  const merged = new Map<string, PlanEdgeInput>();
  for (const edge of edges) {
    const key = `${edge.client}\u0000${edge.server}`;
    const known = merged.get(key);
    merged.set(key, { ...edge, ordered: edge.ordered || (known?.ordered ?? false) });
  }
  return [...merged.values()].sort(byClientThenServer);
}

/** Ordered edges whose server can reach their client over `edges`: each closes a cycle. */
function cycleClosers(edges: PlanEdgeInput[]): Map<PlanEdgeInput, string[]> {
  const graph = new Graph();
  for (const edge of edges) {
    graph.add(edge.client, edge.server);
  }
  const closers = new Map<PlanEdgeInput, string[]>();
  for (const edge of edges) {
    const back = graph.path(edge.server, edge.client);
    if (back) {
      closers.set(edge, [edge.client, ...back]);
    }
  }
  return closers;
}

/**
 * Plans every edge. Edges across namespaces are refused. Ordered edges on a cycle of ordered edges are
 * refused, unless the client relaxes `ConnectCycle`: then they keep their rules and lose their ordering.
 * An ordered edge that would order stacks in a cycle is refused. Each rule lives in whichever of the two
 * groups' stacks already deploys after the other, else in the client group's.
 */
export function planWiring(input: PlanInput): PlannedEdge[] {
  const services = new Map(input.services.map((s) => [s.id, s]));
  const groups = new Map(input.groups.map((g) => [g.id, g]));
  const edges = mergeEdges(input.edges).filter((e) => services.has(e.client) && services.has(e.server));
  const serviceOf = (id: string) => services.get(id) as PlanService;
  const status = new Map<PlanEdgeInput, Partial<PlannedEdge>>();

  for (const edge of edges) {
    if (serviceOf(edge.client).namespace !== serviceOf(edge.server).namespace) {
      status.set(edge, { status: EdgeStatus.CROSS_NAMESPACE });
    }
  }

  // Service order: edges on a cycle either lose their ordering (relaxed) or are refused.
  const orderable = (e: PlanEdgeInput) => e.ordered && !status.has(e) && serviceOf(e.client).orderable && serviceOf(e.server).orderable;
  const relaxed = new Set([...cycleClosers(edges.filter(orderable)).keys()].filter((e) => serviceOf(e.client).cycleRelaxed));
  const ordered = edges.filter((e) => orderable(e) && !relaxed.has(e));
  for (const [edge, cycle] of cycleClosers(ordered)) {
    status.set(edge, { status: EdgeStatus.CYCLE, cycle });
  }

  // Stack order: "a deploys after b" edges. Services' own references first, then ordered edges.
  const after = new Graph();
  for (const [stack, dependsOn] of input.stackDependencies) {
    after.add(stack, dependsOn);
  }
  for (const service of input.services) {
    service.after.forEach((stack) => after.add(service.stack, stack));
  }
  const orderedOk = ordered.filter((e) => !status.has(e));
  for (const edge of orderedOk) {
    const clientStack = serviceOf(edge.client).stack;
    const serverStack = serviceOf(edge.server).stack;
    const back = clientStack === serverStack ? undefined : after.path(serverStack, clientStack);
    if (back) {
      status.set(edge, { status: EdgeStatus.STACK_CYCLE, stackCycle: [clientStack, ...back] });
    } else {
      after.add(clientStack, serverStack);
    }
  }

  // Security-group rules, for every edge that was not refused.
  return edges.map((edge) => {
    const refused = status.get(edge);
    if (refused) {
      return { client: edge.client, server: edge.server, ordered: false, rules: [], sharedGroups: [], status: EdgeStatus.OK, ...refused };
    }
    const rules: PlannedRule[] = [];
    const sharedGroups: string[] = [];
    const client = serviceOf(edge.client);
    const server = serviceOf(edge.server);
    for (const serverGroup of server.groups) {
      for (const clientGroup of client.groups) {
        if (serverGroup === clientGroup) {
          sharedGroups.push(serverGroup);
          continue;
        }
        const serverStack = groups.get(serverGroup)?.stack ?? server.stack;
        const clientStack = groups.get(clientGroup)?.stack ?? client.stack;
        const inClientGroupStack = serverStack === clientStack
          || after.path(clientStack, serverStack) !== undefined
          || after.path(serverStack, clientStack) === undefined;
        if (inClientGroupStack) {
          after.add(clientStack, serverStack);
        }
        for (const port of [...new Set(server.listenPorts)]) {
          rules.push({ serverGroup, clientGroup, port, inClientGroupStack });
        }
      }
    }
    return {
      client: edge.client,
      server: edge.server,
      status: EdgeStatus.OK,
      ordered: orderedOk.includes(edge),
      rules,
      sharedGroups,
    };
  });
}
