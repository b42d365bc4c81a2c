import { IConstruct } from 'constructs';
import { describeGiven, pathError, propError } from '../errors';
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
   * metadata of `scope` (`cdk-service-connect:relaxed`). The cloud assembly has no metadata of the app
   * or a stage: relaxed on one, the reason is recorded, with `relaxedOn` (the scope's path), in every stack
   * below it where the library's constructs or `ServiceConnectChecks` run.
   *
   * @param scope the construct subtree the rule is relaxed on (a service, a stack, the app)
   * @param ruleId the rule's id, e.g. `ProxyCpuHeadroom`, or the id of a retired rule (accepted, relaxes nothing);
   * a rule RULES.md lists as not relaxable is refused
   * @param reason why the rule does not apply here
   */
  public static relax(scope: IConstruct, ruleId: string, reason: string): void {
    if (typeof scope?.node?.addMetadata !== 'function') {
      throw pathError('ServiceConnectRules.relax', 'relax needs a construct to relax the rule on', describeGiven(scope),
        'pass the construct subtree: a service, a stack or the app');
    }
    if (!ServiceConnectRules.RULE_IDS.includes(ruleId) && !ServiceConnectRules.RETIRED_RULE_IDS.includes(ruleId)) {
      throw propError(scope, 'cannot relax an unknown rule', typeof ruleId === 'string' ? `'${ruleId}'` : describeGiven(ruleId),
        `use one of ${ServiceConnectRules.RULE_IDS.join(', ')}`);
    }
    const rule = ALL_RULES.find((r) => r.id === ruleId);
    if (rule?.notRelaxable) {
      throw propError(scope, 'this rule cannot be relaxed', `relax('${ruleId}'): ${rule.notRelaxable}`, rule.fix, ruleId);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw propError(scope, `relaxing ${ruleId} needs a reason`, 'an empty reason', 'say why the rule does not apply here');
    }
    recordRelaxation(scope, ruleId, reason);
  }
}
