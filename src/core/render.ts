import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ResolvedEndpoint, ServiceConnectEndpoint } from '../endpoint';

/*
 * Renders the ECS ServiceConnectConfiguration the library owns, from the endpoints as declared and as
 * resolved against the task definition.
 */

/** One endpoint, as declared and with its defaults applied. */
export interface RenderedEndpoint {
  readonly declared: ServiceConnectEndpoint;
  readonly resolved: ResolvedEndpoint;
}

/** One entry of the configuration's `Services`. */
export function renderEndpoint({ declared: ep, resolved }: RenderedEndpoint): ecs.CfnService.ServiceConnectServiceProperty {
  const port = resolved.port;
  // The ECS API wants one client alias with a port on every Service Connect service (ServiceConnectService
  // `clientAliases`), so it is always rendered: the port defaults to the container port. Its DNS name is
  // always written out, the library's default being the bare discovery name (the short name the README
  // promises): left out, ECS would pick `discoveryName.namespace`, not the name the library's topology,
  // redeploy nonce and docs give. An unknown port fails the PortMappingNameExists rule before anything
  // is rendered.
  const hasTimeout = ep.idleTimeout !== undefined || ep.perRequestTimeout !== undefined;
  return {
    portName: ep.portMappingName,
    discoveryName: ep.discoveryName,
    clientAliases: port !== undefined ? [{ port, dnsName: resolved.dnsName }] : undefined,
    ingressPortOverride: ep.ingressPortOverride,
    timeout: hasTimeout ? {
      idleTimeoutSeconds: ep.idleTimeout?.toSeconds(),
      perRequestTimeoutSeconds: ep.perRequestTimeout?.toSeconds(),
    } : undefined,
    tls: ep.tls ? {
      issuerCertificateAuthority: { awsPcaAuthorityArn: ep.tls.awsPcaAuthorityArn },
      kmsKey: ep.tls.kmsKey?.keyArn,
      roleArn: ep.tls.role?.roleArn,
    } : undefined,
  };
}

/** The whole configuration: the namespace, the endpoints of a server, and the proxy's logs. */
export function renderServiceConnect(
  namespaceArn: string, endpoints: RenderedEndpoint[] | undefined, logConfiguration?: ecs.CfnService.LogConfigurationProperty,
): ecs.CfnService.ServiceConnectConfigurationProperty {
  return {
    enabled: true,
    namespace: namespaceArn,
    services: endpoints?.map(renderEndpoint),
    logConfiguration,
  };
}
