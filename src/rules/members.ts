import type { IServiceConnectNamespace } from '../namespace';
import type { IServiceConnectService } from '../service-types';
import type { MemberFacts, NamespaceFacts } from './facts';
import { crossesSizeThreshold } from './namespace-rules';

/** How each service built in this app describes itself to its namespace. */
export interface MemberProvider {
  /** Everything the namespace-wide rules need. */
  readonly facts: () => MemberFacts;
  /**
   * Most tasks the service runs at once. Separate from `facts` because task sizing asks for it while
   * the task size itself is being resolved.
   */
  readonly maxTaskCount: () => number;
}

const providers = new WeakMap<IServiceConnectService, MemberProvider>();

export function registerMember(service: IServiceConnectService, provider: MemberProvider): void {
  providers.set(service, provider);
}

/** The namespace and every member, as plain data. Imported servers count with what is known of them. */
export function namespaceFacts(namespace: IServiceConnectNamespace): NamespaceFacts {
  return {
    path: namespace.node.path,
    name: namespace.namespaceName,
    members: namespace.services.map((service) => providers.get(service)?.facts() ?? {
      path: service.node.path,
      endpoints: service.endpoints,
      maxTaskCount: 0,
    }),
  };
}

/** Whether the namespace crosses the guide's size threshold (more than 100 services or 2000 tasks). */
export function namespaceIsLarge(namespace: IServiceConnectNamespace): boolean {
  const services = namespace.services;
  const tasks = services.reduce((sum, service) => sum + (providers.get(service)?.maxTaskCount() ?? 0), 0);
  return crossesSizeThreshold(services.length, tasks);
}
