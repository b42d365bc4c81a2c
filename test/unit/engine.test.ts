import { App, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ServiceConnectRules } from '../../src/rules';
import { ALL_RULES, NAMESPACE_RULES, SERVICE_RULES } from '../../src/rules/catalog';
import { evaluate } from '../../src/rules/engine';
import { relaxationOf } from '../../src/rules/relax';
import { Finding, formatFinding, Rule, RuleSeverity } from '../../src/rules/rule';

/** A rule whose check returns `findings` whatever it is given. */
function rule(id: string, severity: RuleSeverity, findings: Finding[]): Rule<unknown> {
  return { id, appliesTo: 'service', severity, trigger: 't', fix: 'the generic fix', seed: 's', source: 'c', check: () => findings };
}

/** Metadata entries of `type` on a construct. */
function metadataOf(scope: IConstruct, type: string): unknown[] {
  return scope.node.metadata.filter((m) => m.type === type).map((m) => m.data);
}

function tree() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const service = new Construct(stack, 'Service');
  const other = new Construct(stack, 'Other');
  return { app, stack, service, other };
}

describe('formatFinding', () => {
  test('puts the rule id, path, problem, value and fix in one line', () => {
    expect(formatFinding(rule('R', RuleSeverity.ERROR, []), 'App/S', { problem: 'p', value: 'v' }))
      .toEqual('[R] App/S: p (found: v). Fix: the generic fix');
  });

  test('prefers the finding\'s path and fix', () => {
    expect(formatFinding(rule('R', RuleSeverity.ERROR, []), 'App/S', { problem: 'p', value: 'v', path: 'App/T', fix: 'f' }))
      .toEqual('[R] App/T: p (found: v). Fix: f');
  });
});

