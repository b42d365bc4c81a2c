import { Token } from 'aws-cdk-lib';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';

/** Lowest port the ECS API accepts as an ingress override (`IngressPortOverride cannot use ports <= 1024`). */
const MIN_INGRESS_OVERRIDE = 1025;
const MAX_PORT = 65535;

export const endpointRequired: Rule<ServiceFacts> = {
  id: 'EndpointRequired',
  severity: RuleSeverity.ERROR,
  trigger: 'A ClientServerService has no endpoint.',
  fix: 'add at least one entry to `endpoints`, or use a ClientService if the service only calls others',
  seed: 'Service Connect terminology: client-server service',
  check: (svc) => (svc.isServer && svc.endpoints.length === 0
    ? [{ problem: 'a ClientServerService must expose at least one endpoint', value: 'endpoints: []' }]
    : []),
};

export const portMappingNameExists: Rule<ServiceFacts> = {
  id: 'PortMappingNameExists',
  severity: RuleSeverity.ERROR,
  trigger: "An endpoint's portMappingName matches no named port mapping of the task definition.",
  fix: 'name the port mapping in the container definition (`portMappings: [{ name, containerPort }]`) or correct `portMappingName`',
  seed: 'Service Connect service configuration',
  check: (svc) => svc.endpoints
    .filter((ep) => !Token.isUnresolved(ep.declared.portMappingName) && !ep.portMapping)
    .map((ep) => ({
      problem: 'the endpoint names a port mapping the task definition does not have',
      value: `portMappingName '${ep.declared.portMappingName}'; named port mappings: ${svc.portMappingNames.length ? svc.portMappingNames.map((n) => `'${n}'`).join(', ') : 'none'}`,
    })),
};

export const ingressPortOverride: Rule<ServiceFacts> = {
  id: 'IngressPortOverride',
  severity: RuleSeverity.ERROR,
  trigger: 'An ingress port override is not an integer in 1025-65535 (the ECS API rejects ports at or below 1024).',
  fix: `use an integer port from ${MIN_INGRESS_OVERRIDE} to ${MAX_PORT} for \`ingressPortOverride\`, or remove it so the proxy listens on the container port`,
  seed: 'Networking',
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
