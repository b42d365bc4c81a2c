import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ResolvedEndpoint, ServiceConnectEndpoint } from '../endpoint';

/** One endpoint as the user declared it, with defaults applied and the port mapping it names. */
export interface EndpointFacts {
  readonly declared: ServiceConnectEndpoint;
  readonly resolved: ResolvedEndpoint;
  /** The task definition's port mapping with `declared.portMappingName`, if any. */
  readonly portMapping?: ecs.PortMapping;
}

/** An edge the topology refused, as plain data. */
export interface RefusedEdgeFacts {
  readonly serverPath: string;
  readonly serverNamespace: string;
  readonly cycle?: string[];
  readonly crossNamespace?: boolean;
}

/**
 * A plain-data snapshot of one service, taken at synth. Rules are pure functions of it.
 */
export interface ServiceFacts {
  readonly path: string;
  readonly isServer: boolean;
  readonly namespaceName: string;
  readonly endpoints: EndpointFacts[];
  /** Names of the task definition's named port mappings. */
  readonly portMappingNames: string[];
  readonly refusedEdges: RefusedEdgeFacts[];
}
