import { readFileSync } from 'fs';
import { join } from 'path';
import { AppMeshMigrationPlan } from '../../src';
import { MIGRATION_RULES } from '../../src/migrate/rules';
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

test('each App Mesh migration finding has one row, as a warning with its fix, in a section of its own', () => {
  const section = renderRulesMarkdown().split('## App Mesh migration findings')[1];
  for (const rule of MIGRATION_RULES) {
    expect(section.split('\n').filter((line) => line.startsWith(`| \`${rule.id}\` |`)))
      .toEqual([`| \`${rule.id}\` | warning | ${rule.trigger.replace(/\|/g, '\\|')} | ${rule.fix} | ${rule.source} |`]);
  }
  expect(AppMeshMigrationPlan.FINDING_IDS).toEqual(MIGRATION_RULES.map((r) => r.id));
});
