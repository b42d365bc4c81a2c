import { IConstruct } from 'constructs';

/** Rule ids relaxed on each construct, with the reason. */
const relaxed = new WeakMap<IConstruct, Map<string, string>>();

/** Records a relaxation. The caller has checked the id and the reason. */
export function recordRelaxation(scope: IConstruct, ruleId: string, reason: string): void {
  let rules = relaxed.get(scope);
  if (!rules) {
    rules = new Map();
    relaxed.set(scope, rules);
  }
  rules.set(ruleId, reason);
  // The reason travels with the cloud assembly, next to the construct it applies to.
  scope.node.addMetadata('cdk-service-connect:relaxed', { ruleId, reason });
}

/** The reason `ruleId` is relaxed on `construct` or one of its scopes, if it is. */
export function relaxationOf(construct: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const reason = relaxed.get(scope)?.get(ruleId);
    if (reason !== undefined) {
      return reason;
    }
  }
  return undefined;
}
