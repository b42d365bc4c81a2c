import { Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { CallerNames, CallerSource, CallerSumMetric, noCallerError } from './caller-metrics';
import type { ResolvedEndpoint } from '../endpoint';
import { pathError, propError } from '../errors';
import type { IServiceConnectServer, ServiceConnectMetricOptions, ServiceConnectTargetMetricOptions } from '../types';
import { serviceConnectMetric } from './metrics';

/** Where a service's metrics come from: its names in ECS, and its endpoints. */
export interface MetricSource {
  readonly scope: IConstruct;
  /** The cluster's name; undefined when not known (a server defined outside the app). */
  readonly clusterName?: string;
  /** The ECS service's name; undefined when not known. */
  readonly serviceName?: string;
  readonly endpoints: () => ResolvedEndpoint[];
  /** The services of the app that call this one, now. */
  readonly callers: () => CallerNames[];
  /** Whether a target is in this service's namespace: its proxies publish target metrics only for those. */
  readonly inNamespace?: (target: IServiceConnectServer) => boolean;
}

/**
 * The metric factory of one service (dimensions defined once, here): inbound metrics of its own endpoints,
 * and target metrics of its endpoints (summed over its callers) or of a server it calls.
 */
export class ServiceConnectMetricFactory {
  private readonly problems = new Map<string, string>();
  private readonly taken: CallerSumMetric[] = [];
  private readonly callerSource: CallerSource;

  constructor(private readonly source: MetricSource) {
    this.callerSource = {
      scope: source.scope,
      callers: source.callers,
      report: (key, message) => this.problems.set(key, message),
      track: (metric) => this.taken.push(metric),
    };
  }

  /**
   * An inbound metric: dimensions `ClusterName`, `ServiceName` (this service) and `DiscoveryName`. The
   * `DiscoveryName` set alone is account-wide, so a server without known names is refused.
   */
  public inbound(metricName: string, options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    const { discoveryName, ...metricOptions } = options;
    const name = discoveryName ?? this.source.endpoints()[0]?.discoveryName;
    if (name === undefined) {
      throw propError(this.source.scope, `${metricName} needs an endpoint to measure`, 'no endpoint', 'add an endpoint (see rule EndpointRequired)');
    }
    const { clusterName, serviceName } = this.source;
    if (clusterName === undefined || serviceName === undefined) {
      throw propError(this.source.scope, `${metricName} is scoped to this server by its cluster and service names; by discovery name alone `
        + 'CloudWatch adds up every namespace and cluster of the account that uses it', 'a server defined outside the app without them',
      'pass `clusterName` and `serviceName` to `ClientServerService.fromAttributes`', 'MetricNeedsServiceNames');
    }
    return serviceConnectMetric(metricName, { ClusterName: clusterName, ServiceName: serviceName, DiscoveryName: name }, metricOptions);
  }

  /**
   * A target metric: with a `target`, as this service's proxies see it (dimensions `ClusterName`,
   * `ServiceName` of this service, `TargetDiscoveryName`); without, this service's own endpoint as its
   * callers see it, summed over them (see `CallerSumMetric`).
   */
  public target(metricName: string, options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    const { target, discoveryName, ...metricOptions } = options;
    if (target) {
      const name = discoveryName ?? target.endpoints[0]?.discoveryName;
      if (name === undefined) {
        throw propError(this.source.scope, 'the target exposes no endpoint to measure', target.node.path, 'pass a ClientServerService with endpoints as `target`');
      }
      if (this.source.inNamespace && !this.source.inNamespace(target)) {
        throw propError(this.source.scope, `${metricName} of a target in another namespace is never published: this service's proxy can call only servers of its own namespace`,
          `target ${target.node.path}`, 'measure a server of this service\'s namespace, or measure the target from its own callers (`server.metricX()`)', 'MetricTargetNamespace');
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
    return this.callerSum([metricName], own, metricOptions);
  }

  /** The sum over this server's callers of their metrics `metricNames` of endpoint `discoveryName`. */
  public callerSum(metricNames: string[], discoveryName: string, options: cloudwatch.MetricOptions = {}): CallerSumMetric {
    return new CallerSumMetric(this.callerSource, { metricNames, discoveryName, options });
  }

  /**
   * The metric of one caller, for a resource made once the call graph is final: not tracked by
   * MetricCallersChanged, since its caller cannot change.
   */
  public ofCaller(caller: CallerNames, metricNames: string[], discoveryName: string, options: cloudwatch.MetricOptions = {}): CallerSumMetric {
    return new CallerSumMetric({ ...this.callerSource, callers: () => [caller], track: () => undefined }, { metricNames, discoveryName, options });
  }

  /** The callers of this server now. */
  public callers(): CallerNames[] {
    return this.source.callers();
  }

  /**
   * Problems found at synth: references that would make stacks depend on each other, and alarms that
   * rendered a caller sum before every caller was declared (an alarm renders its metric when it is created).
   */
  public validate(): string[] {
    if (this.taken.length === 0) {
      return [...this.problems.values()];
    }
    const callers = this.source.callers();
    const stale = this.taken.filter((metric) => metric.renderedOtherCallersThan(callers));
    const messages = [...this.problems.values()];
    const uncounted = callers.length === 0 ? this.taken.find((metric) => metric.renderedWithoutCallers) : undefined;
    if (uncounted) {
      messages.push(noCallerError(this.source.scope, uncounted.metricName).message);
    }
    if (stale.length > 0) {
      const root = Stage.of(this.source.scope) ?? this.source.scope.node.root;
      for (const alarm of root.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm)) {
        const rendered = renderedExpressions(alarm);
        const kept = stale.filter((metric) => uses(alarm.metric, metric) && !rendered.includes(metric.expressionOf(callers).expression));
        if (kept.length > 0) {
          messages.push(pathError(alarm.node.path, `the alarm rendered ${kept.map(String).join(', ')} of ${this.source.scope.node.path} before every caller `
            + 'was declared: an alarm renders its metric when it is created', `callers now: ${callers.map((c) => c.path).join(', ')}`,
          'declare every caller (`connectsTo`, `connectTo`) before creating the alarm, or use the library\'s `alarms`, which are rendered at synth',
          'MetricCallersChanged').message);
        }
      }
    }
    return messages;
  }
}

/** The expressions an alarm rendered. */
function renderedExpressions(alarm: cloudwatch.Alarm): string[] {
  const metrics = (alarm.node.defaultChild as cloudwatch.CfnAlarm).metrics;
  return Array.isArray(metrics) ? metrics.map((q) => (q as cloudwatch.CfnAlarm.MetricDataQueryProperty).expression).filter((e): e is string => typeof e === 'string') : [];
}

/** Whether `metric` is `target`, or math over it. */
function uses(metric: cloudwatch.IMetric, target: CallerSumMetric): boolean {
  return metric === target || (metric instanceof cloudwatch.MathExpression && Object.values(metric.usingMetrics).some((m) => uses(m, target)));
}
