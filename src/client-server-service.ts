import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as apigwv2Integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { attachRequest } from './core/attach';
import { createdTlsRole } from './core/tls';
import { ResolvedEndpoint, ServiceConnectEndpoint } from './endpoint';
import { describeGiven, describeName, propError, wrongType } from './errors';
import { alarmProblems } from './monitoring/alarm-checks';
import { alarmQueries, deferRendering, noCallerError } from './monitoring/caller-metrics';
import { DEFAULT_PERIOD, MetricName } from './monitoring/metrics';
import { ServiceConnectAlarmOptions } from './monitoring/options';
import { ServiceConnectMetricFactory } from './monitoring/server-metrics';
import { addLookup, addOutsideCaller, callerLabel } from './outside/access';
import { CloudMapServiceLookup, lookupId } from './outside/cloud-map-lookup';
import { OutsideCallerOptions, ServiceConnectHttpApiIntegrationOptions } from './outside/options';
import { SERVICE_RULES } from './rules/catalog';
import { isPortOrToken } from './rules/endpoint-rules';
import { evaluate } from './rules/engine';
import type { ServiceFacts } from './rules/facts';
import { ServiceConnectServiceBase } from './service-base';
import { ServiceConnectAttachOptions, ServiceConnectServiceProps } from './service-props';
import { AppWiring } from './topology/wiring';
import {
  IServiceConnectNamespace, IServiceConnectServer, ServiceConnectMetricOptions, ServiceConnectTargetMetricOptions,
} from './types';

/** The HTTP status classes, the 5xx first: together, every response with a status. */
const STATUS_CLASSES = [
  MetricName.HTTP_CODE_TARGET_5XX_COUNT, MetricName.HTTP_CODE_TARGET_2XX_COUNT,
  MetricName.HTTP_CODE_TARGET_3XX_COUNT, MetricName.HTTP_CODE_TARGET_4XX_COUNT,
];
/** The ids of the status classes' metrics in a caller's 5xx-rate alarm: `e`, the 5xx, first. */
const STATUS_IDS = ['e', 'o2', 'o3', 'o4'];
/** Every response of the caller: the sum of its status classes, a class with no datapoint counted as none. */
const ALL_RESPONSES = STATUS_IDS.map((id) => `FILL(${id}, 0)`).join(' + ');

/** CloudWatch's limit on metrics in an alarm on metric math (a hard limit). */
const MAX_ALARM_METRICS = 10;

/** CloudWatch's limit on the alarms a composite alarm's rule names (PutCompositeAlarm). */
const MAX_COMPOSITE_CHILDREN = 100;

/**
 * Properties of a `ClientServerService`.
 */
export interface ClientServerServiceProps extends ServiceConnectServiceProps {
  /**
   * The Service Connect endpoints the service exposes, one per entry of the ECS
   * ServiceConnectConfiguration `Services` list.
   */
  readonly endpoints: ServiceConnectEndpoint[];

  /**
   * Alarms on the service's Service Connect traffic. Nothing is created unless a threshold is set.
   *
   * @default - no alarms
   */
  readonly alarms?: ServiceConnectAlarmOptions;
}

/**
 * Attaching a client-server configuration to an ECS service the app already has.
 */
export interface ClientServerServiceAttachOptions extends ServiceConnectAttachOptions {
  /**
   * The Service Connect endpoints the service exposes.
   *
   * @default - the endpoints of the service's own Service Connect configuration (one is required then)
   */
  readonly endpoints?: ServiceConnectEndpoint[];

  /**
   * Alarms on the service's Service Connect traffic. Nothing is created unless a threshold is set.
   *
   * @default - no alarms
   */
  readonly alarms?: ServiceConnectAlarmOptions;
}

/**
 * A server defined outside this app, for `connectsTo`.
 */
export interface ClientServerServiceAttributes {
  /** The namespace the server joined. */
  readonly namespace: IServiceConnectNamespace;

