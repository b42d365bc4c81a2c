import { Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, DeploymentLifecycleStage, DeploymentStrategy, ServiceConnectServiceProps } from '../src';
import { fargateTask, TestEnv } from './util';

/*
 * Every option of aws-cdk-lib's FargateService / Ec2Service props at the floor reaches the service the
 * library builds, or is refused with an error that names it. Nothing is dropped silently.
 */

function client(env: TestEnv, extra: object): ClientService {
  // Passed as a variable, as JavaScript users and spread props do: the compiler does not catch extras.
  const props: ServiceConnectServiceProps = { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), ...extra };
  return new ClientService(env.stack, 'Web', props);
}

describe('options that reach the ECS service', () => {
  test('deployment alarms', () => {
    const env = new TestEnv();
    const alarm = new cloudwatch.Alarm(env.stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1,
    });
    client(env, { deploymentAlarms: { alarmNames: [alarm.alarmName], behavior: ecs.AlarmBehavior.FAIL_ON_ALARM } });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { Alarms: { AlarmNames: [{ Ref: 'Alarm7103F465' }], Enable: true, Rollback: false } },
    });
  });

  test('availability-zone rebalancing', () => {
    const env = new TestEnv();
    client(env, { availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED });
    env.template().hasResourceProperties('AWS::ECS::Service', { AvailabilityZoneRebalancing: 'ENABLED' });
  });

  test('Cloud Map options (a service registry next to Service Connect)', () => {
    const env = new TestEnv();
    const cloudMap = new servicediscovery.PrivateDnsNamespace(env.stack, 'Dns', { name: 'dns.internal', vpc: env.vpc });
    client(env, { cloudMapOptions: { cloudMapNamespace: cloudMap, name: 'web' } });
    env.template().hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'web' });
    env.template().hasResourceProperties('AWS::ECS::Service', { ServiceRegistries: [{ RegistryArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebServiceCloudmapService'), 'Arn'] } }] });
  });

  test('managed EBS volume configurations', () => {
    const env = new TestEnv();
    const volume = new ecs.ServiceManagedVolume(env.stack, 'Volume', { name: 'data', managedEBSVolume: { size: Size.gibibytes(10) } });
    const taskDefinition = fargateTask(env.stack, 'DataTask');
    taskDefinition.addVolume(volume);
    volume.mountIn(taskDefinition.defaultContainer as ecs.ContainerDefinition, { containerPath: '/data', readOnly: false });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition, volumeConfigurations: [volume] });
    env.template().hasResourceProperties('AWS::ECS::Service', { VolumeConfigurations: [Match.objectLike({ Name: 'data' })] });
  });

  test('the deployment strategy, bake time and lifecycle hooks (rendered on the resource: the floor L2 has no such props)', () => {
    const env = new TestEnv();
    const hook = lambda.Function.fromFunctionArn(env.stack, 'Hook', 'arn:aws:lambda:us-east-1:111111111111:function:smoke');
    client(env, {
      deploymentStrategy: DeploymentStrategy.BLUE_GREEN,
      bakeTime: Duration.minutes(5),
      lifecycleHooks: [{ lambdaFunction: hook, stages: [DeploymentLifecycleStage.POST_SCALE_UP] }],
    });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'BLUE_GREEN',
        BakeTimeInMinutes: 5,
        LifecycleHooks: [Match.objectLike({ HookTargetArn: 'arn:aws:lambda:us-east-1:111111111111:function:smoke', LifecycleStages: ['POST_SCALE_UP'] })],
      }),
    });
  });

  test('linear and canary steps', () => {
    const linear = new TestEnv();
    client(linear, { deploymentStrategy: DeploymentStrategy.LINEAR, linearConfiguration: { stepPercent: 20, stepBakeTime: Duration.minutes(3) } });
    linear.template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 3 } }),
    });
    const canary = new TestEnv();
    client(canary, { deploymentStrategy: DeploymentStrategy.CANARY, canaryConfiguration: { canaryPercent: 5, canaryBakeTime: Duration.minutes(9) } });
    canary.template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 9 } }),
    });
  });

  test('the task definition revision', () => {
    const env = new TestEnv();
    client(env, { taskDefinitionRevision: ecs.TaskDefinitionRevision.LATEST });
    const service = Object.values(env.template().findResources('AWS::ECS::Service'))[0] as any;
    expect(JSON.stringify(service.Properties.TaskDefinition)).not.toContain('Ref');
  });
});

describe('options the library refuses, by name', () => {
  test.each([
    ['forceNewDeployment', { enable: true }],
    ['serviceConnectConfiguration', { namespace: 'x' }],
    ['desiredCuont', 2],
  ])('%s', (name, value) => {
    const env = new TestEnv();
    expect(() => client(env, { [name]: value })).toThrow(new RegExp(`Stack/Web: an option the library cannot pass to the ECS service it builds \\(found: ${name}\\)\\. Fix: .*attach`));
  });

  test('several at once are named together', () => {
    const env = new TestEnv();
    expect(() => client(env, { forceNewDeployment: { enable: true }, desiredCuont: 2 })).toThrow(/options the library cannot pass .*found: forceNewDeployment, desiredCuont/);
  });

  test('an option left undefined is not refused', () => {
    const env = new TestEnv();
    expect(() => client(env, { forceNewDeployment: undefined })).not.toThrow();
  });

  test('a server takes its endpoints and alarms', () => {
    const env = new TestEnv();
    expect(() => new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http' }],
      alarms: {},
      securityGroups: [new ec2.SecurityGroup(env.stack, 'Sg', { vpc: env.vpc })],
    })).not.toThrow();
  });
});
