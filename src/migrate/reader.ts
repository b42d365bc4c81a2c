import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type {
  AppMeshFacts, EcsServiceFact, EnvoyIdentity, GrantFact, ListenerFact, MeshFact, PortMappingFact, RouteFact, TaskDefinitionFact,
  VirtualGatewayFact, VirtualNodeFact, VirtualRouterFact, VirtualServiceFact, GatewayRouteFact,
} from './facts';

/** The CloudFormation types the reader looks at; every other resource is left alone (and never resolved). */
const READ_TYPES = /^AWS::(AppMesh::|ECS::(TaskDefinition|Service)$|ServiceDiscovery::|IAM::(Policy|Role|ManagedPolicy)$)/;

/** The property that names a resource, by type: what a `Ref` or `Fn::GetAtt` to it stands for in a name. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::AppMesh::Mesh': 'MeshName',
  'AWS::AppMesh::VirtualNode': 'VirtualNodeName',
  'AWS::AppMesh::VirtualService': 'VirtualServiceName',
  'AWS::AppMesh::VirtualRouter': 'VirtualRouterName',
  'AWS::AppMesh::VirtualGateway': 'VirtualGatewayName',
  'AWS::ServiceDiscovery::Service': 'Name',
  'AWS::ServiceDiscovery::PrivateDnsNamespace': 'Name',
  'AWS::ServiceDiscovery::PublicDnsNamespace': 'Name',
  'AWS::ServiceDiscovery::HttpNamespace': 'Name',
};

/** One resource the reader looked at: its type and properties, resolved in its own stack. */
interface Entry {
  readonly stack: Stack;
  readonly type: string;
  readonly logicalId: string;
  readonly path: string;
  readonly props: any;
}

