import { Duration, Token } from 'aws-cdk-lib';
import { describeName, pathError } from '../errors';
import type { ServiceConnectAlarmOptions } from './options';

/*
 * Alarms that could never fire, or that CloudWatch would refuse: found at synth, each an error with the
 * rule id AlarmCannotFire, the value and the fix. Pure: a function of the options and the endpoints.
 */

/** What the checks need of an endpoint: its discovery name and its port mapping's app protocol. */
export interface AlarmEndpoint {
  readonly discoveryName: string;
  /** `http`, `http2` or `grpc`; undefined for plain TCP (or when unknown, a token). */
  readonly appProtocol?: string;
  /** Whether the app protocol is known at synth (false for a token). */
  readonly appProtocolKnown: boolean;
}

/** Service Connect metrics are published once a minute (standard resolution). */
const METRIC_PERIOD_SECONDS = 60;

/** Why each configured alarm cannot fire or deploy, as messages; empty when every alarm can. */
export function alarmProblems(path: string, options: ServiceConnectAlarmOptions, endpoints: AlarmEndpoint[]): string[] {
  const problems: string[] = [];
  const add = (problem: string, value: string, fix: string) => problems.push(pathError(path, problem, value, fix, 'AlarmCannotFire').message);
  const wanted = options.http5xxRatePercent !== undefined || options.targetResponseTime !== undefined;
  if (!wanted) {
    return problems;
  }
  const endpoint = options.discoveryName === undefined ? endpoints[0] : endpoints.find((ep) => ep.discoveryName === options.discoveryName);
  if (options.discoveryName !== undefined && !Token.isUnresolved(options.discoveryName) && endpoint === undefined) {
    const names = endpoints.map((ep) => describeName(ep.discoveryName)).join(', ') || 'none';
    add('the alarms watch a discovery name no endpoint of the service has', `discoveryName '${options.discoveryName}'; endpoints: ${names}`,
      'set `alarms.discoveryName` to the discovery name of one of the service\'s endpoints, or leave it out to watch the first');
  }
  const protocol = endpoint?.appProtocol;
  if (endpoint && endpoint.appProtocolKnown) {
    if (options.http5xxRatePercent !== undefined && protocol !== 'http' && protocol !== 'http2') {
      add('the 5xx-rate alarm watches HTTP status counts, which the proxy publishes only for HTTP and HTTP/2 port mappings',
        `endpoint '${describeName(endpoint.discoveryName)}' with appProtocol ${protocol ?? 'not set (TCP)'}`,
        'set `appProtocol: ecs.AppProtocol.http` (or http2) on the port mapping, or leave `http5xxRatePercent` out');
    }
    if (options.targetResponseTime !== undefined && protocol === undefined) {
      add('the latency alarm watches TargetResponseTime, which the proxy publishes only for HTTP, HTTP/2 and gRPC port mappings',
        `endpoint '${describeName(endpoint.discoveryName)}' with appProtocol not set (TCP)`,
        'set `appProtocol` (ecs.AppProtocol.http, http2 or grpc) on the port mapping, or leave `targetResponseTime` out');
    }
  }
  const rate = options.http5xxRatePercent;
  if (rate !== undefined && !Token.isUnresolved(rate) && !(rate > 0 && rate <= 100)) {
    add('a 5xx rate is a percentage of responses: a threshold outside 0 (exclusive) to 100 alarms always or never', `http5xxRatePercent ${rate}`,
      'set `http5xxRatePercent` above 0 and at most 100, for example 5');
  }
  const latency = options.targetResponseTime;
  if (latency !== undefined && !latency.isUnresolved() && latency.toMilliseconds({ integral: false }) <= 0) {
    add('a response time threshold of zero alarms on every request', `targetResponseTime ${latency.toHumanString()}`,
      'set `targetResponseTime` above zero, for example Duration.millis(500)');
  }
  const evaluationPeriods = options.evaluationPeriods ?? 5;
  const datapoints = options.datapointsToAlarm ?? 3;
  const known = !Token.isUnresolved(evaluationPeriods) && !Token.isUnresolved(datapoints);
  const whole = Number.isInteger(evaluationPeriods) && Number.isInteger(datapoints);
  if (known && (!whole || evaluationPeriods < 1 || datapoints < 1 || datapoints > evaluationPeriods)) {
    add('CloudWatch needs at least one evaluation period, and at least one but no more datapoints to alarm than evaluation periods',
      `evaluationPeriods ${evaluationPeriods}, datapointsToAlarm ${datapoints}`,
      'set whole numbers with 1 <= datapointsToAlarm <= evaluationPeriods, for example 3 of 5');
  }
  const period: Duration | undefined = options.period;
  const seconds = period === undefined || period.isUnresolved() ? undefined : period.toSeconds({ integral: false });
  if (seconds !== undefined && (seconds < METRIC_PERIOD_SECONDS || seconds % METRIC_PERIOD_SECONDS !== 0)) {
    add('Service Connect metrics are published once a minute, so a period must be a whole number of minutes', `period ${seconds} seconds`,
      'set `alarms.period` to a multiple of one minute, for example Duration.minutes(1)');
  }
  return problems;
}
