import { Token } from 'aws-cdk-lib';
import type { EndpointFacts, ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

/** Lowest port the ECS API accepts as an ingress override (`IngressPortOverride cannot use ports <= 1024`). */
const MIN_INGRESS_OVERRIDE = 1025;
const MAX_PORT = 65535;

export const endpointRequired: Rule<ServiceFacts> = {
  id: 'EndpointRequired',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A ClientServerService has no endpoint.',
  fix: 'add at least one entry to `endpoints`, or use a ClientService if the service only calls others',
  seed: 'Service Connect terminology: client-server service',
  source: Source.CONCEPTS,
  check: (svc) => (svc.isServer && svc.endpoints.length === 0
    ? [{ problem: 'a ClientServerService must expose at least one endpoint', value: 'endpoints: []' }]
    : []),
};

export const portMappingNameExists: Rule<ServiceFacts> = {
  id: 'PortMappingNameExists',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: "An endpoint's portMappingName matches no named port mapping of the task definition.",
  fix: 'name the port mapping in the container definition (`portMappings: [{ name, containerPort }]`) or correct `portMappingName`',
  seed: 'Service Connect service configuration',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints
    .filter((ep) => !ep.portMapping)
    .map((ep) => (Token.isUnresolved(ep.declared.portMappingName) ? {
      problem: 'the endpoint\'s port mapping name is a token, so the library cannot find the port mapping, its port or its protocol',
      value: `portMappingName ${ep.declared.portMappingName}`,
      fix: 'give `portMappingName` as a literal string, the name of a port mapping of the task definition',
    } : {
      problem: 'the endpoint names a port mapping the task definition does not have',
      value: `portMappingName '${ep.declared.portMappingName}'; named port mappings: ${svc.portMappingNames.length ? svc.portMappingNames.map((n) => `'${n}'`).join(', ') : 'none'}`,
    })),
};

export const ingressPortOverride: Rule<ServiceFacts> = {
  id: 'IngressPortOverride',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An ingress port override is not an integer in 1025-65535 (the ECS API rejects ports at or below 1024).',
  fix: `use an integer port from ${MIN_INGRESS_OVERRIDE} to ${MAX_PORT} for \`ingressPortOverride\`, or remove it so the proxy listens on the container port`,
  seed: 'Networking',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints
    .filter((ep) => {
      const port = ep.declared.ingressPortOverride;
      return port !== undefined && !Token.isUnresolved(port)
        && !(Number.isInteger(port) && port >= MIN_INGRESS_OVERRIDE && port <= MAX_PORT);
    })
    .map((ep) => ({
      problem: `endpoint '${ep.resolved.discoveryName}' overrides the proxy listen port with a port ECS rejects`,
      value: `ingressPortOverride ${ep.declared.ingressPortOverride}`,
    })),
};

export const bridgeIngressPortOverride: Rule<ServiceFacts> = {
  id: 'BridgeIngressPortOverride',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A server in the bridge network mode has an endpoint without an ingress port override. In bridge mode the proxy listens on an ephemeral port it picks at run time, so no security-group rule can name it.',
  fix: 'set `ingressPortOverride` (1025-65535) on the endpoint, so the proxy listens on a known port that the library opens to the clients; or use the awsvpc network mode',
  seed: 'ECS API reference (ServiceConnectService.ingressPortOverride); Networking',
  source: Source.API_SERVICE,
  check: (svc) => (svc.task.networkMode !== 'bridge' ? [] : svc.endpoints
    .filter((ep) => ep.declared.ingressPortOverride === undefined)
    .map((ep) => ({
      problem: `endpoint '${ep.resolved.discoveryName}' runs in the bridge network mode, where the proxy listens on an ephemeral port unless it is overridden`,
      value: 'networkMode bridge, no ingressPortOverride',
    }))),
};

/** ECS API: up to 64 characters, lowercase letters, numbers, underscores and hyphens, not starting with a hyphen. */
const DISCOVERY_NAME = /^(?!-)[a-z0-9_-]{1,64}$/;
/** ECS API: a DNS name of up to 127 characters, lowercase letters, numbers, underscores, hyphens and periods, not starting with a hyphen. */
const DNS_NAME = /^(?!-)[a-z0-9_.-]{1,127}$/;

export const discoveryNameFormat: Rule<ServiceFacts> = {
  id: 'DiscoveryNameFormat',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A discovery name or DNS name breaks the ECS API\'s rules: discovery names up to 64 characters of a-z, 0-9, _ and -; DNS names up to 127 characters of a-z, 0-9, _, - and .; neither may start with a hyphen.',
  fix: 'rename it: lowercase letters, numbers, underscores and hyphens (and periods in DNS names), not starting with a hyphen, at most 64 (discovery) or 127 (DNS) characters',
  seed: 'ECS API reference (ServiceConnectService, ServiceConnectClientAlias)',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints.flatMap((ep) => {
    const findings = [];
    const { discoveryName, dnsName } = ep.resolved;
    if (!Token.isUnresolved(discoveryName) && !DISCOVERY_NAME.test(discoveryName)) {
      findings.push({ problem: 'the discovery name is not one the ECS API accepts', value: `discovery name '${discoveryName}'` });
    }
    if (!Token.isUnresolved(dnsName) && !DNS_NAME.test(dnsName)) {
      findings.push({ problem: 'the DNS name is not one the ECS API accepts', value: `DNS name '${dnsName}'` });
    }
    return findings;
  }),
};

/** App protocols whose requests the proxy reads (to time them out, or route them by header). */
const REQUEST_PROTOCOLS = ['http', 'http2', 'grpc'];

/** The endpoints that `use` a request-level feature on a known port mapping without an HTTP, HTTP/2 or gRPC app protocol. */
export function plainProtocolEndpoints(svc: ServiceFacts, use: (ep: EndpointFacts) => boolean): EndpointFacts[] {
  return svc.endpoints
    .filter((ep) => use(ep) && ep.portMapping !== undefined)
    .filter((ep) => !REQUEST_PROTOCOLS.includes(ep.portMapping?.appProtocol?.value ?? 'none'));
}

export const perRequestTimeoutProtocol: Rule<ServiceFacts> = {
  id: 'PerRequestTimeoutProtocol',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A per-request timeout is set on a port mapping without an HTTP, HTTP/2 or gRPC app protocol.',
  fix: 'set `appProtocol` (ecs.AppProtocol.http, http2 or grpc) on the port mapping, or remove `perRequestTimeout`',
  seed: 'ECS API reference (TimeoutConfiguration)',
  source: Source.API_TIMEOUT,
  check: (svc) => plainProtocolEndpoints(svc, (ep) => ep.declared.perRequestTimeout !== undefined)
    .map((ep) => ({
      problem: `endpoint '${ep.resolved.discoveryName}' sets a per-request timeout on a port mapping that is not HTTP, HTTP/2 or gRPC`,
      value: `appProtocol ${ep.portMapping?.appProtocol?.value ?? 'not set'}`,
    })),
};
