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
