// Compiles every TypeScript block of docs/recipes.md and docs/app-mesh-migration.md with jsii-rosetta, strictly, as
// `rosetta:check` does for the README and the doc comments: the docs are the built assembly's readme in a scratch copy.
// `--tablet FILE` keeps the translations (a jsii-rosetta tablet) in FILE.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rosetta-recipes-'));
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
const DOCS = ['recipes.md', 'app-mesh-migration.md'];
assembly.readme = { markdown: DOCS.map((doc) => fs.readFileSync(path.join(root, 'docs', doc), 'utf8')).join('\n') };
// Only the recipes: the types' doc examples are compiled by `rosetta:check` already.
for (const type of Object.values<any>(assembly.types ?? {})) {
  delete type.docs?.example;
  for (const member of [...(type.properties ?? []), ...(type.methods ?? []), ...(type.initializer ? [type.initializer] : [])]) {
    delete member.docs?.example;
  }
}
fs.writeFileSync(path.join(scratch, '.jsii'), JSON.stringify(assembly));
for (const name of ['package.json', 'lib', 'rosetta', 'node_modules']) {
  fs.symlinkSync(path.join(root, name), path.join(scratch, name));
}
const blocks = (assembly.readme.markdown.match(/^```ts\b/gm) ?? []).length;
const tabletArg = process.argv.indexOf('--tablet');
try {
  execFileSync('npx', ['jsii-rosetta', 'extract', '--strict', '--fail', '--cache-to', path.join(scratch, 'recipes.tabl.json'), path.join(scratch, '.jsii')], {
    cwd: scratch, stdio: 'inherit', env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' },
  });
  if (tabletArg !== -1) {
    fs.copyFileSync(path.join(scratch, 'recipes.tabl.json'), path.resolve(process.argv[tabletArg + 1]));
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(`${DOCS.map((doc) => `docs/${doc}`).join(', ')}: ${blocks} TypeScript blocks compiled by jsii-rosetta (strict)`);
