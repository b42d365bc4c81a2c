import { ALL_RULES, RETIRED_RULES, RetiredRule } from './catalog';
import { RuleInfo } from './rule';
import { CONVERSION_RULES, ConversionRule, MIGRATION_RULES, MigrationRule } from '../migrate/rules';

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** RULES.md: the catalog as a table, generated from the rules' own data, and the retired rules. */
export function renderRulesMarkdown(
  rules: RuleInfo[] = ALL_RULES, retired: RetiredRule[] = RETIRED_RULES, migration: MigrationRule[] = MIGRATION_RULES,
  conversion: ConversionRule[] = CONVERSION_RULES,
): string {
  const converts: Record<MigrationRule['conversion'], string> = {
    decision: 'error until a decision is recorded',
    warning: 'warning',
    handled: 'done by the conversion',
  };
  const lines = [
    '<!-- Generated from src/rules by `npx projen docgen:rules`. Do not edit. -->',
    '# Rules',
    '',
    'Every rule that cdk-service-connect checks at `cdk synth`. An **error** fails synth (all errors are',
    'reported together); a **warning** is a CDK annotation with the id `cdk-service-connect:<RuleId>`,',
    'which `Annotations.of(scope).acknowledgeWarning(...)` can acknowledge. Either can be relaxed on a',
    'construct subtree with a reason: `ServiceConnectRules.relax(scope, \'RuleId\', \'why\')`.',
    '',
    'Each rule follows the current Amazon ECS guide (the "Current guide" column). The "Seed" column names',
    'the paragraph of the 2023 Service Connect guide the rule started from (`-` when the 2023 guide does',
    'not have it). Where the two differ, the current guide wins; a constraint no current source confirms',
    'is a warning, never an error.',
    '',
    '| Id | Severity | Triggered when | Fix | Current guide | Seed (2023) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.severityDetail ?? r.severity} | ${cell(r.trigger)} | ${cell(r.fix)} | ${cell(r.source)} | ${cell(r.seed)} |`),
    '',
    '## Rules that cannot be relaxed',
    '',
    '`ServiceConnectRules.relax` refuses these, with an error naming the rule: relaxing them could not make',
    'the service work.',
    '',
    ...rules.filter((r) => r.notRelaxable !== undefined).map((r) => `- \`${r.id}\`: ${cell(r.notRelaxable ?? '')}.`),
    '',
    '## Retired rules',
    '',
    'Rules the current guide no longer supports. `ServiceConnectRules.relax` still accepts their ids, so',
    'code that relaxed them keeps compiling; they relax nothing.',
    '',
    '| Id | Why it was retired |',
    '| --- | --- |',
    ...retired.map((r) => `| \`${r.id}\` | ${cell(r.reason)} |`),
    '',
    '## App Mesh migration findings',
    '',
    '`AppMeshMigrationPlan` reports these while it plans a move from AWS App Mesh to Service Connect. Each is a',
    '**warning** (the plan changes nothing, so it fails nothing) with the id `cdk-service-connect:<Id>`, on the App',
    'Mesh, ECS or IAM resource it is about; `Annotations.of(scope).acknowledgeWarning(...)` acknowledges it.',
    '',
    '`AppMeshConversion` converts past a finding as the "Conversion" column says: an **error** (which fails synth)',
    'until `decisions` records a decision for it, a **warning** like the plan\'s, or done by the conversion itself.',
    '',
    '| Id | Severity | Conversion | Triggered when | Fix | Source |',
    '| --- | --- | --- | --- | --- | --- |',
    ...migration.map((r) => `| \`${r.id}\` | warning | ${converts[r.conversion]} | ${cell(r.trigger)} | ${cell(r.fix)} | ${cell(r.source)} |`),
    '',
    '## App Mesh conversion errors',
    '',
    'Errors of `AppMeshConversion` about its own input; each fails synth with the rule id, the construct path, the',
    'value found and the fix.',
    '',
    '| Id | Severity | Triggered when | Fix |',
    '| --- | --- | --- | --- |',
    ...conversion.map((r) => `| \`${r.id}\` | error | ${cell(r.trigger)} | ${cell(r.fix)} |`),
    '',
  ];
  return lines.join('\n');
}
