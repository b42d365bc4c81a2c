import { awscdk, DependencyType, github, javascript, JsonFile, release } from 'projen';

/** Lowest aws-cdk-lib that has every Service Connect field the library renders (idle/per-request timeouts, TLS). */
const CDK_FLOOR = '2.178.0';
/** Lowest constructs the library accepts. */
const CONSTRUCTS_FLOOR = '10.0.5';
/** The aws-cdk-lib the library is developed and tested against. */
const CDK_DEV = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-service-connect',
  description: 'Amazon ECS Service Connect made correct by construction: call-graph ordering, least-privilege security groups and synth-time checks for every constraint Service Connect imposes.',
  author: 'cdk-service-connect maintainers',
  authorAddress: 'maintainers@cdk-service-connect.dev',
  repositoryUrl: 'https://github.com/cdk-service-connect/cdk-service-connect.git',
  defaultReleaseBranch: 'main',
  stability: 'experimental',
  // Construct Hub lists npm packages with the `awscdk` keyword; the others are what its search matches.
  keywords: [
    'cdk', 'awscdk', 'aws-cdk', 'cdk-construct', 'ecs', 'aws-ecs', 'service-connect', 'cloudmap', 'cloud-map',
    'fargate', 'ec2', 'microservices', 'service-discovery', 'security-groups',
  ],

  cdkVersion: CDK_FLOOR,
  constructsVersion: CONSTRUCTS_FLOOR,
  cdkCliVersion: '^2.1100.0',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // GitHub workflows as cdklabs construct libraries have them: build on pull requests, release from main
  // (versions from conventional commits, CHANGELOG, GitHub release), weekly dependency upgrades. The
  // secrets each publishing job needs are listed in RELEASING.md; none are held here.
  github: true,
  release: true,
  releaseToNpm: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  // projen releases 0.0.0 first, the placeholder every unreleased package.json holds; the first release is
  // 0.1.0 instead, and every later one follows the conventional commits since the latest tag.
  // (LATEST_TAG is empty before the first release.)
  nextVersionCommand: 'node -e "process.env.LATEST_TAG || console.log(\'0.1.0\')"',
  // The workflows run Node 22 (jsii 6 supports it; the floor of `engines` stays as it is).
  workflowNodeVersion: '22.x',
  publishToPypi: {
    distName: 'cdk-service-connect',
    module: 'cdk_service_connect',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkserviceconnect',
    mavenGroupId: 'io.github.cdk-service-connect',
    mavenArtifactId: 'cdk-service-connect',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkServiceConnect',
    packageId: 'CdkServiceConnect',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-service-connect/cdk-service-connect-go',
  },

  jestOptions: {
    // jest 30 and eslint-import-resolver-typescript 4 need unrs-resolver, whose per-platform optional
    // packages the registry here does not all serve, so `npm ci` rejects the lock file.
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Jest's default is one worker fewer than the CPUs: a single worker on a 2-core machine.
      maxWorkers: '100%',
      // Coverage costs a fifth more CPU and gates nothing: `npx projen test:coverage` reports it.
      collectCoverage: false,
      // aws-cdk-lib's built-in template validation off in tests (see the file); cfn-lint gates in CI.
      setupFiles: ['<rootDir>/test/support/setup.ts'],
    },
  },
  // Users need only the floor above; development and tests run against a recent aws-cdk-lib.
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    `aws-cdk-lib@${CDK_DEV}`,
    'constructs@^10.4.2',
    // The CDK CLI for the example app; aws-cdk@3 cannot read current cloud assemblies.
    'aws-cdk@^2.1100.0',
    'fast-check@^3',
    // The topology test parses the Mermaid diagram with mermaid itself, in a DOM from jsdom.
    'mermaid@^11',
    'jsdom@^26',
    // Integration tests (test/integ.*.ts). Their snapshots are checked by scripts/integ-snapshots.ts:
    // the registry's integ-runner cannot read the cloud assemblies of current aws-cdk-lib.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Logical-id stability: which property changes replace a resource.
    '@aws-cdk/cloudformation-diff@^2.187.0',
    // Schema validity: the CloudFormation resource schemas, as AWS packages them for the CDK.
    '@aws-cdk/aws-service-spec',
    '@aws-cdk/service-spec-types',
    // The example app passes the AwsSolutions rules pack.
    'cdk-nag@^3',
    // The hardened recipe passes the AWS Control Tower proactive controls (cfn-guard rules it ships).
    '@cdklabs/cdk-validator-cfnguard',
    // Mutation testing of the rules and the topology (`npm run mutation`, not part of npm test).
    '@stryker-mutator/core@^9',
    '@stryker-mutator/jest-runner@^9',
    // Import-cycle check of src/ (`npx projen check:cycles`), type-only imports included.
    'dpdm@^4',
    // Types of the SDK client the Cloud Map lookup's handler calls (ECS DescribeServices), and its unit tests'
    // mock. The Lambda Node.js runtime provides the SDK (v3) itself, so it is neither bundled nor a dependency
    // of the package.
    '@aws-sdk/client-ecs@^3',
  ],
  gitignore: ['cdk.out/', '.jsii.tabl.json'],
  // The package ships its JavaScript without source maps, as aws-cdk-lib does. Inline maps doubled the size
  // of lib/, and an app run with source-map-support (ts-node) decoded each library file's map the first time
  // a stack trace passed through it: aws-cdk-lib records one for every construct it creates. Traces point to
  // lib/*.js, which is the TypeScript without its types.
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },
});

