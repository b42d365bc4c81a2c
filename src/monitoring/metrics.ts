import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/*
 * Service Connect metrics, as the current Amazon ECS developer guide lists them on "Amazon ECS CloudWatch
 * metrics" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html; digested
 * in ../shared/reference/service-connect-2026.md, section 7): the proxy publishes them in the AWS/ECS
 * namespace every minute, in two groups, each with two dimension sets.
 *
 * - Inbound metrics (traffic a server's proxies receive) carry `DiscoveryName`, alone or with
 *   `ServiceName` (the server) and `ClusterName`: ActiveConnectionCount, NewConnectionCount,
 *   ProcessedBytes, RequestCount, GrpcRequestCount and ClientTLSNegotiationErrorCount.
 * - Target metrics (responses the callers' proxies see from a target) carry `TargetDiscoveryName`, alone
 *   or with `ServiceName` (the calling service) and `ClusterName`: HTTPCode_Target_2XX..5XX_Count,
 *   RequestCountPerTarget, TargetProcessedBytes, TargetResponseTime and TargetTLSNegotiationErrorCount.
 *
 * The two TLS metrics, added since 2023, follow the same sets (digest section 7): the client-side
 * ClientTLSNegotiationErrorCount is an inbound metric (`DiscoveryName` sets), and
 * TargetTLSNegotiationErrorCount a target metric (`TargetDiscoveryName` sets; the guide's table lists
 * "ServiceName, ClusterName, TargetDiscoveryName and TargetDiscoveryName", i.e. those two sets).
 *
 * RequestCount needs an app protocol on the port mapping; GrpcRequestCount needs `appProtocol` gRPC, and
 * the HTTP status metrics HTTP or HTTP/2. Metrics of a protocol the port mapping lacks have no data.
 */

/** The CloudWatch namespace of Service Connect metrics. */
export const NAMESPACE = 'AWS/ECS';

/** Official metric names. */
export const MetricName = {
  REQUEST_COUNT: 'RequestCount',
  GRPC_REQUEST_COUNT: 'GrpcRequestCount',
  ACTIVE_CONNECTION_COUNT: 'ActiveConnectionCount',
  NEW_CONNECTION_COUNT: 'NewConnectionCount',
  PROCESSED_BYTES: 'ProcessedBytes',
  CLIENT_TLS_NEGOTIATION_ERROR_COUNT: 'ClientTLSNegotiationErrorCount',
  TARGET_PROCESSED_BYTES: 'TargetProcessedBytes',
  TARGET_RESPONSE_TIME: 'TargetResponseTime',
  REQUEST_COUNT_PER_TARGET: 'RequestCountPerTarget',
  TARGET_TLS_NEGOTIATION_ERROR_COUNT: 'TargetTLSNegotiationErrorCount',
  HTTP_CODE_TARGET_2XX_COUNT: 'HTTPCode_Target_2XX_Count',
  HTTP_CODE_TARGET_3XX_COUNT: 'HTTPCode_Target_3XX_Count',
  HTTP_CODE_TARGET_4XX_COUNT: 'HTTPCode_Target_4XX_Count',
  HTTP_CODE_TARGET_5XX_COUNT: 'HTTPCode_Target_5XX_Count',
} as const;

/** The statistic each metric is most useful with: counts are summed, times averaged. */
export function defaultStatistic(metricName: string): string {
  return metricName === MetricName.TARGET_RESPONSE_TIME ? cloudwatch.Stats.AVERAGE : cloudwatch.Stats.SUM;
}

/** Service Connect publishes every minute. */
export const DEFAULT_PERIOD = Duration.minutes(1);

/** A Service Connect metric with the library's defaults under the caller's options. */
export function serviceConnectMetric(
  metricName: string, dimensionsMap: Record<string, string>, options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    ...options,
    namespace: NAMESPACE,
    metricName,
    // An option given as undefined still means the default.
    statistic: options.statistic ?? defaultStatistic(metricName),
    period: options.period ?? DEFAULT_PERIOD,
    dimensionsMap: { ...dimensionsMap, ...options.dimensionsMap },
  });
}
