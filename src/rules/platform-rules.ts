import { Token } from 'aws-cdk-lib';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

/**
 * Regions of the newest list the guide published ("Regions with Service Connect", April 2023). The
 * current guide lists none, so a region outside this list is only a warning: Service Connect may well
 * run there (newer regions, GovCloud).
 */
export const SERVICE_CONNECT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ca-central-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'eu-south-1', 'eu-north-1', 'me-south-1', 'me-central-1', 'sa-east-1',
];

/** Compares dotted versions numerically: negative when a < b. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

export const fargatePlatformVersion: Rule<ServiceFacts> = {
  id: 'FargatePlatformVersion',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A Fargate service pins a platform version below 1.4.0.',
  fix: 'use Fargate platform version 1.4.0 or later (`ecs.FargatePlatformVersion.LATEST` or `VERSION1_4`)',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => {
    const version = svc.platformVersion;
    if (svc.launchType !== 'FARGATE' || version === undefined || Token.isUnresolved(version) || !/^\d+(\.\d+)*$/.test(version)) {
      return [];
    }
    return compareVersions(version, '1.4.0') < 0 ? [{ problem: 'Service Connect needs Fargate platform version 1.4.0 or later', value: `platformVersion ${version}` }] : [];
  },
};

/** SSM parameter prefixes of the ECS-optimized Amazon Linux 2 and Amazon Linux 2023 AMIs (every variant: kernel, arm64, GPU, Inferentia). */
const ECS_SERVICE_CONNECT_AMI_PARAMETER = /^\/aws\/service\/ecs\/optimized-ami\/amazon-linux-(2|2023)\//;
/** SSM parameter prefix of the Bottlerocket AMIs. */
const BOTTLEROCKET_PARAMETER = /^\/aws\/service\/bottlerocket\//;

export const ec2InstanceAmi: Rule<ServiceFacts> = {
  id: 'Ec2InstanceAmi',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  severityDetail: 'error / warning',
  trigger: 'Capacity the library can see runs an AMI other than the ECS-optimized Amazon Linux 2023 or Amazon Linux 2 AMI (error), or one it cannot verify (warning). Bottlerocket has a rule of its own.',
  fix: 'launch the container instances from the ECS-optimized Amazon Linux 2023 AMI (`ecs.EcsOptimizedImage.amazonLinux2023()`, version 20230428 or later) or Amazon Linux 2 AMI (version 2.0.20221115 or later)',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => (svc.launchType !== 'EC2' ? [] : svc.capacity.flatMap((cap) => {
    if (cap.amiParameter !== undefined) {
      return ECS_SERVICE_CONNECT_AMI_PARAMETER.test(cap.amiParameter) || BOTTLEROCKET_PARAMETER.test(cap.amiParameter) ? [] : [{
        problem: `capacity ${cap.path} runs an AMI that lacks the Service Connect agent software`,
        value: `AMI from SSM parameter ${cap.amiParameter}`,
      }];
    }
    return [{
      problem: `capacity ${cap.path} runs an AMI the library cannot verify is an ECS-optimized Amazon Linux 2023 or Amazon Linux 2 AMI`,
      value: cap.amiId !== undefined ? `AMI ${cap.amiId}` : 'an AMI that is not an SSM parameter',
      severity: RuleSeverity.WARNING,
      fix: 'make sure it is the ECS-optimized Amazon Linux 2023 AMI (20230428 or later) or Amazon Linux 2 AMI (2.0.20221115 or later), then acknowledge this warning or relax the rule on the service with that reason',
    }];
  })),
};

export const bottlerocketNotSupported: Rule<ServiceFacts> = {
  id: 'BottlerocketNotSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'Capacity the library can see runs an ECS-optimized Bottlerocket AMI, which does not support Service Connect.',
  fix: 'run the service on capacity with the ECS-optimized Amazon Linux 2023 AMI (`ecs.EcsOptimizedImage.amazonLinux2023()`), or on Fargate',
  seed: '-',
  source: Source.BOTTLEROCKET,
  check: (svc) => (svc.launchType !== 'EC2' ? [] : svc.capacity
    .filter((cap) => cap.amiParameter !== undefined && BOTTLEROCKET_PARAMETER.test(cap.amiParameter))
    .map((cap) => ({
      problem: `capacity ${cap.path} runs Bottlerocket, and Bottlerocket AMIs do not support Service Connect`,
      value: `AMI from SSM parameter ${cap.amiParameter}`,
    }))),
};

