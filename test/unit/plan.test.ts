import { findPath } from '../../src/topology/path';
import { EdgeStatus, PlanEdgeInput, PlanInput, planWiring, PlanService } from '../../src/topology/plan';

/*
 * The call graph's plan on plain data: no constructs, no synth. Services are named by path, stacks and
 * security groups by id. Every service has one group `<id>.sg` in its own stack unless a test says otherwise.
 */

function svc(id: string, overrides: Partial<PlanService> = {}): PlanService {
  return {
    id,
    stack: 'S',
    namespace: 'ns',
    groups: [`${id}.sg`],
    listenPorts: [8080],
    orderable: true,
    cycleRelaxed: false,
    after: [],
    ...overrides,
  };
}

function plan(services: PlanService[], edges: PlanEdgeInput[], extra: Partial<PlanInput> = {}) {
  const groups = services.flatMap((s) => s.groups.map((g) => ({ id: g, stack: s.stack, allowAllOutbound: true })));
  return planWiring({ services, groups, edges, stackDependencies: [], ...extra });
}

const e = (client: string, server: string, ordered = true): PlanEdgeInput => ({ client, server, ordered });

describe('edges in one stack', () => {
  test('an ordered edge is ordered and opens each listen port of each server group to each client group', () => {
    const [edge] = plan([svc('web', { groups: ['w1', 'w2'] }), svc('api', { groups: ['a1'], listenPorts: [8080, 9090, 8080] })], [e('web', 'api')]);
    expect(edge).toMatchObject({ status: EdgeStatus.OK, ordered: true, sharedGroups: [] });
    expect(edge.rules.map((r) => `${r.serverGroup}<-${r.clientGroup}:${r.port}`)).toEqual(['a1<-w1:8080', 'a1<-w1:9090', 'a1<-w2:8080', 'a1<-w2:9090']);
  });

  test('an unordered edge opens the ports but is not ordered', () => {
    const [edge] = plan([svc('web'), svc('api')], [e('web', 'api', false)]);
    expect(edge).toMatchObject({ status: EdgeStatus.OK, ordered: false });
    expect(edge.rules).toHaveLength(1);
  });

  test.each([
    ['unordered first', [e('web', 'api', false), e('web', 'api')]],
    ['ordered first', [e('web', 'api'), e('web', 'api', false)]],
  ])('an edge declared twice is ordered if any declaration is (%s), and planned once', (_name, edges) => {
    const planned = plan([svc('web'), svc('api')], edges);
    expect(planned).toHaveLength(1);
    expect(planned[0].ordered).toBe(true);
  });

  test('a client may call several servers; edges come out sorted by client, then server', () => {
    const planned = plan([svc('web'), svc('db'), svc('api')], [e('web', 'db'), e('web', 'api')]);
    expect(planned.map((p) => `${p.client}->${p.server}`)).toEqual(['web->api', 'web->db']);
  });

  test('an edge to or from a service without an ECS service in this app opens ports without ordering', () => {
    const planned = plan([svc('web'), svc('ext', { orderable: false }), svc('job', { orderable: false })], [e('web', 'ext'), e('job', 'web')]);
    expect(planned.map((p) => [p.status, p.ordered, p.rules.length])).toEqual([[EdgeStatus.OK, false, 1], [EdgeStatus.OK, false, 1]]);
  });

  test('an edge across namespaces is refused and opens nothing', () => {
    const [edge] = plan([svc('web'), svc('api', { namespace: 'other' })], [e('web', 'api')]);
    expect(edge).toMatchObject({ status: EdgeStatus.CROSS_NAMESPACE, ordered: false, rules: [] });
  });

  test('a group the client and the server share gets no rule, and is reported', () => {
    const [edge] = plan([svc('web', { groups: ['instances'] }), svc('api', { groups: ['instances', 'api.sg'] })], [e('web', 'api')]);
    expect(edge.sharedGroups).toEqual(['instances']);
    expect(edge.rules.map((r) => `${r.serverGroup}<-${r.clientGroup}`)).toEqual(['api.sg<-instances']);
  });

  test('a server without a known listen port gets no rule', () => {
    expect(plan([svc('web'), svc('api', { listenPorts: [] })], [e('web', 'api')])[0].rules).toEqual([]);
  });
});

