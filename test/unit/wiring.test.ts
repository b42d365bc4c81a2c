import { App, AspectPriority, Aspects, CfnResource, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { IServiceConnectNamespace, IServiceConnectServer, IServiceConnectService, ServiceConnectRules } from '../../src';
import { EdgeStatus } from '../../src/topology/plan';
import { AppWiring, DeclaredEdge, otherAccount, WiringMember } from '../../src/topology/wiring';

/*
 * The app model on bare constructs: each service is a plain construct with security groups and, when the
 * library "built" it, a stand-in ECS service resource, registered with the model the way the service
 * constructs register themselves. The plan itself is tested in plan.test.ts; here, what the model feeds it
 * from the construct tree, and what it renders back into the tree: DependsOn and security-group rules.
 */

const ARN = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-1';

/** A namespace wrapper: `arn` literal, or a token when undefined; `cloudMap` is the Cloud Map namespace it stands for. */
function namespace(scope: Construct, id: string, options: { arn?: string; cloudMap?: object } = {}): IServiceConnectNamespace {
  const ns = new Construct(scope, id) as unknown as Record<string, unknown>;
  ns.namespaceArn = options.arn ?? Lazy.string({ produce: () => ARN });
  ns.cloudMapNamespace = options.cloudMap ?? {};
  ns.services = [];
  const wrapper = ns as unknown as IServiceConnectNamespace;
  AppWiring.of(wrapper).addNamespace(wrapper);
  return wrapper;
}

interface FakeOptions {
  /** Defaults to one new group that allows all outbound traffic. */
  readonly groups?: ec2.ISecurityGroup[];
  /** Whether the library built an ECS service resource for it (default true). */
  readonly built?: boolean;
  readonly listenPorts?: number[];
  readonly callerNames?: boolean;
  readonly settle?: () => void;
  readonly wired?: () => void;
  readonly prerequisites?: IConstruct[];
}

interface Fake {
  readonly service: IServiceConnectServer;
  readonly resource?: CfnResource;
  readonly edges: DeclaredEdge[];
  connectTo(server: Fake, ordered?: boolean): void;
}

function vpcOf(stack: Stack): ec2.IVpc {
  return (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined)
    ?? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'] });
}

function group(stack: Stack, id: string, allowAllOutbound = true): ec2.SecurityGroup {
  return new ec2.SecurityGroup(stack, id, { vpc: vpcOf(stack), allowAllOutbound });
}

/** A service in `ns`, registered with the app model of its Stage. */
function fake(scope: Construct, id: string, ns: IServiceConnectNamespace, options: FakeOptions = {}): Fake {
  const construct = new Construct(scope, id);
  const groups = options.groups ?? [group(Stack.of(construct), `${id}Group`)];
  const s = construct as unknown as Record<string, unknown>;
  s.namespace = ns;
  s.connections = new ec2.Connections({ securityGroups: groups });
  const service = construct as unknown as IServiceConnectServer;
  (ns.services as IServiceConnectService[]).push(service);
  const resource = options.built === false ? undefined : new CfnResource(construct, 'Service', { type: 'AWS::ECS::Service' });
  const edges: DeclaredEdge[] = [];
  const member: WiringMember = {
    service,
    resource,
    declaredEdges: () => edges,
    listenPorts: () => options.listenPorts ?? [],
    prerequisites: () => options.prerequisites ?? [],
    memberFacts: () => { throw new Error('not needed by the wiring'); },
    maxTaskCount: () => 1,
    settle: options.settle,
    wired: options.wired,
    callerNames: options.callerNames === false ? undefined : () => ({ serviceName: construct.node.id }) as any,
  };
  AppWiring.of(construct).addService(member);
  return { service, resource, edges, connectTo: (server, ordered = true) => edges.push({ server: server.service, ordered }) };
}

/** `stack` deploys after `dependency`: aws-cdk-lib renamed `addDependency` to `addStackDependency`, after the floor. */
function deployAfter(stack: Stack, dependency: Stack): void {
  const renamed = (stack as Stack & { addStackDependency?: (target: Stack) => void }).addStackDependency;
  return renamed ? renamed.call(stack, dependency) : stack.addDependency(dependency);
}

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const ns = namespace(stack, 'Namespace', { arn: ARN });
  return { app, stack, ns, wiring: AppWiring.of(stack) };
}

