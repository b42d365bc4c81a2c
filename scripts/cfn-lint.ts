// Runs cfn-lint, once, over every template the project synthesizes: the example app (cdk.out, from
// `npx cdk synth`; synthesized here when cdk.out has none), every recipe under examples/recipes (each
// variant, synthesized to a scratch directory), the App Mesh fixtures of test/migrate as AppMeshConversion
// converts them, and the committed integration snapshots. Fails on any
// error, and on any warning not listed in IGNORED. Informational findings are printed, never fatal.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { accessLogs } from '../examples/recipes/access-logs';
import { adopt } from '../examples/recipes/adopt';
import { appMeshCutover } from '../examples/recipes/app-mesh-cutover';
import { blueGreen } from '../examples/recipes/blue-green';
import { canary } from '../examples/recipes/canary';
import { ec2Capacity } from '../examples/recipes/ec2-capacity';
import { hardened } from '../examples/recipes/hardened';
import { httpApi } from '../examples/recipes/http-api';
import { lambdaCaller } from '../examples/recipes/lambda-caller';
import { migrate } from '../examples/recipes/migrate';
import { migrateExisting } from '../examples/recipes/migrate-existing';
import { multiStack } from '../examples/recipes/multi-stack';
import { sharedNamespace } from '../examples/recipes/shared-namespace';
import { tls } from '../examples/recipes/tls';
import { twoNamespaces } from '../examples/recipes/two-namespaces';
import { ShopStack } from '../examples/shop';
import { convertedFixtures } from '../test/migrate/converted';

const root = path.join(__dirname, '..');

/**
 * Warnings accepted, each only on resource types the library never creates (it creates ECS services,
 * task definitions, Cloud Map namespaces, security groups and their rules, log groups, IAM roles and
 * policies, CloudWatch alarms and dashboards), or, for a redundant DependsOn (W3005), only on a
 * dependency the library never adds, so that no finding on what the library makes can hide here.
 */
interface Ignored {
  readonly check: string;
  /** Types of the resource the finding is on. */
  readonly types?: readonly string[];
  /** W3005: types of the resource depended on. */
  readonly dependsOnTypes?: readonly string[];
  readonly reason: string;
}
const IGNORED: readonly Ignored[] = [
  {
    check: 'W3697',
    types: ['AWS::AutoScaling::LaunchConfiguration'],
    reason: 'aws-cdk-lib\'s Cluster.addCapacity makes a launch configuration in the EC2 examples unless a feature flag asks for a launch template; the library makes no EC2 capacity',
  },
  {
    check: 'W3005',
    types: ['AWS::Lambda::Function', 'AWS::AutoScaling::LifecycleHook'],
    reason: 'aws-cdk-lib\'s drain hook of Cluster.addCapacity depends on its role explicitly; the library makes no capacity or Lambda function',
  },
  {
    check: 'W3005',
    dependsOnTypes: ['AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'],
    reason: 'aws-ecs-patterns orders its ECS service after the load balancer\'s listener (the adopt recipe, before and after adopting); the library never orders anything after a load balancer',
  },
  {
    check: 'W3005',
    types: ['AWS::StepFunctions::StateMachine'],
    reason: 'the waiter state machine of an integ-tests-alpha assertion (`waitForAssertions`) depends on its role explicitly; the library makes no state machine',
  },
  {
    check: 'W3696',
    types: ['AWS::AppMesh::Mesh', 'AWS::AppMesh::VirtualNode', 'AWS::AppMesh::VirtualService', 'AWS::AppMesh::VirtualRouter', 'AWS::AppMesh::Route'],
    reason: 'the App Mesh cutover recipe keeps the old copy of the app on App Mesh until the cutover is done; the library never creates App Mesh resources, and removes them from what it converts',
  },
  {
    check: 'W3010',
    types: ['AWS::EC2::Subnet'],
    reason: 'a recipe\'s VPC in a stack with an account and region gets the dummy Availability Zones of a context lookup without credentials; the library makes no subnets',
  },
];

const CA_ARN = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
const SHARED_NAMESPACE_ARN = 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0123456789abcdef';

