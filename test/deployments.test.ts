import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AccessLogFormat, ClientServerService, ClientServerServiceProps, ClientService, DeploymentLifecycleStage, DeploymentStrategy, ServiceConnectRules,
} from '../src';
import { schemaProblems } from './support/schema';
import { fargateTask, TestEnv } from './util';

/*
 * Access logs, test-traffic headers and ECS-native blue/green, linear and canary deployments. The floor
 * aws-cdk-lib knows none of them, so the library writes them as property overrides in CloudFormation's
 * names: these tests read the synthesized template, where the overrides meet what the resource renders.
 */

const HOOK_ARN = 'arn:aws:lambda:us-east-1:111111111111:function:smoke';

/** A server on 'http' (HTTP, 8080) and 'admin' (HTTP, 9090) with `overrides`. */
function server(env: TestEnv, overrides: Partial<ClientServerServiceProps> = {}): ClientServerService {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [
      { name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http },
      { name: 'admin', containerPort: 9090, appProtocol: ecs.AppProtocol.http },
    ]),
    endpoints: [{ portMappingName: 'http' }],
    ...overrides,
  });
}

/** The properties of the stack's only ECS service. */
function serviceProperties(env: TestEnv): any {
  const services = Object.values<any>(env.template().findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  return services[0].Properties;
}

describe('access logs', () => {
  test('are rendered next to the library\'s configuration, with the proxy\'s logs', () => {
    // GIVEN / WHEN
    const env = new TestEnv();
    server(env, { accessLogs: { format: AccessLogFormat.JSON, includeQueryParameters: true } });
    // THEN
    const config = serviceProperties(env).ServiceConnectConfiguration;
    expect(config.AccessLogConfiguration).toEqual({ Format: 'JSON', IncludeQueryParameters: 'ENABLED' });
    expect(config.LogConfiguration.LogDriver).toBe('awslogs');
    expect(config.Namespace).toBeDefined();
    expect(config.Services).toHaveLength(1);
  });

  test('query parameters: left to the ECS default unless given', () => {
    const text = new TestEnv();
    server(text, { accessLogs: { format: AccessLogFormat.TEXT } });
    expect(serviceProperties(text).ServiceConnectConfiguration.AccessLogConfiguration).toEqual({ Format: 'TEXT' });
    const off = new TestEnv();
    server(off, { accessLogs: { format: AccessLogFormat.TEXT, includeQueryParameters: false } });
    expect(serviceProperties(off).ServiceConnectConfiguration.AccessLogConfiguration).toEqual({ Format: 'TEXT', IncludeQueryParameters: 'DISABLED' });
  });

  test('a client takes them too', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), accessLogs: { format: AccessLogFormat.JSON },
    });
    expect(serviceProperties(env).ServiceConnectConfiguration.AccessLogConfiguration).toEqual({ Format: 'JSON' });
  });

  test('an unknown format (from JavaScript) is refused when the service is built', () => {
    const env = new TestEnv();
    expect(() => server(env, { accessLogs: { format: 'CSV' as AccessLogFormat } }))
      .toThrow(/Stack\/Api: an unknown access log format \(found: accessLogs.format CSV\)\. Fix: use one of TEXT, JSON/);
  });

  test('attach adds them to the service\'s own configuration, which keeps its log configuration', () => {
    // GIVEN a service with its own Service Connect configuration and log configuration
    const env = new TestEnv();
    const taskDefinition = fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]);
    const logGroup = new logs.LogGroup(env.stack, 'Logs', { retention: logs.RetentionDays.ONE_WEEK });
    const orders = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition,
      serviceConnectConfiguration: {
        namespace: env.namespace.namespaceArn,
        services: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }],
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc', logGroup }),
      },
    });
    // WHEN
    ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service: orders, accessLogs: { format: AccessLogFormat.JSON } });
    // THEN the configuration keeps everything of its own and gains the access logs
    const config = serviceProperties(env).ServiceConnectConfiguration;
    expect(config).toEqual(expect.objectContaining({
      AccessLogConfiguration: { Format: 'JSON' },
      LogConfiguration: expect.objectContaining({ LogDriver: 'awslogs' }),
      Services: [expect.objectContaining({ PortName: 'http', ClientAliases: [{ DnsName: 'orders', Port: 80 }] })],
    }));
  });
});

