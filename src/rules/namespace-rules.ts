import { Token } from 'aws-cdk-lib';
import { NAMESPACE_SERVICE_THRESHOLD, NAMESPACE_TASK_THRESHOLD, PROXY_MEMORY_MIB_LARGE_NAMESPACE } from '../sizing';
import type { EndpointKeys, NamespaceFacts } from './facts';
import { Finding, Rule, RuleSeverity } from './rule';
import { Source } from './sources';

type Member = NamespaceFacts['members'][number];
type Endpoint = Member['endpoints'][number];

/** Findings for every key held by more than one endpoint; the first holder keeps it. */
function duplicates(facts: NamespaceFacts, keyOf: (ep: Endpoint, keys: EndpointKeys | undefined) => string | undefined,
  describe: (key: string, firstPath: string) => Omit<Finding, 'path'>): Finding[] {
  const firstHolder = new Map<string, string>();
  const findings: Finding[] = [];
  for (const member of facts.members) {
    member.endpoints.forEach((endpoint, i) => {
      const key = keyOf(endpoint, member.endpointKeys?.[i]);
      if (key === undefined) {
        return;
      }
      const first = firstHolder.get(key);
      if (first === undefined) {
        firstHolder.set(key, member.path);
      } else {
        findings.push({ ...describe(key, first), path: member.path });
      }
    });
  }
  return findings;
}

export const discoveryNameUnique: Rule<NamespaceFacts> = {
  id: 'DiscoveryNameUnique',
  appliesTo: 'namespace',
  severity: RuleSeverity.ERROR,
  trigger: 'Two endpoints in one namespace (any services, any stacks of the app) have the same discovery name, including two services built from one task definition without a discoveryName.',
  fix: 'give each endpoint a `discoveryName` that is unique in the namespace',
  seed: 'Service Connect terminology (discovery name); Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (ns) => duplicates(ns,
    (ep, keys) => (keys ? keys.discoveryName : Token.isUnresolved(ep.discoveryName) ? undefined : ep.discoveryName),
    (name, first) => ({ problem: `the discovery name is already used in namespace ${ns.name} by ${first}`, value: `discovery name '${name}'` })),
};

export const endpointUnique: Rule<NamespaceFacts> = {
  id: 'EndpointUnique',
  appliesTo: 'namespace',
  severity: RuleSeverity.ERROR,
  trigger: 'Two endpoints in one namespace have the same DNS name and port.',
  fix: 'change the `dnsName` or the `port` of one of the endpoints',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (ns) => duplicates(ns,
    (ep, keys) => (keys ? keys.endpoint
      : ep.port === undefined || Token.isUnresolved(ep.dnsName) || Token.isUnresolved(ep.port) ? undefined : `${ep.dnsName}:${ep.port}`),
    (endpoint, first) => ({ problem: `the endpoint is already used in namespace ${ns.name} by ${first}`, value: `endpoint ${endpoint}` })),
};

/** Whether a namespace of `services` services running up to `tasks` tasks crosses the guide's size threshold. */
export function crossesSizeThreshold(services: number, tasks: number): boolean {
  return services > NAMESPACE_SERVICE_THRESHOLD || tasks > NAMESPACE_TASK_THRESHOLD;
}

export const namespaceSizeThreshold: Rule<NamespaceFacts> = {
  id: 'NamespaceSizeThreshold',
  appliesTo: 'namespace',
  severity: RuleSeverity.WARNING,
  trigger: 'The namespace has more than 100 Service Connect services or more than 2000 tasks (the sum of each service\'s maximum task count), or some service\'s tasks cannot be counted at synth (a desired count given as a token, a daemon service); the warning names the task definitions that lack 128 MiB of proxy memory.',
  fix: 'give every task definition in the namespace at least 128 MiB of memory above its container limits (tasks the library sizes get it automatically)',
  seed: 'Service Connect proxy',
  source: Source.PROXY,
  check: (ns) => {
    const tasks = ns.members.reduce((sum, m) => sum + m.maxTaskCount, 0);
    const uncounted = ns.members.filter((m) => m.uncountedTasks !== undefined);
    const crosses = crossesSizeThreshold(ns.members.length, tasks);
    if (!crosses && uncounted.length === 0) {
      return [];
    }
    const short = [...new Set(ns.members
      .filter((m) => m.proxyMemoryHeadroomMiB !== undefined && m.proxyMemoryHeadroomMiB < PROXY_MEMORY_MIB_LARGE_NAMESPACE)
      .map((m) => m.taskDefinitionPath ?? m.path))];
    if (short.length === 0) {
      return [];
    }
    return [crosses ? {
      problem: `the namespace has ${ns.members.length} services and up to ${tasks}${uncounted.length ? ' or more' : ''} tasks, so every proxy needs ${PROXY_MEMORY_MIB_LARGE_NAMESPACE} MiB`,
      value: `task definitions with less: ${short.join(', ')}`,
    } : {
      // Never counted as one task silently: the namespace may cross the threshold at deployment.
      problem: `the namespace's tasks cannot be counted at synth (${uncounted.map((m) => `${m.path}: ${m.uncountedTasks}`).join('; ')}), `
        + `so it may run more than ${NAMESPACE_TASK_THRESHOLD} tasks, where every proxy needs ${PROXY_MEMORY_MIB_LARGE_NAMESPACE} MiB`,
      value: `up to ${tasks} tasks counted; task definitions with less: ${short.join(', ')}`,
      fix: `give \`desiredCount\` as a number so the library can count the tasks; or, if the namespace can run more than ${NAMESPACE_TASK_THRESHOLD} tasks, give every task definition listed at least ${PROXY_MEMORY_MIB_LARGE_NAMESPACE} MiB of memory above its container limits`
        + '; or acknowledge this warning if it cannot',
    }];
  },
};

/** Service Connect services one namespace may hold: the "Services per namespace" quota, which cannot be raised. */
export const NAMESPACE_SERVICE_LIMIT = 300;

export const namespaceServiceLimit: Rule<NamespaceFacts> = {
  id: 'NamespaceServiceLimit',
  appliesTo: 'namespace',
  severity: RuleSeverity.ERROR,
  trigger: 'The namespace has more than 300 Service Connect services (counted over every wrapper of its Cloud Map namespace and every stack of the app): the "Services per namespace" quota, which cannot be raised.',
  fix: 'split the services over several namespaces, keeping each client in the namespace of the servers it calls',
  seed: '-',
  source: Source.QUOTAS,
  check: (ns) => (ns.members.length <= NAMESPACE_SERVICE_LIMIT ? [] : [{
    problem: `the namespace has more than the ${NAMESPACE_SERVICE_LIMIT} Service Connect services a namespace may hold (quota "Services per namespace", not adjustable)`,
    value: `${ns.members.length} services`,
  }]),
};