/** A value's object form, for reading CloudFormation shapes without `any` spreading everywhere. */
function obj(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, any> : {};
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** An App Mesh duration (`{ Unit: 'ms' | 's', Value }`) in seconds. */
function seconds(duration: unknown): number | undefined {
  const d = obj(duration);
  if (typeof d.Value !== 'number') {
    return undefined;
  }
  return d.Unit === 'ms' ? d.Value / 1000 : d.Value;
}

/** The key of a one-of object that has a value, lowercased (e.g. `{ ACM: undefined, SDS: {...} }` → `sds`). */
function oneOf(value: unknown): string | undefined {
  const key = Object.entries(obj(value)).find(([, v]) => v !== undefined)?.[0];
  return key?.toLowerCase();
}

/**
 * Reads the App Mesh resources, task definitions, ECS services, Cloud Map resources and IAM grants under
 * `scope` into plain facts, in one pass over the tree. Nothing is changed.
 */
export function readAppMeshFacts(scope: IConstruct): AppMeshFacts {
  const byStack = new Map<Stack, Map<string, Entry>>();
  const entries: Entry[] = [];
  for (const construct of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || !READ_TYPES.test(construct.cfnResourceType)) {
      continue;
    }
    const stack = Stack.of(construct);
    let props: unknown;
    let logicalId: string;
    try {
      logicalId = stack.resolve(construct.logicalId);
      const rendered = obj(obj(stack.resolve((construct as unknown as { _toCloudFormation(): unknown })._toCloudFormation())).Resources);
      props = obj(rendered[logicalId]).Properties;
    } catch {
      continue;
    }
    const entry: Entry = { stack, type: construct.cfnResourceType, logicalId, path: construct.node.path, props: obj(props) };
    entries.push(entry);
    const forStack = byStack.get(stack) ?? new Map<string, Entry>();
    forStack.set(logicalId, entry);
    byStack.set(stack, forStack);
  }

  /** The resource a `Ref` or `Fn::GetAtt` points at: in the same stack first, then in any stack (a cross-stack reference). */
  const target = (value: unknown, from: Entry): Entry | undefined => {
    const v = obj(value);
    const id = typeof v.Ref === 'string' ? v.Ref : Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'][0] : undefined;
    if (typeof id !== 'string') {
      return undefined;
    }
    return byStack.get(from.stack)?.get(id) ?? [...byStack.values()].map((m) => m.get(id)).find((e) => e !== undefined);
  };

  /** A value as text: a string, a reference to a named resource as its name, a join of those; undefined otherwise. */
  const text = (value: unknown, from: Entry): string | undefined => {
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value);
    }
    const ref = target(value, from);
    if (ref) {
      const nameProperty = NAME_PROPERTY[ref.type];
      return nameProperty ? text(ref.props[nameProperty], ref) ?? ref.logicalId : undefined;
    }
    const join = obj(value)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = join[1].map((part: unknown) => text(part, from));
      return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
    }
    return undefined;
  };

  /** The first named App Mesh resource referenced anywhere inside `value`. */
  const referencedMeshResource = (value: unknown, from: Entry): Entry | undefined => {
    const ref = target(value, from);
    if (ref?.type.startsWith('AWS::AppMesh::')) {
      return ref;
    }
    const children = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [];
    for (const child of children) {
      const found = referencedMeshResource(child, from);
      if (found) {
        return found;
      }
    }
    return undefined;
  };

  const listener = (l: unknown, from: Entry): ListenerFact => {
    const value = obj(l);
    const protocol = text(obj(value.PortMapping).Protocol, from)?.toLowerCase();
    const timeouts = obj(value.Timeout);
    const timeout = obj(timeouts[{ http: 'HTTP', http2: 'HTTP2', grpc: 'GRPC', tcp: 'TCP' }[protocol ?? ''] ?? ''] ?? Object.values(timeouts)[0]);
    const port = obj(value.PortMapping).Port;
    return {
      port: typeof port === 'number' ? port : undefined,
      protocol,
      idleTimeoutSeconds: seconds(timeout.Idle),
      perRequestTimeoutSeconds: seconds(timeout.PerRequest),
      tlsCertificate: value.TLS ? oneOf(obj(value.TLS).Certificate) : undefined,
      mutualTls: obj(value.TLS).Validation !== undefined,
      outlierDetection: value.OutlierDetection !== undefined,
      connectionPool: value.ConnectionPool !== undefined,
      healthCheck: value.HealthCheck !== undefined,
    };
  };

  const facts = {
    meshes: [] as MeshFact[],
    nodes: [] as VirtualNodeFact[],
    services: [] as VirtualServiceFact[],
    routers: [] as VirtualRouterFact[],
    routes: [] as RouteFact[],
    gateways: [] as VirtualGatewayFact[],
    gatewayRoutes: [] as GatewayRouteFact[],
    taskDefinitions: [] as TaskDefinitionFact[],
    ecsServices: [] as EcsServiceFact[],
    grants: [] as GrantFact[],
  };
  for (const e of entries) {
    const p = e.props;
    const spec = obj(p.Spec);
    const mesh = text(p.MeshName, e) ?? '?';
    switch (e.type) {
      case 'AWS::AppMesh::Mesh':
        facts.meshes.push({ path: e.path, name: text(p.MeshName, e) ?? e.logicalId, egressFilter: text(obj(spec.EgressFilter).Type, e) ?? 'DROP_ALL' });
        break;
      case 'AWS::AppMesh::VirtualNode': {
        const policies = [obj(spec.BackendDefaults).ClientPolicy, ...list(spec.Backends).map((b) => obj(obj(b).VirtualService).ClientPolicy)]
          .map((policy) => obj(obj(policy).TLS)).filter((tls) => Object.keys(tls).length > 0);
        const discovery = obj(spec.ServiceDiscovery);
        facts.nodes.push({
          path: e.path,
          mesh,
          name: text(p.VirtualNodeName, e) ?? e.logicalId,
          listeners: list(spec.Listeners).map((l) => listener(l, e)),
          backends: list(spec.Backends).map((b) => text(obj(obj(b).VirtualService).VirtualServiceName, e))
            .filter((n): n is string => n !== undefined),
          clientCertificate: policies.some((tls) => tls.Certificate !== undefined),
          backendTrust: policies.map((tls) => oneOf(obj(tls.Validation).Trust)).find((t) => t !== undefined),
          dnsHostname: discovery.DNS ? text(obj(discovery.DNS).Hostname, e) : undefined,
          cloudMap: discovery.AWSCloudMap ? {
            namespaceName: text(obj(discovery.AWSCloudMap).NamespaceName, e),
            serviceName: text(obj(discovery.AWSCloudMap).ServiceName, e),
            taskFamily: text(list(obj(discovery.AWSCloudMap).Attributes).map(obj).find((a) => a.Key === 'ECS_TASK_DEFINITION_FAMILY')?.Value, e),
          } : undefined,
          accessLog: accessLogFormat(spec.Logging),
        });
        break;
      }
      case 'AWS::AppMesh::VirtualService': {
        const provider = obj(spec.Provider);
        facts.services.push({
          path: e.path,
          mesh,
          name: text(p.VirtualServiceName, e) ?? e.logicalId,
          providerNode: provider.VirtualNode ? text(obj(provider.VirtualNode).VirtualNodeName, e) : undefined,
          providerRouter: provider.VirtualRouter ? text(obj(provider.VirtualRouter).VirtualRouterName, e) : undefined,
        });
        break;
      }
      case 'AWS::AppMesh::VirtualRouter':
        facts.routers.push({
          path: e.path, mesh, name: text(p.VirtualRouterName, e) ?? e.logicalId, listeners: list(spec.Listeners).map((l) => listener(l, e)),
        });
        break;
      case 'AWS::AppMesh::Route':
        facts.routes.push(readRoute(e, mesh, spec, text));
        break;
      case 'AWS::AppMesh::VirtualGateway':
        facts.gateways.push({
          path: e.path,
          mesh,
          name: text(p.VirtualGatewayName, e) ?? e.logicalId,
          listeners: list(spec.Listeners).map((l) => listener(l, e)),
          clientCertificate: obj(obj(obj(spec.BackendDefaults).ClientPolicy).TLS).Certificate !== undefined,
        });
        break;
      case 'AWS::AppMesh::GatewayRoute': {
        const route = obj(Object.values(spec).find((v) => obj(v).Action !== undefined));
        facts.gatewayRoutes.push({
          path: e.path,
          mesh,
          gateway: text(p.VirtualGatewayName, e) ?? '?',
          name: text(p.GatewayRouteName, e) ?? e.logicalId,
          targetService: text(obj(obj(obj(route.Action).Target).VirtualService).VirtualServiceName, e),
        });
        break;
      }
      case 'AWS::ECS::TaskDefinition':
        facts.taskDefinitions.push(readTaskDefinition(e, text, referencedMeshResource, target));
        break;
      case 'AWS::ECS::Service':
        facts.ecsServices.push({
          path: e.path,
          taskDefinition: target(p.TaskDefinition, e)?.path,
          registries: list(p.ServiceRegistries).map((r) => {
            const registry = target(obj(r).RegistryArn, e);
            return registry?.type === 'AWS::ServiceDiscovery::Service' ? {
              serviceName: text(registry.props.Name, registry),
              namespaceName: text(registry.props.NamespaceId ?? obj(registry.props.DnsConfig).NamespaceId, registry),
            } : {};
          }),
        });
        break;
      default:
        if (e.type.startsWith('AWS::IAM::')) {
          const grant = envoyGrant(p);
          if (grant) {
            const roles = e.type === 'AWS::IAM::Role' ? [e.path] : list(p.Roles).map((r) => target(r, e)?.path).filter((r): r is string => r !== undefined);
            facts.grants.push({ path: e.path, grant, roles });
          }
        }
    }
  }
  return facts;
}

