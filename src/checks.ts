import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { readExistingConfiguration } from './core/existing-config';
import { resolveEndpoint } from './endpoint';
import { SERVICE_RULES } from './rules/catalog';
import { capacityFacts, cfnTaskFacts, renderedContainers } from './rules/collect';
import { evaluate } from './rules/engine';
import type { EndpointFacts, ServiceFacts } from './rules/facts';
import { AppWiring } from './topology/wiring';

/** Rules that need the call graph or the library's own options, which an app without the constructs does not have. */
const NEEDS_THE_LIBRARY = ['ConnectCycle', 'ConnectAcrossNamespaces', 'CrossVpcConnectivity', 'SharedSecurityGroup', 'ServiceConnectConfigurationConflict'];

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

/**
 * The library's rule catalog as an Aspect, for apps that do not use its constructs (in the manner of a
 * cdk-nag pack). It checks every `AWS::ECS::Service` with a Service Connect configuration, L1 or L2, against
 * every rule that does not need the call graph: task memory and proxy headroom, Windows, the Fargate
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

  public visit(node: IConstruct): void {
    if (!(node instanceof ecs.CfnService) || AppWiring.of(node).owns(node)) {
      return;
    }
    const config = readExistingConfiguration(node, node.serviceConnectConfiguration);
    if (!config || !config.enabled) {
      return;
    }
    const facts = this.facts(node, config.endpoints.length > 0, config);
    for (const error of evaluate(node, CHECKED_RULES, facts)) {
      Annotations.of(node).addError(error);
    }
  }

  /** The resource of `stack` with `logicalId`, from a map built once per stack. */
  private resourceOf(stack: Stack, value: unknown): CfnResource | undefined {
    const logicalId = referencedLogicalId(value);
    if (logicalId === undefined) {
      return undefined;
    }
    let byId = this.logicalIds.get(stack);
    if (!byId) {
      byId = new Map(stack.node.findAll().filter(CfnResource.isCfnResource).map((r) => [stack.resolve(r.logicalId) as string, r]));
      this.logicalIds.set(stack, byId);
    }
    return byId.get(logicalId);
  }

  private facts(service: ecs.CfnService, isServer: boolean, config: NonNullable<ReturnType<typeof readExistingConfiguration>>): ServiceFacts {
    const stack = Stack.of(service);
    const resolve = (value: unknown) => stack.resolve(value);
    const taskResource = this.resourceOf(stack, resolve(service.taskDefinition));
    const task = taskResource instanceof ecs.CfnTaskDefinition ? taskResource : undefined;
    const taskFacts = task ? cfnTaskFacts(task, false) : {
      path: `${service.node.path} (task definition not in this app)`,
      memorySet: true,
      containerMemoryMiB: 0,
      containerCpu: 0,
      containerValuesUnresolved: true,
      managed: false,
    };
    const mappings = (task ? renderedContainers(task) : []).flatMap((container) => container.portMappings ?? []);
    const compatibilities: unknown = task ? resolve(task.requiresCompatibilities) : undefined;
    const launchType = resolve(service.launchType)
      ?? (Array.isArray(compatibilities) && compatibilities.length === 1 && compatibilities[0] === 'FARGATE' ? 'FARGATE' : 'EC2');
    const deployment = resolve(service.deploymentConfiguration);
    const endpoints: EndpointFacts[] = config.endpoints.map((declared) => {
      const mapping = mappings.find((pm: any) => pm.name === declared.portMappingName);
      const portMapping: ecs.PortMapping | undefined = mapping ? {
        name: mapping.name,
        containerPort: mapping.containerPort,
        appProtocol: mapping.appProtocol ? { value: mapping.appProtocol } as ecs.AppProtocol : undefined,
      } : undefined;
      return { declared, portMapping, resolved: resolveEndpoint(declared, portMapping, taskFacts.networkMode as ecs.NetworkMode) };
    });
    const namespace = typeof config.namespace === 'string' ? config.namespace : undefined;
    const [, , , namespaceRegion, namespaceAccount] = namespace?.startsWith('arn:') ? namespace.split(':') : [];
    const cluster = this.resourceOf(stack, resolve(service.cluster))?.node.scope;
    const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
    const platformVersion = resolve(service.platformVersion);
    return {
      path: service.node.path,
      isServer,
      namespaceName: namespace ?? 'the namespace of the configuration',
      launchType,
      task: taskFacts,
      platformVersion: typeof platformVersion === 'string' ? platformVersion : undefined,
      capacityProviderStrategyCount: (resolve(service.capacityProviderStrategy) ?? []).length,
      deploymentControllerType: resolve(service.deploymentController)?.type,
      circuitBreakerEnabled: deployment?.deploymentCircuitBreaker?.enable === true,
      largeNamespace: false,
      region: known(stack.region),
      account: known(stack.account),
      namespaceRegion: namespaceRegion || undefined,
      namespaceAccount: namespaceAccount || undefined,
      capacity: launchType === 'EC2' && cluster instanceof ecs.Cluster ? capacityFacts(cluster) : [],
      servers: [],
      endpoints,
      portMappingNames: mappings.map((pm: any) => pm.name).filter((name: unknown): name is string => typeof name === 'string'),
      refusedEdges: [],
      sharedGroups: [],
      configurationConflicts: [],
    };
  }
}
