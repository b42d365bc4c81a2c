import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { ServiceConnectTestTrafficHeader } from './deployment';

/**
 * TLS for a Service Connect endpoint, issued by AWS Private CA.
 */
export interface ServiceConnectTls {
  /**
   * ARN of the AWS Private CA certificate authority that issues the proxies' certificates.
   */
  readonly awsPcaAuthorityArn: string;

  /**
   * KMS key that encrypts the certificates' private keys: a symmetric key.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * Role that ECS assumes to use the certificate authority. The library grants it use of `kmsKey`, and
   * orders the ECS service's deletion before the role's and its policies'.
   *
   * @default - no role is rendered; ECS uses its infrastructure role for the cluster
   */
  readonly role?: iam.IRole;

  /**
   * Create the ECS infrastructure role: a role trusted by `ecs.amazonaws.com`, with the AWS managed policy
   * `service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity`, granted use of
   * `kmsKey`. One role per service, shared by its TLS endpoints, with the construct id `TlsRole` under the
   * service construct (`ClientServerService.tlsRole`). Cannot be combined with `role`.
   *
   * @default false
   */
  readonly createRole?: boolean;
}

/**
 * One Service Connect endpoint of a `ClientServerService`
 * (one entry of the service's ServiceConnectConfiguration `Services`).
 */
export interface ServiceConnectEndpoint {
  /**
   * Name of the port mapping in the task definition that this endpoint exposes.
   */
  readonly portMappingName: string;

  /**
   * Name of the AWS Cloud Map service created for this endpoint. Must be unique in the namespace.
   *
   * @default - the `portMappingName`
   */
  readonly discoveryName?: string;

  /**
   * DNS name that clients use to reach this endpoint (the client alias).
   *
   * @default - the discovery name
   */
  readonly dnsName?: string;

  /**
   * Port that clients use to reach this endpoint (the client alias port).
   * This does not change the port the server's proxy listens on.
   *
   * @default - the container port of the named port mapping
   */
  readonly port?: number;

  /**
   * Port the server-side Service Connect proxy listens on, instead of the container port.
   * The library opens this port, not the container port, to the clients. Must be 1025-65535.
   *
   * @default - the proxy listens on the container port
   */
  readonly ingressPortOverride?: number;

  /**
   * Idle timeout of connections through the proxy. `Duration.seconds(0)` disables it.
   *
   * @default - the Service Connect default (5 minutes for HTTP, HTTP/2 and gRPC, 1 hour for TCP)
   */
  readonly idleTimeout?: Duration;

  /**
   * Time the proxy waits for the upstream to respond with a complete response per request.
   * Only for HTTP, HTTP/2 and gRPC port mappings.
   *
   * @default - the Service Connect default (15 seconds)
   */
  readonly perRequestTimeout?: Duration;

  /**
   * Encrypt traffic to this endpoint with TLS.
   *
   * @default - no TLS
   */
  readonly tls?: ServiceConnectTls;

  /**
   * The header that marks test traffic to this endpoint during a blue/green, linear or canary
   * deployment (`deploymentStrategy`). Only for HTTP, HTTP/2 and gRPC port mappings. The endpoint then
   * always renders its client alias (DNS name and port, with their defaults).
   *
   * @default - the ECS default: requests with the header `x-amzn-ecs-blue-green-test` are test traffic
   */
  readonly testTrafficHeader?: ServiceConnectTestTrafficHeader;
}

/**
 * An endpoint with every default applied, as Service Connect will run it.
 */
export interface ResolvedEndpoint {
  /** Name of the port mapping in the task definition. */
  readonly portMappingName: string;
  /** Effective discovery name: `discoveryName` or else `portMappingName`. */
  readonly discoveryName: string;
  /** Effective DNS name clients use: `dnsName` or else the discovery name. */
  readonly dnsName: string;
  /**
   * Effective port clients use: `port` or else the container port.
   *
   * @default - unknown: the port mapping was not found in the task definition
   */
  readonly port?: number;
  /**
   * Port the server-side proxy listens on, which clients' security groups must reach:
   * `ingressPortOverride` or else the container port (in the bridge network mode, only the override:
   * without one the proxy picks an ephemeral port).
   *
   * @default - unknown: the port mapping was not found, or a bridge-mode endpoint has no override
   */
  readonly listenPort?: number;
  /**
   * Container port of the named port mapping.
   *
   * @default - unknown: the port mapping was not found in the task definition
   */
  readonly containerPort?: number;
}

/**
 * Applies the Service Connect defaults to an endpoint (seed, "Service Connect terminology"; SPEC §3).
 * Pure: `portMapping` is what the task definition has under the endpoint's port mapping name, and
 * `networkMode` the task definition's network mode. In the bridge network mode the proxy listens on an
 * ephemeral port unless the endpoint overrides it (ECS API, `ServiceConnectService.ingressPortOverride`).
 */
export function resolveEndpoint(endpoint: ServiceConnectEndpoint, portMapping?: ecs.PortMapping, networkMode?: ecs.NetworkMode): ResolvedEndpoint {
  const discoveryName = endpoint.discoveryName ?? endpoint.portMappingName;
  // A port range has no single container port (its containerPort is a placeholder), and the proxy carries
  // no UDP: neither gives a port the proxy listens on (rule EndpointPort).
  const containerPort = portMapping?.containerPortRange !== undefined ? undefined : portMapping?.containerPort;
  const carriesTcp = portMapping?.protocol !== ecs.Protocol.UDP;
  const proxyDefaultPort = networkMode === ecs.NetworkMode.BRIDGE || !carriesTcp ? undefined : containerPort;
  return {
    portMappingName: endpoint.portMappingName,
    discoveryName,
    dnsName: endpoint.dnsName ?? discoveryName,
    port: endpoint.port ?? containerPort,
    listenPort: endpoint.ingressPortOverride ?? proxyDefaultPort,
    containerPort,
  };
}
