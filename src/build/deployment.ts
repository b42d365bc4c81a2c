import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { addDeploymentConfiguration } from '../core/overrides';
import { DeploymentLifecycleHook, DeploymentLifecycleStage, DeploymentStrategy, ServiceDeploymentOptions } from '../deployment';
import { propError } from '../errors';
import type { DeploymentFacts } from '../rules/deployment-facts';

/*
 * ECS-native blue/green, linear and canary deployments of a library-built service: the props checked
 * when the service is built (contradictions and values ECS refuses), then rendered on the ECS service
 * resource's `DeploymentConfiguration`.
 */

/** Longest step or canary bake time ECS accepts, in minutes (24 hours). */
const MAX_STEP_BAKE_MINUTES = 1440;

/** Whether `value` is a multiple of 0.1, as ECS wants traffic percentages. */
function tenths(value: number): boolean {
  return Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
}

/** Whole minutes of a duration; undefined for a token. Throws when the duration is not whole minutes. */
function wholeMinutes(scope: Construct, name: string, duration: Duration | undefined, max?: number): number | undefined {
  if (duration === undefined) {
    return undefined;
  }
  const minutes = duration.toMinutes({ integral: false });
  if (Token.isUnresolved(minutes)) {
    return duration.toMinutes();
  }
  if (!Number.isInteger(minutes) || minutes < 0 || (max !== undefined && minutes > max)) {
    throw propError(scope, `\`${name}\` must be whole minutes${max !== undefined ? ` from 0 to ${max}` : ''}`, `${name} ${duration.toHumanString()}`,
      `use \`Duration.minutes(n)\` with a whole n${max !== undefined ? ` from 0 to ${max}` : ''}`);
  }
  return minutes;
}

function checkPercent(scope: Construct, name: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value < min || value > 100 || !tenths(value)) {
    throw propError(scope, `\`${name}\` is not a traffic percentage ECS accepts`, `${name} ${value}`,
      `use a multiple of 0.1 from ${min} to 100`);
  }
}

function checkStrategy(scope: Construct, props: ServiceDeploymentOptions): void {
  const strategy = props.deploymentStrategy;
  if (strategy !== undefined && !Token.isUnresolved(strategy) && !Object.values(DeploymentStrategy).includes(strategy)) {
    throw propError(scope, 'an unknown deployment strategy', `deploymentStrategy ${String(strategy)}`,
      `use one of ${Object.values(DeploymentStrategy).join(', ')} (the DeploymentStrategy enum)`);
  }
  const needs: Array<[keyof ServiceDeploymentOptions, DeploymentStrategy]> = [
    ['linearConfiguration', DeploymentStrategy.LINEAR],
    ['canaryConfiguration', DeploymentStrategy.CANARY],
  ];
  for (const [name, wanted] of needs) {
    if (props[name] !== undefined && strategy !== wanted) {
      throw propError(scope, `\`${name}\` applies only to the ${wanted} deployment strategy`, `deploymentStrategy ${strategy ?? 'not set (ROLLING)'}`,
        `set \`deploymentStrategy: DeploymentStrategy.${wanted}\`, or remove \`${name}\``);
    }
  }
}

function checkHook(scope: Construct, hook: DeploymentLifecycleHook, index: number): void {
  const where = `lifecycleHooks[${index}]`;
  if ((hook.lambdaFunction === undefined) === (hook.hookTargetArn === undefined)) {
    throw propError(scope, 'a lifecycle hook needs exactly one target',
      `${where}: ${hook.lambdaFunction === undefined ? 'neither lambdaFunction nor hookTargetArn' : 'both lambdaFunction and hookTargetArn'}`,
      'give either `lambdaFunction` or `hookTargetArn`');
  }
  const stages: unknown = hook.stages;
  const allowed: string[] = Object.values(DeploymentLifecycleStage);
  if (!Array.isArray(stages) || stages.length === 0) {
    throw propError(scope, 'a lifecycle hook runs at no stage', `${where}: stages ${JSON.stringify(stages)}`,
      'list at least one DeploymentLifecycleStage in `stages`');
  }
  const unknown = stages.filter((stage) => !Token.isUnresolved(stage) && !allowed.includes(stage));
  if (unknown.length > 0) {
    throw propError(scope, 'a lifecycle hook names stages that take no hook', `${where}: stages ${unknown.join(', ')}`,
      `use stages of the DeploymentLifecycleStage enum: ${allowed.join(', ')}`);
  }
}

