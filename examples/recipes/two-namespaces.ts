// Recipe: the same task definitions in two namespaces, staging and prod (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Service Connect configuration lives in the service, not the task definition, so one task definition
 * serves both environments. Discovery names only need to be unique within a namespace: `api` exists in
 * both `staging.internal` and `prod.internal`.
 */
export function twoNamespaces(app: App): Stack {
  const stack = new Stack(app, 'ShopEnvironments');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });

  const apiTask = new ecs.FargateTaskDefinition(stack, 'ApiTask', { cpu: 512, memoryLimitMiB: 1024 });
  apiTask.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
    cpu: 256,
    memoryLimitMiB: 768,
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
  });
  const webTask = new ecs.FargateTaskDefinition(stack, 'WebTask', { cpu: 512, memoryLimitMiB: 1024 });
  webTask.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'), cpu: 256, memoryLimitMiB: 768 });

  for (const env of ['Staging', 'Prod']) {
    const namespace = new ServiceConnectNamespace(stack, `${env}Namespace`, { name: `${env.toLowerCase()}.internal` });
    const api = new ClientServerService(stack, `${env}Api`, {
      cluster,
      namespace,
      taskDefinition: apiTask,
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80 }],
      // Each environment's alarm counts the calls of its own callers, not every `api` of the account.
      alarms: { http5xxRatePercent: 1 },
    });
    new ClientService(stack, `${env}Web`, { cluster, namespace, taskDefinition: webTask, connectsTo: [api] });
  }
  return stack;
}
// recipe:end
