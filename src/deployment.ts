import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/*
 * ECS-native blue/green, linear and canary deployments of a library-built service. The library defines
 * its own types, because the oldest aws-cdk-lib it supports (the peer-dependency floor) has none of
 * them, and renders them on the ECS service resource itself.
 */

/**
 * How the ECS deployment controller replaces the tasks of a service on a deployment.
 */
export enum DeploymentStrategy {
  /** Replace the tasks in batches, within `minHealthyPercent` and `maxHealthyPercent`. */
  ROLLING = 'ROLLING',
  /**
   * Start the new revision (green) next to the current one (blue), send it test traffic, then shift all
   * production traffic at once and keep both for the bake time. Needs `bakeTime`.
   */
  BLUE_GREEN = 'BLUE_GREEN',
  /** Shift production traffic to the new revision in equal steps (`linearConfiguration`). */
  LINEAR = 'LINEAR',
  /** Shift a small share of production traffic first, then the rest (`canaryConfiguration`). */
  CANARY = 'CANARY',
}

/**
 * A stage of an ECS blue/green, linear or canary deployment at which a lifecycle hook can run.
 * (`SCALE_UP`, `BAKE_TIME` and `CLEAN_UP` take no hooks.)
 */
export enum DeploymentLifecycleStage {
  /** Only when a deployment starts with more than one active service revision. */
  RECONCILE_SERVICE = 'RECONCILE_SERVICE',
  /** Before the green revision starts; blue serves all production traffic. */
  PRE_SCALE_UP = 'PRE_SCALE_UP',
  /** The green revision has started; blue still serves all production traffic. */
  POST_SCALE_UP = 'POST_SCALE_UP',
  /** Test traffic is moving to the green revision. */
  TEST_TRAFFIC_SHIFT = 'TEST_TRAFFIC_SHIFT',
  /** Green serves all test traffic. */
  POST_TEST_TRAFFIC_SHIFT = 'POST_TEST_TRAFFIC_SHIFT',
  /** Before production traffic moves (at every step of a linear or canary deployment). */
  PRE_PRODUCTION_TRAFFIC_SHIFT = 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  /** Production traffic is moving to green (at every step of a linear or canary deployment). */
  PRODUCTION_TRAFFIC_SHIFT = 'PRODUCTION_TRAFFIC_SHIFT',
  /** Green serves all production traffic. */
  POST_PRODUCTION_TRAFFIC_SHIFT = 'POST_PRODUCTION_TRAFFIC_SHIFT',
}

/**
 * A Lambda function that ECS invokes at stages of a deployment; it answers whether the deployment
 * goes on or rolls back. Give `lambdaFunction` or `hookTargetArn`.
 */
export interface DeploymentLifecycleHook {
  /**
   * The Lambda function ECS invokes.
   *
   * @default - the function `hookTargetArn` names
   */
  readonly lambdaFunction?: lambda.IFunction;

  /**
   * ARN of the Lambda function ECS invokes, for a function this app does not hold.
   *
   * @default - the ARN of `lambdaFunction`
   */
  readonly hookTargetArn?: string;

  /**
   * Role ECS assumes to invoke the function.
   *
   * @default - one role for all the service's hooks (`LifecycleHookRole`), which ECS assumes and which
   * may invoke exactly these functions
   */
  readonly role?: iam.IRole;

  /**
   * The stages at which ECS invokes the function. At least one.
   */
  readonly stages: DeploymentLifecycleStage[];

  /**
   * Custom parameters ECS passes to every invocation (rendered as the text of this JSON object).
   *
   * @default - none
   */
  readonly hookDetails?: { [key: string]: any };
}

/**
 * How a linear deployment shifts production traffic.
 */
export interface LinearDeploymentOptions {
  /**
   * Percentage of production traffic shifted at each step: a multiple of 0.1 from 3 to 100.
   *
   * @default - the ECS default (10)
   */
  readonly stepPercent?: number;

  /**
   * Time between two steps, from 0 to 24 hours in whole minutes.
   *
   * @default - the ECS default (6 minutes)
   */
  readonly stepBakeTime?: Duration;
}

/**
 * How a canary deployment shifts production traffic.
 */
export interface CanaryDeploymentOptions {
  /**
   * Percentage of production traffic shifted first: a multiple of 0.1 from 0.1 to 100.
   *
   * @default - the ECS default (5)
   */
  readonly canaryPercent?: number;

  /**
   * Time before the rest of the traffic shifts, from 0 to 24 hours in whole minutes.
   *
   * @default - the ECS default (10 minutes)
   */
  readonly canaryBakeTime?: Duration;
}

/**
 * The ECS deployment of a library-built service: rolling (the default), or ECS-native blue/green,
 * linear or canary, which Service Connect routes for the clients without DNS changes.
 */
export interface ServiceDeploymentOptions {
  /**
   * Deployment strategy of the ECS deployment controller.
   *
   * @default DeploymentStrategy.ROLLING
   */
  readonly deploymentStrategy?: DeploymentStrategy;

  /**
   * Time both revisions keep running after production traffic has shifted, in whole minutes. Required
   * with `DeploymentStrategy.BLUE_GREEN`.
   *
   * @default - none; the ECS default for the strategy
   */
  readonly bakeTime?: Duration;

  /**
   * Lambda functions ECS invokes at stages of a blue/green, linear or canary deployment.
   *
   * @default - no lifecycle hooks
   */
  readonly lifecycleHooks?: DeploymentLifecycleHook[];

  /**
   * Steps of a linear deployment. Only with `DeploymentStrategy.LINEAR`.
   *
   * @default - the ECS defaults (10% every 6 minutes)
   */
  readonly linearConfiguration?: LinearDeploymentOptions;

  /**
   * The canary step of a canary deployment. Only with `DeploymentStrategy.CANARY`.
   *
   * @default - the ECS defaults (5% for 10 minutes)
   */
  readonly canaryConfiguration?: CanaryDeploymentOptions;
}

/**
 * Test traffic of an ECS blue/green, linear or canary deployment: requests to the endpoint that carry
 * this header go to the new (green) revision while production traffic still goes to the current one.
 * Only for HTTP, HTTP/2 and gRPC port mappings.
 */
export interface ServiceConnectTestTrafficHeader {
  /**
   * Name of the header.
   */
  readonly name: string;

  /**
   * The header's value, matched exactly.
   *
   * @default - any request carrying the header is test traffic
   */
  readonly value?: string;
}
