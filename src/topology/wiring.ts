import { AspectPriority, Aspects, IAspect, Stack, Stage, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { EdgeStatus, PlannedEdge, planWiring, PlanService } from './plan';
import { compareText } from '../core/text-order';
import type { CallerNames } from '../monitoring/caller-metrics';
import { appCapacityProviders } from '../rules/collect';
import type { MemberFacts } from '../rules/facts';
import { recordInheritedRelaxations, relaxationOf } from '../rules/relax';
import type { IServiceConnectNamespace, IServiceConnectServer, IServiceConnectService } from '../types';

/*
 * The app model: every namespace wrapper and every service of one Stage register here, and when the
 * Stage is synthesized this aspect, visiting the Stage first, plans the whole call graph at once and
 * renders it (DependsOn and security-group rules). The rules, the task sizing and the topology
 * artifact read the same plan. Data flows one way: construct tree, then this model, then rules, then
 * render.
 */

/** An edge as a service declared it. */
export interface DeclaredEdge {
  readonly server: IServiceConnectServer;
  readonly ordered: boolean;
}

/** What the wiring needs of a service. The service constructs provide it. */
export interface WiringMember {
  readonly service: IServiceConnectService;
  /** The ECS service resource that ordering edges point at; undefined for a server defined outside the app. */
  readonly resource?: IConstruct;
  /** Edges declared from the service, in declaration order. */
  readonly declaredEdges: () => DeclaredEdge[];
  /** The server's proxy listen ports; empty for a client. */
  readonly listenPorts: () => number[];
  /** Constructs the service refers to (cluster, namespace, task definition): their stacks deploy first. */
  readonly prerequisites: () => IConstruct[];
  /** What the namespace-wide rules need of the service. */
  readonly memberFacts: () => MemberFacts;
  /** Most tasks the service runs at once; apart from `memberFacts` because task sizing asks for it while sizing. */
  readonly maxTaskCount: () => number;
  /** Called once before the plan, when the construct tree is complete. */
  readonly settle?: () => void;
  /** Called once after the plan is rendered, when the call graph is final: for resources made per caller. */
  readonly wired?: () => void;
  /** The dimension values the service's calls carry in target metrics; undefined for a server defined outside the app. */
  readonly callerNames?: () => CallerNames;
}

/** An edge of the plan, with the constructs at its ends. */
export interface WiredEdge {
  readonly client: IServiceConnectService;
  readonly server: IServiceConnectServer;
  readonly status: EdgeStatus;
  readonly ordered: boolean;
  /** Construct paths of the cycle the edge closes (status CYCLE). */
  readonly cycle?: string[];
  /** Names of the stacks the edge would order in a cycle (status STACK_CYCLE). */
  readonly stackCycle?: string[];
  /** The proxy listen ports the client may reach (not refused edges only). */
  readonly ports: number[];
  /** Security groups the client and the server share, as construct paths. */
  readonly sharedGroups: string[];
}

/** A security-group rule of the plan. */
interface WiredRule {
  readonly client: IServiceConnectService;
  readonly server: IServiceConnectService;
  readonly serverGroup: ec2.ISecurityGroup;
  readonly clientGroup: ec2.ISecurityGroup;
  readonly port: number;
  readonly inClientGroupStack: boolean;
}

/** Which wrappers stand for one Cloud Map namespace. */
export interface NamespaceGroup {
  /** Every wrapper of the Cloud Map namespace, by construct path. */
  readonly wrappers: IServiceConnectNamespace[];
  /** Every service of every wrapper, in path order: not the join order, so that nothing depends on the order of calls. */
  readonly services: IServiceConnectService[];
}

function ruleDescription(client: IConstruct, server: IConstruct): string {
  return `Service Connect from ${client.node.path} to ${server.node.path}`.slice(0, 255);
}

/** The account and region of a literal Cloud Map namespace ARN, as `account/region`. */
function arnLocation(arn: string): string | undefined {
  const [, , service, region, account] = arn.split(':');
  return service === 'servicediscovery' && region && account ? `${account}/${region}` : undefined;
}

/** The account and region of the stack a namespace is created in, as `account/region`, when both are literal. */
function stackLocation(namespace: IServiceConnectNamespace): string | undefined {
  const stack = Stack.of(namespace);
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region) ? undefined : `${stack.account}/${stack.region}`;
}

/** The account of `other`'s stack, when it and `scope`'s stack are in different literal accounts. */
export function otherAccount(scope: IConstruct, other: IConstruct): string | undefined {
  const [mine, theirs] = [Stack.of(scope).account, Stack.of(other).account];
  return Token.isUnresolved(mine) || Token.isUnresolved(theirs) || mine === theirs ? undefined : theirs;
}

