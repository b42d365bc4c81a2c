import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Where the Service Connect proxy of each task writes its logs.
 */
export interface ProxyLogOptions {
  /**
   * Whether the proxy's logs are sent to CloudWatch Logs.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Log group for the proxy's logs.
   *
   * @default - a new log group with `retention`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Retention of the log group the library creates. Ignored when `logGroup` is given.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Prefix of the proxy's log streams.
   *
   * @default 'service-connect'
   */
  readonly streamPrefix?: string;
}

/** Where the proxy of a service writes, once the library has set it up. */
export interface ProxyLogDestination {
  readonly logGroup: logs.ILogGroup;
  readonly streamPrefix: string;
}

/**
 * Sets up the proxy's logs of a service built or attached under `scope`: a new log group (`ProxyLogGroup`)
 * unless one is given, writable by the task execution role, which ECS uses to write the proxy's logs.
 *
 * @returns undefined when the logs are turned off
 */
export function setUpProxyLogs(scope: Construct, taskDefinition: ecs.TaskDefinition, options: ProxyLogOptions = {}): ProxyLogDestination | undefined {
  if (!(options.enabled ?? true)) {
    return undefined;
  }
  const logGroup = options.logGroup ?? new logs.LogGroup(scope, 'ProxyLogGroup', {
    retention: options.retention ?? logs.RetentionDays.ONE_MONTH,
  });
  logGroup.grantWrite(taskDefinition.obtainExecutionRole());
  return { logGroup, streamPrefix: options.streamPrefix ?? 'service-connect' };
}

/** The `awslogs` log configuration of the proxy, as ECS takes it. */
export function renderProxyLogs(scope: Construct, destination: ProxyLogDestination): ecs.CfnService.LogConfigurationProperty {
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-group': destination.logGroup.logGroupName,
      'awslogs-region': Stack.of(scope).region,
      'awslogs-stream-prefix': destination.streamPrefix,
    },
  };
}
