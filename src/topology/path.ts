/**
 * A path from `from` to `to` in a graph given by `next`, both ends included, or undefined.
 * Depth-first; each node is visited once.
 */
export function findPath<T>(from: T, to: T, next: (node: T) => Iterable<T>): T[] | undefined {
  const visited = new Set<T>();
  const walk = (node: T): T[] | undefined => {
    if (node === to) {
      return [node];
    }
    if (visited.has(node)) {
      return undefined;
    }
    visited.add(node);
    for (const neighbour of next(node)) {
      const rest = walk(neighbour);
      if (rest) {
        return [node, ...rest];
      }
    }
    return undefined;
  };
  return walk(from);
}
