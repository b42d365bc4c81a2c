import type { AppMeshFacts, ListenerFact, RouteFact, TaskDefinitionFact, VirtualNodeFact } from './facts';
import { migrationRule } from './rules';
import { compareText } from '../core/text-order';

/** A Service Connect endpoint the plan proposes for one listener of a virtual node. */
export interface PlannedEndpoint {
  /** The port mapping's name: the task's own, or a proposed one (`portMappingExists` false) to add to the mapping. */
  readonly portMappingName: string;
  readonly portMappingExists: boolean;
  /** The port mapping's `appProtocol`, from the listener: `http`, `http2` or `grpc`; none for TCP. */
  readonly appProtocol?: string;
  readonly containerPort?: number;
  readonly discoveryName: string;
  /** The client alias: the virtual service name, so the callers' URLs keep working. */
  readonly dnsName?: string;
  readonly port?: number;
  readonly idleTimeoutSeconds?: number;
  readonly perRequestTimeoutSeconds?: number;
  /** The listener terminates TLS with an ACM Private CA certificate: Service Connect TLS with that CA. */
  readonly tls: boolean;
}

/** A virtual node and what it becomes. */
export interface PlannedNode {
  readonly mesh: string;
  readonly name: string;
  readonly path: string;
  /** Path of the node's ECS service, when found. */
  readonly ecsService?: string;
  readonly taskDefinition?: string;
  /** How the ECS service was found: through the Envoy container's identity, the Cloud Map registration or the DNS name. */
  readonly foundBy?: string;
  /** Why no ECS service was found. */
  readonly notFound?: string;
  readonly endpoints: PlannedEndpoint[];
  /** The format of the Envoy access log the node wrote (`text` or `json`): the service's `accessLogs`. */
  readonly accessLogFormat?: string;
}

/** A call from one virtual node to another, through a virtual service (and a router). */
export interface PlannedEdge {
  readonly mesh: string;
  readonly client: string;
  readonly server: string;
  /** How the call reaches the server: `virtual service` or `virtual service -> router/route`. */
  readonly via: string[];
  readonly inCycle: boolean;
  /** False for the one edge per cycle that the library must not order (`connectTo(server, { ordered: false })`). */
  readonly ordered: boolean;
}

/** What to remove from a task definition when it moves to Service Connect. */
export interface StripItem {
  readonly taskDefinition: string;
  readonly envoyContainer?: string;
  readonly proxyConfiguration: boolean;
  readonly dependsOnEnvoy: string[];
}

/** A finding, with the rule id of MIGRATION_RULES. */
export interface PlannedFinding {
  readonly id: string;
  /** Path of the construct the finding is about. */
  readonly path: string;
  readonly problem: string;
  readonly value: string;
  readonly fix: string;
}

/** The whole plan, as the report's JSON has it. */
export interface MigrationPlan {
  readonly meshes: Array<{ readonly name: string; readonly path: string; readonly namespaceName: string }>;
  readonly nodes: PlannedNode[];
  readonly edges: PlannedEdge[];
  /** Each cycle as the node names along it, first name repeated at the end. */
  readonly cycles: string[][];
  readonly strip: { readonly taskDefinitions: StripItem[]; readonly grants: Array<{ readonly path: string; readonly grant: string }> };
  /** Each virtual gateway, the virtual services its routes reach, and the ECS services that run its Envoy (to replace). */
  readonly gateways: Array<{
    readonly mesh: string; readonly name: string; readonly path: string; readonly routesTo: string[]; readonly ecsServices: string[];
  }>;
  readonly findings: PlannedFinding[];
}

/** Options of the planner. */
export interface PlanOptions {
  /** The Service Connect namespace name per mesh; the mesh name when absent. */
  readonly namespaceName?: string;
  /** Per weighted route (by construct path), the target node that takes the virtual service name instead of the heaviest. */
  readonly keepTargets?: Record<string, string>;
}

/** A name as a Service Connect discovery name: a-z, 0-9, `_` and `-`, not starting with `-`, at most 64 characters. */
export function discoveryNameOf(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'service';
}

const APP_PROTOCOLS: Record<string, string> = { http: 'http', http2: 'http2', grpc: 'grpc' };

/** A listener as the report shows it: `http:8080`. */
function describeListener(listener: { readonly protocol?: string; readonly port?: number }): string {
  return `${listener.protocol ?? '?'}:${listener.port ?? '?'}`;
}

