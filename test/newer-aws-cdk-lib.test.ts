// @floor-skip: the user code here is written with aws-cdk-lib features newer than the floor 2.178.0.
import { Aspects, Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AccessLogFormat, ClientServerService, ServiceConnectChecks } from '../src';
import { describeRule } from './rules/harness';
import { fargateTask, TestEnv } from './util';
import { blueGreenBakeTime } from '../src/rules/deployment-rules';
import { managedInstancesUnconfirmed } from '../src/rules/platform-rules';

/*
 * The library meets services and capacity that users define with aws-cdk-lib features the floor (2.178.0)
 * does not have: ECS-native deployment strategies and bake times (L2), Service Connect access logs (L2),
 * test-traffic rules on a client alias (L1) and ECS Managed Instances capacity providers (L1). Users at the
 * floor cannot write this code, so `scripts/floor.sh` skips this file (the @floor-skip line above); what the
 * library renders itself for these features is tested at the floor, in the other files.
 */

describe('access logs', () => {
  test('attach with access logs on a configuration that has access logs of its own is a conflict', () => {
    const env = new TestEnv();
    const orders = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080 }]),
      serviceConnectConfiguration: {
        namespace: env.namespace.namespaceArn,
        services: [{ portMappingName: 'http' }],
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc' }),
        accessLogConfiguration: { format: ecs.ServiceConnectAccessLogFormat.TEXT },
      },
    });
    ClientServerService.attach(env.stack, 'OrdersServiceConnect', { service: orders, accessLogs: { format: AccessLogFormat.JSON } });
    expect(() => env.template()).toThrow(/\[ServiceConnectConfigurationConflict\].*both it and the library configure access logs/);
  });
});

describe('ServiceConnectChecks runs the new rules on services built without the library', () => {
  test('access logs without a log configuration, a test-traffic header on TCP, and blue/green without a bake time', () => {
    // GIVEN an aws-cdk-lib service with all three mistakes
    const env = new TestEnv();
    const orders = new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'tcp', containerPort: 9000 }]),
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    });
    // (the L2 itself refuses access logs without a log driver; the L1 does not)
    (orders.node.defaultChild as ecs.CfnService).serviceConnectConfiguration = {
      enabled: true,
      namespace: env.namespace.namespaceArn,
      services: [{ portName: 'tcp', clientAliases: [{ port: 9000, testTrafficRules: { header: { name: 'x-test' } } }] }],
      accessLogConfiguration: { format: 'JSON' },
    };
    // WHEN
    Aspects.of(env.stack).add(new ServiceConnectChecks());
    // THEN
    const errors = Annotations.fromStack(env.stack).findError('*', Match.anyValue()).map((e) => String(e.entry.data));
    expect(errors).toEqual(expect.arrayContaining(['[AccessLogsNeedProxyLogs]', '[TestTrafficProtocol]', '[BlueGreenBakeTime]'].map((id) => expect.stringContaining(id))));
    expect(ServiceConnectChecks.RULE_IDS).toEqual(expect.arrayContaining(['AccessLogsNeedProxyLogs', 'TestTrafficProtocol', 'BlueGreenBakeTime']));
  });
});

describeRule(blueGreenBakeTime, [{
  name: 'BLUE_GREEN on an attached aws-cdk-lib service without a bake time',
  fail: (env) => ClientServerService.attach(env.stack, 'OrdersServiceConnect', {
    service: new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080 }]),
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    }),
    namespace: env.namespace,
    endpoints: [{ portMappingName: 'http' }],
  }),
  pass: (env) => ClientServerService.attach(env.stack, 'OrdersServiceConnect', {
    service: new ecs.FargateService(env.stack, 'Orders', {
      cluster: env.cluster,
      taskDefinition: fargateTask(env.stack, 'OrdersTask', [{ name: 'http', containerPort: 8080 }]),
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(10),
    }),
    namespace: env.namespace,
    endpoints: [{ portMappingName: 'http' }],
  }),
  found: 'deploymentStrategy BLUE_GREEN, no bakeTime',
}]);

describeRule(managedInstancesUnconfirmed, [{
  name: 'a service on an ECS Managed Instances capacity provider (unconfirmed: a warning)',
  fail: (env) => {
    const provider = new ecs.CfnCapacityProvider(env.stack, 'ManagedInstances', {
      managedInstancesProvider: {
        infrastructureRoleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRole',
        instanceLaunchTemplate: {
          ec2InstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          networkConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] },
        },
      },
    } as ecs.CfnCapacityProviderProps);
    env.server('Api', { capacityProviderStrategies: [{ capacityProvider: provider.ref, weight: 1 }] });
  },
  pass: (env) => env.server('Api', { capacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }] }),
  found: 'capacity provider Stack/ManagedInstances',
}]);
