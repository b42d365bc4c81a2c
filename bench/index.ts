// `npm run bench`: synth time and peak memory of this library against hand-written aws-cdk-lib L2 for
// the same topology, at N = 50, 500 and 2000 services (BENCH_SIZES), in each scenario (BENCH_SCENARIOS:
// base, spot, alarms, wide; see bench/topology.ts), alternating A/B, each run in a fresh process.
// Also checks that both variants produce the same ECS services, Service Connect configurations (the
// namespace by name, the proxy's log configuration), capacity provider strategies, deployment circuit
// breakers, ordering edges, ingress rules and alarms, so that the comparison is of equal work.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SIZES = (process.env.BENCH_SIZES ?? '50,500,2000').split(',').map(Number);
const SCENARIO_NAMES = (process.env.BENCH_SCENARIOS ?? 'base,spot').split(',');
// `wide` is one namespace of 300 services over 11 stacks, and `alarms` 200 services over 14 stacks, whatever BENCH_SIZES
// says: with the alarms, aws-cdk-lib's stack-dependency search makes 500 services over 34 stacks take minutes per run.
const sizesOf = (name: string) => (name === 'wide' ? [300] : name === 'alarms' ? [200] : SIZES);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const VARIANTS = ['library', 'l2'] as const;
type Variant = typeof VARIANTS[number];

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
}

function runOnce(variant: Variant, n: number, scenarioName: string, dump?: string): Run {
  const args = ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run-one.ts'), variant, String(n), scenarioName, ...(dump ? ['--dump', dump] : [])];
  const out = execFileSync(process.execPath, args, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }).toString();
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

/** Everything both variants must agree on, keyed by service index (the `Svc<i>` in ids). */
function work(dir: string) {
  // logical ids and export names start with the service's construct id, `Svc<i>`, then `Service` or `SecurityGroup`
  const indexOf = (value: unknown) => Number((JSON.stringify(value).match(/Svc(\d+)(?:Service|SecurityGroup)/) ?? [])[1]);
  const services: Record<number, unknown> = {};
  const ordering = new Set<string>();
  const ingress = new Set<string>();
  const stackDeps = new Set<string>();
  const alarms: Record<string, number> = {};
  const serviceIds: Record<string, number> = {};
  const stacks = fs.readdirSync(dir).map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
  // The namespaces' logical ids differ (the library wraps each HttpNamespace in a construct of its own), so
  // a service's namespace is compared by name: its reference (GetAtt, or an import whose export name holds
  // the logical id) names the namespace resource.
  const namespaceNames = new Map<string, string>();
  for (const stack of stacks) {
    for (const [id, r] of Object.entries<any>(stack.template.Resources)) {
      if (r.Type === 'AWS::ServiceDiscovery::HttpNamespace') {
        namespaceNames.set(id, r.Properties.Name);
      }
    }
  }
  const namespaceOf = (reference: unknown) => {
    const text = JSON.stringify(reference);
    const names = [...namespaceNames].filter(([id]) => text.includes(id)).map(([, name]) => name);
    if (names.length !== 1) {
      throw new Error(`${dir}: the namespace reference ${text} names ${names.length} namespaces`);
    }
    return names[0];
  };
  for (const stack of stacks) {
    for (const [id, r] of Object.entries<any>(stack.template.Resources)) {
      if (r.Type === 'AWS::ECS::Service') {
        const index = indexOf(id);
        serviceIds[`${stack.name}/${id}`] = index;
        const { Namespace: reference, LogConfiguration: log, ...rest } = r.Properties.ServiceConnectConfiguration;
        // the log group's logical id differs between the variants: compared by its presence
        const logConfiguration = log && { ...log, Options: { ...log.Options, 'awslogs-group': log.Options['awslogs-group'] ? 'a log group' : undefined } };
        services[index] = {
          sc: { ...rest, Namespace: namespaceOf(reference), LogConfiguration: logConfiguration },
          launchType: r.Properties.LaunchType,
          capacityProviderStrategy: r.Properties.CapacityProviderStrategy,
          circuitBreaker: r.Properties.DeploymentConfiguration?.DeploymentCircuitBreaker,
          serviceName: r.Properties.ServiceName,
        };
      }
    }
  }
  for (const stack of stacks) {
    stack.dependencies.filter((d: string) => d.startsWith('Bench')).forEach((d: string) => stackDeps.add(`${stack.name}->${d}`));
    for (const [id, r] of Object.entries<any>(stack.template.Resources)) {
      if (r.Type === 'AWS::ECS::Service') {
        for (const dep of r.DependsOn ?? []) {
          const server = serviceIds[`${stack.name}/${dep}`];
          if (server !== undefined) {
            ordering.add(`${serviceIds[`${stack.name}/${id}`]}->${server}`);
          }
        }
      }
      if (r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm' || r.Type === 'AWS::Logs::LogGroup') {
        alarms[r.Type] = (alarms[r.Type] ?? 0) + 1;
      }
      if (r.Type === 'AWS::EC2::SecurityGroupIngress') {
        ingress.add(`${indexOf(r.Properties.SourceSecurityGroupId)}->${indexOf(r.Properties.GroupId)}:${r.Properties.FromPort}-${r.Properties.ToPort}`);
      }
    }
  }
  return { services, ordering: [...ordering].sort(), ingress: [...ingress].sort(), stackDeps: [...stackDeps].sort(), alarmsAndLogGroups: alarms };
}

