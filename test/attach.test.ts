import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ClientServerService, ClientService, IServiceConnectNamespace, ServiceConnectNamespace } from '../src';
import { fargateTask } from './util';

/*
 * Attaching to the ECS services an app already has: nothing is renamed or replaced, and the attached
 * services get what library-built ones get.
 */

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

/** A realistic existing app, written with aws-cdk-lib only: an ALB-fronted frontend, a service with its own Service Connect configuration, a plain one. */
function existingApp() {
  const app = new App();
  const stack = new Stack(app, 'Shop', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const cloudMap = new servicediscovery.HttpNamespace(stack, 'CloudMap', { name: 'shop.internal' });

  const frontend = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Frontend', {
    cluster, cpu: 512, memoryLimitMiB: 1024, taskImageOptions: { image, containerPort: 80 },
  });

  const ordersTask = new ecs.FargateTaskDefinition(stack, 'OrdersTask', { cpu: 512, memoryLimitMiB: 1024 });
  ordersTask.addContainer('app', { image, memoryLimitMiB: 768, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] });
  const orders = new ecs.FargateService(stack, 'Orders', {
    cluster,
    taskDefinition: ordersTask,
    serviceConnectConfiguration: {
      namespace: cloudMap.namespaceArn,
      services: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }],
    },
  });

  const stockTask = new ecs.FargateTaskDefinition(stack, 'StockTask', { cpu: 512, memoryLimitMiB: 1024 });
  stockTask.addContainer('app', { image, memoryLimitMiB: 768, portMappings: [{ name: 'http', containerPort: 9090 }] });
  const stock = new ecs.FargateService(stack, 'Stock', { cluster, taskDefinition: stockTask });

  return { app, stack, cluster, cloudMap, frontend, orders, stock };
}

/** Removed or replaced resources between two templates, and the added resource types. */
function diff(before: any, after: any) {
  const damaged: string[] = [];
  const added: string[] = [];
  fullDiff(before, after).resources.forEachDifference((logicalId, change) => {
    if (change.isRemoval || [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY].includes(change.changeImpact)) {
      damaged.push(`${logicalId}: ${change.changeImpact}`);
    }
    if (change.isAddition) {
      added.push(`${change.newResourceType}`);
    }
  });
  return { damaged, added: added.sort() };
}

