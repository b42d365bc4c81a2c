import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ResolvedEndpoint, ServiceConnectEndpoint } from './endpoint';
import { IServiceConnectNamespace } from './namespace';
import { ServiceConnectServiceBase, ServiceConnectServiceProps } from './service-base';
import { IServiceConnectServer } from './service-types';

/**
 * Properties of a `ClientServerService`.
 */
export interface ClientServerServiceProps extends ServiceConnectServiceProps {
  /**
   * The Service Connect endpoints the service exposes, one per entry of the ECS
   * ServiceConnectConfiguration `Services` list.
   */
  readonly endpoints: ServiceConnectEndpoint[];
}

/**
 * A server defined outside this app, for `connectsTo`.
 */
export interface ClientServerServiceAttributes {
  /** The namespace the server joined. */
  readonly namespace: IServiceConnectNamespace;

  /**
   * Security groups of the server's tasks. Clients are allowed in on these.
   *
   * @default - none: no security-group rule is created
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The server's endpoints. `listenPort` is the port clients are allowed in on.
   */
  readonly endpoints: ResolvedEndpoint[];
}

/** Distinct known listen ports of `endpoints`, in order. */
function listenPortsOf(endpoints: ResolvedEndpoint[]): number[] {
  const ports = endpoints.map((ep) => ep.listenPort).filter((port): port is number => port !== undefined);
  return [...new Set(ports)];
}

/**
 * An ECS service that exposes Service Connect endpoints and may itself call other servers.
 *
 * @example
 * declare const cluster: ecs.Cluster;
 * declare const namespace: ServiceConnectNamespace;
 * declare const taskDefinition: ecs.FargateTaskDefinition;
 *
 * const db = new ClientServerService(this, 'Db', {
 *   cluster,
 *   namespace,
 *   taskDefinition,
 *   endpoints: [{ portMappingName: 'pg', dnsName: 'db', port: 5432 }],
 * });
 */
export class ClientServerService extends ServiceConnectServiceBase implements IServiceConnectServer {
  /**
   * A server defined outside this app (another CDK app or a stack set), so clients here can connect
   * to it. Edges to it get security-group rules but no ordering: there is nothing to wait for.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: ClientServerServiceAttributes): IServiceConnectServer {
    return new ImportedServer(scope, id, attrs);
  }

  constructor(scope: Construct, id: string, props: ClientServerServiceProps) {
    super(scope, id, props, props.endpoints);
  }

  /** The ports the server-side proxy listens on, which the library opens to clients. */
  public get listenPorts(): number[] {
    return listenPortsOf(this.endpoints);
  }
}

class ImportedServer extends Construct implements IServiceConnectServer {
  public readonly namespace: IServiceConnectNamespace;
  public readonly connections: ec2.Connections;
  public readonly endpoints: ResolvedEndpoint[];

  constructor(scope: Construct, id: string, attrs: ClientServerServiceAttributes) {
    super(scope, id);
    this.namespace = attrs.namespace;
    this.connections = new ec2.Connections({ securityGroups: attrs.securityGroups });
    this.endpoints = [...attrs.endpoints];
    this.namespace.registerService(this);
  }

  public get listenPorts(): number[] {
    return listenPortsOf(this.endpoints);
  }
}
