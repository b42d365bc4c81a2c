import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { newLogGroup } from './core/log-group';
import { ServiceLogGroupOptions } from './log-group-options';

/**
 * Where the Service Connect proxy of each task writes its logs.
 */
export interface ProxyLogOptions extends ServiceLogGroupOptions {
  /**
   * Prefix of the proxy's log streams.
   *
   * @default 'service-connect'
   */
  readonly streamPrefix?: string;
}

/**
 * Where the container of a task definition the library builds (the `container` prop) writes its logs.
 * The log driver is `awslogs`; for another driver, set `logging` in the container options instead.
 */
export interface ContainerLogOptions extends ServiceLogGroupOptions {
  /**
   * Prefix of the container's log streams.
   *
   * @default 'app'
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
  const logGroup = newLogGroup(scope, 'ProxyLogGroup', options);
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
