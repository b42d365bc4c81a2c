import { Duration } from 'aws-cdk-lib';

/**
 * Opt-in alarms of a `ClientServerService`. Each alarm is created only when its threshold is set.
 */
export interface ServiceConnectAlarmOptions {
  /**
   * Alarm when the share of responses with HTTP 5xx, in percent, that one caller receives reaches this
   * value. Computed per caller and period as `100 * errors / responses`, in the same dimension set:
   * errors are the caller's `HTTPCode_Target_5XX_Count`, responses its 2XX to 5XX counts. One alarm per
   * service of the app that calls the server, under a composite alarm that goes off when any does. Needs
   * at least one caller (MetricNeedsCallers), and at most 100, the alarms a composite alarm's rule can
   * name (AlarmMetricLimit).
   *
   * @default - no 5xx-rate alarm
   */
  readonly http5xxRatePercent?: number;

  /**
   * Alarm when the target response time statistic, as the slowest caller sees it (`MAX` over the callers
   * the app declares), reaches this value. Needs at least one caller, at most ten.
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
