import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ResolvedEndpoint, ServiceConnectEndpoint } from '../endpoint';
import type { AccessLogFacts, DeploymentFacts } from './deployment-facts';

/*
 * Plain-data snapshots that the rules inspect. The constructs build them at synth; every value that is
 * an unresolved token, or that the library cannot see, is left undefined so the rules skip it.
 */

/** One endpoint as the user declared it, with defaults applied and the port mapping it names. */
export interface EndpointFacts {
  readonly declared: ServiceConnectEndpoint;
  readonly resolved: ResolvedEndpoint;
  /** The task definition's port mapping with `declared.portMappingName`, if any. */
  readonly portMapping?: ecs.PortMapping;
  /** What the library sees of the resources `declared.tls` names; undefined without TLS. */
  readonly tls?: TlsFacts;
}

/** The certificate authority and KMS key of an endpoint's TLS, each when it is a resource of this app. */
export interface TlsFacts {
  /** The certificate authority; undefined when it is not in the app or its tags are tokens. */
  readonly certificateAuthority?: {
    readonly path: string;
    /** Value of its `AmazonECSManaged` tag as rendered; undefined when it has no such tag. */
    readonly managedTag?: string;
  };
  /** The KMS key; undefined when it is not in the app or its key spec is a token. */
  readonly kmsKey?: {
    readonly path: string;
    /** Its key spec as rendered (`SYMMETRIC_DEFAULT` when not set). */
    readonly keySpec: string;
  };
}

/** An edge the topology refused, as plain data. */
export interface RefusedEdgeFacts {
  readonly serverPath: string;
  readonly serverNamespace: string;
  readonly cycle?: string[];
  readonly stackCycle?: string[];
  readonly crossNamespace?: boolean;
}

/** The task definition, as far as the proxy's resources are concerned. */
export interface TaskFacts {
  readonly path: string;
  /** Task-level CPU units. */
  readonly cpu?: number;
  /** Task-level memory (MiB); undefined when not set or a token. */
  readonly memoryMiB?: number;
  /** Whether task-level memory is set at all (possibly as a token). */
  readonly memorySet: boolean;
  /** Sum of the containers' hard memory limits (MiB), over the containers that set one. */
  readonly containerMemoryMiB: number;
  /** Sum of the containers' CPU units. */
  readonly containerCpu: number;
  /** Whether some container value was a token, so the sums are incomplete. */
  readonly containerValuesUnresolved: boolean;
  /** Runtime platform operating system family, e.g. `LINUX` or `WINDOWS_SERVER_2022_CORE`. */
  readonly osFamily?: string;
  /** Network mode: `awsvpc`, `bridge`, `host` or `none`. */
  readonly networkMode?: string;
  /** Whether the library sized this task itself (container options instead of a task definition). */
  readonly managed: boolean;
}

/** Capacity (an Auto Scaling group) that an EC2 service's cluster has and the library can see. */
export interface CapacityFacts {
  readonly path: string;
  /** The SSM parameter the AMI comes from, e.g. `/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id`. */
  readonly amiParameter?: string;
  /** A literal AMI id, when the image is not an SSM parameter. */
  readonly amiId?: string;
  /** Whether the instance role allows `ecs:Poll`; undefined when the role cannot be inspected. */
  readonly pollAllowed?: boolean;
}

/** A server this service calls, for the cross-VPC check. */
export interface PeerFacts {
  readonly path: string;
  readonly sameVpc?: boolean;
  /** The server's account, when its stack and the client's are in different known accounts: the library renders no rule between them. */
  readonly otherAccount?: string;
}

/** A security group that a client and a server it calls share. */
export interface SharedGroupFacts {
  readonly serverPath: string;
  readonly groupPath: string;
}

/** One way the service's own Service Connect configuration differs from what the library was given. */
export interface ConfigurationConflictFacts {
  readonly what: string;
  readonly value: string;
}

