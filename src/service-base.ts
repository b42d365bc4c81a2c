import { IResolvable, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { deploymentFacts } from './build/deployment';
import { buildService, launchTypeOf, obtainTaskDefinition, refuseMalformedProps, refuseUnknownProps } from './build/service-factory';
import { attachTargetOf } from './core/attach';
import { conflictsWith, ExistingConfiguration, readExistingConfiguration, serviceConnectProperty } from './core/existing-config';
import { namespaceNamedBy } from './core/named-namespace';
import { KeptOnceFinal } from './core/once';
import { addAccessLogs, addLogConfiguration, addTestTrafficRules } from './core/overrides';
import { addEndpointRedeploy, EndpointNonce, endpointNonce, hasOwnForceNewDeployment } from './core/redeploy';
import { referencedElements, soleReferenceTarget } from './core/references';
import { RenderedEndpoint, renderServiceConnect } from './core/render';
import { orderTlsDeletion, setUpTls, tlsFacts } from './core/tls';
import { ResolvedEndpoint, resolveEndpoint, ServiceConnectEndpoint } from './endpoint';
import { describeGiven, propError } from './errors';
import type { CallerNames } from './monitoring/caller-metrics';
import { MetricName } from './monitoring/metrics';
import { ServiceConnectMetricFactory } from './monitoring/server-metrics';
import { ServiceConnectNamespace } from './namespace';
import { outsideCallersOf, outsideFacts, renderOutsideCallers } from './outside/access';
import { ProxyLogDestination, renderProxyLogs, setUpProxyLogs } from './proxy-logs';
import { SERVICE_RULES } from './rules/catalog';
import { capacityFacts, containersOf, managedInstancesProviders, namespaceLocation, taskFacts } from './rules/collect';
import { isPortOrToken } from './rules/endpoint-rules';
import { evaluate } from './rules/engine';
import { EndpointFacts, MemberFacts, ServiceFacts, TaskFacts } from './rules/facts';
import { namespaceIsLarge } from './rules/members';
import type { ServiceConnectServiceProps } from './service-props';
import { proxyHeadroom } from './sizing';
import { EdgeStatus } from './topology/plan';
import { AppWiring, DeclaredEdge, otherAccount } from './topology/wiring';
import type {
  ConnectOptions, IServiceConnectNamespace, IServiceConnectServer, IServiceConnectService, ServiceConnectTargetMetricOptions,
} from './types';

/** A physical name set in the app, when it is a literal. */
function literalName(name: string | undefined): string | undefined {
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
}

/**
 * The core of the library: Service Connect attached to one ECS service. It joins the namespace, renders
 * the service's Service Connect configuration (or keeps and reads the one the service has), sets up the
 * proxy's logs, takes part in the call graph, checks the rule catalog and offers the metrics.
 * `ClientService` and `ClientServerService` build the ECS service and attach to it, or attach to one
 * the app already has (`attach`). Not meant to be built directly.
 */
export abstract class ServiceConnectServiceBase extends Construct implements IServiceConnectService {
  /** The ECS service: a `FargateService` or an `Ec2Service`. */
  public readonly service: ecs.BaseService;

  /** The task definition the service runs. */
  public readonly taskDefinition: ecs.TaskDefinition;

  /** The namespace the service joined. */
  public readonly namespace: IServiceConnectNamespace;

  /**
   * The log group of the Service Connect proxy.
   *
   * @default - undefined when proxy logs are turned off, or the service's own configuration has its log configuration
   */
  public readonly proxyLogGroup?: logs.ILogGroup;

  /**
   * The metric factory of this service.
   * @internal
   */
  protected readonly _metrics: ServiceConnectMetricFactory;
  /**
   * The task definition as the rules see it, kept once the call graph is planned (the library's own
   * sizing is final then): the namespace rules and the service rules both ask for it at validation.
   */
  private readonly taskFactsKept = new KeptOnceFinal(() => this.wiring.planned, () => taskFacts(this.taskDefinition, this.managedTask));
  /**
   * The endpoints, kept once the service is settled: what they depend on (the configuration the service
   * had of its own, its task definition's port mappings) is final then, and the rules, the nonces of its
   * callers, the security-group rules and the metrics all read them.
   */
  private readonly endpointFactsKept = new KeptOnceFinal(() => this.settled, () => this.declaredEndpointFacts());
  private settled = false;
  /** The nonce of the endpoints the service calls, kept once the call graph is planned: the rules and the template both read it. */
  private readonly nonceKept = new KeptOnceFinal(() => this.wiring.planned, () => this.computeEndpointNonce());

  /** Endpoints given to the library; undefined when an attached server leaves them to its own configuration. */
  private readonly givenEndpoints?: ServiceConnectEndpoint[];
  private readonly isServer: boolean;
  private readonly attached: boolean;
  private readonly managedTask: boolean;
  private readonly proxyLogs?: ProxyLogDestination;
  private readonly props: ServiceConnectServiceProps;
  private readonly calls: DeclaredEdge[] = [];
  private readonly cfnService: ecs.CfnService;
  /** The configuration the library renders, installed in place of the L2's. */
  private readonly rendered: IResolvable;
  /** The configuration `rendered` produced, on its first read: the order settles from it, and the template holds it. */
  private readonly renderedKept = new KeptOnceFinal(() => true, () => this.renderConfiguration());
  /** What the service's configuration property held before the library's: the L2's own, or a user's. */
  private previous: unknown;
  private readonly wiring: AppWiring;
  /** Whether the ECS service had a `ForceNewDeployment` of its own when the app was complete. */
  private ownForceNewDeployment = false;

  protected constructor(scope: Construct, id: string, props: ServiceConnectServiceProps, endpoints?: ServiceConnectEndpoint[]) {
    super(scope, id);
    refuseMalformedProps(this, props, endpoints);
    const attachTo = attachTargetOf(props);
    this.attached = attachTo !== undefined;
    this.isServer = endpoints !== undefined;
    // With TLS: the role the library creates on request, and each TLS role's use of its key.
    this.givenEndpoints = endpoints === undefined || attachTo?.endpointsFromService ? undefined : setUpTls(this, endpoints);
    this.props = props;
    this.wiring = AppWiring.of(this);

    // Step 1: the ECS service, attached to or built.
    if (attachTo) {
      this.service = attachTo.service;
      this.taskDefinition = attachTo.service.taskDefinition;
      this.managedTask = false;
    } else {
      refuseUnknownProps(this, props);
      const task = obtainTaskDefinition(this, props, {
        headroom: () => proxyHeadroom(props.expectedPeakRequestsPerSecond, namespaceIsLarge(this.namespace)),
      });
      this.taskDefinition = task.taskDefinition;
      this.managedTask = task.managed;
      this.service = buildService(this, props, this.taskDefinition);
    }
    this.cfnService = this.service.node.defaultChild as ecs.CfnService;
    const owner = this.wiring.ownerOf(this.cfnService);
    if (owner) {
      throw propError(this, 'the ECS service already has Service Connect from the library', `attached by ${owner.node.path}`,
        'attach each ECS service once; use the construct that attached it');
    }
    this.previous = serviceConnectProperty(this.service);
    this.namespace = this.findNamespace(props.namespace);

    // Step 2: the Service Connect configuration, rendered at synth from the finished app.
    this.rendered = Lazy.any({ produce: () => this.renderedConfiguration() });
    this.cfnService.serviceConnectConfiguration = this.rendered;
    // A configuration of the service's own that already logs keeps its logs, unless proxyLogs asks otherwise.
    // An attached task definition without an execution role gets none by default: adding one would
    // replace the task definition, and attaching replaces nothing.
    const canLog = !this.attached || this.taskDefinition.executionRole !== undefined;
    const wantsLogs = props.proxyLogs !== undefined || (!this.existingConfiguration()?.logs && canLog);
    const streamPrefix: unknown = props.proxyLogs?.streamPrefix;
    if (streamPrefix !== undefined && (typeof streamPrefix !== 'string' || streamPrefix.length === 0)) {
      throw propError(this, 'the proxy logs need a stream prefix: the awslogs driver refuses an empty one', `streamPrefix ${JSON.stringify(streamPrefix)}`,
        'set `proxyLogs.streamPrefix` to a name such as `service-connect`, or leave it out for that default');
    }
    this.proxyLogs = wantsLogs ? setUpProxyLogs(this.resourceScope(), this.taskDefinition, props.proxyLogs) : undefined;
    this.proxyLogGroup = this.proxyLogs?.logGroup;
    if (props.accessLogs) {
      addAccessLogs(this, this.cfnService, props.accessLogs);
    }

    // Step 3: the namespace, the call graph, the rules and the metrics.
    this.namespace.registerService(this);
    this.wiring.addService({
      service: this,
      resource: this.cfnService,
      declaredEdges: () => [...this.calls],
      listenPorts: () => this.listenPortsOf(),
      prerequisites: () => [this.service.cluster, this.namespace.cloudMapNamespace, this.taskDefinition],
      memberFacts: () => this.memberFacts(),
      maxTaskCount: () => this.maxTaskCount,
      settle: () => {
        this.settleConfiguration();
        this.settleRedeploy();
        this.settleOrder();
        // Callers from outside the namespace get their rules from the finished app, like the services' callers.
        renderOutsideCallers(this, this.endpoints);
        this.settled = true;
      },
      callerNames: () => this.callerNames(),
      wired: () => this.wired(),
    });
    this.node.addValidation({ validate: () => evaluate(this, SERVICE_RULES, this.facts()) });
    const service = this.service;
    this._metrics = new ServiceConnectMetricFactory({
      scope: this,
      // Read when a metric is made: most services never make one, and the name is a token aws-cdk-lib builds on each read.
      get clusterName() { return service.cluster.clusterName; },
      get serviceName() { return service.serviceName; },
      endpoints: () => this.endpoints,
      callers: () => (this.isServer ? this.wiring.callersOf(this as unknown as IServiceConnectServer) : []),
      inNamespace: (target) => this.wiring.sameNamespace(this.namespace, target.namespace),
    });
    this.node.addValidation({ validate: () => this._metrics.validate() });
    for (const server of props.connectsTo ?? []) {
      this.connectTo(server);
    }
  }

  /**
   * Where the resources the ECS service's configuration refers to are created: this construct, or, when
   * `attach` was called from another stack than the ECS service's, the ECS service itself. The service
   * then refers to nothing in the attaching stack, which may refer to the service (metrics, alarms)
   * without a dependency cycle.
   */
  private resourceScope(): Construct {
    return Stack.of(this) === Stack.of(this.service) ? this : this.service;
  }

  /** Security groups of the tasks. */
  public get connections(): ec2.Connections {
    return this.service.connections;
  }

  /** The endpoints this service exposes, with defaults applied. Empty for a client. */
  public get endpoints(): ResolvedEndpoint[] {
    return this.endpointFacts().map((ep) => ep.resolved);
  }

  /** The servers this service calls, as declared. */
  public get connectsTo(): IServiceConnectServer[] {
    return this.calls.map((edge) => edge.server);
  }

  /**
   * Average time, in milliseconds, the target takes to answer (`TargetResponseTime`).
   * See `ServiceConnectTargetMetricOptions` for whose responses are measured.
   */
  public metricTargetResponseTime(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.TARGET_RESPONSE_TIME, options);
  }

  /** Bytes exchanged with the target, as the calling proxies count them (`TargetProcessedBytes`). */
  public metricTargetProcessedBytes(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.TARGET_PROCESSED_BYTES, options);
  }

  /** Responses with an HTTP 2xx status class from the target (`HTTPCode_Target_2XX_Count`). */
  public metricHttpCodeTarget2xxCount(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.HTTP_CODE_TARGET_2XX_COUNT, options);
  }

  /** Responses with an HTTP 3xx status class from the target (`HTTPCode_Target_3XX_Count`). */
  public metricHttpCodeTarget3xxCount(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.HTTP_CODE_TARGET_3XX_COUNT, options);
  }

  /** Responses with an HTTP 4xx status class from the target (`HTTPCode_Target_4XX_Count`). */
  public metricHttpCodeTarget4xxCount(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.HTTP_CODE_TARGET_4XX_COUNT, options);
  }

  /** Responses with an HTTP 5xx status class from the target (`HTTPCode_Target_5XX_Count`). */
  public metricHttpCodeTarget5xxCount(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.HTTP_CODE_TARGET_5XX_COUNT, options);
  }

  /** Requests per target task (`RequestCountPerTarget`). */
  public metricRequestCountPerTarget(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.REQUEST_COUNT_PER_TARGET, options);
  }

  /** TLS handshakes with the target that failed (`TargetTLSNegotiationErrorCount`). */
  public metricTargetTlsNegotiationErrorCount(options: ServiceConnectTargetMetricOptions = {}): cloudwatch.IMetric {
    return this._metrics.target(MetricName.TARGET_TLS_NEGOTIATION_ERROR_COUNT, options);
  }

  /**
   * Declares that this service calls `server`: this service's ECS service is created and updated after
   * the server's (unless `ordered` is false), and the server's security groups let this service in on
   * the server's proxy listen ports. Same as listing the server in `connectsTo`. The wiring is computed
   * from the finished app at synth, so the order of calls does not matter.
   */
  public connectTo(server: IServiceConnectServer, options: ConnectOptions = {}): void {
    // A server of this library is one without asking for its ports, which resolves its endpoints.
    const isServer = server instanceof ServiceConnectServiceBase ? server.isServer : Array.isArray(server?.listenPorts);
    if (!server || typeof server !== 'object' || !server.node || !isServer) {
      throw propError(this, 'connectTo needs a server: a ClientServerService, or one from ClientServerService.fromAttributes',
        describeGiven(server), 'pass a server; a ClientService exposes no endpoint and cannot be called');
    }
    if (this.wiring.planned) {
      throw propError(this, 'connectTo was called after the library wired the app (in an Aspect, a validation, or after a synth): the call would get no ordering and no security-group rule',
        `connectTo(${server.node.path})`, 'declare the call while building the app: in `connectsTo`, or `connectTo` before `app.synth()`', 'ConnectAfterWiring');
    }
    this.calls.push({ server, ordered: options.ordered ?? true });
  }

  /**
   * The dimension values this service's calls carry in target metrics: its cluster and service names,
   * literal when the app names them (no export needed from another stack).
   */
  private callerNames(): CallerNames {
    const cluster = this.service.cluster;
    const cfnCluster = cluster.node.defaultChild;
    return {
      path: this.node.path,
      clusterName: {
        value: cluster.clusterName,
        literal: literalName(cfnCluster instanceof ecs.CfnCluster ? cfnCluster.clusterName : undefined),
        owner: cluster,
      },
      serviceName: { value: this.service.serviceName, literal: literalName(this.cfnService.serviceName), owner: this.service },
    };
  }

  /** Called once the call graph is final, after the wiring rendered it: subclasses make their per-caller resources here. */
  protected wired(): void {
    // A client has nothing per caller.
  }

  /** The server's distinct known proxy listen ports; empty for a client. */
  protected listenPortsOf(): number[] {
    // A token is a port too (a parameter, say): the rule is rendered with it. An invalid port gets no rule (rule EndpointPort).
    const ports = this.endpoints.map((ep) => ep.listenPort).filter((port): port is number => port !== undefined && isPortOrToken(port));
    return [...new Set(ports)];
  }

  /**
   * The namespace given, else the one the service's own configuration names (as ECS reads it: never the
   * cluster's default instead), else the cluster's default.
   */
  private findNamespace(given: IServiceConnectNamespace | undefined): IServiceConnectNamespace {
    if (given) {
      return given;
    }
    const clusterDefault = ServiceConnectNamespace.ofCluster(this.service.cluster);
    const named = this.existingConfiguration()?.namespace;
    if (named !== undefined && named !== null && named !== '') {
      // The cluster's default first: a name alone can be ambiguous, two namespaces may share one.
      return namespaceNamedBy(this, this.previous, named, [...(clusterDefault ? [clusterDefault] : []), ...this.wiring.knownNamespaces()]);
    }
    if (!clusterDefault) {
      throw propError(this, 'no Service Connect namespace: neither `namespace`, the service\'s own configuration nor its cluster names one',
        `cluster ${this.service.cluster.node.path} has no default namespace and \`namespace\` is not set`,
        'pass `namespace`, or call `namespace.makeDefaultFor(cluster)` before creating the service', 'NamespaceRequired');
    }
    return clusterDefault;
  }

  /**
   * Takes over a configuration someone assigned to the L1 property after the library installed its own,
   * so that it is read and kept, never lost; then adds, as overrides, what goes into whichever
   * configuration is rendered: test-traffic rules, or proxy logs for one of the service's own. Runs
   * before the app is rendered.
   */
  private settleConfiguration(): void {
    const current = this.cfnService.serviceConnectConfiguration;
    if (current !== this.rendered) {
      this.previous = current;
      this.cfnService.serviceConnectConfiguration = this.rendered;
    }
    const existing = this.existingConfiguration();
    if (this.givenEndpoints && !existing) {
      addTestTrafficRules(this.cfnService, this.givenEndpoints);
    }
    // A configuration of the service's own without logs gets the library's proxy logs (with logs, it is a conflict).
    if (existing && !existing.logs && this.proxyLogs) {
      addLogConfiguration(this.cfnService, renderProxyLogs(this.resourceScope(), this.proxyLogs));
    }
  }

  /**
   * Orders the ECS service after its namespace and, for deletion, before its TLS resources, with a
   * DependsOn only where the service's configuration does not refer to them already (a redundant
   * DependsOn is a cfn-lint warning, W3005). Runs once the configuration is settled.
   */
  private settleOrder(): void {
    // Only the namespace can be referred to, unless an endpoint has TLS (its role, key and authority): resolving
    // the namespace alone spares a resolution of the whole configuration per service.
    const config = this.renderedConfiguration();
    const tls = (this.givenEndpoints ?? []).some((ep) => ep.tls !== undefined);
    const namespaceOnly = !tls && typeof config === 'object' && config !== null && !Token.isUnresolved(config) && 'namespace' in config;
    const value = namespaceOnly ? (config as { namespace: unknown }).namespace : config;
    // The ECS API rejects a Service Connect configuration whose namespace does not exist yet. The
    // configuration usually refers to the namespace's ARN, which orders the two; one that names it by a
    // literal (its own configuration, say) needs the DependsOn (across stacks, a stack dependency).
    const namespaceResources = this.namespace.cloudMapNamespace.node.findAll();
    const direct = namespaceOnly ? soleReferenceTarget(value) : undefined;
    if (direct !== undefined && namespaceResources.includes(direct)) {
      // The usual case, told without resolving: the namespace is one reference to the namespace's resource.
      // Without TLS there is no deletion to order, so nothing else depends on what the value refers to.
      return;
    }
    const implied = new Set<IConstruct>(referencedElements(this.cfnService, value));
    orderTlsDeletion(this.cfnService, this.givenEndpoints ?? [], implied);
    if (!namespaceResources.some((resource) => implied.has(resource))) {
      this.cfnService.node.addDependency(this.namespace.cloudMapNamespace);
    }
  }

  /**
   * Renders the `ForceNewDeployment` whose nonce follows the endpoints the service calls, unless the
   * service opted out or has one of its own (kept; the rule RedeployOnEndpointChange warns).
   */
  private settleRedeploy(): void {
    if (this.props.redeployOnEndpointChange === false) {
      return;
    }
    this.ownForceNewDeployment = hasOwnForceNewDeployment(this.cfnService);
    if (!this.ownForceNewDeployment) {
      addEndpointRedeploy(this.cfnService, Lazy.any({ produce: () => this.endpointNonce().nonce }));
    }
  }

  /** The nonce of the endpoints this service calls, from the planned edges (refused edges fail the rules). */
  private endpointNonce(): EndpointNonce {
    return this.nonceKept.value;
  }

  private computeEndpointNonce(): EndpointNonce {
    const called = this.wiring.edgesFrom(this).filter((edge) => edge.status === EdgeStatus.OK)
      .flatMap((edge) => edge.server.endpoints.map((ep) => ({
        namespace: edge.server.namespace.namespaceName, discoveryName: ep.discoveryName, dnsName: ep.dnsName, port: ep.port,
      })));
    return endpointNonce(this, called);
  }

  /** The configuration the service has of its own (the L2's props or `enableServiceConnect`), if any. */
  private existingConfiguration(): ExistingConfiguration | undefined {
    return readExistingConfiguration(this, this.previous);
  }

  /** Every endpoint, as declared (or read from the service's own configuration) and resolved. */
  private endpointFacts(): EndpointFacts[] {
    return this.endpointFactsKept.value;
  }

  /** The endpoints as they are now: read again each time until the service is settled. */
  private declaredEndpointFacts(): EndpointFacts[] {
    // The service's own configuration is read only when it is where the endpoints come from.
    const existing = this.givenEndpoints === undefined && this.isServer ? this.existingConfiguration() : undefined;
    return this.resolveAll(this.givenEndpoints ?? (existing ? this.ownEndpoints(existing) : []));
  }

  /**
   * The endpoints of the service's own configuration, as ECS names them: a client alias without a DNS
   * name is `discoveryName.<namespace name>` (ECS API, ServiceConnectClientAlias.dnsName).
   */
  private ownEndpoints(existing: ExistingConfiguration): ServiceConnectEndpoint[] {
    return existing.endpoints.map((ep) => (ep.dnsName !== undefined ? ep
      : { ...ep, dnsName: `${ep.discoveryName ?? ep.portMappingName}.${this.namespace.namespaceName}` }));
  }

  private resolveAll(declared: ServiceConnectEndpoint[]): EndpointFacts[] {
    return declared.map((ep) => {
      const portMapping = Token.isUnresolved(ep.portMappingName) ? undefined : this.taskDefinition.findPortMappingByName(ep.portMappingName);
      return { declared: ep, portMapping, resolved: resolveEndpoint(ep, portMapping, this.taskDefinition.networkMode) };
    });
  }

  /** Most tasks the service runs at once: the desired count at the deployment's maximum percent. */
  private get maxTaskCount(): number {
    const resource = this.cfnService;
    const desired = this.attached ? resource.desiredCount : this.props.desiredCount;
    // An unknown count (a token, a daemon) counts as one here, and `uncountedTasks` says so.
    const count = desired === undefined || Token.isUnresolved(desired) ? 1 : desired;
    const maxPercent = this.attached ? Stack.of(this).resolve(resource.deploymentConfiguration)?.maximumPercent : this.props.maxHealthyPercent;
    const percent = typeof maxPercent !== 'number' || Token.isUnresolved(maxPercent) ? 200 : maxPercent;
    return Math.ceil(count * percent / 100);
  }

  /** Why the library cannot count the service's tasks at synth; undefined when it can. */
  private get uncountedTasks(): string | undefined {
    const resource = this.cfnService;
    const desired = this.attached ? resource.desiredCount : this.props.desiredCount;
    if (desired !== undefined && Token.isUnresolved(desired)) {
      return 'desiredCount is a token';
    }
    const strategy = Stack.of(this).resolve(resource.schedulingStrategy);
    return strategy === 'DAEMON' ? 'a daemon service runs a task on every instance' : undefined;
  }

  /** The task definition as the rules see it. */
  private taskFacts(): TaskFacts {
    return this.taskFactsKept.value;
  }

  private memberFacts(): MemberFacts {
    const task = this.taskFacts();
    return {
      path: this.node.path,
      endpoints: this.endpoints,
      taskDefinitionPath: this.taskDefinition.node.path,
      proxyMemoryHeadroomMiB: task.memoryMiB !== undefined && !task.containerValuesUnresolved ? task.memoryMiB - task.containerMemoryMiB : undefined,
      maxTaskCount: this.maxTaskCount,
      uncountedTasks: this.uncountedTasks,
    };
  }

  private facts(): ServiceFacts {
    const stack = Stack.of(this);
    const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
    const location = namespaceLocation(this.namespace);
    const resource = this.cfnService;
    // One resolution for the three properties read: each resolution has a fixed cost, paid per service.
    const { deployment, platformVersion, controller } = stack.resolve({
      deployment: resource.deploymentConfiguration,
      platformVersion: resource.platformVersion,
      controller: resource.deploymentController,
    }) ?? {};
    const launchType = this.attached ? this.attachedLaunchType() : launchTypeOf(this.props, this.taskDefinition);
    const edges = this.wiring.edgesFrom(this);
    const existing = this.existingConfiguration();
    const endpoints = this.endpointFacts().map((ep) => (ep.declared.tls ? { ...ep, tls: tlsFacts(this, ep.declared.tls) } : ep));
    const task = this.taskFacts();
    return {
      path: this.node.path,
      isServer: this.isServer,
      namespaceName: this.namespace.namespaceName,
      serviceName: literalName(this.cfnService.serviceName),
      launchType,
      task,
      platformVersion: typeof platformVersion === 'string' ? platformVersion : undefined,
      deploymentControllerType: controller?.type,
      circuitBreakerEnabled: deployment?.deploymentCircuitBreaker?.enable === true,
      expectedPeakRequestsPerSecond: this.props.expectedPeakRequestsPerSecond,
      largeNamespace: namespaceIsLarge(this.namespace),
      region: known(stack.region),
      account: known(stack.account),
      namespaceRegion: location.region,
      namespaceAccount: location.account,
      capacity: launchType === ecs.LaunchType.EC2 ? capacityFacts(this.service.cluster) : [],
      managedInstancesProviders: managedInstancesProviders(resource, () => this.wiring.capacityProviders()),
      servers: edges.filter((edge) => edge.status === EdgeStatus.OK).map((edge) => ({
        path: edge.server.node.path,
        sameVpc: edge.server instanceof ServiceConnectServiceBase ? edge.server.service.cluster.vpc === this.service.cluster.vpc : undefined,
        otherAccount: otherAccount(this, edge.server),
      })),
      endpoints,
      portMappingNames: containersOf(this.taskDefinition)
        .flatMap((container) => container.portMappings.map((pm) => pm.name))
        .filter((name): name is string => name !== undefined),
      refusedEdges: edges.filter((edge) => edge.status !== EdgeStatus.OK).map((edge) => ({
        serverPath: edge.server.node.path,
        serverNamespace: edge.server.namespace.namespaceName,
        cycle: edge.cycle,
        stackCycle: edge.stackCycle,
        crossNamespace: edge.status === EdgeStatus.CROSS_NAMESPACE,
      })),
      sharedGroups: edges.flatMap((edge) => edge.sharedGroups.map((groupPath) => ({ serverPath: edge.server.node.path, groupPath }))),
      instanceGroupCalls: task.networkMode === 'bridge' || task.networkMode === 'host'
        ? edges.filter((edge) => edge.status === EdgeStatus.OK && edge.ports.length > 0)
          .flatMap((edge) => this.connections.securityGroups
            .filter((group) => !edge.sharedGroups.includes(group.node.path))
            .map((group) => ({ serverPath: edge.server.node.path, groupPath: group.node.path })))
        : undefined,
      configurationConflicts: existing ? conflictsWith(this, existing, {
        namespace: this.namespace,
        // A client exposes nothing: endpoints in its own configuration are a conflict too.
        endpoints: this.givenEndpoints ? this.resolveAll(this.givenEndpoints).map((ep) => ep.resolved) : this.isServer ? undefined : [],
        existingEndpoints: this.resolveAll(this.ownEndpoints(existing)).map((ep) => ep.resolved),
        logs: this.proxyLogs !== undefined,
        accessLogs: this.props.accessLogs !== undefined,
        declaredEndpoints: this.givenEndpoints,
      }) : [],
      ownConfiguration: existing !== undefined,
      hasCallers: this.isServer && task.networkMode === 'bridge'
        ? outsideCallersOf(this).length > 0
          || this.wiring.edges().some((edge) => edge.server === (this as IServiceConnectService) && edge.status === EdgeStatus.OK) : undefined,
      accessLogs: this.props.accessLogs || existing?.accessLogs
        ? { enabled: true, proxyLogs: this.proxyLogs !== undefined || existing?.logs === true } : undefined,
      deployment: deploymentFacts(this.cfnService, this.attached ? undefined : this.props),
      redeploy: this.props.redeployOnEndpointChange === false ? undefined : {
        ownForceNewDeployment: this.ownForceNewDeployment,
        untracked: this.ownForceNewDeployment ? [] : this.endpointNonce().untracked,
      },
      outside: outsideFacts(this, this.endpoints, this.namespace),
    };
  }

  /** The launch type of a service the library did not build, from its resource and task definition. */
  private attachedLaunchType(): string {
    const launchType = Stack.of(this).resolve(this.cfnService.launchType);
    if (typeof launchType === 'string') {
      return launchType;
    }
    return this.service instanceof ecs.Ec2Service ? ecs.LaunchType.EC2
      : this.service instanceof ecs.FargateService ? ecs.LaunchType.FARGATE
        : this.taskDefinition.isFargateCompatible ? ecs.LaunchType.FARGATE : ecs.LaunchType.EC2;
  }

  /** The configuration the library renders, produced once (what the `rendered` Lazy caches). */
  private renderedConfiguration(): unknown {
    return this.renderedKept.value;
  }

  private renderConfiguration(): unknown {
    if (this.existingConfiguration()) {
      // Never overwritten: the service keeps its own configuration, which the rules have compared.
      return this.previous;
    }
    const endpoints: RenderedEndpoint[] | undefined = this.isServer ? this.endpointFacts() : undefined;
    return renderServiceConnect(this.namespace.namespaceArn, endpoints, this.proxyLogs && renderProxyLogs(this.resourceScope(), this.proxyLogs));
  }
}
