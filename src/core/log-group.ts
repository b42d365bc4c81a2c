import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { propError } from '../errors';
import type { ServiceLogGroupOptions } from '../log-group-options';

/*
 * The log groups the library creates for a service (the proxy's, and the container's when the library
 * builds the task definition), and the key policy statement that lets CloudWatch Logs use their KMS key.
 */

/** What CloudWatch Logs may do with a key that encrypts log groups (CloudWatch Logs guide, "Encrypt log data"). */
export const LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

/**
 * Lets CloudWatch Logs of `scope`'s region use `key` for the log groups of `scope`'s account and region,
 * and nothing else: the statement the CloudWatch Logs guide gives, on the key policy. A key imported into
 * the app has a policy the app cannot change: a warning says what to add. The statement is the same for
 * every log group of a stack, and a policy document renders identical statements once.
 */
export function letLogsUseKey(scope: Construct, key: kms.IKey): void {
  const stack = Stack.of(scope);
  const logGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
    actions: LOGS_KEY_ACTIONS,
    // A key policy names no other resource than the key itself.
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroups } },
  }));
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-service-connect:LogKeyPolicy',
      `${scope.node.path}: the library cannot add to the policy of the imported key ${Token.isUnresolved(key.keyArn) ? key.node.path : key.keyArn} the statement CloudWatch Logs needs to encrypt the log groups`
      + ` (found: an imported key). Fix: make sure the key policy lets the service principal logs.<region>.amazonaws.com use ${LOGS_KEY_ACTIONS.join(', ')}`
      + ' with an ArnLike condition on kms:EncryptionContext:aws:logs:arn, or the deployment fails when CloudWatch Logs cannot use the key');
  }
}

/**
 * The log group of `options`: the one given, or a new one (construct id `id` under `scope`) with the
 * options' retention, KMS key and removal policy.
 */
export function newLogGroup(scope: Construct, id: string, options: ServiceLogGroupOptions): logs.ILogGroup {
  if (options.logGroup) {
    // `retention` has always been ignored next to `logGroup` (so documented); the newer options are refused.
    const own = (['encryptionKey', 'removalPolicy'] as const).filter((name) => options[name] !== undefined);
    if (own.length > 0) {
      throw propError(scope, 'options of a new log group were given with an existing `logGroup`', own.join(', '),
        'set them on the log group you pass, or remove `logGroup` to let the library create one with them');
    }
    return options.logGroup;
  }
  if (options.encryptionKey) {
    letLogsUseKey(scope, options.encryptionKey);
  }
  return new logs.LogGroup(scope, id, {
    retention: options.retention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: options.encryptionKey,
    removalPolicy: options.removalPolicy,
  });
}
