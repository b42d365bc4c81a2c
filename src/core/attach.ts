import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { pathError } from '../errors';
import type { ServiceConnectAttachOptions, ServiceConnectServiceProps } from '../service-props';

/*
 * `ClientService.attach` and `ClientServerService.attach` call the constructors with props that carry,
 * under a symbol (invisible to jsii and to the check of unknown props), the ECS service to attach to.
 */

const ATTACH_TO = Symbol.for('cdk-service-connect.attachTo');

/** What an `attach` call hands to the constructor. */
export interface AttachTarget {
  readonly service: ecs.BaseService;
  /** Whether the endpoints are read from the service's own configuration (none were given). */
  readonly endpointsFromService: boolean;
}

/** The options an attach call takes; anything else is refused rather than dropped. */
const ATTACH_OPTIONS = ['service', 'namespace', 'connectsTo', 'proxyLogs', 'accessLogs', 'expectedPeakRequestsPerSecond', 'endpoints', 'alarms', 'redeployOnEndpointChange'];

/** The props that make a service construct attach to `options.service` instead of building one. */
export function attachRequest(
  scope: IConstruct, id: string, options: ServiceConnectAttachOptions, endpointsFromService: boolean,
): ServiceConnectServiceProps {
  const path = scope.node.path ? `${scope.node.path}/${id}` : id;
  const service: unknown = options?.service;
  if (!(service instanceof ecs.BaseService) || !(service.node.defaultChild instanceof ecs.CfnService)) {
    throw pathError(path, 'attach needs an ECS service built in this app', `service ${service instanceof Object ? (service as IConstruct).node?.path ?? 'object' : String(service)}`,
      'pass an `ecs.FargateService` or `ecs.Ec2Service` (or the `service` of an aws-ecs-patterns construct)');
  }
  const given = options as unknown as Record<string, unknown>;
  const unknown = Object.keys(options).filter((key) => !ATTACH_OPTIONS.includes(key) && given[key] !== undefined);
  if (unknown.length > 0) {
    throw pathError(path, 'options attach does not take: the ECS service keeps its own settings', unknown.join(', '),
      'set them on the ECS service itself; attach takes namespace, endpoints, connectsTo, proxyLogs, accessLogs, expectedPeakRequestsPerSecond, redeployOnEndpointChange and alarms');
  }
  const target: AttachTarget = { service, endpointsFromService };
  return Object.assign({
    cluster: service.cluster,
    namespace: options.namespace,
    connectsTo: options.connectsTo,
    proxyLogs: options.proxyLogs,
    accessLogs: options.accessLogs,
    expectedPeakRequestsPerSecond: options.expectedPeakRequestsPerSecond,
    redeployOnEndpointChange: options.redeployOnEndpointChange,
  }, { [ATTACH_TO]: target });
}

/** The ECS service the props ask to attach to, if they come from `attach`. */
export function attachTargetOf(props: ServiceConnectServiceProps): AttachTarget | undefined {
  return (props as unknown as Record<symbol, AttachTarget | undefined>)[ATTACH_TO];
}