export const ec2InstancePollPermission: Rule<ServiceFacts> = {
  id: 'Ec2InstancePollPermission',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An instance role the library can see lacks `ecs:Poll` on the task-set ARN.',
  fix: 'allow `ecs:Poll` on `arn:aws:ecs:<region>:<account>:task-set/<cluster>/*` for the instance role, or attach the AmazonEC2ContainerServiceforEC2Role managed policy',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => (svc.launchType !== 'EC2' ? [] : svc.capacity
    .filter((cap) => cap.pollAllowed === false)
    .map((cap) => ({ problem: `the instance role of capacity ${cap.path} cannot call ecs:Poll`, value: 'no statement allows ecs:Poll' }))),
};

export const rollingDeploymentOnly: Rule<ServiceFacts> = {
  id: 'RollingDeploymentOnly',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The deployment controller is CODE_DEPLOY (CodeDeploy blue/green) or EXTERNAL. The ECS controller\'s rolling, blue/green, linear and canary deployments all work with Service Connect.',
  fix: 'use the ECS deployment controller (remove `deploymentController`, or use `ecs.DeploymentControllerType.ECS`); for blue/green, use the ECS-native blue/green strategy',
  seed: 'Service Connect considerations (the 2023 text allowed rolling deployments only; the current guide excludes only these two controllers)',
  source: Source.CONSIDERATIONS,
  check: (svc) => (svc.deploymentControllerType === 'CODE_DEPLOY' || svc.deploymentControllerType === 'EXTERNAL' ? [{
    problem: 'Service Connect does not support the CODE_DEPLOY and EXTERNAL deployment controllers',
    value: `deployment controller ${svc.deploymentControllerType}`,
  }] : []),
};

export const namespaceSameRegion: Rule<ServiceFacts> = {
  id: 'NamespaceSameRegion',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The namespace is in another region than the service\'s stack. Another account in the same region is fine: a namespace shared through AWS RAM.',
  fix: 'use a Cloud Map namespace in the same region as the service (your own, or one shared with your account through AWS RAM)',
  seed: 'Service Connect terminology (namespace; the 2023 text also required the same account)',
  source: Source.SHARED_NAMESPACES,
  check: (svc) => (svc.region !== undefined && svc.namespaceRegion !== undefined && svc.region !== svc.namespaceRegion ? [{
    problem: 'the namespace is in another region',
    value: `namespace region ${svc.namespaceRegion}, service region ${svc.region}`,
  }] : []),
};

/** Cloud Map namespace names: 1 to 1024 printable ASCII characters, no space (CreateHttpNamespace, `Name`: `^[!-~]{1,1024}$`). */
const NAMESPACE_NAME = /^[!-~]{1,1024}$/;

export const namespaceNameFormat: Rule<ServiceFacts> = {
  id: 'NamespaceNameFormat',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The namespace the service joins has a literal name no Cloud Map namespace can have: empty, longer than 1024 characters, or with a character outside printable ASCII or a space. ECS finds no such namespace at deployment.',
  fix: 'name an existing Cloud Map namespace: 1 to 1024 printable ASCII characters without spaces, e.g. `shop.internal`',
  seed: '-',
  source: Source.CLOUD_MAP_NAMESPACE_NAME,
  check: (svc) => (svc.namespaceUnknown || Token.isUnresolved(svc.namespaceName) || NAMESPACE_NAME.test(svc.namespaceName) ? [] : [{
    problem: 'the namespace\'s name is not one a Cloud Map namespace can have',
    value: `namespace name ${JSON.stringify(svc.namespaceName.length > 80 ? `${svc.namespaceName.slice(0, 80)}...` : svc.namespaceName)} (${svc.namespaceName.length} characters)`,
  }]),
};