describe('test-traffic headers', () => {
  test('render on the endpoint\'s client alias, which is rendered in full with its defaults', () => {
    // GIVEN two endpoints, the second with a test-traffic header and no alias of its own
    const env = new TestEnv();
    server(env, {
      endpoints: [
        { portMappingName: 'admin', discoveryName: 'admin' },
        { portMappingName: 'http', discoveryName: 'api', testTrafficHeader: { name: 'x-canary', value: 'green' } },
      ],
    });
    // THEN the header lands on the second alias, whose DNS name and port are the resolved ones
    expect(serviceProperties(env).ServiceConnectConfiguration.Services).toEqual([
      { PortName: 'admin', DiscoveryName: 'admin', ClientAliases: [{ DnsName: 'admin', Port: 9090 }] },
      {
        PortName: 'http',
        DiscoveryName: 'api',
        ClientAliases: [{ DnsName: 'api', Port: 8080, TestTrafficRules: { Header: { Name: 'x-canary', Value: { Exact: 'green' } } } }],
      },
    ]);
  });

  test('a header without a value matches on the header alone; a given alias is kept', () => {
    const env = new TestEnv();
    server(env, { endpoints: [{ portMappingName: 'http', dnsName: 'api.shop', port: 80, testTrafficHeader: { name: 'x-test' } }] });
    expect(serviceProperties(env).ServiceConnectConfiguration.Services[0].ClientAliases).toEqual([
      { DnsName: 'api.shop', Port: 80, TestTrafficRules: { Header: { Name: 'x-test' } } },
    ]);
  });

  test('an attached service whose configuration the library renders gets them', () => {
    const env = new TestEnv();
    const stock = new ecs.FargateService(env.stack, 'Stock', {
      cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'StockTask', [{ name: 'http', containerPort: 9090, appProtocol: ecs.AppProtocol.http }]),
    });
    ClientServerService.attach(env.stack, 'StockServiceConnect', {
      service: stock, namespace: env.namespace, endpoints: [{ portMappingName: 'http', testTrafficHeader: { name: 'x-test', value: '1' } }],
    });
    expect(serviceProperties(env).ServiceConnectConfiguration.Services[0].ClientAliases[0].TestTrafficRules)
      .toEqual({ Header: { Name: 'x-test', Value: { Exact: '1' } } });
  });

  test('a header given for a configuration the library does not render is a conflict, not dropped', () => {
    const env = new TestEnv();
    const orders = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
      serviceConnectConfiguration: { namespace: env.namespace.namespaceArn, services: [{ portMappingName: 'http' }] },
    });
    ClientServerService.attach(env.stack, 'OrdersServiceConnect', {
      service: orders, endpoints: [{ portMappingName: 'http', testTrafficHeader: { name: 'x-test' } }],
    });
    expect(() => env.template()).toThrow(/\[ServiceConnectConfigurationConflict\].*it has other test-traffic headers/);
  });
});

