/**
 * How many cases a property test runs.
 *
 * `npm test` runs every property with a few cases, so that a broken invariant still fails it fast;
 * `npx projen test:properties` (run by `.ci/run`) sets `FC_FULL=1` and runs each property with its full
 * count. `FC_RUNS=<n>` overrides both, and `FC_SEED=<n>` picks the seed, to explore by hand.
 */
export function propertyRuns(full: number, quick: number = 3): number {
  if (process.env.FC_RUNS) return Number(process.env.FC_RUNS);
  return process.env.FC_FULL ? full : Math.min(full, quick);
}
