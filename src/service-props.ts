import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ServiceConnectAccessLogOptions } from './access-logs';
import { ServiceDeploymentOptions } from './deployment';
import { ContainerLogOptions, ProxyLogOptions } from './proxy-logs';
import { IServiceConnectNamespace, IServiceConnectServer } from './types';

/**
 * What every Service Connect service takes, whether the library builds its ECS service or attaches to
 * one the app already has.
 */
export interface ServiceConnectOptions {
  /**
   * The namespace the service joins.
   *
   * @default - the cluster's default namespace (`ServiceConnectNamespace.makeDefaultFor`, or the
   * cluster's own default Cloud Map namespace)
   */
  readonly namespace?: IServiceConnectNamespace;

  /**
   * The peak requests per second one task of this service is expected to receive. Above 500 the proxy
   * needs 512 CPU units instead of 256.
   *
   * @default - at most 500 requests per second
   */
  readonly expectedPeakRequestsPerSecond?: number;

  /**
   * The servers this service calls. Each edge orders this service after the server and lets this
   * service's security groups reach the server's proxy listen ports.
   *
   * @default - calls no server; add edges later with `connectTo`
   */
  readonly connectsTo?: IServiceConnectServer[];

  /**
   * Logs of the Service Connect proxy.
   *
   * @default - on, to a new log group kept for one month; when attaching, only if the task definition
   * already has an execution role (adding one would replace the task definition) and the service's own
   * configuration has no log configuration
   */
  readonly proxyLogs?: ProxyLogOptions;

  /**
   * Access logs of the Service Connect proxy, written where the proxy's logs go (which must be on).
   *
   * @default - no access logs
   */
  readonly accessLogs?: ServiceConnectAccessLogOptions;

  /**
   * Start a new deployment of the ECS service whenever the endpoints it calls change: a server added to
   * or removed from its calls, or a called endpoint's namespace, discovery name, DNS name or port
   * changed. Tasks resolve only the endpoints that existed when they started, so without a new
   * deployment the running tasks never reach a new endpoint. The library renders the service's
   * `ForceNewDeployment` with a nonce derived from the endpoints it calls (a service that calls nothing
   * renders the nonce of no endpoints, so that its first server changes it too). A deployment starts
   * only when the nonce changes; the ECS service updates after the servers it calls (`ordered` edges).
   * When the ECS service already has a `ForceNewDeployment` of its own, the library keeps it and warns
   * (`RedeployOnEndpointChange`); set this to false to keep yours without the warning.
   *
   * @default true
   */
  readonly redeployOnEndpointChange?: boolean;
}

/**
 * Properties shared by `ClientService` and `ClientServerService` when the library builds the ECS
 * service: the Service Connect wiring plus every ordinary ECS service option. An option of aws-cdk-lib's
 * `FargateService` or `Ec2Service` that is not listed here is refused with an error naming it: build
 * the service with aws-cdk-lib and `attach` to it instead.
 */
export interface ServiceConnectServiceProps extends ServiceConnectOptions, ServiceDeploymentOptions {
  /**
   * The cluster the service runs in.
   */
  readonly cluster: ecs.ICluster;

  /**
   * The task definition. Its compatibility chooses a `FargateService` or an `Ec2Service`.
   * Add its containers (with named port mappings for a server) before creating the service.
   * Give either `taskDefinition` or `container`.
   *
   * @default - a task definition built and sized from `container`
   */
  readonly taskDefinition?: ecs.TaskDefinition;

  /**
   * The one container of a task definition that the library builds and sizes. The task gets the
   * container's CPU and memory plus the proxy's headroom (256 CPU units, or 512 when
   * `expectedPeakRequestsPerSecond` is above 500; 64 MiB, or 128 MiB once the namespace has more than
   * 100 services or 2000 tasks), rounded up to the smallest valid Fargate size (at least 1024 MiB), or
   * taken as is on EC2 (`launchType: ecs.LaunchType.EC2`, awsvpc network mode).
   * Give either `taskDefinition` or `container`.
   *
   * The container logs to CloudWatch Logs unless `logging` is set (see `containerLogs`). To harden it,
   * set `user` to a non-root user of the image (for example `'1000'`) and `readonlyRootFilesystem: true`
   * (mount a volume where the app writes): the library passes every container option through.
   *
   * @default - use `taskDefinition`
   */
  readonly container?: ecs.ContainerDefinitionOptions;

  /**
   * Logs of the container the library builds from `container`: a new log group (construct id
   * `ContainerLogGroup`) with this retention, KMS key and removal policy, written through the `awslogs`
   * driver by the task execution role. Only for `container` without `logging`; a task definition you
   * pass keeps its containers' own log configuration.
   *
   * @default - on, to a new log group kept for one month, encrypted by CloudWatch Logs, retained when it leaves the stack
   */
  readonly containerLogs?: ContainerLogOptions;

  /**
   * Launch type, for a task definition compatible with both EC2 and Fargate.
   *
   * @default - Fargate when the task definition is Fargate-compatible, else EC2
   */
  readonly launchType?: ecs.LaunchType;

  /**
   * Number of tasks to run.
   *
   * @default - 1 (or one per instance for an EC2 daemon)
   */
  readonly desiredCount?: number;

  /**
   * Name of the ECS service.
   *
   * @default - a name generated by CloudFormation
   */
  readonly serviceName?: string;