// `npx cdk synth` in a fresh clone synthesizes the bundled example shop.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --transpile-only --project examples/tsconfig.json --prefer-ts-exts examples/shop.ts',
    output: 'cdk.out',
  },
});

// The example app and the scripts are type-checked by eslint and the tests, and run by ts-node, with these configs.
for (const dir of ['examples', 'scripts', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', noEmit: true, isolatedModules: true },
      include: ['**/*.ts'],
    },
  });
}
project.eslint?.addLintPattern('examples');
// See jestVersion above: the 3.6 resolver does not depend on unrs-resolver.
project.deps.addDependency('eslint-import-resolver-typescript@~3.6.3', DependencyType.BUILD);

// RULES.md is generated from the rule catalog after every compile, like API.md.
const rulesDoc = project.addTask('docgen:rules', {
  description: 'Generate RULES.md from the rule catalog',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/rules-md.ts',
});
project.tasks.tryFind('post-compile')?.spawn(rulesDoc);
project.eslint?.addLintPattern('scripts');

// ts-jest only transpiles (isolatedModules), so `npm test` type-checks the tests, and through them
// src/ and examples/, before running them.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// The property tests run a few cases in `npm test` and their full count here (test/support/runs.ts); `.ci/run` runs both.
project.addTask('test:properties', {
  description: 'Run the property tests with their full number of cases',
  env: { FC_FULL: '1' },
  exec: 'jest test/properties test/rules/property.test.ts --ci --coverage=false --reporters=default',
});

project.addTask('test:coverage', {
  description: 'Run the tests and report line and branch coverage of src/ (coverage/)',
  exec: 'jest --ci --coverage --collectCoverageFrom="src/**/*.ts"',
});

// Integration snapshots: synthesized without deploying and compared with the committed ones.
const integCommand = 'ts-node --transpile-only --project scripts/tsconfig.json scripts/integ-snapshots.ts';
project.addTask('integ:snapshot', { description: 'Fail when an integration test no longer synthesizes to its committed snapshot', exec: integCommand });
project.addTask('integ:update', { description: 'Rewrite the integration test snapshots', exec: `${integCommand} --update` });

// cfn-lint over every synthesized template (the example, the recipes, the integration snapshots), in one run:
// any error fails, and any warning except those scripts/cfn-lint.ts lists, none of them on a library resource.
project.addTask('lint:cfn', {
  description: 'Run cfn-lint over the example, the recipes and the integration snapshots',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/cfn-lint.ts',
});

// `npm run bench`: synth cost against hand-written aws-cdk-lib (bench/); not part of `npm test`.
// It measures the compiled package, as users load it, so it compiles first.
project.addTask('bench', {
  description: 'Benchmark synth time and memory of the library against hand-written aws-cdk-lib L2',
  steps: [{ spawn: 'compile' }, { exec: 'node -r ts-node/register/transpile-only bench/index.ts' }],
});
// `npm run bench:instructions`: the same comparison counted in instructions (valgrind), which repeat where times vary.
project.addTask('bench:instructions', {
  description: 'Count the instructions of one synth, library against hand-written aws-cdk-lib L2 (needs valgrind)',
  steps: [{ spawn: 'compile' }, { exec: 'node -r ts-node/register/transpile-only bench/instructions.ts' }],
});
project.eslint?.addLintPattern('bench');
project.npmignore?.exclude('/bench/');

// src/ has no import cycle, not even through type-only imports (so no -T): dpdm exits 1 on any cycle. It reads
// every file under src/, not just what src/index.ts reaches (src/rules/markdown.ts is used by scripts/ and tests only).
project.addTask('check:cycles', {
  description: 'Fail on any import cycle in src/, type-only imports included',
  exec: 'dpdm --no-tree --no-warning --no-progress --exit-code circular:1 "src/**/*.ts"',
});

