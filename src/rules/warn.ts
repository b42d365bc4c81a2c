import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Adds a warning with an acknowledgement id on `scope`, and makes an acknowledgement on `scope` itself
 * suppress it with every aws-cdk-lib the library accepts.
 *
 * The library adds its warnings at synth, so after the user's `Annotations.of(service).acknowledgeWarning(id)`.
 * aws-cdk-lib then suppresses a warning acknowledged on one of the construct's scopes; but up to its fix of
 * aws/aws-cdk#38820 (September 2026, after the floor 2.178.0) it left the construct's own path out of that
 * search, so the warning appeared anyway. When the construct itself carries the acknowledgement and the warning
 * was added regardless, acknowledging it again through the public API removes it.
 */
export function addAcknowledgeableWarning(scope: IConstruct, id: string, message: string): void {
  const annotations = Annotations.of(scope);
  annotations.addWarningV2(id, message);
  if (acknowledgedOnItself(scope, id) && scope.node.metadata.some((entry) => entry.type === 'aws:cdk:warning' && String(entry.data).includes(`[ack: ${id}]`))) {
    annotations.acknowledgeWarning(id, 'acknowledged on this construct');
  }
}

/**
 * Whether `id` is acknowledged on `scope` itself, unconditionally. aws-cdk-lib keeps its acknowledgements on the
 * App under a global symbol (shared by every copy of aws-cdk-lib in a process, hence stable across versions),
 * keyed by construct path without the leading slash. Anything unexpected there reads as "not acknowledged", which
 * leaves aws-cdk-lib's own behaviour unchanged.
 */
function acknowledgedOnItself(scope: IConstruct, id: string): boolean {
  const registry = (scope.node.root as unknown as Record<symbol, { acks?: unknown } | undefined>)[Symbol.for('@aws-cdk/core.Acknowledgements')];
  if (!(registry?.acks instanceof Map)) {
    return false;
  }
  // 2.178 keeps a Set of ids per path; later versions a Map from id to records with an optional `where` filter,
  // which applies to warnings with a matching context (the library's have none).
  const ids: unknown = registry.acks.get(scope.node.path.replace(/^\//, ''));
  if (ids instanceof Set) {
    return ids.has(id);
  }
  if (ids instanceof Map) {
    const records: unknown = ids.get(id);
    return Array.isArray(records) && records.some((record) => Object.keys(record?.where ?? {}).length === 0);
  }
  return false;
}
