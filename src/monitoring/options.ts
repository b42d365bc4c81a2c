import { Duration } from 'aws-cdk-lib';

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