describe('the catalog', () => {
  test('every rule is checked exactly once, per service or per namespace', () => {
    const checked = [...SERVICE_RULES, ...NAMESPACE_RULES].map((r) => r.id);
    expect([...checked].sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    expect(new Set(checked).size).toBe(49);
    expect(ServiceConnectRules.RULE_IDS).toEqual(ALL_RULES.map((r) => r.id));
  });
});

describe('evaluate', () => {
  test('returns errors and annotates nothing for them', () => {
    const { service } = tree();
    const errors = evaluate(service, [rule('Bad', RuleSeverity.ERROR, [{ problem: 'p', value: 'v' }])], {});
    expect(errors).toEqual(['[Bad] Stack/Service: p (found: v). Fix: the generic fix']);
    expect(service.node.metadata).toEqual([]);
  });

  test('annotates warnings once with the rule id, however often it runs', () => {
    const { service } = tree();
    const rules = [rule('Risky', RuleSeverity.WARNING, [{ problem: 'p', value: 'v' }])];
    expect(evaluate(service, rules, {})).toEqual([]);
    expect(evaluate(service, rules, {})).toEqual([]);
    expect(metadataOf(service, 'aws:cdk:warning')).toEqual([
      '[Risky] Stack/Service: p (found: v). Fix: the generic fix [ack: cdk-service-connect:Risky]',
    ]);
  });

  test('a finding can lower an error rule to a warning', () => {
    const { service } = tree();
    const rules = [rule('Mixed', RuleSeverity.ERROR, [{ problem: 'p', value: 'v', severity: RuleSeverity.WARNING }])];
    expect(evaluate(service, rules, {})).toEqual([]);
    expect(metadataOf(service, 'aws:cdk:warning')).toHaveLength(1);
  });

  test('reports a finding on the member at its path, or on the subject when the path is unknown', () => {
    const { stack, service, other } = tree();
    const members = new Map<string, IConstruct>([['Stack/Other', other]]);
    const rules = [rule('Dup', RuleSeverity.WARNING, [
      { problem: 'p', value: 'v', path: 'Stack/Other' },
      { problem: 'q', value: 'w', path: 'Stack/Gone' },
    ])];
    evaluate(stack, rules, {}, members);
    expect(metadataOf(other, 'aws:cdk:warning')).toEqual([expect.stringContaining('[Dup] Stack/Other: p')]);
    expect(metadataOf(stack, 'aws:cdk:warning')).toEqual([expect.stringContaining('[Dup] Stack/Gone: q')]);
    expect(metadataOf(service, 'aws:cdk:warning')).toEqual([]);
  });

  test('skips relaxed findings with an info annotation carrying the reason, once', () => {
    const { stack, service } = tree();
    ServiceConnectRules.relax(stack, 'ProxyCpuHeadroom', 'the sidecar is idle');
    const rules = [
      rule('ProxyCpuHeadroom', RuleSeverity.WARNING, [{ problem: 'p', value: 'v' }]),
      rule('TaskMemoryRequired', RuleSeverity.ERROR, [{ problem: 'q', value: 'w' }]),
    ];
    expect(evaluate(service, rules, {})).toEqual(['[TaskMemoryRequired] Stack/Service: q (found: w). Fix: the generic fix']);
    evaluate(service, rules, {});
    expect(metadataOf(service, 'aws:cdk:info')).toEqual([
      'ProxyCpuHeadroom relaxed: the sidecar is idle. Skipped: [ProxyCpuHeadroom] Stack/Service: p (found: v). Fix: the generic fix',
    ]);
    expect(metadataOf(service, 'aws:cdk:warning')).toEqual([]);
  });

  test('relaxing an error rule lets synth pass', () => {
    const { service } = tree();
    ServiceConnectRules.relax(service, 'TaskMemoryRequired', 'sized by the platform team');
    expect(evaluate(service, [rule('TaskMemoryRequired', RuleSeverity.ERROR, [{ problem: 'q', value: 'w' }])], {})).toEqual([]);
  });
});

describe('ServiceConnectRules.relax', () => {
  test('records the reason in the metadata of the scope', () => {
    const { stack } = tree();
    ServiceConnectRules.relax(stack, 'RegionSupported', 'opt-in region');
    expect(metadataOf(stack, 'cdk-service-connect:relaxed')).toEqual([{ ruleId: 'RegionSupported', reason: 'opt-in region' }]);
  });

  test('the nearest scope\'s reason wins, and other rules and siblings are unaffected', () => {
    const { app, stack, service, other } = tree();
    ServiceConnectRules.relax(app, 'RegionSupported', 'app-wide');
    ServiceConnectRules.relax(service, 'RegionSupported', 'service-level');
    ServiceConnectRules.relax(service, 'ConnectCycle', 'second rule on the same scope');
    expect(relaxationOf(service, 'RegionSupported')).toBe('service-level');
    expect(relaxationOf(service, 'ConnectCycle')).toBe('second rule on the same scope');
    expect(relaxationOf(other, 'RegionSupported')).toBe('app-wide');
    expect(relaxationOf(other, 'ConnectCycle')).toBeUndefined();
    expect(relaxationOf(stack, 'ProxyCpuHeadroom')).toBeUndefined();
  });

  test('refuses an unknown rule, listing the known ones', () => {
    const { stack } = tree();
    expect(() => ServiceConnectRules.relax(stack, 'NoSuchRule', 'because')).toThrow(
      `Stack: cannot relax an unknown rule (found: 'NoSuchRule'). Fix: use one of ${ALL_RULES.map((r) => r.id).join(', ')}`);
  });

  test.each(['', '   ', undefined as unknown as string])('refuses the reason %p', (reason) => {
    const { stack } = tree();
    expect(() => ServiceConnectRules.relax(stack, 'RegionSupported', reason)).toThrow(
      'Stack: relaxing RegionSupported needs a reason (found: an empty reason). Fix: say why the rule does not apply here');
    expect(metadataOf(stack, 'cdk-service-connect:relaxed')).toEqual([]);
  });
});
