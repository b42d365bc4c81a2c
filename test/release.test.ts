import * as fs from 'fs';
import * as path from 'path';

/*
 * The release automation projen generates (.github/workflows, committed; `.ci/run` fails when they are stale):
 * every registry the library is meant for gets a publishing job, and every secret a workflow reads is named in
 * RELEASING.md, so that a maintainer knows what to set up and nothing here holds one.
 */

const root = path.join(__dirname, '..');
const workflow = (name: string) => fs.readFileSync(path.join(root, '.github', 'workflows', `${name}.yml`), 'utf8');

describe('the release automation', () => {
  test('builds pull requests, releases from main and upgrades the dependencies', () => {
    expect(workflow('build')).toMatch(/^on:\n {2}pull_request: \{\}/m);
    expect(workflow('build')).toContain('run: bash .ci/run');
    expect(workflow('release')).toMatch(/^on:\n {2}push:\n {4}branches:\n {6}- main$/m);
    expect(workflow('release')).toContain('run: npx projen release');
    expect(workflow('upgrade-main')).toContain('schedule:');
  });

  test.each(['npm', 'pypi', 'maven', 'nuget', 'golang'])('publishes to %s', (registry) => {
    expect(workflow('release')).toContain(`publib-${registry}`);
  });

  test('names every secret the workflows read in RELEASING.md', () => {
    const secrets = new Set(['build', 'release', 'upgrade-main'].flatMap((name) => [...workflow(name).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1])));
    // (the listing is real: the publishing jobs read their tokens)
    expect([...secrets]).toEqual(expect.arrayContaining(['NPM_TOKEN', 'TWINE_PASSWORD', 'NUGET_API_KEY']));
    const releasing = fs.readFileSync(path.join(root, 'RELEASING.md'), 'utf8');
    expect([...secrets].filter((secret) => !releasing.includes(`\`${secret}\``))).toEqual([]);
  });
});