/** A plain-data snapshot of one service, taken at synth. Rules are pure functions of it. */
export interface ServiceFacts {
  readonly path: string;
  readonly isServer: boolean;
  readonly namespaceName: string;
  /** The ECS service's name, when the app sets a literal one. */
  readonly serviceName?: string;
  /** Whether `namespaceName` only describes a namespace the configuration names by a value unknown at synth. */
  readonly namespaceUnknown?: boolean;
  readonly endpoints: EndpointFacts[];
  /** Names of the task definition's named port mappings. */
  readonly portMappingNames: string[];
  readonly refusedEdges: RefusedEdgeFacts[];
  readonly launchType: string;
  readonly task: TaskFacts;
  readonly platformVersion?: string;
  readonly deploymentControllerType?: string;
  readonly circuitBreakerEnabled: boolean;
  readonly expectedPeakRequestsPerSecond?: number;
  /** Whether the namespace crosses the guide's size threshold (more proxy memory needed). */
  readonly largeNamespace: boolean;
  /** The stack's region and account, when known at synth. */
  readonly region?: string;
  readonly account?: string;
  /** The namespace's region and account, when known at synth. */
  readonly namespaceRegion?: string;
  readonly namespaceAccount?: string;
  readonly capacity: CapacityFacts[];
  /** Paths of the ECS Managed Instances capacity providers the service's strategy names, as far as the library can see them. */
  readonly managedInstancesProviders: string[];
  readonly servers: PeerFacts[];
  /** Whether a service of the app calls this server; undefined when not asked (only bridge-mode servers need it). */
  readonly hasCallers?: boolean;
  /** Security groups this service shares with servers it calls; the library opens nothing between them. */
  readonly sharedGroups: SharedGroupFacts[];
  /**
   * Servers this client reaches from its container instances' security group (the bridge and host network
   * modes have no group per task): the rule lets every task on those instances in.
   */
  readonly instanceGroupCalls?: SharedGroupFacts[];
  /** Differences between the service's own Service Connect configuration and the library's. */
  readonly configurationConflicts: ConfigurationConflictFacts[];
  /** Whether the service keeps a Service Connect configuration of its own, which the library reads and never rewrites. */
  readonly ownConfiguration?: boolean;
  /** The proxy's access logs; undefined when none are asked for. */
  readonly accessLogs?: AccessLogFacts;
  /** The ECS deployment; undefined when unknown. */
  readonly deployment?: DeploymentFacts;
  /** For a server from `ClientServerService.fromAttributes` (no ECS service in the app): what it was given. */
  readonly importedServer?: ImportedServerFacts;
  /** What keeps the service from redeploying on endpoint changes; undefined when it opted out. */
  readonly redeploy?: RedeployFacts;
  /** Callers from outside the namespace and Cloud Map lookups the server declared; undefined when none. */
  readonly outside?: OutsideFacts;
}

/** A caller from outside the namespace (`allowFrom`, or the VPC link of an HTTP API integration). */
export interface OutsideCallerFacts {
  /** The caller's construct path or address range. */
  readonly label: string;
  /** The endpoint it calls; undefined for every endpoint. */
  readonly discoveryName?: string;
  /** The port it asked for; undefined for the proxy listen ports of the endpoints it calls. */
  readonly port?: number;
  /** Whether it is every address (0.0.0.0/0 or ::/0). */
  readonly anyAddress: boolean;
  /** The known proxy listen ports of the endpoints it calls. */
  readonly listenPorts: number[];
  /** Whether `discoveryName` names an endpoint of the server (true when not given or a token). */
  readonly endpointKnown: boolean;
  /** Whether some listen port is a token, so that a port it asked for cannot be checked. */
  readonly portsUnresolved: boolean;
}

/** A Cloud Map service lookup of the server. */
export interface LookupFacts {
  readonly discoveryName: string;
  /** Whether an HTTP API private integration is built on it. */
  readonly integration: boolean;
  /** Whether an endpoint of the server has that discovery name. */
  readonly endpointKnown: boolean;
}

/** What a server declared for callers outside its namespace. */
export interface OutsideFacts {
  /** The server's discovery names. */
  readonly discoveryNames: string[];
  readonly callers: OutsideCallerFacts[];
  readonly lookups: LookupFacts[];
  /** Whether the namespace's id is known (a Cloud Map id or a token), not only its name. */
  readonly namespaceIdKnown: boolean;
  /** The namespace's account, when its ARN is literal. */
  readonly namespaceAccount?: string;
  /** The stack's account, when literal. */
  readonly stackAccount?: string;
}

/** Why the library's `ForceNewDeployment` nonce may not follow the endpoints a service calls. */
export interface RedeployFacts {
  /** Whether the ECS service has a `ForceNewDeployment` of its own, kept in place of the library's. */
  readonly ownForceNewDeployment: boolean;
  /** Token values (resolved form) of called endpoints that the nonce hashes but cannot follow at deploy time. */
  readonly untracked: string[];
}

/** What a server from `ClientServerService.fromAttributes` was given, besides its endpoints. */
export interface ImportedServerFacts {
  /** How many security groups clients are let into. */
  readonly securityGroupCount: number;
}

/** One service as a member of its namespace. */
export interface MemberFacts {
  readonly path: string;
  readonly endpoints: ResolvedEndpoint[];
  /** The task definition's construct path, when the service has one in this app. */
  readonly taskDefinitionPath?: string;
  /** Task memory minus container limits (MiB), when known. */
  readonly proxyMemoryHeadroomMiB?: number;
  /** Most tasks the service runs at once (desired count times maximum percent); one desired task when `uncountedTasks`. */
  readonly maxTaskCount: number;
  /** Why the service's tasks cannot be counted at synth (a token desired count, a daemon); undefined when they can. */
  readonly uncountedTasks?: string;
  /**
   * What makes each endpoint (same order as `endpoints`) equal to another: its values resolved, so that a
   * token is equal to itself and a token that resolves to a literal equals that literal.
   *
   * @default - literal values only; endpoints with tokens are compared with none
   */
  readonly endpointKeys?: EndpointKeys[];
}

/** An endpoint's discovery name and (DNS name, port), resolved; undefined where a part is unknown. */
export interface EndpointKeys {
  readonly discoveryName?: string;
  readonly endpoint?: string;
}

/** A plain-data snapshot of a namespace and every service in it, from every stack of the app. */
export interface NamespaceFacts {
  readonly path: string;
  readonly name: string;
  readonly members: MemberFacts[];
}
