import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { twoNamespaces } from '../../examples/recipes/two-namespaces';
import { ClientServerService, ClientService, ServiceConnectDashboard, ServiceConnectNamespace } from '../../src';
import { fargateTask, TestEnv } from '../util';

/*
 * Metrics scoped to the namespace and the deployment (issue 13, item 2): no metric of the library is
 * keyed by a discovery name alone, which CloudWatch adds up over every namespace and cluster of the account.
 */

/** Every metric query of every alarm of `stack`: its metric name and dimensions. */
function alarmMetrics(stack: Stack): Array<{ metricName: string; dimensions: Record<string, unknown> }> {
  return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).flatMap((alarm: any) => [
    ...(alarm.Properties.MetricName ? [{ metricName: alarm.Properties.MetricName, dimensions: alarm.Properties.Dimensions }] : []),
    ...(alarm.Properties.Metrics ?? []).filter((q: any) => q.MetricStat).map((q: any) => ({
      metricName: q.MetricStat.Metric.MetricName,
      dimensions: Object.fromEntries(q.MetricStat.Metric.Dimensions.map((d: any) => [d.Name, d.Value])),
    })),
  ]);
}

describe('two environments with the same discovery names', () => {
  /** One environment: its own cluster, namespace, server `api` with alarms, and a client `web`. */
  function environment(app: App, name: string) {
    const env = new TestEnv(app, name);
    const cluster = new ecs.Cluster(env.stack, 'Named', { vpc: env.vpc, clusterName: `${name.toLowerCase()}-cluster` });
    const api = new ClientServerService(env.stack, 'Api', {
      cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80 }],
      alarms: { http5xxRatePercent: 1, targetResponseTime: Duration.millis(500) },
    });
    new ClientService(env.stack, 'Web', { cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api], serviceName: `${name.toLowerCase()}-web` });
    return { env, api };
  }

  test('their metrics and alarms differ: each counts the calls of its own callers', () => {
    const app = new App();
    const staging = environment(app, 'Staging');
    const prod = environment(app, 'Prod');
    const stagingMetrics = alarmMetrics(staging.env.stack);
    const prodMetrics = alarmMetrics(prod.env.stack);
    // THEN every alarm metric names the calling service and its cluster, literally here as they are named
    expect(stagingMetrics.length).toBeGreaterThan(0);
    expect(new Set(stagingMetrics.map((m) => JSON.stringify([m.dimensions.ClusterName, m.dimensions.ServiceName])))).toEqual(
      new Set([JSON.stringify(['staging-cluster', 'staging-web'])]));
    expect(new Set(prodMetrics.map((m) => JSON.stringify([m.dimensions.ClusterName, m.dimensions.ServiceName])))).toEqual(
      new Set([JSON.stringify(['prod-cluster', 'prod-web'])]));
    // AND no two metrics of the two environments are the same CloudWatch metric
    const keys = (metrics: typeof stagingMetrics) => new Set(metrics.map((m) => JSON.stringify(m)));
    const shared = [...keys(stagingMetrics)].filter((k) => keys(prodMetrics).has(k));
    expect(shared).toEqual([]);
  });

  test('their public metrics differ too, and none is keyed by a discovery name alone', () => {
    const app = new App();
    const staging = environment(app, 'Staging');
    const prod = environment(app, 'Prod');
    const render = (api: ClientServerService) => {
      const math = api.metricHttpCodeTarget5xxCount().toMetricConfig().mathExpression!;
      return Object.values(math.usingMetrics).map((m) => (m as cloudwatch.Metric).dimensions);
    };
    expect(render(staging.api)).toEqual([{ ClusterName: 'staging-cluster', ServiceName: 'staging-web', TargetDiscoveryName: 'api' }]);
    expect(render(prod.api)).toEqual([{ ClusterName: 'prod-cluster', ServiceName: 'prod-web', TargetDiscoveryName: 'api' }]);
  });
});

