import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Stack, Stage } from 'aws-cdk-lib';
import { CfnMesh } from 'aws-cdk-lib/aws-appmesh';
import { CfnTaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import * as ts from 'typescript';
import { colorAppL1, extensionStyleApp, handsOnApp, integMeshApp } from './fixtures';
import { AppMeshMigrationPlan } from '../../src';
import { MigrationPlan, planMigration } from '../../src/migrate/plan';
import { readAppMeshFacts } from '../../src/migrate/reader';

interface Report {
  readonly plan: MigrationPlan & { readonly code: string };
  readonly markdown: string;
  readonly mermaid: string;
  /** Warning ids with the path of the construct they are on, e.g. `AppMeshWeightedRoute MeshStack/BackendRoute/Resource`. */
  readonly warnings: string[];
  readonly templates: Record<string, unknown>;
}

/** GIVEN an app, WHEN a plan is added to it and the app is synthesized: the report files and the warnings. */
function planOf(app: App): Report {
  const plan = new AppMeshMigrationPlan(app, 'AppMeshMigrationPlan');
  const assembly = app.synth();
  const read = (file: string) => fs.readFileSync(path.join(assembly.directory, file), 'utf8');
  return {
    plan: JSON.parse(read(plan.jsonFileName)),
    markdown: read(plan.markdownFileName),
    mermaid: read(plan.mermaidFileName),
    warnings: assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level === 'warning' && String(m.entry.data).includes('[ack: cdk-service-connect:'))
      .map((m) => `${/\[ack: cdk-service-connect:(\w+)\]/.exec(String(m.entry.data))?.[1]} ${m.id.replace(/^\//, '')}`).sort(),
    templates: Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template])),
  };
}

const edgesOf = (report: Report) => report.plan.edges.map((e) => `${e.client} -> ${e.server}${e.ordered ? '' : ' (unordered)'}`);
const aliasesOf = (report: Report) => Object.fromEntries(report.plan.nodes.map((n) => [n.name, n.endpoints.map((ep) => ep.dnsName ? `${ep.dnsName}:${ep.port}` : '-').join(',')]));
const findingIds = (report: Report) => [...new Set(report.plan.findings.map((f) => f.id))].sort();

