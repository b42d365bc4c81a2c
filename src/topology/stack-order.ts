import { Stack } from 'aws-cdk-lib';
import { findPath } from './path';

/*
 * The deployment order between stacks that the library's own references imply: a namespace's stack
 * deploys before its services' stacks, and a rule placed in one stack that references another stack's
 * security group deploys after it. aws-cdk-lib turns those references into stack dependencies only at
 * synth, and fails then on a cycle; this graph lets the topology see a cycle coming and refuse the edge
 * with a rule message instead.
 */

/** For each stack, the stacks known to deploy before it. */
const before = new WeakMap<Stack, Set<Stack>>();

/** Records that `first` deploys before `then`. */
export function orderStacks(first: Stack, then: Stack): void {
  if (first === then) {
    return;
  }
  let set = before.get(then);
  if (!set) {
    set = new Set();
    before.set(then, set);
  }
  set.add(first);
}

/** Stacks known to deploy before `stack`: the library's own order plus its explicit stack dependencies. */
function predecessors(stack: Stack): Stack[] {
  return [...(before.get(stack) ?? []), ...stack.dependencies];
}

/**
 * A chain of stacks from `from` to `to` in which each deploys before the next, or undefined.
 * `from === to` is no chain. Searched backwards from `to`, so only stacks that must precede it are
 * visited (never the whole construct tree).
 */
export function stackChain(from: Stack, to: Stack): Stack[] | undefined {
  if (from === to) {
    return undefined;
  }
  return findPath(to, from, predecessors)?.reverse();
}
