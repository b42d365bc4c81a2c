import * as ecs from 'aws-cdk-lib/aws-ecs';
import { resolveEndpoint, ServiceConnectEndpoint } from '../../src/endpoint';
import type { EndpointFacts, MemberFacts, NamespaceFacts, ServiceFacts, TaskFacts, TlsFacts } from '../../src/rules/facts';

/*
 * Plain-data fixtures for the pure rule checks. The defaults describe a valid Fargate server, so a
 * test changes only the fact it is about and every other rule stays quiet.
 */

/** An endpoint's facts; `portMapping: undefined` in `mapping` means the task definition lacks it. */
export function endpointFacts(declared: ServiceConnectEndpoint, mapping: { portMapping?: ecs.PortMapping } = {
  portMapping: { name: declared.portMappingName, containerPort: 8080, appProtocol: ecs.AppProtocol.http },
}): EndpointFacts {
  return { declared, resolved: resolveEndpoint(declared, mapping.portMapping), portMapping: mapping.portMapping };
}

/**
 * An endpoint `api` on port mapping `http` with TLS from a certificate authority outside the app. `tls`
 * says what the library saw of the CA and the key: by default neither is a resource of the app.
 */
export function tlsEndpointFacts(
  tls: TlsFacts = { certificateAuthority: undefined, kmsKey: undefined }, declared: Partial<ServiceConnectEndpoint> = {},
): EndpointFacts {
  const awsPcaAuthorityArn = 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';
  return { ...endpointFacts({ portMappingName: 'http', discoveryName: 'api', tls: { awsPcaAuthorityArn }, ...declared }), tls };
}

/** A task with room for the proxy: 1024 CPU units and 2048 MiB, of which the containers take 512 and 1024. */
export function taskFacts(overrides: Partial<TaskFacts> = {}): TaskFacts {
  return {
    path: 'App/Stack/ApiTask',
    cpu: 1024,
    memoryMiB: 2048,
    memorySet: true,
    containerMemoryMiB: 1024,
    containerCpu: 512,
    containerValuesUnresolved: false,
    osFamily: 'LINUX',
    networkMode: 'awsvpc',
    managed: false,
    ...overrides,
  };
}

export interface ServiceFactsOverrides extends Partial<Omit<ServiceFacts, 'task'>> {
  readonly task?: Partial<TaskFacts>;
}

/** A valid Fargate server `App/Stack/Api` with one endpoint, `api` on port mapping `http`. */
export function serviceFacts(overrides: ServiceFactsOverrides = {}): ServiceFacts {
  const { task, ...rest } = overrides;
  return {
    path: 'App/Stack/Api',
    isServer: true,
    namespaceName: 'shop.internal',
    endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api' })],
    portMappingNames: ['http'],
    refusedEdges: [],
    launchType: 'FARGATE',
    task: taskFacts(task),
    platformVersion: undefined,
    deploymentControllerType: 'ECS',
    circuitBreakerEnabled: false,
    expectedPeakRequestsPerSecond: undefined,
    largeNamespace: false,
    region: 'us-east-1',
    account: '111111111111',
    namespaceRegion: 'us-east-1',
    namespaceAccount: '111111111111',
    capacity: [],
    managedInstancesProviders: [],
    sharedGroups: [],
    configurationConflicts: [],
    servers: [],
    ...rest,
  };
}

/** A namespace member with one endpoint per `discoveryName:port` entry of `endpoints`. */
export function memberFacts(path: string, endpoints: string[], overrides: Partial<MemberFacts> = {}): MemberFacts {
  return {
    path,
    endpoints: endpoints.map((spec) => {
      const [name, port] = spec.split(':');
      return { portMappingName: 'http', discoveryName: name, dnsName: name, port: port === undefined ? undefined : Number(port) };
    }),
    maxTaskCount: 2,
    ...overrides,
  };
}

export function namespaceFacts(members: MemberFacts[]): NamespaceFacts {
  return { path: 'App/Stack/Namespace', name: 'shop.internal', members };
}