describe('app-mesh-hands-on (L2, cross-stack, Cloud Map, weighted route)', () => {
  const report = planOf(handsOnApp());

  test('finds every node\'s ECS service through its Envoy container, across stacks', () => {
    expect(report.plan.nodes.map((n) => [n.name, n.ecsService, n.foundBy])).toEqual([
      ['backend-1-vn', 'EcsServicesStack/backend-1Service/Service', 'Envoy container identity'],
      ['backend-vn', 'EcsServicesStack/backendService/Service', 'Envoy container identity'],
      ['frontend-vn', 'EcsServicesStack/frontendService/Service', 'Envoy container identity'],
    ]);
  });

  test('the router\'s targets are the frontend\'s servers; the heavier (here first) target carries the virtual service name', () => {
    expect(edgesOf(report)).toEqual(['frontend-vn -> backend-1-vn', 'frontend-vn -> backend-vn']);
    expect(aliasesOf(report)).toEqual({ 'backend-1-vn': '-', 'backend-vn': 'backend.local:80', 'frontend-vn': '-' });
    expect(report.plan.nodes[1].endpoints[0]).toMatchObject({ portMappingName: 'http', portMappingExists: false, appProtocol: 'http', containerPort: 80, discoveryName: 'backend-vn' });
  });

  test('findings: the weighted route, X-Ray tracing from Envoy, the DROP_ALL egress filter, each as a warning on its resource', () => {
    expect(findingIds(report)).toEqual(['AppMeshEgressFilter', 'AppMeshTracing', 'AppMeshWeightedRoute']);
    expect(report.warnings).toEqual([
      'AppMeshEgressFilter MeshStack/Mesh/Resource',
      'AppMeshTracing EcsServicesStack/backend-1Task/Resource',
      'AppMeshTracing EcsServicesStack/backendTask/Resource',
      'AppMeshTracing EcsServicesStack/frontendTask/Resource',
      'AppMeshWeightedRoute MeshStack/BackendRoute/Resource',
    ]);
  });

  test('reads each node\'s Cloud Map service and each ECS service\'s registration, so a node is found without its Envoy identity', () => {
    // GIVEN the same app, read without synthesizing it
    const facts = readAppMeshFacts(handsOnApp());
    expect(facts.nodes.map((n) => n.cloudMap)).toEqual([
      { namespaceName: 'local', serviceName: 'backend' }, { namespaceName: 'local', serviceName: 'backend-1' }, { namespaceName: 'local', serviceName: 'frontend' },
    ]);
    expect(facts.ecsServices.map((s) => s.registries)).toEqual([
      [{ serviceName: 'backend', namespaceName: 'local' }], [{ serviceName: 'backend-1', namespaceName: 'local' }], [{ serviceName: 'frontend', namespaceName: 'local' }],
    ]);
    // WHEN no Envoy container names its node
    const plan = planMigration({ ...facts, taskDefinitions: facts.taskDefinitions.map((t) => ({ ...t, envoyIdentity: undefined })) });
    // THEN the Cloud Map registration finds the same services
    expect(plan.nodes.map((n) => [n.ecsService, n.foundBy])).toEqual(report.plan.nodes.map((n) => [n.ecsService, 'Cloud Map registration']));
  });

  test('lists what to strip: Envoy, the proxy configuration, the app container\'s dependency on Envoy, the grant', () => {
    expect(report.plan.strip.taskDefinitions[0]).toEqual({
      taskDefinition: 'EcsServicesStack/backend-1Task/Resource', envoyContainer: 'envoy', proxyConfiguration: true, dependsOnEnvoy: ['app'],
    });
    expect(report.plan.strip.grants.map((g) => `${g.path} ${g.grant}`)).toContain('EcsServicesStack/frontendTask/TaskRole/DefaultPolicy/Resource appmesh:StreamAggregatedResources');
    expect(report.markdown).toContain('- EcsServicesStack/backendTask/Resource: the Envoy container `envoy`, the APPMESH proxy configuration, the dependencies on Envoy of `app`');
    expect(report.markdown).toContain('| app-mesh-hands-on | backend-vn | EcsServicesStack/backendService/Service | Envoy container identity | port 80 as `http` (name to add), http; discovery `backend-vn`; alias `backend.local:80` |');
  });
});

