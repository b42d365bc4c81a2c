import { accessLogsNeedProxyLogs } from './access-log-rules';
import { blueGreenBakeTime, redeployOnEndpointChange, testTrafficHeaderName, testTrafficProtocol } from './deployment-rules';
import {
  bridgeIngressPortOverride, discoveryNameFormat, endpointPort, endpointRequired, ingressPortOverride, perRequestTimeoutProtocol,
  portMappingNameExists,
} from './endpoint-rules';
import type { NamespaceFacts, ServiceFacts } from './facts';
import { discoveryNameUnique, endpointUnique, namespaceServiceLimit, namespaceSizeThreshold } from './namespace-rules';
import { cloudMapServiceLookup, outsideCallerAnyAddress, outsideCallerPort, privateIntegrationAcrossAccounts } from './outside-rules';
import {
  bottlerocketNotSupported, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported, managedInstancesUnconfirmed,
  fargatePlatformVersion, namespaceNameFormat, namespaceSameRegion, regionSupported, serviceNameFormat, rollingDeploymentOnly,
  serviceConnectConfigurationConflict,
} from './platform-rules';
import { Rule } from './rule';
import {
  fargateMinimumMemory, portNameNetworkMode, proxyCpuHeadroom, proxyMemoryHeadroom, taskMemoryAboveContainers, taskMemoryRequired,
  windowsNotSupported,
} from './task-rules';
import { tlsCertificateAuthorityArn, tlsCertificateAuthorityTag, tlsKmsKeySymmetric, tlsNetworkMode } from './tls-rules';
import {
  connectAcrossNamespaces, connectCycle, crossAccountIngress, crossVpcConnectivity, instanceSecurityGroupIngress, sharedSecurityGroup,
} from './topology-rules';

/** A rule of the catalog: it inspects one service or one namespace. */
export type CatalogRule = Rule<ServiceFacts> | Rule<NamespaceFacts>;

/**
 * The rule catalog, declared once, in the order RULES.md lists it. The engine, `relax`, RULES.md and
 * the `ServiceConnectChecks` aspect all read this list.
 */
export const ALL_RULES: CatalogRule[] = [
  taskMemoryRequired, taskMemoryAboveContainers, proxyMemoryHeadroom, proxyCpuHeadroom, fargateMinimumMemory,
  namespaceSizeThreshold, namespaceServiceLimit, windowsNotSupported, fargatePlatformVersion, ec2InstanceAmi, bottlerocketNotSupported,
  ec2InstancePollPermission, managedInstancesUnconfirmed, externalNotSupported, rollingDeploymentOnly, endpointRequired,
  portMappingNameExists, portNameNetworkMode, discoveryNameUnique, endpointUnique, discoveryNameFormat, endpointPort, ingressPortOverride,
  bridgeIngressPortOverride, perRequestTimeoutProtocol, namespaceNameFormat, namespaceSameRegion, regionSupported, serviceNameFormat,
  serviceConnectConfigurationConflict, tlsNetworkMode, tlsCertificateAuthorityArn, tlsCertificateAuthorityTag, tlsKmsKeySymmetric,
  accessLogsNeedProxyLogs, testTrafficProtocol, testTrafficHeaderName, blueGreenBakeTime, redeployOnEndpointChange, connectCycle,
  connectAcrossNamespaces, crossVpcConnectivity, crossAccountIngress, sharedSecurityGroup, instanceSecurityGroupIngress, outsideCallerAnyAddress,
  outsideCallerPort, cloudMapServiceLookup, privateIntegrationAcrossAccounts,
];

/** Rules that inspect one service. */
export const SERVICE_RULES = ALL_RULES.filter((rule): rule is Rule<ServiceFacts> => rule.appliesTo === 'service');

/** Rules that see a whole namespace, across every stack of the app. */
export const NAMESPACE_RULES = ALL_RULES.filter((rule): rule is Rule<NamespaceFacts> => rule.appliesTo === 'namespace');

/** A rule the current guide no longer supports. Its id stays accepted by `relax`, so users' code keeps compiling. */
export interface RetiredRule {
  readonly id: string;
  readonly reason: string;
}

/** Rules retired because the current guide dropped the constraint. */
export const RETIRED_RULES: RetiredRule[] = [
  {
    id: 'CircuitBreakerNotSupported',
    reason: 'The current guide no longer forbids the deployment circuit breaker (the bullet was gone by April 2023). ECS allows it with rolling deployments, as for any service.',
  },
  {
    id: 'Ec2CapacityProviderStrategy',
    reason: 'The current guide no longer requires the EC2 launch type on EC2 instances (the bullet was gone by April 2023); capacity provider strategies work.',
  },
];
