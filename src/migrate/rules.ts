/**
 * What the App Mesh migration plan reports: one finding id per thing Service Connect cannot express as
 * App Mesh did, or that the migration must do by hand. Every finding is a warning (the plan changes
 * nothing, so it fails nothing); RULES.md lists them from this data.
 */
export interface MigrationRule {
  /** Stable id: the warning is `cdk-service-connect:<id>`. */
  readonly id: string;
  /** What the plan found, for RULES.md. */
  readonly trigger: string;
  /** What to do about it. */
  readonly fix: string;
  /** The page the mapping follows. */
  readonly source: string;
  /**
   * What `AppMeshConversion` does with the finding: `decision` refuses to convert (a synth error) until the
   * user records a decision; `warning` converts and warns; `handled` is done by the conversion itself.
   */
  readonly conversion: 'decision' | 'warning' | 'handled';
}

const SC_CONCEPTS = 'Service Connect concepts (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html)';
const SC_TLS = 'Service Connect TLS (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html)';
const SC_API = 'ECS API reference, ServiceConnectService (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html)';
const MIGRATE = 'Migrating from AWS App Mesh to Amazon ECS Service Connect (https://aws.amazon.com/blogs/containers/migrating-from-aws-app-mesh-to-amazon-ecs-service-connect/)';

/** Every finding of the plan, in the order RULES.md lists them. */
export const MIGRATION_RULES: MigrationRule[] = [
  {
    id: 'AppMeshWeightedRoute',
    trigger: 'A route splits traffic between several virtual nodes by weight. Service Connect sends a name to one service; the plan gives the virtual service name to the target with the highest weight.',
    fix: 'shift traffic with an ECS-native canary or linear deployment of one service instead of two services behind a router, or give the other targets discovery names of their own and choose in the caller',
    conversion: 'decision',
    source: MIGRATE,
  },
  {
    id: 'AppMeshMatchedRoute',
    trigger: 'A route matches on more than the port: a path prefix other than `/`, a path, headers, a method, a scheme, query parameters, or a gRPC service, method or metadata.',
    fix: 'route on the request in the application or put an Application Load Balancer in front of the services; Service Connect routes by DNS name and port only',
    conversion: 'decision',
    source: MIGRATE,
  },
  {
    id: 'AppMeshRetryPolicy',
    trigger: 'A route has a retry policy. The Service Connect proxy retries on its own terms, which cannot be configured.',
    fix: 'retry in the application (or its SDK) where the retry policy mattered, then acknowledge the warning',
    conversion: 'warning',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshListenerPolicy',
    trigger: 'A virtual node listener sets outlier detection, a connection pool or an Envoy health check. The Service Connect proxy has its own outlier detection and no connection-pool or listener health-check settings.',
    fix: 'move health checks to the container definition (`healthCheck`) and limits to the application, then acknowledge the warning',
    conversion: 'warning',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshGateway',
    trigger: 'The mesh has a virtual gateway (with its gateway routes). Service Connect has no ingress gateway.',
    fix: 'put an Application or Network Load Balancer, or API Gateway through the endpoint\'s Cloud Map service, in front of the services the gateway routes reach; its Envoy tasks can then be removed',
    conversion: 'decision',
    source: MIGRATE,
  },
  {
    id: 'AppMeshMutualTls',
    trigger: 'A listener validates client certificates, or a virtual node or gateway presents one to its backends (mutual TLS). Service Connect has no mutual TLS to configure (the AWS migration post lists mTLS among what the move gives up).',
    fix: 'use Service Connect TLS (certificates from AWS Private CA) and authorize callers with security groups or in the application',
    conversion: 'decision',
    source: MIGRATE,
  },
  {
    id: 'AppMeshTlsCertificate',
    trigger: 'TLS uses a certificate or trust from a file or SDS (not ACM Private CA). Service Connect TLS gets its certificates from an AWS Private CA only.',
    fix: 'create an AWS Private CA tagged `AmazonECSManaged: true` and set `tls` on the endpoint; remove the certificate files from the Envoy image',
    conversion: 'decision',
    source: SC_TLS,
  },
  {
    id: 'AppMeshNonEcsNode',
    trigger: 'A virtual node has no ECS service the plan could find (no task definition with its Envoy identity, no matching Cloud Map registration or DNS name): it may run on EC2 instances, EKS or outside the app. Service Connect joins ECS services only.',
    fix: 'move the workload to an ECS service, or reach it through its own DNS name or load balancer from the Service Connect clients',
    conversion: 'decision',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshStandaloneTask',
    trigger: 'A task definition with an Envoy container belongs to no ECS service (tasks started with RunTask or a scheduler). Service Connect works in ECS services only.',
    fix: 'run the tasks as an ECS service, or have them call the servers through a load balancer or Cloud Map DNS',
    conversion: 'decision',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshTracing',
    trigger: 'The Envoy container sends traces (X-Ray, Datadog, Jaeger or a custom configuration) or DogStatsD metrics. The Service Connect proxy does not trace, and sends its metrics to CloudWatch only.',
    fix: 'instrument the application with the AWS Distro for OpenTelemetry or the tracer\'s SDK before removing Envoy, and read the proxy\'s metrics in CloudWatch',
    conversion: 'warning',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshEgressFilter',
    trigger: 'The mesh\'s egress filter is DROP_ALL (CloudFormation\'s default). Service Connect does not restrict where tasks connect.',
    fix: 'restrict egress with the tasks\' security groups (the library adds least-privilege ingress on the servers) or network firewall rules',
    conversion: 'warning',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshTaskMemory',
    trigger: 'A task definition that can run on EC2 sets no task-level memory. Service Connect needs task memory for its proxy (rule TaskMemoryRequired).',
    fix: 'set the task definition\'s memory to the containers\' memory plus at least 64 MiB for the proxy; the Envoy container\'s memory can go to it',
    conversion: 'handled',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshCallCycle',
    trigger: 'The virtual nodes call each other in a cycle. Service Connect orders deployments along the calls, so a cycle needs one edge without ordering.',
    fix: 'connect the edge the plan marks with `connectTo(server, { ordered: false })`',
    conversion: 'handled',
    source: 'Service Connect concepts, deployment order (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html)',
  },
  {
    id: 'AppMeshUnresolvedBackend',
    trigger: 'A virtual node calls a virtual service that the app does not define or that has no provider: the call leaves the mesh.',
    fix: 'keep calling it by its DNS name (Service Connect does not intercept names it does not know), or bring its provider into the app',
    conversion: 'warning',
    source: SC_CONCEPTS,
  },
  {
    id: 'AppMeshSeveralAliases',
    trigger: 'One listener of a virtual node is reached through several virtual service names. A Service Connect endpoint has one client alias.',
    fix: 'add a named port mapping and an endpoint per extra name, or move the callers to one name',
    conversion: 'decision',
    source: SC_API,
  },
];

