import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AccessLogFormat, ClientServerService, DeploymentStrategy } from '../../src';
import { accessLogsNeedProxyLogs } from '../../src/rules/access-log-rules';
import { blueGreenBakeTime, testTrafficProtocol } from '../../src/rules/deployment-rules';
import { fargateTask } from '../util';
import { describeRule, RuleEnv } from './harness';

/** A server with an 'http' (HTTP) and a 'tcp' (no app protocol) port mapping, exposing `portMappingName` with a test-traffic header. */
function testTrafficOn(env: RuleEnv, portMappingName: string): void {
  env.server('Api', {
    taskDefinition: fargateTask(env.stack, 'ApiTask', [
      { name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http },
      { name: 'tcp', containerPort: 9000 },
    ]),
    endpoints: [{ portMappingName, testTrafficHeader: { name: 'x-test', value: 'green' } }],
    deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
    bakeTime: Duration.minutes(5),
  });
}

/** An existing aws-cdk-lib service with a Service Connect configuration of its own, without a log configuration. */
function orders(env: RuleEnv): ecs.FargateService {
  return new ecs.FargateService(env.stack, 'Orders', {
    cluster: env.cluster,
    taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
    serviceConnectConfiguration: { namespace: env.namespace.namespaceArn, services: [{ portMappingName: 'http' }] },
  });
}

describeRule(accessLogsNeedProxyLogs, [{
  name: 'access logs with the proxy\'s logs turned off',
  fail: (env) => env.server('Api', { accessLogs: { format: AccessLogFormat.JSON }, proxyLogs: { enabled: false } }),
  pass: (env) => env.server('Api', { accessLogs: { format: AccessLogFormat.JSON }, proxyLogs: { enabled: true } }),
  found: 'accessLogs with no proxy log configuration',
}, {
  name: 'access logs attached to a configuration without a log configuration (the library sets none: it has its own)',
  fail: (env) => ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service: orders(env), accessLogs: { format: AccessLogFormat.TEXT } }),
  pass: (env) => ClientServerService.attach(env.stack, 'OrdersServiceConnect', {
    service: orders(env), accessLogs: { format: AccessLogFormat.TEXT }, proxyLogs: {},
  }),
  found: 'accessLogs with no proxy log configuration',
}]);

describeRule(testTrafficProtocol, [{
  name: 'a test-traffic header on a TCP port mapping',
  fail: (env) => testTrafficOn(env, 'tcp'),
  pass: (env) => testTrafficOn(env, 'http'),
  found: 'appProtocol not set',
}]);

describeRule(blueGreenBakeTime, [{
  name: 'BLUE_GREEN without a bake time',
  fail: (env) => env.server('Api', { deploymentStrategy: DeploymentStrategy.BLUE_GREEN }),
  pass: (env) => env.server('Api', { deploymentStrategy: DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.minutes(0) }),
  found: 'deploymentStrategy BLUE_GREEN, no bakeTime',
}]);

test('a blue/green strategy with the CODE_DEPLOY controller is RollingDeploymentOnly\'s error, not a second one', () => {
  const env = new RuleEnv();
  env.server('Api', {
    deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
    bakeTime: Duration.minutes(5),
    deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
  });
  expect(() => env.app.synth()).toThrow(/\[RollingDeploymentOnly\]/);
});