/** Every recipe, in each of its variants. */
const RECIPES: Record<string, (app: App) => unknown> = {
  'access-logs': accessLogs,
  'adopt-before': (app) => adopt(app, false),
  'app-mesh-cutover': (app) => appMeshCutover(app, 10),
  'adopt': (app) => adopt(app, true),
  'blue-green': blueGreen,
  'canary': canary,
  'ec2-capacity': ec2Capacity,
  'hardened': (app) => hardened(app, 'pl-63a5400a'),
  'http-api': httpApi,
  'lambda-caller': lambdaCaller,
  'migrate-1': (app) => migrate(app, 1),
  'migrate-2': (app) => migrate(app, 2),
  'migrate-existing-0': (app) => migrateExisting(app, 0),
  'migrate-existing-1': (app) => migrateExisting(app, 1),
  'migrate-existing-2': (app) => migrateExisting(app, 2),
  'multi-stack': multiStack,
  'shared-namespace': (app) => sharedNamespace(app, SHARED_NAMESPACE_ARN),
  'tls': (app) => tls(app, CA_ARN),
  'two-namespaces': twoNamespaces,
};

function templatesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort().map((f) => path.join(dir, f)) : [];
}

// A recipe added later must be linted too: fail until it is listed above.
const unlisted = fs.readdirSync(path.join(root, 'examples', 'recipes')).map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !Object.keys(RECIPES).some((key) => key === name || key.startsWith(`${name}-`)));
if (unlisted.length > 0) {
  console.error(`cfn-lint: list examples/recipes/${unlisted.join(', ')} in RECIPES of scripts/cfn-lint.ts`);
  process.exit(2);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
try {
  let example = templatesIn(path.join(root, 'cdk.out'));
  if (example.length === 0) {
    const app = new App({ outdir: path.join(scratch, 'example') });
    new ShopStack(app, 'ServiceConnectShop');
    example = templatesIn(app.synth().directory);
  }
  const recipes = Object.entries(RECIPES).flatMap(([name, recipe]) => {
    const app = new App({ outdir: path.join(scratch, name) });
    recipe(app);
    return templatesIn(app.synth().directory);
  });
  // The App Mesh fixtures of test/migrate, each converted by AppMeshConversion as a new copy.
  const converted = Object.entries(convertedFixtures()).flatMap(([name, build]) => {
    const app = build({ outdir: path.join(scratch, `converted-${name}`) });
    return templatesIn(app.synth().directory);
  });
  const snapshots = fs.readdirSync(path.join(root, 'test')).filter((d) => /^integ\..+\.ts\.snapshot$/.test(d)).sort()
    .flatMap((d) => templatesIn(path.join(root, 'test', d)))
    // integ-runner's assertion stack of a test without assertions has no resources: CloudFormation never gets it
    .filter((file) => JSON.parse(fs.readFileSync(file, 'utf8')).Resources !== undefined);
  const files = [...example, ...recipes, ...converted, ...snapshots];

  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || (run.status !== 0 && !run.stdout.trim().startsWith('['))) {
    console.error(`cfn-lint did not run: ${run.error?.message ?? run.stderr}`);
    process.exit(2);
  }
  const findings: any[] = JSON.parse(run.stdout || '[]');
  const templates = new Map<string, any>();
  const typeOf = (file: string, logicalId: unknown): string => {
    if (!templates.has(file)) {
      templates.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
    }
    return templates.get(file).Resources?.[String(logicalId)]?.Type ?? '';
  };
  const ignored = (f: any): boolean => {
    const [section, logicalId] = f.Location?.Path ?? [];
    const type = section === 'Resources' ? typeOf(f.Filename, logicalId) : '';
    // W3005 names the resource depended on first: "'Id' dependency already enforced by ..."
    const dependsOn = f.Rule.Id === 'W3005' ? typeOf(f.Filename, /^'([^']+)'/.exec(f.Message)?.[1]) : '';
    return f.Level === 'Warning' && IGNORED.some((i) => i.check === f.Rule.Id
      && ((i.types?.includes(type) ?? false) || (i.dependsOnTypes?.includes(dependsOn) ?? false)));
  };
  const shown = (file: string) => (file.startsWith(scratch) ? `recipe ${path.relative(scratch, file)}` : path.relative(root, file));
  const describe = (f: any) => `${f.Rule.Id} ${shown(f.Filename)}:${f.Location?.Start?.LineNumber}: ${f.Message}`;
  const failing = findings.filter((f) => f.Level !== 'Informational' && !ignored(f));
  findings.filter((f) => f.Level === 'Informational').forEach((f) => console.log(`info: ${describe(f)}`));
  failing.forEach((f) => console.error(`${f.Level.toLowerCase()}: ${describe(f)}`));
  console.log(`cfn-lint: ${files.length} templates (${example.length} example, ${recipes.length} recipe, ${converted.length} converted App Mesh fixture, ${snapshots.length} snapshot), `
    + `${failing.length} failing finding(s), ${findings.length - failing.length} ignored or informational`);
  process.exitCode = failing.length > 0 ? 1 : 0;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
