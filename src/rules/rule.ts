import { pathError } from '../errors';

/**
 * How a rule finding is reported.
 */
export enum RuleSeverity {
  /** The configuration will not run on Service Connect: `cdk synth` fails. */
  ERROR = 'error',
  /** The configuration runs but is risky: a CDK warning annotation that can be acknowledged. */
  WARNING = 'warning',
}

/**
 * One thing a rule found wrong. Internal: checks return these, the engine formats them.
 */
export interface Finding {
  /** What is wrong, in a phrase (no trailing period). */
  readonly problem: string;
  /** The offending value, as the user wrote it. */
  readonly value: string;
  /** Overrides the rule's generic fix with a fix specific to this finding. */
  readonly fix?: string;
  /** Overrides the rule's severity for this finding (rules marked "error / warn" in the catalog). */
  readonly severity?: RuleSeverity;
  /** Path of the construct the finding is about, when not the inspected one (namespace-wide rules). */
  readonly path?: string;
}

/** What RULES.md and the messages need of a rule. */
export type RuleInfo = Omit<Rule<unknown>, 'check'>;

/** What a rule inspects: one service, or a whole namespace with every member. */
export type RuleSubject = 'service' | 'namespace';

/**
 * A rule as data plus a pure check. `S` is the plain-data snapshot the rule inspects.
 */
export interface Rule<S> {
  /** Stable id, used in messages, annotations and `relax` calls. */
  readonly id: string;
  /** Whether the rule inspects a service's facts or a namespace's. */
  readonly appliesTo: RuleSubject;
  readonly severity: RuleSeverity;
  /** How the severity reads in RULES.md when a rule reports at more than one level (e.g. `error / warning`). */
  readonly severityDetail?: string;
  /** What triggers the rule, for RULES.md. */
  readonly trigger: string;
  /** How to fix it. */
  readonly fix: string;
  /** The paragraph of the 2023 Service Connect guide (the seed) the rule started from; '-' for a rule the seed does not have. */
  readonly seed: string;
  /** The current guide page or API reference the rule follows. */
  readonly source: string;
  /**
   * Why `ServiceConnectRules.relax` refuses this rule, for a rule the library cannot work around when
   * relaxed (it cannot build what the rule refuses). Undefined for a rule that can be relaxed.
   */
  readonly notRelaxable?: string;
  readonly check: (subject: S) => Finding[];
}

/** Formats a finding as `[RuleId] path: problem (found: value). Fix: ...`. */
export function formatFinding(rule: RuleInfo, path: string, finding: Finding): string {
  return pathError(finding.path ?? path, finding.problem, finding.value, finding.fix ?? rule.fix, rule.id).message;
}