  /**
   * Security groups of the server's tasks. Clients are allowed in on these.
   *
   * @default - none: no security-group rule is created
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The server's endpoints. `listenPort` is the port clients are allowed in on.
   */
  readonly endpoints: ResolvedEndpoint[];

  /**
   * Name of the server's cluster, for the inbound metrics' `ClusterName` dimension.
   *
   * @default - no inbound metrics: by `DiscoveryName` alone they would add up every namespace of the account (MetricNeedsServiceNames)
   */
  readonly clusterName?: string;

  /**
   * Name of the server's ECS service, for the inbound metrics' `ServiceName` dimension.
   *
   * @default - no inbound metrics: by `DiscoveryName` alone they would add up every namespace of the account (MetricNeedsServiceNames)
   */
  readonly serviceName?: string;
}

/**
 * An ECS service that exposes Service Connect endpoints and may itself call other servers.
 *
 * @example
 * const db = new ClientServerService(this, 'Db', {
 *   cluster,
 *   namespace,
 *   taskDefinition,
 *   endpoints: [{ portMappingName: 'pg', dnsName: 'db', port: 5432 }],
 * });
 */
export class ClientServerService extends ServiceConnectServiceBase implements IServiceConnectServer {
  /**
   * A server defined outside this app (another CDK app or a stack set), so clients here can connect
   * to it. Edges to it get security-group rules but no ordering: there is nothing to wait for.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: ClientServerServiceAttributes): IServiceConnectServer {
    return new ImportedServer(scope, id, attrs);
  }

  /**
   * Attaches a client-server Service Connect configuration to an ECS service the app already has: an
   * `ecs.FargateService` or `ecs.Ec2Service` written by hand, or the `service` of an aws-ecs-patterns
   * construct. The service keeps its construct id and logical id; the template only gains what the
   * library adds (the Service Connect configuration, the proxy log group, security-group rules,
   * ordering). A configuration the service already has is kept and read, or refused when it conflicts
   * (rule ServiceConnectConfigurationConflict).
   *
   * @example
   * const orders = ClientServerService.attach(this, 'OrdersServiceConnect', {
   *   service: ordersService,
   *   namespace,
   *   endpoints: [{ portMappingName: 'http', dnsName: 'orders', port: 80 }],
   * });
   */
  public static attach(scope: Construct, id: string, options: ClientServerServiceAttachOptions): ClientServerService {
    const endpointsFromService = options?.endpoints === undefined;
    return new ClientServerService(scope, id, {
      ...attachRequest(scope, id, options, endpointsFromService),
      endpoints: options.endpoints ?? [],
      alarms: options.alarms,
    });
  }

  /**
   * Alarm on the share of requests answered with HTTP 5xx, when `alarms.http5xxRatePercent` is set: a
   * composite alarm over one rate alarm per caller (construct ids `From<caller path>`), made at synth
   * from the finished call graph. Add actions to it with `addAlarmAction`.
   */
  public readonly http5xxRateAlarm?: cloudwatch.CompositeAlarm;

  /**
   * Alarm on the target response time, when `alarms.targetResponseTime` is set.
   */
  public readonly targetResponseTimeAlarm?: cloudwatch.Alarm;

  private readonly libraryAlarms: cloudwatch.Alarm[] = [];
  /** The 5xx-rate alarm of each caller, made when the call graph is final. */
  private readonly http5xxRateCallerAlarms: cloudwatch.Alarm[] = [];
  private http5xxRateOptions?: cloudwatch.CreateAlarmOptions & { readonly discoveryName?: string; readonly period: Duration };
  private readonly alarmOptions: ServiceConnectAlarmOptions;