describe('the Color App (L1 only: Envoy by APPMESH_VIRTUAL_NODE_NAME, DNS discovery)', () => {
  const report = planOf(colorAppL1());

  test('finds services by Envoy identity and by DNS name, and says why a node has none', () => {
    expect(report.plan.nodes.map((n) => [n.name, n.foundBy ?? n.notFound])).toEqual([
      ['blue-vn', 'Envoy container identity'],
      ['gateway-vn', 'Envoy container identity'],
      ['green-vn', 'DNS name'],
      ['red-vn', 'no Envoy container names it, and no ECS service registers DNS name colorteller-red.mesh.local'],
    ]);
  });

  test('edges through the router, and the alias on the heaviest target', () => {
    expect(edgesOf(report)).toEqual(['gateway-vn -> blue-vn', 'gateway-vn -> green-vn', 'gateway-vn -> red-vn']);
    expect(aliasesOf(report)).toMatchObject({ 'blue-vn': 'colorteller.mesh.local:8080', 'green-vn': '-' });
    expect(report.plan.edges[0].via).toEqual(['colorteller.mesh.local -> colorteller-vr/color-route']);
  });

  test('findings: weighted route, listener health check, a node outside ECS, an EC2 task without memory; no egress finding with ALLOW_ALL', () => {
    expect(findingIds(report)).toEqual(['AppMeshListenerPolicy', 'AppMeshNonEcsNode', 'AppMeshTaskMemory', 'AppMeshWeightedRoute']);
    expect(report.plan.findings.find((f) => f.id === 'AppMeshWeightedRoute')?.value).toBe('blue-vn=2, green-vn=1, red-vn=1');
    expect(report.plan.strip.grants).toEqual([{ path: 'ColorApp/TaskRole', grant: 'AWSAppMeshEnvoyAccess' }]);
  });

  test('reads the same app from a template included with CfnInclude, planned over one stack', () => {
    // GIVEN the Color App's template (without the bootstrap parameter and rule the new stack adds itself)
    const { Parameters, Rules, ...template } = report.templates.ColorApp as Record<string, unknown>;
    const templateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appmesh-')), 'color-app.json');
    fs.writeFileSync(templateFile, JSON.stringify(template));
    const app = new App();
    const stack = new Stack(app, 'Included');
    new CfnInclude(stack, 'Template', { templateFile });
    // WHEN
    const plan = new AppMeshMigrationPlan(stack, 'Plan');
    const assembly = app.synth();
    // THEN
    const included: MigrationPlan = JSON.parse(fs.readFileSync(path.join(assembly.directory, plan.jsonFileName), 'utf8'));
    expect(included.edges.map((e) => `${e.client} -> ${e.server}`)).toEqual(['gateway-vn -> blue-vn', 'gateway-vn -> green-vn', 'gateway-vn -> red-vn']);
    expect(included.nodes.map((n) => n.foundBy ?? 'none')).toEqual(['Envoy container identity', 'Envoy container identity', 'DNS name', 'none']);
    expect(included.findings.map((f) => f.id)).toEqual(report.plan.findings.map((f) => f.id));
    expect(assembly.getStackByName('Included').findMetadataByType(AppMeshMigrationPlan.METADATA_TYPE).map((m) => [m.path, m.data])).toEqual([
      ['/Included/Plan', { json: plan.jsonFileName, markdown: plan.markdownFileName, mermaid: plan.mermaidFileName }],
    ]);
  });

  test('a plan in a Stage warns on the Stage\'s resources, in the Stage\'s assembly', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Mesh');
    new CfnMesh(stack, 'Mesh', { meshName: 'm' });
    new AppMeshMigrationPlan(stage, 'AppMeshMigrationPlan');
    const messages = app.synth().getNestedAssembly('assembly-Prod').stacks.flatMap((s) => s.messages);
    expect(messages.map((m) => `${m.id} ${String(m.entry.data).split(' ')[0]}`)).toEqual(['/Prod/Mesh/Mesh [AppMeshEgressFilter]']);
  });

  test('a finding acknowledged on its stack is not reported; the others are', () => {
    const app = colorAppL1();
    Annotations.of(app.node.findChild('ColorApp')).acknowledgeWarning('cdk-service-connect:AppMeshWeightedRoute', 'moving to a canary deployment');
    const warnings = planOf(app).warnings;
    expect(warnings.filter((w) => w.startsWith('AppMeshWeightedRoute'))).toEqual([]);
    expect(warnings).toContain('AppMeshNonEcsNode ColorApp/redNode');
  });

  test('changes no template: the app synthesizes the same without the plan', () => {
    const without = colorAppL1().synth();
    expect(Object.fromEntries(without.stacks.map((s) => [s.stackName, s.template]))).toEqual(report.templates);
  });
});

describe('the aws-cdk App Mesh integration test (gateway, self-cycle through a router, TLS)', () => {
  const report = planOf(integMeshApp());

  test('a node whose route sends its own backend back to it is a cycle, left unordered', () => {
    expect(edgesOf(report)).toEqual(['node -> node (unordered)', 'node -> node2', 'node -> node4']);
    expect(report.plan.cycles).toEqual([['node', 'node']]);
    expect(report.plan.edges.map((e) => e.inCycle)).toEqual([true, false, false]);
  });

  test('the unmatched route\'s target takes the alias, with the route\'s timeouts', () => {
    expect(aliasesOf(report)).toEqual({ node: 'service1.domain.local:8080', node2: '-', node4: '-' });
    expect(report.plan.nodes.map((n) => n.accessLogFormat)).toEqual([undefined, undefined, 'json']);
    expect(report.plan.nodes[0].endpoints[0]).toMatchObject({ dnsName: 'service1.domain.local', port: 8080, idleTimeoutSeconds: 10, perRequestTimeoutSeconds: 10 });
  });

  test('findings for the gateway, matched and retrying routes, mutual and non-Private-CA TLS, nodes outside ECS, a backend without provider', () => {
    expect(findingIds(report)).toEqual([
      'AppMeshCallCycle', 'AppMeshEgressFilter', 'AppMeshGateway', 'AppMeshListenerPolicy', 'AppMeshMatchedRoute', 'AppMeshMutualTls',
      'AppMeshNonEcsNode', 'AppMeshRetryPolicy', 'AppMeshTlsCertificate', 'AppMeshUnresolvedBackend',
    ]);
    expect(report.plan.findings.filter((f) => f.id === 'AppMeshMatchedRoute').map((f) => f.value)).toEqual(['prefix /path2', 'servicename']);
    expect(report.plan.gateways).toEqual([{ mesh: 'mesh', name: 'gateway1', path: 'mesh-stack/mesh/gateway1/Resource', routesTo: ['service1.domain.local'], ecsServices: [] }]);
    expect(report.plan.findings.find((f) => f.id === 'AppMeshTlsCertificate' && f.path.includes('node4'))?.value).toBe('sds certificate on http:8080');
  });

  test('the Mermaid diagram parses with the mermaid parser and shows the gateway and the unordered edge', () => {
    const check = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'check-mermaid.mjs')], { input: report.mermaid, stdio: 'pipe' }).toString();
    expect(JSON.parse(check)).toEqual({ diagramType: 'flowchart-v2', config: {} });
    expect(report.mermaid).toContain('n0 -.->|"service1.domain.local via router/route-1 (cycle, unordered)"| n0');
    expect(report.mermaid).toContain('g0_0[/"gateway gateway1"/]');
  });
});

