// `npm run bench:instructions`: the CPU work of one synth, counted in machine instructions, for this library and
// for the same topology written by hand with aws-cdk-lib L2 (bench/topology.ts, as `npm run bench` builds it).
//
// Wall time varies by ±15% between runs on a shared 2-core machine, so `npm run bench` cannot tell the variants
// apart when they are within about 5%. An instruction count comes closer: valgrind's callgrind counts every instruction
// the process executes, and V8's `--predictable` (one thread, no concurrent compiler or garbage collector, a fixed
// seed) makes the count repeat under the same conditions: two runs of one variant side by side agree within 0.01%,
// where without it two runs differed by 8%. Under other conditions (another load, other valgrind options) a count
// can still move by a few percent, since V8 runs some garbage collection on timers, so the variants run
// side by side, one per core, under the same load. It counts work, not time: it ignores cache misses, and the
// compiler and garbage-collector threads of a normal run are counted as if they ran on the main thread. Each run
// takes about 50 times its normal time.
//
// BENCH_SIZES (default 500) and BENCH_SCENARIOS (default base,spot) choose what runs; CDK_VALIDATION passes
// through. Each count is also taken at N = 1, whose work (loading modules, the VPC and cluster, one service) is
// subtracted for the "above N = 1" columns: the work that grows with the services.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

const SIZES = (process.env.BENCH_SIZES ?? '500').split(',').map(Number);
const SCENARIO_NAMES = (process.env.BENCH_SCENARIOS ?? 'base,spot').split(',');
const VARIANTS = ['library', 'l2'] as const;
type Variant = typeof VARIANTS[number];

interface Count {
  /** Every instruction of the process. */
  readonly total: number;
  /** Those of V8's optimizing compiler, which a normal run gives a thread of its own. */
  readonly compiler: number;
}

/** The instructions one synth executes, from callgrind's summary line, and the optimizing compiler's share of them. */
async function count(variant: Variant, n: number, scenarioName: string): Promise<Count> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ir-')), 'callgrind.out');
  const args = ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--predictable',
    '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run-one.ts'), variant, String(n), scenarioName];
  const { stderr } = await run('valgrind', args, { cwd: path.join(__dirname, '..'), maxBuffer: 64 * 1024 * 1024 });
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) {
    throw new Error(`valgrind printed no instruction count for ${variant} N=${n} ${scenarioName}:\n${stderr.slice(-2000)}`);
  }
  // one line per function, its own instructions first: "1,234 ( 0.01%)  ???:v8::internal::compiler::..."
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', out], { maxBuffer: 256 * 1024 * 1024 });
  const compiler = stdout.split('\n')
    .map((line) => /^\s*([\d,]+) \(.*v8::internal::compiler::/.exec(line))
    .reduce((sum, m) => sum + (m ? Number(m[1].replace(/,/g, '')) : 0), 0);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { total: Number(collected[1]), compiler };
}

/** Both variants at once, one per core, so that both are counted under the same load (a count moves a little with it). */
const both = async (n: number, scenarioName: string) => {
  const [library, l2] = await Promise.all(VARIANTS.map((v) => count(v, n, scenarioName)));
  return { library, l2 };
};

async function main() {
  try {
    await run('valgrind', ['--version']);
  } catch {
    console.error('bench:instructions needs valgrind (Debian: apt-get install valgrind)');
    process.exit(1);
  }
  const g = (x: number) => (x / 1e9).toFixed(2);
  const rows: string[] = [];
  for (const scenarioName of SCENARIO_NAMES) {
    const base = await both(1, scenarioName);
    for (const n of SIZES) {
      const at = await both(n, scenarioName);
      // the work that grows with the services: the count at N less the count at N = 1
      const grown = (v: Variant, key: keyof Count) => at[v][key] - base[v][key];
      const ratio = (key: keyof Count) => grown('library', key) / grown('l2', key);
      const withoutCompiler = (grown('library', 'total') - grown('library', 'compiler')) / (grown('l2', 'total') - grown('l2', 'compiler'));
      rows.push(`| ${scenarioName} | ${n} | ${g(at.library.total)} | ${g(at.l2.total)} | ${(at.library.total / at.l2.total).toFixed(3)} `
        + `| ${ratio('total').toFixed(3)} | ${g(grown('library', 'compiler'))} | ${g(grown('l2', 'compiler'))} | ${withoutCompiler.toFixed(3)} `
        + `| ${(grown('library', 'total') / (n - 1) / 1e6).toFixed(1)} | ${(grown('l2', 'total') / (n - 1) / 1e6).toFixed(1)} |`);
      console.error(`${scenarioName} N=${n} done`);
    }
  }
  console.log(`Instructions of one synth (callgrind, node --predictable), CDK_VALIDATION=${process.env.CDK_VALIDATION ?? 'unset'}\n`);
  console.log('| scenario | N | library G | L2 G | ratio | ratio above N = 1 | library compiler G above N = 1 | L2 compiler G above N = 1 '
    + '| ratio above N = 1 without the compiler | library M/service | L2 M/service |');
  console.log(`|${' --- |'.repeat(11)}`);
  rows.forEach((r) => console.log(r));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
