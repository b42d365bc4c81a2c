import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { ResolvedEndpoint } from '../endpoint';
import { AppWiring } from '../topology/wiring';
import type { IServiceConnectNamespace, IServiceConnectService } from '../types';
import type { EndpointKeys, MemberFacts, NamespaceFacts } from './facts';
import { crossesSizeThreshold } from './namespace-rules';

/** The namespace and every member of every wrapper of its Cloud Map namespace, as plain data. */
export function namespaceFacts(namespace: IServiceConnectNamespace, services: IServiceConnectService[]): NamespaceFacts {
  const wiring = AppWiring.of(namespace);
  return {
    path: namespace.node.path,
    name: namespace.namespaceName,
    members: services.map((service): MemberFacts => {
      const facts = wiring.memberOf(service)?.memberFacts() ?? { path: service.node.path, endpoints: service.endpoints, maxTaskCount: 0 };
      return { ...facts, endpointKeys: facts.endpoints.map((ep) => endpointKeys(service, ep)) };
    }),
  };
}

/**
 * A value as the uniqueness rules compare it: a literal as it is, a token resolved (a Lazy 80 is 80, one
 * parameter is `{"Ref":"Name"}` wherever it is used). Undefined for no value.
 */
function keyOf(scope: IConstruct, value: string | number | undefined): string | undefined {
  if (value === undefined || !Token.isUnresolved(value)) {
    return value === undefined ? undefined : String(value);
  }
  const resolved: unknown = Stack.of(scope).resolve(value);
  return typeof resolved === 'string' || typeof resolved === 'number' ? String(resolved) : JSON.stringify(resolved);
}

function endpointKeys(scope: IConstruct, ep: ResolvedEndpoint): EndpointKeys {
  const dnsName = keyOf(scope, ep.dnsName);
  const port = keyOf(scope, ep.port);
  return { discoveryName: keyOf(scope, ep.discoveryName), endpoint: dnsName === undefined || port === undefined ? undefined : `${dnsName}:${port}` };
}

/**
 * The answer for each namespace group. Once the app is planned the wiring keeps one group per Cloud Map
 * namespace, so each service of it gets the answer without counting every member's tasks again; before,
 * each question gets a group of its own, and so a fresh count.
 */
const largeGroups = new WeakMap<object, boolean>();

/** Whether the namespace crosses the guide's size threshold (more than 100 services or 2000 tasks), across its wrappers. */
export function namespaceIsLarge(namespace: IServiceConnectNamespace): boolean {
  const wiring = AppWiring.of(namespace);
  const group = wiring.groupOf(namespace);
  const known = largeGroups.get(group);
  if (known !== undefined) {
    return known;
  }
  const tasks = group.services.reduce((sum, service) => sum + (wiring.memberOf(service)?.maxTaskCount() ?? 0), 0);
  const large = crossesSizeThreshold(group.services.length, tasks);
  largeGroups.set(group, large);
  return large;
}
