import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { ResolvedEndpoint, ServiceConnectEndpoint } from '../endpoint';
import type { ConfigurationConflictFacts } from '../rules/facts';
import type { IServiceConnectNamespace } from '../types';

/*
 * A Service Connect configuration the ECS service already had before the library attached to it (from
 * its props or `enableServiceConnect`, before or after the library). The library keeps it as it is and
 * reads what it needs: the namespace, the endpoints and whether the proxy already logs somewhere.
 */

/** What the library reads from a configuration it did not render. */
export interface ExistingConfiguration {
  /** Whether the configuration turns Service Connect on. */
  readonly enabled: boolean;
  /** The namespace it names (ARN or name, resolved), if any. */
  readonly namespace?: unknown;
  /** Its endpoints, as the library's endpoint structs. */
  readonly endpoints: ServiceConnectEndpoint[];
  /** Whether it has a log configuration for the proxy. */
  readonly logs: boolean;
  /** Whether it has an access-log configuration. */
  readonly accessLogs: boolean;
}

type Resolved = Record<string, any>;

/** A resolved value as a string the rules can read: strings as they are, anything else (an intrinsic) as an unresolved token. */
function stringOrToken(value: unknown): string | undefined {
  return value === undefined || typeof value === 'string' ? value : Token.asString(value);
}

/** A resolved value as a number the rules can read: numbers as they are, anything else as an unresolved token. */
function numberOrToken(value: unknown): number | undefined {
  return value === undefined || typeof value === 'number' ? value : Token.asNumber(value);
}

/**
 * An endpoint read from a resolved configuration, with every value the rules cannot read (an intrinsic
 * such as `{ Ref }`) turned back into a token, so that the rules skip it instead of reporting `[object Object]`.
 */
function readableEndpoint(endpoint: ServiceConnectEndpoint): ServiceConnectEndpoint {
  return {
    ...endpoint,
    portMappingName: stringOrToken(endpoint.portMappingName) as string,
    discoveryName: stringOrToken(endpoint.discoveryName),
    dnsName: stringOrToken(endpoint.dnsName),
    port: numberOrToken(endpoint.port),
    ingressPortOverride: numberOrToken(endpoint.ingressPortOverride),
  };
}


function endpointOf(service: Resolved): ServiceConnectEndpoint {
  const alias: Resolved | undefined = service.clientAliases?.[0];
  const timeout: Resolved | undefined = service.timeout;
  return {
    portMappingName: service.portName,
    discoveryName: service.discoveryName,
    dnsName: alias?.dnsName,
    port: alias?.port,
    ingressPortOverride: service.ingressPortOverride,
    idleTimeout: typeof timeout?.idleTimeoutSeconds === 'number' ? Duration.seconds(timeout.idleTimeoutSeconds) : undefined,
    perRequestTimeout: typeof timeout?.perRequestTimeoutSeconds === 'number' ? Duration.seconds(timeout.perRequestTimeoutSeconds) : undefined,
    // The certificate authority, for the TLS rules (the key and role stay the configuration's own).
    tls: service.tls?.issuerCertificateAuthority?.awsPcaAuthorityArn !== undefined
      ? { awsPcaAuthorityArn: service.tls.issuerCertificateAuthority.awsPcaAuthorityArn } : undefined,
    testTrafficHeader: typeof alias?.testTrafficRules?.header?.name === 'string'
      ? { name: alias.testTrafficRules.header.name, value: alias.testTrafficRules.header.value?.exact } : undefined,
  };
}

/** Reads a Service Connect configuration (the L1 property's value: an object or a token), or undefined when there is none. */
export function readExistingConfiguration(scope: IConstruct, value: unknown): ExistingConfiguration | undefined {
  const config: Resolved | undefined = value === undefined ? undefined : Stack.of(scope).resolve(value);
  if (config === undefined || config === null || typeof config !== 'object') {
    return undefined;
  }
  return {
    enabled: config.enabled !== false,
    namespace: config.namespace,
    endpoints: Array.isArray(config.services) ? config.services.map(endpointOf).map(readableEndpoint) : [],
    logs: config.logConfiguration !== undefined,
    accessLogs: config.accessLogConfiguration !== undefined,
  };
}

/** Whether a configuration names `namespace` by its ARN (`by: 'arn'`) or by its name. */
function names(scope: IConstruct, named: unknown, namespace: IServiceConnectNamespace, by: 'arn' | 'name'): boolean {
  const value = by === 'arn' ? namespace.namespaceArn : namespace.namespaceName;
  return JSON.stringify(Stack.of(scope).resolve(value)) === JSON.stringify(named);
}

/** Whether `namespace` is the one a configuration names, by ARN or by name. */
export function namesNamespace(scope: IConstruct, named: unknown, namespace: IServiceConnectNamespace): boolean {
  return names(scope, named, namespace, 'arn') || names(scope, named, namespace, 'name');
}

