import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** An error in the library's message format: `[RuleId] path: problem (found: value). Fix: fix`. */
export function pathError(path: string, problem: string, value: string, fix: string, ruleId?: string): Error {
  return new Error(`${ruleId ? `[${ruleId}] ` : ''}${path}: ${problem} (found: ${value}). Fix: ${fix}`);
}

/** A construct-time error about `scope`, in the library's message format. */
export function propError(scope: IConstruct, problem: string, value: string, fix: string, ruleId?: string): Error {
  return pathError(scope.node.path, problem, value, fix, ruleId);
}

/**
 * How a value given from JavaScript reads in a message: a construct by its path, a list item by item,
 * anything else by its type; a missing value as `nothing`, so that no message says "undefined".
 */
export function describeGiven(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(describeGiven).join(', ')}]`;
  }
  const path = (value as IConstruct | undefined)?.node?.path;
  return typeof path === 'string' ? path : value === undefined ? 'nothing' : value === null ? 'null' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

/**
 * The first of `keys` whose value in `given` is neither undefined nor of type `type`, as `key: found`, for a
 * message about props given from JavaScript; undefined when all are fine.
 */
export function wrongType(given: object, keys: string[], type: 'string' | 'number'): string | undefined {
  const values = given as Record<string, unknown>;
  const key = keys.find((k) => values[k] !== undefined && typeof values[k] !== type);
  return key === undefined ? undefined : `${key} ${describeGiven(values[key])}`;
}

/** A name as a message shows it: the name itself, or `(a token)` when it is known only at deploy time. */
export function describeName(name: string): string {
  return Token.isUnresolved(name) ? '(a token)' : name;
}

/** A number as a message shows it: the number itself, or `(a token)` when it is known only at deploy time (never its placeholder). */
export function describeNumber(value: number): string {
  return Token.isUnresolved(value) ? '(a token)' : String(value);
}
