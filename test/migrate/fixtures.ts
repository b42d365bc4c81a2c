/**
 * App Mesh apps the migration plan is tested on. Each is rebuilt, in our own code, from the facts of a public
 * App Mesh CDK app (names, ports, routes, discovery, Envoy wiring); the comment above each says which.
 */
import { App, AppProps, Duration, Stack } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

const ENVOY_IMAGE = 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod';
const APP_IMAGE = 'public.ecr.aws/docker/library/busybox:latest';

/** A lean VPC: one AZ, public subnets only. */
function vpcOf(scope: Construct): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
}

/** Adds an Envoy sidecar, the APPMESH proxy configuration and the Envoy grant to a Fargate task, the way the walkthroughs do. */
function addEnvoy(task: ecs.FargateTaskDefinition, env: Record<string, string>): ecs.ContainerDefinition {
  const envoy = task.addContainer('envoy', {
    containerName: 'envoy',
    image: ecs.ContainerImage.fromRegistry(ENVOY_IMAGE),
    user: '1337',
    memoryLimitMiB: 256,
    environment: env,
    healthCheck: { command: ['CMD-SHELL', 'curl -s http://localhost:9901/server_info | grep state | grep -q LIVE'] },
  });
  task.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['appmesh:StreamAggregatedResources'], resources: ['*'] }));
  return envoy;
}

function appMeshProxy(appPort: number): ecs.AppMeshProxyConfiguration {
  return new ecs.AppMeshProxyConfiguration({
    containerName: 'envoy',
    properties: { appPorts: [appPort], proxyIngressPort: 15000, proxyEgressPort: 15001, ignoredUID: 1337, egressIgnoredIPs: ['169.254.170.2', '169.254.169.254'] },
  });
}

/**
 * After aws-app-mesh-examples, walkthroughs/cdk-examples/app-mesh-hands-on: a frontend calling `backend.local`,
 * a virtual router splitting it 1:1 between backend v1 and v2 (a weighted route), Cloud Map service
 * discovery in the private DNS namespace `local`, Envoy with X-Ray tracing. L2 App Mesh, mesh and services
 * in separate stacks (cross-stack references).
 */
