import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';
import { fargateTask, TestEnv } from '../util';

function setup() {
  const env = new TestEnv();
  const api = new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9090 }]),
    endpoints: [{ portMappingName: 'http', discoveryName: 'api' }, { portMappingName: 'admin', discoveryName: 'api-admin' }],
  });
  const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  return { env, api, web };
}

/** The metric's namespace, name, statistic, period and resolved dimensions. */
function describeMetric(stack: Stack, m: cloudwatch.IMetric) {
  const metric = m as cloudwatch.Metric;
  expect(metric).toBeInstanceOf(cloudwatch.Metric);
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    statistic: metric.statistic,
    period: metric.period.toSeconds(),
    dimensions: stack.resolve(metric.dimensions),
  };
}

const CLUSTER = { Ref: expect.stringMatching(/^Cluster/) };
const serviceName = (id: string) => ({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${id}Service`)), 'Name'] });

describe('inbound metrics of a server (DiscoveryName)', () => {
  test.each([
    ['metricRequestCount', 'RequestCount', 'Sum'],
    ['metricGrpcRequestCount', 'GrpcRequestCount', 'Sum'],
    ['metricActiveConnectionCount', 'ActiveConnectionCount', 'Sum'],
    ['metricNewConnectionCount', 'NewConnectionCount', 'Sum'],
    ['metricProcessedBytes', 'ProcessedBytes', 'Sum'],
    ['metricClientTlsNegotiationErrorCount', 'ClientTLSNegotiationErrorCount', 'Sum'],
  ] as const)('%s is %s in AWS/ECS by cluster, service and discovery name', (method, metricName, statistic) => {
    const { env, api } = setup();
    expect(describeMetric(env.stack, api[method]())).toEqual({
      namespace: 'AWS/ECS',
      metricName,
      statistic,
      period: 60,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Api'), DiscoveryName: 'api' },
    });
  });

  test('another endpoint and metric options are honoured', () => {
    const { env, api } = setup();
    expect(describeMetric(env.stack, api.metricRequestCount({ discoveryName: 'api-admin', period: Duration.minutes(5), statistic: 'Maximum' }))).toEqual({
      namespace: 'AWS/ECS',
      metricName: 'RequestCount',
      statistic: 'Maximum',
      period: 300,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Api'), DiscoveryName: 'api-admin' },
    });
  });
});

describe('target metrics (TargetDiscoveryName), split by HTTP status class', () => {
  const methods = [
    ['metricTargetResponseTime', 'TargetResponseTime', 'Average'],
    ['metricTargetProcessedBytes', 'TargetProcessedBytes', 'Sum'],
    ['metricHttpCodeTarget2xxCount', 'HTTPCode_Target_2XX_Count', 'Sum'],
    ['metricHttpCodeTarget3xxCount', 'HTTPCode_Target_3XX_Count', 'Sum'],
    ['metricHttpCodeTarget4xxCount', 'HTTPCode_Target_4XX_Count', 'Sum'],
    ['metricHttpCodeTarget5xxCount', 'HTTPCode_Target_5XX_Count', 'Sum'],
    ['metricRequestCountPerTarget', 'RequestCountPerTarget', 'Sum'],
    ['metricTargetTlsNegotiationErrorCount', 'TargetTLSNegotiationErrorCount', 'Sum'],
  ] as const;

  test.each(methods)('client-side: web.%s({ target: api }) is %s by cluster, calling service and target', (method, metricName, statistic) => {
    const { env, api, web } = setup();
    expect(describeMetric(env.stack, web[method]({ target: api }))).toEqual({
      namespace: 'AWS/ECS',
      metricName,
      statistic,
      period: 60,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Web'), TargetDiscoveryName: 'api' },
    });
  });

  test.each(methods)('server-wide: api.%s() is %s for its endpoint, combined over the callers the app declares', (method, metricName, statistic) => {
    const { env, api } = setup();
    const config = api[method]().toMetricConfig();
    const math = config.mathExpression!;
    expect(math.period).toEqual(60);
    const ids = Object.keys(math.usingMetrics);
    expect(ids).toHaveLength(1);
    // Sums add up over callers; an average cannot, so it takes the slowest caller
    expect(math.expression).toEqual(statistic === 'Sum' ? `SUM([FILL(${ids[0]}, 0)])` : `MAX([${ids[0]}])`);
    expect(describeMetric(env.stack, math.usingMetrics[ids[0]])).toEqual({
      namespace: 'AWS/ECS', metricName, statistic, period: 60, dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Web'), TargetDiscoveryName: 'api' },
    });
  });

  test('server-wide with a percentile statistic takes the worst caller, since percentiles cannot be summed', () => {
    const { env, api } = setup();
    new ClientService(env.stack, 'Admin', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'AdminTask'), connectsTo: [api] });
    const math = api.metricTargetResponseTime({ statistic: 'p99', period: Duration.minutes(5) }).toMetricConfig().mathExpression!;
    const metrics = Object.values(math.usingMetrics).map((m) => describeMetric(env.stack, m));
    expect(math.expression).toMatch(/^MAX\(\[m[0-9a-f]+, m[0-9a-f]+\]\)$/);
    expect(metrics.map((m) => [m.statistic, m.period, m.dimensions.ServiceName])).toEqual([['p99', 300, serviceName('Admin')], ['p99', 300, serviceName('Web')]]);
  });

  test('server-wide without any caller is refused at synth, naming the fix', () => {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    });
    // rendering alone does not throw: whether the server has callers is known when the app is complete
    expect(api.metricHttpCodeTarget5xxCount().toMetricConfig().mathExpression?.expression).toBe('0');
    expect(() => Template.fromStack(env.stack)).toThrow(
      /\[MetricNeedsCallers\] Stack\/Api: HTTPCode_Target_5XX_Count .*\(found: no service of the app calls it\)\. Fix: declare the services that call the server/);
  });

  test('a client without a target gets a clear error', () => {
    const { web } = setup();
    expect(() => web.metricTargetResponseTime()).toThrow(/Stack\/Web: TargetResponseTime of a client needs the target it calls.*Fix: pass `\{ target: server \}`/);
  });
});

describe('a server imported with fromAttributes', () => {
  function imported(names: { clusterName?: string; serviceName?: string } = {}) {
    const env = new TestEnv();
    const payments = ClientServerService.fromAttributes(env.stack, 'Payments', {
      namespace: env.namespace,
      endpoints: [{ portMappingName: 'grpc', discoveryName: 'payments', dnsName: 'payments', port: 50051, listenPort: 50051 }],
      ...names,
    });
    return { env, payments };
  }

  test('inbound metrics are refused when the names are not known: by discovery name alone they are account-wide', () => {
    const { payments } = imported();
    expect(() => payments.metricGrpcRequestCount()).toThrow(
      /^\[MetricNeedsServiceNames\] Stack\/Payments: GrpcRequestCount is scoped to this server by its cluster and service names.*Fix: pass `clusterName` and `serviceName` to `ClientServerService.fromAttributes`/);
  });

  test('metricGrpcRequestCount is GrpcRequestCount by cluster, service and discovery name when the names are given', () => {
    const { env, payments } = imported({ clusterName: 'payments-cluster', serviceName: 'payments' });
    expect(describeMetric(env.stack, payments.metricGrpcRequestCount())).toEqual({
      namespace: 'AWS/ECS',
      metricName: 'GrpcRequestCount',
      statistic: 'Sum',
      period: 60,
      dimensions: { ClusterName: 'payments-cluster', ServiceName: 'payments', DiscoveryName: 'payments' },
    });
  });

  test('metricTargetProcessedBytes is TargetProcessedBytes of its endpoint, and of it as a client sees it', () => {
    const { env, payments } = imported();
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [payments] });
    const math = payments.metricTargetProcessedBytes().toMetricConfig().mathExpression!;
    expect(Object.values(math.usingMetrics).map((m) => describeMetric(env.stack, m))).toEqual([{
      namespace: 'AWS/ECS',
      metricName: 'TargetProcessedBytes',
      statistic: 'Sum',
      period: 60,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Web'), TargetDiscoveryName: 'payments' },
    }]);
    expect(describeMetric(env.stack, web.metricTargetProcessedBytes({ target: payments, statistic: 'Maximum' }))).toEqual({
      namespace: 'AWS/ECS',
      metricName: 'TargetProcessedBytes',
      statistic: 'Maximum',
      period: 60,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Web'), TargetDiscoveryName: 'payments' },
    });
  });
});

describe('dimension sets follow the current guide (digest section 7), never the account-wide one', () => {
  // Each group has two sets: the discovery name alone (every namespace and cluster of the account), or
  // with the service and cluster names. The library uses only the second.
  const INBOUND = ['ClusterName', 'DiscoveryName', 'ServiceName'];
  const TARGET = ['ClusterName', 'ServiceName', 'TargetDiscoveryName'];
  /** The dimension names of a metric, or of every metric a caller sum adds up. */
  const keys = (metric: cloudwatch.IMetric): string[][] => {
    const math = metric.toMetricConfig().mathExpression;
    return math ? Object.values(math.usingMetrics).flatMap(keys) : [Object.keys((metric as cloudwatch.Metric).dimensions ?? {}).sort()];
  };

  test('inbound metrics, ClientTLSNegotiationErrorCount and GrpcRequestCount included, use the DiscoveryName, ServiceName, ClusterName set', () => {
    const { env, api } = setup();
    const imported = ClientServerService.fromAttributes(env.stack, 'Imported', {
      namespace: env.namespace, endpoints: [{ portMappingName: 'http', discoveryName: 'imported', dnsName: 'imported' }], clusterName: 'c', serviceName: 's',
    });
    for (const server of [api, imported]) {
      for (const metric of [server.metricClientTlsNegotiationErrorCount(), server.metricGrpcRequestCount(), server.metricProcessedBytes()]) {
        expect(keys(metric)).toEqual([INBOUND]);
      }
    }
  });

  test('target metrics, TargetTLSNegotiationErrorCount and TargetProcessedBytes included, use the TargetDiscoveryName, ServiceName, ClusterName set', () => {
    const { api, web } = setup();
    for (const metric of [api.metricTargetTlsNegotiationErrorCount(), web.metricTargetTlsNegotiationErrorCount({ target: api }),
      api.metricTargetProcessedBytes(), web.metricTargetProcessedBytes({ target: api })]) {
      expect(keys(metric)).toEqual([TARGET]);
    }
  });
});

describe('a client metric aimed at a server in another namespace', () => {
  test('is refused: the client\'s proxy never publishes it', () => {
    const env = new TestEnv();
    const other = new ServiceConnectNamespace(env.stack, 'Other', { name: 'other.internal' });
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, namespace: other, taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    expect(() => web.metricTargetResponseTime({ target: api })).toThrow(/\[MetricTargetNamespace\] Stack\/Web: TargetResponseTime of a target in another namespace is never published.*found: target Stack\/Api/);
  });
});