function resources(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map((r: any) => r.Properties);
}

function dependsOn(stack: Stack, service: Fake): string[] {
  const template = Template.fromStack(stack).toJSON();
  return template.Resources[stack.getLogicalId(service.resource as CfnResource)].DependsOn ?? [];
}

describe('AppWiring.of', () => {
  test('one model per Stage, added to the Stage as a mutating aspect', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const stage = new Stage(app, 'Prod');
    const inStage = new Stack(stage, 'B');
    const wiring = AppWiring.of(a);
    expect(AppWiring.of(new Construct(a, 'Deep'))).toBe(wiring);
    expect(AppWiring.of(app)).toBe(wiring);
    expect(AppWiring.of(inStage)).not.toBe(wiring);
    expect(AppWiring.of(inStage)).toBe(AppWiring.of(new Construct(inStage, 'Deep')));
    expect(Aspects.of(app).applied.map((applied) => [applied.aspect, applied.priority])).toEqual([[wiring, AspectPriority.MUTATING]]);
    const stageWiring = AppWiring.of(inStage);
    expect(Aspects.of(stage).applied.map((applied) => [applied.aspect, applied.priority])).toEqual([[stageWiring, AspectPriority.MUTATING]]);
  });

  test('outside any Stage, the model belongs to the root of the tree', () => {
    const root = new Construct(undefined as any, '');
    const child = new Construct(root, 'Child');
    expect(AppWiring.of(child)).toBe(AppWiring.of(root));
    expect(Aspects.of(root).all).toEqual([AppWiring.of(root)]);
    expect(Aspects.of(child).all).toEqual([]);
  });
});

