import type { AppMeshFacts, ListenerFact, TaskDefinitionFact, VirtualNodeFact } from '../../src/migrate/facts';
import { discoveryNameOf, orderEdges, planMigration } from '../../src/migrate/plan';
import { planToCode } from '../../src/migrate/render';
import { MIGRATION_RULES } from '../../src/migrate/rules';

// The planner is a pure function of plain facts: each finding with a case that reports it and one that does not.

const listener = (over: Partial<ListenerFact> = {}): ListenerFact => ({
  port: 8080, protocol: 'http', mutualTls: false, outlierDetection: false, connectionPool: false, healthCheck: false, ...over,
});
const node = (name: string, over: Partial<VirtualNodeFact> = {}): VirtualNodeFact => ({
  path: `App/${name}`, mesh: 'm', name, listeners: [listener()], backends: [], clientCertificate: false, ...over,
});
const task = (name: string, over: Partial<TaskDefinitionFact> = {}): TaskDefinitionFact => ({
  path: `App/${name}Task`,
  envoyContainer: 'envoy',
  envoyIdentity: { mesh: 'm', kind: 'virtualNode', name },
  proxyConfiguration: true,
  dependsOnEnvoy: [],
  tracing: [],
  ec2WithoutTaskMemory: false,
  portMappings: [{ container: 'app', containerPort: 8080, name: 'web' }],
  ...over,
});
/** A mesh with ALLOW_ALL egress, node `a` calling `b` through the virtual service `b.local`, both with an ECS service. */
function facts(over: Partial<AppMeshFacts> = {}): AppMeshFacts {
  return {
    meshes: [{ path: 'App/Mesh', name: 'm', egressFilter: 'ALLOW_ALL' }],
    nodes: [node('a', { backends: ['b.local'] }), node('b')],
    services: [{ path: 'App/BService', mesh: 'm', name: 'b.local', providerNode: 'b' }],
    routers: [],
    routes: [],
    gateways: [],
    gatewayRoutes: [],
    taskDefinitions: [task('a'), task('b')],
    ecsServices: [{ path: 'App/AService', taskDefinition: 'App/aTask', registries: [] }, { path: 'App/BService', taskDefinition: 'App/bTask', registries: [] }],
    grants: [],
    ...over,
  };
}
const ids = (f: AppMeshFacts) => planMigration(f).findings.map((x) => x.id);

test('the baseline has no finding, one ordered edge and an alias equal to the virtual service name', () => {
  const plan = planMigration(facts());
  expect(plan.findings).toEqual([]);
  expect(plan.edges).toEqual([{ mesh: 'm', client: 'a', server: 'b', via: ['b.local'], inCycle: false, ordered: true }]);
  expect(plan.nodes[1].endpoints).toEqual([{
    portMappingName: 'web',
    portMappingExists: true,
    appProtocol: 'http',
    containerPort: 8080,
    discoveryName: 'b',
    dnsName: 'b.local',
    port: 8080,
    idleTimeoutSeconds: undefined,
    perRequestTimeoutSeconds: undefined,
    tls: false,
  }]);
});

const router = { path: 'App/R', mesh: 'm', name: 'r', listeners: [listener({ port: 80 })] };
const route = { path: 'App/Route', mesh: 'm', router: 'r', name: 'rt', protocol: 'http', targets: [{ node: 'b', weight: 1 }], matches: [], retryPolicy: false };
const viaRouter = { services: [{ path: 'App/BService', mesh: 'm', name: 'b.local', providerRouter: 'r' }], routers: [router] };

