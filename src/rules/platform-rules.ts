import { Token } from 'aws-cdk-lib';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';

/** Regions the Service Connect guide lists ("Regions with Service Connect"). */
export const SERVICE_CONNECT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ca-central-1', 'cn-north-1', 'cn-northwest-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-south-1', 'eu-north-1', 'me-south-1', 'sa-east-1',
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
  check: (svc) => {
    const version = svc.platformVersion;
    if (svc.launchType !== 'FARGATE' || version === undefined || Token.isUnresolved(version) || !/^\d+(\.\d+)*$/.test(version)) {
      return [];
    }
    return compareVersions(version, '1.4.0') < 0 ? [{ problem: 'Service Connect needs Fargate platform version 1.4.0 or later', value: `platformVersion ${version}` }] : [];
  },
};

export const ec2CapacityProviderStrategy: Rule<ServiceFacts> = {
  id: 'Ec2CapacityProviderStrategy',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An EC2-backed service uses a capacity provider strategy instead of the EC2 launch type.',
  fix: 'remove `capacityProviderStrategies` so the service uses the EC2 launch type',
  seed: 'Service Connect considerations',
  check: (svc) => (svc.launchType === 'EC2' && svc.capacityProviderStrategyCount > 0 ? [{
    problem: 'Service Connect on EC2 instances needs the EC2 launch type, not capacity providers',
    value: `${svc.capacityProviderStrategyCount} capacity provider strateg${svc.capacityProviderStrategyCount === 1 ? 'y' : 'ies'}`,
  }] : []),
};

/** SSM parameter prefix of the ECS-optimized Amazon Linux 2 AMIs (all variants: kernel 5.10, arm64, GPU, Inferentia). */
const ECS_AL2_PARAMETER = /^\/aws\/service\/ecs\/optimized-ami\/amazon-linux-2\//;

export const ec2InstanceAmi: Rule<ServiceFacts> = {
  id: 'Ec2InstanceAmi',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  severityDetail: 'error / warning',
  trigger: 'Capacity the library can see runs an AMI other than the ECS-optimized Amazon Linux 2 AMI (error), or one it cannot verify (warning).',
  fix: 'launch the container instances from the ECS-optimized Amazon Linux 2 AMI (`ecs.EcsOptimizedImage.amazonLinux2()`), version 2.0.20221115 or later',
  seed: 'Service Connect considerations',
  check: (svc) => (svc.launchType !== 'EC2' ? [] : svc.capacity.flatMap((cap) => {
    if (cap.amiParameter !== undefined) {
      return ECS_AL2_PARAMETER.test(cap.amiParameter) ? [] : [{
        problem: `capacity ${cap.path} runs an AMI that lacks the Service Connect agent software`,
        value: `AMI from SSM parameter ${cap.amiParameter}`,
      }];
    }
    return [{
      problem: `capacity ${cap.path} runs an AMI the library cannot verify is the ECS-optimized Amazon Linux 2 AMI`,
      value: cap.amiId !== undefined ? `AMI ${cap.amiId}` : 'an AMI that is not an SSM parameter',
      severity: RuleSeverity.WARNING,
      fix: 'make sure it is the ECS-optimized Amazon Linux 2 AMI 2.0.20221115 or later, then relax this rule on the service with that reason',
    }];
  })),
};

export const ec2InstancePollPermission: Rule<ServiceFacts> = {
  id: 'Ec2InstancePollPermission',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An instance role the library can see lacks `ecs:Poll` on the task-set ARN.',
  fix: 'allow `ecs:Poll` on `arn:aws:ecs:<region>:<account>:task-set/<cluster>/*` for the instance role, or attach the AmazonEC2ContainerServiceforEC2Role managed policy',
  seed: 'Service Connect considerations',
  check: (svc) => (svc.launchType !== 'EC2' ? [] : svc.capacity
    .filter((cap) => cap.pollAllowed === false)
    .map((cap) => ({ problem: `the instance role of capacity ${cap.path} cannot call ecs:Poll`, value: 'no statement allows ecs:Poll' }))),
};

export const rollingDeploymentOnly: Rule<ServiceFacts> = {
  id: 'RollingDeploymentOnly',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The deployment controller is CODE_DEPLOY (blue/green) or EXTERNAL.',
  fix: 'use the ECS rolling deployment controller (remove `deploymentController`, or use `ecs.DeploymentControllerType.ECS`)',
  seed: 'Service Connect considerations',
  check: (svc) => (svc.deploymentControllerType === 'CODE_DEPLOY' || svc.deploymentControllerType === 'EXTERNAL' ? [{
    problem: 'Service Connect supports only rolling deployments',
    value: `deployment controller ${svc.deploymentControllerType}`,
  }] : []),
};

export const circuitBreakerNotSupported: Rule<ServiceFacts> = {
  id: 'CircuitBreakerNotSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The deployment circuit breaker is enabled.',
  fix: 'remove `circuitBreaker`; use deployment alarms to detect failed deployments instead',
  seed: 'Service Connect considerations',
  check: (svc) => (svc.circuitBreakerEnabled ? [{ problem: 'Service Connect services cannot use the deployment circuit breaker', value: 'circuitBreaker enabled' }] : []),
};

export const namespaceSameRegion: Rule<ServiceFacts> = {
  id: 'NamespaceSameRegion',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The namespace is in another region or account than the service\'s stack.',
  fix: 'use a Cloud Map namespace in the same region and account as the service',
  seed: 'Service Connect terminology (namespace)',
  check: (svc) => {
    const findings = [];
    if (svc.region !== undefined && svc.namespaceRegion !== undefined && svc.region !== svc.namespaceRegion) {
      findings.push({ problem: 'the namespace is in another region', value: `namespace region ${svc.namespaceRegion}, service region ${svc.region}` });
    }
    if (svc.account !== undefined && svc.namespaceAccount !== undefined && svc.account !== svc.namespaceAccount) {
      findings.push({ problem: 'the namespace is in another account', value: `namespace account ${svc.namespaceAccount}, service account ${svc.account}` });
    }
    return findings;
  },
};

export const regionSupported: Rule<ServiceFacts> = {
  id: 'RegionSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  severityDetail: 'error / guard',
  trigger: 'The stack\'s region is known and not in the guide\'s list of Service Connect regions. When the region is unknown at synth, the template gets a CloudFormation Rule that fails the deployment outside the list.',
  fix: `deploy to a region with Service Connect: ${SERVICE_CONNECT_REGIONS.join(', ')}`,
  seed: 'Regions with Service Connect',
  check: (svc) => (svc.region !== undefined && !SERVICE_CONNECT_REGIONS.includes(svc.region) ? [{
    problem: 'Service Connect is not available in the stack\'s region',
    value: `region ${svc.region}`,
  }] : []),
};

export const externalNotSupported: Rule<ServiceFacts> = {
  id: 'ExternalNotSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The service is an ECS Anywhere (EXTERNAL) service.',
  fix: 'run the service on Fargate or EC2 (a task definition compatible with FARGATE or EC2)',
  seed: 'Service Connect considerations',
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
  check: (svc) => svc.configurationConflicts.map((conflict) => ({
    problem: `the service's own Service Connect configuration conflicts with the library's: ${conflict.what}`,
    value: conflict.value,
  })),
};
