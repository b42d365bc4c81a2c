import { Token } from 'aws-cdk-lib';
import { serviceFacts } from './facts';
import {
  circuitBreakerNotSupported, ec2CapacityProviderStrategy, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported,
  fargatePlatformVersion, namespaceSameRegion, regionSupported, rollingDeploymentOnly, SERVICE_CONNECT_REGIONS,
} from '../../src/rules/platform-rules';
import { RuleSeverity } from '../../src/rules/rule';

const AL2 = '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id';

describe('FargatePlatformVersion', () => {
  test.each(['1.3.0', '1.3', '1', '1.3.10', '1.0.0', '0.9.9'])('fires on %s', (platformVersion) => {
    expect(fargatePlatformVersion.check(serviceFacts({ platformVersion }))).toEqual([{
      problem: 'Service Connect needs Fargate platform version 1.4.0 or later',
      value: `platformVersion ${platformVersion}`,
    }]);
  });

  test.each(['1.4.0', '1.4', '1.4.1', '1.10.0', '2.0.0', 'LATEST', '1.4.0-beta', '1.3.0-beta', 'v1.3.0'])('is quiet on %s', (platformVersion) => {
    expect(fargatePlatformVersion.check(serviceFacts({ platformVersion }))).toEqual([]);
  });

  test('is quiet without a version, with a token, or on EC2', () => {
    expect(fargatePlatformVersion.check(serviceFacts({ platformVersion: undefined }))).toEqual([]);
    expect(fargatePlatformVersion.check(serviceFacts({ platformVersion: Token.asString({ Ref: 'Version' }) }))).toEqual([]);
    expect(fargatePlatformVersion.check(serviceFacts({ launchType: 'EC2', platformVersion: '1.3.0' }))).toEqual([]);
  });
});

describe('Ec2CapacityProviderStrategy', () => {
  test('fires on an EC2 service with one strategy, in the singular', () => {
    expect(ec2CapacityProviderStrategy.check(serviceFacts({ launchType: 'EC2', capacityProviderStrategyCount: 1 }))).toEqual([{
      problem: 'Service Connect on EC2 instances needs the EC2 launch type, not capacity providers',
      value: '1 capacity provider strategy',
    }]);
  });

  test('says "strategies" for more than one', () => {
    expect(ec2CapacityProviderStrategy.check(serviceFacts({ launchType: 'EC2', capacityProviderStrategyCount: 2 }))[0].value)
      .toEqual('2 capacity provider strategies');
  });

  test('is quiet without strategies, or on Fargate', () => {
    expect(ec2CapacityProviderStrategy.check(serviceFacts({ launchType: 'EC2', capacityProviderStrategyCount: 0 }))).toEqual([]);
    expect(ec2CapacityProviderStrategy.check(serviceFacts({ launchType: 'FARGATE', capacityProviderStrategyCount: 2 }))).toEqual([]);
  });
});

describe('Ec2InstanceAmi', () => {
  const ec2 = (capacity: { path: string; amiParameter?: string; amiId?: string }[]) => serviceFacts({ launchType: 'EC2', capacity });

  test('accepts every ECS-optimized Amazon Linux 2 parameter', () => {
    for (const amiParameter of [AL2, '/aws/service/ecs/optimized-ami/amazon-linux-2/kernel-5.10/arm64/recommended/image_id']) {
      expect(ec2InstanceAmi.check(ec2([{ path: 'Asg', amiParameter }]))).toEqual([]);
    }
  });

  test('fires on another SSM parameter', () => {
    const amiParameter = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
    expect(ec2InstanceAmi.check(ec2([{ path: 'App/Stack/Asg', amiParameter }]))).toEqual([{
      problem: 'capacity App/Stack/Asg runs an AMI that lacks the Service Connect agent software',
      value: `AMI from SSM parameter ${amiParameter}`,
    }]);
  });

  test('fires on a parameter that only contains the prefix', () => {
    expect(ec2InstanceAmi.check(ec2([{ path: 'Asg', amiParameter: `/mine${AL2}` }]))).toHaveLength(1);
  });

  test('warns on a literal AMI id it cannot verify', () => {
    expect(ec2InstanceAmi.check(ec2([{ path: 'App/Stack/Asg', amiId: 'ami-1234' }]))).toEqual([{
      problem: 'capacity App/Stack/Asg runs an AMI the library cannot verify is the ECS-optimized Amazon Linux 2 AMI',
      value: 'AMI ami-1234',
      severity: RuleSeverity.WARNING,
      fix: 'make sure it is the ECS-optimized Amazon Linux 2 AMI 2.0.20221115 or later, then relax this rule on the service with that reason',
    }]);
  });

  test('warns on an AMI that is neither a parameter nor a literal', () => {
    expect(ec2InstanceAmi.check(ec2([{ path: 'Asg' }]))[0].value).toEqual('an AMI that is not an SSM parameter');
  });

  test('reports each group, and nothing on Fargate', () => {
    expect(ec2InstanceAmi.check(ec2([{ path: 'A', amiId: 'ami-1' }, { path: 'B', amiParameter: AL2 }, { path: 'C' }]))).toHaveLength(2);
    expect(ec2InstanceAmi.check(serviceFacts({ capacity: [{ path: 'A', amiId: 'ami-1' }] }))).toEqual([]);
  });
});

