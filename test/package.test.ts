import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/*
 * What users get: the npm package holds the compiled library, its jsii assembly and the user docs, nothing
 * else; the docs it holds link to the repository with absolute links, which work on npm and Construct Hub.
 */

const root = path.join(__dirname, '..');
const REPOSITORY = 'https://github.com/cdk-service-connect/cdk-service-connect';

/** Everything a user of any jsii language needs. `lib/` holds only what `npx projen compile` wrote. */
const PACKAGED = [
  /^package\.json$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^API\.md$/, /^RULES\.md$/, /^docs\/(recipes|app-mesh-migration)\.md$/,
  /^\.jsii$/, /^\.jsii\.tabl\.json$/, /^lib\/.+\.(js|d\.ts)$/,
];

/** The files `npm pack` would put in the package, as it is now (before a compile: no lib/). */
function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(output)[0].files.map((file: { path: string }) => file.path);
}

describe('the npm package', () => {
  test('holds no development file', () => {
    const files = packedFiles();
    // (the listing is real: the package's own manifest and README are in it)
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md']));
    expect(files.filter((file) => !PACKAGED.some((allowed) => allowed.test(file)))).toEqual([]);
  });

  test('ships the Cloud Map lookup\'s handler, which the library deploys as its function\'s code, with the compiled library', () => {
    const files = packedFiles();
    // (before a compile there is no lib/ at all)
    if (files.some((file) => file.startsWith('lib/'))) {
      expect(files.filter((file) => file.startsWith('lib/outside/lookup-handler/'))).toEqual(['lib/outside/lookup-handler/index.d.ts', 'lib/outside/lookup-handler/index.js']);
    }
  });

  test.each(['README.md', 'docs/recipes.md', 'docs/app-mesh-migration.md', 'CHANGELOG.md', 'RULES.md'])('%s links only absolutely, to files that exist', (doc) => {
    const markdown = fs.readFileSync(path.join(root, doc), 'utf8');
    const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    // relative links are dead in the tarball and on Construct Hub; in-page anchors are fine
    expect(targets.filter((target) => !/^(https?:|mailto:|#)/.test(target))).toEqual([]);
    // links into this repository name a file (blob) or a folder (tree) that is there
    const broken = targets
      .filter((target) => target.startsWith(`${REPOSITORY}/`))
      .filter((target) => {
        const match = /^\/(blob|tree)\/main\/([^#?]+)/.exec(target.slice(REPOSITORY.length));
        const stat = match && fs.statSync(path.join(root, match[2]), { throwIfNoEntry: false });
        return !stat || (match[1] === 'blob' ? !stat.isFile() : !stat.isDirectory());
      });
    expect(broken).toEqual([]);
  });

  test('the README gives Go users the package\'s import path, not the module\'s', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const goModule: string = manifest.jsii.targets.go.moduleName;
    // jsii-pacmak names the Go package after the npm package, without its dashes
    const importPath = `${goModule}/${manifest.name.replace(/[^a-z0-9]/g, '')}`;
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`"${importPath}"`);
    const mentions = [...readme.matchAll(new RegExp(`${goModule.replace(/[.]/g, '\\.')}[\\w/.-]*`, 'g'))].map((m) => m[0]);
    expect(mentions.filter((mention) => mention !== importPath)).toEqual([]);
  });

  test('is ready for Construct Hub: the awscdk keyword, a description, every language on the README\'s first screen', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    // Construct Hub indexes npm packages with the `awscdk` keyword, and shows the description in its search
    expect(manifest.keywords).toEqual(expect.arrayContaining(['awscdk', 'aws-cdk', 'ecs', 'service-connect']));
    expect(manifest.description).toMatch(/Service Connect/);
    expect(manifest.description.length).toBeLessThanOrEqual(250);
    expect(manifest.stability).toBe('experimental');
    // the first screen (before the quick start) says how to install in each language the package is published for
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const firstScreen = readme.slice(0, readme.indexOf('\n## Quick start'));
    const targets = manifest.jsii.targets;
    expect(firstScreen).toContain(`npm install ${manifest.name}`);
    expect(firstScreen).toContain(`pip install ${targets.python.distName}`);
    expect(firstScreen).toContain(`${targets.java.maven.groupId}:${targets.java.maven.artifactId}`);
    expect(firstScreen).toContain(`dotnet add package ${targets.dotnet.packageId}`);
    expect(firstScreen).toContain(`${targets.go.moduleName}/${manifest.name.replace(/[^a-z0-9]/g, '')}`);
    expect(firstScreen).toMatch(/API\.md/);
  });
});
