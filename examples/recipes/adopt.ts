// Recipe: adopt an existing app in place with `attach`, renaming and replacing nothing (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService } from '../../src';

// recipe:start
/**
 * The app as it is: an ALB-fronted web frontend from aws-ecs-patterns, an orders service that joined
 * Service Connect by hand (its own `serviceConnectConfiguration`), and a plain inventory service.
 * With `adopted`, three `attach` calls bring all three under the library: web calls orders and
 * inventory. The services keep their construct ids, logical ids, task definitions and settings.
 */
export function adopt(app: App, adopted: boolean): Stack {
  const stack = new Stack(app, 'ShopAdopted');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    defaultCloudMapNamespace: { name: 'shop.internal', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
  });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster, cpu: 512, memoryLimitMiB: 1024, taskImageOptions: { image, containerPort: 80 },
  });

  const ordersTask = new ecs.FargateTaskDefinition(stack, 'OrdersTask', { cpu: 512, memoryLimitMiB: 1024 });
  ordersTask.addContainer('app', {
    image,
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders' }),
  });
  const orders = new ecs.FargateService(stack, 'Orders', {
    cluster,
    taskDefinition: ordersTask,
    serviceConnectConfiguration: {
      services: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }],
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders-proxy' }),
    },
  });

  const inventoryTask = new ecs.FargateTaskDefinition(stack, 'InventoryTask', { cpu: 512, memoryLimitMiB: 1024 });
  inventoryTask.addContainer('app', {
    image,
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'inventory' }),
  });
  const inventory = new ecs.FargateService(stack, 'Inventory', { cluster, taskDefinition: inventoryTask });

  if (adopted) {
    // namespace, endpoints and proxy logs are read from orders' own configuration, and kept
    const ordersServer = ClientServerService.attach(stack, 'OrdersServiceConnect', { service: orders });
    const inventoryServer = ClientServerService.attach(stack, 'InventoryServiceConnect', {
      service: inventory, // joins the cluster's default namespace
      endpoints: [{ portMappingName: 'http', discoveryName: 'inventory', dnsName: 'inventory', port: 80 }],
    });
    ClientService.attach(stack, 'WebServiceConnect', { service: web.service, connectsTo: [ordersServer, inventoryServer] });
  }
  return stack;
}
// recipe:end
