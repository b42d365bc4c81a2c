import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { relaxationOf } from './relax';
import { formatFinding, Rule, RuleSeverity } from './rule';
import { addAcknowledgeableWarning } from './warn';

/**
 * Runs `rules` against `facts`. Returns the error messages (for `node.addValidation`) and annotates the
 * warnings, with the rule id as the annotation id, on the construct each finding is about: `subject`,
 * or the member of `members` at the finding's path. Findings on a construct under a `relax` for that
 * rule are skipped, with an info annotation carrying the reason. Synthesizing twice does not repeat an
 * annotation: aws-cdk-lib drops one identical to a message the construct already has.
 */
export function evaluate<S>(subject: IConstruct, rules: Rule<S>[], facts: S, members: Map<string, IConstruct> = new Map()): string[] {
  const errors: string[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(facts)) {
      const target = (finding.path !== undefined ? members.get(finding.path) : undefined) ?? subject;
      const message = formatFinding(rule, target.node.path, finding);
      const reason = relaxationOf(target, rule.id);
      if (reason !== undefined) {
        Annotations.of(target).addInfo(`${rule.id} relaxed: ${reason}. Skipped: ${message}`);
      } else if ((finding.severity ?? rule.severity) === RuleSeverity.ERROR) {
        errors.push(message);
      } else {
        addAcknowledgeableWarning(target, `cdk-service-connect:${rule.id}`, message);
      }
    }
  }
  return errors;
}