export function handsOnApp(props?: AppProps): App {
  const app = new App(props);
  const meshStack = new Stack(app, 'MeshStack');
  const vpc = vpcOf(meshStack);
  const dns = new servicediscovery.PrivateDnsNamespace(meshStack, 'Namespace', { name: 'local', vpc });
  const mesh = new appmesh.Mesh(meshStack, 'Mesh', { meshName: 'app-mesh-hands-on' });
  const listener = appmesh.VirtualNodeListener.http({ port: 80 });
  const cloudMapServices: Record<string, servicediscovery.Service> = {};
  const nodes: Record<string, appmesh.VirtualNode> = {};
  for (const name of ['backend', 'backend-1', 'frontend']) {
    cloudMapServices[name] = dns.createService(`${name}CloudMap`, { name, dnsRecordType: servicediscovery.DnsRecordType.A, customHealthCheck: { failureThreshold: 1 } });
    nodes[name] = new appmesh.VirtualNode(meshStack, `${name}Node`, {
      mesh, virtualNodeName: `${name}-vn`, listeners: [listener], serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(cloudMapServices[name]),
    });
  }
  const router = new appmesh.VirtualRouter(meshStack, 'BackendRouter', { mesh, virtualRouterName: 'backend-vr', listeners: [appmesh.VirtualRouterListener.http(80)] });
  const backend = new appmesh.VirtualService(meshStack, 'BackendService', {
    virtualServiceName: 'backend.local', virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
  });
  new appmesh.Route(meshStack, 'BackendRoute', {
    mesh,
    virtualRouter: router,
    routeName: 'backend-route',
    routeSpec: appmesh.RouteSpec.http({
      match: { path: appmesh.HttpRoutePathMatch.startsWith('/') },
      weightedTargets: [{ virtualNode: nodes.backend, weight: 1 }, { virtualNode: nodes['backend-1'], weight: 1 }],
    }),
  });
  nodes.frontend.addBackend(appmesh.Backend.virtualService(backend));

  const servicesStack = new Stack(app, 'EcsServicesStack');
  const cluster = new ecs.Cluster(servicesStack, 'Cluster', { vpc });
  for (const name of ['backend', 'backend-1', 'frontend']) {
    const task = new ecs.FargateTaskDefinition(servicesStack, `${name}Task`, { cpu: 512, memoryLimitMiB: 1024, proxyConfiguration: appMeshProxy(80) });
    const app80 = task.addContainer('app', { image: ecs.ContainerImage.fromRegistry(APP_IMAGE), portMappings: [{ containerPort: 80 }], memoryLimitMiB: 256 });
    const envoy = addEnvoy(task, { APPMESH_RESOURCE_ARN: nodes[name].virtualNodeArn, ENABLE_ENVOY_XRAY_TRACING: '1', ENABLE_ENVOY_STATS_TAGS: '1' });
    task.addContainer('xray', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/xray/aws-xray-daemon:latest'), user: '1337', memoryReservationMiB: 256 });
    app80.addContainerDependencies({ container: envoy, condition: ecs.ContainerDependencyCondition.HEALTHY });
    const service = new ecs.FargateService(servicesStack, `${name}Service`, { cluster, taskDefinition: task });
    service.associateCloudMapService({ service: cloudMapServices[name] });
  }
  return app;
}

/**
 * After subfuzion/enable-appmesh (cdk/lib/mesh-demo-stack.ts), the Color App, written with L1 resources only:
 * a `gateway` app (each service with a security group of its own; an ordinary virtual node, not an App Mesh gateway) calling `colorteller.mesh.local`
 * on 8080, a router `colorteller-vr` spreading it over the blue, green and red colortellers; Envoy named by
 * APPMESH_VIRTUAL_NODE_NAME; the AWSAppMeshEnvoyAccess managed policy on the task role. Here blue's task
 * has Envoy, green's service is found by its DNS name only, red runs nowhere in the app, and the gateway
 * task is an EC2 task without task memory.
 */
export function colorAppL1(props?: AppProps): App {
  const app = new App(props);
  const stack = new Stack(app, 'ColorApp');
  const mesh = new appmesh.CfnMesh(stack, 'Mesh', { meshName: 'demo', spec: { egressFilter: { type: 'ALLOW_ALL' } } });
  const ns = new servicediscovery.CfnPrivateDnsNamespace(stack, 'Namespace', { name: 'mesh.local', vpc: 'vpc-12345678' });
  const role = new iam.CfnRole(stack, 'TaskRole', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    managedPolicyArns: [`arn:${stack.partition}:iam::aws:policy/AWSAppMeshEnvoyAccess`, `arn:${stack.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess`],
  });
  const node = (name: string, hostname: string, backends: string[] = []) => {
    const resource = new appmesh.CfnVirtualNode(stack, `${name}Node`, {
      meshName: mesh.attrMeshName,
      virtualNodeName: `${name}-vn`,
      spec: {
        listeners: [{
          portMapping: { port: 8080, protocol: 'http' },
          healthCheck: name === 'gateway' ? { protocol: 'http', path: '/ping', healthyThreshold: 2, unhealthyThreshold: 2, intervalMillis: 10000, timeoutMillis: 5000 } : undefined,
        }],
        serviceDiscovery: { dns: { hostname } },
        backends: backends.map((virtualServiceName) => ({ virtualService: { virtualServiceName } })),
      },
    });
    resource.node.addDependency(mesh);
    return resource;
  };
  const nodes = [node('gateway', 'gateway.mesh.local', ['colorteller.mesh.local']), node('blue', 'colorteller.mesh.local'),
    node('green', 'colorteller-green.mesh.local'), node('red', 'colorteller-red.mesh.local')];
  const router = new appmesh.CfnVirtualRouter(stack, 'Router', {
    meshName: 'demo', virtualRouterName: 'colorteller-vr', spec: { listeners: [{ portMapping: { port: 8080, protocol: 'http' } }] },
  });
  new appmesh.CfnVirtualService(stack, 'ColorTellerService', {
    meshName: 'demo',
    virtualServiceName: 'colorteller.mesh.local',
    spec: { provider: { virtualRouter: { virtualRouterName: router.attrVirtualRouterName } } },
  });
  new appmesh.CfnRoute(stack, 'ColorRoute', {
    meshName: 'demo',
    virtualRouterName: router.attrVirtualRouterName,
    routeName: 'color-route',
    spec: {
      httpRoute: {
        match: { prefix: '/' },
        action: { weightedTargets: nodes.slice(1).map((n, i) => ({ virtualNode: n.attrVirtualNodeName, weight: i === 0 ? 2 : 1 })) },
      },
    },
  });
  const task = (name: string, envoy: boolean, onEc2: boolean) => new ecs.CfnTaskDefinition(stack, `${name}Task`, {
    family: name,
    networkMode: 'awsvpc',
    requiresCompatibilities: [onEc2 ? 'EC2' : 'FARGATE'],
    cpu: '512',
    memory: onEc2 ? undefined : '1024',
    taskRoleArn: role.attrArn,
    proxyConfiguration: envoy ? {
      type: 'APPMESH',
      containerName: 'envoy',
      proxyConfigurationProperties: [{ name: 'AppPorts', value: '8080' }, { name: 'IgnoredUID', value: '1337' },
        { name: 'ProxyIngressPort', value: '15000' }, { name: 'ProxyEgressPort', value: '15001' }],
    } : undefined,
    containerDefinitions: [
      { name: 'app', image: `subfuzion/color${name === 'gateway' ? 'gateway' : 'teller'}:v4`, memory: 256, portMappings: [{ containerPort: 8080 }] },
      ...(envoy ? [{ name: 'envoy', image: ENVOY_IMAGE, memory: 256, user: '1337', environment: [{ name: 'APPMESH_VIRTUAL_NODE_NAME', value: `mesh/demo/virtualNode/${name}-vn` }] }] : []),
    ],
  });
  for (const [name, envoy, onEc2] of [['gateway', true, true], ['blue', true, false], ['green', false, false]] as const) {
    const registry = new servicediscovery.CfnService(stack, `${name}CloudMap`, {
      name: name === 'gateway' ? 'gateway' : name === 'blue' ? 'colorteller' : `colorteller-${name}`,
      dnsConfig: { namespaceId: ns.attrId, dnsRecords: [{ type: 'A', ttl: 10 }] },
    });
    const group = new ec2.CfnSecurityGroup(stack, `${name}SecurityGroup`, { groupDescription: `${name} tasks`, vpcId: 'vpc-12345678' });
    new ecs.CfnService(stack, `${name}Service`, {
      cluster: 'demo',
      taskDefinition: task(name, envoy, onEc2).ref,
      desiredCount: 1,
      launchType: onEc2 ? 'EC2' : 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: [group.attrGroupId] } },
      serviceRegistries: [{ registryArn: registry.attrArn }],
    });
  }
  return app;
}