// ts-node runs the benchmark and the scripts without checking their types, and no test imports them all: a type
// error there went unnoticed once (bench/topology.ts), so CI type-checks them.
project.addTask('check:tools', {
  description: 'Type-check bench/ and scripts/, which ts-node runs without checking',
  steps: [{ exec: 'tsc --noEmit -p bench/tsconfig.json' }, { exec: 'tsc --noEmit -p scripts/tsconfig.json' }],
});

// Mutation testing with Stryker on the rules and the topology code; slow, so outside `npm test`.
project.addTask('mutation', { description: 'Mutation-test src/rules and src/topology with Stryker', exec: 'stryker run' });
project.gitignore.exclude('reports/', '.stryker-tmp/');

// Every TypeScript example in the README and the doc comments must compile (fixtures in rosetta/).
project.package.file.addOverride('jsii.metadata', { jsii: { rosetta: { strict: true } } });
project.addTask('rosetta:check', {
  description: 'Compile every README and doc-comment example against the built library (strict)',
  exec: 'jsii-rosetta extract --strict --fail .jsii',
});
project.npmignore?.exclude('/rosetta/');
// The recipes in docs/recipes.md and the App Mesh migration guide are compiled the same way, strictly, as the readme of a scratch copy of the assembly.
project.addTask('rosetta:recipes', {
  description: 'Compile every TypeScript block of docs/recipes.md and docs/app-mesh-migration.md with jsii-rosetta (strict)',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/rosetta-recipes.ts',
});

// The declared floor, tested: the type-check, the tests and the README/doc examples against the lowest
// aws-cdk-lib and constructs of the peer dependencies, in a scratch copy (the checkout's node_modules stays).
project.addTask('test:floor', {
  description: `Type-check, test and compile the examples against aws-cdk-lib ${CDK_FLOOR} and constructs ${CONSTRUCTS_FLOOR} (scratch copy)`,
  exec: 'scripts/floor.sh',
  receiveArgs: true,
});

// The translations of those examples (what Construct Hub shows Python, Java, C# and Go users): every Python
// snippet parses and imports no name twice; no object literal lost its struct type in any language.
project.addTask('rosetta:translations', {
  description: 'Check the jsii-rosetta translations of every README, doc-comment and recipe example (Python parsed with python3)',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/rosetta-translations.ts',
});

// Maven, NuGet, PyPI and the Go proxy are out of reach here, so the other languages are generated as
// code only (jsii-pacmak --code-only) instead of being compiled into packages.
const packageAll = project.tasks.tryFind('package-all');
packageAll?.reset();
packageAll?.spawn(project.tasks.tryFind('package:js')!);
packageAll?.exec('jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/code');
project.npmignore?.exclude('/examples/', '/cdk.json', '/.ci/', '/cdk.out/');
// The package holds the compiled library, its assembly and the user docs only: test/package.test.ts fails on
// anything else `npm pack` would include (development scripts, mutation and benchmark reports, ...).
project.npmignore?.exclude('/scripts/', '/stryker.config.json', '/reports/', '/.stryker-tmp/', '/BENCHMARKS.md', '/RELEASING.md');

// The package as users install it: the tarball in a fresh app outside the repository, at the floor and at the
// newest aws-cdk-lib and constructs, with the README's quick start compiled (strict tsc) and synthesized.
project.addTask('test:consumer', {
  description: 'Install the packed library in fresh apps (aws-cdk-lib floor and newest), compile the README quick start strictly and synthesize it',
  exec: 'scripts/consumer-test.sh',
  receiveArgs: true,
});

// The release as far as this machine can run it, in a scratch clone: bump, compile, package:js and package:python,
// then the artifacts checked (scripts/release-dry-run.sh says what is skipped and why).
project.addTask('release:dry-run', {
  description: 'Bump, compile and package for npm and PyPI in a scratch clone, and check dist/js and dist/python',
  exec: 'scripts/release-dry-run.sh',
});

// Pull requests also run what CI runs here (.ci/run): the stale-file check, the snapshots, cfn-lint, the
// property tests, the floor, the consumer test and the release dry run, next to projen's own build job.
project.github?.tryFindWorkflow('build')?.addJob('ci', {
  name: 'CI checks (.ci/run)',
  runsOn: ['ubuntu-latest'],
  permissions: { contents: github.workflows.JobPermission.READ },
  steps: [
    { name: 'Checkout', uses: 'actions/checkout@v5', with: { 'fetch-depth': 0 } },
    { name: 'Setup Node.js', uses: 'actions/setup-node@v5', with: { 'node-version': '22.x' } },
    { name: 'Setup Python', uses: 'actions/setup-python@v6', with: { 'python-version': '3.x' } },
    { name: 'Install cfn-lint and the Python build tools', run: 'pip install cfn-lint setuptools wheel twine build' },
    { name: 'Run .ci/run', run: 'bash .ci/run' },
  ],
});

project.synth();