/** The format of a virtual node's file access log: `json` or `text`; undefined without one. */
function accessLogFormat(logging: unknown): string | undefined {
  const file = obj(obj(obj(logging).AccessLog).File);
  if (file.Path === undefined) {
    return undefined;
  }
  return obj(file.Format).Json !== undefined ? 'json' : 'text';
}

/** What in an IAM resource's properties grants Envoy access to App Mesh, if anything. */
function envoyGrant(props: unknown): string | undefined {
  const json = JSON.stringify(props);
  return /AWSAppMesh(Preview)?EnvoyAccess/.exec(json)?.[0] ?? /"(appmesh:(StreamAggregatedResources|\*))"/.exec(json)?.[1];
}

function readRoute(e: Entry, mesh: string, spec: Record<string, any>, text: (v: unknown, from: Entry) => string | undefined): RouteFact {
  const kinds: Record<string, string> = { HttpRoute: 'http', Http2Route: 'http2', GrpcRoute: 'grpc', TcpRoute: 'tcp' };
  const kind = Object.keys(kinds).find((k) => spec[k] !== undefined) ?? 'HttpRoute';
  const route = obj(spec[kind]);
  const match = obj(route.Match);
  // aws-cdk-lib renders every optional field of a match, unset ones as undefined.
  const matches = Object.keys(match).filter((key) => match[key] !== undefined && !(Array.isArray(match[key]) && match[key].length === 0))
    .filter((key) => key !== 'Port' && !(key === 'Prefix' && match.Prefix === '/'))
    .map((key) => key === 'Prefix' ? `prefix ${match.Prefix}` : key.toLowerCase());
  const timeout = obj(route.Timeout);
  return {
    path: e.path,
    mesh,
    router: text(e.props.VirtualRouterName, e) ?? '?',
    name: text(e.props.RouteName, e) ?? e.logicalId,
    protocol: kinds[kind],
    targets: list(obj(route.Action).WeightedTargets).map((t) => ({
      node: text(obj(t).VirtualNode, e) ?? '?',
      weight: typeof obj(t).Weight === 'number' ? obj(t).Weight : 0,
      port: typeof obj(t).Port === 'number' ? obj(t).Port : undefined,
    })),
    matches,
    retryPolicy: route.RetryPolicy !== undefined,
    idleTimeoutSeconds: seconds(timeout.Idle),
    perRequestTimeoutSeconds: seconds(timeout.PerRequest),
  };
}