describe('what the model knows', () => {
  test('members and the resources they own', () => {
    const { stack, ns, wiring } = setup();
    const api = fake(stack, 'Api', ns);
    const imported = fake(stack, 'Imported', ns, { built: false });
    expect(wiring.memberOf(api.service)?.resource).toBe(api.resource);
    expect(wiring.memberOf(new Construct(stack, 'Other') as unknown as IServiceConnectService)).toBeUndefined();
    expect(wiring.owns(api.resource as CfnResource)).toBe(true);
    expect(wiring.ownerOf(api.resource as CfnResource)).toBe(api.service);
    expect(wiring.owns(new CfnResource(stack, 'Unrelated', { type: 'AWS::ECS::Service' }))).toBe(false);
    expect(wiring.ownerOf(stack)).toBeUndefined();
    expect(wiring.memberOf(imported.service)?.resource).toBeUndefined();
  });

  test('the namespace wrappers, as a copy', () => {
    const { stack, ns, wiring } = setup();
    const other = namespace(stack, 'Other');
    const known = wiring.knownNamespaces();
    expect(known).toEqual([ns, other]);
    known.pop();
    expect(wiring.knownNamespaces()).toEqual([ns, other]);
  });

  test('callers of a server: members of its namespace that declare an edge to it, in path order, the server itself left out', () => {
    const { stack, ns, wiring } = setup();
    const api = fake(stack, 'Api', ns);
    const zed = fake(stack, 'Zed', ns);
    const bob = fake(stack, 'Bob', ns);
    const importedClient = fake(stack, 'Imported', ns, { callerNames: false });
    const elsewhere = fake(stack, 'Elsewhere', namespace(stack, 'OtherNamespace', { arn: `${ARN}-other` }));
    const bystander = fake(stack, 'Bystander', ns);
    for (const client of [zed, bob, importedClient, elsewhere, api]) {
      client.connectTo(api, false);
    }
    bystander.connectTo(zed);
    bob.connectTo(zed);
    expect(wiring.callersOf(api.service)).toEqual([{ serviceName: 'Bob' }, { serviceName: 'Zed' }]);
    expect(wiring.callersOf(zed.service)).toEqual([{ serviceName: 'Bob' }, { serviceName: 'Bystander' }]);
    expect(wiring.callersOf(bob.service)).toEqual([]);
    // The same answers from the index built with the plan, and the plan's edges per client
    const planned = wiring.edges();
    expect(wiring.callersOf(api.service)).toEqual([{ serviceName: 'Bob' }, { serviceName: 'Zed' }]);
    expect(wiring.callersOf(zed.service)).toEqual([{ serviceName: 'Bob' }, { serviceName: 'Bystander' }]);
    expect(wiring.callersOf(bob.service)).toEqual([]);
    expect(wiring.edgesFrom(bob.service)).toEqual(planned.filter((edge) => edge.client === bob.service));
    expect(wiring.edgesFrom(bob.service).map((edge) => edge.server.node.id)).toEqual(['Api', 'Zed']);
    expect(wiring.edgesFrom(api.service).map((edge) => edge.server.node.id)).toEqual(['Api']);
  });

  test('once planned, a group is kept, and a wrapper created later gets a group of its own answer', () => {
    const { stack, ns, wiring } = setup();
    const a = fake(stack, 'A', ns);
    wiring.edges();
    const first = wiring.groupOf(ns);
    expect(wiring.groupOf(ns)).toBe(first);
    expect(first.services).toEqual([a.service]);
    const late = namespace(stack, 'Late', { arn: ARN });
    expect(wiring.groupOf(late).wrappers.map((w) => w.node.id)).toEqual(['Late', 'Namespace']);
  });

  test('the owner of a resource, from the services as they register', () => {
    const { stack, ns, wiring } = setup();
    const built = fake(stack, 'Built', ns);
    const imported = fake(stack, 'Imported', ns, { built: false });
    expect(wiring.ownerOf(built.resource as CfnResource)).toBe(built.service);
    expect(wiring.owns(imported.service)).toBe(false);
  });

  test('namespaces imported for a configuration: the same value is the same namespace', () => {
    const { ns, wiring } = setup();
    expect(wiring.implicitNamespace('"cool"')).toBeUndefined();
    wiring.addImplicitNamespace('"cool"', ns);
    expect(wiring.implicitNamespace('"cool"')).toBe(ns);
    expect(wiring.implicitNamespace('"other"')).toBeUndefined();
  });

  test('a namespace created in the app is the one another wrapper imports by a literal ARN of its account, region and name', () => {
    const app = new App();
    const owner = new Stack(app, 'Owner', { env: { account: '111111111111', region: 'us-east-1' } });
    const created = namespace(owner, 'Created');
    (created as unknown as Record<string, unknown>).namespaceName = 'shop.internal';
    const consumer = new Stack(app, 'Consumer', { env: { account: '222222222222', region: 'us-east-1' } });
    const imported = namespace(consumer, 'Imported', { arn: ARN });
    (imported as unknown as Record<string, unknown>).namespaceName = 'shop.internal';
    const wiring = AppWiring.of(owner);
    expect(wiring.sameNamespace(created, imported)).toBe(true);
    (imported as unknown as Record<string, unknown>).namespaceName = 'other.internal';
    expect(wiring.sameNamespace(created, imported)).toBe(false);
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '111111111111', region: 'eu-west-1' } });
    const other = namespace(elsewhere, 'Other');
    (other as unknown as Record<string, unknown>).namespaceName = 'shop.internal';
    (imported as unknown as Record<string, unknown>).namespaceName = 'shop.internal';
    expect(wiring.sameNamespace(other, imported)).toBe(false);
    const agnostic = namespace(new Stack(app, 'Agnostic'), 'Agnostic');
    (agnostic as unknown as Record<string, unknown>).namespaceName = 'shop.internal';
    expect(wiring.sameNamespace(agnostic, imported)).toBe(false);
  });
});

