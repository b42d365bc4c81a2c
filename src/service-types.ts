import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { ResolvedEndpoint } from './endpoint';
import type { IServiceConnectNamespace } from './namespace';

/**
 * A service that has joined a Service Connect namespace: a `ClientService`, a `ClientServerService`,
 * or a server imported with `ClientServerService.fromAttributes`.
 */
export interface IServiceConnectService extends IConstruct, ec2.IConnectable {
  /** The namespace the service joined. */
  readonly namespace: IServiceConnectNamespace;

  /** The endpoints the service exposes, with defaults applied. Empty for a client. */
  readonly endpoints: ResolvedEndpoint[];
}

/**
 * A service that other services can connect to: a `ClientServerService`, or one imported with
 * `ClientServerService.fromAttributes`.
 */
export interface IServiceConnectServer extends IServiceConnectService {
  /**
   * The ports the server-side proxy listens on (each endpoint's ingress override, else its container
   * port), deduplicated. Clients are allowed in on exactly these ports.
   */
  readonly listenPorts: number[];
}

/**
 * Options for one edge of the call graph.
 */
export interface ConnectOptions {
  /**
   * Whether the client's ECS service is created and updated only after the server's.
   * Set it to false to break a cycle knowingly (the security-group rule is still created).
   *
   * @default true
   */
  readonly ordered?: boolean;
}