describe('order independence of metrics users take', () => {
  function setup() {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    });
    const client = (id: string) => new ClientService(env.stack, id, { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, `${id}Task`) });
    return { env, api, client };
  }

  test('a graph rendered at synth counts callers declared after the metric was taken', () => {
    const { env, api, client } = setup();
    const dashboard = new cloudwatch.Dashboard(env.stack, 'Mine');
    dashboard.addWidgets(new cloudwatch.GraphWidget({ left: [api.metricHttpCodeTarget5xxCount()] }));
    client('Web').connectTo(api);
    client('Admin').connectTo(api);
    const body = JSON.stringify(Object.values(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body.match(/AWS\/ECS/g)).toHaveLength(2);
    expect(body).toMatch(/AdminService/);
    expect(body).toMatch(/WebService/);
  });

  test('an alarm created before a caller was declared is refused at synth (MetricCallersChanged)', () => {
    const { env, api, client } = setup();
    client('Web').connectTo(api);
    new cloudwatch.Alarm(env.stack, 'Mine', { metric: api.metricHttpCodeTarget5xxCount(), threshold: 1, evaluationPeriods: 1 });
    client('Admin').connectTo(api);
    expect(() => Template.fromStack(env.stack)).toThrow(
      /\[MetricCallersChanged\] Stack\/Mine: the alarm rendered HTTPCode_Target_5XX_Count\(api\) of Stack\/Api before every caller was declared.*\(found: callers now: Stack\/Admin, Stack\/Web\)\. Fix: declare every caller/);
  });

  test('an alarm over math, created after every caller, is accepted', () => {
    const { env, api, client } = setup();
    client('Web').connectTo(api);
    const rate = new cloudwatch.MathExpression({ expression: 'errors', usingMetrics: { errors: api.metricHttpCodeTarget5xxCount() } });
    client('Admin').connectTo(api);
    rate.createAlarm(env.stack, 'Mine', { threshold: 1, evaluationPeriods: 1 });
    expect(alarmMetrics(env.stack)).toHaveLength(2);
  });

  test('an alarm on a server-side metric before any caller is refused at synth, like one before some callers', () => {
    const { env, api, client } = setup();
    new cloudwatch.Alarm(env.stack, 'Mine', { metric: api.metricTargetResponseTime(), threshold: 1, evaluationPeriods: 1 });
    client('Web').connectTo(api);
    expect(() => Template.fromStack(env.stack)).toThrow(
      /\[MetricCallersChanged\] Stack\/Mine: the alarm rendered TargetResponseTime\(api\) of Stack\/Api before every caller was declared.*\(found: callers now: Stack\/Web\)/);
  });

  test('an alarm on a server-side metric of a server nobody calls is refused at synth, naming the fix', () => {
    const { env, api } = setup();
    new cloudwatch.Alarm(env.stack, 'Mine', { metric: api.metricTargetResponseTime(), threshold: 1, evaluationPeriods: 1 });
    expect(() => Template.fromStack(env.stack)).toThrow(/\[MetricNeedsCallers\] Stack\/Api: TargetResponseTime .*Fix: declare the services that call the server/);
  });
});

describe('callers in another stack', () => {
  /** Api (with alarms) in stack Back, Web calling it in stack Front, ordered after it. */
  function twoStacks(webProps: { serviceName?: string } = {}, clusterName?: string) {
    const app = new App();
    const back = new Stack(app, 'Back');
    const vpc = new ec2.Vpc(back, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(back, 'Cluster', { vpc, clusterName });
    const namespace = new ServiceConnectNamespace(back, 'Namespace', { name: 'test.internal' });
    const api = new ClientServerService(back, 'Api', {
      cluster,
      namespace,
      taskDefinition: fargateTask(back, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
      alarms: { targetResponseTime: Duration.millis(500) },
    });
    const front = new Stack(app, 'Front');
    new ClientService(front, 'Web', { cluster, namespace, taskDefinition: fargateTask(front, 'WebTask'), connectsTo: [api], ...webProps });
    return { back, front };
  }

  test('a caller whose service name is known only when its later stack deploys is refused, not left to a cyclic reference', () => {
    const { back } = twoStacks();
    expect(() => Template.fromStack(back)).toThrow(
      /\[MetricCallerInLaterStack\] Back\/Api\/TargetResponseTimeAlarm\/Resource: a metric of a server counts caller Front\/Web, .*stack Front deploys, and that stack deploys after Back.*Fix: give the caller's ECS service and cluster explicit names/);
  });

  test('with an explicit service name, the alarm uses it literally: no export, no cycle', () => {
    const { back, front } = twoStacks({ serviceName: 'web' });
    const metrics = alarmMetrics(back);
    expect(metrics).toEqual([{ metricName: 'TargetResponseTime', dimensions: { ClusterName: { Ref: expect.stringMatching(/^Cluster/) }, ServiceName: 'web', TargetDiscoveryName: 'api' } }]);
    // AND the front stack still deploys after the back stack, never the other way round
    expect(front.dependencies).toContain(back);
    expect(back.dependencies).not.toContain(front);
  });
});

describe('ServiceConnectDashboard rows are scoped too', () => {
  test('a server nobody calls shows its inbound graphs and a note, never account-wide target metrics', () => {
    const env = new TestEnv();
    new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace });
    new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80 }],
    });
    const body = JSON.stringify(Object.values(Template.fromStack(env.stack).findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).not.toMatch(/TargetDiscoveryName/);
    expect(body).toMatch(/RequestCount/);
    expect(body).toMatch(/no service of the app calls it \(declare callers with `connectsTo`\)/);
  });
});

describe('the staging/prod recipe (docs/recipes.md)', () => {
  test('the two 5xx alarms watch different metrics: each environment\'s own callers', () => {
    const stack = twoNamespaces(new App());
    const alarms = Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['ProdApiHttp5xxRateAlarmFromProdWeb', 'StagingApiHttp5xxRateAlarmFromStagingWeb']);
    const callersOf = (prefix: string) => {
      const [, alarm] = alarms.find(([id]) => id.startsWith(prefix)) as [string, any];
      return new Set(alarm.Properties.Metrics.filter((q: any) => q.MetricStat)
        .map((q: any) => q.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'ServiceName').Value['Fn::GetAtt'][0]));
    };
    expect(callersOf('Staging')).toEqual(new Set([expect.stringMatching(/^StagingWebService/)]));
    expect(callersOf('Prod')).toEqual(new Set([expect.stringMatching(/^ProdWebService/)]));
  });
});