/**
 * After the aws-cdk App Mesh integration test (framework-integ, test/aws-appmesh/test/integ.mesh.ts), cut down:
 * DNS-discovered nodes with no ECS service, a router whose first route sends `service1.domain.local` back
 * to `node` (which calls it: a cycle), matched, gRPC and retrying routes, mutual TLS with SDS and file
 * certificates, a JSON access log, a virtual service without provider, and a virtual gateway with gateway routes.
 */
export function integMeshApp(props?: AppProps): App {
  const app = new App(props);
  const stack = new Stack(app, 'mesh-stack');
  const mesh = new appmesh.Mesh(stack, 'mesh', { meshName: 'mesh' });
  const router = mesh.addVirtualRouter('router', { virtualRouterName: 'router', listeners: [appmesh.VirtualRouterListener.http()] });
  const service1 = new appmesh.VirtualService(stack, 'service', {
    virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router), virtualServiceName: 'service1.domain.local',
  });
  const healthCheck = appmesh.HealthCheck.http({ healthyThreshold: 3, path: '/check-path' });
  const node = mesh.addVirtualNode('node', {
    virtualNodeName: 'node',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('node1.domain.local'),
    listeners: [appmesh.VirtualNodeListener.http({ healthCheck })],
    backends: [appmesh.Backend.virtualService(service1)],
  });
  node.addBackend(appmesh.Backend.virtualService(new appmesh.VirtualService(stack, 'service-2', {
    virtualServiceName: 'service2.domain.local', virtualServiceProvider: appmesh.VirtualServiceProvider.none(mesh),
  })));
  const node2 = mesh.addVirtualNode('node2', {
    virtualNodeName: 'node2',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('node2.domain.local'),
    listeners: [appmesh.VirtualNodeListener.http()],
    backendDefaults: { tlsClientPolicy: { validation: { trust: appmesh.TlsValidationTrust.file('path/to/cert') } } },
  });
  const node4 = mesh.addVirtualNode('node4', {
    virtualNodeName: 'node4',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('node4.domain.local', appmesh.DnsResponseType.ENDPOINTS),
    listeners: [appmesh.VirtualNodeListener.http({
      tls: {
        mode: appmesh.TlsMode.STRICT,
        certificate: appmesh.TlsCertificate.sds('spiffe://domain.local/backend-service'),
        mutualTlsValidation: { trust: appmesh.TlsValidationTrust.sds('spiffe://domain.local') },
      },
    })],
    accessLog: appmesh.AccessLog.fromFilePath('/dev/stdout', appmesh.LoggingFormat.fromJson({ testKey1: 'testValue1' })),
  });
  router.addRoute('route-1', {
    routeName: 'route-1',
    routeSpec: appmesh.RouteSpec.http({
      weightedTargets: [{ virtualNode: node, weight: 50 }],
      match: { path: appmesh.HttpRoutePathMatch.startsWith('/') },
      timeout: { idle: Duration.seconds(10), perRequest: Duration.seconds(10) },
    }),
  });
  router.addRoute('route-2', {
    routeName: 'route-2',
    routeSpec: appmesh.RouteSpec.http({ weightedTargets: [{ virtualNode: node2, weight: 30 }], match: { path: appmesh.HttpRoutePathMatch.startsWith('/path2') } }),
  });
  router.addRoute('route-4', {
    routeName: 'route-4',
    routeSpec: appmesh.RouteSpec.grpc({ weightedTargets: [{ virtualNode: node4, weight: 20 }], match: { serviceName: 'test' } }),
  });
  router.addRoute('route-http2-retry', {
    routeName: 'route-http2-retry',
    routeSpec: appmesh.RouteSpec.http2({
      weightedTargets: [{ virtualNode: node2 }],
      retryPolicy: { httpRetryEvents: [appmesh.HttpRetryEvent.CLIENT_ERROR], retryAttempts: 5, retryTimeout: Duration.seconds(1) },
    }),
  });
  const gateway = mesh.addVirtualGateway('gateway1', { virtualGatewayName: 'gateway1', listeners: [appmesh.VirtualGatewayListener.http()] });
  gateway.addGatewayRoute('gateway1-route-http', { gatewayRouteName: 'gateway1-route-http', routeSpec: appmesh.GatewayRouteSpec.http({ routeTarget: service1 }) });
  return app;
}