/**
 * The namespace a configuration names, among `candidates` (the cluster's default first): by ARN, else by
 * name when one candidate has it, the cluster default winning. Undefined when none or several match by
 * name only (two Cloud Map namespaces in an app may share a name).
 */
export function findNamedNamespace(scope: IConstruct, named: unknown, candidates: IServiceConnectNamespace[]): IServiceConnectNamespace | undefined {
  const byArn = candidates.find((ns) => names(scope, named, ns, 'arn'));
  if (byArn) {
    return byArn;
  }
  const byName = [...new Set(candidates.filter((ns) => names(scope, named, ns, 'name')))];
  return byName.length === 1 || (byName.length > 1 && byName[0] === candidates[0]) ? byName[0] : undefined;
}

function describe(endpoints: ResolvedEndpoint[]): string {
  return endpoints.length === 0 ? 'none'
    : endpoints.map((ep) => `${ep.dnsName}:${ep.port ?? '?'} (port mapping ${ep.portMappingName}, discovery name ${ep.discoveryName}, `
      + `proxy listening on ${ep.listenPort ?? 'an ephemeral port'})`).join(', ');
}

/** Whether two lists hold the same endpoints, tokens compared by what they resolve to (a token is equal to itself). */
function sameEndpoints(scope: IConstruct, a: ResolvedEndpoint[], b: ResolvedEndpoint[]): boolean {
  const stack = Stack.of(scope);
  const key = (eps: ResolvedEndpoint[]) => eps
    .map((ep) => JSON.stringify(stack.resolve([ep.portMappingName, ep.discoveryName, ep.dnsName, ep.port, ep.listenPort]))).sort();
  return JSON.stringify(key(a)) === JSON.stringify(key(b));
}

/** What the library was given, to compare with an existing configuration. */
export interface LibraryConfiguration {
  readonly namespace: IServiceConnectNamespace;
  /** The endpoints given to the library, resolved; undefined when they were left to the existing configuration. */
  readonly endpoints?: ResolvedEndpoint[];
  /** The endpoints of the existing configuration, resolved against the same task definition. */
  readonly existingEndpoints: ResolvedEndpoint[];
  /** Whether the library set up proxy logs of its own. */
  readonly logs: boolean;
  /** Whether the library was given access logs. */
  readonly accessLogs?: boolean;
  /** The endpoints given to the library, as declared, for their test-traffic headers. */
  readonly declaredEndpoints?: ServiceConnectEndpoint[];
}

/** The test-traffic header of each endpoint, by port mapping name, for comparison. */
function testTrafficKey(endpoints: ServiceConnectEndpoint[]): string {
  return JSON.stringify(endpoints.filter((ep) => ep.testTrafficHeader)
    .map((ep) => [ep.portMappingName, ep.testTrafficHeader?.name, ep.testTrafficHeader?.value]).sort());
}

/** How an existing configuration differs from what the library was given. */
export function conflictsWith(scope: IConstruct, existing: ExistingConfiguration, given: LibraryConfiguration): ConfigurationConflictFacts[] {
  const conflicts: ConfigurationConflictFacts[] = [];
  if (!existing.enabled) {
    conflicts.push({ what: 'it turns Service Connect off', value: 'enabled: false' });
  }
  if (existing.namespace !== undefined && !namesNamespace(scope, existing.namespace, given.namespace)) {
    conflicts.push({
      what: 'it names another namespace',
      value: `configuration namespace ${JSON.stringify(existing.namespace)}, library namespace ${given.namespace.node.path}`,
    });
  }
  if (given.endpoints !== undefined && !sameEndpoints(scope, given.endpoints, given.existingEndpoints)) {
    conflicts.push({
      what: 'it has other endpoints',
      value: `configuration endpoints ${describe(given.existingEndpoints)}; library endpoints ${describe(given.endpoints)}`,
    });
  }
  if (existing.logs && given.logs) {
    conflicts.push({ what: 'both it and the library configure the proxy\'s logs', value: 'a logConfiguration and proxyLogs' });
  }
  if (given.declaredEndpoints !== undefined && testTrafficKey(given.declaredEndpoints) !== testTrafficKey(existing.endpoints)) {
    conflicts.push({
      what: 'it has other test-traffic headers',
      value: `configuration headers ${testTrafficKey(existing.endpoints)}; library headers ${testTrafficKey(given.declaredEndpoints)}`,
    });
  }
  if (existing.accessLogs && given.accessLogs) {
    conflicts.push({ what: 'both it and the library configure access logs', value: 'an accessLogConfiguration and accessLogs' });
  }
  return conflicts;
}

/** The current value of the ECS service's Service Connect configuration property. */
export function serviceConnectProperty(service: ecs.BaseService): unknown {
  return (service.node.defaultChild as ecs.CfnService).serviceConnectConfiguration;
}