/** `items` in the order of their constructs' paths, each path read once: a construct computes its path on every read. */
function sortedByPath<T>(items: Iterable<T>, constructOf: (item: T) => IConstruct): T[] {
  return [...items].map((item) => ({ item, path: constructOf(item).node.path }))
    .sort((a, b) => compareText(a.path, b.path))
    .map(({ item }) => item);
}

const itself = <T extends IConstruct>(c: T): T => c;

/**
 * The app model of one Stage, and the aspect that renders it. One instance per Stage; get it with `AppWiring.of`.
 */
export class AppWiring implements IAspect {
  /** The wiring of the Stage `scope` is in, created and added as an aspect on first use. */
  public static of(scope: IConstruct): AppWiring {
    const root = Stage.of(scope) ?? scope.node.root;
    const known = Aspects.of(root).all.find((aspect): aspect is AppWiring => aspect instanceof AppWiring);
    if (known) {
      return known;
    }
    const wiring = new AppWiring(root);
    // Mutating: it adds dependencies and security-group rules, before read-only aspects such as cdk-nag.
    Aspects.of(root).add(wiring, { priority: AspectPriority.MUTATING });
    return wiring;
  }

  private readonly members = new Map<IServiceConnectService, WiringMember>();
  /** The library service of each ECS service resource, for `ownerOf` without a scan per service. */
  private readonly owners = new Map<IConstruct, IServiceConnectService>();
  /**
   * What the rules, the nonce and the metrics ask once per service about the whole app, answered from
   * one pass over it: built when the plan is made (the app is complete then), never before.
   */
  private index?: {
    readonly edgesByClient: Map<IServiceConnectService, WiredEdge[]>;
    readonly callersByServer: Map<IServiceConnectService, WiringMember[]>;
    readonly groups: Map<unknown, NamespaceGroup>;
    /** The app's ECS Managed Instances capacity providers, found on first use. */
    capacityProviders?: ecs.CfnCapacityProvider[];
  };
  private readonly namespaces: IServiceConnectNamespace[] = [];
  /** Namespaces the app does not define, imported for the services' own configurations, by the configuration's value. */
  private readonly implicitNamespaces = new Map<string, IServiceConnectNamespace>();
  private plannedEdges?: WiredEdge[];
  private rules: WiredRule[] = [];

  private constructor(private readonly root: IConstruct) {}

  /** Adds a service to the model. */
  public addService(member: WiringMember): void {
    this.members.set(member.service, member);
    if (member.resource) {
      this.owners.set(member.resource, member.service);
    }
  }

  /** What the model knows of `service`, when it is in this Stage. */
  public memberOf(service: IServiceConnectService): WiringMember | undefined {
    return this.members.get(service);
  }

  /** The services in `server`'s namespace that declare they call it, in path order: the call graph as declared so far. */
  public callersOf(server: IServiceConnectServer): CallerNames[] {
    const callers = this.index ? this.index.callersByServer.get(server) ?? [] : sortedByPath([...this.members.values()]
      .filter((member) => this.calls(member, server)), (member) => member.service);
    return callers.map((member) => (member.callerNames as () => CallerNames)());
  }

  /** Whether `member` is a caller of `server` for its metrics: a service of the app, in its namespace, that declares it calls it. */
  private calls(member: WiringMember, server: IServiceConnectServer): boolean {
    return member.callerNames !== undefined && member.service !== server && server?.namespace !== undefined
      && this.sameNamespace(member.service.namespace, server.namespace)
      && member.declaredEdges().some((edge) => edge.server === server);
  }

  /** Whether `resource` is the ECS service resource of a service the library built or attached to. */
  public owns(resource: IConstruct): boolean {
    return this.ownerOf(resource) !== undefined;
  }

  /** The library service whose ECS service resource is `resource`, if any. */
  public ownerOf(resource: IConstruct): IServiceConnectService | undefined {
    return this.owners.get(resource);
  }

  /** Every namespace wrapper of this Stage. */
  public knownNamespaces(): IServiceConnectNamespace[] {
    return [...this.namespaces];
  }

  /** The namespace imported for a configuration's namespace value (as JSON), if one was. */
  public implicitNamespace(key: string): IServiceConnectNamespace | undefined {
    return this.implicitNamespaces.get(key);
  }

  /** Records the namespace imported for a configuration's namespace value, so that the same value is the same namespace. */
  public addImplicitNamespace(key: string, namespace: IServiceConnectNamespace): void {
    this.implicitNamespaces.set(key, namespace);
  }

  /** Adds a namespace wrapper to the model. */
  public addNamespace(namespace: IServiceConnectNamespace): void {
    this.namespaces.push(namespace);
  }

  public visit(node: IConstruct): void {
    if (node === this.root) {
      this.edges();
    }
    if (Stack.isStack(node)) {
      recordInheritedRelaxations(node);
    }
  }

