import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { IConstruct } from 'constructs';
import { ResolvedEndpoint } from './endpoint';

/*
 * The library's behavioural interfaces, in one file: a namespace knows its services and a service knows
 * its namespace, so they refer to each other and live together.
 */

/**
 * An AWS Cloud Map namespace that Service Connect services join.
 */
export interface IServiceConnectNamespace extends IConstruct {
  /** Name of the namespace. */
  readonly namespaceName: string;
  /** ARN of the namespace; the services' Service Connect configuration refers to it. */
  readonly namespaceArn: string;
  /** Id of the namespace. */
  readonly namespaceId: string;
  /** The underlying Cloud Map namespace. */
  readonly cloudMapNamespace: servicediscovery.INamespace;
  /**
   * Every service that joined this namespace, in the order they joined, from any stack of the app.
   * Services that joined another wrapper of the same Cloud Map namespace are listed there; the
   * namespace-wide rules and the topology see them together.
   */
  readonly services: IServiceConnectService[];

  /**
   * Records that a service joined this namespace. The service constructs call this themselves;
   * calling it again for the same service has no effect.
   */
  registerService(service: IServiceConnectService): void;

  /**
   * Makes this namespace the default Service Connect namespace of a cluster created in this app,
   * so services in that cluster may omit `namespace`.
   */
  makeDefaultFor(cluster: ecs.ICluster): void;
}

/**
 * A service that has joined a Service Connect namespace: a `ClientService`, a `ClientServerService`
 * (built by the library or attached to an existing ECS service), or a server imported with
 * `ClientServerService.fromAttributes`.
 */
export interface IServiceConnectService extends IConstruct, ec2.IConnectable {
  /** The namespace the service joined. */
  readonly namespace: IServiceConnectNamespace;

  /** The endpoints the service exposes, with defaults applied. Empty for a client. */
  readonly endpoints: ResolvedEndpoint[];
}

/**
 * A service that other services can connect to: a `ClientServerService`, or one imported with
 * `ClientServerService.fromAttributes`. Its metrics are Service Connect metrics in the `AWS/ECS`
 * CloudWatch namespace.
 */
export interface IServiceConnectServer extends IServiceConnectService {
  /**
   * The ports the server-side proxy listens on (each endpoint's ingress override, else its container
   * port), deduplicated. Clients are allowed in on exactly these ports.
   */
  readonly listenPorts: number[];

  /** Requests the service's proxies received (`RequestCount`; needs an HTTP, HTTP/2 or gRPC port mapping). */
  metricRequestCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** gRPC requests the service's proxies received (`GrpcRequestCount`; needs a gRPC port mapping). */
  metricGrpcRequestCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** Connections open to the service's proxies (`ActiveConnectionCount`). */
  metricActiveConnectionCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** Connections opened to the service's proxies (`NewConnectionCount`). */
  metricNewConnectionCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** Bytes the service's proxies processed (`ProcessedBytes`). */
  metricProcessedBytes(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** TLS handshakes from clients that failed (`ClientTLSNegotiationErrorCount`). */
  metricClientTlsNegotiationErrorCount(options?: ServiceConnectMetricOptions): cloudwatch.Metric;

  /** Average time, in milliseconds, the target takes to answer (`TargetResponseTime`). */
  metricTargetResponseTime(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;

  /** Bytes exchanged with the target, as the calling proxies count them (`TargetProcessedBytes`). */
  metricTargetProcessedBytes(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;

  /** Responses with an HTTP 2xx status class from the target (`HTTPCode_Target_2XX_Count`). */
  metricHttpCodeTarget2xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;

  /** Responses with an HTTP 3xx status class from the target (`HTTPCode_Target_3XX_Count`). */
  metricHttpCodeTarget3xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;

  /** Responses with an HTTP 4xx status class from the target (`HTTPCode_Target_4XX_Count`). */
  metricHttpCodeTarget4xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;

  /** Responses with an HTTP 5xx status class from the target (`HTTPCode_Target_5XX_Count`). */
  metricHttpCodeTarget5xxCount(options?: ServiceConnectTargetMetricOptions): cloudwatch.IMetric;
}

/**
 * Options for one edge of the call graph.
 */
export interface ConnectOptions {
  /**
   * Whether the client's ECS service is created and updated only after the server's.
   * Set it to false to break a cycle knowingly (the security-group rule is still created).
   * When the same edge is declared more than once, it is ordered if any declaration is.
   *
   * @default true
   */
  readonly ordered?: boolean;
}

/**
 * Options for a server's inbound Service Connect metrics.
 */
export interface ServiceConnectMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The discovery name of the endpoint to measure.
   *
   * @default - the service's first endpoint
   */
  readonly discoveryName?: string;
}

/**
 * Options for target metrics: responses a target returns, as the calling proxies see them.
 *
 * The calling proxies publish target metrics with the dimensions `TargetDiscoveryName`, `ServiceName` and
 * `ClusterName` of the *calling* service. With a `target`, the metric is this service's calls to it. Without,
 * a server's metric adds up the metrics of the callers the app declares (`connectsTo`), read when the
 * metric is rendered: counts are summed (`SUM([FILL(m, 0), ...])`), other statistics take the worst caller
 * (`MAX([...])`). It is a `cloudwatch.IMetric` (metric math), refused without callers (MetricNeedsCallers).
 */
export interface ServiceConnectTargetMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The server whose responses this service's proxies measure (this service is the caller).
   *
   * @default - for a ClientServerService: its own endpoint, as the services of the app that call it see it (the
   * sum of their metrics, or the worst caller for statistics that do not add up); a ClientService must name a target
   */
  readonly target?: IServiceConnectServer;

  /**
   * The discovery name of the target endpoint.
   *
   * @default - the first endpoint of `target`, or of this service
   */
  readonly discoveryName?: string;
}
