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

  test('the 5xx-rate alarm is a composite over one rate alarm per caller: its 5xx over all its responses, in the same dimension set', () => {
    // GIVEN the alarm created before its callers are declared
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 2.5 });
    caller(env, 'Web', api);
    caller(env, 'Admin', api);
    const alarms = alarmsOf(env);
    // THEN there is one metric alarm per caller
    expect(alarms).toHaveLength(2);
    const servicesOf = (alarm: any) => [...new Set(alarm.Metrics.filter((q: any) => q.MetricStat).map((q: any) => metricOf(q).ServiceName))];
    expect(alarms.map(servicesOf).sort()).toEqual([['Admin'], ['Web']]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ Threshold: 2.5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' });
      expect(alarm.MetricName).toBeUndefined();
      const byId = new Map<string, any>(alarm.Metrics.map((q: any) => [q.Id, q]));
      // AND one expression returns the rate: the 5xx over every status class, a class with no datapoint counted as none
      expect(alarm.Metrics.filter((q: any) => q.ReturnData !== false)).toEqual([
        expect.objectContaining({
          Expression: 'IF(FILL(e, 0) + FILL(o2, 0) + FILL(o3, 0) + FILL(o4, 0) > 0, 100 * FILL(e, 0) / (FILL(e, 0) + FILL(o2, 0) + FILL(o3, 0) + FILL(o4, 0)), 0)',
        }),
      ]);
      const [service] = servicesOf(alarm);
      // AND the numerator counts the caller's 5xx, in the (TargetDiscoveryName, ServiceName, ClusterName) set
      expect(metricOf(byId.get('e'))).toEqual({ metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum', ClusterName: 'Cluster', ServiceName: service, TargetDiscoveryName: 'api' });
      // AND the other classes of the same caller, in the same set, make up the rest of the responses
      expect(['o2', 'o3', 'o4'].map((id) => metricOf(byId.get(id)))).toEqual(['2XX', '3XX', '4XX'].map((c) => ({
        metricName: `HTTPCode_Target_${c}_Count`, stat: 'Sum', ClusterName: 'Cluster', ServiceName: service, TargetDiscoveryName: 'api',
      })));
      expect(alarm.Metrics).toHaveLength(5);
      // AND no metric is account-wide
      expect(alarm.Metrics.filter((q: any) => q.MetricStat).every((q: any) => q.MetricStat.Metric.Dimensions.length === 3)).toBe(true);
    }
    // AND the composite goes off when any caller's alarm does
    const composites = Template.fromStack(env.stack).findResources('AWS::CloudWatch::CompositeAlarm');
    expect(Object.keys(composites)).toEqual([expect.stringMatching(/^ApiHttp5xxRateAlarm[0-9A-F]{8}$/)]);
    const rule = JSON.stringify(Object.values(composites)[0].Properties.AlarmRule);
    const children = Object.keys(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Alarm'));
    expect(children.every((id) => rule.includes(`"${id}","Arn"`))).toBe(true);
    expect(rule.match(/ OR /g)).toHaveLength(1);
    expect(api.http5xxRateAlarm?.node.tryFindChild('FromWeb')).toBeDefined();
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

  test('the 5xx-rate alarm works for more callers than a metric math alarm holds, up to CloudWatch\'s 100 alarms per composite', () => {
    // GIVEN three callers: 12 metrics, more than the 10 of one alarm on metric math
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 1 });
    ['A', 'B', 'C'].forEach((id) => caller(env, id, api));
    // THEN each caller's alarm holds 4 metrics
    expect(alarmsOf(env).map((a) => a.Metrics.filter((q: any) => q.MetricStat).length)).toEqual([4, 4, 4]);
    // AND 101 callers are refused with the composite's limit
    const many = new TestEnv();
    const popular = server(many, { http5xxRatePercent: 1 });
    const task = fargateTask(many.stack, 'CallerTask');
    for (let i = 0; i < 101; i++) {
      new ClientService(many.stack, `C${i}`, { cluster: many.cluster, namespace: many.namespace, taskDefinition: task, connectsTo: [popular] });
    }
    expect(() => Template.fromStack(many.stack)).toThrow(/\[AlarmMetricLimit\] Stack\/Api\/Http5xxRateAlarm: .*100 alarms in a composite alarm's rule \(found: 101 callers\)/);
  });

  test('the alarms are exposed so users can add actions', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 5, targetResponseTime: Duration.seconds(1), latencyStatistic: 'p90' });
    caller(env, 'Web', api);
    const action = new actions.SnsAction(new sns.Topic(env.stack, 'Pager'));
    api.http5xxRateAlarm?.addAlarmAction(action);
    api.targetResponseTimeAlarm?.addAlarmAction(action);
    const template = Template.fromStack(env.stack);
    const pager = [{ Ref: expect.stringMatching(/^Pager/) }];
    // THEN the actions are on the composite and on the latency alarm; the per-caller alarms have none
    expect(Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).map((a: any) => a.Properties.AlarmActions)).toEqual([pager]);
    const alarms = alarmsOf(env);
    expect(alarms.map((a) => a.AlarmActions)).toEqual([undefined, pager]);
    expect(alarms[1].Metrics.find((q: any) => q.MetricStat).MetricStat.Stat).toEqual('p90');
  });

  test('the alarms keep their construct ids, so deployed alarms are updated, not replaced', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 5, targetResponseTime: Duration.seconds(1) });
    caller(env, 'Web', api);
    expect(api.http5xxRateAlarm?.node.path).toEqual('Stack/Api/Http5xxRateAlarm');
    expect(api.targetResponseTimeAlarm?.node.path).toEqual('Stack/Api/TargetResponseTimeAlarm');
    expect(Object.keys(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Alarm')).sort())
      .toEqual([expect.stringMatching(/^ApiHttp5xxRateAlarmFromWeb[0-9A-F]{8}$/), expect.stringMatching(/^ApiTargetResponseTimeAlarm[0-9A-F]{8}$/)]);
    expect(Object.keys(Template.fromStack(env.stack).findResources('AWS::CloudWatch::CompositeAlarm'))).toEqual([expect.stringMatching(/^ApiHttp5xxRateAlarm[0-9A-F]{8}$/)]);
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
