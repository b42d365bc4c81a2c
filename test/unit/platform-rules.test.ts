import { Token } from 'aws-cdk-lib';
import { serviceFacts } from './facts';
import {
  bottlerocketNotSupported, ec2InstanceAmi, ec2InstancePollPermission, externalNotSupported, managedInstancesUnconfirmed,
  fargatePlatformVersion, namespaceNameFormat, namespaceSameRegion, serviceNameFormat, regionSupported, rollingDeploymentOnly,
  SERVICE_CONNECT_REGIONS, serviceConnectConfigurationConflict,
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

describe('Ec2InstanceAmi', () => {
  const ec2 = (capacity: { path: string; amiParameter?: string; amiId?: string }[]) => serviceFacts({ launchType: 'EC2', capacity });

  test('accepts every ECS-optimized Amazon Linux 2 and Amazon Linux 2023 parameter', () => {
    for (const amiParameter of [
      AL2, '/aws/service/ecs/optimized-ami/amazon-linux-2/kernel-5.10/arm64/recommended/image_id',
      '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    ]) {
      expect(ec2InstanceAmi.check(ec2([{ path: 'Asg', amiParameter }]))).toEqual([]);
    }
  });

  test('leaves Bottlerocket to its own rule', () => {
    expect(ec2InstanceAmi.check(ec2([{ path: 'Asg', amiParameter: '/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id' }]))).toEqual([]);
  });

  test('fires on another SSM parameter', () => {
    const amiParameter = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
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
      problem: 'capacity App/Stack/Asg runs an AMI the library cannot verify is an ECS-optimized Amazon Linux 2023 or Amazon Linux 2 AMI',
      value: 'AMI ami-1234',
      severity: RuleSeverity.WARNING,
      fix: 'make sure it is the ECS-optimized Amazon Linux 2023 AMI (20230428 or later) or Amazon Linux 2 AMI (2.0.20221115 or later), then acknowledge this warning or relax the rule on the service with that reason',
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

describe('BottlerocketNotSupported', () => {
  const ec2 = (capacity: { path: string; amiParameter?: string; amiId?: string }[]) => serviceFacts({ launchType: 'EC2', capacity });

  test('fires on a Bottlerocket parameter, and only on EC2', () => {
    const amiParameter = '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id';
    expect(bottlerocketNotSupported.check(ec2([{ path: 'App/Stack/Asg', amiParameter }]))).toEqual([{
      problem: 'capacity App/Stack/Asg runs Bottlerocket, and Bottlerocket AMIs do not support Service Connect',
      value: `AMI from SSM parameter ${amiParameter}`,
    }]);
    expect(bottlerocketNotSupported.check(serviceFacts({ capacity: [{ path: 'A', amiParameter }] }))).toEqual([]);
  });

  test('is quiet on Amazon Linux 2023 and on a literal AMI', () => {
    expect(bottlerocketNotSupported.check(ec2([
      { path: 'A', amiParameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' }, { path: 'B', amiId: 'ami-1' },
    ]))).toEqual([]);
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
      problem: 'Service Connect does not support the CODE_DEPLOY and EXTERNAL deployment controllers',
      value: `deployment controller ${deploymentControllerType}`,
    }]);
  });

  test.each([['ECS'], [undefined]])('is quiet on %s', (deploymentControllerType) => {
    expect(rollingDeploymentOnly.check(serviceFacts({ deploymentControllerType }))).toEqual([]);
  });
});

describe('NamespaceSameRegion', () => {
  test('fires on another region', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceRegion: 'eu-west-1' }))).toEqual([{
      problem: 'the namespace is in another region',
      value: 'namespace region eu-west-1, service region us-east-1',
    }]);
  });

  test('accepts another account in the same region: a namespace shared through AWS RAM', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceAccount: '222222222222' }))).toEqual([]);
  });

  test('reports the region once when the account differs too', () => {
    expect(namespaceSameRegion.check(serviceFacts({ namespaceRegion: 'eu-west-1', namespaceAccount: '222222222222' }))).toHaveLength(1);
  });

  test.each([
    ['service region unknown', { region: undefined, namespaceRegion: 'eu-west-1' }],
    ['namespace region unknown', { namespaceRegion: undefined, region: 'eu-west-1' }],
  ])('is quiet with the %s', (_name, overrides) => {
    expect(namespaceSameRegion.check(serviceFacts(overrides))).toEqual([]);
  });
});

