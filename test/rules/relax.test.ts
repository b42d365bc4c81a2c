import { Annotations as CdkAnnotations, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { RuleEnv } from './harness';
import { ServiceConnectRules } from '../../src';
import { ALL_RULES, NAMESPACE_RULES, SERVICE_RULES } from '../../src/rules/catalog';

describe('relaxing a rule', () => {
  test('an error relaxed on the service no longer fails synth, and the reason is in the cloud assembly', () => {
    // GIVEN a service that breaks RollingDeploymentOnly
    const env = new RuleEnv();
    const api = env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    // WHEN the rule is relaxed on it with a reason
    ServiceConnectRules.relax(api, 'RollingDeploymentOnly', 'migrating off CodeDeploy in the next release');
    // THEN synth succeeds and the reason is recorded as metadata of the service
    const assembly = env.app.synth();
    const metadata = assembly.getStackByName('Stack').findMetadataByType('cdk-service-connect:relaxed');
    expect(metadata).toEqual([expect.objectContaining({
      path: '/Stack/Api',
      data: { ruleId: 'RollingDeploymentOnly', reason: 'migrating off CodeDeploy in the next release' },
    })]);
    expect(Annotations.fromStack(env.stack).findInfo('/Stack/Api', Match.stringLikeRegexp('RollingDeploymentOnly relaxed: migrating'))).toHaveLength(1);
  });

  test('a relaxation on a stack covers every service below it, and only that rule', () => {
    const env = new RuleEnv();
    env.server('Api', { platformVersion: ecs.FargatePlatformVersion.VERSION1_3, deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    ServiceConnectRules.relax(env.stack, 'RollingDeploymentOnly', 'accepted for this stack');
    let message = '';
    try {
      env.app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[FargatePlatformVersion] Stack/Api');
    expect(message).not.toContain('[RollingDeploymentOnly]');
  });

  test('a relaxed warning is not reported', () => {
    const env = new RuleEnv();
    const api = env.server('Api', { platformVersion: ecs.FargatePlatformVersion.LATEST });
    const taskDefinition = api.taskDefinition;
    expect(taskDefinition).toBeDefined();
    const small = env.server('Small', {
      taskDefinition: (() => {
        const td = new ecs.FargateTaskDefinition(env.stack, 'SmallTask', { cpu: 256, memoryLimitMiB: 512 });
        td.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256, portMappings: [{ name: 'http', containerPort: 8080 }] });
        return td;
      })(),
    });
    ServiceConnectRules.relax(small, 'FargateMinimumMemory', 'a tiny sidecar-free worker, load-tested at 512 MiB');
    env.app.synth();
    expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('FargateMinimumMemory'))).toEqual([]);
  });
});