  constructor(scope: Construct, id: string, props: ClientServerServiceProps) {
    super(scope, id, props, props?.endpoints ?? []);
    this.node.addValidation({ validate: () => this.validateAlarms() });
    const alarms = props.alarms ?? {};
    this.alarmOptions = alarms;
    const period = alarms.period ?? DEFAULT_PERIOD;
    const evaluation = {
      evaluationPeriods: alarms.evaluationPeriods ?? 5,
      datapointsToAlarm: alarms.datapointsToAlarm ?? 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const discoveryName = alarms.discoveryName ?? this.endpoints[0]?.discoveryName;
    if (alarms.http5xxRatePercent !== undefined) {
      // One rate alarm per caller, made once the call graph is final (`wired`), under a composite alarm
      // that goes off when any of them does: a rate needs four metrics per caller, and CloudWatch allows
      // ten in an alarm on metric math, but a hundred alarms in a composite alarm's rule.
      const children = this.http5xxRateCallerAlarms;
      this.http5xxRateAlarm = new cloudwatch.CompositeAlarm(this, 'Http5xxRateAlarm', {
        alarmRule: {
          renderAlarmRule: () => Lazy.string({ produce: () => children.map((child) => `ALARM("${child.alarmArn}")`).join(' OR ') }),
        },
        alarmDescription: `Service Connect: HTTP 5xx responses of ${this.node.path} reached ${alarms.http5xxRatePercent}% of the responses `
          + 'one of its callers received',
      });
      this.http5xxRateOptions = { ...evaluation, threshold: alarms.http5xxRatePercent, discoveryName, period };
    }
    if (alarms.targetResponseTime !== undefined) {
      const statistic = alarms.latencyStatistic ?? cloudwatch.Stats.p(99);
      const threshold = alarms.targetResponseTime.toMilliseconds();
      this.targetResponseTimeAlarm = this.alarmRenderedAtSynth('TargetResponseTimeAlarm',
        () => this.callerSumFor([MetricName.TARGET_RESPONSE_TIME], discoveryName, period, statistic), {
          ...evaluation,
          threshold,
          alarmDescription: `Service Connect: ${statistic} response time of ${this.node.path}, as its slowest caller sees it, reached ${threshold} ms`,
        });
    }
  }

  /** Requests the service's proxies received (`RequestCount`; needs an HTTP, HTTP/2 or gRPC port mapping). */
  public metricRequestCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.REQUEST_COUNT, options);
  }

  /** gRPC requests the service's proxies received (`GrpcRequestCount`; needs a gRPC port mapping). */
  public metricGrpcRequestCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.GRPC_REQUEST_COUNT, options);
  }

  /** Connections open to the service's proxies (`ActiveConnectionCount`). */
  public metricActiveConnectionCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.ACTIVE_CONNECTION_COUNT, options);
  }

  /** Connections opened to the service's proxies (`NewConnectionCount`). */
  public metricNewConnectionCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.NEW_CONNECTION_COUNT, options);
  }

  /** Bytes the service's proxies processed (`ProcessedBytes`). */
  public metricProcessedBytes(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.PROCESSED_BYTES, options);
  }

  /** TLS handshakes from clients that failed (`ClientTLSNegotiationErrorCount`). */
  public metricClientTlsNegotiationErrorCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this._metrics.inbound(MetricName.CLIENT_TLS_NEGOTIATION_ERROR_COUNT, options);
  }

  /** The 5xx-rate alarm of each caller, under the composite alarm: the callers are final now. */
  protected wired(): void {
    const composite = this.http5xxRateAlarm;
    const options = this.http5xxRateOptions;
    if (!composite || !options) {
      return;
    }
    const { discoveryName, period, ...alarmOptions } = options;
    if (discoveryName === undefined) {
      return; // AlarmCannotFire or EndpointRequired says why
    }
    const callers = this._metrics.callers();
    if (callers.length > MAX_COMPOSITE_CHILDREN) {
      return; // AlarmMetricLimit says why
    }
    const ids = new Set<string>();
    for (const caller of callers) {
      const of = (metricNames: string[]) => this._metrics.ofCaller(caller, metricNames, discoveryName, { period });
      const stackPath = Stack.of(this).node.path;
      const path = caller.path.startsWith(`${stackPath}/`) ? caller.path.slice(stackPath.length + 1) : caller.path;
      const base = `From${path.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 200);
      const id = ids.has(base) ? `${base}${ids.size}` : base;
      ids.add(id);
      this.http5xxRateCallerAlarms.push(new cloudwatch.Alarm(composite, id, {
        ...alarmOptions,
        metric: new cloudwatch.MathExpression({
          // The 5xx over every status class of the caller's responses, a class with no datapoint counted as
          // none: one expression over four metrics, of the ten CloudWatch allows in an alarm on metric math.
          expression: `IF(${ALL_RESPONSES} > 0, 100 * FILL(e, 0) / (${ALL_RESPONSES}), 0)`,
          usingMetrics: Object.fromEntries(of(STATUS_CLASSES).metricsOf(caller).map((metric, i) => [STATUS_IDS[i], metric])),
          label: `HTTP 5xx rate (%) as ${caller.path} sees it`,
          period,
        }),
        alarmDescription: `Service Connect: HTTP 5xx responses of ${this.node.path} reached ${alarmOptions.threshold}% of the responses ${caller.path} received`
          .slice(0, 1024),
      }));
    }
  }

  /** A caller sum of this server's endpoint for its alarms. */
  private callerSumFor(metricNames: string[], discoveryName: string | undefined, period: Duration, statistic?: string) {
    if (discoveryName === undefined) {
      throw propError(this, 'the alarms need an endpoint to watch', 'no endpoint', 'add an endpoint (see rule EndpointRequired)');
    }
    return this._metrics.callerSum(metricNames, discoveryName, { period, statistic });
  }

  /**
   * An alarm whose metric is rendered at synth, from the finished call graph: callers declared after
   * the server count too. The alarm keeps its construct id; until synth it holds a placeholder.
   */
  private alarmRenderedAtSynth(id: string, metric: () => cloudwatch.IMetric, props: cloudwatch.CreateAlarmOptions): cloudwatch.Alarm {
    const alarm = deferRendering(() => new cloudwatch.Alarm(this, id, { ...props, metric: metric() }));
    const resource = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    resource.metrics = Lazy.any({
      produce: () => (this._metrics.callers().length > 0 ? alarmQueries(alarm.metric, 'alarm') : undefined),
    });
    this.libraryAlarms.push(alarm);
    return alarm;
  }

  /** The library's alarms cannot be rendered without callers, nor over CloudWatch's 10 metrics per alarm. */
  private validateAlarms(): string[] {
    const cannotFire = alarmProblems(this.node.path, this.alarmOptions, this.endpoints.map((ep) => {
      const mapping = Token.isUnresolved(ep.portMappingName) ? undefined : this.taskDefinition.findPortMappingByName(ep.portMappingName);
      const protocol = mapping?.appProtocol?.value;
      return { discoveryName: ep.discoveryName, appProtocol: protocol, appProtocolKnown: protocol === undefined || !Token.isUnresolved(protocol) };
    }));
    const composite = this.http5xxRateAlarm;
    if (cannotFire.length > 0 || (composite === undefined && this.libraryAlarms.length === 0)) {
      // Without an alarm of the library's there is nothing more to check: the callers are not looked up.
      return cannotFire;
    }
    const callers = this._metrics.callers();
    const compositeProblems = composite === undefined ? [] : callers.length === 0 ? [noCallerError(composite, 'the alarm').message]
      : callers.length > MAX_COMPOSITE_CHILDREN ? [propError(composite, 'the alarm has one rate alarm per caller, and CloudWatch allows '
        + `${MAX_COMPOSITE_CHILDREN} alarms in a composite alarm's rule`, `${callers.length} callers`,
      'alarm from the client side (`client.metricX({ target: server })`) for some callers, or split the callers over several servers',
      'AlarmMetricLimit').message] : [];
    return [...compositeProblems, ...this.libraryAlarms.flatMap((alarm) => {
      if (callers.length === 0) {
        return [noCallerError(alarm, 'the alarm').message];
      }
      const metrics = alarmQueries(alarm.metric, 'alarm').filter((q) => q.metricStat !== undefined).length;
      return metrics > MAX_ALARM_METRICS ? [propError(alarm, `the alarm sums over ${callers.length} callers, and CloudWatch allows `
        + `${MAX_ALARM_METRICS} metrics in an alarm on metric math`, `${metrics} metrics`,
      'alarm from the client side (`client.metricX({ target: server })`) for some callers, or combine several alarms in a composite alarm',
      'AlarmMetricLimit').message] : [];
    })];
  }

  /**
   * The Cloud Map service ECS creates for an endpoint, as an `IService` for API Gateway, Lambda and other
   * callers outside the namespace. CloudFormation returns neither its id nor its ARN, so a custom resource of
   * the library (`Custom::ServiceConnectCloudMapService`, construct id `CloudMapService-<discoveryName>`) looks
   * them up at deploy time, after the ECS service: it describes the one ECS service (ECS DescribeServices) and
   * takes the Cloud Map service its deployment names for the discovery name, trying again while ECS is still
   * creating it, and does nothing on delete. Its function (one per stack, construct id
   * `ServiceConnectCloudMapLookup`, with a log group kept a month) may describe the ECS services it looks at
   * (each by its ARN, in its cluster) and write its logs, nothing else: no statement on `*`. Calling this again
   * for the same endpoint returns the same service.
   *
   * @param discoveryName the endpoint's discovery name; when omitted, the server's first endpoint
   *
   * @example
   * const cloudMapService = api.cloudMapService('api');
   * new CfnOutput(this, 'ApiCloudMapServiceArn', { value: cloudMapService.serviceArn });
   */
  public cloudMapService(discoveryName?: string): servicediscovery.IService {
    const name = discoveryName ?? this.endpoints[0]?.discoveryName;
    if (name === undefined) {
      throw propError(this, 'the server has no endpoint whose Cloud Map service could be looked up', 'no endpoint',
        'add an endpoint (see rule EndpointRequired), or pass its discovery name', 'CloudMapServiceLookup');
    }
    const id = lookupId(this, name);
    addLookup(this, { discoveryName: name, integration: false });
    const known = this.node.tryFindChild(id);
    const lookup = known instanceof CloudMapServiceLookup ? known : new CloudMapServiceLookup(this, id, {
      namespace: this.namespace.cloudMapNamespace,
      discoveryName: name,
      ecsService: this.service,
      cluster: this.service.cluster,
    });
    return lookup.service;
  }

  /**
   * Lets a caller from outside the namespace in: a Lambda function in the VPC, an EC2 instance, a load
   * balancer, or an address range. The server's security groups admit the caller's security groups (or
   * range) on the proxy listen port of each endpoint it calls (the ingress port override, else the container
   * port), and nothing else; a caller whose groups restrict outbound traffic may reach that port. The rules
   * are rendered from the finished app, and the topology artifact shows the caller.
   *
   * Such a caller has no Service Connect proxy, so the endpoint's DNS name does not resolve for it: it finds
   * the tasks through the endpoint's Cloud Map service (`cloudMapService`, then DiscoverInstances), a DNS
   * registration beside Service Connect (`cloudMapOptions`), or a load balancer (see docs/recipes.md).
   *
   * @example
   * api.allowFrom(fn, { discoveryName: 'api' });
   */
  public allowFrom(caller: ec2.IConnectable, options: OutsideCallerOptions = {}): void {
    options = options ?? {};
    if (AppWiring.of(this).planned) {
      throw propError(this, 'allowFrom was called after the library wired the app (in an Aspect, a validation, or after a synth): the caller would get no security-group rule',
        `allowFrom(${describeGiven(caller)})`, 'declare the caller while building the app, before `app.synth()`', 'ConnectAfterWiring');
    }
    let connections: ec2.Connections | undefined;
    try {
      connections = caller?.connections;
    } catch (e) {
      // A Lambda function outside a VPC, for one, has no security group and cannot reach the tasks.
      throw propError(this, 'the caller has no security group to let in: it is not in the VPC', describeGiven(caller),
        'give the caller a VPC (a Lambda function\'s `vpc`), or let in an address range with `ec2.Peer.ipv4(...)`', 'OutsideCallerPort');
    }
    if (!(connections instanceof ec2.Connections)) {
      throw propError(this, 'allowFrom needs a caller with connections: a Lambda function in the VPC, an instance, a load balancer or an `ec2.Peer`',
        describeGiven(caller), 'pass an `ec2.IConnectable`', 'OutsideCallerPort');
    }
    const wrong = wrongType(options, ['port'], 'number') ?? wrongType(options, ['discoveryName', 'label'], 'string');
    if (wrong !== undefined) {
      throw propError(this, 'an option of the outside caller has the wrong type', wrong,
        'give `port` as a number, `discoveryName` and `label` as strings, or leave them out', 'OutsideCallerPort');
    }
    addOutsideCaller(this, {
      caller,
      label: callerLabel(caller, options.label),
      discoveryName: options.discoveryName,
      port: options.port,
      viaVpcLink: false,
    });
  }

  /**
   * An API Gateway HTTP API private integration with one endpoint, through a VPC link, built on the endpoint's
   * Cloud Map service (`cloudMapService`). API Gateway sends requests to the tasks' addresses and ports as ECS
   * registers them in that service, so the server's security groups admit the VPC link's security group on the
   * endpoint's proxy listen port, and nothing else. Without `vpcLink`, the library creates a VPC link in the
   * cluster's VPC with a security group of its own, which may reach that port only.
   *
   * @param id construct id of the integration (in the HTTP API), and the prefix of the VPC link's ids under the server
   *
   * @example
   * const httpApi = new apigwv2.HttpApi(this, 'HttpApi');
   * httpApi.addRoutes({ path: '/{proxy+}', integration: api.httpApiIntegration('Api') });
   */
  public httpApiIntegration(id: string, options: ServiceConnectHttpApiIntegrationOptions = {}): apigwv2Integrations.HttpServiceDiscoveryIntegration {
    options = options ?? {};
    if (typeof id !== 'string' || !/^[A-Za-z0-9]+$/.test(id)) {
      throw propError(this, 'the integration needs a construct id of letters and digits (it prefixes the VPC link\'s ids)', `id ${describeGiven(id)}`,
        'pass an id such as `\'Api\'`', 'CloudMapServiceLookup');
    }
    if (options.discoveryName !== undefined && typeof options.discoveryName !== 'string') {
      throw propError(this, 'the discovery name of the integration is not a string', `discoveryName ${describeGiven(options.discoveryName)}`,
        'name an endpoint of the server by its discovery name, or leave it out for the first endpoint', 'CloudMapServiceLookup');
    }
    const discoveryName = options.discoveryName ?? this.endpoints[0]?.discoveryName;
    if (options.vpcLink !== undefined && (!Array.isArray(options.vpcLinkSecurityGroups) || options.vpcLinkSecurityGroups.length === 0)) {
      throw propError(this, 'the server cannot let in a VPC link whose security groups it does not know', `vpcLink ${describeGiven(options.vpcLink)}, vpcLinkSecurityGroups ${describeGiven(options.vpcLinkSecurityGroups)}`,
        'pass the VPC link\'s security groups in `vpcLinkSecurityGroups`, or leave `vpcLink` out to let the library create one', 'OutsideCallerPort');
    }
    const service = this.cloudMapService(discoveryName);
    addLookup(this, { discoveryName: service.serviceName, integration: true });
    let vpcLink = options.vpcLink;
    let groups = options.vpcLinkSecurityGroups ?? [];
    if (!vpcLink) {
      const vpc = this.service.cluster.vpc;
      const group = new ec2.SecurityGroup(this, `${id}VpcLinkSecurityGroup`, {
        vpc,
        description: `API Gateway VPC link to ${this.node.path}`.slice(0, 255),
        // It only sends requests to the server: the library opens the one port it needs.
        allowAllOutbound: false,
      });
      groups = [group];
      // The VPC's default subnets (private, else isolated, else public), as the ECS service's tasks default to.
      const subnets = options.vpcLinkSubnets ?? { subnets: vpc.selectSubnets().subnets };
      vpcLink = new apigwv2.VpcLink(this, `${id}VpcLink`, { vpc, subnets, securityGroups: groups });
    }
    for (const group of groups) {
      addOutsideCaller(this, {
        caller: group,
        label: vpcLink.node.path,
        discoveryName: service.serviceName,
        viaVpcLink: true,
      });
    }
    return new apigwv2Integrations.HttpServiceDiscoveryIntegration(id, service, {
      vpcLink,
      method: options.method,
      parameterMapping: options.parameterMapping,
    });
  }

  /** The ports the server-side proxy listens on, which the library opens to clients. */
  public get listenPorts(): number[] {
    return this.listenPortsOf();
  }

  /**
   * The ECS infrastructure role the library created for TLS (`createRole`): construct id `TlsRole`.
   *
   * @default - undefined: no endpoint asks for `createRole`
   */
  public get tlsRole(): iam.IRole | undefined {
    return createdTlsRole(this);
  }
}

