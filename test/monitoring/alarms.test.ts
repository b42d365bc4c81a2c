import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ClientServerService, ClientService } from '../../src';
import { fargateTask, TestEnv } from '../util';

function server(env: TestEnv, alarms?: ConstructorParameters<typeof ClientServerService>[2]['alarms']) {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    // HTTP: the proxy publishes status counts and response times only for HTTP port mappings (AlarmCannotFire)
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
    endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    alarms,
  });
}

function caller(env: TestEnv, id: string, api: ClientServerService) {
  return new ClientService(env.stack, id, { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, `${id}Task`), connectsTo: [api] });
}

/** The alarms of the stack, by construct path suffix. */
function alarmsOf(env: TestEnv): any[] {
  return Object.values(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
}

/** A metric query's metric name and dimensions, with the calling service's GetAtt shortened to its construct id. */
function metricOf(query: any): Record<string, any> {
  const metric = query.MetricStat.Metric;
  const dims = Object.fromEntries(metric.Dimensions.map((d: any) => [d.Name, d.Value['Fn::GetAtt'] ? d.Value['Fn::GetAtt'][0].replace(/Service[0-9A-F]{8}$/, '')
    : d.Value.Ref ? 'Cluster' : d.Value]));
  return { metricName: metric.MetricName, stat: query.MetricStat.Stat, ...dims };
}

describe('opt-in alarms', () => {
  test('nothing that costs money unless asked for: no alarm, no dashboard', () => {
    const env = new TestEnv();
    const api = server(env);
    expect(api.http5xxRateAlarm).toBeUndefined();
    expect(api.targetResponseTimeAlarm).toBeUndefined();
    const template = Template.fromStack(env.stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('the 5xx-rate alarm divides 5xx responses by all responses, both summed over the same callers in the same dimension set', () => {
    // GIVEN the alarm created before its callers are declared
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 2.5 });
    caller(env, 'Web', api);
    caller(env, 'Admin', api);
    const [alarm] = alarmsOf(env);
    expect(alarm).toMatchObject({ Threshold: 2.5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' });
    expect(alarm.MetricName).toBeUndefined();
    const byId = new Map<string, any>(alarm.Metrics.map((q: any) => [q.Id, q]));
    expect(byId.get('alarm')).toMatchObject({ Expression: 'IF(responses > 0, 100 * errors / responses, 0)', ReturnData: true });
    const termsOf = (id: string): string[] => {
      expect(byId.get(id).Expression).toMatch(/^SUM\(\[.*\]\)$/);
      return [...byId.get(id).Expression.matchAll(/FILL\((\w+), 0\)/g)].map((m) => m[1]);
    };
    const errors = termsOf('errors').map((id: string) => metricOf(byId.get(id)));
    const responses = termsOf('responses').map((id: string) => metricOf(byId.get(id)));
    // THEN the numerator counts the 5xx of each caller, in the (TargetDiscoveryName, ServiceName, ClusterName) set
    expect(errors).toEqual(['Admin', 'Web'].map((service) => ({
      metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum', ClusterName: 'Cluster', ServiceName: service, TargetDiscoveryName: 'api',
    })));
    // AND the denominator counts every status class of the same callers, in the same set
    expect(responses).toHaveLength(8);
    expect(new Set(responses.map((r: any) => r.ServiceName))).toEqual(new Set(errors.map((e: any) => e.ServiceName)));
    expect(responses.map((r: any) => Object.keys(r).sort())).toEqual(Array(8).fill(Object.keys(errors[0]).sort()));
    expect(new Set(responses.map((r: any) => r.metricName))).toEqual(new Set(['2XX', '3XX', '4XX', '5XX'].map((c) => `HTTPCode_Target_${c}_Count`)));
    // AND no metric is account-wide
    expect(alarm.Metrics.filter((q: any) => q.MetricStat).every((q: any) => q.MetricStat.Metric.Dimensions.length === 3)).toBe(true);
    expect(alarm.Metrics.filter((q: any) => q.MetricStat)).toHaveLength(8);
  });

  test('the latency alarm watches p99 target response time of the slowest caller, in milliseconds', () => {
    const env = new TestEnv();
    const api = server(env, { targetResponseTime: Duration.millis(750), evaluationPeriods: 3, datapointsToAlarm: 2 });
    caller(env, 'Web', api);
    caller(env, 'Admin', api);
    const [alarm] = alarmsOf(env);
    expect(alarm).toMatchObject({ Threshold: 750, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const top = alarm.Metrics.find((q: any) => q.ReturnData);
    expect(top.Expression).toMatch(/^MAX\(\[m[0-9a-f]+, m[0-9a-f]+\]\)$/);
    expect(alarm.Metrics.filter((q: any) => q.MetricStat).map(metricOf)).toEqual(['Admin', 'Web'].map((service) => ({
      metricName: 'TargetResponseTime', stat: 'p99', ClusterName: 'Cluster', ServiceName: service, TargetDiscoveryName: 'api',
    })));
    expect(alarm.Metrics.filter((q: any) => q.MetricStat).every((q: any) => q.MetricStat.Period === 60)).toBe(true);
  });

  test('a caller added after the alarm, in code order, is counted: the alarm is rendered from the finished call graph', () => {
    const env = new TestEnv();
    const api = server(env, { targetResponseTime: Duration.millis(750) });
    caller(env, 'Web', api);
    const admin = new ClientService(env.stack, 'Admin', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'AdminTask') });
    admin.connectTo(api);
    const services = alarmsOf(env)[0].Metrics.filter((q: any) => q.MetricStat).map((q: any) => metricOf(q).ServiceName);
    expect(services).toEqual(['Admin', 'Web']);
  });

  test('an alarm on a server nobody calls is refused, naming the fix', () => {
    const env = new TestEnv();
    server(env, { http5xxRatePercent: 1 });
    expect(() => Template.fromStack(env.stack)).toThrow(
      /\[MetricNeedsCallers\] Stack\/Api\/Http5xxRateAlarm: .*\(found: no service of the app calls it\)\. Fix: declare the services that call the server \(`connectsTo` or `connectTo`\), or measure from the client side/);
  });

  test('more callers than CloudWatch\'s 10 metrics per alarm allow are refused (AlarmMetricLimit)', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 1 });
    ['A', 'B', 'C'].forEach((id) => caller(env, id, api));
    expect(() => Template.fromStack(env.stack)).toThrow(/\[AlarmMetricLimit\] Stack\/Api\/Http5xxRateAlarm: the alarm sums over 3 callers, .*\(found: 12 metrics\)/);
  });

  test('the alarms are exposed so users can add actions', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 5, targetResponseTime: Duration.seconds(1), latencyStatistic: 'p90' });
    caller(env, 'Web', api);
    const action = new actions.SnsAction(new sns.Topic(env.stack, 'Pager'));
    api.http5xxRateAlarm?.addAlarmAction(action);
    api.targetResponseTimeAlarm?.addAlarmAction(action);
    const alarms = alarmsOf(env);
    expect(alarms.map((a) => a.AlarmActions)).toEqual([[{ Ref: expect.stringMatching(/^Pager/) }], [{ Ref: expect.stringMatching(/^Pager/) }]]);
    expect(alarms[1].Metrics.find((q: any) => q.MetricStat).MetricStat.Stat).toEqual('p90');
  });

  test('the alarms keep their construct ids, so deployed alarms are updated, not replaced', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 5, targetResponseTime: Duration.seconds(1) });
    caller(env, 'Web', api);
    expect(api.http5xxRateAlarm?.node.path).toEqual('Stack/Api/Http5xxRateAlarm');
    expect(api.targetResponseTimeAlarm?.node.path).toEqual('Stack/Api/TargetResponseTimeAlarm');
    expect(Object.keys(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Alarm')).sort())
      .toEqual([expect.stringMatching(/^ApiHttp5xxRateAlarm[0-9A-F]{8}$/), expect.stringMatching(/^ApiTargetResponseTimeAlarm[0-9A-F]{8}$/)]);
  });
});

describe('alarms that could never fire', () => {
  test('a 5xx-rate alarm on a TCP endpoint fails synth, naming the endpoint and the fix', () => {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'pg', containerPort: 5432 }]),
      endpoints: [{ portMappingName: 'pg', discoveryName: 'db' }],
      alarms: { http5xxRatePercent: 1 },
    });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    expect(() => Template.fromStack(env.stack)).toThrow(/\[AlarmCannotFire\] Stack\/Api: the 5xx-rate alarm watches HTTP status counts.*found: endpoint 'db' with appProtocol not set \(TCP\)/);
  });
});
