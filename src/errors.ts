import { IConstruct } from 'constructs';

/** A construct-time error in the library's message format: `[RuleId] path: problem (found: value). Fix: fix`. */
export function propError(scope: IConstruct, problem: string, value: string, fix: string, ruleId?: string): Error {
  return new Error(`${ruleId ? `[${ruleId}] ` : ''}${scope.node.path}: ${problem} (found: ${value}). Fix: ${fix}`);
}
