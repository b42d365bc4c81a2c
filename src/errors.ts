import { IConstruct } from 'constructs';

/** An error in the library's message format: `[RuleId] path: problem (found: value). Fix: fix`. */
export function pathError(path: string, problem: string, value: string, fix: string, ruleId?: string): Error {
  return new Error(`${ruleId ? `[${ruleId}] ` : ''}${path}: ${problem} (found: ${value}). Fix: ${fix}`);
}

/** A construct-time error about `scope`, in the library's message format. */
export function propError(scope: IConstruct, problem: string, value: string, fix: string, ruleId?: string): Error {
  return pathError(scope.node.path, problem, value, fix, ruleId);
}