const CASES: Array<[string, Partial<AppMeshFacts>, Partial<AppMeshFacts>]> = [
  ['AppMeshEgressFilter', { meshes: [{ path: 'App/Mesh', name: 'm', egressFilter: 'DROP_ALL' }] }, {}],
  ['AppMeshWeightedRoute', { ...viaRouter, nodes: [node('a', { backends: ['b.local'] }), node('b'), node('c')], routes: [{ ...route, targets: [{ node: 'b', weight: 9 }, { node: 'c', weight: 1 }] }] },
    { ...viaRouter, routes: [route] }],
  ['AppMeshMatchedRoute', { ...viaRouter, routes: [{ ...route, matches: ['headers'] }] }, { ...viaRouter, routes: [route] }],
  ['AppMeshRetryPolicy', { ...viaRouter, routes: [{ ...route, retryPolicy: true }] }, { ...viaRouter, routes: [route] }],
  ['AppMeshListenerPolicy', { nodes: [node('a', { backends: ['b.local'] }), node('b', { listeners: [listener({ outlierDetection: true })] })] }, {}],
  ['AppMeshGateway', { gateways: [{ path: 'App/Gw', mesh: 'm', name: 'gw', listeners: [], clientCertificate: false }] }, {}],
  ['AppMeshMutualTls', { nodes: [node('a', { backends: ['b.local'], clientCertificate: true }), node('b')] }, {}],
  ['AppMeshTlsCertificate', { nodes: [node('a', { backends: ['b.local'] }), node('b', { listeners: [listener({ tlsCertificate: 'file' })] })] },
    { nodes: [node('a', { backends: ['b.local'] }), node('b', { listeners: [listener({ tlsCertificate: 'acm' })] })] }],
  ['AppMeshNonEcsNode', { ecsServices: [{ path: 'App/AService', taskDefinition: 'App/aTask', registries: [] }] }, {}],
  ['AppMeshStandaloneTask', { taskDefinitions: [task('a'), task('b'), task('job', { envoyIdentity: undefined })] }, {}],
  ['AppMeshTracing', { taskDefinitions: [task('a', { tracing: ['X-Ray'] }), task('b')] }, {}],
  ['AppMeshTaskMemory', { taskDefinitions: [task('a', { ec2WithoutTaskMemory: true }), task('b')] }, {}],
  ['AppMeshCallCycle', {
    nodes: [node('a', { backends: ['b.local'] }), node('b', { backends: ['a.local'] })],
    services: [{ path: 'App/BService', mesh: 'm', name: 'b.local', providerNode: 'b' }, { path: 'App/AService', mesh: 'm', name: 'a.local', providerNode: 'a' }],
  }, {}],
  ['AppMeshUnresolvedBackend', { nodes: [node('a', { backends: ['b.local', 'elsewhere.example.com'] }), node('b')] }, {}],
  ['AppMeshSeveralAliases', { services: [{ path: 'App/BService', mesh: 'm', name: 'b.local', providerNode: 'b' }, { path: 'App/B2', mesh: 'm', name: 'b2.local', providerNode: 'b' }] }, {}],
];

test.each(CASES)('%s: reported for the failing case only', (id, failing, passing) => {
  expect(ids(facts(failing))).toContain(id);
  expect(ids(facts(passing))).not.toContain(id);
});

test('every finding id of the catalog has a case above', () => {
  expect(CASES.map(([id]) => id).sort()).toEqual(MIGRATION_RULES.map((r) => r.id).sort());
});

test('an ECS service is found by Cloud Map registration, then by DNS name, when no Envoy container names the node', () => {
  const plan = planMigration(facts({
    nodes: [node('a', { cloudMap: { namespaceName: 'local', serviceName: 'a' } }), node('b', { dnsHostname: 'b.local' })],
    taskDefinitions: [],
    ecsServices: [
      { path: 'App/AService', registries: [{ serviceName: 'a', namespaceName: 'local' }] },
      { path: 'App/BService', registries: [{ serviceName: 'b', namespaceName: 'local' }] },
    ],
  }));
  expect(plan.nodes.map((n) => [n.ecsService, n.foundBy])).toEqual([['App/AService', 'Cloud Map registration'], ['App/BService', 'DNS name']]);
});