describe('deployments', () => {
  test('blue/green with a hook: one role, ECS\'s to assume, may invoke exactly the hook functions', () => {
    // GIVEN
    const env = new TestEnv();
    const smoke = lambda.Function.fromFunctionArn(env.stack, 'Smoke', HOOK_ARN);
    // WHEN
    server(env, {
      deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(10),
      lifecycleHooks: [
        { lambdaFunction: smoke, stages: [DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT], hookDetails: { suite: 'smoke' } },
        { hookTargetArn: HOOK_ARN, stages: [DeploymentLifecycleStage.PRE_PRODUCTION_TRAFFIC_SHIFT] },
      ],
    });
    // THEN
    const deployment = serviceProperties(env).DeploymentConfiguration;
    expect(deployment).toEqual(expect.objectContaining({
      Strategy: 'BLUE_GREEN',
      BakeTimeInMinutes: 10,
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
    }));
    const roleArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiLifecycleHookRole'), 'Arn'] };
    env.template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        LifecycleHooks: [
          { HookTargetArn: HOOK_ARN, RoleArn: roleArn, LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], HookDetails: '{"suite":"smoke"}' },
          { HookTargetArn: HOOK_ARN, RoleArn: roleArn, LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] },
        ],
      }),
    });
    env.template().resourcePropertiesCountIs('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] }) }, 1);
    env.template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: HOOK_ARN }], Version: '2012-10-17' },
      Roles: [{ Ref: Match.stringLikeRegexp('^ApiLifecycleHookRole') }],
    });
  });

  test('a hook with its own role gets no role from the library', () => {
    const env = new TestEnv();
    const role = iam.Role.fromRoleArn(env.stack, 'HookRole', 'arn:aws:iam::111111111111:role/hooks');
    server(env, {
      deploymentStrategy: DeploymentStrategy.CANARY,
      lifecycleHooks: [{ hookTargetArn: HOOK_ARN, role, stages: [DeploymentLifecycleStage.PRODUCTION_TRAFFIC_SHIFT] }],
    });
    expect(serviceProperties(env).DeploymentConfiguration.LifecycleHooks).toEqual([
      { HookTargetArn: HOOK_ARN, RoleArn: 'arn:aws:iam::111111111111:role/hooks', LifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] },
    ]);
    env.template().resourceCountIs('AWS::IAM::Policy', 1); // the execution role's, for the proxy's logs
  });

  test('no strategy renders nothing new: a rolling service gets only the default circuit breaker', () => {
    const env = new TestEnv();
    server(env);
    const deployment = serviceProperties(env).DeploymentConfiguration;
    expect(Object.keys(deployment).sort()).toEqual(['Alarms', 'DeploymentCircuitBreaker', 'MaximumPercent', 'MinimumHealthyPercent']);
  });

  test('the circuit breaker stays allowed with every strategy', () => {
    const env = new TestEnv();
    server(env, { deploymentStrategy: DeploymentStrategy.LINEAR, circuitBreaker: { rollback: true } });
    expect(serviceProperties(env).DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'LINEAR', DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    }));
  });

  test('a template with every setting is valid against the CloudFormation schema', () => {
    const env = new TestEnv();
    server(env, {
      endpoints: [{ portMappingName: 'http', testTrafficHeader: { name: 'x-test', value: 'yes' } }],
      accessLogs: { format: AccessLogFormat.JSON, includeQueryParameters: false },
      deploymentStrategy: DeploymentStrategy.LINEAR,
      bakeTime: Duration.minutes(0),
      linearConfiguration: { stepPercent: 3, stepBakeTime: Duration.minutes(1440) },
      lifecycleHooks: [{ hookTargetArn: HOOK_ARN, stages: Object.values(DeploymentLifecycleStage), hookDetails: { a: 1 } }],
    });
    expect(schemaProblems(env.template().toJSON())).toEqual([]);
  });

  describe('contradictions and values ECS refuses fail when the service is built', () => {
    test.each<[string, Partial<ClientServerServiceProps>, RegExp]>([
      ['linear steps without the LINEAR strategy', { linearConfiguration: { stepPercent: 10 } },
        /`linearConfiguration` applies only to the LINEAR deployment strategy \(found: deploymentStrategy not set \(ROLLING\)\)\. Fix: set `deploymentStrategy: DeploymentStrategy.LINEAR`/],
      ['a canary step with the LINEAR strategy', { deploymentStrategy: DeploymentStrategy.LINEAR, canaryConfiguration: {} },
        /`canaryConfiguration` applies only to the CANARY deployment strategy \(found: deploymentStrategy LINEAR\)/],
      ['a linear step below 3%', { deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepPercent: 2.9 } },
        /not a traffic percentage ECS accepts \(found: linearConfiguration.stepPercent 2.9\)\. Fix: use a multiple of 0.1 from 3 to 100/],
      ['a linear step that is not a multiple of 0.1', { deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepPercent: 10.25 } },
        /found: linearConfiguration.stepPercent 10.25/],
      ['a canary above 100%', { deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryPercent: 100.1 } },
        /found: canaryConfiguration.canaryPercent 100.1\)\. Fix: use a multiple of 0.1 from 0.1 to 100/],
      ['a canary of 0%', { deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryPercent: 0 } },
        /found: canaryConfiguration.canaryPercent 0\)/],
      ['a step bake time above 24 hours', { deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepBakeTime: Duration.minutes(1441) } },
        /`linearConfiguration.stepBakeTime` must be whole minutes from 0 to 1440 \(found: linearConfiguration.stepBakeTime 1 day 1 minute\)/],
      ['a canary bake time in seconds', { deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryBakeTime: Duration.seconds(90) } },
        /`canaryConfiguration.canaryBakeTime` must be whole minutes from 0 to 1440/],
      ['a bake time in seconds', { deploymentStrategy: DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.seconds(30) },
        /`bakeTime` must be whole minutes \(found: bakeTime 30 seconds\)\. Fix: use `Duration.minutes\(n\)` with a whole n$/],
      ['an unknown strategy', { deploymentStrategy: 'RED_BLACK' as DeploymentStrategy },
        /an unknown deployment strategy \(found: deploymentStrategy RED_BLACK\)\. Fix: use one of ROLLING, BLUE_GREEN, LINEAR, CANARY/],
      ['a hook without a target', { lifecycleHooks: [{ stages: [DeploymentLifecycleStage.POST_SCALE_UP] }] },
        /a lifecycle hook needs exactly one target \(found: lifecycleHooks\[0\]: neither lambdaFunction nor hookTargetArn\)/],
      ['a hook with two targets', {
        lifecycleHooks: [{ hookTargetArn: HOOK_ARN, stages: [DeploymentLifecycleStage.POST_SCALE_UP] }, {
          hookTargetArn: HOOK_ARN, lambdaFunction: {} as lambda.IFunction, stages: [DeploymentLifecycleStage.POST_SCALE_UP],
        }],
      }, /found: lifecycleHooks\[1\]: both lambdaFunction and hookTargetArn/],
      ['a hook at no stage', { lifecycleHooks: [{ hookTargetArn: HOOK_ARN, stages: [] }] },
        /a lifecycle hook runs at no stage \(found: lifecycleHooks\[0\]: stages \[\]\)/],
      ['a hook at a stage that takes none', { lifecycleHooks: [{ hookTargetArn: HOOK_ARN, stages: ['BAKE_TIME' as DeploymentLifecycleStage] }] },
        /a lifecycle hook names stages that take no hook \(found: lifecycleHooks\[0\]: stages BAKE_TIME\)/],
    ])('%s', (_name, props, message) => {
      const env = new TestEnv();
      expect(() => server(env, props)).toThrow(message);
    });

    test('the boundaries pass', () => {
      expect(() => server(new TestEnv(), {
        deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepPercent: 100, stepBakeTime: Duration.minutes(0) },
      })).not.toThrow();
      expect(() => server(new TestEnv(), {
        deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryPercent: 0.1, canaryBakeTime: Duration.hours(24) },
      })).not.toThrow();
    });
  });
});