/** ECS service names: up to 255 letters, numbers, underscores and hyphens. */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export const serviceNameFormat: Rule<ServiceFacts> = {
  id: 'ServiceNameFormat',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The ECS service has a literal name ECS refuses: empty, longer than 255 characters, or with a character other than letters, numbers, underscores and hyphens.',
  fix: 'name the service with up to 255 letters, numbers, underscores and hyphens, or leave `serviceName` out for a generated one',
  seed: '-',
  source: Source.API_CREATE_SERVICE,
  check: (svc) => (svc.serviceName === undefined || SERVICE_NAME.test(svc.serviceName) ? [] : [{
    problem: 'the ECS service\'s name is not one ECS accepts',
    value: `serviceName ${JSON.stringify(svc.serviceName.length > 80 ? `${svc.serviceName.slice(0, 80)}...` : svc.serviceName)} (${svc.serviceName.length} characters)`,
  }]),
};

export const regionSupported: Rule<ServiceFacts> = {
  id: 'RegionSupported',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'The stack\'s region is known and not in the newest region list the guide published (April 2023). The current guide lists no regions, so this is a warning only, and nothing refuses a region at deploy time.',
  fix: `check that Service Connect is available in the region, then acknowledge the warning; the April 2023 list: ${SERVICE_CONNECT_REGIONS.join(', ')}`,
  seed: 'Regions with Service Connect',
  source: Source.NO_REGION_LIST,
  check: (svc) => (svc.region !== undefined && !SERVICE_CONNECT_REGIONS.includes(svc.region) ? [{
    problem: 'the region is not in the last region list the Service Connect guide published',
    value: `region ${svc.region}`,
  }] : []),
};

export const managedInstancesUnconfirmed: Rule<ServiceFacts> = {
  id: 'ManagedInstancesUnconfirmed',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'The service runs on an ECS Managed Instances capacity provider. No current guide page says whether Service Connect works there (unconfirmed), so this is a warning only.',
  fix: 'test Service Connect on Managed Instances before relying on it, then acknowledge the warning; or run the service on Fargate or on EC2 capacity with the ECS-optimized Amazon Linux 2023 AMI',
  seed: '-',
  source: Source.CONSIDERATIONS,
  check: (svc) => svc.managedInstancesProviders.map((path) => ({
    problem: `the capacity provider ${path} is ECS Managed Instances, where Service Connect support is unconfirmed`,
    value: `capacity provider ${path}`,
  })),
};

export const externalNotSupported: Rule<ServiceFacts> = {
  id: 'ExternalNotSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The service is an ECS Anywhere (EXTERNAL) service.',
  fix: 'run the service on Fargate or EC2 (a task definition compatible with FARGATE or EC2)',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  notRelaxable: 'the library builds only Fargate and EC2 services, and ECS rejects Service Connect on EXTERNAL ones: there is nothing to build when it is relaxed',
  check: (svc) => (svc.launchType === 'EXTERNAL' ? [{
    problem: 'ECS Anywhere (EXTERNAL) services cannot use Service Connect',
    value: 'launch type EXTERNAL',
  }] : []),
};

export const serviceConnectConfigurationConflict: Rule<ServiceFacts> = {
  id: 'ServiceConnectConfigurationConflict',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The ECS service already has a Service Connect configuration (from its props or `enableServiceConnect`) that differs from what the library was given: another namespace, other endpoints, or proxy logs on both sides. The library never overwrites a configuration.',
  fix: 'give the library the same namespace and endpoints as the existing configuration, or leave them out so the library reads them; pass `proxyLogs: { enabled: false }` when the configuration has its own log configuration',
  seed: 'Service Connect service configuration',
  source: Source.LIBRARY,
  check: (svc) => svc.configurationConflicts.map((conflict) => ({
    problem: `the service's own Service Connect configuration conflicts with the library's: ${conflict.what}`,
    value: conflict.value,
  })),
};
