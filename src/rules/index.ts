import { IConstruct } from 'constructs';
import { propError } from '../errors';
import { ALL_RULES, RETIRED_RULES } from './catalog';
import { recordRelaxation } from './relax';

/**
 * The library's rule catalog: what Service Connect will not run, checked at `cdk synth`.
 * See RULES.md for every rule, its trigger and its fix.
 */
export class ServiceConnectRules {
  /** The id of every rule, in catalog order. */
  public static readonly RULE_IDS: string[] = ALL_RULES.map((rule) => rule.id);

  /**
   * Ids of rules the current Service Connect guide no longer supports. `relax` still accepts them, and
   * they relax nothing; RULES.md says why each was retired.
   */
  public static readonly RETIRED_RULE_IDS: string[] = RETIRED_RULES.map((rule) => rule.id);

  /**
   * Relaxes a rule on a construct and everything below it: its errors no longer fail synth and its
   * warnings are no longer reported. The reason is required and is recorded in the cloud assembly
   * metadata of `scope` (`cdk-service-connect:relaxed`).
   *
   * @param scope the construct subtree the rule is relaxed on (a service, a stack, the app)
   * @param ruleId the rule's id, e.g. `ProxyCpuHeadroom`, or the id of a retired rule (accepted, relaxes nothing)
   * @param reason why the rule does not apply here
   */
  public static relax(scope: IConstruct, ruleId: string, reason: string): void {
    if (!ServiceConnectRules.RULE_IDS.includes(ruleId) && !ServiceConnectRules.RETIRED_RULE_IDS.includes(ruleId)) {
      throw propError(scope, 'cannot relax an unknown rule', `'${ruleId}'`, `use one of ${ServiceConnectRules.RULE_IDS.join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw propError(scope, `relaxing ${ruleId} needs a reason`, 'an empty reason', 'say why the rule does not apply here');
    }
    recordRelaxation(scope, ruleId, reason);
  }
}