/** The rules that apply to a server from fromAttributes: what it was given are names and ports. */
const IMPORTED_SERVER_RULES = SERVICE_RULES.filter((rule) => rule.id === 'DiscoveryNameFormat' || rule.id === 'EndpointPort');

/** A server from fromAttributes as the rules see a service: endpoints, and nothing the library could check. */
function importedServerFacts(server: IServiceConnectServer, securityGroupCount: number): ServiceFacts {
  return {
    path: server.node.path,
    isServer: true,
    namespaceName: server.namespace.namespaceName,
    endpoints: server.endpoints.map((resolved) => ({ declared: { ...resolved, ingressPortOverride: undefined }, resolved })),
    importedServer: { securityGroupCount },
    portMappingNames: [],
    refusedEdges: [],
    launchType: 'unknown',
    task: { path: server.node.path, memorySet: true, containerMemoryMiB: 0, containerCpu: 0, containerValuesUnresolved: true, managed: false },
    circuitBreakerEnabled: false,
    largeNamespace: false,
    capacity: [],
    managedInstancesProviders: [],
    servers: [],
    sharedGroups: [],
    configurationConflicts: [],
  };
}

/** A server defined outside the app: endpoints and security groups, no ECS service to order. */
class ImportedServer extends Construct implements IServiceConnectServer {
  public readonly namespace: IServiceConnectNamespace;
  public readonly connections: ec2.Connections;
  public readonly endpoints: ResolvedEndpoint[];
  private readonly metrics: ServiceConnectMetricFactory;

