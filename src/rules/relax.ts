import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Metadata type under which a relaxation and its reason are recorded, in the tree and the cloud assembly. */
export const RELAXED_METADATA = 'cdk-service-connect:relaxed';

/** A relaxation as recorded in the construct's metadata. */
interface Relaxation {
  readonly ruleId: string;
  readonly reason: string;
  /**
   * On the copy a stack carries of a relaxation made above every stack (on the app or a stage): the path
   * of the scope it was made on (`''` for the app). The copy only records it; the original applies it.
   */
  readonly relaxedOn?: string;
}

/** Records a relaxation. The caller has checked the id and the reason. */
export function recordRelaxation(scope: IConstruct, ruleId: string, reason: string): void {
  // The reason travels with the cloud assembly, next to the construct it applies to.
  scope.node.addMetadata(RELAXED_METADATA, { ruleId, reason } satisfies Relaxation);
}

/**
 * Copies into `stack`'s metadata every relaxation made on a scope above it (the app, a stage): the cloud
 * assembly holds metadata per stack only, so theirs would be lost. The app model and the checks call it
 * for each stack they visit, so it runs in every stage where a rule of the library runs. Idempotent.
 */
export function recordInheritedRelaxations(stack: Stack): void {
  const known = (entry: Relaxation) => stack.node.metadata.some((m) => m.type === RELAXED_METADATA
    && (m.data as Relaxation).ruleId === entry.ruleId && (m.data as Relaxation).relaxedOn === entry.relaxedOn);
  for (const scope of stack.node.scopes.filter((s) => s !== stack)) {
    for (const entry of scope.node.metadata.filter((m) => m.type === RELAXED_METADATA).map((m) => m.data as Relaxation)) {
      const copy: Relaxation = { ruleId: entry.ruleId, reason: entry.reason, relaxedOn: scope.node.path };
      if (entry.relaxedOn === undefined && !known(copy)) {
        stack.node.addMetadata(RELAXED_METADATA, copy);
      }
    }
  }
}

/** The reason `ruleId` is relaxed on `construct` or one of its scopes, if it is (the nearest scope wins). */
export function relaxationOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entries = scope.node.metadata.filter((entry) => entry.type === RELAXED_METADATA).map((entry) => entry.data as Relaxation)
      .filter((entry) => entry.relaxedOn === undefined);
    const found = entries.reverse().find((entry) => entry.ruleId === ruleId);
    if (found) {
      return found.reason;
    }
  }
  return undefined;
}
