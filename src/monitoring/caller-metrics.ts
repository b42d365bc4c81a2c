import * as crypto from 'crypto';
import { Duration, IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { defaultStatistic, DEFAULT_PERIOD, serviceConnectMetric } from './metrics';

/*
 * A server's target metrics, scoped to its own namespace and deployment.
 *
 * The proxies of the *calling* services publish target metrics (digest section 7), in two dimension
 * sets: `TargetDiscoveryName` alone, which CloudWatch aggregates over every namespace and cluster of the
 * account and Region that use the same discovery name (staging and prod alike), and `TargetDiscoveryName,
 * ServiceName, ClusterName`, where ServiceName and ClusterName name the calling service. A server's
 * metric is therefore the sum, over the callers the app declares, of their metrics in the second set.
 * Sums (statistics Sum and SampleCount) add up; any other statistic (averages, percentiles, extremes)
 * takes the worst caller, `MAX`: percentiles of different callers cannot be added.
 *
 * The callers are read from the call graph each time the metric is rendered, so graphs rendered at synth
 * see the finished graph. Alarms render their metric when they are created: each rendering is recorded,
 * and the server checks at synth that no alarm kept callers that changed since (rule MetricCallersChanged).
 */

/** A name a caller's dimension takes: a token, and the literal physical name when the app sets one. */
export interface NameRef {
  /** The name as the app knows it: literal, or a token (GetAtt, Ref). */
  readonly value: string;
  /** The physical name, when set explicitly: usable from any stack without an export. */
  readonly literal?: string;
  /** The construct that owns the name: a reference to it ties its stack to the consumer's. */
  readonly owner: IConstruct;
}

/** What a calling service contributes to a server's metrics: the dimension values of its own service. */
export interface CallerNames {
  /** The caller's construct path. */
  readonly path: string;
  readonly clusterName: NameRef;
  readonly serviceName: NameRef;
}

/** Where a server's caller-summed metrics come from. */
export interface CallerSource {
  /** The server. */
  readonly scope: IConstruct;
  /** The callers the app declares now, in path order. */
  readonly callers: () => CallerNames[];
  /** Records a problem that synth validation reports. */
  readonly report: (key: string, message: string) => void;
  /** Records a metric handed out, so that synth can check the alarms that rendered it. */
  readonly track: (metric: CallerSumMetric) => void;
}

/** The expression a caller sum renders while the server has no caller: a constant, never kept past synth. */
const NO_CALLERS = '0';

/** While positive, caller sums render a placeholder: the library's alarms render their metrics at synth. */
let deferring = 0;

/** Runs `build` with caller sums rendering a placeholder, for alarms whose metrics the library renders at synth. */
export function deferRendering<T>(build: () => T): T {
  deferring++;
  try {
    return build();
  } finally {
    deferring--;
  }
}

/** The statistics that add up over callers. */
function sums(statistic: string): boolean {
  return ['sum', 'samplecount'].includes(statistic.toLowerCase());
}

function shortHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/** Stacks `stack` deploys after, directly or not, as far as the app has declared so far. */
export function deploysAfter(stack: Stack, other: Stack): boolean {
  const seen = new Set<Stack>();
  const queue = [...stack.dependencies];
  while (queue.length > 0) {
    const next = queue.shift() as Stack;
    if (next === other) {
      return true;
    }
    if (!seen.has(next)) {
      seen.add(next);
      queue.push(...next.dependencies);
    }
  }
  return false;
}

/** Options of a caller sum. */
export interface CallerSumOptions {
  /** The metrics summed for each caller (HTTP status classes make a response count). */
  readonly metricNames: string[];
  readonly discoveryName: string;
  readonly options: cloudwatch.MetricOptions;
}

/**
 * A server's target metric as the sum (or, for statistics that do not add up, the maximum) over its
 * callers of their `TargetDiscoveryName, ServiceName, ClusterName` metrics. Not exported from the
 * package: users see a `cloudwatch.IMetric`.
 */
export class CallerSumMetric implements cloudwatch.IMetric {
  /** Period of the metric (read by MathExpression when it aligns periods). */
  public readonly period: Duration;
  /** Caller keys of every rendering so far. */
  private readonly renderings: string[] = [];

  constructor(private readonly source: CallerSource, private readonly props: CallerSumOptions) {
    this.period = props.options.period ?? DEFAULT_PERIOD;
    source.track(this);
  }

  /** The statistic of each caller's metric. */
  public get statistic(): string {
    return this.props.options.statistic ?? defaultStatistic(this.props.metricNames[0]);
  }

  /** The function that combines the callers: SUM for sums, MAX (the worst caller) otherwise. */
  public get combine(): 'SUM' | 'MAX' {
    return sums(this.statistic) ? 'SUM' : 'MAX';
  }

  /** A copy with other options, as `Metric.with` (MathExpression uses it to align periods). */
  public with(options: cloudwatch.MetricOptions): CallerSumMetric {
    const changes = Object.entries(options).filter(([key, value]) => value !== undefined
      && !(key === 'period' && (value as Duration).toSeconds() === this.period.toSeconds())
      && (this.props.options as Record<string, unknown>)[key] !== value);
    return changes.length === 0 ? this : new CallerSumMetric(this.source, { ...this.props, options: { ...this.props.options, ...options } });
  }

  public toMetricConfig(): cloudwatch.MetricConfig {
    const period = this.period.toSeconds();
    const label = this.props.options.label ?? `${this.props.metricNames.join(' + ')} of ${this.props.discoveryName} (${this.combine === 'SUM' ? 'sum' : 'worst caller'})`;
    if (deferring > 0) {
      return { mathExpression: { expression: '0', usingMetrics: {}, period }, renderingProperties: { label } };
    }
    const callers = this.source.callers();
    if (callers.length === 0) {
      // Decided at synth, like a rendering with some of the callers: still none then is MetricNeedsCallers,
      // callers declared since make the graph or alarm that kept this placeholder MetricCallersChanged.
      this.renderings.push(NO_CALLERS);
      return { mathExpression: { expression: NO_CALLERS, usingMetrics: {}, period }, renderingProperties: { label } };
    }
    const { usingMetrics, expression } = this.expressionOf(callers);
    this.renderings.push(expression);
    return {
      mathExpression: { expression, usingMetrics, period },
      renderingProperties: { label, color: this.props.options.color },
    };
  }

  /** The expression with the given callers; its metric ids name each caller, so it tells which callers it counts. */
  public expressionOf(callers: CallerNames[]): { expression: string; usingMetrics: Record<string, cloudwatch.IMetric> } {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    const { metricNames, discoveryName } = this.props;
    const statistic = this.statistic;
    const terms: string[] = [];
    for (const caller of callers) {
      this.metricsOf(caller).forEach((metric, i) => {
        const id = `m${shortHash([this.source.scope.node.path, discoveryName, metricNames[i], statistic, caller.path].join('\u0000'))}`;
        usingMetrics[id] = metric;
        terms.push(this.combine === 'SUM' ? `FILL(${id}, 0)` : id);
      });
    }
    return { expression: `${this.combine}([${terms.join(', ')}])`, usingMetrics };
  }

  /** The caller's own metrics, one per metric name, in order: the `TargetDiscoveryName, ServiceName, ClusterName` set. */
  public metricsOf(caller: CallerNames): cloudwatch.Metric[] {
    const { metricNames, discoveryName, options } = this.props;
    const statistic = this.statistic;
    const dimensions = {
      ClusterName: this.dimension(caller.clusterName, caller.path),
      ServiceName: this.dimension(caller.serviceName, caller.path),
      TargetDiscoveryName: discoveryName,
    };
    return metricNames.map((metricName) => serviceConnectMetric(metricName, dimensions, { period: this.period, statistic, unit: options.unit }));
  }

  /** Whether a rendering counted other callers than `callers` (none counts as other callers than some). */
  public renderedOtherCallersThan(callers: CallerNames[]): boolean {
    if (callers.length === 0) {
      return false;
    }
    const current = this.expressionOf(callers).expression;
    return this.renderings.some((expression) => expression !== current);
  }

  /** Whether the metric was rendered while the server had no caller. */
  public get renderedWithoutCallers(): boolean {
    return this.renderings.includes(NO_CALLERS);
  }

  /** The metric's name, for messages. */
  public get metricName(): string {
    return this.props.metricNames[0];
  }

  public toString(): string {
    return `${this.props.metricNames.join('+')}(${this.props.discoveryName})`;
  }

  /**
   * A dimension value that resolves in the consumer's stack: the literal name when the app sets one,
   * else the token; a token from a stack that deploys after the consumer's would make a cyclic
   * reference, so that is reported (rule MetricCallerInLaterStack) and a placeholder rendered instead.
   */
  private dimension(name: NameRef, callerPath: string): string {
    if (name.literal !== undefined) {
      return name.literal;
    }
    if (!Token.isUnresolved(name.value)) {
      return name.value;
    }
    return Lazy.uncachedString({
      produce: (context: IResolveContext) => {
        const consumer = Stack.of(context.scope);
        const owner = Stack.of(name.owner);
        if (consumer === owner || !deploysAfter(owner, consumer)) {
          return name.value;
        }
        this.source.report(`later-stack:${context.scope.node.path}:${callerPath}`, crossStackMessage(context.scope, callerPath, owner, consumer));
        return `unresolved-${callerPath}`;
      },
    });
  }
}

/** The fix shared by the messages on callers. */
const CALLER_FIX = 'declare the services that call the server (`connectsTo` or `connectTo`), '
  + 'or measure from the client side with `client.metricX({ target: server })`';

/** The error for a server-side target metric without callers. */
export function noCallerError(scope: IConstruct, metricName: string): Error {
  return new Error(`[MetricNeedsCallers] ${scope.node.path}: ${metricName} counts traffic as the calling proxies publish it, `
    + 'and only per caller (ServiceName, ClusterName) is it scoped to this namespace and deployment '
    + '(found: no service of the app calls it). Fix: ' + CALLER_FIX);
}

function crossStackMessage(consumer: IConstruct, callerPath: string, owner: Stack, consumerStack: Stack): string {
  return `[MetricCallerInLaterStack] ${consumer.node.path}: a metric of a server counts caller ${callerPath}, whose cluster or service `
    + `name is known only when stack ${owner.stackName} deploys, and that stack deploys after ${consumerStack.stackName} (found: `
    + `a reference from ${consumerStack.stackName} to ${owner.stackName} would make the two stacks depend on each other). Fix: give the `
    + 'caller\'s ECS service and cluster explicit names (`serviceName`, `clusterName`), which need no export, or create the alarm or '
    + 'dashboard in a stack that deploys after the callers\' stacks';
}

/** One query of an alarm on metric math, as CloudFormation takes it. */
type Query = cloudwatch.CfnAlarm.MetricDataQueryProperty;

/**
 * The `Metrics` of an alarm on `metric`, rendered now: the library renders its alarms' metrics at synth,
 * when the call graph is complete. Only what the library's alarms use is rendered: metric math over
 * plain metrics, nested.
 */
export function alarmQueries(metric: cloudwatch.IMetric, id: string): Query[] {
  const queries = new Map<string, Query>();
  const visit = (current: cloudwatch.IMetric, currentId: string, returnData: boolean) => {
    const config = current.toMetricConfig();
    const label = config.renderingProperties?.label as string | undefined;
    if (config.mathExpression) {
      queries.set(currentId, { id: currentId, expression: config.mathExpression.expression, label, returnData });
      Object.entries(config.mathExpression.usingMetrics).forEach(([subId, sub]) => visit(sub, subId, false));
    } else if (config.metricStat) {
      const stat = config.metricStat;
      queries.set(currentId, {
        id: currentId,
        metricStat: {
          metric: {
            namespace: stat.namespace,
            metricName: stat.metricName,
            dimensions: stat.dimensions?.map((d) => ({ name: d.name, value: d.value })),
          },
          period: stat.period.toSeconds(),
          stat: stat.statistic,
          unit: stat.unitFilter,
        },
        returnData,
      });
    }
  };
  visit(metric, id, true);
  return [...queries.values()];
}
