// Recipe: move an existing frontend/backend pair to Service Connect, backend first (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Phase 1 turns Service Connect on for the backend only, under the DNS name and port the frontend
 * already calls (`http://api:80`). Phase 2, once the backend is healthy, adds the frontend as a client:
 * its new tasks resolve `api` through the proxy, and it deploys after the backend.
 */
export function migrate(app: App, phase: number): Stack {
  const stack = new Stack(app, `ShopMigrationPhase${phase}`);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const backend = new ClientServerService(stack, 'Backend', {
    cluster,
    namespace,
    container: { image, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    // the same name and port the frontend uses today
    endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80 }],
  });

  if (phase === 2) {
    new ClientService(stack, 'Frontend', { cluster, namespace, container: { image }, connectsTo: [backend] });
  }
  return stack;
}
// recipe:end
