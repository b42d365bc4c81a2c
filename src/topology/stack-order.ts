import { Stack } from 'aws-cdk-lib';

/*
 * The deployment order between stacks that the library's own references imply: a namespace's stack
 * deploys before its services' stacks, and a rule placed in one stack that references another stack's
 * security group deploys after it. aws-cdk-lib turns those references into stack dependencies only at
 * synth, and fails then on a cycle; this graph lets the topology see a cycle coming and refuse the edge
 * with a rule message instead.
 */

/** For each stack, the stacks known to deploy after it. */
const after = new WeakMap<Stack, Set<Stack>>();

/** Records that `first` deploys before `then`. */
export function orderStacks(first: Stack, then: Stack): void {
  if (first === then) {
    return;
  }
  let set = after.get(first);
  if (!set) {
    set = new Set();
    after.set(first, set);
  }
  set.add(then);
}

/** Stacks known to deploy after `stack`: the library's own order plus explicit stack dependencies. */
function successors(stack: Stack, all: Stack[]): Stack[] {
  const explicit = all.filter((other) => other.dependencies.includes(stack));
  return [...(after.get(stack) ?? []), ...explicit];
}

/**
 * A chain of stacks from `from` to `to` in which each deploys before the next, or undefined.
 * `from === to` is no chain.
 */
export function stackChain(from: Stack, to: Stack): Stack[] | undefined {
  if (from === to) {
    return undefined;
  }
  const all = from.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const visited = new Set<Stack>();
  const walk = (stack: Stack): Stack[] | undefined => {
    if (stack === to) {
      return [stack];
    }
    if (visited.has(stack)) {
      return undefined;
    }
    visited.add(stack);
    for (const next of successors(stack, all)) {
      const rest = walk(next);
      if (rest) {
        return [stack, ...rest];
      }
    }
    return undefined;
  };
  return walk(from);
}
