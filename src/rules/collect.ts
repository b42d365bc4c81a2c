import { CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { overridesOf } from '../core/overrides';
import type { IServiceConnectNamespace } from '../types';
import type { CapacityFacts, TaskFacts } from './facts';

/*
 * Reads the facts the rules need out of aws-cdk-lib constructs. Anything that is a token, or that the
 * library cannot see, comes back undefined so that the rules skip it instead of guessing.
 */

/** A number from a CloudFormation value (a number or a numeric string), or undefined for tokens. */
function numberOf(scope: IConstruct, value: unknown): number | undefined {
  const resolved = Stack.of(scope).resolve(value);
  if (typeof resolved === 'number') {
    return resolved;
  }
  return typeof resolved === 'string' && /^\d+$/.test(resolved) ? Number(resolved) : undefined;
}

/**
 * A task-level CPU or memory value: a number of units or MiB (`'1024'`), or, as ECS also takes them,
 * vCPUs (`'1 vCPU'`) or GB (`'1 GB'`), 1024 units or MiB each. Undefined for tokens.
 */
function taskSizeOf(value: unknown, unit: 'vCPU' | 'GB'): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*(${unit})?\\s*$`, 'i').exec(value);
  if (!match) {
    return undefined;
  }
  return match[2] === undefined ? (/^\s*\d+\s*$/.test(value) ? Number(match[1]) : undefined) : Math.round(Number(match[1]) * 1024);
}

/** The containers of a task definition. */
export function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter((child): child is ecs.ContainerDefinition => child instanceof ecs.ContainerDefinition);
}

export function taskFacts(taskDefinition: ecs.TaskDefinition, managed: boolean): TaskFacts {
  return cfnTaskFacts(taskDefinition.node.defaultChild as ecs.CfnTaskDefinition, managed);
}

/** Keys whose values are maps of the user's own keys, kept as they are. */
const MAP_PROPERTIES = ['Options', 'DockerLabels', 'SecretOptions'];

/** A rendered CloudFormation value with the L1's property casing (`ServiceConnectConfiguration` as `serviceConnectConfiguration`). */
function l1Casing(value: unknown): any {
  if (Array.isArray(value)) {
    return value.map(l1Casing);
  }
  if (value === null || typeof value !== 'object' || Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'))) {
    return value;
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [
    key.charAt(0).toLowerCase() + key.slice(1), MAP_PROPERTIES.includes(key) ? v : l1Casing(v),
  ]));
}

/**
 * The properties of a resource as the template will hold them, property overrides included, tokens
 * resolved, with the L1's property names (`containerDefinitions`, `serviceConnectConfiguration`).
 */
export function templateView(resource: CfnResource): Record<string, any> {
  return l1Casing(renderedProperties(resource));
}

/**
 * The properties of a resource as the template will hold them, property overrides included, tokens
 * resolved, with CloudFormation's property names (`ContainerDefinitions`): what `templateView` converts.
 */
export function renderedProperties(resource: CfnResource): Record<string, any> {
  const stack = Stack.of(resource);
  let rendered: any;
  try {
    // `_toCloudFormation` is how aws-cdk-lib renders one resource: its properties with tags and overrides applied.
    rendered = stack.resolve((resource as unknown as { _toCloudFormation(): object })._toCloudFormation());
  } catch {
    // Properties aws-cdk-lib's own validation refuses (it fails the synth with its message): read them as they were given.
    return pascalCasing(stack.resolve((resource as unknown as { cfnProperties: Record<string, unknown> }).cfnProperties) ?? {});
  }
  const [entry] = Object.values(rendered?.Resources ?? {}) as Array<{ Properties?: Record<string, unknown> }>;
  return entry?.Properties ?? {};
}

/** Properties as given to an L1 (`containerDefinitions`), with CloudFormation's names; the L1's own casing is L1 casing's inverse. */
function pascalCasing(value: unknown): any {
  if (Array.isArray(value)) {
    return value.map(pascalCasing);
  }
  if (value === null || typeof value !== 'object' || Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'))) {
    return value;
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [
    key.charAt(0).toUpperCase() + key.slice(1), MAP_PROPERTIES.includes(key.charAt(0).toUpperCase() + key.slice(1)) ? v : pascalCasing(v),
  ]));
}

/** The containers of a task definition resource, as CloudFormation gets them (tokens resolved, overrides applied). */
export function renderedContainers(resource: ecs.CfnTaskDefinition, view: Record<string, any> = templateView(resource)): any[] {
  const containers = view.containerDefinitions;
  return Array.isArray(containers) ? containers : [];
}

/** Whether the app changed a resource with `addOverride` or `addPropertyOverride`. */
export function hasOverrides(resource: CfnResource): boolean {
  const overrides = overridesOf(resource);
  return overrides !== undefined && Object.keys(overrides).length > 0;
}

/**
 * The properties of a task definition its facts are read from, with CloudFormation's names. Without
 * overrides, only these properties are resolved from the L1, a fraction of the cost of rendering the whole
 * resource; with overrides, the resource is rendered, so that they count.
 */
export function taskSizingView(resource: ecs.CfnTaskDefinition): Record<string, any> {
  if (hasOverrides(resource)) {
    // CloudFormation's names, read directly: converting every container to the L1's casing cost more than the rest.
    return renderedProperties(resource);
  }
  const given = Stack.of(resource).resolve({
    cpu: resource.cpu,
    memory: resource.memory,
    networkMode: resource.networkMode,
    runtimePlatform: resource.runtimePlatform,
    containerDefinitions: resource.containerDefinitions,
  });
  const containers: unknown = given.containerDefinitions;
  // An intrinsic in place of an object has none of the fields read: they come out undefined, as from the rendered resource.
  return {
    Cpu: given.cpu,
    Memory: given.memory,
    NetworkMode: given.networkMode,
    RuntimePlatform: { OperatingSystemFamily: given.runtimePlatform?.operatingSystemFamily },
    ContainerDefinitions: Array.isArray(containers)
      ? containers.map((c) => (typeof c === 'object' && c !== null ? { Memory: c.memory, Cpu: c.cpu } : c))
      : containers,
  };
}

/** What the rules need of a task definition, read from its CloudFormation resource (L1 or an L2's). */
export function cfnTaskFacts(resource: ecs.CfnTaskDefinition, managed: boolean, view: Record<string, any> = taskSizingView(resource)): TaskFacts {
  let containerMemoryMiB = 0;
  let containerCpu = 0;
  // Containers given as an intrinsic (e.g. `Fn::If`) cannot be summed: the rules that need the sums skip them.
  const rendered: unknown = view.ContainerDefinitions;
  let containerValuesUnresolved = rendered !== undefined && !Array.isArray(rendered);
  for (const container of Array.isArray(rendered) ? rendered : []) {
    if (typeof container !== 'object' || container === null) {
      containerValuesUnresolved = true;
      continue;
    }
    const sums = [[container.Memory, (n: number) => containerMemoryMiB += n], [container.Cpu, (n: number) => containerCpu += n]] as const;
    for (const [value, add] of sums) {
      if (value === undefined) {
        continue;
      }
      const n = numberOf(resource, value);
      if (n === undefined) {
        containerValuesUnresolved = true;
      } else {
        add(n);
      }
    }
  }
  const osFamily = view.RuntimePlatform?.OperatingSystemFamily;
  const networkMode = view.NetworkMode;
  return {
    path: resource.node.scope?.node.defaultChild === resource ? resource.node.scope.node.path : resource.node.path,
    cpu: taskSizeOf(view.Cpu, 'vCPU'),
    memoryMiB: taskSizeOf(view.Memory, 'GB'),
    memorySet: view.Memory !== undefined,
    containerMemoryMiB,
    containerCpu,
    containerValuesUnresolved,
    osFamily: typeof osFamily === 'string' ? osFamily : undefined,
    networkMode: typeof networkMode === 'string' ? networkMode : undefined,
    managed,
  };
}

/** The SSM parameter name or literal id of an Auto Scaling group's AMI. */
function amiOf(group: autoscaling.AutoScalingGroup): Pick<CapacityFacts, 'amiParameter' | 'amiId'> {
  const stack = Stack.of(group);
  const launch = group.node.findAll().find((c) => c instanceof autoscaling.CfnLaunchConfiguration || c instanceof ec2.CfnLaunchTemplate);
  const imageId = launch instanceof autoscaling.CfnLaunchConfiguration ? launch.imageId
    : launch instanceof ec2.CfnLaunchTemplate ? stack.resolve(launch.launchTemplateData)?.imageId : undefined;
  const resolved = imageId === undefined ? undefined : stack.resolve(imageId);
  if (typeof resolved === 'string') {
    return { amiId: resolved };
  }
  const ref = resolved?.Ref;
  const parameter = typeof ref === 'string'
    ? stack.node.findAll().find((c): c is CfnParameter => c instanceof CfnParameter && stack.resolve(c.logicalId) === ref)
    : undefined;
  return parameter && typeof parameter.default === 'string' ? { amiParameter: parameter.default } : {};
}

/** Whether the role allows `ecs:Poll`, as far as its default policy and managed policies show. */
function pollAllowed(role: iam.IRole | undefined): boolean | undefined {
  if (!(role instanceof iam.Role)) {
    return undefined;
  }
  const stack = Stack.of(role);
  const managed = JSON.stringify(stack.resolve((role.node.defaultChild as iam.CfnRole).managedPolicyArns) ?? []);
  if (managed.includes('AmazonEC2ContainerServiceforEC2Role')) {
    return true;
  }
  const policy = role.node.tryFindChild('DefaultPolicy');
  const statements: any[] = policy instanceof iam.Policy ? stack.resolve(policy.document.toJSON())?.Statement ?? [] : [];
  return statements.some((st) => st.Effect === 'Allow'
    && [st.Action].flat().some((action: unknown) => action === 'ecs:Poll' || action === 'ecs:*' || action === '*'));
}

/** The Auto Scaling groups of a cluster built in this app (`cluster.addCapacity`). */
export function capacityFacts(cluster: ecs.ICluster): CapacityFacts[] {
  return cluster.node.findAll()
    .filter((c): c is autoscaling.AutoScalingGroup => c instanceof autoscaling.AutoScalingGroup)
    .map((group) => ({ path: group.node.path, ...amiOf(group), pollAllowed: pollAllowed(roleOf(group)) }));
}

/** The group's instance role; undefined when a launch template given to it does not expose one (aws-cdk-lib then throws on `role`). */
function roleOf(group: autoscaling.AutoScalingGroup): iam.IRole | undefined {
  try {
    return group.role;
  } catch {
    return undefined;
  }
}

/**
 * The ECS Managed Instances capacity providers of the app that a service's capacity provider strategy
 * names (by reference or by literal name), as construct paths.
 */
export function managedInstancesProviders(
  service: ecs.CfnService,
  providers: () => ecs.CfnCapacityProvider[] = () => appCapacityProviders(service),
): string[] {
  const stack = Stack.of(service);
  const strategy = stack.resolve(service.capacityProviderStrategy);
  if (!Array.isArray(strategy) || strategy.length === 0) {
    return [];
  }
  // FARGATE and FARGATE_SPOT, the common strategies, are no Managed Instances provider: no need to look through the app.
  if (strategy.every((entry) => entry?.capacityProvider === 'FARGATE' || entry?.capacityProvider === 'FARGATE_SPOT')) {
    return [];
  }
  const named = strategy.map((entry) => JSON.stringify(entry?.capacityProvider));
  return providers()
    .filter((provider) => [{ Ref: Stack.of(provider).resolve(provider.logicalId) }, provider.name]
      .some((ref) => ref !== undefined && named.includes(JSON.stringify(ref))))
    .map((provider) => provider.node.path);
}

/** The ECS Managed Instances capacity providers of `scope`'s app: one walk of the construct tree. */
export function appCapacityProviders(scope: IConstruct): ecs.CfnCapacityProvider[] {
  return scope.node.root.node.findAll()
    .filter((c): c is ecs.CfnCapacityProvider => c instanceof ecs.CfnCapacityProvider)
    // The property exists from aws-cdk-lib 2.2xx on; older versions cannot define such a provider.
    .filter((provider) => (provider as unknown as { managedInstancesProvider?: unknown }).managedInstancesProvider !== undefined);
}

/** The region and account of a namespace, when known at synth: from its ARN, else from its stack. */
export function namespaceLocation(namespace: IServiceConnectNamespace): { region?: string; account?: string } {
  const arn = namespace.namespaceArn;
  if (!Token.isUnresolved(arn)) {
    // arn:partition:servicediscovery:region:account:namespace/id
    const [, , , region, account] = arn.split(':');
    return { region: region || undefined, account: account || undefined };
  }
  const stack = Stack.of(namespace.cloudMapNamespace);
  return {
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
  };
}
