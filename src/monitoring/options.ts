import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IServiceConnectServer } from '../service-types';

/**
 * Options for a server's inbound Service Connect metrics.
 */
export interface ServiceConnectMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The discovery name of the endpoint to measure.
   *
   * @default - the service's first endpoint
   */
  readonly discoveryName?: string;
}

/**
 * Options for target metrics: responses a target returns, as the calling proxies see them.
 */
export interface ServiceConnectTargetMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The server whose responses this service's proxies measure (this service is the caller).
   *
   * @default - for a ClientServerService: its own endpoint, as all of its callers see it; a ClientService must name a target
   */
  readonly target?: IServiceConnectServer;

  /**
   * The discovery name of the target endpoint.
   *
   * @default - the first endpoint of `target`, or of this service
   */
  readonly discoveryName?: string;
}

/**
 * Opt-in alarms of a `ClientServerService`. Each alarm is created only when its threshold is set.
 */
export interface ServiceConnectAlarmOptions {
  /**
   * Alarm when the share of requests answered with HTTP 5xx, in percent, reaches this value.
   * Computed as `100 * HTTPCode_Target_5XX_Count / RequestCount` per period.
   *
   * @default - no 5xx-rate alarm
   */
  readonly http5xxRatePercent?: number;

  /**
   * Alarm when the target response time statistic reaches this value.
   *
   * @default - no latency alarm
   */
  readonly targetResponseTime?: Duration;

  /**
   * The statistic of the latency alarm.
   *
   * @default 'p99'
   */
  readonly latencyStatistic?: string;

  /**
   * The endpoint the alarms watch.
   *
   * @default - the service's first endpoint
   */
  readonly discoveryName?: string;

  /**
   * Period of the alarms' metrics.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Number of periods the alarms evaluate.
   *
   * @default 5
   */
  readonly evaluationPeriods?: number;

  /**
   * Number of breaching periods, among `evaluationPeriods`, that trigger an alarm.
   *
   * @default 3
   */
  readonly datapointsToAlarm?: number;
}
