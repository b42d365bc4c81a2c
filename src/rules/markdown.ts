import { ALL_RULES } from './catalog';
import { RuleInfo } from './rule';

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** RULES.md: the catalog as a table, generated from the rules' own data. */
export function renderRulesMarkdown(rules: RuleInfo[] = ALL_RULES): string {
  const lines = [
    '<!-- Generated from src/rules by `npx projen docgen:rules`. Do not edit. -->',
    '# Rules',
    '',
    'Every rule that cdk-service-connect checks at `cdk synth`. An **error** fails synth (all errors are',
    'reported together); a **warning** is a CDK annotation with the id `cdk-service-connect:<RuleId>`,',
    'which `Annotations.of(scope).acknowledgeWarning(...)` can acknowledge. Either can be relaxed on a',
    'construct subtree with a reason: `ServiceConnectRules.relax(scope, \'RuleId\', \'why\')`. The seed',
    'column names the paragraph of the Amazon ECS Service Connect guide the rule comes from.',
    '',
    '| Id | Severity | Triggered when | Fix | Seed paragraph |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.severityDetail ?? r.severity} | ${cell(r.trigger)} | ${cell(r.fix)} | ${cell(r.seed)} |`),
    '',
  ];
  return lines.join('\n');
}
