import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientServerServiceProps, ServiceConnectNamespace } from '../../src';
import { RuleInfo, RuleSeverity } from '../../src/rules/rule';
import { fargateTask } from '../util';

/** A stack with a VPC, a cluster and a namespace, in the given environment. */
export class RuleEnv {
  public readonly app: App;
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  public readonly namespace: ServiceConnectNamespace;

  /** In a new app's stack 'Stack' with `props`, or in `stack` when given. */
  constructor(props: StackProps = {}, stack?: Stack) {
    this.stack = stack ?? new Stack(new App(), 'Stack', props);
    this.app = this.stack.node.root as App;
    this.vpc = new ec2.Vpc(this.stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    this.cluster = new ecs.Cluster(this.stack, 'Cluster', { vpc: this.vpc });
    this.namespace = new ServiceConnectNamespace(this.stack, 'Namespace', { name: 'rules.internal' });
  }

  /** A valid Fargate server on port 8080 ('http'); `overrides` change any prop. */
  public server(id: string, overrides: Partial<ClientServerServiceProps> = {}): ClientServerService {
    return new ClientServerService(this.stack, id, {
      cluster: this.cluster,
      namespace: this.namespace,
      taskDefinition: overrides.taskDefinition ?? (overrides.container ? undefined
        : fargateTask(this.stack, `${id}Task`, [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }])),
      endpoints: [{ portMappingName: 'http', discoveryName: id.toLowerCase() }],
      ...overrides,
    });
  }
}

/** One row of a rule table: a configuration that breaks the rule and a boundary one that passes. */
export interface RuleCase {
  readonly name: string;
  readonly fail: (env: RuleEnv) => void;
  readonly pass: (env: RuleEnv) => void;
  /** Environment of the stack, for region rules. */
  readonly env?: StackProps;
  /** Environment of the passing case's stack, when it differs from `env`. */
  readonly passEnv?: StackProps;
  /** Text the failure must contain besides the rule id and fix (the offending value). */
  readonly found?: string;
  /** A finding-specific fix, when it differs from the rule's. */
  readonly fix?: string;
}

/** The synth error message, or undefined when synth succeeds. */
function synthError(env: RuleEnv): string | undefined {
  try {
    env.app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function warningsOf(env: RuleEnv, ruleId: string): string[] {
  return Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp(`\\[${ruleId}\\]`)).map((w) => String(w.entry.data));
}

/**
 * Runs a rule's table: every failing case fails with the rule id, the fix and the value found; every
 * passing case synthesizes without that rule's finding.
 */
export function describeRule(rule: RuleInfo, cases: RuleCase[], severity: RuleSeverity = rule.severity): void {
  describe(`${rule.id} (${severity})`, () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      // GIVEN a configuration that breaks the rule
      const failing = new RuleEnv(c.env);
      let thrown: string | undefined;
      try {
        c.fail(failing);
      } catch (e) {
        thrown = (e as Error).message; // construct-time rules (a service that cannot be built at all)
      }
      // THEN the rule reports it with its id, the value found and the fix
      const fix = c.fix ?? rule.fix;
      if (severity === RuleSeverity.ERROR) {
        const message = thrown ?? synthError(failing);
        expect(message).toBeDefined();
        expect(message).toContain(`[${rule.id}]`);
        expect(message).toContain(`Fix: ${fix}`);
        if (c.found) {
          expect(message).toContain(`found: ${c.found}`);
        }
      } else {
        expect(thrown).toBeUndefined();
        const warnings = warningsOf(failing, rule.id);
        expect(warnings.length).toBeGreaterThan(0);
        expect(warnings.join('\n')).toContain(`Fix: ${fix}`);
        if (c.found) {
          expect(warnings.join('\n')).toContain(`found: ${c.found}`);
        }
      }

      // GIVEN the boundary configuration that is fine
      const passing = new RuleEnv(c.passEnv ?? c.env);
      c.pass(passing);
      // THEN synth succeeds without the rule's finding
      expect(synthError(passing)).toBeUndefined();
      expect(warningsOf(passing, rule.id)).toEqual([]);
    });
  });
}

/** Synthesizes and returns the template of the env's stack. */
export function templateOf(env: RuleEnv): Template {
  return Template.fromStack(env.stack);
}
