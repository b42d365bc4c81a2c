import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  discoveryNameFormat, endpointRequired, ingressPortOverride, perRequestTimeoutProtocol, portMappingNameExists,
} from './endpoint-rules';
import type { NamespaceFacts, ServiceFacts } from './facts';
import { discoveryNameUnique, endpointUnique, namespaceSizeThreshold } from './namespace-rules';
import {
  circuitBreakerNotSupported, ec2CapacityProviderStrategy, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported,
  fargatePlatformVersion, namespaceSameRegion, regionSupported, rollingDeploymentOnly,
} from './platform-rules';
import { relaxationOf } from './relax';
import { formatFinding, Rule, RuleInfo, RuleSeverity } from './rule';
import {
  fargateMinimumMemory, portNameNetworkMode, proxyCpuHeadroom, proxyMemoryHeadroom, taskMemoryAboveContainers, taskMemoryRequired,
  windowsNotSupported,
} from './task-rules';
import { connectAcrossNamespaces, connectCycle, crossVpcConnectivity } from './topology-rules';

/** Rules that inspect one service. */
export const SERVICE_RULES: Rule<ServiceFacts>[] = [
  taskMemoryRequired,
  taskMemoryAboveContainers,
  proxyMemoryHeadroom,
  proxyCpuHeadroom,
  fargateMinimumMemory,
  windowsNotSupported,
  fargatePlatformVersion,
  ec2CapacityProviderStrategy,
  ec2InstanceAmi,
  ec2InstancePollPermission,
  externalNotSupported,
  rollingDeploymentOnly,
  circuitBreakerNotSupported,
  endpointRequired,
  portMappingNameExists,
  portNameNetworkMode,
  discoveryNameFormat,
  ingressPortOverride,
  perRequestTimeoutProtocol,
  namespaceSameRegion,
  regionSupported,
  connectCycle,
  connectAcrossNamespaces,
  crossVpcConnectivity,
];

/** Rules that see a whole namespace, across every stack of the app. */
export const NAMESPACE_RULES: Rule<NamespaceFacts>[] = [
  namespaceSizeThreshold,
  discoveryNameUnique,
  endpointUnique,
];

/** Every rule, in the order of the specification's catalog, for RULES.md and `relax`. */
export const ALL_RULES: RuleInfo[] = [
  taskMemoryRequired, taskMemoryAboveContainers, proxyMemoryHeadroom, proxyCpuHeadroom, fargateMinimumMemory,
  namespaceSizeThreshold, windowsNotSupported, fargatePlatformVersion, ec2CapacityProviderStrategy, ec2InstanceAmi,
  ec2InstancePollPermission, externalNotSupported, rollingDeploymentOnly, circuitBreakerNotSupported, endpointRequired,
  portMappingNameExists, portNameNetworkMode, discoveryNameUnique, endpointUnique, discoveryNameFormat, ingressPortOverride,
  perRequestTimeoutProtocol, namespaceSameRegion, regionSupported, connectCycle, connectAcrossNamespaces, crossVpcConnectivity,
];

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
        Annotations.of(target).addWarningV2(`cdk-service-connect:${rule.id}`, message);
      }
    }
  }
  return errors;
}