  constructor(scope: Construct, id: string, attrs: ClientServerServiceAttributes) {
    super(scope, id);
    if (typeof attrs?.namespace?.registerService !== 'function') {
      throw propError(this, 'fromAttributes needs the namespace the server joined', `namespace ${describeGiven(attrs?.namespace)}`,
        'pass `namespace`: a ServiceConnectNamespace, or one from ServiceConnectNamespace.fromNamespace or fromNamespaceArn');
    }
    const endpoints: unknown[] = Array.isArray(attrs.endpoints) ? attrs.endpoints : [];
    const named = (ep: unknown) => ['portMappingName', 'discoveryName', 'dnsName'].every((key) => typeof (ep as Record<string, unknown> | null)?.[key] === 'string');
    if (endpoints.length === 0 || !endpoints.every(named)) {
      throw propError(this, 'fromAttributes needs the server\'s endpoints, each with its port mapping name, discovery name and DNS name',
        `endpoints ${describeGiven(attrs.endpoints)}`,
        'pass `endpoints: [{ portMappingName, discoveryName, dnsName, port, listenPort }]`, one per endpoint of the server');
    }
    for (const endpoint of attrs.endpoints) {
      const wrong = wrongType(endpoint, ['port', 'listenPort', 'containerPort'], 'number');
      if (wrong !== undefined) {
        throw propError(this, `endpoint '${describeName(endpoint.discoveryName)}' has a port that is not a number`, wrong,
          'give `port` and `listenPort` as numbers (a parameter\'s `valueAsNumber` is fine), or leave them out');
      }
    }
    const securityGroups = attrs.securityGroups ?? [];
    if (!Array.isArray(securityGroups) || !securityGroups.every((sg) => typeof sg?.securityGroupId === 'string')) {
      throw propError(this, 'fromAttributes takes security groups', `securityGroups ${describeGiven(attrs.securityGroups)}`,
        'pass `ec2.ISecurityGroup` objects, e.g. `ec2.SecurityGroup.fromSecurityGroupId(this, id, sgId)`');
    }
    this.namespace = attrs.namespace;
    this.connections = new ec2.Connections({ securityGroups });
    this.endpoints = [...attrs.endpoints];
    const wiring = AppWiring.of(this);
    // Checked like a server of the app: its names and ports.
    this.node.addValidation({ validate: () => evaluate(this, IMPORTED_SERVER_RULES, importedServerFacts(this, securityGroups.length)) });
    this.metrics = new ServiceConnectMetricFactory({
      scope: this,
      clusterName: attrs.clusterName,
      serviceName: attrs.serviceName,
      endpoints: () => this.endpoints,
      callers: () => wiring.callersOf(this),
    });
    this.node.addValidation({ validate: () => this.metrics.validate() });
    this.namespace.registerService(this);
    wiring.addService({
      service: this,
      declaredEdges: () => [],
      listenPorts: () => this.listenPorts,
      prerequisites: () => [],
      memberFacts: () => ({ path: this.node.path, endpoints: this.endpoints, maxTaskCount: 0 }),
      maxTaskCount: () => 0,
    });
  }

