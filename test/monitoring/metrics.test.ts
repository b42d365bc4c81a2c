import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ClientServerService, ClientService } from '../../src';
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
function describeMetric(stack: Stack, metric: cloudwatch.Metric) {
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

  test.each(methods)('server-wide: api.%s() is %s for its endpoint, as all callers see it', (method, metricName, statistic) => {
    const { env, api } = setup();
    expect(describeMetric(env.stack, api[method]())).toEqual({
      namespace: 'AWS/ECS', metricName, statistic, period: 60, dimensions: { TargetDiscoveryName: 'api' },
    });
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

  test('metricGrpcRequestCount is GrpcRequestCount by discovery name alone when the names are not known', () => {
    const { env, payments } = imported();
    expect(describeMetric(env.stack, payments.metricGrpcRequestCount())).toEqual({
      namespace: 'AWS/ECS', metricName: 'GrpcRequestCount', statistic: 'Sum', period: 60, dimensions: { DiscoveryName: 'payments' },
    });
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
    expect(describeMetric(env.stack, payments.metricTargetProcessedBytes())).toEqual({
      namespace: 'AWS/ECS', metricName: 'TargetProcessedBytes', statistic: 'Sum', period: 60, dimensions: { TargetDiscoveryName: 'payments' },
    });
    expect(describeMetric(env.stack, web.metricTargetProcessedBytes({ target: payments, statistic: 'Maximum' }))).toEqual({
      namespace: 'AWS/ECS',
      metricName: 'TargetProcessedBytes',
      statistic: 'Maximum',
      period: 60,
      dimensions: { ClusterName: CLUSTER, ServiceName: serviceName('Web'), TargetDiscoveryName: 'payments' },
    });
  });
});

describe('dimension sets follow the current guide (digest section 7)', () => {
  // Each group has two sets: the discovery name alone, or with the service and cluster names.
  const INBOUND = [['DiscoveryName'], ['ClusterName', 'DiscoveryName', 'ServiceName']];
  const TARGET = [['TargetDiscoveryName'], ['ClusterName', 'ServiceName', 'TargetDiscoveryName']];
  const keys = (metric: cloudwatch.Metric) => Object.keys(metric.dimensions ?? {}).sort();

  test('inbound metrics, ClientTLSNegotiationErrorCount and GrpcRequestCount included, use the DiscoveryName sets', () => {
    const { env, api } = setup();
    const imported = ClientServerService.fromAttributes(env.stack, 'Imported', {
      namespace: env.namespace, endpoints: [{ portMappingName: 'http', discoveryName: 'imported', dnsName: 'imported' }],
    });
    for (const server of [api, imported]) {
      for (const metric of [server.metricClientTlsNegotiationErrorCount(), server.metricGrpcRequestCount(), server.metricProcessedBytes()]) {
        expect(INBOUND).toContainEqual(keys(metric));
      }
    }
    expect(keys(imported.metricClientTlsNegotiationErrorCount())).toEqual(INBOUND[0]);
    expect(keys(api.metricClientTlsNegotiationErrorCount())).toEqual(INBOUND[1]);
  });

  test('target metrics, TargetTLSNegotiationErrorCount and TargetProcessedBytes included, use the TargetDiscoveryName sets', () => {
    const { api, web } = setup();
    expect(keys(api.metricTargetTlsNegotiationErrorCount())).toEqual(TARGET[0]);
    expect(keys(web.metricTargetTlsNegotiationErrorCount({ target: api }))).toEqual(TARGET[1]);
    expect(keys(api.metricTargetProcessedBytes())).toEqual(TARGET[0]);
    expect(keys(web.metricTargetProcessedBytes({ target: api }))).toEqual(TARGET[1]);
  });
});
