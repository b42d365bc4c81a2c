import { readFileSync } from 'fs';
import { join } from 'path';
import { AppMeshMigrationPlan } from '../../src';
import { CONVERSION_RULES, MIGRATION_RULES } from '../../src/migrate/rules';
import { ALL_RULES, RETIRED_RULES } from '../../src/rules/catalog';
import { renderRulesMarkdown } from '../../src/rules/markdown';

test('RULES.md is generated from the catalog and current', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8');
  expect(committed).toEqual(renderRulesMarkdown());
});

test('each rule has one row with its id, severity, trigger, fix and seed paragraph', () => {
  const markdown = renderRulesMarkdown();
  for (const rule of ALL_RULES) {
    const rows = markdown.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| ${rule.severityDetail ?? rule.severity} |`);
    expect(rows[0]).toContain(rule.seed);
    expect(rows[0]).toContain(rule.source);
  }
});

test('each retired rule has one row with its reason, after the catalog', () => {
  const markdown = renderRulesMarkdown();
  const retiredSection = markdown.split('## Retired rules')[1];
  for (const rule of RETIRED_RULES) {
    expect(markdown.split('## Retired rules')[0]).not.toContain(`| \`${rule.id}\` |`);
    expect(retiredSection.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`))).toEqual([`| \`${rule.id}\` | ${rule.reason} |`]);
  }
});

test('each App Mesh migration finding has one row, as a warning with what the conversion does and its fix, in a section of its own', () => {
  const section = renderRulesMarkdown().split('## App Mesh migration findings')[1].split('## App Mesh conversion errors')[0];
  const conversion = { decision: 'error until a decision is recorded', warning: 'warning', handled: 'done by the conversion' };
  for (const rule of MIGRATION_RULES) {
    expect(section.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`)))
      .toEqual([`| \`${rule.id}\` | warning | ${conversion[rule.conversion]} | ${rule.trigger.replace(/\|/g, '\\|')} | ${rule.fix} | ${rule.source} |`]);
  }
  expect(AppMeshMigrationPlan.FINDING_IDS).toEqual(MIGRATION_RULES.map((r) => r.id));
  expect(MIGRATION_RULES.filter((r) => r.conversion === 'decision').map((r) => r.id)).toEqual(['AppMeshWeightedRoute', 'AppMeshMatchedRoute',
    'AppMeshGateway', 'AppMeshMutualTls', 'AppMeshTlsCertificate', 'AppMeshNonEcsNode', 'AppMeshStandaloneTask', 'AppMeshSeveralAliases']);
});

test('each error of the conversion itself has one row in the last section', () => {
  const section = renderRulesMarkdown().split('## App Mesh conversion errors')[1];
  for (const rule of CONVERSION_RULES) {
    expect(section.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`))).toEqual([`| \`${rule.id}\` | error | ${rule.trigger} | ${rule.fix} |`]);
  }
});
