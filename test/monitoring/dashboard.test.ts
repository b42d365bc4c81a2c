import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ClientServerService, ServiceConnectDashboard } from '../../src';
import { fargateTask, TestEnv } from '../util';

/** The dashboard body with every token replaced by a readable placeholder, parsed. */
function dashboardBody(stack: Stack): any {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = Object.values<any>(dashboards)[0].Properties.DashboardBody;
  const parts: any[] = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  const text = parts.map((p) => (typeof p === 'string' ? p
    : p.Ref ? `<${p.Ref.replace(/[0-9A-F]{8}$/, '')}>` : `<${p['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')}.${p['Fn::GetAtt'][1]}>`)).join('');
  return JSON.parse(text);
}

describe('ServiceConnectDashboard', () => {
  test('a two-server topology gets one row per endpoint: requests, 5xx, response time, active connections', () => {
    // GIVEN a dashboard created before the services it shows
    const env = new TestEnv();
    new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace, dashboardName: 'shop' });
    // WHEN two servers join the namespace
    for (const [id, port] of [['Api', 8080], ['Db', 5432]] as const) {
      new ClientServerService(env.stack, id, {
        cluster: env.cluster,
        namespace: env.namespace,
        taskDefinition: fargateTask(env.stack, `${id}Task`, [{ name: 'main', containerPort: port }]),
        endpoints: [{ portMappingName: 'main', discoveryName: id.toLowerCase(), dnsName: id.toLowerCase() }],
      });
    }
    // THEN
    Template.fromStack(env.stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop' });
    const widgets = dashboardBody(env.stack).widgets;
    expect(widgets[0]).toMatchObject({ type: 'text', properties: { markdown: '# Service Connect: test.internal' } });
    const graphs = widgets.slice(1).map((w: any) => ({ x: w.x, y: w.y, title: w.properties.title, metrics: w.properties.metrics }));
    expect(widgets.slice(1).map((w: any) => [w.width, w.height])).toEqual(Array(8).fill([6, 6]));
    expect(graphs).toEqual([
      { x: 0, y: 1, title: 'api:8080 (api) - requests', metrics: [['AWS/ECS', 'RequestCount', 'ClusterName', '<Cluster>', 'DiscoveryName', 'api', 'ServiceName', '<ApiService.Name>', { stat: 'Sum', period: 60 }]] },
      { x: 6, y: 1, title: 'api:8080 (api) - HTTP 5xx', metrics: [['AWS/ECS', 'HTTPCode_Target_5XX_Count', 'TargetDiscoveryName', 'api', { stat: 'Sum', period: 60 }]] },
      { x: 12, y: 1, title: 'api:8080 (api) - response time (ms)', metrics: [['AWS/ECS', 'TargetResponseTime', 'TargetDiscoveryName', 'api', { period: 60 }]] },
      { x: 18, y: 1, title: 'api:8080 (api) - active connections', metrics: [['AWS/ECS', 'ActiveConnectionCount', 'ClusterName', '<Cluster>', 'DiscoveryName', 'api', 'ServiceName', '<ApiService.Name>', { stat: 'Sum', period: 60 }]] },
      { x: 0, y: 7, title: 'db:5432 (db) - requests', metrics: [['AWS/ECS', 'RequestCount', 'ClusterName', '<Cluster>', 'DiscoveryName', 'db', 'ServiceName', '<DbService.Name>', { stat: 'Sum', period: 60 }]] },
      { x: 6, y: 7, title: 'db:5432 (db) - HTTP 5xx', metrics: [['AWS/ECS', 'HTTPCode_Target_5XX_Count', 'TargetDiscoveryName', 'db', { stat: 'Sum', period: 60 }]] },
      { x: 12, y: 7, title: 'db:5432 (db) - response time (ms)', metrics: [['AWS/ECS', 'TargetResponseTime', 'TargetDiscoveryName', 'db', { period: 60 }]] },
      { x: 18, y: 7, title: 'db:5432 (db) - active connections', metrics: [['AWS/ECS', 'ActiveConnectionCount', 'ClusterName', '<Cluster>', 'DiscoveryName', 'db', 'ServiceName', '<DbService.Name>', { stat: 'Sum', period: 60 }]] },
    ]);
  });
});