/**
 * Plans the move from App Mesh to Service Connect: a pure function of the facts. Ids, edges and findings
 * come out in a stable order (by mesh, then by name), whatever the order of the facts.
 */
export function planMigration(facts: AppMeshFacts, options: PlanOptions = {}): MigrationPlan {
  const findings: PlannedFinding[] = [];
  const find = (id: string, path: string, problem: string, value: string, fix?: string) => {
    findings.push({ id, path, problem, value, fix: fix ?? migrationRule(id).fix });
  };
  const byName = <T extends { readonly mesh: string; readonly name: string }>(a: T, b: T) =>
    compareText(a.mesh, b.mesh) || compareText(a.name, b.name);
  const nodes = [...facts.nodes].sort(byName);
  const key = (mesh: string, name: string) => `${mesh}\u0000${name}`;
  const nodeByKey = new Map(nodes.map((n) => [key(n.mesh, n.name), n]));
  const servicesByKey = new Map(facts.services.map((s) => [key(s.mesh, s.name), s]));
  const routesOf = (mesh: string, router: string) => facts.routes.filter((r) => r.mesh === mesh && r.router === router)
    .sort((a, b) => compareText(a.name, b.name));

  // The mesh itself.
  for (const mesh of facts.meshes) {
    if (mesh.egressFilter !== 'ALLOW_ALL') {
      find('AppMeshEgressFilter', mesh.path, `mesh ${mesh.name} lets its tasks reach only mesh destinations`, `egress filter ${mesh.egressFilter}`);
    }
  }

  // Routes: what a name-and-port service discovery cannot do.
  for (const route of [...facts.routes].sort((a, b) => compareText(a.router, b.router) || compareText(a.name, b.name))) {
    const where = `route ${route.name} of router ${route.router}`;
    if (route.targets.length > 1) {
      find('AppMeshWeightedRoute', route.path, `${where} splits traffic by weight`, route.targets.map((t) => `${t.node}=${t.weight}`).join(', '));
    }
    if (route.matches.length > 0) {
      find('AppMeshMatchedRoute', route.path, `${where} matches on the request`, route.matches.join(', '));
    }
    if (route.retryPolicy) {
      find('AppMeshRetryPolicy', route.path, `${where} has a retry policy`, 'retryPolicy');
    }
  }

  // Virtual nodes: listeners and TLS.
  for (const node of nodes) {
    const policies = node.listeners.flatMap((l) => [
      ...(l.outlierDetection ? [`outlier detection on ${describeListener(l)}`] : []),
      ...(l.connectionPool ? [`connection pool on ${describeListener(l)}`] : []),
      ...(l.healthCheck ? [`health check on ${describeListener(l)}`] : []),
    ]);
    if (policies.length > 0) {
      find('AppMeshListenerPolicy', node.path, `virtual node ${node.name} sets listener policies the Service Connect proxy does not take`, policies.join(', '));
    }
    const mutual = [...node.listeners.filter((l) => l.mutualTls).map((l) => `client validation on ${describeListener(l)}`),
      ...(node.clientCertificate ? ['a client certificate to its backends'] : [])];
    if (mutual.length > 0) {
      find('AppMeshMutualTls', node.path, `virtual node ${node.name} uses mutual TLS`, mutual.join(', '));
    }
    const sources = [...node.listeners.filter((l) => l.tlsCertificate !== undefined && l.tlsCertificate !== 'acm')
      .map((l) => `${l.tlsCertificate} certificate on ${describeListener(l)}`),
    ...(node.backendTrust !== undefined && node.backendTrust !== 'acm' ? [`${node.backendTrust} trust for its backends`] : [])];
    if (sources.length > 0) {
      find('AppMeshTlsCertificate', node.path, `virtual node ${node.name} uses TLS without AWS Private CA`, sources.join(', '));
    }
  }

  const servicesOfTask = (task: TaskDefinitionFact) => facts.ecsServices.filter((s) => s.taskDefinition === task.path);

  // Gateways, and the ECS services whose Envoy serves them.
  const gateways = [...facts.gateways].sort(byName).map((gateway) => {
    const routesTo = [...new Set(facts.gatewayRoutes.filter((r) => r.mesh === gateway.mesh && r.gateway === gateway.name)
      .map((r) => r.targetService ?? '?'))].sort();
    const ecsServices = facts.taskDefinitions.filter((t) => t.envoyIdentity?.kind === 'virtualGateway' && t.envoyIdentity.name === gateway.name
      && (t.envoyIdentity.mesh === undefined || t.envoyIdentity.mesh === gateway.mesh)).flatMap(servicesOfTask).map((s) => s.path).sort();
    find('AppMeshGateway', gateway.path, `virtual gateway ${gateway.name} has no Service Connect equivalent`,
      [routesTo.length > 0 ? `routes to ${routesTo.join(', ')}` : 'no gateway route', ...ecsServices.map((s) => `runs in ${s}`)].join('; '));
    return { mesh: gateway.mesh, name: gateway.name, path: gateway.path, routesTo, ecsServices };
  });

  // Each virtual node's ECS service.
  const located = new Map<VirtualNodeFact, { ecsService?: string; taskDefinition?: string; foundBy?: string; notFound?: string }>();
  for (const node of nodes) {
    const task = facts.taskDefinitions.find((t) => t.envoyIdentity?.kind === 'virtualNode' && t.envoyIdentity.name === node.name
      && (t.envoyIdentity.mesh === undefined || t.envoyIdentity.mesh === node.mesh));
    const byEnvoy = task ? servicesOfTask(task)[0] : undefined;
    const familyOf = (taskDefinition: string | undefined) => facts.taskDefinitions.find((t) => t.path === taskDefinition)?.family;
    const byCloudMap = node.cloudMap?.serviceName === undefined ? undefined : facts.ecsServices.find((s) => s.registries.some((r) =>
      r.serviceName === node.cloudMap?.serviceName
      && (node.cloudMap?.namespaceName === undefined || r.namespaceName === node.cloudMap.namespaceName))
      // Several ECS services can register in one Cloud Map service; the node's attribute picks its own.
      && (node.cloudMap?.taskFamily === undefined || familyOf(s.taskDefinition) === node.cloudMap.taskFamily));
    const byDns = node.dnsHostname === undefined ? undefined : facts.ecsServices.find((s) => s.registries.some((r) =>
      r.serviceName !== undefined && r.namespaceName !== undefined && `${r.serviceName}.${r.namespaceName}` === node.dnsHostname));
    const service = byEnvoy ?? byCloudMap ?? byDns;
    if (service) {
      located.set(node, {
        ecsService: service.path,
        taskDefinition: service.taskDefinition,
        foundBy: byEnvoy ? 'Envoy container identity' : byCloudMap ? 'Cloud Map registration' : 'DNS name',
      });
    } else {
      const notFound = task ? `its Envoy task definition ${task.path} belongs to no ECS service`
        : `no Envoy container names it, and no ECS service registers ${node.cloudMap ? `Cloud Map service ${node.cloudMap.serviceName ?? '?'}` : node.dnsHostname ? `DNS name ${node.dnsHostname}` : 'it in Cloud Map'}`;
      located.set(node, { notFound });
      find('AppMeshNonEcsNode', node.path, `virtual node ${node.name} has no ECS service`, notFound);
    }
  }

  // Tasks: standalone, tracing, memory.
  for (const task of [...facts.taskDefinitions].filter((t) => t.envoyContainer !== undefined).sort((a, b) => compareText(a.path, b.path))) {
    if (servicesOfTask(task).length === 0) {
      find('AppMeshStandaloneTask', task.path, 'a task definition with an Envoy container belongs to no ECS service',
        task.envoyIdentity ? `${task.envoyIdentity.kind} ${task.envoyIdentity.name}` : `container ${task.envoyContainer}`);
    }
    if (task.tracing.length > 0) {
      find('AppMeshTracing', task.path, `the Envoy container ${task.envoyContainer} sends telemetry the Service Connect proxy does not`, task.tracing.join(', '));
    }
    if (task.ec2WithoutTaskMemory) {
      find('AppMeshTaskMemory', task.path, 'the task definition can run on EC2 and sets no task memory', 'no task-level memory');
    }
  }

  // Which virtual service names reach which node listener (the client aliases), and the route timeouts on the way.
  interface Alias { readonly dnsName: string; readonly port?: number; readonly route?: RouteFact }
  const aliases = new Map<string, Alias[]>();
  const listenerKey = (node: VirtualNodeFact, listener: ListenerFact) => `${key(node.mesh, node.name)}\u0000${listener.port}`;
  const addAlias = (node: VirtualNodeFact, listener: ListenerFact | undefined, alias: Alias) => {
    if (listener) {
      aliases.set(listenerKey(node, listener), [...aliases.get(listenerKey(node, listener)) ?? [], alias]);
    }
  };
  const listenerFor = (node: VirtualNodeFact, port: number | undefined, protocol: string | undefined) =>
    node.listeners.find((l) => port !== undefined && l.port === port) ?? node.listeners.find((l) => l.protocol === protocol) ?? node.listeners[0];
  for (const service of [...facts.services].sort(byName)) {
    const provider = service.providerNode !== undefined ? nodeByKey.get(key(service.mesh, service.providerNode)) : undefined;
    for (const listener of provider?.listeners ?? []) {
      addAlias(provider as VirtualNodeFact, listener, { dnsName: service.name, port: listener.port });
    }
    const router = service.providerRouter === undefined ? undefined
      : facts.routers.find((r) => r.mesh === service.mesh && r.name === service.providerRouter);
    for (const routerListener of router?.listeners ?? []) {
      const routes = routesOf(service.mesh, router?.name ?? '').filter((r) => router?.listeners.length === 1 || r.protocol === routerListener.protocol);
      // The target that takes the most traffic, preferring routes that match nothing in particular.
      const candidates = [...routes].sort((a, b) => a.matches.length - b.matches.length)
        .flatMap((route) => route.targets.map((target) => ({ route, target })));
      // A target the user chose to keep wins over the heaviest.
      const kept = candidates.find((c) => options.keepTargets?.[c.route.path] === c.target.node);
      const primary = kept ?? candidates.reduce<typeof candidates[number] | undefined>(
        (best, c) => best === undefined || c.target.weight > best.target.weight ? c : best, undefined);
      const node = primary ? nodeByKey.get(key(service.mesh, primary.target.node)) : undefined;
      if (node && primary) {
        addAlias(node, listenerFor(node, primary.target.port, routerListener.protocol),
          { dnsName: service.name, port: routerListener.port, route: primary.route });
      }
    }
  }

  const plannedNodes: PlannedNode[] = nodes.map((node) => {
    const where = located.get(node) ?? {};
    const task = facts.taskDefinitions.find((t) => t.path === where.taskDefinition);
    const base = discoveryNameOf(node.name);
    const endpoints = node.listeners.filter((l) => l.port !== undefined).map((listener, i): PlannedEndpoint => {
      const reaching = aliases.get(listenerKey(node, listener)) ?? [];
      if (reaching.length > 1) {
        find('AppMeshSeveralAliases', node.path, `listener ${describeListener(listener)} of virtual node ${node.name} is reached through several names`,
          reaching.map((a) => `${a.dnsName}:${a.port ?? '?'}`).join(', '));
      }
      const alias = reaching[0];
      const mapping = task?.portMappings.find((m) => m.containerPort === listener.port && m.name !== undefined);
      const protocol = listener.protocol ?? 'tcp';
      return {
        portMappingName: mapping?.name ?? (node.listeners.length > 1 ? `${protocol}-${listener.port}` : protocol),
        portMappingExists: mapping !== undefined,
        appProtocol: APP_PROTOCOLS[protocol],
        containerPort: listener.port,
        discoveryName: i === 0 ? base : discoveryNameOf(`${base}-${listener.port}`),
        dnsName: alias?.dnsName,
        port: alias?.port,
        idleTimeoutSeconds: listener.idleTimeoutSeconds ?? alias?.route?.idleTimeoutSeconds,
        perRequestTimeoutSeconds: listener.perRequestTimeoutSeconds ?? alias?.route?.perRequestTimeoutSeconds,
        tls: listener.tlsCertificate === 'acm',
      };
    });
    return { mesh: node.mesh, name: node.name, path: node.path, ...where, endpoints, accessLogFormat: node.accessLog };
  });

  // The call graph: backends through virtual services, routers and routes to nodes.
  const rawEdges = new Map<string, { mesh: string; client: string; server: string; via: string[] }>();
  for (const node of nodes) {
    for (const backend of [...node.backends].sort()) {
      const service = servicesByKey.get(key(node.mesh, backend));
      const targets: Array<{ server: string; via: string }> = [];
      if (service?.providerNode !== undefined) {
        targets.push({ server: service.providerNode, via: backend });
      }
      if (service?.providerRouter !== undefined) {
        for (const route of routesOf(node.mesh, service.providerRouter)) {
          targets.push(...route.targets.map((t) => ({ server: t.node, via: `${backend} -> ${service.providerRouter}/${route.name}` })));
        }
      }
      if (targets.length === 0) {
        find('AppMeshUnresolvedBackend', node.path, `virtual node ${node.name} calls a virtual service without a provider in the app`, backend);
      }
      for (const t of targets) {
        const edgeKey = `${key(node.mesh, node.name)}\u0000${t.server}`;
        const edge = rawEdges.get(edgeKey) ?? { mesh: node.mesh, client: node.name, server: t.server, via: [] };
        if (!edge.via.includes(t.via)) {
          edge.via.push(t.via);
        }
        rawEdges.set(edgeKey, edge);
      }
    }
  }
  const { edges, cycles } = orderEdges([...rawEdges.values()]);
  for (const edge of edges.filter((e) => !e.ordered)) {
    const client = nodeByKey.get(key(edge.mesh, edge.client));
    const cycle = cycles.find((c) => c[c.length - 2] === edge.client && c[c.length - 1] === edge.server);
    find('AppMeshCallCycle', client?.path ?? edge.client, 'the virtual nodes call each other in a cycle', (cycle ?? [edge.client, edge.server]).join(' -> '),
      `connect ${edge.client} to ${edge.server} with \`connectTo(server, { ordered: false })\``);
  }

  const meshNames = [...new Set([...facts.meshes.map((m) => m.name), ...nodes.map((n) => n.mesh)])].sort();
  return {
    meshes: meshNames.map((name) => ({
      name,
      path: facts.meshes.find((m) => m.name === name)?.path ?? '',
      namespaceName: options.namespaceName ?? name,
    })),
    nodes: plannedNodes,
    edges,
    cycles,
    strip: {
      taskDefinitions: facts.taskDefinitions.filter((t) => t.envoyContainer !== undefined || t.proxyConfiguration)
        .map((t) => ({
          taskDefinition: t.path, envoyContainer: t.envoyContainer, proxyConfiguration: t.proxyConfiguration, dependsOnEnvoy: t.dependsOnEnvoy,
        }))
        .sort((a, b) => compareText(a.taskDefinition, b.taskDefinition)),
      grants: facts.grants.map((g) => ({ path: g.path, grant: g.grant })).sort((a, b) => compareText(a.path, b.path)),
    },
    gateways,
    findings,
  };
}

