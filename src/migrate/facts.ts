/**
 * Plain facts about an app's App Mesh definition and the ECS resources around it, read from the L1
 * resources by `reader.ts`. The planner is a pure function of these.
 */

/** An App Mesh listener (virtual node, router or gateway), as CloudFormation has it. */
export interface ListenerFact {
  readonly port?: number;
  /** `http`, `http2`, `grpc` or `tcp`. */
  readonly protocol?: string;
  readonly idleTimeoutSeconds?: number;
  readonly perRequestTimeoutSeconds?: number;
  /** Where the listener's TLS certificate comes from (`acm`, `file`, `sds`), when it terminates TLS. */
  readonly tlsCertificate?: string;
  /** The listener validates client certificates (mutual TLS). */
  readonly mutualTls: boolean;
  readonly outlierDetection: boolean;
  readonly connectionPool: boolean;
  readonly healthCheck: boolean;
}

/** A resource every fact points back to. */
export interface Located {
  /** The construct path of the L1 resource. */
  readonly path: string;
}

export interface MeshFact extends Located {
  readonly name: string;
  /** `DROP_ALL` (CloudFormation's default) or `ALLOW_ALL`. */
  readonly egressFilter: string;
}

export interface VirtualNodeFact extends Located {
  readonly mesh: string;
  readonly name: string;
  readonly listeners: ListenerFact[];
  /** Names of the virtual services the node calls. */
  readonly backends: string[];
  /** The node presents a client certificate to its backends (mutual TLS). */
  readonly clientCertificate: boolean;
  /** Where the node's backend TLS trust comes from (`acm`, `file`, `sds`), when it originates TLS. */
  readonly backendTrust?: string;
  /** DNS service discovery: the hostname. */
  readonly dnsHostname?: string;
  /**
   * Cloud Map service discovery. `taskFamily` is the `ECS_TASK_DEFINITION_FAMILY` instance attribute that
   * picks the node's tasks out of a Cloud Map service several ECS services register in.
   */
  readonly cloudMap?: { readonly namespaceName?: string; readonly serviceName?: string; readonly taskFamily?: string };
  /** The format of the Envoy access log the node writes (`text` or `json`), when it writes one. */
  readonly accessLog?: string;
}

export interface VirtualServiceFact extends Located {
  readonly mesh: string;
  readonly name: string;
  readonly providerNode?: string;
  readonly providerRouter?: string;
}

export interface VirtualRouterFact extends Located {
  readonly mesh: string;
  readonly name: string;
  readonly listeners: ListenerFact[];
}

export interface RouteTargetFact {
  readonly node: string;
  readonly weight: number;
  readonly port?: number;
}

export interface RouteFact extends Located {
  readonly mesh: string;
  readonly router: string;
  readonly name: string;
  /** `http`, `http2`, `grpc` or `tcp`. */
  readonly protocol: string;
  readonly targets: RouteTargetFact[];
  /** What the route matches on besides the path prefix `/` and the listener port, e.g. `headers`, `method`. */
  readonly matches: string[];
  readonly retryPolicy: boolean;
  readonly idleTimeoutSeconds?: number;
  readonly perRequestTimeoutSeconds?: number;
}

export interface VirtualGatewayFact extends Located {
  readonly mesh: string;
  readonly name: string;
  readonly listeners: ListenerFact[];
  readonly clientCertificate: boolean;
}

export interface GatewayRouteFact extends Located {
  readonly mesh: string;
  readonly gateway: string;
  readonly name: string;
  readonly targetService?: string;
}

/** A container port mapping of a task definition. */
export interface PortMappingFact {
  readonly container: string;
  readonly containerPort?: number;
  readonly name?: string;
}

/** What a task's Envoy container says it is. */
export interface EnvoyIdentity {
  readonly mesh?: string;
  readonly kind: 'virtualNode' | 'virtualGateway';
  readonly name: string;
}

export interface TaskDefinitionFact extends Located {
  /** The task definition family, when known. */
  readonly family?: string;
  /** The Envoy container's name, when the task has one. */
  readonly envoyContainer?: string;
  /** The App Mesh resource the Envoy container serves (APPMESH_RESOURCE_ARN or APPMESH_VIRTUAL_NODE_NAME). */
  readonly envoyIdentity?: EnvoyIdentity;
  /** The task has an APPMESH proxy configuration. */
  readonly proxyConfiguration: boolean;
  /** Containers that depend on the Envoy container. */
  readonly dependsOnEnvoy: string[];
  /** Tracing the Envoy container sends (e.g. `X-Ray`), from its environment. */
  readonly tracing: string[];
  /** The task can run on EC2 and sets no task-level memory. */
  readonly ec2WithoutTaskMemory: boolean;
  /** Port mappings of every container but Envoy. */
  readonly portMappings: PortMappingFact[];
  /** Path of the task role, when it is a role of the app. */
  readonly taskRole?: string;
}

export interface EcsServiceFact extends Located {
  /** Path of the task definition, when it is one of the app. */
  readonly taskDefinition?: string;
  /** Cloud Map registrations: service name and namespace name, as far as known. */
  readonly registries: Array<{ readonly serviceName?: string; readonly namespaceName?: string }>;
}

/** An IAM policy or role of the app that grants App Mesh's Envoy access. */
export interface GrantFact extends Located {
  /** What grants it: an `appmesh:` action or the AWSAppMeshEnvoyAccess managed policy. */
  readonly grant: string;
  /** Paths of the roles it applies to, when known (the role itself for a managed policy or inline policy). */
  readonly roles: string[];
}

/** Everything the plan reads. */
export interface AppMeshFacts {
  readonly meshes: MeshFact[];
  readonly nodes: VirtualNodeFact[];
  readonly services: VirtualServiceFact[];
  readonly routers: VirtualRouterFact[];
  readonly routes: RouteFact[];
  readonly gateways: VirtualGatewayFact[];
  readonly gatewayRoutes: GatewayRouteFact[];
  readonly taskDefinitions: TaskDefinitionFact[];
  readonly ecsServices: EcsServiceFact[];
  readonly grants: GrantFact[];
}
