// Recipe: services in several stacks (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * A platform stack owns the network, the cluster and the namespace; the backend and the frontend
 * live in stacks of their own. Each edge across stacks becomes a stack dependency, and each
 * security-group rule lives in the stack that deploys later.
 */
export function multiStack(app: App) {
  const platform = new Stack(app, 'Platform');
  const vpc = new ec2.Vpc(platform, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(platform, 'Cluster', { vpc });
  new ServiceConnectNamespace(platform, 'Namespace', { name: 'shop.internal', defaultFor: [cluster] });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const backend = new Stack(app, 'Backend');
  const db = new ClientServerService(backend, 'Db', {
    cluster, // the namespace comes from the cluster's default
    container: { image, portMappings: [{ name: 'pg', containerPort: 5432 }] },
    endpoints: [{ portMappingName: 'pg', dnsName: 'db' }],
  });
  const api = new ClientServerService(backend, 'Api', {
    cluster,
    container: { image, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
    connectsTo: [db],
  });

  const frontend = new Stack(app, 'Frontend');
  new ClientService(frontend, 'Web', { cluster, container: { image }, connectsTo: [api] });
  return { platform, backend, frontend };
}
// recipe:end
