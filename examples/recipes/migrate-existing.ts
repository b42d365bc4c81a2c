// Recipe: move a frontend/backend pair built with plain aws-cdk-lib services to Service Connect with
// `attach`, backend first (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Phase 0 is the app as it runs today, plain aws-cdk-lib: the backend registers `api` in a Cloud Map
 * DNS namespace, and the frontend calls `http://api.shop.internal:8080`. Phase 1 attaches a
 * client-server configuration to the backend under that same name and port. Phase 2 attaches the
 * frontend as a client, ordered after the backend. Each phase only adds lines: nothing is renamed.
 */
export function migrateExisting(app: App, phase: number): Stack {
  const stack = new Stack(app, 'ShopExisting');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const dns = new servicediscovery.PrivateDnsNamespace(stack, 'Dns', { name: 'shop.internal', vpc });

  const backendTask = new ecs.FargateTaskDefinition(stack, 'BackendTask', { cpu: 512, memoryLimitMiB: 1024 });
  backendTask.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'backend' }),
  });
  const backend = new ecs.FargateService(stack, 'Backend', {
    cluster, taskDefinition: backendTask, cloudMapOptions: { cloudMapNamespace: dns, name: 'api' },
  });

  const frontendTask = new ecs.FargateTaskDefinition(stack, 'FrontendTask', { cpu: 512, memoryLimitMiB: 1024 });
  frontendTask.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    environment: { API_URL: 'http://api.shop.internal:8080' },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'frontend' }),
  });
  const frontend = new ecs.FargateService(stack, 'Frontend', { cluster, taskDefinition: frontendTask });
  backend.connections.allowFrom(frontend, ec2.Port.tcp(8080));

  if (phase >= 1) {
    const namespace = ServiceConnectNamespace.fromNamespace(stack, 'Namespace', dns);
    const api = ClientServerService.attach(stack, 'BackendServiceConnect', {
      service: backend,
      namespace,
      // the name and port the frontend calls today; `api` stays the DNS record's Cloud Map service
      endpoints: [{ portMappingName: 'http', discoveryName: 'backend', dnsName: 'api.shop.internal', port: 8080 }],
    });
    if (phase === 2) {
      ClientService.attach(stack, 'FrontendServiceConnect', { service: frontend, namespace, connectsTo: [api] });
    }
  }
  return stack;
}
// recipe:end
