import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { newLogGroup } from './core/log-group';

/**
 * A log group the library creates for a service: how long it keeps the logs, how they are encrypted and
 * what happens to it when it leaves the app.
 */
export interface ServiceLogGroupOptions {
  /**
   * Whether the logs are sent to CloudWatch Logs.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Log group to write to, instead of one the library creates. Its retention, encryption and removal
   * policy are then its own: `encryptionKey` and `removalPolicy` are refused next to it, and `retention`
   * is ignored.
   *
   * @default - a new log group
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Retention of the log group the library creates. Ignored when `logGroup` is given. The AWS Control Tower proactive control
   * CT.CLOUDWATCH.PR.2 wants at least `logs.RetentionDays.ONE_YEAR`.
   *
   * Changing it on a deployed log group is an in-place update: no log is lost, and the new retention
   * applies to the logs already kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the log group the library creates (CT.CLOUDWATCH.PR.3). Use a symmetric key
   * with rotation on. When the key is defined in this app, the library adds to its key policy the
   * statement CloudWatch Logs needs: the logs service principal of the stack's region may use the key
   * for log groups of the stack's account and region only (condition on
   * `kms:EncryptionContext:aws:logs:arn`). A key imported into the app needs that statement in its policy
   * already; the library warns (`cdk-service-connect:LogKeyPolicy`) that it could not add it.
   *
   * Adding or changing the key of a deployed log group is an in-place update; from then on new log
   * events are encrypted with the key.
   *
   * @default - encrypted by CloudWatch Logs with a key AWS owns
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What CloudFormation does with the log group the library creates when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

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