describe('adopting an existing app in place', () => {
  function adopt(shop: ReturnType<typeof existingApp>): IServiceConnectNamespace {
    const namespace = ServiceConnectNamespace.fromNamespace(shop.stack, 'Namespace', shop.cloudMap);
    // the service with its own configuration: its namespace and endpoints are read from it
    const orders = ClientServerService.attach(shop.stack, 'OrdersServiceConnect', { service: shop.orders });
    const stock = ClientServerService.attach(shop.stack, 'StockServiceConnect', {
      service: shop.stock, namespace, endpoints: [{ portMappingName: 'http', discoveryName: 'stock', dnsName: 'stock', port: 80 }],
    });
    orders.connectTo(stock);
    ClientService.attach(shop.stack, 'FrontendServiceConnect', { service: shop.frontend.service, namespace, connectsTo: [orders] });
    return namespace;
  }

  test('nothing is replaced or removed, and only what the library adds is added', () => {
    // GIVEN
    const before = Template.fromStack(existingApp().stack).toJSON();
    // WHEN
    const shop = existingApp();
    adopt(shop);
    const after = Template.fromStack(shop.stack).toJSON();
    // THEN
    const { damaged, added } = diff(before, after);
    expect(damaged).toEqual([]);
    // the security-group rules of the two edges, and a proxy log group for the frontend, whose execution
    // role can write it (the others have no execution role: adding one would replace their task definitions)
    expect(added).toEqual(['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupIngress', 'AWS::Logs::LogGroup']);
    const logicalIds = (t: any) => Object.keys(t.Resources);
    expect(logicalIds(after)).toEqual(expect.arrayContaining(logicalIds(before)));
  });

  test('the attached services get their configuration, ordering and least-privilege rules', () => {
    const shop = existingApp();
    adopt(shop);
    const template = Template.fromStack(shop.stack);
    const id = (service: ecs.BaseService) => shop.stack.getLogicalId(service.node.defaultChild as ecs.CfnService);
    const resources = template.toJSON().Resources;
    // the existing configuration is kept as it was
    expect(resources[id(shop.orders)].Properties.ServiceConnectConfiguration).toEqual({
      Enabled: true,
      Namespace: { 'Fn::GetAtt': [expect.stringMatching(/^CloudMap/), 'Arn'] },
      Services: [{ PortName: 'http', ClientAliases: [{ DnsName: 'orders', Port: 80 }] }],
    });
    // the plain one gets the library's; its task definition has no execution role, so no proxy logs
    expect(resources[id(shop.stock)].Properties.ServiceConnectConfiguration).toEqual({
      Enabled: true, Namespace: expect.anything(), Services: [{ PortName: 'http', DiscoveryName: 'stock', ClientAliases: [{ DnsName: 'stock', Port: 80 }] }],
    });
    expect(resources[id(shop.frontend.service)].Properties.ServiceConnectConfiguration.LogConfiguration).toMatchObject({ LogDriver: 'awslogs' });
    // the ALB frontend calls orders, after it
    expect(resources[id(shop.frontend.service)].Properties.ServiceConnectConfiguration).toMatchObject({ Enabled: true });
    expect(resources[id(shop.frontend.service)].DependsOn).toContain(id(shop.orders));
    expect(resources[id(shop.orders)].DependsOn).toContain(id(shop.stock));
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties)
      .filter((rule) => rule.Description.startsWith('Service Connect'));
    expect(ingress.map((rule) => `${rule.Description}: ${rule.FromPort}`).sort()).toEqual([
      'Service Connect from Shop/FrontendServiceConnect to Shop/OrdersServiceConnect: 8080',
      'Service Connect from Shop/OrdersServiceConnect to Shop/StockServiceConnect: 9090',
    ]);
  });

  test('the attached services are in the topology, with their metrics', () => {
    const shop = existingApp();
    const namespace = adopt(shop);
    expect(namespace.services.map((s) => s.node.path)).toEqual(['Shop/OrdersServiceConnect', 'Shop/StockServiceConnect', 'Shop/FrontendServiceConnect']);
    const orders = shop.stack.node.findChild('OrdersServiceConnect') as ClientServerService;
    expect(orders.namespace).toBe(namespace);
    expect(orders.endpoints).toEqual([{ portMappingName: 'http', discoveryName: 'http', dnsName: 'orders', port: 80, listenPort: 8080, containerPort: 8080 }]);
    expect(orders.metricRequestCount().dimensions).toEqual({
      ClusterName: shop.cluster.clusterName, ServiceName: shop.orders.serviceName, DiscoveryName: 'http',
    });
  });
});