  /** Every wrapper of `namespace`'s Cloud Map namespace, and all of their services. */
  public groupOf(namespace: IServiceConnectNamespace): NamespaceGroup {
    const key = this.namespaceKey(namespace);
    const known = this.index?.groups.get(key);
    if (known && known.wrappers.includes(namespace)) {
      return known;
    }
    const wrappers = sortedByPath(new Set([namespace, ...this.namespaces.filter((ns) => this.namespaceKey(ns) === key)]), itself);
    const group = { wrappers, services: sortedByPath(new Set(wrappers.flatMap((ns) => ns.services)), itself) };
    this.index?.groups.set(key, group);
    return group;
  }

  /**
   * Two wrappers of one Cloud Map namespace have the same key: its ARN when literal, else the namespace
   * object. A namespace the app creates (its ARN a token) is also the one another wrapper imports by a
   * literal ARN of the same account and region under the same name, as a consumer stack of a RAM share
   * does: Cloud Map namespace names are unique in an account and region.
   */
  private namespaceKey(namespace: IServiceConnectNamespace): unknown {
    const arn = namespace.namespaceArn;
    if (!Token.isUnresolved(arn)) {
      return arn;
    }
    const name = namespace.namespaceName;
    const location = Token.isUnresolved(name) ? undefined : stackLocation(namespace);
    const imported = location === undefined ? undefined : this.namespaces.find((ns) => !Token.isUnresolved(ns.namespaceArn)
      && ns.namespaceName === name && arnLocation(ns.namespaceArn) === location);
    return imported ? imported.namespaceArn : namespace.cloudMapNamespace;
  }

  /** Whether two namespace wrappers stand for the same Cloud Map namespace. */
  public sameNamespace(a: IServiceConnectNamespace, b: IServiceConnectNamespace): boolean {
    return this.namespaceKey(a) === this.namespaceKey(b);
  }

  /** The ECS Managed Instances capacity providers of the Stage: one walk of its tree once planned, kept for every service. */
  public capacityProviders(): ecs.CfnCapacityProvider[] {
    if (!this.index) {
      return appCapacityProviders(this.root);
    }
    this.index.capacityProviders ??= appCapacityProviders(this.root);
    return this.index.capacityProviders;
  }

  /** Whether the call graph was planned and rendered already: edges declared now would be missing from it. */
  public get planned(): boolean {
    return this.plannedEdges !== undefined;
  }

  /** The edges declared from `client`, as planned. */
  public edgesFrom(client: IServiceConnectService): WiredEdge[] {
    this.edges();
    return this.index?.edgesByClient.get(client) ?? [];
  }

  /** The whole plan: computed once, when the Stage is synthesized, and rendered then. */
  public edges(): WiredEdge[] {
    if (!this.plannedEdges) {
      this.members.forEach((member) => member.settle?.());
      // In path order, read once for the plan and the index: the ids, the edges and the callers follow it.
      const members = sortedByPath(this.members.values(), (member) => member.service);
      this.plannedEdges = this.plan(members);
      this.render(this.plannedEdges);
      this.index = this.buildIndex(this.plannedEdges, members);
      this.members.forEach((member) => member.wired?.());
    }
    return this.plannedEdges;
  }