describe('cycles', () => {
  test('every ordered edge of a cycle is refused with its cycle, whatever the declaration order', () => {
    const services = [svc('a'), svc('b'), svc('c')];
    for (const edges of [[e('a', 'b'), e('b', 'c'), e('c', 'a')], [e('c', 'a'), e('b', 'c'), e('a', 'b')]]) {
      expect(plan(services, edges).map((p) => [p.status, p.cycle, p.rules.length])).toEqual([
        [EdgeStatus.CYCLE, ['a', 'b', 'c', 'a'], 0],
        [EdgeStatus.CYCLE, ['b', 'c', 'a', 'b'], 0],
        [EdgeStatus.CYCLE, ['c', 'a', 'b', 'c'], 0],
      ]);
    }
  });

  test('one unordered edge breaks the cycle; unordered edges never count towards one', () => {
    const planned = plan([svc('a'), svc('b')], [e('a', 'b'), e('b', 'a', false)]);
    expect(planned.map((p) => [p.status, p.ordered])).toEqual([[EdgeStatus.OK, true], [EdgeStatus.OK, false]]);
  });

  test('a service may not call itself in order', () => {
    expect(plan([svc('a')], [e('a', 'a')])[0]).toMatchObject({ status: EdgeStatus.CYCLE, cycle: ['a', 'a'] });
  });

  test('a client that relaxes ConnectCycle keeps its rules and loses only the ordering', () => {
    const planned = plan([svc('a', { cycleRelaxed: true }), svc('b')], [e('a', 'b'), e('b', 'a')]);
    expect(planned.map((p) => [p.client, p.status, p.ordered, p.rules.length])).toEqual([
      ['a', EdgeStatus.OK, false, 1],
      ['b', EdgeStatus.OK, true, 1],
    ]);
  });
});

describe('across stacks', () => {
  test('an ordered edge puts the rules in the client group\'s stack, which then deploys after the server\'s', () => {
    const [edge] = plan([svc('web', { stack: 'Front' }), svc('api', { stack: 'Back' })], [e('web', 'api')]);
    expect(edge.rules[0].inClientGroupStack).toBe(true);
  });

  test('when the client\'s stack must deploy first, an ordered edge is refused with the stack cycle', () => {
    const services = [svc('web', { stack: 'Base' }), svc('api', { stack: 'Servers', after: ['Base'] })];
    expect(plan(services, [e('web', 'api')])[0]).toMatchObject({ status: EdgeStatus.STACK_CYCLE, stackCycle: ['Base', 'Servers', 'Base'], rules: [] });
  });

  test('... and an unordered edge puts its rules in the server group\'s stack', () => {
    const services = [svc('web', { stack: 'Base' }), svc('api', { stack: 'Servers', after: ['Base'] })];
    expect(plan(services, [e('web', 'api', false)])[0]).toMatchObject({ status: EdgeStatus.OK, rules: [expect.objectContaining({ inClientGroupStack: false })] });
  });

  test('explicit stack dependencies count as well', () => {
    const services = [svc('web', { stack: 'Base' }), svc('api', { stack: 'Servers' })];
    const planned = plan(services, [e('web', 'api')], { stackDependencies: [['Servers', 'Base']] });
    expect(planned[0].status).toBe(EdgeStatus.STACK_CYCLE);
  });

  test('an unordered edge and the reverse ordered edge synthesize in either declaration order', () => {
    const services = [svc('a', { stack: 'A' }), svc('b', { stack: 'B' })];
    const one = plan(services, [e('a', 'b', false), e('b', 'a')]);
    const other = plan(services, [e('b', 'a'), e('a', 'b', false)]);
    expect(one).toEqual(other);
    expect(one.map((p) => [p.client, p.status, p.ordered, p.rules[0].inClientGroupStack])).toEqual([
      ['a', EdgeStatus.OK, false, false], // b's stack deploys after a's: the rule lives there
      ['b', EdgeStatus.OK, true, true],
    ]);
  });

  test('a client group in the platform stack: the rule lives in the server\'s stack, which deploys after the platform', () => {
    const services = [
      svc('web', { stack: 'Front', groups: ['platform.sg'], after: ['Platform'] }),
      svc('api', { stack: 'Back', after: ['Platform'] }),
    ];
    const groups = [{ id: 'platform.sg', stack: 'Platform', allowAllOutbound: true }, { id: 'api.sg', stack: 'Back', allowAllOutbound: true }];
    const [edge] = planWiring({ services, groups, edges: [e('web', 'api')], stackDependencies: [] });
    expect(edge).toMatchObject({ status: EdgeStatus.OK, ordered: true });
    expect(edge.rules[0].inClientGroupStack).toBe(false);
  });
});

describe('findPath', () => {
  const graph: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: [], e: ['a'] };
  const next = (node: string) => graph[node] ?? [];

  test('returns a path with both ends, or undefined', () => {
    expect(findPath('a', 'd', next)).toEqual(['a', 'b', 'd']);
    expect(findPath('a', 'e', next)).toEqual(['a', 'c', 'e']);
    expect(findPath('d', 'a', next)).toBeUndefined();
    expect(findPath('a', 'a', next)).toEqual(['a']);
  });

  test('terminates on cycles and visits each node once', () => {
    const visits: string[] = [];
    expect(findPath('a', 'z', (node) => { visits.push(node); return next(node); })).toBeUndefined();
    expect(visits.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
