import type { IServiceConnectNamespace } from '../namespace';
import { NAMESPACE_SERVICE_THRESHOLD } from '../sizing';
import type { IServiceConnectService } from '../service-types';
import type { MemberFacts, NamespaceFacts } from './facts';
import { crossesSizeThreshold } from './namespace-rules';

/** How each service built in this app describes itself to its namespace. */
const providers = new WeakMap<IServiceConnectService, () => MemberFacts>();

export function registerMemberFacts(service: IServiceConnectService, provide: () => MemberFacts): void {
  providers.set(service, provide);
}

/** The namespace and every member, as plain data. Imported servers count with what is known of them. */
export function namespaceFacts(namespace: IServiceConnectNamespace): NamespaceFacts {
  return {
    path: namespace.node.path,
    name: namespace.namespaceName,
    members: namespace.services.map((service) => providers.get(service)?.() ?? {
      path: service.node.path,
      endpoints: service.endpoints,
      maxTaskCount: 0,
    }),
  };
}

/** Whether the namespace crosses the guide's size threshold (more than 100 services or 2000 tasks). */
export function namespaceIsLarge(namespace: IServiceConnectNamespace): boolean {
  // Counting services is cheap and settles the largest namespaces without building every member's facts.
  if (namespace.services.length > NAMESPACE_SERVICE_THRESHOLD) {
    return true;
  }
  return crossesSizeThreshold(namespaceFacts(namespace));
}
