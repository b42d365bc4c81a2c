import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientService, ServiceConnectNamespace } from '../../src';
import {
  bottlerocketNotSupported, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported,
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

describeRule(ec2InstanceAmi, [{
  name: 'capacity on an Amazon Linux 2023 AMI that is not ECS-optimized',
  fail: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    ec2Server(env);
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    ec2Server(env);
  },
  found: 'AMI from SSM parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
}]);

describeRule(bottlerocketNotSupported, [{
  name: 'capacity on a Bottlerocket AMI',
  fail: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: new ecs.BottleRocketImage() });
    ec2Server(env);
  },
  pass: (env) => {
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    ec2Server(env);
  },
  found: 'AMI from SSM parameter /aws/service/bottlerocket/aws-ecs-1/x86_64/latest/image_id',
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
  fix: 'make sure it is the ECS-optimized Amazon Linux 2023 AMI (20230428 or later) or Amazon Linux 2 AMI (2.0.20221115 or later), then acknowledge this warning or relax the rule on the service with that reason',
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
}, {
  name: 'an EXTERNAL deployment controller',
  fail: (env) => env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.EXTERNAL } }),
  pass: (env) => env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.ECS }, circuitBreaker: { rollback: true } }),
  found: 'deployment controller EXTERNAL',
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
}, {
  name: 'a namespace of another account in another region (a RAM share must be in the same region)',
  env: { env: { region: 'us-east-1', account: '123456789012' } },
  fail: (env) => {
    const other = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(env.stack, 'Other', {
      namespaceArn: 'arn:aws:servicediscovery:eu-west-1:210987654321:namespace/ns-abc', namespaceId: 'ns-abc', namespaceName: 'other.internal',
    });
    env.server('Api', { namespace: ServiceConnectNamespace.fromNamespace(env.stack, 'Imported', other) });
  },
  pass: (env) => {
    const shared = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(env.stack, 'Shared', {
      namespaceArn: 'arn:aws:servicediscovery:us-east-1:210987654321:namespace/ns-abc', namespaceId: 'ns-abc', namespaceName: 'shared.internal',
    });
    env.server('Api', { namespace: ServiceConnectNamespace.fromNamespace(env.stack, 'Imported', shared) });
  },
  found: 'namespace region eu-west-1, service region us-east-1',
}]);

describeRule(regionSupported, [{
  name: 'a known region outside the April 2023 list',
  env: { env: { region: 'ap-southeast-4', account: '123456789012' } },
  passEnv: { env: { region: 'eu-central-2', account: '123456789012' } },
  fail: (env) => env.server('Api'),
  pass: (env) => env.server('Api'),
  found: 'region ap-southeast-4',
}]);

describe('configurations the current guide allows synthesize (they failed on the 2023 rules)', () => {
  test.each(['il-central-1', 'ap-southeast-4', 'ca-west-1', 'us-gov-west-1'])('a stack in %s: a warning at most', (region) => {
    const env = new RuleEnv({ env: { region, account: '123456789012' } });
    env.server('Api');
    expect(() => env.app.synth()).not.toThrow();
  });

  test('an env-agnostic stack refuses no region at deploy time: no CloudFormation Rule', () => {
    const env = new RuleEnv();
    env.server('Api');
    expect(Object.keys(Template.fromStack(env.stack).toJSON().Rules ?? {})).toEqual(['CheckBootstrapVersion']);
  });

  test('the circuit breaker with a rolling deployment', () => {
    const env = new RuleEnv();
    env.server('Api', { circuitBreaker: { rollback: true } });
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
  });

  test('an EC2 capacity provider strategy', () => {
    const env = new RuleEnv();
    const group = new autoscaling.AutoScalingGroup(env.stack, 'Group', {
      vpc: env.vpc, instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    });
    const provider = new ecs.AsgCapacityProvider(env.stack, 'Provider', { autoScalingGroup: group });
    env.cluster.addAsgCapacityProvider(provider);
    ec2Server(env, { capacityProviderStrategies: [{ capacityProvider: provider.capacityProviderName, weight: 1 }] });
    Template.fromStack(env.stack).hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ Weight: 1 }] });
  });

  test('capacity on the ECS-optimized Amazon Linux 2023 AMI', () => {
    const env = new RuleEnv();
    env.cluster.addCapacity('Capacity', { instanceType, machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    ec2Server(env);
    expect(() => env.app.synth()).not.toThrow();
  });

});

test('the region list is the April 2023 guide\'s 26 regions', () => {
  expect(SERVICE_CONNECT_REGIONS).toHaveLength(26);
  expect(new Set(SERVICE_CONNECT_REGIONS).size).toBe(26);
});

test('a Fargate service without a platform version passes (LATEST)', () => {
  const env = new RuleEnv();
  env.server('Api', { taskDefinition: fargateTask(env.stack, 'T', [{ name: 'http', containerPort: 8080 }]) });
  expect(() => env.app.synth()).not.toThrow();
});