const IDENTITY = /mesh\/([^/]+)\/(virtualNode|virtualGateway)\/([^/]+)$/;

function readTaskDefinition(
  e: Entry,
  text: (v: unknown, from: Entry) => string | undefined,
  referencedMeshResource: (v: unknown, from: Entry) => Entry | undefined,
  target: (v: unknown, from: Entry) => Entry | undefined,
): TaskDefinitionFact {
  const p = e.props;
  const proxy = obj(p.ProxyConfiguration);
  const containers = list(p.ContainerDefinitions).map(obj);
  const envOf = (c: Record<string, any>) => new Map(list(c.Environment).map((v) => [String(obj(v).Name), obj(v).Value]));
  const isEnvoy = (c: Record<string, any>) => {
    const env = envOf(c);
    return env.has('APPMESH_RESOURCE_ARN') || env.has('APPMESH_VIRTUAL_NODE_NAME') || /aws-appmesh-envoy/.test(JSON.stringify(c.Image ?? ''))
      || (proxy.Type === 'APPMESH' && c.Name === proxy.ContainerName);
  };
  const envoy = containers.find(isEnvoy);
  const env = envoy ? envOf(envoy) : new Map<string, unknown>();
  let identity: EnvoyIdentity | undefined;
  const arn = env.get('APPMESH_RESOURCE_ARN') ?? env.get('APPMESH_VIRTUAL_NODE_NAME');
  if (arn !== undefined) {
    const ref = referencedMeshResource(arn, e);
    if (ref?.type === 'AWS::AppMesh::VirtualNode' || ref?.type === 'AWS::AppMesh::VirtualGateway') {
      const node = ref.type === 'AWS::AppMesh::VirtualNode';
      identity = {
        kind: node ? 'virtualNode' : 'virtualGateway',
        mesh: text(ref.props.MeshName, ref),
        name: text(ref.props[node ? 'VirtualNodeName' : 'VirtualGatewayName'], ref) ?? ref.logicalId,
      };
    } else {
      const parsed = IDENTITY.exec(text(arn, e) ?? '');
      identity = parsed ? { mesh: parsed[1], kind: parsed[2] as EnvoyIdentity['kind'], name: parsed[3] } : undefined;
    }
  }
  const tracing = [['ENABLE_ENVOY_XRAY_TRACING', 'X-Ray'], ['ENABLE_ENVOY_DATADOG_TRACING', 'Datadog'], ['ENABLE_ENVOY_JAEGER_TRACING', 'Jaeger']]
    .filter(([name]) => String(env.get(name) ?? '0') === '1').map(([, label]) => label);
  if (env.has('ENVOY_TRACING_CFG_FILE')) {
    tracing.push('a custom tracing configuration');
  }
  if (String(env.get('ENABLE_ENVOY_DOG_STATSD') ?? '0') === '1') {
    tracing.push('DogStatsD metrics');
  }
  const compatibilities = list(p.RequiresCompatibilities);
  const portMappings: PortMappingFact[] = containers.filter((c) => c !== envoy).flatMap((c) => list(c.PortMappings).map((m) => ({
    container: String(c.Name),
    containerPort: typeof obj(m).ContainerPort === 'number' ? obj(m).ContainerPort : undefined,
    name: typeof obj(m).Name === 'string' ? obj(m).Name : undefined,
  })));
  return {
    path: e.path,
    family: text(p.Family, e),
    envoyContainer: envoy ? String(envoy.Name) : undefined,
    envoyIdentity: identity,
    proxyConfiguration: proxy.Type === 'APPMESH',
    dependsOnEnvoy: envoy === undefined ? []
      : containers.filter((c) => list(c.DependsOn).some((d) => obj(d).ContainerName === envoy.Name)).map((c) => String(c.Name)),
    tracing,
    ec2WithoutTaskMemory: (compatibilities.length === 0 || compatibilities.includes('EC2')) && p.Memory === undefined,
    portMappings,
    taskRole: target(p.TaskRoleArn, e)?.path,
  };
}