describe('namespace groups', () => {
  test('wrappers with one literal ARN are one namespace, whatever Cloud Map object they hold', () => {
    const { stack, wiring } = setup();
    const b = namespace(stack, 'B', { arn: ARN, cloudMap: {} });
    const other = namespace(stack, 'C', { arn: `${ARN}-2` });
    expect(wiring.sameNamespace(b, wiring.knownNamespaces()[0])).toBe(true);
    expect(wiring.sameNamespace(b, other)).toBe(false);
    expect(wiring.groupOf(b).wrappers.map((w) => w.node.id)).toEqual(['B', 'Namespace']);
    expect(wiring.groupOf(other).wrappers).toEqual([other]);
  });

  test('wrappers with token ARNs are one namespace when they wrap the same Cloud Map namespace', () => {
    const { stack, wiring } = setup();
    const cloudMap = {};
    const first = namespace(stack, 'First', { cloudMap });
    const second = namespace(stack, 'Second', { cloudMap });
    const third = namespace(stack, 'Third');
    expect(wiring.sameNamespace(first, second)).toBe(true);
    expect(wiring.sameNamespace(first, third)).toBe(false);
    expect(wiring.groupOf(second).wrappers).toEqual([first, second]);
  });

  test('a group lists the services of all its wrappers once each, in path order, not in the order they joined', () => {
    const { stack, ns, wiring } = setup();
    const second = namespace(stack, 'Second', { arn: ARN });
    const c = fake(stack, 'C', ns);
    const b = fake(stack, 'B', ns);
    const a = fake(stack, 'A', second);
    (second.services as IServiceConnectService[]).push(b.service);
    fake(stack, 'D', namespace(stack, 'Unrelated', { arn: `${ARN}-2` }));
    expect(wiring.groupOf(ns).services).toEqual([a.service, b.service, c.service]);
    expect(wiring.groupOf(second).services).toEqual([a.service, b.service, c.service]);
  });

  test('a wrapper the model was never told of is a group of its own', () => {
    const { stack, wiring } = setup();
    const loose = new Construct(stack, 'Loose') as unknown as Record<string, unknown>;
    Object.assign(loose, { namespaceArn: ARN, cloudMapNamespace: {}, services: [] });
    expect(wiring.groupOf(loose as unknown as IServiceConnectNamespace).wrappers.map((w) => w.node.id)).toEqual(['Loose', 'Namespace']);
  });
});