test('several ECS services in one Cloud Map service: the node\'s ECS_TASK_DEFINITION_FAMILY attribute picks its own', () => {
  const shared = [{ serviceName: 'colorteller', namespaceName: 'mesh.local' }];
  const plan = planMigration(facts({
    nodes: [node('blue', { cloudMap: { serviceName: 'colorteller', taskFamily: 'blue' } }), node('green', { cloudMap: { serviceName: 'colorteller', taskFamily: 'green' } })],
    taskDefinitions: [task('blue', { envoyIdentity: undefined, family: 'blue' }), task('green', { envoyIdentity: undefined, family: 'green' })],
    ecsServices: [{ path: 'App/BlueService', taskDefinition: 'App/blueTask', registries: shared }, { path: 'App/GreenService', taskDefinition: 'App/greenTask', registries: shared }],
  }));
  expect(plan.nodes.map((n) => n.ecsService)).toEqual(['App/BlueService', 'App/GreenService']);
});

test('a node\'s Envoy access log becomes the service\'s access logs in the code', () => {
  const plan = planMigration(facts({ nodes: [node('a', { backends: ['b.local'] }), node('b', { accessLog: 'json' })] }));
  expect(plan.nodes.map((n) => n.accessLogFormat)).toEqual([undefined, 'json']);
  expect(planToCode(plan)).toContain('  accessLogs: { format: AccessLogFormat.JSON },\n});');
});

test('a gateway names the ECS service that runs its Envoy, so it can be replaced', () => {
  const plan = planMigration(facts({
    gateways: [{ path: 'App/Gw', mesh: 'm', name: 'gw', listeners: [], clientCertificate: false }],
    gatewayRoutes: [{ path: 'App/GwRoute', mesh: 'm', gateway: 'gw', name: 'r', targetService: 'b.local' }],
    taskDefinitions: [task('a'), task('b'), task('gw', { envoyIdentity: { kind: 'virtualGateway', name: 'gw' } })],
    ecsServices: [...facts().ecsServices, { path: 'App/GwService', taskDefinition: 'App/gwTask', registries: [] }],
  }));
  expect(plan.gateways).toEqual([{ mesh: 'm', name: 'gw', path: 'App/Gw', routesTo: ['b.local'], ecsServices: ['App/GwService'] }]);
  expect(plan.findings.map((f) => `${f.id}: ${f.value}`)).toEqual(['AppMeshGateway: routes to b.local; runs in App/GwService']);
});

test('a router\'s name goes to the heaviest target, on the router\'s port, with the route\'s timeouts', () => {
  const plan = planMigration(facts({
    ...viaRouter,
    nodes: [node('a', { backends: ['b.local'] }), node('b'), node('c')],
    routes: [{ ...route, targets: [{ node: 'c', weight: 1 }, { node: 'b', weight: 3 }], idleTimeoutSeconds: 30, perRequestTimeoutSeconds: 5 }],
  }));
  expect(plan.nodes.map((n) => n.endpoints.map((ep) => `${ep.dnsName}:${ep.port} ${ep.idleTimeoutSeconds}/${ep.perRequestTimeoutSeconds}`))).toEqual([
    ['undefined:undefined undefined/undefined'], ['b.local:80 30/5'], ['undefined:undefined undefined/undefined'],
  ]);
});

test('cycles: one back edge per cycle is unordered, every edge on a cycle is marked, the rest stay ordered', () => {
  const e = (client: string, server: string) => ({ mesh: 'm', client, server, via: [] });
  const { edges, cycles } = orderEdges([e('c', 'a'), e('a', 'b'), e('b', 'c'), e('b', 'd'), e('d', 'd')]);
  expect(edges.map((x) => `${x.client}>${x.server}${x.inCycle ? ' cycle' : ''}${x.ordered ? '' : ' unordered'}`))
    .toEqual(['a>b cycle', 'b>c cycle', 'b>d', 'c>a cycle unordered', 'd>d cycle unordered']);
  expect(cycles).toEqual([['a', 'b', 'c', 'a'], ['d', 'd']]);
});

test('discovery names keep to the ECS format', () => {
  expect(discoveryNameOf('ColorTeller.White_VN')).toBe('colorteller-white_vn');
  expect(discoveryNameOf('--x')).toBe('x');
  expect(discoveryNameOf('a'.repeat(80))).toHaveLength(64);
});
