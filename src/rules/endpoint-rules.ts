import { Token } from 'aws-cdk-lib';
import { describeNumber } from '../errors';
import type { EndpointFacts, ServiceFacts } from './facts';
import { Finding, Rule, RuleSeverity } from './rule';
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
      // Never the token's placeholder text: it means nothing to the reader.
      value: 'portMappingName given as a token',
      fix: 'give `portMappingName` as a literal string, the name of a port mapping of the task definition',
    } : {
      problem: 'the endpoint names a port mapping the task definition does not have',
      value: `portMappingName '${ep.declared.portMappingName}'; named port mappings: ${svc.portMappingNames.length ? svc.portMappingNames.map((n) => `'${n}'`).join(', ') : 'none'}`,
    })),
};

/**
 * How an endpoint reads in a message: its discovery name in quotes, else (a token) its port mapping's
 * name, never a token's placeholder text.
 */
export function endpointName(ep: EndpointFacts): string {
  const { discoveryName, portMappingName } = ep.resolved;
  return !Token.isUnresolved(discoveryName) ? `'${discoveryName}'`
    : !Token.isUnresolved(portMappingName) ? `on port mapping '${portMappingName}'` : '(named by tokens)';
}

/** Whether `port` can be a TCP port: an integer from 1 to 65535, or a token (checked at deployment). */
export function isPortOrToken(port: number): boolean {
  return Token.isUnresolved(port) || (Number.isInteger(port) && port >= 1 && port <= 65535);
}

/** How a port reads in a message. */
function portText(port: number | undefined): string {
  return port === undefined ? 'none' : describeNumber(port);
}

/** The findings of one endpoint for EndpointPort. */
function endpointPortFindings(svc: ServiceFacts, ep: EndpointFacts): Finding[] {
  const name = endpointName(ep);
  const mapping = ep.portMapping;
  const findings: Finding[] = [];
  if (mapping?.containerPortRange !== undefined) {
    findings.push({
      problem: `endpoint ${name} names a port mapping with a port range; a Service Connect endpoint needs one container port`,
      value: `port mapping '${ep.declared.portMappingName}' with containerPortRange ${mapping.containerPortRange}`,
      fix: 'name a port mapping with a single `containerPort` (add one next to the range if the container needs both)',
    });
  } else if (mapping?.protocol === 'udp') {
    findings.push({
      problem: `endpoint ${name} names a UDP port mapping, which the Service Connect proxy is not known to carry (the guide names TCP, HTTP, HTTP/2 and gRPC only; unconfirmed), so the library opens no port for it`,
      value: `port mapping '${ep.declared.portMappingName}' with protocol udp`,
      fix: 'name a TCP port mapping (the default protocol); reach a UDP port some other way, e.g. Cloud Map service discovery (`cloudMapOptions`)',
      severity: RuleSeverity.WARNING,
    });
  }
  const { port, listenPort } = ep.resolved;
  if (port !== undefined && !isPortOrToken(port)) {
    findings.push({
      problem: `endpoint ${name} has a client alias port that is not an integer from 1 to 65535`,
      value: `${ep.declared.port !== undefined ? 'port' : 'container port'} ${portText(port)}`,
    });
  }
  // An invalid override is IngressPortOverride's; here, the container port the proxy listens on by default, or an imported server's listen port.
  if (listenPort !== undefined && ep.declared.ingressPortOverride === undefined && !isPortOrToken(listenPort)) {
    findings.push({
      problem: `endpoint ${name} has a proxy listen port that is not an integer from 1 to 65535`,
      value: `${svc.importedServer ? 'listenPort' : 'container port'} ${portText(listenPort)}`,
    });
  }
  if (listenPort === undefined && svc.importedServer && svc.importedServer.securityGroupCount > 0) {
    findings.push({
      problem: `endpoint ${name} of a server from fromAttributes has no listen port, so its security groups cannot let the clients in`,
      value: 'listenPort not set',
      fix: 'give the endpoint `listenPort`, the port the server\'s proxy listens on (its ingress override, else its container port); or leave out `securityGroups` if the server\'s rules are managed elsewhere',
    });
  }
  return findings;
}

export const endpointPort: Rule<ServiceFacts> = {
  id: 'EndpointPort',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  severityDetail: 'error / warning',
  trigger: 'An endpoint has no single TCP port the proxy can carry: its client alias port or proxy listen port is not an integer from 1 to 65535, its port mapping is a port range, or a server from `ClientServerService.fromAttributes` has security groups and an endpoint without `listenPort` (errors); its port mapping is UDP, which no current source says the proxy carries (a warning; the library opens no port for it).',
  fix: 'use integer ports from 1 to 65535 (a token is checked at deployment), on a TCP port mapping with a single `containerPort`',
  seed: 'Service Connect terminology (endpoint, port mapping)',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints.flatMap((ep) => endpointPortFindings(svc, ep)),
};