  /** Plans the call graph of the settled `members`, given in path order. */
  private plan(members: WiringMember[]): WiredEdge[] {
    const ids = new Map<IConstruct, string>(members.map((m) => [m.service, m.service.node.path]));
    const idOf = (c: IConstruct) => ids.get(c) ?? c.node.path;
    const stackId = (c: IConstruct) => Stack.of(c).node.path;
    const groupKeys: unknown[] = [];
    const namespaceId = (ns: IServiceConnectNamespace) => {
      const key = this.namespaceKey(ns);
      if (!groupKeys.includes(key)) {
        groupKeys.push(key);
      }
      return String(groupKeys.indexOf(key));
    };
    const allGroups = new Map<string, ec2.ISecurityGroup>();
    const services: PlanService[] = members.map((member) => {
      const groups = member.service.connections.securityGroups;
      groups.forEach((g) => allGroups.set(g.node.path, g));
      return {
        id: idOf(member.service),
        stack: stackId(member.service),
        namespace: namespaceId(member.service.namespace),
        groups: groups.map((g) => g.node.path),
        listenPorts: member.listenPorts(),
        orderable: member.resource !== undefined,
        cycleRelaxed: relaxationOf(member.service, 'ConnectCycle') !== undefined,
        after: [...member.prerequisites(), ...groups].map(stackId),
      };
    });
    const edges = members.flatMap((m) => m.declaredEdges().map((e) => ({ client: idOf(m.service), server: idOf(e.server), ordered: e.ordered })));
    const stacks = [...new Set(members.flatMap((m) => [Stack.of(m.service), ...m.prerequisites().map((p) => Stack.of(p))]))];
    const plan = planWiring({
      services,
      groups: [...allGroups.values()].map((g) => ({ id: g.node.path, stack: stackId(g), allowAllOutbound: g.allowAllOutbound })),
      edges,
      stackDependencies: stacks.flatMap((s) => s.dependencies.map((d): [string, string] => [s.node.path, d.node.path])),
    });
    const byId = new Map(members.map((m) => [idOf(m.service), m]));
    const acrossAccounts = (edge: PlannedEdge) => {
      const [client, server] = [byId.get(edge.client)?.service, byId.get(edge.server)?.service];
      return client !== undefined && server !== undefined && otherAccount(client, server) !== undefined;
    };
    const stackNames = new Map([...this.root.node.findAll()].filter(Stack.isStack).map((s) => [s.node.path, s.stackName]));
    this.rules = plan.flatMap((edge) => edge.rules.map((rule) => ({ edge, rule })))
      .map(({ edge, rule }) => ({
        client: byId.get(edge.client)?.service as IServiceConnectService,
        server: byId.get(edge.server)?.service as IServiceConnectService,
        serverGroup: allGroups.get(rule.serverGroup) as ec2.ISecurityGroup,
        clientGroup: allGroups.get(rule.clientGroup) as ec2.ISecurityGroup,
        port: rule.port,
        inClientGroupStack: rule.inClientGroupStack,
      }));
    return plan.map((edge: PlannedEdge) => ({
      client: byId.get(edge.client)?.service as IServiceConnectService,
      server: byId.get(edge.server)?.service as IServiceConnectServer,
      status: edge.status,
      ordered: edge.ordered,
      cycle: edge.cycle,
      stackCycle: edge.stackCycle?.map((s) => stackNames.get(s) ?? s),
      // Nothing is opened across accounts (rule CrossAccountIngress).
      ports: edge.status === EdgeStatus.OK && !acrossAccounts(edge) ? [...new Set(byId.get(edge.server)?.listenPorts() ?? [])] : [],
      sharedGroups: edge.sharedGroups,
    }));
  }

  /** The index of the complete app: one pass over its edges and its `members`, given in path order. */
  private buildIndex(edges: WiredEdge[], members: WiringMember[]): NonNullable<AppWiring['index']> {
    const edgesByClient = new Map<IServiceConnectService, WiredEdge[]>();
    for (const edge of edges) {
      const list = edgesByClient.get(edge.client) ?? [];
      list.push(edge);
      edgesByClient.set(edge.client, list);
    }
    const callersByServer = new Map<IServiceConnectService, WiringMember[]>();
    for (const member of members) {
      for (const server of new Set(member.declaredEdges().map((edge) => edge.server))) {
        if (this.calls(member, server)) {
          const list = callersByServer.get(server) ?? [];
          list.push(member);
          callersByServer.set(server, list);
        }
      }
    }
    return { edgesByClient, callersByServer, groups: new Map() };
  }

  /** Renders the plan: DependsOn between ECS services, and the security-group rules. */
  private render(edges: WiredEdge[]): void {
    const resources = new Map([...this.members.values()].map((m) => [m.service as IConstruct, m.resource]));
    const stackPairs = new Set<string>();
    for (const edge of edges.filter((e) => e.ordered)) {
      const clientResource = resources.get(edge.client);
      const serverResource = resources.get(edge.server);
      if (!clientResource || !serverResource) {
        continue;
      }
      // A task resolves only the endpoints that existed when it started (seed, "Deployment order"), so the
      // client's ECS service waits for the server's. Only the two service resources are ordered: a
      // dependency between whole constructs would also catch the security-group rules and form a cycle.
      const [clientStack, serverStack] = [Stack.of(clientResource), Stack.of(serverResource)];
      const pair = `${clientStack.node.addr}:${serverStack.node.addr}`;
      if (clientStack === serverStack || clientStack.nested || serverStack.nested || !stackPairs.has(pair)) {
        // Across top-level stacks a DependsOn becomes a stack dependency, so one edge per pair of stacks
        // orders them all: aws-cdk-lib searches the whole stack graph for a cycle on every dependency it is given.
        stackPairs.add(pair);
        clientResource.node.addDependency(serverResource);
      }
    }
    // A stack cannot change another account's security group (rule CrossAccountIngress says what to do).
    for (const rule of this.rules.filter((r) => otherAccount(r.clientGroup, r.serverGroup) === undefined)) {
      const description = ruleDescription(rule.client, rule.server);
      const port = ec2.Port.tcp(rule.port);
      rule.serverGroup.addIngressRule(rule.clientGroup, port, description, rule.inClientGroupStack);
      if (!rule.clientGroup.allowAllOutbound) {
        rule.clientGroup.addEgressRule(rule.serverGroup, port, description, !rule.inClientGroupStack);
      }
    }
  }
}