/**
 * Marks the edges that lie on a cycle, and picks one edge per cycle to leave unordered: the back edges of a
 * depth-first search in name order, so that the ordered edges form no cycle.
 */
export function orderEdges(
  raw: Array<{ mesh: string; client: string; server: string; via: string[] }>,
): { edges: PlannedEdge[]; cycles: string[][] } {
  const sorted = [...raw].sort((a, b) => compareText(a.mesh, b.mesh) || compareText(a.client, b.client) || compareText(a.server, b.server));
  const id = (mesh: string, name: string) => `${mesh}\u0000${name}`;
  const out = new Map<string, typeof sorted>();
  for (const edge of sorted) {
    out.set(id(edge.mesh, edge.client), [...out.get(id(edge.mesh, edge.client)) ?? [], edge]);
  }
  const back = new Set<typeof sorted[number]>();
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (mesh: string, name: string) => {
    state.set(id(mesh, name), 'open');
    stack.push(name);
    for (const edge of out.get(id(mesh, name)) ?? []) {
      const s = state.get(id(mesh, edge.server));
      if (s === 'open') {
        back.add(edge);
        cycles.push([...stack.slice(stack.indexOf(edge.server)), edge.server]);
      } else if (s === undefined) {
        visit(mesh, edge.server);
      }
    }
    stack.pop();
    state.set(id(mesh, name), 'done');
  };
  for (const edge of sorted) {
    if (!state.has(id(edge.mesh, edge.client))) {
      visit(edge.mesh, edge.client);
    }
  }
  // An edge is on a cycle when its server reaches its client.
  const reaches = (mesh: string, from: string, to: string): boolean => {
    const seen = new Set<string>();
    const todo = [from];
    while (todo.length > 0) {
      const next = todo.pop() as string;
      if (next === to) {
        return true;
      }
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(...(out.get(id(mesh, next)) ?? []).map((e) => e.server));
      }
    }
    return false;
  };
  const edges = sorted.map((edge) => ({ ...edge, inCycle: reaches(edge.mesh, edge.server, edge.client), ordered: !back.has(edge) }));
  return { edges, cycles };
}