/** JSON with sorted keys, so that property order does not count as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A 90% interval for the ratio of the medians of `a` and `b`, by a percentile bootstrap over the repetitions
 * (each resample draws repetitions, with replacement, and takes both variants' runs of each, so the pairing
 * made by running them back to back is kept). Seeded, so the same runs give the same interval. With single runs
 * varying by ±15%, it says whether a ratio differs from 1.00 by more than this machine can measure.
 */
function ratioInterval(a: number[], b: number[], resamples = 4000): [number, number] {
  // Park and Miller's minimal standard generator: products stay below 2^53, so plain arithmetic is exact
  let seed = 20261207;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const picks = a.map(() => Math.floor(random() * a.length));
    ratios.push(median(picks.map((i) => a[i])) / median(picks.map((i) => b[i])));
  }
  ratios.sort((x, y) => x - y);
  return [ratios[Math.floor(resamples * 0.05)], ratios[Math.ceil(resamples * 0.95) - 1]];
}
const interval = ([low, high]: [number, number]) => `${low.toFixed(3)}–${high.toFixed(3)}`;
const rows: string[] = [];
let equalWork = true;
for (const scenarioName of SCENARIO_NAMES) {
  for (const n of sizesOf(scenarioName)) {
    const results: Record<Variant, Run[]> = { library: [], l2: [] };
    const dumps: Record<Variant, string> = { library: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lib-')), l2: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-l2-')) };
    for (let rep = 0; rep < REPS; rep++) {
      // alternate which variant goes first, so drift in machine load hits both alike
      const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        results[variant].push(runOnce(variant, n, scenarioName, rep === 0 ? dumps[variant] : undefined));
      }
    }
    const a = work(dumps.library);
    const b = work(dumps.l2);
    const same = canonical(a) === canonical(b);
    equalWork &&= same;
    if (!same) {
      for (const key of Object.keys(a) as Array<keyof typeof a>) {
        if (canonical(a[key]) !== canonical(b[key])) {
          const [x, y] = [canonical(a[key]), canonical(b[key])];
          const at = [...x].findIndex((c, i) => c !== y[i]);
          console.error(`${scenarioName} N=${n}: ${key} differ between the library and the L2 templates, from: ${x.slice(at - 80, at + 80)} | ${y.slice(at - 80, at + 80)}`);
        }
      }
    }
    const summary = (runs: Run[]) => ({
      ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpuMs)), rss: median(runs.map((r) => r.rssMiB)),
    });
    const [lib, l2] = [summary(results.library), summary(results.l2)];
    // each run's ratio against the other variant's run of the same repetition, and their median: the pairs ran back to back
    const pairRatio = median(results.library.map((r, i) => r.ms / results.l2[i].ms));
    const timeInterval = ratioInterval(results.library.map((r) => r.ms), results.l2.map((r) => r.ms));
    const cpuInterval = ratioInterval(results.library.map((r) => r.cpuMs), results.l2.map((r) => r.cpuMs));
    const rssInterval = ratioInterval(results.library.map((r) => r.rssMiB), results.l2.map((r) => r.rssMiB));
    rows.push(`| ${scenarioName} | ${n} | ${(lib.ms / 1000).toFixed(2)} | ${(l2.ms / 1000).toFixed(2)} | ${(lib.ms / l2.ms).toFixed(3)} | ${interval(timeInterval)} | ${pairRatio.toFixed(3)} `
      + `| ${(lib.cpu / 1000).toFixed(2)} | ${(l2.cpu / 1000).toFixed(2)} | ${(lib.cpu / l2.cpu).toFixed(3)} | ${interval(cpuInterval)} `
      + `| ${lib.rss.toFixed(0)} | ${l2.rss.toFixed(0)} | ${(lib.rss / l2.rss).toFixed(3)} | ${interval(rssInterval)} | ${(lib.ms / n).toFixed(1)} | ${(l2.ms / n).toFixed(1)} `
      + `| ${a.ordering.length + a.stackDeps.length} / ${a.ingress.length} | ${same ? 'yes' : 'NO'} |`);
    console.error(`${scenarioName} N=${n} done: library ${results.library.map((r) => Math.round(r.ms)).join(' ')} ms, l2 ${results.l2.map((r) => Math.round(r.ms)).join(' ')} ms`);
  }
}

console.log(`Synth of the same topology (median of ${REPS} alternating runs, each in a fresh process)\n`);
console.log('| scenario | N | library s | L2 s | time ratio | 90% interval | median pair ratio | library CPU s | L2 CPU s | CPU ratio | 90% interval '
  + '| library MiB | L2 MiB | memory ratio | 90% interval | library ms/service | L2 ms/service | ordering edges / ingress rules | equal work |');
console.log(`|${' --- |'.repeat(19)}`);
rows.forEach((r) => console.log(r));
if (!equalWork) {
  console.error('The two variants did not produce the same work; the comparison is void.');
  process.exit(1);
}