/** One role, ECS's to assume, allowed to invoke the hooks that bring no role of their own. */
function defaultHookRole(scope: Construct, hooks: DeploymentLifecycleHook[]): iam.IRole | undefined {
  const targets = hooks.filter((hook) => hook.role === undefined).map(hookTargetArn);
  if (targets.length === 0) {
    return undefined;
  }
  const role = new iam.Role(scope, 'LifecycleHookRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: 'Lets Amazon ECS invoke the deployment lifecycle hooks of this service',
  });
  // The functions themselves, no version or alias wildcard: ECS invokes the ARN it is given.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [...new Set(targets)] }));
  return role;
}

function hookTargetArn(hook: DeploymentLifecycleHook): string {
  return hook.lambdaFunction?.functionArn ?? hook.hookTargetArn as string;
}

/**
 * Checks the deployment props of a library-built service and renders them on its ECS service resource:
 * the strategy, the bake time, the lifecycle hooks (with a role for those without one) and the linear
 * or canary steps.
 */
export function configureDeployment(scope: Construct, service: ecs.BaseService, props: ServiceDeploymentOptions): void {
  checkStrategy(scope, props);
  const hooks = props.lifecycleHooks ?? [];
  hooks.forEach((hook, index) => checkHook(scope, hook, index));
  const linear = props.linearConfiguration;
  const canary = props.canaryConfiguration;
  checkPercent(scope, 'linearConfiguration.stepPercent', linear?.stepPercent, 3);
  checkPercent(scope, 'canaryConfiguration.canaryPercent', canary?.canaryPercent, 0.1);

  const role = defaultHookRole(scope, hooks);
  addDeploymentConfiguration(service.node.defaultChild as ecs.CfnService, {
    Strategy: props.deploymentStrategy,
    BakeTimeInMinutes: wholeMinutes(scope, 'bakeTime', props.bakeTime),
    LinearConfiguration: linear && {
      StepPercent: linear.stepPercent,
      StepBakeTimeInMinutes: wholeMinutes(scope, 'linearConfiguration.stepBakeTime', linear.stepBakeTime, MAX_STEP_BAKE_MINUTES),
    },
    CanaryConfiguration: canary && {
      CanaryPercent: canary.canaryPercent,
      CanaryBakeTimeInMinutes: wholeMinutes(scope, 'canaryConfiguration.canaryBakeTime', canary.canaryBakeTime, MAX_STEP_BAKE_MINUTES),
    },
    LifecycleHooks: hooks.length === 0 ? undefined : hooks.map((hook) => ({
      HookTargetArn: hookTargetArn(hook),
      RoleArn: (hook.role ?? role as iam.IRole).roleArn,
      LifecycleStages: [...hook.stages],
      // The ECS API takes the details as the text of a JSON object.
      HookDetails: hook.hookDetails === undefined ? undefined : Stack.of(scope).toJsonString(hook.hookDetails),
    })),
  });
}

/**
 * The deployment facts of a service: from the props of a library-built service, else from the ECS
 * service resource (a service built with aws-cdk-lib's own deployment props).
 */
export function deploymentFacts(resource: ecs.CfnService, props?: ServiceDeploymentOptions, view?: Record<string, any>): DeploymentFacts {
  if (props) {
    const strategy = props.deploymentStrategy;
    const bake = props.bakeTime;
    return {
      strategy: strategy === undefined || Token.isUnresolved(strategy) ? undefined : strategy,
      bakeTimeSet: bake !== undefined,
      bakeTimeMinutes: bake === undefined || bake.isUnresolved() ? undefined : bake.toMinutes({ integral: false }),
    };
  }
  const configuration = view ? view.deploymentConfiguration : Stack.of(resource).resolve(resource.deploymentConfiguration);
  const strategy: unknown = configuration?.strategy;
  const minutes: unknown = configuration?.bakeTimeInMinutes;
  return {
    strategy: typeof strategy === 'string' ? strategy : undefined,
    bakeTimeSet: minutes !== undefined,
    bakeTimeMinutes: typeof minutes === 'number' ? minutes : undefined,
  };
}
