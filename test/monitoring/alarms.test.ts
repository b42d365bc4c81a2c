import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ClientServerService } from '../../src';
import { fargateTask, TestEnv } from '../util';

function server(env: TestEnv, alarms?: ConstructorParameters<typeof ClientServerService>[2]['alarms']) {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
    endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    alarms,
  });
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

  test('the 5xx-rate alarm is math over the 5xx count and the request count, at the threshold given', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 2.5 });
    expect(api.http5xxRateAlarm).toBeDefined();
    Template.fromStack(env.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 2.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Id: 'expr_1', Expression: 'IF(requests > 0, 100 * errors / requests, 0)' }),
        Match.objectLike({
          Id: 'errors',
          ReturnData: false,
          MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ECS', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'TargetDiscoveryName', Value: 'api' }] }, Stat: 'Sum', Period: 60 }),
        }),
        Match.objectLike({
          Id: 'requests',
          ReturnData: false,
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'AWS/ECS', MetricName: 'RequestCount', Dimensions: Match.arrayWith([{ Name: 'DiscoveryName', Value: 'api' }]) }),
            Stat: 'Sum',
          }),
        }),
      ]),
    });
  });

  test('the latency alarm watches p99 target response time in milliseconds', () => {
    const env = new TestEnv();
    const api = server(env, { targetResponseTime: Duration.millis(750), evaluationPeriods: 3, datapointsToAlarm: 2 });
    expect(api.targetResponseTimeAlarm).toBeDefined();
    Template.fromStack(env.stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ECS',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Period: 60,
      Dimensions: [{ Name: 'TargetDiscoveryName', Value: 'api' }],
      Threshold: 750,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  test('the alarms are exposed so users can add actions', () => {
    const env = new TestEnv();
    const api = server(env, { http5xxRatePercent: 5, targetResponseTime: Duration.seconds(1), latencyStatistic: 'p90' });
    const action = new actions.SnsAction(new sns.Topic(env.stack, 'Pager'));
    api.http5xxRateAlarm?.addAlarmAction(action);
    api.targetResponseTimeAlarm?.addAlarmAction(action);
    const alarms = Template.fromStack(env.stack).findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarms).map((a: any) => a.Properties.AlarmActions)).toEqual([[{ Ref: expect.stringMatching(/^Pager/) }], [{ Ref: expect.stringMatching(/^Pager/) }]]);
    expect(Object.values(alarms).map((a: any) => a.Properties.ExtendedStatistic)).toContain('p90');
  });
});
