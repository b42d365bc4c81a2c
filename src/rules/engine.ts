import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { endpointRequired, ingressPortOverride, portMappingNameExists } from './endpoint-rules';
import type { ServiceFacts } from './facts';
import { formatFinding, Rule, RuleSeverity } from './rule';
import { connectAcrossNamespaces, connectCycle } from './topology-rules';

/** Every rule that inspects one service. */
export const SERVICE_RULES: Rule<ServiceFacts>[] = [
  endpointRequired,
  portMappingNameExists,
  ingressPortOverride,
  connectCycle,
  connectAcrossNamespaces,
];

/**
 * Runs `rules` against `facts`: returns the error messages (for `node.addValidation`) and adds the
 * warnings to `scope` as annotations whose id is the rule id.
 */
export function evaluate<S>(scope: IConstruct, rules: Rule<S>[], facts: S): string[] {
  const errors: string[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(facts)) {
      const message = formatFinding(rule, scope.node.path, finding);
      if ((finding.severity ?? rule.severity) === RuleSeverity.ERROR) {
        errors.push(message);
      } else {
        Annotations.of(scope).addWarningV2(`cdk-service-connect:${rule.id}`, message);
      }
    }
  }
  return errors;
}