  public get listenPorts(): number[] {
    // An invalid port gets no rule (rule EndpointPort).
    const ports = this.endpoints.map((ep) => ep.listenPort).filter((port): port is number => port !== undefined && isPortOrToken(port));
    return [...new Set(ports)];
  }

  public metricRequestCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.REQUEST_COUNT, options);
  }

  public metricGrpcRequestCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.GRPC_REQUEST_COUNT, options);
  }

  public metricActiveConnectionCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.ACTIVE_CONNECTION_COUNT, options);
  }

  public metricNewConnectionCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.NEW_CONNECTION_COUNT, options);
  }

  public metricProcessedBytes(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.PROCESSED_BYTES, options);
  }

  public metricClientTlsNegotiationErrorCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metrics.inbound(MetricName.CLIENT_TLS_NEGOTIATION_ERROR_COUNT, options);
  }

  public metricTargetResponseTime(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.TARGET_RESPONSE_TIME, options);
  }

  public metricTargetProcessedBytes(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.TARGET_PROCESSED_BYTES, options);
  }

  public metricHttpCodeTarget2xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.HTTP_CODE_TARGET_2XX_COUNT, options);
  }

  public metricHttpCodeTarget3xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.HTTP_CODE_TARGET_3XX_COUNT, options);
  }

  public metricHttpCodeTarget4xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.HTTP_CODE_TARGET_4XX_COUNT, options);
  }

  public metricHttpCodeTarget5xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric {
    return this.metrics.target(MetricName.HTTP_CODE_TARGET_5XX_COUNT, options);
  }
}
