import { AppWiring } from '../topology/wiring';
import type { IServiceConnectNamespace, IServiceConnectService } from '../types';
import type { NamespaceFacts } from './facts';
import { crossesSizeThreshold } from './namespace-rules';

/** The namespace and every member of every wrapper of its Cloud Map namespace, as plain data. */
export function namespaceFacts(namespace: IServiceConnectNamespace, services: IServiceConnectService[]): NamespaceFacts {
  const wiring = AppWiring.of(namespace);
  return {
    path: namespace.node.path,
    name: namespace.namespaceName,
    members: services.map((service) => wiring.memberOf(service)?.memberFacts() ?? {
      path: service.node.path,
      endpoints: service.endpoints,
      maxTaskCount: 0,
    }),
  };
}

/** Whether the namespace crosses the guide's size threshold (more than 100 services or 2000 tasks), across its wrappers. */
export function namespaceIsLarge(namespace: IServiceConnectNamespace): boolean {
  const wiring = AppWiring.of(namespace);
  const services = wiring.groupOf(namespace).services;
  const tasks = services.reduce((sum, service) => sum + (wiring.memberOf(service)?.maxTaskCount() ?? 0), 0);
  return crossesSizeThreshold(services.length, tasks);
}