  /**
   * Security groups of the tasks (awsvpc network mode).
   *
   * @default - a new security group with no ingress; the library opens it only to declared clients
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Whether the security group the library creates for the tasks allows all outbound traffic.
   *
   * With `false` the library creates the group itself (construct id `SecurityGroup`, under this
   * construct) with no egress, and opens it only to the servers this service calls, on the port their
   * proxies listen on. Everything else the tasks reach needs its own rule, added with
   * `service.connections.allowTo(...)`: HTTPS (443) to the ECR, ECS and CloudWatch Logs endpoints (or
   * interface VPC endpoints of `ecr.api`, `ecr.dkr`, `ecs`, `ecs-agent`, `ecs-telemetry` and `logs`),
   * the S3 prefix list for image layers, and whatever the app itself calls. DNS through the VPC resolver
   * is not filtered by security groups. Turning it off on a deployed service replaces the tasks' security
   * group (a new deployment of the service).
   *
   * Applies only to the group the library creates: refused with `securityGroups`, whose egress is yours.
   *
   * @default true - the tasks may connect anywhere, as with aws-cdk-lib's services
   */
  readonly allowAllOutbound?: boolean;

  /**
   * Subnets of the tasks (awsvpc network mode).
   *
   * @default - the cluster VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Whether tasks get a public IP address (awsvpc network mode).
   *
   * @default false
   */
  readonly assignPublicIp?: boolean;

  /**
   * Fargate platform version (Fargate only).
   *
   * @default - LATEST
   */
  readonly platformVersion?: ecs.FargatePlatformVersion;

  /**
   * Capacity provider strategies.
   *
   * @default - the launch type; no capacity provider strategy
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * Deployment controller.
   *
   * @default - the ECS rolling deployment controller
   */
  readonly deploymentController?: ecs.DeploymentController;

  /**
   * Deployment circuit breaker: ECS stops a rolling deployment whose tasks keep failing to start, and with
   * `rollback` returns to the last deployment that completed.
   *
   * Pass `{ enable: false }` to turn it off. The default applies only where ECS runs the circuit breaker:
   * the ECS deployment controller with the ROLLING strategy. A service deployed blue/green, linear or
   * canary, or by the CODE_DEPLOY or EXTERNAL controller, gets no circuit breaker unless you set one.
   *
   * @default - `{ enable: true, rollback: true }` for a rolling deployment by the ECS controller; otherwise none
   */
  readonly circuitBreaker?: ecs.DeploymentCircuitBreaker;

  /**
   * Whether ECS Exec is enabled for the tasks.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Also register the tasks in AWS Cloud Map for DNS or API discovery outside Service Connect.
   *
   * @default - no Cloud Map service registry
   */
  readonly cloudMapOptions?: ecs.CloudMapOptions;

  /**
   * CloudWatch alarms that stop (and optionally roll back) a deployment.
   *
   * @default - no deployment alarms
   */
  readonly deploymentAlarms?: ecs.DeploymentAlarmConfig;

  /**
   * Which revision of the task definition family the service runs.
   *
   * @default - the revision of `taskDefinition` this app creates
   */
  readonly taskDefinitionRevision?: ecs.TaskDefinitionRevision;

  /**
   * Volumes that ECS creates and manages for the tasks (Amazon EBS), attached at launch.
   *
   * @default - no managed volumes
   */
  readonly volumeConfigurations?: ecs.ServiceManagedVolume[];

  /**
   * Whether ECS rebalances the tasks across Availability Zones.
   *
   * @default - the ECS default for the service
   */
  readonly availabilityZoneRebalancing?: ecs.AvailabilityZoneRebalancing;

  /**
   * Lower limit of running tasks during a deployment, as a percentage of the desired count.
   *
   * @default 100 - a rolling deployment never drops below the desired count (50 when `maxHealthyPercent` is 100 or less)
   */
  readonly minHealthyPercent?: number;

  /**
   * Upper limit of running tasks during a deployment, as a percentage of the desired count.
   *
   * @default 200
   */
  readonly maxHealthyPercent?: number;

  /**
   * Time ECS ignores failing load balancer health checks after a task starts.
   *
   * @default - no grace period
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Where task tags are propagated from.
   *
   * @default - tags are not propagated
   */
  readonly propagateTags?: ecs.PropagatedTagSource;

  /**
   * Whether ECS managed tags are turned on for the tasks.
   *
   * @default false
   */
  readonly enableECSManagedTags?: boolean;

  /**
   * Placement constraints (EC2 only).
   *
   * @default - no constraints
   */
  readonly placementConstraints?: ecs.PlacementConstraint[];

  /**
   * Placement strategies (EC2 only).
   *
   * @default - no strategies
   */
  readonly placementStrategies?: ecs.PlacementStrategy[];

  /**
   * Run one task on every container instance (EC2 only).
   *
   * @default false
   */
  readonly daemon?: boolean;
}

/**
 * Attaching Service Connect to an ECS service the app already has (`ClientService.attach`).
 */
export interface ServiceConnectAttachOptions extends ServiceConnectOptions {
  /**
   * The ECS service to attach to: an `ecs.FargateService` or `ecs.Ec2Service` written by hand, or the
   * `service` of an aws-ecs-patterns construct. It keeps its construct id and logical id. A Service
   * Connect configuration it already has (from its props or `enableServiceConnect`) is kept and read:
   * its namespace, endpoints and log configuration.
   */
  readonly service: ecs.BaseService;
}
