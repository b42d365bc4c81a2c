import { Construct } from 'constructs';
import { attachRequest } from './core/attach';
import { ServiceConnectServiceBase } from './service-base';
import { ServiceConnectAttachOptions, ServiceConnectServiceProps } from './service-props';

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
  /**
   * Attaches a client Service Connect configuration to an ECS service the app already has: an
   * `ecs.FargateService` or `ecs.Ec2Service` written by hand, or the `service` of an aws-ecs-patterns
   * construct (an ALB-fronted frontend, say). The service keeps its construct id and logical id; the
   * template only gains what the library adds.
   *
   * @example
   * const web = ClientService.attach(this, 'WebServiceConnect', { service: frontend.service, namespace, connectsTo: [api] });
   */
  public static attach(scope: Construct, id: string, options: ServiceConnectAttachOptions): ClientService {
    return new ClientService(scope, id, attachRequest(scope, id, options, false));
  }

  constructor(scope: Construct, id: string, props: ClientServiceProps) {
    super(scope, id, props);
  }
}