/** A rule of `AppMeshConversion` itself: each is a synth error. */
export interface ConversionRule {
  readonly id: string;
  readonly trigger: string;
  readonly fix: string;
}

/** Errors of the conversion about its own input, in the order RULES.md lists them. */
export const CONVERSION_RULES: ConversionRule[] = [
  {
    id: 'AppMeshResourcesDecision',
    trigger: 'An in-place conversion (`inPlace: true`) does not say what becomes of the deployed App Mesh resources.',
    fix: 'set `retainAppMeshResources: true` to keep them in the template with a Retain deletion policy, or `false` to remove them from the template (CloudFormation deletes them)',
  },
  {
    id: 'AppMeshDecisionInvalid',
    trigger: 'A decision matches no finding of the plan, has no reason, or keeps a target that is not one of its weighted route\'s targets.',
    fix: 'match each decision to a finding by `findingId` and `path` as the plan reports them, give a `reason`, and use `keepTarget` only with `AppMeshWeightedRoute`',
  },
  {
    id: 'AppMeshPrivateCaTls',
    trigger: 'A virtual node listener terminates TLS with an ACM Private CA certificate, and the conversion has no `tls`: Service Connect TLS needs the ARN of the issuing AWS Private CA, which the certificate does not give.',
    fix: 'pass `tls: { awsPcaAuthorityArn }` (the CA that issued the listeners\' certificates) to the conversion, or record a decision to convert the node without TLS',
  },
  {
    id: 'AppMeshConvertedLate',
    trigger: 'At synth the scope holds App Mesh resources or Envoy containers the conversion did not see: they were added after it was created.',
    fix: 'create the `AppMeshConversion` after every construct of the app it converts',
  },
  {
    id: 'AppMeshServiceConfigured',
    trigger: 'An ECS service the conversion would attach to already has a Service Connect configuration.',
    fix: 'remove that configuration before converting: the conversion renders the one the plan proposes (or attach the service yourself with `ClientServerService.attach`, which reads it)',
  },
];

/** Looks a finding's rule up by id. */
export function migrationRule(id: string): MigrationRule {
  const rule = MIGRATION_RULES.find((r) => r.id === id);
  if (!rule) {
    throw new Error(`unknown App Mesh migration finding ${id}`);
  }
  return rule;
}
