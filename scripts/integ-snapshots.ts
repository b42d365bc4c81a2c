// Synthesizes every test/integ.*.ts and compares its CloudFormation templates (and the Service Connect
// topology files) with the committed snapshot in test/integ.<name>.ts.snapshot/, without deploying.
// `--update` rewrites the snapshots. Exits 1 on drift, naming the files that differ.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const testDir = path.join(root, 'test');
const update = process.argv.includes('--update');

/** The files of a synthesized assembly that make up a snapshot. */
function snapshotFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json') || f.endsWith('.service-connect.json') || f.endsWith('.service-connect.mmd')).sort();
}

/**
 * A file's text with what changes on every synth masked: integ-tests-alpha salts each assertion with the time
 * of the synth (`"salt": "<Date.now()>"`), so that CloudFormation runs it again on every deployment.
 */
function stable(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/"salt": "\d+"/g, '"salt": "(time of synth)"');
}

let drift = 0;
for (const integ of fs.readdirSync(testDir).filter((f) => /^integ\..+\.ts$/.test(f)).sort()) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', path.join(testDir, 'tsconfig.json'), path.join(testDir, integ)], {
    cwd: root, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const snapshotDir = path.join(testDir, `${integ}.snapshot`);
  const actual = snapshotFiles(outdir);
  if (update) {
    fs.rmSync(snapshotDir, { recursive: true, force: true });
    fs.mkdirSync(snapshotDir, { recursive: true });
    actual.forEach((f) => fs.writeFileSync(path.join(snapshotDir, f), stable(path.join(outdir, f))));
    console.log(`${integ}: snapshot written (${actual.length} files)`);
    continue;
  }
  const expected = fs.existsSync(snapshotDir) ? snapshotFiles(snapshotDir) : [];
  const differing = [...new Set([...actual, ...expected])].filter((f) => !actual.includes(f) || !expected.includes(f)
    || stable(path.join(outdir, f)) !== stable(path.join(snapshotDir, f)));
  if (differing.length > 0) {
    drift++;
    console.error(`${integ}: snapshot drift in ${differing.join(', ')}. Review the change, then run 'npx projen integ:update'.`);
  } else {
    console.log(`${integ}: matches its snapshot (${actual.length} files)`);
  }
}
process.exit(drift > 0 ? 1 : 0);
