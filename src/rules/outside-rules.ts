import type { ServiceFacts } from './facts';
import { Finding, Rule, RuleSeverity } from './rule';
import { Source } from './sources';

/*
 * Callers from outside the namespace (`allowFrom`, `httpApiIntegration`) and the Cloud Map service lookup
 * (`cloudMapService`): what cannot work, found at synth.
 */

export const outsideCallerAnyAddress: Rule<ServiceFacts> = {
  id: 'OutsideCallerAnyAddress',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A server lets in a caller from outside the namespace that is every address (`ec2.Peer.anyIpv4()`, `ec2.Peer.anyIpv6()`, or any range ending in /0). The library opens servers only to the callers it is told about, never to the world.',
  fix: 'allow the caller\'s own security group (a Lambda function in the VPC, an instance, a load balancer) or the narrowest address range it uses, e.g. the VPC\'s CIDR',
  seed: '-',
  source: Source.LEAST_PRIVILEGE,
  notRelaxable: 'the library never renders an ingress rule from every address: relaxed, the caller would be dropped without a word',
  check: (svc) => (svc.outside?.callers ?? []).filter((caller) => caller.anyAddress).map((caller) => ({
    problem: 'the caller is every address, and the library never opens a server to the world',
    value: `allowFrom(${caller.label})`,
  })),
};

export const outsideCallerPort: Rule<ServiceFacts> = {
  id: 'OutsideCallerPort',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A caller from outside the namespace is allowed on a port no endpoint of the server listens on (for example the client alias `port`, which only Service Connect clients\' proxies translate), on an endpoint the server does not have, or on endpoints whose proxy listen port is unknown. Outside callers reach the tasks directly, on the port the server-side proxy listens on: the ingress port override, else the container port. A caller with no security group (a Lambda function outside a VPC), or a VPC link passed without its security groups, is refused when it is declared.',
  fix: 'leave `port` out (the library opens the proxy listen port of the endpoint), or give the listen port of an endpoint the server has; name the endpoint by its discovery name',
  seed: 'Networking',
  source: Source.NETWORKING,
  check: (svc) => (svc.outside?.callers ?? []).filter((caller) => !caller.anyAddress).flatMap((caller): Finding[] => {
    if (!caller.endpointKnown) {
      return [{
        problem: 'the caller is allowed on an endpoint the server does not have',
        value: `discoveryName '${caller.discoveryName}'; the server's discovery names: ${svc.outside?.discoveryNames.join(', ') || 'none'}`,
      }];
    }
    if (caller.listenPorts.length === 0 && !caller.portsUnresolved) {
      return [{
        problem: `no endpoint the caller calls has a known proxy listen port, so ${caller.label} is let in on nothing`,
        value: `${caller.discoveryName === undefined ? 'every endpoint' : `endpoint '${caller.discoveryName}'`}: no listen port`,
        fix: 'give the endpoint a port mapping with a container port, or an `ingressPortOverride` in the bridge network mode',
      }];
    }
    if (caller.port !== undefined && !caller.portsUnresolved && !caller.listenPorts.includes(caller.port)) {
      return [{
        problem: `no endpoint the caller calls listens on port ${caller.port}, so ${caller.label} would be let in on nothing`,
        value: `port ${caller.port}; the proxy listens on ${caller.listenPorts.join(', ')}`,
      }];
    }
    return [];
  }),
};

export const cloudMapServiceLookup: Rule<ServiceFacts> = {
  id: 'CloudMapServiceLookup',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The Cloud Map service of an endpoint is looked up (`cloudMapService`, `httpApiIntegration`) for a discovery name the server has no endpoint with, or in a namespace known only by its name (`ServiceConnectNamespace.fromNamespaceName`): the lookup lists the services of a namespace by its id, and would fail the deployment.',
  fix: 'look up a discovery name of one of the server\'s endpoints, in a namespace known by its ARN or id (`ServiceConnectNamespace.fromNamespaceArn`, `fromNamespace`, or one the app creates)',
  seed: '-',
  source: Source.CLOUD_MAP_LIST_SERVICES,
  notRelaxable: 'the lookup would fail the deployment: ECS creates no Cloud Map service by that name, or the lookup has no namespace id to search',
  check: (svc) => {
    const outside = svc.outside;
    if (!outside) {
      return [];
    }
    const unknown = outside.lookups.filter((lookup) => !lookup.endpointKnown).map((lookup) => ({
      problem: 'the server has no endpoint with the discovery name whose Cloud Map service is looked up',
      value: `discoveryName '${lookup.discoveryName}'; the server's discovery names: ${outside.discoveryNames.join(', ') || 'none'}`,
    }));
    const byName = outside.lookups.length > 0 && !outside.namespaceIdKnown ? [{
      problem: 'the namespace is known only by its name, and the lookup needs its id',
      value: `namespace ${svc.namespaceName}`,
    }] : [];
    return [...unknown, ...byName];
  },
};

export const privateIntegrationAcrossAccounts: Rule<ServiceFacts> = {
  id: 'PrivateIntegrationAcrossAccounts',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'An HTTP API private integration, or a Cloud Map lookup, is built on a server whose namespace belongs to another account (a namespace shared through AWS RAM). API Gateway integrates with Cloud Map services through a VPC link of its own account, and no current source confirms that it, or the lookup\'s ListServices, reaches a service of a namespace another account owns.',
  fix: 'put the HTTP API (or an internal load balancer in front of the server) in the namespace owner\'s account, or test the integration in both accounts and acknowledge this warning',
  seed: '-',
  source: Source.HTTP_API_PRIVATE,
  check: (svc) => {
    const outside = svc.outside;
    if (!outside?.namespaceAccount || !outside.stackAccount || outside.namespaceAccount === outside.stackAccount) {
      return [];
    }
    return outside.lookups.map((lookup) => ({
      problem: `the ${lookup.integration ? 'HTTP API private integration' : 'Cloud Map lookup'} of endpoint '${lookup.discoveryName}' reaches into a namespace of another account`,
      value: `namespace account ${outside.namespaceAccount}, stack account ${outside.stackAccount}`,
    }));
  },
};