describe('an ecs-service-extensions AppMeshExtension layout (greeter, with a cycle)', () => {
  const report = planOf(extensionStyleApp());

  test('edges, the cycle, and the named port mappings and timeouts of the endpoints', () => {
    expect(edgesOf(report)).toEqual(['greeter -> greeting', 'greeter -> name', 'name -> greeter (unordered)']);
    expect(report.plan.cycles).toEqual([['greeter', 'name', 'greeter']]);
    expect(aliasesOf(report)).toEqual({ greeter: 'greeter.internal:3000', greeting: 'greeting.internal:3000', name: 'name.internal:3000' });
    expect(report.plan.nodes[0].endpoints[0]).toMatchObject({ portMappingName: 'web', portMappingExists: true, perRequestTimeoutSeconds: 20 });
    expect(findingIds(report)).toEqual(['AppMeshCallCycle', 'AppMeshEgressFilter']);
    expect(report.warnings).toContain('AppMeshCallCycle Greeter/name-virtual-node/Resource');
  });

  test('the library code attaches servers before clients and breaks the cycle, and is valid TypeScript', () => {
    const code = report.plan.code;
    expect(code).toContain('const greeting = ClientServerService.attach(this, \'GreetingServiceConnect\', {');
    expect(code).toContain('endpoints: [{ portMappingName: \'web\', discoveryName: \'greeter\', dnsName: \'greeter.internal\', port: 3000, perRequestTimeout: Duration.seconds(20) }],');
    expect(code).toContain('connectsTo: [greeting, name],');
    expect(code).toContain('// remove from Greeter/greeter-task-definition/Resource: the Envoy container `envoy`, the APPMESH proxy configuration, the dependencies on Envoy of `app`');
    expect(code).toContain('name.connectTo(greeter, { ordered: false });');
    expect(code.indexOf('const name =')).toBeLessThan(code.indexOf('const greeter ='));
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { noEmit: true } });
    expect(out.diagnostics).toEqual([]);
    expect(report.markdown).toContain(code.trimEnd());
  });
});

test('the reader takes the Envoy container\'s telemetry from its environment, and finds Envoy by its image alone', () => {
  // GIVEN an L1 task definition whose Envoy has no App Mesh identity variable
  const stack = new Stack(new App(), 'Stack');
  new CfnTaskDefinition(stack, 'Task', {
    family: 'job',
    requiresCompatibilities: ['FARGATE'],
    memory: '512',
    containerDefinitions: [
      { name: 'app', image: 'app', dependsOn: [{ containerName: 'proxy', condition: 'HEALTHY' }] },
      { name: 'proxy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod', environment: [{ name: 'ENABLE_ENVOY_DOG_STATSD', value: '1' }, { name: 'ENABLE_ENVOY_XRAY_TRACING', value: '0' }] },
    ],
  });
  // WHEN
  const [task] = readAppMeshFacts(stack).taskDefinitions;
  // THEN
  expect(task).toMatchObject({ family: 'job', envoyContainer: 'proxy', envoyIdentity: undefined, proxyConfiguration: false, dependsOnEnvoy: ['app'], tracing: ['DogStatsD metrics'], ec2WithoutTaskMemory: false });
});
