// One measured synth, in a process of its own: prints {"ms": ..., "rssMiB": ...} and, with --dump DIR,
// writes the templates there for the equal-work check.
import * as fs from 'fs';
import * as path from 'path';
import { buildWithL2, buildWithLibrary, scenario } from './topology';

const [variant, nText, scenarioName, dumpFlag, dumpDir] = process.argv.slice(2);
const n = Number(nText);
const sc = scenario(scenarioName);
const start = process.hrtime.bigint();
const app = variant === 'library' ? buildWithLibrary(n, sc) : buildWithL2(n, sc);
const assembly = app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
if (dumpFlag === '--dump' && dumpDir) {
  fs.mkdirSync(dumpDir, { recursive: true });
  for (const stack of assembly.stacks) {
    fs.writeFileSync(path.join(dumpDir, `${stack.stackName}.json`), JSON.stringify({ template: stack.template, dependencies: stack.dependencies.map((d) => d.id) }));
  }
}
console.log(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024 }));
