import { IConstruct } from 'constructs';

/** Metadata type under which a relaxation and its reason are recorded, in the tree and the cloud assembly. */
export const RELAXED_METADATA = 'cdk-service-connect:relaxed';

/** A relaxation as recorded in the construct's metadata. */
interface Relaxation {
  readonly ruleId: string;
  readonly reason: string;
}

/** Records a relaxation. The caller has checked the id and the reason. */
export function recordRelaxation(scope: IConstruct, ruleId: string, reason: string): void {
  // The reason travels with the cloud assembly, next to the construct it applies to.
  scope.node.addMetadata(RELAXED_METADATA, { ruleId, reason } satisfies Relaxation);
}

/** The reason `ruleId` is relaxed on `construct` or one of its scopes, if it is (the nearest scope wins). */
export function relaxationOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entries = scope.node.metadata.filter((entry) => entry.type === RELAXED_METADATA).map((entry) => entry.data as Relaxation);
    const found = entries.reverse().find((entry) => entry.ruleId === ruleId);
    if (found) {
      return found.reason;
    }
  }
  return undefined;
}