/** Findings for ingress overrides equal to another endpoint's container port or listen port: two listeners on one port. */
function overrideCollisions(svc: ServiceFacts): Finding[] {
  return svc.endpoints.flatMap((ep, i) => {
    const override = ep.declared.ingressPortOverride;
    if (override === undefined) {
      return [];
    }
    // A token is equal to itself: one parameter as the override of two endpoints is two listeners on one port.
    const other = Token.isUnresolved(override)
      ? svc.endpoints.find((o, j) => j < i && o.declared.ingressPortOverride === override)
      : svc.endpoints.find((o, j) => j !== i && (o.resolved.containerPort === override || (j < i && o.resolved.listenPort === override)));
    return other === undefined ? [] : [{
      problem: `endpoint ${endpointName(ep)} overrides the proxy listen port with a port endpoint ${endpointName(other)} already uses`,
      value: `ingressPortOverride ${portText(override)}; ${endpointName(other)} container port ${portText(other.resolved.containerPort)}, listen port ${portText(other.resolved.listenPort)}`,
      fix: 'choose an ingress port override that no other endpoint of the service uses as its container port or listen port',
    }];
  });
}

export const ingressPortOverride: Rule<ServiceFacts> = {
  id: 'IngressPortOverride',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An ingress port override is not an integer in 1025-65535 (the ECS API rejects ports at or below 1024), or equals the container port or listen port of another endpoint of the service (two listeners on one port).',
  fix: `use an integer port from ${MIN_INGRESS_OVERRIDE} to ${MAX_PORT} for \`ingressPortOverride\`, or remove it so the proxy listens on the container port`,
  seed: 'Networking',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints
    .filter((ep) => {
      const port = ep.declared.ingressPortOverride;
      return port !== undefined && !Token.isUnresolved(port)
        && !(Number.isInteger(port) && port >= MIN_INGRESS_OVERRIDE && port <= MAX_PORT);
    })
    .map((ep): Finding => ({
      problem: `endpoint ${endpointName(ep)} overrides the proxy listen port with a port ECS rejects`,
      value: `ingressPortOverride ${ep.declared.ingressPortOverride}`,
    }))
    .concat(overrideCollisions(svc)),
};

export const bridgeIngressPortOverride: Rule<ServiceFacts> = {
  id: 'BridgeIngressPortOverride',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  severityDetail: 'error / warning',
  trigger: 'A server in the bridge network mode has an endpoint without an ingress port override. In bridge mode the proxy listens on an ephemeral port it picks at run time, so no security-group rule can name it: an error when a service of the app calls the server, a warning when none does (callers from elsewhere need their own rule).',
  fix: 'set `ingressPortOverride` (1025-65535) on the endpoint, so the proxy listens on a known port that the library opens to the clients; or use the awsvpc network mode',
  seed: 'ECS API reference (ServiceConnectService.ingressPortOverride); Networking',
  source: Source.API_SERVICE,
  check: (svc) => (svc.task.networkMode !== 'bridge' ? [] : svc.endpoints
    .filter((ep) => ep.declared.ingressPortOverride === undefined)
    .map((ep) => ({
      problem: `endpoint ${endpointName(ep)} runs in the bridge network mode, where the proxy listens on an ephemeral port unless it is overridden`
        + (svc.hasCallers === false ? '; no service of the app calls it, so the library opens nothing for it' : ''),
      value: 'networkMode bridge, no ingressPortOverride',
      severity: svc.hasCallers === false ? RuleSeverity.WARNING : undefined,
      fix: svc.ownConfiguration
        ? 'set `ingressPortOverride` (1025-65535) on the endpoint in the service\'s own Service Connect configuration (its props or `enableServiceConnect`), which the library keeps; or use the awsvpc network mode'
        : undefined,
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
  trigger: 'A discovery name, port mapping name or DNS name breaks the ECS API\'s rules: discovery and port mapping names up to 64 characters of a-z, 0-9, _ and -; DNS names up to 127 characters of a-z, 0-9, _, - and ., without an empty label (`a..b`, `.a`); none may start with a hyphen.',
  fix: 'rename it: lowercase letters, numbers, underscores and hyphens (and periods in DNS names), not starting with a hyphen, at most 64 (discovery) or 127 (DNS) characters',
  seed: 'ECS API reference (ServiceConnectService, ServiceConnectClientAlias)',
  source: Source.API_SERVICE,
  check: (svc) => svc.endpoints.flatMap((ep) => {
    const findings = [];
    const { discoveryName, dnsName } = ep.resolved;
    if (!Token.isUnresolved(discoveryName) && !DISCOVERY_NAME.test(discoveryName)) {
      findings.push({ problem: 'the discovery name is not one the ECS API accepts', value: `discovery name '${discoveryName}'` });
    }
    if (!Token.isUnresolved(dnsName) && (!DNS_NAME.test(dnsName) || dnsName.startsWith('.') || dnsName.includes('..'))) {
      findings.push({ problem: 'the DNS name is not one the ECS API accepts', value: `DNS name '${dnsName}'` });
    }
    const portMappingName = ep.declared.portMappingName;
    if (typeof portMappingName === 'string' && !Token.isUnresolved(portMappingName) && portMappingName !== discoveryName && !DISCOVERY_NAME.test(portMappingName)) {
      findings.push({ problem: 'the port mapping name is not one the ECS API accepts', value: `port mapping name '${portMappingName}'` });
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
      problem: `endpoint ${endpointName(ep)} sets a per-request timeout on a port mapping that is not HTTP, HTTP/2 or gRPC`,
      value: `appProtocol ${ep.portMapping?.appProtocol?.value ?? 'not set'}`,
    })),
};