describe('relaxing, hostile input', () => {
  test('a relaxation on the app is recorded in every stack where the library runs, nested stages included', () => {
    // GIVEN an app with a stack and a stage holding another stack, each with a service
    const env = new RuleEnv();
    env.server('Api');
    const stage = new Stage(env.app, 'Prod');
    const inner = new RuleEnv({}, new Stack(stage, 'Inner'));
    inner.server('Api');
    // WHEN a rule is relaxed on the app
    ServiceConnectRules.relax(env.app, 'ProxyCpuHeadroom', 'load-tested sidecar-free workers');
    // THEN each stack's artifact records it, naming the app ('') as the scope it was made on
    const assembly = env.app.synth();
    const record = { ruleId: 'ProxyCpuHeadroom', reason: 'load-tested sidecar-free workers', relaxedOn: '' };
    expect(assembly.getStackByName('Stack').findMetadataByType('cdk-service-connect:relaxed'))
      .toEqual([expect.objectContaining({ path: '/Stack', data: record })]);
    expect(assembly.nestedAssemblies[0].nestedAssembly.stacks[0].findMetadataByType('cdk-service-connect:relaxed'))
      .toEqual([expect.objectContaining({ path: '/Prod/Inner', data: record })]);
  });

  test('a relaxation on a stage is recorded in its stacks only', () => {
    const outside = new RuleEnv();
    outside.server('Api');
    const stage = new Stage(outside.app, 'Beta');
    new RuleEnv({}, new Stack(stage, 'Inner')).server('Api');
    ServiceConnectRules.relax(stage, 'RollingDeploymentOnly', 'CodeDeploy until the migration');
    const assembly = outside.app.synth();
    expect(assembly.getStackByName('Stack').findMetadataByType('cdk-service-connect:relaxed')).toEqual([]);
    expect(assembly.nestedAssemblies[0].nestedAssembly.stacks[0].findMetadataByType('cdk-service-connect:relaxed'))
      .toEqual([expect.objectContaining({ data: { ruleId: 'RollingDeploymentOnly', reason: 'CodeDeploy until the migration', relaxedOn: 'Beta' } })]);
  });

  test('a rule relaxed on the app no longer fails synth', () => {
    const env = new RuleEnv();
    env.server('Api', { deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    ServiceConnectRules.relax(env.app, 'RollingDeploymentOnly', 'migrating off CodeDeploy');
    expect(() => env.app.synth()).not.toThrow();
  });

});

describe('reporting', () => {
  test('every error of every construct is reported together in one synth failure', () => {
    const env = new RuleEnv();
    env.server('Api', { platformVersion: ecs.FargatePlatformVersion.VERSION1_3, deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } });
    env.server('Db', { platformVersion: ecs.FargatePlatformVersion.VERSION1_3 });
    let message = '';
    try {
      env.app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[FargatePlatformVersion] Stack/Api');
    expect(message).toContain('[RollingDeploymentOnly] Stack/Api');
    expect(message).toContain('[FargatePlatformVersion] Stack/Db');
  });

  test.each([false, true])('a warning carries the rule id, so it can be acknowledged (acknowledged: %s)', (acknowledged) => {
    const env = new RuleEnv();
    const small = new ecs.FargateTaskDefinition(env.stack, 'SmallTask', { cpu: 256, memoryLimitMiB: 512 });
    small.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256, portMappings: [{ name: 'http', containerPort: 8080 }] });
    const api = env.server('Api', { taskDefinition: small });
    if (acknowledged) {
      CdkAnnotations.of(api).acknowledgeWarning('cdk-service-connect:FargateMinimumMemory', 'a small worker');
    }
    env.app.synth();
    expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('FargateMinimumMemory'))).toHaveLength(acknowledged ? 0 : 1);
  });
});

describe('the catalog', () => {
  test('has every rule of the specification once, and each is checked', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(ids).toEqual([
      'TaskMemoryRequired', 'TaskMemoryAboveContainers', 'ProxyMemoryHeadroom', 'ProxyCpuHeadroom', 'FargateMinimumMemory',
      'NamespaceSizeThreshold', 'NamespaceServiceLimit', 'WindowsNotSupported', 'FargatePlatformVersion', 'Ec2InstanceAmi', 'BottlerocketNotSupported',
      'Ec2InstancePollPermission', 'ManagedInstancesUnconfirmed', 'ExternalNotSupported', 'RollingDeploymentOnly', 'EndpointRequired',
      'PortMappingNameExists', 'PortNameNetworkMode', 'DiscoveryNameUnique', 'EndpointUnique', 'DiscoveryNameFormat', 'EndpointPort',
      'IngressPortOverride', 'BridgeIngressPortOverride', 'PerRequestTimeoutProtocol', 'NamespaceNameFormat', 'NamespaceSameRegion', 'RegionSupported', 'ServiceNameFormat',
      'ServiceConnectConfigurationConflict', 'TlsNetworkMode', 'TlsCertificateAuthorityArn', 'TlsCertificateAuthorityTag', 'TlsKmsKeySymmetric',
      'AccessLogsNeedProxyLogs', 'TestTrafficProtocol', 'TestTrafficHeaderName', 'BlueGreenBakeTime', 'RedeployOnEndpointChange',
      'ConnectCycle', 'ConnectAcrossNamespaces', 'CrossVpcConnectivity', 'CrossAccountIngress', 'SharedSecurityGroup', 'InstanceSecurityGroupIngress',
      'OutsideCallerAnyAddress', 'OutsideCallerPort', 'CloudMapServiceLookup', 'PrivateIntegrationAcrossAccounts',
    ]);
    expect(new Set([...SERVICE_RULES, ...NAMESPACE_RULES])).toEqual(new Set(ALL_RULES));
    expect(ServiceConnectRules.RULE_IDS).toEqual(ids);
    for (const rule of ALL_RULES) {
      expect(rule.trigger.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(10);
      // a seed paragraph, or '-' for a rule the 2023 guide does not have; always a current source
      expect(rule.seed === '-' || rule.seed.length > 3).toBe(true);
      expect(rule.source.length).toBeGreaterThan(10);
    }
  });
});
