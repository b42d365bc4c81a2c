import { Lazy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { newLogGroup } from '../core/log-group';
import { DeploymentStrategy } from '../deployment';
import type { ServiceConnectEndpoint } from '../endpoint';
import { describeGiven, describeName, describeNumber, propError, wrongType } from '../errors';
import { externalNotSupported } from '../rules/platform-rules';
import { formatFinding } from '../rules/rule';
import type { ServiceConnectServiceProps } from '../service-props';
import { configureDeployment } from './deployment';
import { PROXY_CPU_HIGH_TRAFFIC, PROXY_MEMORY_MIB_LARGE_NAMESPACE, smallestFargateSize, TaskSize } from '../sizing';

/*
 * The thin layer that builds an ECS service for `ClientService` and `ClientServerService`: the task
 * definition (the user's, or one sized for the proxy) and a FargateService or Ec2Service with every
 * option passed through. The core then attaches Service Connect to it, as it does to a service the
 * user built.
 */

/** Every prop a library-built service takes; the compiler keeps this in step with the props interfaces. */
const KNOWN_PROPS: { readonly [K in keyof Required<ServiceConnectServiceProps>]: true } & { readonly endpoints: true; readonly alarms: true } = {
  cluster: true,
  namespace: true,
  taskDefinition: true,
  container: true,
  containerLogs: true,
  expectedPeakRequestsPerSecond: true,
  connectsTo: true,
  launchType: true,
  desiredCount: true,
  serviceName: true,
  securityGroups: true,
  allowAllOutbound: true,
  vpcSubnets: true,
  assignPublicIp: true,
  platformVersion: true,
  capacityProviderStrategies: true,
  deploymentController: true,
  circuitBreaker: true,
  enableExecuteCommand: true,
  cloudMapOptions: true,
  deploymentAlarms: true,
  taskDefinitionRevision: true,
  volumeConfigurations: true,
  availabilityZoneRebalancing: true,
  minHealthyPercent: true,
  maxHealthyPercent: true,
  healthCheckGracePeriod: true,
  propagateTags: true,
  enableECSManagedTags: true,
  placementConstraints: true,
  placementStrategies: true,
  daemon: true,
  proxyLogs: true,
  accessLogs: true,
  redeployOnEndpointChange: true,
  deploymentStrategy: true,
  bakeTime: true,
  lifecycleHooks: true,
  linearConfiguration: true,
  canaryConfiguration: true,
  endpoints: true,
  alarms: true,
};

/** The options a library-built service refuses, because the library renders or cannot yet express them. */
const REFUSED_OPTIONS: Record<string, string> = {
  serviceConnectConfiguration: 'the library renders the Service Connect configuration from `namespace` and `endpoints`',
};

/**
 * Refuses props the library would otherwise drop silently: an option of aws-cdk-lib's service props the
 * library does not pass through (newer ones such as `forceNewDeployment`), or a misspelt one.
 */
export function refuseUnknownProps(scope: Construct, props: object): void {
  const unknown = Object.keys(props).filter((key) => !(key in KNOWN_PROPS) && (props as Record<string, unknown>)[key] !== undefined);
  if (unknown.length === 0) {
    return;
  }
  const reasons = unknown.map((key) => REFUSED_OPTIONS[key]).filter((reason) => reason !== undefined);
  throw propError(scope, `${unknown.length === 1 ? 'an option' : 'options'} the library cannot pass to the ECS service it builds`, unknown.join(', '),
    `${reasons.length ? `${reasons.join('; ')}; ` : ''}build the service with aws-cdk-lib (\`new ecs.FargateService(...)\` or \`new ecs.Ec2Service(...)\`) and attach to it with \`ClientServerService.attach\` or \`ClientService.attach\``);
}

/**
 * Refuses props of the wrong shape, as JavaScript can pass them, before anything reads them: each is
 * named with what was found instead of failing later with a TypeError.
 */
export function refuseMalformedProps(scope: Construct, props: ServiceConnectServiceProps, endpoints?: ServiceConnectEndpoint[]): void {
  if (typeof props !== 'object' || props === null) {
    throw propError(scope, 'no props', describeGiven(props), 'pass the props object: `{ cluster, namespace, taskDefinition, ... }`');
  }
  if (props.namespace !== undefined && typeof props.namespace?.registerService !== 'function') {
    throw propError(scope, '`namespace` is not a Service Connect namespace', `namespace ${describeGiven(props.namespace)}`,
      'pass a ServiceConnectNamespace, or one from ServiceConnectNamespace.fromNamespace or fromNamespaceArn; leave it out to use the cluster\'s default');
  }
  if (props.connectsTo !== undefined && !Array.isArray(props.connectsTo)) {
    throw propError(scope, '`connectsTo` is not a list', `connectsTo ${describeGiven(props.connectsTo)}`, 'pass a list of servers: `connectsTo: [api, db]`');
  }
  if (endpoints !== undefined && (!Array.isArray(endpoints) || !endpoints.every((ep) => typeof ep?.portMappingName === 'string'))) {
    throw propError(scope, '`endpoints` must be a list of endpoints, each naming a port mapping',
      `endpoints ${Array.isArray(endpoints) ? `with port mapping names ${describeGiven(endpoints.map((ep) => ep?.portMappingName))}` : describeGiven(endpoints)}`,
      'pass `endpoints: [{ portMappingName: \'http\' }]`, with the names of the task definition\'s port mappings');
  }
  for (const endpoint of endpoints ?? []) {
    const wrong = wrongType(endpoint, ['discoveryName', 'dnsName'], 'string') ?? wrongType(endpoint, ['port', 'ingressPortOverride'], 'number');
    if (wrong !== undefined) {
      throw propError(scope, `endpoint '${describeName(endpoint.portMappingName)}' has a value of the wrong type`, wrong,
        'give `discoveryName` and `dnsName` as strings and `port` and `ingressPortOverride` as numbers, or leave them out');
    }
  }
}

/** The launch type: the `launchType` prop, else what the task definition is compatible with. */
export function launchTypeOf(props: ServiceConnectServiceProps, taskDefinition: ecs.TaskDefinition): ecs.LaunchType {
  return props.launchType
    ?? (taskDefinition.isFargateCompatible ? ecs.LaunchType.FARGATE
      : taskDefinition.isEc2Compatible ? ecs.LaunchType.EC2 : ecs.LaunchType.EXTERNAL);
}

function refuseExternal(scope: Construct): never {
  throw new Error(formatFinding(externalNotSupported, scope.node.path, externalNotSupported.check({ launchType: 'EXTERNAL' } as never)[0]));
}

/** The sizing a library-built task definition needs at synth: the proxy's headroom. */
export interface TaskSizing {
  /** The proxy's CPU and memory headroom, known only once the whole app is built (the namespace's size). */
  readonly headroom: () => TaskSize;
}

/** The user's task definition, or one built from `container` and sized for the proxy (SPEC section 5). */
export function obtainTaskDefinition(
  scope: Construct, props: ServiceConnectServiceProps, sizing: TaskSizing,
): { taskDefinition: ecs.TaskDefinition; managed: boolean } {
  if (props.taskDefinition && props.container) {
    throw propError(scope, 'both a task definition and container options were given', 'taskDefinition and container', 'give only one of them');
  }
  if (props.taskDefinition) {
    if (!(props.taskDefinition instanceof ecs.TaskDefinition)) {
      throw propError(scope, 'the task definition is not one defined in this app: the library reads its containers and port mappings, and adds the proxy\'s log configuration',
        `taskDefinition ${describeGiven(props.taskDefinition)}`,
        'define the task definition in this app (`new ecs.FargateTaskDefinition(...)` or `new ecs.Ec2TaskDefinition(...)`), or pass `container` and let the library build and size it');
    }
    if (props.containerLogs) {
      throw propError(scope, '`containerLogs` was given with a task definition', 'taskDefinition and containerLogs',
        'set the log configuration of your containers in the task definition (`logging`), or pass `container` to let the library build the task');
    }
    const runsOnEc2OrFargate = props.taskDefinition.isFargateCompatible || props.taskDefinition.isEc2Compatible;
    if ((props.launchType ?? (runsOnEc2OrFargate ? undefined : ecs.LaunchType.EXTERNAL)) === ecs.LaunchType.EXTERNAL) {
      refuseExternal(scope);
    }
    return { taskDefinition: props.taskDefinition, managed: false };
  }
  const container = props.container;
  if (!container) {
    throw propError(scope, 'no task definition', 'neither taskDefinition nor container', 'pass `taskDefinition`, or `container` to let the library build and size the task');
  }
  // A container with only a soft limit (`memoryReservationMiB`) keeps it: the task is sized around the
  // reservation, and the container gets no hard limit it did not ask for.
  const containerSize = { cpu: container.cpu ?? 256, memoryMiB: container.memoryLimitMiB ?? container.memoryReservationMiB ?? 512 };
  const memoryProp = container.memoryLimitMiB === undefined && container.memoryReservationMiB !== undefined ? 'memoryReservationMiB' : 'memoryLimitMiB';
  if (Token.isUnresolved(containerSize.cpu) || Token.isUnresolved(containerSize.memoryMiB)) {
    throw propError(scope, 'the library cannot size a task around a container whose CPU or memory is a token',
      `cpu ${describeNumber(containerSize.cpu)}, ${memoryProp} ${describeNumber(containerSize.memoryMiB)}`,
      'give the container literal `cpu` and `memoryLimitMiB` (or `memoryReservationMiB`), or pass a `taskDefinition`');
  }
  if (props.launchType === ecs.LaunchType.EXTERNAL) {
    refuseExternal(scope);
  }
  const onEc2 = props.launchType === ecs.LaunchType.EC2;
  const largest = { cpu: containerSize.cpu + PROXY_CPU_HIGH_TRAFFIC, memoryMiB: containerSize.memoryMiB + PROXY_MEMORY_MIB_LARGE_NAMESPACE };
  if (!onEc2 && !smallestFargateSize(largest)) {
    throw propError(scope, 'no Fargate task size fits the container plus the proxy', `container cpu ${containerSize.cpu}, memoryLimitMiB ${containerSize.memoryMiB}`,
      'use a smaller container, or run on EC2');
  }
  // Sized when synthesized, so that services added to the namespace later still count towards its size threshold.
  const size = (): TaskSize => {
    const headroom = sizing.headroom();
    const needed = { cpu: containerSize.cpu + headroom.cpu, memoryMiB: containerSize.memoryMiB + headroom.memoryMiB };
    return onEc2 ? needed : smallestFargateSize(needed) ?? needed;
  };
  const taskDefinition = new ecs.TaskDefinition(scope, 'TaskDef', {
    compatibility: onEc2 ? ecs.Compatibility.EC2 : ecs.Compatibility.FARGATE,
    networkMode: ecs.NetworkMode.AWS_VPC,
    cpu: Lazy.string({ produce: () => String(size().cpu) }),
    memoryMiB: Lazy.string({ produce: () => String(size().memoryMiB) }),
  });
  taskDefinition.addContainer('Container', {
    containerName: 'app',
    ...container,
    logging: containerLogging(scope, props),
    cpu: containerSize.cpu,
    memoryLimitMiB: container.memoryReservationMiB !== undefined && container.memoryLimitMiB === undefined ? undefined : containerSize.memoryMiB,
  });
  return { taskDefinition, managed: true };
}

/** The container's own `logging`, else `awslogs` to the log group of `containerLogs` (on by default). */
function containerLogging(scope: Construct, props: ServiceConnectServiceProps): ecs.LogDriver | undefined {
  const options = props.containerLogs ?? {};
  if (props.container?.logging) {
    if (props.containerLogs) {
      throw propError(scope, 'the container has its own `logging` and `containerLogs` was given', 'container.logging and containerLogs',
        'remove one of them: `containerLogs` sets up the `awslogs` driver that `logging` would replace');
    }
    return props.container.logging;
  }
  if (!(options.enabled ?? true)) {
    return undefined;
  }
  return ecs.LogDrivers.awsLogs({ logGroup: newLogGroup(scope, 'ContainerLogGroup', options), streamPrefix: options.streamPrefix ?? 'app' });
}

/**
 * The tasks' security groups: the given ones, else none (the L2 creates one that allows all outbound), or,
 * with `allowAllOutbound: false`, one the library creates with no egress; the wiring opens it to the servers.
 */
function securityGroupsOf(scope: Construct, props: ServiceConnectServiceProps, taskDefinition: ecs.TaskDefinition): ec2.ISecurityGroup[] | undefined {
  if (props.allowAllOutbound === undefined || props.allowAllOutbound) {
    return props.securityGroups;
  }
  if (props.securityGroups) {
    throw propError(scope, '`allowAllOutbound` applies only to the security group the library creates, and `securityGroups` was given',
      `allowAllOutbound false and ${props.securityGroups.length} security group(s)`,
      'create your groups with `allowAllOutbound: false` (the library adds the egress rules to the servers on them), or remove `securityGroups`');
  }
  if (taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC) {
    throw propError(scope, 'restricted egress needs the awsvpc network mode: only then do the tasks have security groups',
      `network mode ${taskDefinition.networkMode}`, 'use a task definition with `networkMode: ecs.NetworkMode.AWS_VPC`, or remove `allowAllOutbound`');
  }
  return [new ec2.SecurityGroup(scope, 'SecurityGroup', { vpc: props.cluster.vpc, allowAllOutbound: false })];
}

/**
 * A FargateService or an Ec2Service (construct id `Service`) with every option of `props` passed through,
 * the deployment strategy and its settings included.
 */
export function buildService(scope: Construct, props: ServiceConnectServiceProps, taskDefinition: ecs.TaskDefinition): ecs.BaseService {
  const service = newService(scope, props, taskDefinition);
  configureDeployment(scope, service, props);
  return service;
}

/**
 * The circuit breaker a library-built service gets when `circuitBreaker` is not set: on, with rollback, where
 * ECS can run it (the ECS deployment controller with the ROLLING strategy, as Copilot sets it). Other
 * strategies and controllers get none, as before; undefined also when the strategy or controller is a token.
 */
function defaultCircuitBreaker(props: ServiceConnectServiceProps): ecs.DeploymentCircuitBreaker | undefined {
  const controller = props.deploymentController?.type;
  const strategy = props.deploymentStrategy;
  const ecsController = controller === undefined || controller === ecs.DeploymentControllerType.ECS;
  const rolling = strategy === undefined || strategy === DeploymentStrategy.ROLLING;
  return ecsController && rolling ? { enable: true, rollback: true } : undefined;
}

/** Refuses a cluster the library cannot build a service in, before aws-cdk-lib trips over it. */
function checkCluster(scope: Construct, props: ServiceConnectServiceProps, taskDefinition: ecs.TaskDefinition): void {
  const cluster: ecs.ICluster | undefined = props.cluster;
  if (typeof cluster?.node?.path !== 'string' || typeof cluster.clusterName !== 'string') {
    throw propError(scope, 'no ECS cluster', `cluster ${describeGiven(cluster)}`,
      'pass `cluster`: an `ecs.Cluster`, or one imported with `ecs.Cluster.fromClusterAttributes`');
  }
  if (taskDefinition.networkMode === ecs.NetworkMode.AWS_VPC && cluster.vpc === undefined) {
    throw propError(scope, 'the cluster has no VPC, which a service in the awsvpc network mode needs for its subnets and security group',
      `cluster ${cluster.node.path} without \`vpc\``, 'import the cluster with its `vpc` (`ecs.Cluster.fromClusterAttributes(this, id, { clusterName, vpc })`)');
  }
}

function newService(scope: Construct, props: ServiceConnectServiceProps, taskDefinition: ecs.TaskDefinition): ecs.BaseService {
  checkCluster(scope, props, taskDefinition);
  const launchType = launchTypeOf(props, taskDefinition);
  const compatible = launchType === ecs.LaunchType.FARGATE ? taskDefinition.isFargateCompatible : taskDefinition.isEc2Compatible;
  if (!compatible) {
    throw propError(scope, 'the task definition is not compatible with the launch type', `launchType ${launchType}`,
      `use a task definition compatible with ${launchType}, or choose the launch type it supports`);
  }
  const common = {
    cluster: props.cluster,
    taskDefinition,
    desiredCount: props.desiredCount,
    serviceName: props.serviceName,
    securityGroups: securityGroupsOf(scope, props, taskDefinition),
    vpcSubnets: props.vpcSubnets,
    assignPublicIp: props.assignPublicIp,
    capacityProviderStrategies: props.capacityProviderStrategies,
    deploymentController: props.deploymentController,
    circuitBreaker: props.circuitBreaker ?? defaultCircuitBreaker(props),
    enableExecuteCommand: props.enableExecuteCommand,
    cloudMapOptions: props.cloudMapOptions,
    deploymentAlarms: props.deploymentAlarms,
    taskDefinitionRevision: props.taskDefinitionRevision,
    volumeConfigurations: props.volumeConfigurations,
    availabilityZoneRebalancing: props.availabilityZoneRebalancing,
    // Never below the desired count during a rolling deployment, unless maxHealthyPercent leaves no room.
    minHealthyPercent: props.minHealthyPercent ?? ((props.maxHealthyPercent ?? 200) > 100 ? 100 : 50),
    maxHealthyPercent: props.maxHealthyPercent,
    healthCheckGracePeriod: props.healthCheckGracePeriod,
    propagateTags: props.propagateTags,
    enableECSManagedTags: props.enableECSManagedTags,
  };
  if (launchType === ecs.LaunchType.FARGATE) {
    const ec2Only = (['placementConstraints', 'placementStrategies', 'daemon'] as const).filter((name) => props[name] !== undefined);
    if (ec2Only.length > 0) {
      throw propError(scope, 'EC2-only options were given to a Fargate service', ec2Only.join(', '),
        'remove them, or run the service on EC2 (`launchType: ecs.LaunchType.EC2` with an EC2-compatible task definition)');
    }
    return keepDeploymentController(props, new ecs.FargateService(scope, 'Service', { ...common, platformVersion: props.platformVersion }));
  }
  if (props.platformVersion !== undefined) {
    throw propError(scope, 'a Fargate platform version was given to an EC2 service', `platformVersion ${props.platformVersion}`,
      'remove `platformVersion`, or run the service on Fargate');
  }
  return keepDeploymentController(props, new ecs.Ec2Service(scope, 'Service', {
    ...common,
    placementConstraints: props.placementConstraints,
    placementStrategies: props.placementStrategies,
    daemon: props.daemon,
  }));
}

/**
 * Leaves the `DeploymentController` of the ECS service resource as it was before the default circuit breaker:
 * unless the feature flag `@aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker` is on,
 * aws-cdk-lib writes `{ Type: ECS }` for any circuit breaker, and CloudFormation replaces a service whose
 * `DeploymentController` changes. ECS is the controller either way; only the default is left unwritten.
 */
function keepDeploymentController<T extends ecs.BaseService>(props: ServiceConnectServiceProps, service: T): T {
  if (props.circuitBreaker === undefined && props.deploymentController === undefined) {
    (service.node.defaultChild as ecs.CfnService).deploymentController = undefined;
  }
  return service;
}
