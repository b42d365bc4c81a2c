import { App, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ServiceConnectRules } from '../../src';
import { ALL_RULES } from '../../src/rules/catalog';
import { renderRulesMarkdown } from '../../src/rules/markdown';
import { recordInheritedRelaxations, recordRelaxation, relaxationOf, RELAXED_METADATA } from '../../src/rules/relax';

/*
 * Relaxations as metadata on bare constructs: what `relax` accepts, which relaxation applies where, and the
 * copies a stack carries of the relaxations made above it (the cloud assembly has metadata per stack only).
 * The engine's use of them is in engine.test.ts; end to end through synth, in test/rules/relax.test.ts.
 */

function relaxations(scope: IConstruct): unknown[] {
  return scope.node.metadata.filter((m) => m.type === RELAXED_METADATA).map((m) => m.data);
}

/** An app with a stack, and a stage Prod holding a stack with a service. */
function tree() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const stage = new Stage(app, 'Prod');
  const inner = new Stack(stage, 'Inner');
  const service = new Construct(inner, 'Service');
  return { app, stack, stage, inner, service };
}

describe('ServiceConnectRules.relax', () => {
  test('ExternalNotSupported cannot be relaxed: the call fails naming the rule, and RULES.md says so', () => {
    const { stack } = tree();
    expect(() => ServiceConnectRules.relax(stack, 'ExternalNotSupported', 'we run on ECS Anywhere'))
      .toThrow(/^\[ExternalNotSupported\] Stack: this rule cannot be relaxed \(found: relax\('ExternalNotSupported'\): the library builds only Fargate and EC2 services.*\)\. Fix: run the service on Fargate or EC2/);
    expect(relaxations(stack)).toEqual([]);
    expect(renderRulesMarkdown()).toMatch(/## Rules that cannot be relaxed[^#]*- `ExternalNotSupported`: the library builds only/);
  });

  test('every other rule of the catalog can be relaxed', () => {
    for (const rule of ALL_RULES.filter((r) => r.notRelaxable === undefined)) {
      const { stack } = tree();
      ServiceConnectRules.relax(stack, rule.id, 'why not');
      expect(relaxations(stack)).toEqual([{ ruleId: rule.id, reason: 'why not' }]);
    }
  });

  test('the retired ids still relax without error', () => {
    const { stack } = tree();
    for (const id of ['CircuitBreakerNotSupported', 'Ec2CapacityProviderStrategy']) {
      expect(() => ServiceConnectRules.relax(stack, id, 'kept from an older version')).not.toThrow();
    }
    expect(ServiceConnectRules.RETIRED_RULE_IDS).toEqual(['CircuitBreakerNotSupported', 'Ec2CapacityProviderStrategy']);
    expect(ServiceConnectRules.RULE_IDS).not.toContain('CircuitBreakerNotSupported');
  });

  test.each([
    ['an undefined scope', undefined, 'ProxyCpuHeadroom', 'why', /^ServiceConnectRules\.relax: relax needs a construct .*\(found: nothing\)\. Fix: pass the construct subtree/],
    ['a plain object as scope', {}, 'ProxyCpuHeadroom', 'why', /relax needs a construct .*Fix: /],
    ['an object whose node has no metadata', { node: {} }, 'ProxyCpuHeadroom', 'why', /relax needs a construct .*Fix: /],
    ['an undefined rule id', 'stack', undefined, 'why', /^Stack: cannot relax an unknown rule \(found: nothing\)\. Fix: use one of /],
    ['an undefined reason', 'stack', 'ProxyCpuHeadroom', undefined, /^Stack: relaxing ProxyCpuHeadroom needs a reason \(found: an empty reason\)\. Fix: /],
    ['a null reason', 'stack', 'ProxyCpuHeadroom', null, /needs a reason \(found: an empty reason\)/],
  ])('from JavaScript, %s is a clear error, never a TypeError', (_name, scope, ruleId, reason, expected) => {
    const { stack } = tree();
    const call = () => ServiceConnectRules.relax((scope === 'stack' ? stack : scope) as any, ruleId as any, reason as any);
    expect(call).toThrow(expected);
    expect(call).not.toThrow(TypeError);
  });
});

describe('relaxationOf', () => {
  test('the nearest scope wins; on one scope, the latest relaxation', () => {
    const { app, stage, inner, service } = tree();
    ServiceConnectRules.relax(app, 'ConnectCycle', 'app-wide');
    expect(relaxationOf(service, 'ConnectCycle')).toBe('app-wide');
    ServiceConnectRules.relax(inner, 'ConnectCycle', 'first');
    ServiceConnectRules.relax(inner, 'ConnectCycle', 'second');
    expect(relaxationOf(service, 'ConnectCycle')).toBe('second');
    expect(relaxationOf(stage, 'ConnectCycle')).toBe('app-wide');
    expect(relaxationOf(service, 'ProxyCpuHeadroom')).toBeUndefined();
  });

  test('only relaxations count, not other metadata, nor a stack\'s copies of relaxations made above it', () => {
    const { app, stage, inner, service } = tree();
    inner.node.addMetadata('some:other', { ruleId: 'ConnectCycle', reason: 'not a relaxation' });
    expect(relaxationOf(service, 'ConnectCycle')).toBeUndefined();
    // a copy in the stack of a relaxation made on a stage that no longer holds it applies nothing
    inner.node.addMetadata(RELAXED_METADATA, { ruleId: 'ConnectCycle', reason: 'copied', relaxedOn: 'Elsewhere' });
    expect(relaxationOf(service, 'ConnectCycle')).toBeUndefined();
    recordRelaxation(stage, 'ConnectCycle', 'on the stage');
    recordInheritedRelaxations(inner);
    inner.node.addMetadata(RELAXED_METADATA, { ruleId: 'ConnectCycle', reason: 'a later copy', relaxedOn: 'Prod' });
    expect(relaxationOf(service, 'ConnectCycle')).toBe('on the stage');
    expect(relaxationOf(app, 'ConnectCycle')).toBeUndefined();
  });
});

describe('recordInheritedRelaxations', () => {
  test('copies each relaxation made on the app or a stage above the stack, naming the scope; the stack\'s own are not copied', () => {
    const { app, stage, inner } = tree();
    recordRelaxation(app, 'ProxyCpuHeadroom', 'load-tested');
    recordRelaxation(app, 'ConnectCycle', 'known cycle');
    recordRelaxation(stage, 'ProxyCpuHeadroom', 'in prod too');
    recordRelaxation(inner, 'ProxyCpuHeadroom', 'on the stack');
    recordInheritedRelaxations(inner);
    expect(relaxations(inner)).toEqual([
      { ruleId: 'ProxyCpuHeadroom', reason: 'on the stack' },
      { ruleId: 'ProxyCpuHeadroom', reason: 'load-tested', relaxedOn: '' },
      { ruleId: 'ConnectCycle', reason: 'known cycle', relaxedOn: '' },
      { ruleId: 'ProxyCpuHeadroom', reason: 'in prod too', relaxedOn: 'Prod' },
    ]);
  });

  test('is idempotent, and copies a relaxation made later; other metadata is no relaxation', () => {
    const { app, inner } = tree();
    app.node.addMetadata('aws:cdk:info', 'not a relaxation');
    inner.node.addMetadata('some:other', { ruleId: 'ConnectCycle', relaxedOn: '' });
    recordRelaxation(app, 'ProxyCpuHeadroom', 'load-tested');
    recordInheritedRelaxations(inner);
    recordInheritedRelaxations(inner);
    recordRelaxation(app, 'ConnectCycle', 'known cycle');
    recordInheritedRelaxations(inner);
    expect(relaxations(inner)).toEqual([
      { ruleId: 'ProxyCpuHeadroom', reason: 'load-tested', relaxedOn: '' },
      { ruleId: 'ConnectCycle', reason: 'known cycle', relaxedOn: '' },
    ]);
  });

  test('a stack outside the stage gets only the app\'s, and a stack with none above it gets nothing', () => {
    const { app, stack, stage } = tree();
    recordRelaxation(stage, 'RollingDeploymentOnly', 'CodeDeploy until the migration');
    recordInheritedRelaxations(stack);
    expect(relaxations(stack)).toEqual([]);
    recordRelaxation(app, 'RollingDeploymentOnly', 'everywhere');
    recordInheritedRelaxations(stack);
    expect(relaxations(stack)).toEqual([{ ruleId: 'RollingDeploymentOnly', reason: 'everywhere', relaxedOn: '' }]);
  });

  test('a stack in a nested stage carries no copy of the stage\'s own copies', () => {
    const { stage } = tree();
    const nested = new Stage(stage, 'Eu');
    const deep = new Stack(nested, 'Deep');
    recordRelaxation(stage, 'ProxyCpuHeadroom', 'in prod');
    nested.node.addMetadata(RELAXED_METADATA, { ruleId: 'ConnectCycle', reason: 'a copy', relaxedOn: 'Prod' });
    recordInheritedRelaxations(deep);
    expect(relaxations(deep)).toEqual([{ ruleId: 'ProxyCpuHeadroom', reason: 'in prod', relaxedOn: 'Prod' }]);
  });
});
