import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientService, ServiceConnectNamespace } from '../../src';
import {
  circuitBreakerNotSupported, ec2CapacityProviderStrategy, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported,
  fargatePlatformVersion, namespaceSameRegion, regionSupported, rollingDeploymentOnly, SERVICE_CONNECT_REGIONS,
} from '../../src/rules/platform-rules';
import { RuleSeverity } from '../../src/rules/rule';
import { ec2Task, fargateTask } from '../util';
import { describeRule, RuleEnv } from './harness';

const instanceType = new ec2.InstanceType('t3.medium');

/** An EC2 server on the env's cluster. */
function ec2Server(env: RuleEnv, extra: { capacityProviderStrategies?: ecs.CapacityProviderStrategy[] } = {}): void {
  env.server('Api', { taskDefinition: ec2Task(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), ...extra });
}

describeRule(fargatePlatformVersion, [{
  name: 'platform version 1.3.0',
  fail: (env) => env.server('Api', { platformVersion: ecs.FargatePlatformVersion.VERSION1_3 }),
  pass: (env) => env.server('Api', { platformVersion: ecs.FargatePlatformVersion.VERSION1_4 }),
  found: 'platformVersion 1.3.0',
}]);

describeRule(ec2CapacityProviderStrategy, [{
  name: 'an EC2 service with a capacity provider strategy',
  fail: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType });
    ec2Server(env, { capacityProviderStrategies: [{ capacityProvider: 'ec2-provider', weight: 1 }] });
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType });
    ec2Server(env);
  },
  found: '1 capacity provider strategy',
}]);

describeRule(ec2InstanceAmi, [{
  name: 'capacity on the ECS-optimized Amazon Linux 2023 AMI',
  fail: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    ec2Server(env);
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    ec2Server(env);
  },
  found: 'AMI from SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
}]);

describeRule(ec2InstanceAmi, [{
  name: 'capacity on an AMI the library cannot verify',
  fail: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) });
    ec2Server(env);
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2(ecs.AmiHardwareType.ARM) });
    ec2Server(env);
  },
  fix: 'make sure it is the ECS-optimized Amazon Linux 2 AMI 2.0.20221115 or later, then relax this rule on the service with that reason',
}], RuleSeverity.WARNING);

describeRule(ec2InstancePollPermission, [{
  name: 'an Auto Scaling group in the cluster whose role lacks ecs:Poll',
  fail: (env) => {
    new autoscaling.AutoScalingGroup(env.cluster, 'Raw', { vpc: env.vpc, instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    ec2Server(env);
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType });
    ec2Server(env);
  },
  found: 'no statement allows ecs:Poll',
}]);

describeRule(externalNotSupported, [{
  name: 'an ECS Anywhere task definition',
  fail: (env) => {
    const taskDefinition = new ecs.ExternalTaskDefinition(env.stack, 'Task');
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256 });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition });
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: ec2Task(env.stack, 'Task') });
  },
  found: 'launch type EXTERNAL',
}, {
  name: 'container options with the EXTERNAL launch type',
  fail: (env) => new ClientService(env.stack, 'Web', {
    cluster: env.cluster, namespace: env.namespace, container: { image: ecs.ContainerImage.fromRegistry('busybox') }, launchType: ecs.LaunchType.EXTERNAL,
  }),
  pass: (env) => new ClientService(env.stack, 'Web', {
    cluster: env.cluster, namespace: env.namespace, container: { image: ecs.ContainerImage.fromRegistry('busybox') }, launchType: ecs.LaunchType.FARGATE,
  }),
  found: 'launch type EXTERNAL',
}]);

describeRule(rollingDeploymentOnly, [{
  name: 'a blue/green (CODE_DEPLOY) deployment controller',
  fail: (env) => env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } }),
  pass: (env) => env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.ECS } }),
  found: 'deployment controller CODE_DEPLOY',
}]);

describeRule(circuitBreakerNotSupported, [{
  name: 'an enabled circuit breaker',
  fail: (env) => env.server('Api', { circuitBreaker: { rollback: true } }),
  pass: (env) => env.server('Api', { circuitBreaker: { enable: false } }),
  found: 'circuitBreaker enabled',
}]);

describeRule(namespaceSameRegion, [{
  name: 'a namespace imported from another region',
  env: { env: { region: 'us-east-1', account: '123456789012' } },
  fail: (env) => {
    const other = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(env.stack, 'Other', {
      namespaceArn: 'arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-abc', namespaceId: 'ns-abc', namespaceName: 'other.internal',
    });
    env.server('Api', { namespace: ServiceConnectNamespace.fromNamespace(env.stack, 'Imported', other) });
  },
  pass: (env) => {
    const same = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(env.stack, 'Same', {
      namespaceArn: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc', namespaceId: 'ns-abc', namespaceName: 'same.internal',
    });
    env.server('Api', { namespace: ServiceConnectNamespace.fromNamespace(env.stack, 'Imported', same) });
  },
  found: 'namespace region eu-west-1, service region us-east-1',
}]);

describeRule(regionSupported, [{
  name: 'a known region outside the guide\'s list',
  env: { env: { region: 'il-central-1', account: '123456789012' } },
  passEnv: { env: { region: 'sa-east-1', account: '123456789012' } },
  fail: (env) => env.server('Api'),
  pass: (env) => env.server('Api'),
  found: 'region il-central-1',
}]);

describe('RegionSupported guard', () => {
  test('an env-agnostic stack gets a CloudFormation Rule that fails deployment outside the list', () => {
    const env = new RuleEnv();
    env.server('Api');
    env.server('Db');
    const rules = Template.fromStack(env.stack).toJSON().Rules;
    expect(rules.ServiceConnectRegionSupported).toEqual({
      Assertions: [{
        Assert: { 'Fn::Contains': [SERVICE_CONNECT_REGIONS, { Ref: 'AWS::Region' }] },
        AssertDescription: expect.stringContaining('[RegionSupported]'),
      }],
    });
  });

  test('a stack with a known region gets no guard', () => {
    const env = new RuleEnv({ env: { region: 'eu-west-1', account: '123456789012' } });
    env.server('Api');
    expect(Template.fromStack(env.stack).toJSON().Rules?.ServiceConnectRegionSupported).toBeUndefined();
  });

  test('the list is the guide\'s 24 regions', () => {
    expect(SERVICE_CONNECT_REGIONS).toHaveLength(24);
    expect(new Set(SERVICE_CONNECT_REGIONS).size).toBe(24);
  });
});

test('a Fargate service without a platform version passes (LATEST)', () => {
  const env = new RuleEnv();
  env.server('Api', { taskDefinition: fargateTask(env.stack, 'T', [{ name: 'http', containerPort: 8080 }]) });
  expect(() => env.app.synth()).not.toThrow();
});