describe('the plan', () => {
  test('is made once, after every member has settled, when the Stage itself is visited', () => {
    const { app, stack, ns, wiring } = setup();
    const settled: string[] = [];
    const api = fake(stack, 'Api', ns, { listenPorts: [8080], settle: () => settled.push('Api') });
    const web = fake(stack, 'Web', ns, { settle: () => settled.push('Web') });
    fake(stack, 'Worker', ns);
    web.connectTo(api);
    wiring.visit(stack);
    wiring.visit(web.service);
    expect(settled).toEqual([]);
    wiring.visit(app);
    expect(settled.sort()).toEqual(['Api', 'Web']);
    const edges = wiring.edges();
    expect(wiring.edges()).toBe(edges);
    app.synth();
    expect(settled).toHaveLength(2);
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress')).toHaveLength(1);
  });

  test('across stacks, one ordered call per pair of stacks carries the stack dependency, and no DependsOn is rendered', () => {
    // GIVEN three clients in one stack calling three servers in another (the namespace ARN is literal: no reference)
    const app = new App();
    const [first, second] = ['First', 'Second'].map((id) => new Stack(app, id));
    const ns = namespace(first, 'Namespace', { arn: ARN });
    const servers = ['A', 'B', 'C'].map((id) => fake(first, id, ns, { listenPorts: [8080], groups: [] }));
    const clients = ['X', 'Y', 'Z'].map((id) => fake(second, id, ns, { groups: [] }));
    clients.forEach((client) => servers.forEach((server) => client.connectTo(server)));
    app.synth();
    // THEN one client's ECS service carries the order for the pair (aws-cdk-lib searches the stack graph for a
    // cycle on every cross-stack dependency it is given), and the second stack deploys after the first
    const given = clients.flatMap((client) => (client.resource as CfnResource).node.dependencies);
    expect(given).toHaveLength(1);
    expect(servers.map((server) => server.resource)).toContain(given[0]);
    expect(second.dependencies).toEqual([first]);
    expect(clients.map((client) => dependsOn(second, client))).toEqual([[], [], []]);
  });

  test('members hear once, after the plan is rendered, that the call graph is final', () => {
    const { app, stack, ns, wiring } = setup();
    const heard: string[] = [];
    const api = fake(stack, 'Api', ns, { listenPorts: [8080], wired: () => heard.push(`Api saw ${wiring.planned}`) });
    fake(stack, 'Web', ns, { wired: () => heard.push('Web') }).connectTo(api);
    expect(heard).toEqual([]);
    wiring.edges();
    wiring.edges();
    app.synth();
    expect(heard.sort()).toEqual(['Api saw true', 'Web']);
  });

  test('across accounts: the edge is planned and ordered, but opens no port and renders no rule', () => {
    // GIVEN a client in one account calling a server in another
    const app = new App();
    const owner = new Stack(app, 'Owner', { env: { account: '111111111111', region: 'us-east-1' } });
    const consumer = new Stack(app, 'Consumer', { env: { account: '222222222222', region: 'us-east-1' } });
    const ns = namespace(owner, 'Namespace', { arn: ARN });
    const api = fake(owner, 'Api', ns, { listenPorts: [8080] });
    const web = fake(consumer, 'Web', ns);
    web.connectTo(api);
    const wiring = AppWiring.of(owner);
    // THEN
    expect(wiring.edgesFrom(web.service).map((e) => [e.status, e.ordered, e.ports])).toEqual([[EdgeStatus.OK, true, []]]);
    app.synth();
    expect([owner, consumer].flatMap((s) => resources(s, 'AWS::EC2::SecurityGroupIngress'))).toEqual([]);
    expect(consumer.dependencies).toContain(owner);
    // AND otherAccount names the other stack's account only when both are literal and differ
    const agnostic = new Stack(app, 'Agnostic');
    expect([otherAccount(web.service, api.service), otherAccount(api.service, web.service), otherAccount(api.service, api.service),
      otherAccount(agnostic, api.service), otherAccount(api.service, agnostic)]).toEqual(['111111111111', '222222222222', undefined, undefined, undefined]);
  });

  test('an edge: its ends, the server\'s listen ports once each, and no shared group', () => {
    const { stack, ns, wiring } = setup();
    const api = fake(stack, 'Api', ns, { listenPorts: [8080, 9090, 8080] });
    const web = fake(stack, 'Web', ns);
    web.connectTo(api);
    const expected = {
      client: web.service,
      server: api.service,
      status: EdgeStatus.OK,
      ordered: true,
      cycle: undefined,
      stackCycle: undefined,
      ports: [8080, 9090],
      sharedGroups: [],
    };
    expect(wiring.edgesFrom(web.service)).toEqual([expected]);
    expect(wiring.edgesFrom(api.service)).toEqual([]);
    expect(wiring.edges()).toEqual([expected]);
  });

  test('an edge across namespaces is refused: no port, no ordering, no rule', () => {
    const { stack, ns, wiring } = setup();
    const api = fake(stack, 'Api', namespace(stack, 'Other', { arn: `${ARN}-2` }), { listenPorts: [8080] });
    const web = fake(stack, 'Web', ns);
    const worker = fake(stack, 'Worker', ns, { listenPorts: [7070] });
    web.connectTo(api);
    web.connectTo(worker);
    expect(wiring.edgesFrom(web.service).map((e) => [e.server.node.id, e.status, e.ordered, e.ports])).toEqual([
      ['Api', EdgeStatus.CROSS_NAMESPACE, false, []],
      ['Worker', EdgeStatus.OK, true, [7070]],
    ]);
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress').map((r) => r.FromPort)).toEqual([7070]);
    expect(dependsOn(stack, web)).toEqual([stack.getLogicalId(worker.resource as CfnResource)]);
  });

  test('a cycle of ordered edges is refused on the edge that closes it, with the cycle\'s paths', () => {
    const { stack, ns, wiring } = setup();
    const a = fake(stack, 'A', ns, { listenPorts: [8080] });
    const b = fake(stack, 'B', ns, { listenPorts: [8081] });
    a.connectTo(b);
    b.connectTo(a);
    expect(wiring.edges().map((e) => [e.client.node.id, e.status, e.cycle, e.ports])).toEqual([
      ['A', EdgeStatus.CYCLE, ['Stack/A', 'Stack/B', 'Stack/A'], []],
      ['B', EdgeStatus.CYCLE, ['Stack/B', 'Stack/A', 'Stack/B'], []],
    ]);
  });

  test('ConnectCycle relaxed on a client keeps its edge, unordered, with its rule', () => {
    const { stack, ns, wiring } = setup();
    const a = fake(stack, 'A', ns, { listenPorts: [8080] });
    const b = fake(stack, 'B', ns, { listenPorts: [8081] });
    a.connectTo(b);
    b.connectTo(a);
    ServiceConnectRules.relax(b.service, 'ConnectCycle', 'b calls a only after both run');
    expect(wiring.edges().map((e) => [e.client.node.id, e.status, e.ordered])).toEqual([
      ['A', EdgeStatus.OK, true],
      ['B', EdgeStatus.OK, false],
    ]);
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress').map((r) => r.FromPort).sort()).toEqual([8080, 8081]);
    expect(dependsOn(stack, a)).toEqual([stack.getLogicalId(b.resource as CfnResource)]);
    expect(dependsOn(stack, b)).toEqual([]);
  });

  test('a server without an ECS service resource in the app gets its rule, and no ordering', () => {
    const { stack, ns, wiring } = setup();
    const imported = fake(stack, 'Imported', ns, { built: false, listenPorts: [8080] });
    const web = fake(stack, 'Web', ns);
    web.connectTo(imported);
    expect(wiring.edgesFrom(web.service).map((e) => [e.status, e.ordered])).toEqual([[EdgeStatus.OK, false]]);
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress')).toHaveLength(1);
    expect(dependsOn(stack, web)).toEqual([]);
  });

  test('an edge to a server the model does not know is left out', () => {
    const { stack, ns, wiring } = setup();
    const web = fake(stack, 'Web', ns);
    web.edges.push({ server: new Construct(stack, 'Stranger') as unknown as IServiceConnectServer, ordered: true });
    expect(wiring.edges()).toEqual([]);
  });

  test('groups both ends share get no rule and are listed on the edge', () => {
    const { stack, ns, wiring } = setup();
    const shared = group(stack, 'Shared');
    const own = group(stack, 'Own');
    const api = fake(stack, 'Api', ns, { groups: [shared], listenPorts: [8080] });
    const web = fake(stack, 'Web', ns, { groups: [shared, own] });
    web.connectTo(api);
    expect(wiring.edgesFrom(web.service)[0].sharedGroups).toEqual(['Stack/Shared']);
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress')).toEqual([expect.objectContaining({
      GroupId: stack.resolve(shared.securityGroupId),
      SourceSecurityGroupId: stack.resolve(own.securityGroupId),
    })]);
  });
});

