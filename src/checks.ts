import { Annotations, Aspects, CfnResource, IAspect, Reference, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { deploymentFacts } from './build/deployment';
import { readExistingConfiguration } from './core/existing-config';
import { resolveEndpoint } from './endpoint';
import { SERVICE_RULES } from './rules/catalog';
import { appCapacityProviders, capacityFacts, cfnTaskFacts, managedInstancesProviders, renderedContainers, templateView } from './rules/collect';
import { evaluate } from './rules/engine';
import type { EndpointFacts, ServiceFacts, TaskFacts } from './rules/facts';
import { recordInheritedRelaxations } from './rules/relax';
import { AppWiring } from './topology/wiring';

/** Rules that need the call graph or the library's own options, which an app without the constructs does not have. */
const NEEDS_THE_LIBRARY = ['ConnectCycle', 'ConnectAcrossNamespaces', 'CrossVpcConnectivity', 'CrossAccountIngress', 'SharedSecurityGroup', 'InstanceSecurityGroupIngress',
  'ServiceConnectConfigurationConflict',
  // These TLS rules look up the certificate authority and the key given to the library; a configuration read from a
  // resource gives only the authority's ARN (TlsNetworkMode and TlsCertificateAuthorityArn need no more).
  'TlsCertificateAuthorityTag', 'TlsKmsKeySymmetric',
  // The library's own redeploy nonce: a service the library does not own has none to keep or to warn about.
  'RedeployOnEndpointChange',
  // Callers outside the namespace and Cloud Map lookups are declared on the library's servers only.
  'OutsideCallerAnyAddress', 'OutsideCallerPort', 'CloudMapServiceLookup', 'PrivateIntegrationAcrossAccounts'];

/** The rules the checks run: every service rule that needs no call graph. */
const CHECKED_RULES = SERVICE_RULES.filter((rule) => !NEEDS_THE_LIBRARY.includes(rule.id));

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` value points at. */
function referencedLogicalId(value: unknown): string | undefined {
  const v = value as Record<string, unknown> | undefined;
  if (typeof v?.Ref === 'string') {
    return v.Ref;
  }
  const getAtt = v?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Capacity providers that run tasks on Fargate. */
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * The launch type ECS gives a service, as the template will hold it: its `LaunchType`; else, with a
 * capacity provider strategy, Fargate when every provider is FARGATE or FARGATE_SPOT, EC2 otherwise;
 * else what the task definition requires (Fargate alone), or EC2.
 */
function launchTypeOf(launchType: unknown, strategies: unknown, compatibilities: unknown): string {
  if (typeof launchType === 'string') {
    return launchType;
  }
  if (Array.isArray(strategies) && strategies.length > 0) {
    return strategies.every((entry) => FARGATE_PROVIDERS.includes(entry?.capacityProvider)) ? 'FARGATE' : 'EC2';
  }
  return Array.isArray(compatibilities) && compatibilities.length === 1 && compatibilities[0] === 'FARGATE' ? 'FARGATE' : 'EC2';
}

/** Rules that read the task definition's port mappings: skipped when the containers cannot be read. */
const NEEDS_THE_CONTAINERS = ['PortMappingNameExists'];

/**
 * The containers of a task definition as CloudFormation gets them, or undefined when they cannot be
 * read: the definitions, a container or its port mappings are an intrinsic (`Fn::If`, an import).
 */
function readableContainers(task: ecs.CfnTaskDefinition): any[] | undefined {
  const view = templateView(task);
  const rendered: unknown = view.containerDefinitions;
  if (rendered !== undefined && !Array.isArray(rendered)) {
    return undefined;
  }
  const containers = renderedContainers(task, view);
  const readable = containers.every((c) => typeof c === 'object' && c !== null && (c.portMappings === undefined || Array.isArray(c.portMappings)));
  return readable ? containers : undefined;
}

/**
 * Whether the library built or attached to `resource`. Looks the Stage's wiring up without creating it:
 * `AppWiring.of` would add a mutating aspect while aspects run, which aws-cdk-lib refuses.
 */
function libraryOwns(resource: IConstruct): boolean {
  const root = Stage.of(resource) ?? resource.node.root;
  return Aspects.of(root).all.some((aspect) => aspect instanceof AppWiring && aspect.owns(resource));
}

/** The construct a token string (e.g. `taskDefinition.ref`) refers to, when it is a plain reference. */
function referencedConstruct(value: unknown): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) {
    return undefined;
  }
  const token = Tokenization.reverseCompleteString(value);
  return token && Reference.isReference(token) ? token.target : undefined;
}

/**
 * The library's rule catalog as an Aspect, for apps that do not use its constructs (in the manner of a
 * cdk-nag pack). It checks every `AWS::ECS::Service` with a Service Connect configuration, L1 or L2, against
 * every per-service rule that does not need the call graph: task memory and proxy headroom, Windows, the Fargate
 * platform version, EC2 capacity, ECS Anywhere, the deployment controller, endpoints and their names.
 * Errors are error annotations (which fail `cdk synth`), warnings are warning annotations, and
 * `ServiceConnectRules.relax` works as it does for the constructs. Services built or attached with the
 * library are skipped: they are checked already.
 *
 * @example
 * Aspects.of(app).add(new ServiceConnectChecks());
 */
export class ServiceConnectChecks implements IAspect {
  /** The id of every rule the checks run. */
  public static readonly RULE_IDS: string[] = CHECKED_RULES.map((rule) => rule.id);

  private readonly logicalIds = new Map<Stack, Map<string, CfnResource>>();
  /** The app's Managed Instances capacity providers, found on the first service that needs them. */
  private capacityProviders?: ecs.CfnCapacityProvider[];

  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      recordInheritedRelaxations(node);
    }
    if (!(node instanceof ecs.CfnService) || libraryOwns(node)) {
      return;
    }
    // What the template will hold, property overrides included.
    const view = templateView(node);
    const config = readExistingConfiguration(node, view.serviceConnectConfiguration);
    if (!config || !config.enabled) {
      return;
    }
    const task = this.taskDefinitionOf(node, view);
    const containers = task ? readableContainers(task) : undefined;
    const facts = this.facts(node, view, config.endpoints.length > 0, config, task, containers ?? []);
    // Without the containers (a task definition outside the app, or containers given as a token) the
    // port mappings are unknown: an endpoint naming one is not a finding.
    const rules = containers ? CHECKED_RULES : CHECKED_RULES.filter((rule) => !NEEDS_THE_CONTAINERS.includes(rule.id));
    for (const error of evaluate(node, rules, facts)) {
      Annotations.of(node).addError(error);
    }
  }

  /**
   * The resource a property of `scope` refers to: the target of a reference token (in any stack), else
   * the resource of the same stack whose logical id the resolved `{ Ref }` or `{ Fn::GetAtt }` names.
   */
  private resourceOf(scope: IConstruct, value: unknown): CfnResource | undefined {
    const target = referencedConstruct(value);
    if (target) {
      return CfnResource.isCfnResource(target) ? target : undefined;
    }
    const stack = Stack.of(scope);
    const logicalId = referencedLogicalId(stack.resolve(value));
    if (logicalId === undefined) {
      return undefined;
    }
    let byId = this.logicalIds.get(stack);
    if (!byId) {
      // Only this stack's own resources: a nested stack's have logical ids of their own.
      const resources = stack.node.findAll().filter(CfnResource.isCfnResource).filter((r) => Stack.of(r) === stack);
      byId = new Map(resources.map((r) => [stack.resolve(r.logicalId) as string, r]));
      this.logicalIds.set(stack, byId);
    }
    return byId.get(logicalId);
  }

  /** The service's task definition resource, when it is in this app: the one the property refers to, else an L2 service's own. */
  private taskDefinitionOf(service: ecs.CfnService, view: Record<string, any>): ecs.CfnTaskDefinition | undefined {
    const l2 = service.node.scope;
    const resource = this.resourceOf(service, service.taskDefinition) ?? this.resourceOf(service, view.taskDefinition)
      ?? (l2 instanceof ecs.BaseService && l2.node.defaultChild === service ? l2.taskDefinition?.node.defaultChild : undefined);
    return resource instanceof ecs.CfnTaskDefinition ? resource : undefined;
  }

  /** The service's cluster construct, when it is an L2 cluster of this app: the one the property refers to, else an L2 service's own. */
  private clusterOf(service: ecs.CfnService): ecs.ICluster | undefined {
    const l2 = service.node.scope;
    const cluster = this.resourceOf(service, service.cluster)?.node.scope
      ?? (l2 instanceof ecs.BaseService && l2.node.defaultChild === service ? l2.cluster : undefined);
    return cluster instanceof ecs.Cluster ? cluster : undefined;
  }

  private facts(
    service: ecs.CfnService,
    view: Record<string, any>,
    isServer: boolean,
    config: NonNullable<ReturnType<typeof readExistingConfiguration>>,
    task: ecs.CfnTaskDefinition | undefined,
    containers: any[],
  ): ServiceFacts {
    const stack = Stack.of(service);
    const taskFacts: TaskFacts = task ? cfnTaskFacts(task, false) : {
      path: `${service.node.path} (task definition not in this app)`,
      memorySet: true,
      containerMemoryMiB: 0,
      containerCpu: 0,
      containerValuesUnresolved: true,
      managed: false,
    };
    const mappings: Record<string, any>[] = containers
      .flatMap((container) => container.portMappings ?? [])
      .filter((pm: unknown): pm is Record<string, any> => typeof pm === 'object' && pm !== null);
    const compatibilities: unknown = task ? templateView(task).requiresCompatibilities : undefined;
    const strategies: unknown = view.capacityProviderStrategy;
    const launchType = launchTypeOf(view.launchType, strategies, compatibilities);
    const deployment = view.deploymentConfiguration;
    const endpoints: EndpointFacts[] = config.endpoints.map((declared) => {
      const name = declared.portMappingName;
      const mapping = typeof name === 'string' && !Token.isUnresolved(name) ? mappings.find((pm) => pm.name === name) : undefined;
      const portMapping: ecs.PortMapping | undefined = mapping ? {
        name: mapping.name,
        containerPort: mapping.containerPort,
        appProtocol: mapping.appProtocol ? { value: mapping.appProtocol } as ecs.AppProtocol : undefined,
      } : undefined;
      return { declared, portMapping, resolved: resolveEndpoint(declared, portMapping, taskFacts.networkMode as ecs.NetworkMode) };
    });
    const namespace = typeof config.namespace === 'string' ? config.namespace : undefined;
    const [, , , namespaceRegion, namespaceAccount] = namespace?.startsWith('arn:') ? namespace.split(':') : [];
    const cluster = this.clusterOf(service);
    const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
    const platformVersion = view.platformVersion;
    return {
      path: service.node.path,
      isServer,
      namespaceName: namespace ?? 'the namespace of the configuration',
      namespaceUnknown: namespace === undefined,
      serviceName: typeof view.serviceName === 'string' ? view.serviceName : undefined,
      launchType,
      task: taskFacts,
      platformVersion: typeof platformVersion === 'string' ? platformVersion : undefined,
      deploymentControllerType: view.deploymentController?.type,
      circuitBreakerEnabled: deployment?.deploymentCircuitBreaker?.enable === true,
      largeNamespace: false,
      region: known(stack.region),
      account: known(stack.account),
      namespaceRegion: namespaceRegion || undefined,
      namespaceAccount: namespaceAccount || undefined,
      capacity: launchType === 'EC2' && cluster ? capacityFacts(cluster) : [],
      managedInstancesProviders: managedInstancesProviders(service, () => (this.capacityProviders ??= appCapacityProviders(service))),
      servers: [],
      endpoints,
      portMappingNames: mappings.map((pm) => pm.name).filter((name: unknown): name is string => typeof name === 'string'),
      refusedEdges: [],
      sharedGroups: [],
      configurationConflicts: [],
      accessLogs: config.accessLogs ? { enabled: true, proxyLogs: config.logs } : undefined,
      deployment: deploymentFacts(service, undefined, view),
    };
  }
}
