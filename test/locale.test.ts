import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { compareText } from '../src/core/text-order';

/*
 * The library sorts names, paths and resolved values so that its output does not depend on the order of
 * construction. That sort must not depend on the machine's locale either: a developer's synth and CI's would differ.
 */

const run = promisify(execFile);
const root = path.join(__dirname, '..');

interface LocaleRun {
  readonly locale: string;
  readonly localeOrder: string[];
  readonly files: Record<string, string>;
}

async function synthUnder(locale: string): Promise<LocaleRun> {
  const { stdout } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'support', 'locale-app.ts')], {
    cwd: root, env: { ...process.env, LC_ALL: locale, LANG: locale, CDK_VALIDATION: 'false' }, maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

test('compareText sorts in US English collation', () => {
  expect(['Örn', 'Zed', 'Help', 'Chat', 'b', 'A'].sort(compareText)).toEqual(['A', 'b', 'Chat', 'Help', 'Örn', 'Zed']);
  expect(compareText('Svc10', 'Svc10')).toBe(0);
});

// Two child processes, about 3 s of CPU each: Czech orders both the nonce's tokens and the callers differently.
test('an app synthesizes to the same templates and artifacts under a Czech and an English locale', async () => {
  const [en, cs] = await Promise.all(['en_US.UTF-8', 'cs_CZ.UTF-8'].map(synthUnder));
  // Each child ran under its locale, and the locales order the app's names differently.
  expect([en.locale, cs.locale]).toEqual(['en-US', 'cs-CZ']);
  expect(en.localeOrder).toEqual(['Chat', 'Help', 'Örn', 'Zed']);
  expect(cs.localeOrder).toEqual(['Help', 'Chat', 'Örn', 'Zed']);

  // The names whose order differs reach the output: the nonce joins both ports, the alarm has a caller per client.
  const template = JSON.parse(en.files['Locale.template.json']);
  const [, web] = Object.entries<any>(template.Resources).find(([id, r]) => r.Type === 'AWS::ECS::Service' && id.startsWith('Web'))!;
  const nonce = JSON.stringify(web.Properties.ForceNewDeployment.ForceNewDeploymentNonce);
  expect(nonce.indexOf('ChatPort')).toBeGreaterThan(-1);
  expect(nonce.indexOf('ChatPort')).toBeLessThan(nonce.indexOf('HelpPort'));
  const artifactText = Object.entries(en.files).filter(([name]) => !name.endsWith('.template.json')).map(([, text]) => text).join('\n');
  const composite = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm');
  const rule = JSON.stringify(composite.Properties.AlarmRule);
  // one alarm per caller, in US English order of their paths (the logical id drops the Ö of Örn)
  const positions = ['Chat', 'Help', 'rn', 'Zed'].map((name) => rule.indexOf(`ApiHttp5xxRateAlarmFrom${name}`));
  expect(positions.every((at) => at > -1)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(artifactText).toContain('Örn');

  // Templates (parsed, so a failure shows the resources that differ), then every file of the assembly.
  expect(JSON.parse(cs.files['Locale.template.json'])).toEqual(template);
  expect(cs.files).toEqual(en.files);
}, 120_000);

test('no source file sorts or formats by the machine\'s locale', () => {
  const sourceFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));
  const files = sourceFiles(path.join(root, 'src'));
  expect(files.length).toBeGreaterThan(50);
  const offending = files.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n')
    .map((line, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, line }))
    .filter(({ line }) => /\.(localeCompare|toLocaleUpperCase|toLocaleLowerCase|toLocaleString)\(|new Intl\.\w+\(\s*\)/.test(line)))
    .map(({ where, line }) => `${where}: ${line.trim()}`);
  expect(offending).toEqual([]);
});