describe('visiting a stack', () => {
  test('copies the relaxations made above every stack into it; other constructs get none', () => {
    const { app, stack, ns, wiring } = setup();
    const api = fake(stack, 'Api', ns);
    ServiceConnectRules.relax(app, 'ProxyCpuHeadroom', 'load-tested');
    const relaxations = (scope: IConstruct) => scope.node.metadata.filter((m) => m.type === 'cdk-service-connect:relaxed').map((m) => m.data);
    wiring.visit(api.service);
    expect(relaxations(api.service)).toEqual([]);
    wiring.visit(stack);
    expect(relaxations(stack)).toEqual([{ ruleId: 'ProxyCpuHeadroom', reason: 'load-tested', relaxedOn: '' }]);
  });
});

describe('stack order', () => {
  /**
   * Stacks Servers and Clients (stack names `shop-servers` and `shop-clients`), and Platform; api in Servers, web
   * in Clients, web's group and something web refers to in the stacks given.
   */
  function stacks(web: { groupIn?: 'Servers'; prerequisiteIn?: 'Servers' | 'Platform' } = {}) {
    const app = new App();
    const all = { Servers: new Stack(app, 'Servers', { stackName: 'shop-servers' }), Clients: new Stack(app, 'Clients', { stackName: 'shop-clients' }), Platform: new Stack(app, 'Platform') };
    const ns = namespace(all.Platform, 'Namespace', { arn: ARN });
    const api = fake(all.Servers, 'Api', ns, { listenPorts: [8080] });
    const webService = fake(all.Clients, 'Web', ns, {
      groups: web.groupIn ? [group(all[web.groupIn], 'WebGroup')] : undefined,
      prerequisites: web.prerequisiteIn ? [new Construct(all[web.prerequisiteIn], 'Cluster')] : [],
    });
    return { ...all, api, web: webService, wiring: AppWiring.of(app) };
  }

  const statusOf = (wiring: AppWiring, client: Fake) => wiring.edgesFrom(client.service).map((e) => [e.status, e.ordered, e.stackCycle]);

  test('an ordered edge against an explicit stack dependency is refused, naming the stacks by their stack names', () => {
    const { Servers, Clients, api, web, wiring } = stacks();
    deployAfter(Servers, Clients);
    web.connectTo(api);
    expect(statusOf(wiring, web)).toEqual([[EdgeStatus.STACK_CYCLE, false, ['shop-clients', 'shop-servers', 'shop-clients']]]);
  });

  test('with no order between the stacks, an ordered edge orders them', () => {
    const { api, web, wiring } = stacks();
    api.connectTo(web);
    expect(statusOf(wiring, api)).toEqual([[EdgeStatus.OK, true, undefined]]);
  });

  test('a service\'s stack deploys after the stacks of what it refers to and of its groups', () => {
    const cycle = ['shop-servers', 'shop-clients', 'shop-servers'];
    for (const options of [{ prerequisiteIn: 'Servers' }, { groupIn: 'Servers' }] as const) {
      const { api, web, wiring } = stacks(options);
      api.connectTo(web);
      expect(statusOf(wiring, api)).toEqual([[EdgeStatus.STACK_CYCLE, false, cycle]]);
    }
  });

  test('the dependencies of a stack that holds only what a service refers to count too', () => {
    const { Servers, Platform, api, web, wiring } = stacks({ prerequisiteIn: 'Platform' });
    deployAfter(Platform, Servers);
    api.connectTo(web);
    expect(statusOf(wiring, api)).toEqual([[EdgeStatus.STACK_CYCLE, false, ['shop-servers', 'shop-clients', 'Platform', 'shop-servers']]]);
  });

  test('a rule lives where its groups\' stacks allow: the client group\'s stack deploys first here, so the server\'s', () => {
    // GIVEN web in Clients with its group in Platform, and Servers deploying after Platform
    const app = new App();
    const servers = new Stack(app, 'Servers');
    const clients = new Stack(app, 'Clients');
    const platform = new Stack(app, 'Platform');
    const ns = namespace(platform, 'Namespace', { arn: ARN });
    deployAfter(servers, platform);
    const api = fake(servers, 'Api', ns, { listenPorts: [8080] });
    const web = fake(clients, 'Web', ns, { groups: [group(platform, 'WebGroup', false)] });
    // WHEN
    web.connectTo(api, false);
    // THEN both rules are in Servers, and the app synthesizes (Platform exports, Servers imports)
    app.synth();
    const count = (stack: Stack) => ['Ingress', 'Egress'].map((kind) => resources(stack, `AWS::EC2::SecurityGroup${kind}`).length);
    expect([servers, clients, platform].map(count)).toEqual([[1, 1], [0, 0], [0, 0]]);
  });
});

