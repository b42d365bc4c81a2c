import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

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