describe('Ec2InstancePollPermission', () => {
  test('fires on a role that cannot poll, and only then', () => {
    const capacity = [{ path: 'App/Stack/Asg', pollAllowed: false }, { path: 'Ok', pollAllowed: true }, { path: 'Unknown' }];
    expect(ec2InstancePollPermission.check(serviceFacts({ launchType: 'EC2', capacity }))).toEqual([{
      problem: 'the instance role of capacity App/Stack/Asg cannot call ecs:Poll',
      value: 'no statement allows ecs:Poll',
    }]);
  });

  test('is quiet on Fargate', () => {
    expect(ec2InstancePollPermission.check(serviceFacts({ capacity: [{ path: 'A', pollAllowed: false }] }))).toEqual([]);
  });
});

describe('RollingDeploymentOnly', () => {
  test.each(['CODE_DEPLOY', 'EXTERNAL'])('fires on %s', (deploymentControllerType) => {
    expect(rollingDeploymentOnly.check(serviceFacts({ deploymentControllerType }))).toEqual([{
      problem: 'Service Connect supports only rolling deployments',
      value: `deployment controller ${deploymentControllerType}`,
    }]);
  });

  test.each([['ECS'], [undefined]])('is quiet on %s', (deploymentControllerType) => {
    expect(rollingDeploymentOnly.check(serviceFacts({ deploymentControllerType }))).toEqual([]);
  });
});

describe('CircuitBreakerNotSupported', () => {
  test('fires when enabled and only then', () => {
    expect(circuitBreakerNotSupported.check(serviceFacts({ circuitBreakerEnabled: true }))).toEqual([{
      problem: 'Service Connect services cannot use the deployment circuit breaker',
      value: 'circuitBreaker enabled',
    }]);
    expect(circuitBreakerNotSupported.check(serviceFacts({ circuitBreakerEnabled: false }))).toEqual([]);
  });
});

describe('NamespaceSameRegion', () => {
  test('fires on another region', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceRegion: 'eu-west-1' }))).toEqual([{
      problem: 'the namespace is in another region',
      value: 'namespace region eu-west-1, service region us-east-1',
    }]);
  });

  test('fires on another account', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceAccount: '222222222222' }))).toEqual([{
      problem: 'the namespace is in another account',
      value: 'namespace account 222222222222, service account 111111111111',
    }]);
  });

  test('reports both at once', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceRegion: 'eu-west-1', namespaceAccount: '222222222222' }))).toHaveLength(2);
  });

  test.each([
    ['service region unknown', { region: undefined, namespaceRegion: 'eu-west-1' }],
    ['namespace region unknown', { namespaceRegion: undefined, region: 'eu-west-1' }],
    ['service account unknown', { account: undefined, namespaceAccount: '222222222222' }],
    ['namespace account unknown', { namespaceAccount: undefined, account: '222222222222' }],
  ])('is quiet with the %s', (_name, overrides) => {
    expect(namespaceSameRegion.check(serviceFacts(overrides))).toEqual([]);
  });
});

describe('RegionSupported', () => {
  test('fires on a region outside the guide\'s list', () => {
    expect(regionSupported.check(serviceFacts({ region: 'eu-central-2', namespaceRegion: 'eu-central-2' }))).toEqual([{
      problem: 'Service Connect is not available in the stack\'s region',
      value: 'region eu-central-2',
    }]);
  });

  test('accepts every listed region, and an unknown one', () => {
    for (const region of SERVICE_CONNECT_REGIONS) {
      expect(regionSupported.check(serviceFacts({ region, namespaceRegion: region }))).toEqual([]);
    }
    expect(regionSupported.check(serviceFacts({ region: undefined }))).toEqual([]);
  });

  test('lists the regions of the guide', () => {
    expect(SERVICE_CONNECT_REGIONS).toHaveLength(24);
    expect(new Set(SERVICE_CONNECT_REGIONS).size).toBe(24);
    expect(SERVICE_CONNECT_REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'cn-north-1', 'sa-east-1']));
  });
});

describe('ExternalNotSupported', () => {
  test('fires on EXTERNAL and only then', () => {
    expect(externalNotSupported.check(serviceFacts({ launchType: 'EXTERNAL' }))).toEqual([{
      problem: 'ECS Anywhere (EXTERNAL) services cannot use Service Connect',
      value: 'launch type EXTERNAL',
    }]);
    expect(externalNotSupported.check(serviceFacts({ launchType: 'EC2' }))).toEqual([]);
  });
});
