import { Construct } from 'constructs';
import { ServiceConnectServiceBase, ServiceConnectServiceProps } from './service-base';

/**
 * Properties of a `ClientService`.
 */
export interface ClientServiceProps extends ServiceConnectServiceProps {
}

/**
 * An ECS service that only calls servers: its Service Connect configuration names the namespace and
 * exposes no endpoint.
 *
 * @example
 * const web = new ClientService(this, 'Web', { cluster, namespace, taskDefinition, connectsTo: [api] });
 */
export class ClientService extends ServiceConnectServiceBase {
  constructor(scope: Construct, id: string, props: ClientServiceProps) {
    super(scope, id, props);
  }
}