describe('proxy logs asked for when attaching to a configuration without logs', () => {
  test('are added to that configuration, which keeps everything else', () => {
    // GIVEN a service whose own configuration has no log configuration
    const env = new TestEnv();
    const orders = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
      serviceConnectConfiguration: { namespace: env.namespace.namespaceArn, services: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }] },
    });
    // WHEN proxy logs are asked for
    const attached = ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service: orders, proxyLogs: {} });
    // THEN the configuration writes to the library's log group
    const config = serviceProperties(env).ServiceConnectConfiguration;
    expect(attached.proxyLogGroup).toBeDefined();
    expect(config).toEqual({
      Enabled: true,
      Namespace: expect.anything(),
      Services: [{ PortName: 'http', ClientAliases: [{ DnsName: 'orders', Port: 80 }] }],
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: {
          'awslogs-group': { Ref: expect.stringMatching(/^OrdersServiceConnectProxyLogGroup/) },
          'awslogs-region': { Ref: 'AWS::Region' },
          'awslogs-stream-prefix': 'service-connect',
        },
      },
    });
  });
});

describe('the deployment circuit breaker', () => {
  const CIRCUIT_BREAKER_WARNING = '@aws-cdk/aws-ecs:shouldUseCircuitBreaker';
  const circuitBreakerOf = (env: TestEnv) => serviceProperties(env).DeploymentConfiguration.DeploymentCircuitBreaker;
  const warningsOf = (env: TestEnv) => Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('circuitBreaker'));

  test('is on with rollback by default for a rolling deployment, and aws-cdk-lib no longer warns', () => {
    // GIVEN / WHEN a server with no deployment props
    const env = new TestEnv();
    server(env);
    // THEN
    expect(circuitBreakerOf(env)).toEqual({ Enable: true, Rollback: true });
    expect(warningsOf(env)).toEqual([]);
  });

  test('comes as an in-place update of DeploymentConfiguration: no DeploymentController is written, nothing is replaced', () => {
    // GIVEN the template of a service as the library rendered it before the default (no circuit breaker)
    const env = new TestEnv();
    server(env);
    const after = env.template().toJSON();
    const before = JSON.parse(JSON.stringify(after));
    for (const resource of Object.values<any>(before.Resources).filter((r) => r.Type === 'AWS::ECS::Service')) {
      delete resource.Properties.DeploymentConfiguration.DeploymentCircuitBreaker;
    }
    // WHEN it is compared with the template of this version
    const diff = fullDiff(before, after);
    // THEN the ECS service is updated in place, and aws-cdk-lib's explicit ECS controller is not written
    const impacts: string[] = [];
    diff.resources.forEachDifference((id, change) => impacts.push(`${id} ${change.changeImpact} ${Object.keys(change.propertyUpdates).join(',')}`));
    expect(impacts).toEqual([expect.stringMatching(new RegExp(`^ApiService\\w+ ${ResourceImpact.WILL_UPDATE} DeploymentConfiguration$`))]);
    expect(serviceProperties(env).DeploymentController).toBeUndefined();
  });

  test('an explicit controller stays written', () => {
    const env = new TestEnv();
    server(env, { deploymentController: { type: ecs.DeploymentControllerType.ECS } });
    expect(serviceProperties(env).DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('is on for an explicit ROLLING strategy and the explicit ECS controller', () => {
    const env = new TestEnv();
    server(env, { deploymentStrategy: DeploymentStrategy.ROLLING, deploymentController: { type: ecs.DeploymentControllerType.ECS } });
    expect(circuitBreakerOf(env)).toEqual({ Enable: true, Rollback: true });
  });

  test('turns off with `{ enable: false }`, without aws-cdk-lib\'s warning', () => {
    const env = new TestEnv();
    server(env, { circuitBreaker: { enable: false } });
    expect(circuitBreakerOf(env)).toEqual({ Enable: false, Rollback: false });
    expect(warningsOf(env)).toEqual([]);
  });

  test('is the user\'s when given: rollback off stays off', () => {
    const env = new TestEnv();
    server(env, { circuitBreaker: { rollback: false } });
    expect(circuitBreakerOf(env)).toEqual({ Enable: true, Rollback: false });
  });

  test.each([
    ['BLUE_GREEN', { deploymentStrategy: DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.minutes(5) }],
    ['LINEAR', { deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepPercent: 25 } }],
    ['CANARY', { deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryPercent: 10 } }],
  ] as Array<[string, Partial<ClientServerServiceProps>]>)('is not added to a %s deployment, whose rules still apply', (strategy, props) => {
    const env = new TestEnv();
    server(env, props);
    const configuration = serviceProperties(env).DeploymentConfiguration;
    expect(configuration.Strategy).toBe(strategy);
    expect(configuration.DeploymentCircuitBreaker).toBeUndefined();
    // the strategy's own rule still runs: blue/green without a bake time is an error
    if (strategy === 'BLUE_GREEN') {
      const noBake = new TestEnv();
      server(noBake, { deploymentStrategy: DeploymentStrategy.BLUE_GREEN });
      expect(() => noBake.app.synth()).toThrow(/\[BlueGreenBakeTime\]/);
    }
  });

  test.each([ecs.DeploymentControllerType.CODE_DEPLOY, ecs.DeploymentControllerType.EXTERNAL])(
    'is not added for the %s controller (which aws-cdk-lib would refuse), and RollingDeploymentOnly still applies', (type) => {
      const refused = new TestEnv();
      server(refused, { deploymentController: { type } });
      expect(() => refused.app.synth()).toThrow(/\[RollingDeploymentOnly\]/);
      // relaxed, the service synthesizes without a circuit breaker and without aws-cdk-lib's error about one
      const env = new TestEnv();
      ServiceConnectRules.relax(server(env, { deploymentController: { type } }), 'RollingDeploymentOnly', 'migrating');
      expect(serviceProperties(env).DeploymentConfiguration.DeploymentCircuitBreaker).toBeUndefined();
      expect(Annotations.fromStack(env.stack).findError('*', Match.stringLikeRegexp('circuit breaker'))).toEqual([]);
    });

  test('is not added to an attached service that has none: that stays the user\'s choice', () => {
    // GIVEN an aws-cdk-lib service without a circuit breaker, attached, and the same service left alone
    const ordersIn = (env: TestEnv) => new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
    });
    const env = new TestEnv();
    ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service: ordersIn(env), namespace: env.namespace, endpoints: [{ portMappingName: 'http' }] });
    const alone = new TestEnv();
    ordersIn(alone);
    // THEN the attached one has none, and keeps aws-cdk-lib's own advice about it (where its version gives one)
    expect(circuitBreakerOf(env)).toBeUndefined();
    const advice = (e: TestEnv) => Annotations.fromStack(e.stack).findWarning('/Stack/Orders', Match.stringLikeRegexp(CIRCUIT_BREAKER_WARNING));
    expect(advice(env)).toHaveLength(advice(alone).length);
  });
});