describe('rendering', () => {
  test('an ordered edge makes the client\'s ECS service depend on the server\'s; an unordered one does not', () => {
    const { stack, ns } = setup();
    const api = fake(stack, 'Api', ns, { listenPorts: [8080] });
    const db = fake(stack, 'Db', ns, { listenPorts: [5432] });
    const web = fake(stack, 'Web', ns);
    web.connectTo(api);
    web.connectTo(db, false);
    expect(dependsOn(stack, web)).toEqual([stack.getLogicalId(api.resource as CfnResource)]);
    expect(dependsOn(stack, api)).toEqual([]);
  });

  test('the ingress rule opens the server\'s group to the client\'s on each listen port, described by both paths', () => {
    const { stack, ns } = setup();
    const api = fake(stack, 'Api', ns, { listenPorts: [8080, 8443] });
    const web = fake(stack, 'Web', ns);
    web.connectTo(api);
    const rule = (port: number) => ({
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      GroupId: stack.resolve((api.service.connections.securityGroups[0]).securityGroupId),
      SourceSecurityGroupId: stack.resolve((web.service.connections.securityGroups[0]).securityGroupId),
      Description: 'Service Connect from Stack/Web to Stack/Api',
    });
    expect(resources(stack, 'AWS::EC2::SecurityGroupIngress')).toEqual([rule(8080), rule(8443)]);
    expect(resources(stack, 'AWS::EC2::SecurityGroupEgress')).toEqual([]);
  });

  test('a client group that restricts outbound traffic also gets the egress rule', () => {
    const { stack, ns } = setup();
    const api = fake(stack, 'Api', ns, { listenPorts: [8080] });
    const closed = group(stack, 'Closed', false);
    const web = fake(stack, 'Web', ns, { groups: [closed] });
    web.connectTo(api);
    expect(resources(stack, 'AWS::EC2::SecurityGroupEgress')).toEqual([{
      IpProtocol: 'tcp',
      FromPort: 8080,
      ToPort: 8080,
      GroupId: stack.resolve(closed.securityGroupId),
      DestinationSecurityGroupId: stack.resolve(api.service.connections.securityGroups[0].securityGroupId),
      Description: 'Service Connect from Stack/Web to Stack/Api',
    }]);
  });

  test('a description longer than the 255 characters EC2 accepts is cut', () => {
    const { stack, ns } = setup();
    const api = fake(stack, 'Api', ns, { listenPorts: [8080] });
    const web = fake(stack, 'W'.repeat(300), ns);
    web.connectTo(api);
    const [description] = resources(stack, 'AWS::EC2::SecurityGroupIngress').map((r) => r.Description);
    expect(description).toHaveLength(255);
    expect(description).toBe(`Service Connect from Stack/${'W'.repeat(300)}`.slice(0, 255));
  });

  describe('across stacks', () => {
    function twoStacks(dependency?: 'clientFirst' | 'serverFirst') {
      const app = new App();
      const servers = new Stack(app, 'Servers');
      const clients = new Stack(app, 'Clients');
      const ns = namespace(servers, 'Namespace', { arn: ARN });
      const closed = group(clients, 'Closed', false);
      const api = fake(servers, 'Api', ns, { listenPorts: [8080] });
      const web = fake(clients, 'Web', ns, { groups: [closed] });
      if (dependency === 'clientFirst') {
        deployAfter(servers, clients);
      } else if (dependency === 'serverFirst') {
        deployAfter(clients, servers);
      }
      web.connectTo(api, false);
      const count = (stack: Stack) => ['Ingress', 'Egress'].map((kind) => resources(stack, `AWS::EC2::SecurityGroup${kind}`).length);
      return { servers: () => count(servers), clients: () => count(clients) };
    }

    test('with no order between the stacks, both rules live in the client group\'s stack', () => {
      const { servers, clients } = twoStacks();
      expect(clients()).toEqual([1, 1]);
      expect(servers()).toEqual([0, 0]);
    });

    test('when the client\'s stack deploys first, both rules live in the server group\'s stack', () => {
      const { servers, clients } = twoStacks('clientFirst');
      expect(servers()).toEqual([1, 1]);
      expect(clients()).toEqual([0, 0]);
    });

    test('when the server\'s stack deploys first, both rules live in the client group\'s stack', () => {
      const { servers, clients } = twoStacks('serverFirst');
      expect(clients()).toEqual([1, 1]);
      expect(servers()).toEqual([0, 0]);
    });
  });
});