/**
 * The layout ecs-service-extensions' AppMeshExtension renders, hand-built with aws-cdk-lib, for the greeter
 * app of its examples (greeter calls name and greeting on port 3000): per service a virtual node named after
 * the service with Cloud Map discovery, a virtual router and a single-target route, a virtual service
 * `<service>.internal`, an Envoy container named by APPMESH_RESOURCE_ARN, the APPMESH proxy configuration, the
 * app container depending on Envoy, and the Envoy grant. The call from name back to greeter is ours, to make
 * a cycle.
 */
export function extensionStyleApp(props?: AppProps): App {
  const app = new App(props);
  const stack = new Stack(app, 'Greeter');
  const vpc = vpcOf(stack);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { name: 'internal', vpc });
  const mesh = new appmesh.Mesh(stack, 'Mesh', { meshName: 'greeter-mesh' });
  const nodes: Record<string, appmesh.VirtualNode> = {};
  const services: Record<string, appmesh.VirtualService> = {};
  for (const name of ['greeter', 'greeting', 'name']) {
    const task = new ecs.FargateTaskDefinition(stack, `${name}-task-definition`, { cpu: 256, memoryLimitMiB: 512, proxyConfiguration: appMeshProxy(3000) });
    const appContainer = task.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(`nathanpeck/${name}`),
      memoryLimitMiB: 128,
      portMappings: [{ containerPort: 3000, name: 'web', appProtocol: ecs.AppProtocol.http }],
    });
    const service = new ecs.FargateService(stack, `${name}-service`, { cluster, taskDefinition: task, cloudMapOptions: { name, cloudMapNamespace: namespace } });
    const node = new appmesh.VirtualNode(stack, `${name}-virtual-node`, {
      mesh,
      virtualNodeName: name,
      listeners: [appmesh.VirtualNodeListener.http({ port: 3000, timeout: { perRequest: Duration.seconds(20) } })],
      serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(service.cloudMapService as servicediscovery.IService),
    });
    const envoy = addEnvoy(task, { APPMESH_RESOURCE_ARN: node.virtualNodeArn, ENABLE_ENVOY_STATS_TAGS: '1' });
    appContainer.addContainerDependencies({ container: envoy, condition: ecs.ContainerDependencyCondition.HEALTHY });
    const router = new appmesh.VirtualRouter(stack, `${name}-virtual-router`, { mesh, virtualRouterName: name, listeners: [appmesh.VirtualRouterListener.http(3000)] });
    router.addRoute(`${name}-route`, { routeName: `${name}-route`, routeSpec: appmesh.RouteSpec.http({ weightedTargets: [{ virtualNode: node, weight: 100 }] }) });
    nodes[name] = node;
    services[name] = new appmesh.VirtualService(stack, `${name}-virtual-service`, {
      virtualServiceName: `${name}.internal`, virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
    });
  }
  nodes.greeter.addBackend(appmesh.Backend.virtualService(services.greeting));
  nodes.greeter.addBackend(appmesh.Backend.virtualService(services.name));
  nodes.name.addBackend(appmesh.Backend.virtualService(services.greeter));
  return app;
}
