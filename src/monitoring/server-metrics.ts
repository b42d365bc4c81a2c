import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import type { ResolvedEndpoint } from '../endpoint';
import { propError } from '../errors';
import type { ServiceConnectMetricOptions, ServiceConnectTargetMetricOptions } from '../types';
import { serviceConnectMetric } from './metrics';

/** Where a service's metrics come from: its names in ECS, and its endpoints. */
export interface MetricSource {
  readonly scope: IConstruct;
  /** The cluster's name; undefined when not known (a server defined outside the app). */
  readonly clusterName?: string;
  /** The ECS service's name; undefined when not known. */
  readonly serviceName?: string;
  readonly endpoints: () => ResolvedEndpoint[];
}

/**
 * The metric factory of one service (dimensions defined once, here): inbound metrics of its own endpoints,
 * and target metrics of its endpoints or of a server it calls.
 */
export class ServiceConnectMetricFactory {
  constructor(private readonly source: MetricSource) {}

  /**
   * An inbound metric: dimensions `ClusterName`, `ServiceName` (this service) and `DiscoveryName`, or
   * `DiscoveryName` alone when the names are not known.
   */
  public inbound(metricName: string, options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    const { discoveryName, ...metricOptions } = options;
    const name = discoveryName ?? this.source.endpoints()[0]?.discoveryName;
    if (name === undefined) {
      throw propError(this.source.scope, `${metricName} needs an endpoint to measure`, 'no endpoint', 'add an endpoint (see rule EndpointRequired)');
    }
    const { clusterName, serviceName } = this.source;
    const names: Record<string, string> = clusterName !== undefined && serviceName !== undefined
      ? { ClusterName: clusterName, ServiceName: serviceName } : {};
    return serviceConnectMetric(metricName, { ...names, DiscoveryName: name }, metricOptions);
  }

  /**
   * A target metric: with a `target`, as this service's proxies see it (dimensions `ClusterName`,
   * `ServiceName` of this service, `TargetDiscoveryName`); without, this service's own endpoint as all
   * its callers see it (dimension `TargetDiscoveryName`).
   */
  public target(metricName: string, options: ServiceConnectTargetMetricOptions = {}): cloudwatch.Metric {
    const { target, discoveryName, ...metricOptions } = options;
    if (target) {
      const name = discoveryName ?? target.endpoints[0]?.discoveryName;
      if (name === undefined) {
        throw propError(this.source.scope, 'the target exposes no endpoint to measure', target.node.path, 'pass a ClientServerService with endpoints as `target`');
      }
      const { clusterName, serviceName } = this.source;
      if (clusterName === undefined || serviceName === undefined) {
        throw propError(this.source.scope, `${metricName} as this service calls a target needs the service's cluster and service names`,
          'a server defined outside the app without them', 'pass `clusterName` and `serviceName` to `ClientServerService.fromAttributes`');
      }
      return serviceConnectMetric(metricName, { ClusterName: clusterName, ServiceName: serviceName, TargetDiscoveryName: name }, metricOptions);
    }
    const own = discoveryName ?? this.source.endpoints()[0]?.discoveryName;
    if (own === undefined) {
      throw propError(this.source.scope, `${metricName} of a client needs the target it calls`, 'no `target`', 'pass `{ target: server }`');
    }
    return serviceConnectMetric(metricName, { TargetDiscoveryName: own }, metricOptions);
  }
}