describe('RegionSupported', () => {
  test('warns (the rule is a warning) on a region outside the last published list', () => {
    expect(regionSupported.severity).toBe(RuleSeverity.WARNING);
    expect(regionSupported.check(serviceFacts({ region: 'il-central-1', namespaceRegion: 'il-central-1' }))).toEqual([{
      problem: 'the region is not in the last region list the Service Connect guide published',
      value: 'region il-central-1',
    }]);
  });

  test('accepts every listed region, and an unknown one', () => {
    for (const region of SERVICE_CONNECT_REGIONS) {
      expect(regionSupported.check(serviceFacts({ region, namespaceRegion: region }))).toEqual([]);
    }
    expect(regionSupported.check(serviceFacts({ region: undefined }))).toEqual([]);
  });

  test('lists the 26 regions of the April 2023 guide', () => {
    expect(SERVICE_CONNECT_REGIONS).toHaveLength(26);
    expect(new Set(SERVICE_CONNECT_REGIONS).size).toBe(26);
    expect(SERVICE_CONNECT_REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'cn-north-1', 'sa-east-1', 'eu-central-2', 'me-central-1']));
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

describe('ManagedInstancesUnconfirmed', () => {
  test('warns (a warning rule) for each Managed Instances capacity provider, and is quiet without one', () => {
    expect(managedInstancesUnconfirmed.severity).toBe(RuleSeverity.WARNING);
    expect(managedInstancesUnconfirmed.check(serviceFacts({ managedInstancesProviders: ['App/Stack/Mi'] }))).toEqual([{
      problem: 'the capacity provider App/Stack/Mi is ECS Managed Instances, where Service Connect support is unconfirmed',
      value: 'capacity provider App/Stack/Mi',
    }]);
    expect(managedInstancesUnconfirmed.check(serviceFacts())).toEqual([]);
  });
});

describe('NamespaceNameFormat', () => {
  test.each([
    ['a space', 'test namespace'],
    ['an empty name', ''],
    ['a character outside ASCII', 'shöp.internal'],
    ['a tab', 'shop\tinternal'],
    ['1025 characters', 'a'.repeat(1025)],
  ])('fires on %s', (_name, namespaceName) => {
    const [finding] = namespaceNameFormat.check(serviceFacts({ namespaceName }));
    expect(finding.problem).toBe('the namespace\'s name is not one a Cloud Map namespace can have');
    expect(finding.value).toContain(`(${namespaceName.length} characters)`);
  });

  test.each(['shop.internal', 'a', 'a'.repeat(1024), 'x!~_-.y'])('is quiet on %p', (namespaceName) => {
    expect(namespaceNameFormat.check(serviceFacts({ namespaceName }))).toEqual([]);
  });

  test('skips a token and a namespace the checks cannot name', () => {
    expect(namespaceNameFormat.check(serviceFacts({ namespaceName: Token.asString({ Ref: 'Ns' }) }))).toEqual([]);
    expect(namespaceNameFormat.check(serviceFacts({ namespaceName: 'the namespace of the configuration', namespaceUnknown: true }))).toEqual([]);
  });
});

describe('ServiceNameFormat', () => {
  test.each([['256 characters', 'a'.repeat(256)], ['a space', 'my service'], ['a period', 'web.v1'], ['empty', '']])('fires on %s', (_name, serviceName) => {
    expect(serviceNameFormat.check(serviceFacts({ serviceName }))).toEqual([expect.objectContaining({
      problem: 'the ECS service\'s name is not one ECS accepts', value: expect.stringContaining(`(${serviceName.length} characters)`),
    })]);
  });

  test.each(['web', 'Web_v1-prod', 'a'.repeat(255)])('is quiet on %p, and without a literal name', (serviceName) => {
    expect(serviceNameFormat.check(serviceFacts({ serviceName }))).toEqual([]);
    expect(serviceNameFormat.check(serviceFacts())).toEqual([]);
  });
});

describe('ServiceConnectConfigurationConflict', () => {
  test('one finding per difference, saying what differs', () => {
    const configurationConflicts = [
      { what: 'another namespace', value: "namespace 'other.internal', the library's 'shop.internal'" },
      { what: 'proxy logs on both sides', value: 'logConfiguration set; proxyLogs enabled' },
    ];
    expect(serviceConnectConfigurationConflict.check(serviceFacts({ configurationConflicts }))).toEqual([
      { problem: 'the service\'s own Service Connect configuration conflicts with the library\'s: another namespace', value: configurationConflicts[0].value },
      { problem: 'the service\'s own Service Connect configuration conflicts with the library\'s: proxy logs on both sides', value: configurationConflicts[1].value },
    ]);
    expect(serviceConnectConfigurationConflict.check(serviceFacts())).toEqual([]);
  });
});
