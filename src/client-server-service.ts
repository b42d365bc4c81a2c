import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ResolvedEndpoint, ServiceConnectEndpoint } from './endpoint';
import { propError } from './errors';
import { DEFAULT_PERIOD, MetricName, serviceConnectMetric } from './monitoring/metrics';
import { ServiceConnectAlarmOptions, ServiceConnectMetricOptions } from './monitoring/options';
import { IServiceConnectNamespace } from './namespace';
import { ServiceConnectServiceBase, ServiceConnectServiceProps } from './service-base';
import { IServiceConnectServer } from './service-types';

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
}

/** Distinct known listen ports of `endpoints`, in order. */
function listenPortsOf(endpoints: ResolvedEndpoint[]): number[] {
  const ports = endpoints.map((ep) => ep.listenPort).filter((port): port is number => port !== undefined);
  return [...new Set(ports)];
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
   * Alarm on the share of requests answered with HTTP 5xx, when `alarms.http5xxRatePercent` is set.
   * Add actions to it with `addAlarmAction`.
   */
  public readonly http5xxRateAlarm?: cloudwatch.Alarm;

  /**
   * Alarm on the target response time, when `alarms.targetResponseTime` is set.
   */
  public readonly targetResponseTimeAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ClientServerServiceProps) {
    super(scope, id, props, props.endpoints);
    const alarms = props.alarms ?? {};
    const period = alarms.period ?? DEFAULT_PERIOD;
    const evaluation = {
      evaluationPeriods: alarms.evaluationPeriods ?? 5,
      datapointsToAlarm: alarms.datapointsToAlarm ?? 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    if (alarms.http5xxRatePercent !== undefined) {
      const rate = new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: this.metricHttpCodeTarget5xxCount({ discoveryName: alarms.discoveryName, period }),
          requests: this.metricRequestCount({ discoveryName: alarms.discoveryName, period }),
        },
        label: 'HTTP 5xx rate (%)',
        period,
      });
      this.http5xxRateAlarm = rate.createAlarm(this, 'Http5xxRateAlarm', {
        ...evaluation,
        threshold: alarms.http5xxRatePercent,
        alarmDescription: `Service Connect: HTTP 5xx responses of ${this.node.path} reached ${alarms.http5xxRatePercent}% of requests`,
      });
    }
    if (alarms.targetResponseTime !== undefined) {
      const latency = this.metricTargetResponseTime({
        discoveryName: alarms.discoveryName, period, statistic: alarms.latencyStatistic ?? cloudwatch.Stats.p(99),
      });
      this.targetResponseTimeAlarm = latency.createAlarm(this, 'TargetResponseTimeAlarm', {
        ...evaluation,
        threshold: alarms.targetResponseTime.toMilliseconds(),
        alarmDescription: `Service Connect: ${latency.statistic} response time of ${this.node.path} reached ${alarms.targetResponseTime.toMilliseconds()} ms`,
      });
    }
  }

  /** Requests the service's proxies received (`RequestCount`; needs an HTTP, HTTP/2 or gRPC port mapping). */
  public metricRequestCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this.inboundMetric(MetricName.REQUEST_COUNT, options);
  }

  /** Connections open to the service's proxies (`ActiveConnectionCount`). */
  public metricActiveConnectionCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this.inboundMetric(MetricName.ACTIVE_CONNECTION_COUNT, options);
  }

  /** Connections opened to the service's proxies (`NewConnectionCount`). */
  public metricNewConnectionCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this.inboundMetric(MetricName.NEW_CONNECTION_COUNT, options);
  }

  /** Bytes the service's proxies processed (`ProcessedBytes`). */
  public metricProcessedBytes(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this.inboundMetric(MetricName.PROCESSED_BYTES, options);
  }

  /** TLS handshakes from clients that failed (`ClientTLSNegotiationErrorCount`). */
  public metricClientTlsNegotiationErrorCount(options: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    return this.inboundMetric(MetricName.CLIENT_TLS_NEGOTIATION_ERROR_COUNT, options);
  }

  /** An inbound metric: dimensions `ClusterName`, `ServiceName` (this service) and `DiscoveryName`. */
  private inboundMetric(metricName: string, options: ServiceConnectMetricOptions): cloudwatch.Metric {
    const { discoveryName, ...metricOptions } = options;
    const name = discoveryName ?? this.endpoints[0]?.discoveryName;
    if (name === undefined) {
      throw propError(this, `${metricName} needs an endpoint to measure`, 'endpoints: []', 'add an endpoint (see rule EndpointRequired)');
    }
    return serviceConnectMetric(metricName, {
      ClusterName: this.service.cluster.clusterName,
      ServiceName: this.service.serviceName,
      DiscoveryName: name,
    }, metricOptions);
  }

  /** The ports the server-side proxy listens on, which the library opens to clients. */
  public get listenPorts(): number[] {
    return listenPortsOf(this.endpoints);
  }
}

class ImportedServer extends Construct implements IServiceConnectServer {
  public readonly namespace: IServiceConnectNamespace;
  public readonly connections: ec2.Connections;
  public readonly endpoints: ResolvedEndpoint[];

  constructor(scope: Construct, id: string, attrs: ClientServerServiceAttributes) {
    super(scope, id);
    this.namespace = attrs.namespace;
    this.connections = new ec2.Connections({ securityGroups: attrs.securityGroups });
    this.endpoints = [...attrs.endpoints];
    this.namespace.registerService(this);
  }

  public get listenPorts(): number[] {
    return listenPortsOf(this.endpoints);
  }
}