describe('an existing configuration is never overwritten', () => {
  function plain() {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'x.internal' });
    const service = new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: fargateTask(stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]) });
    return { stack, cluster, namespace, service };
  }

  test('enableServiceConnect called after attach is kept and read', () => {
    const { stack, namespace, service } = plain();
    const api = ClientServerService.attach(stack, 'ApiSc', { service, namespace, proxyLogs: { enabled: false } });
    service.enableServiceConnect({ namespace: namespace.namespaceArn, services: [{ portMappingName: 'http', dnsName: 'api', port: 80 }] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { Services: [{ PortName: 'http', ClientAliases: [{ DnsName: 'api', Port: 80 }] }] },
    });
    expect(api.endpoints.map((ep) => ep.dnsName)).toEqual(['api']);
  });

  test('enableServiceConnect on a library-built service with other endpoints is a ServiceConnectConfigurationConflict', () => {
    const { stack, cluster, namespace } = plain();
    const web = new ClientServerService(stack, 'Web', {
      cluster, namespace, taskDefinition: fargateTask(stack, 'WebTask', [{ name: 'http', containerPort: 3000 }]), endpoints: [{ portMappingName: 'http' }],
    });
    web.service.enableServiceConnect({ namespace: namespace.namespaceArn, services: [{ portMappingName: 'http', dnsName: 'web', port: 80 }] });
    expect(() => Template.fromStack(stack)).toThrow(/\[ServiceConnectConfigurationConflict\] Stack\/Web: .*it has other endpoints/);
  });

  test('another namespace in the existing configuration is a conflict', () => {
    const { stack, namespace, service } = plain();
    const other = new ServiceConnectNamespace(stack, 'Other', { name: 'y.internal' });
    service.enableServiceConnect({ namespace: other.namespaceArn });
    ClientService.attach(stack, 'ApiSc', { service, namespace, proxyLogs: { enabled: false } });
    expect(() => Template.fromStack(stack)).toThrow(/\[ServiceConnectConfigurationConflict\] Stack\/ApiSc: .*it names another namespace/);
  });

  test('a client attached to a service whose configuration exposes endpoints is a conflict', () => {
    const { stack, namespace, service } = plain();
    service.enableServiceConnect({ namespace: namespace.namespaceArn, services: [{ portMappingName: 'http' }] });
    ClientService.attach(stack, 'ApiSc', { service, namespace });
    expect(() => Template.fromStack(stack)).toThrow(/ServiceConnectConfigurationConflict.*it has other endpoints/);
  });

  test('proxy logs asked for on a task definition without an execution role get one', () => {
    const { stack, namespace, service } = plain();
    const api = ClientServerService.attach(stack, 'ApiSc', { service, namespace, endpoints: [{ portMappingName: 'http' }], proxyLogs: { enabled: true } });
    expect(api.proxyLogGroup).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { ExecutionRoleArn: Match.anyValue() });
  });

  test('attaching one ECS service twice is a clear error naming the first attachment', () => {
    const { stack, namespace, service } = plain();
    ClientServerService.attach(stack, 'First', { service, namespace, endpoints: [{ portMappingName: 'http' }] });
    expect(() => ClientService.attach(stack, 'Second', { service, namespace })).toThrow(
      /Stack\/Second: the ECS service already has Service Connect from the library \(found: attached by Stack\/First\)/);
  });

  test('a configuration naming its namespace by a name two namespaces of the app share takes the cluster default', () => {
    // GIVEN another stack of the app with its own namespace of the same name
    const app = new App();
    new ServiceConnectNamespace(new Stack(app, 'Other'), 'Namespace', { name: 'shop.internal' });
    const stack = new Stack(app, 'Shop');
    const cluster = new ecs.Cluster(stack, 'Cluster', {
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }),
      defaultCloudMapNamespace: { name: 'shop.internal', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
    });
    const service = new ecs.FargateService(stack, 'Orders', {
      cluster,
      taskDefinition: fargateTask(stack, 'OrdersTask', [{ name: 'http', containerPort: 8080 }]),
      serviceConnectConfiguration: { services: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }] },
    });
    // WHEN
    const orders = ClientServerService.attach(stack, 'OrdersServiceConnect', { service });
    // THEN
    expect(orders.namespace).toBe(ServiceConnectNamespace.ofCluster(cluster));
  });

  test('attached services are checked by the rule catalog', () => {
    const { stack, namespace, cluster } = plain();
    const task = new ecs.FargateTaskDefinition(stack, 'WinTask', {
      cpu: 1024, memoryLimitMiB: 2048, runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE },
    });
    task.addContainer('app', { image, memoryLimitMiB: 512 });
    const service = new ecs.FargateService(stack, 'Win', { cluster, taskDefinition: task });
    ClientService.attach(stack, 'WinSc', { service, namespace });
    expect(() => Template.fromStack(stack)).toThrow(/\[WindowsNotSupported\] Stack\/WinSc/);
  });

  test('attach refuses what is not an ECS service, and options it does not take', () => {
    const { stack, namespace, service } = plain();
    expect(() => ClientService.attach(stack, 'A', { service: undefined as unknown as ecs.BaseService, namespace })).toThrow(/Stack\/A: attach needs an ECS service/);
    expect(() => ClientService.attach(stack, 'B', { service, namespace, desiredCount: 3 } as any)).toThrow(/Stack\/B: options attach does not take.*found: desiredCount/);
  });

  test('a namespace the configuration names by an ARN the app does not define is imported by that ARN, never the cluster default', () => {
    const { stack, service } = plain();
    const arn = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abc';
    service.enableServiceConnect({ namespace: arn });
    const sc = ClientService.attach(stack, 'Sc', { service });
    expect(sc.namespace.namespaceArn).toBe(arn);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: { Namespace: arn } });
  });

  test('a service with no namespace anywhere is refused with the rule id and the fix', () => {
    const { stack, service } = plain();
    expect(() => ClientService.attach(stack, 'Sc', { service })).toThrow(/\[NamespaceRequired\] Stack\/Sc: no Service Connect namespace.*Fix: pass `namespace`/);
  });
});
