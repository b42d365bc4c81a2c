import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectDashboard, ServiceConnectNamespace } from '../../src';
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
  test('a two-server topology gets one row per endpoint: requests (and gRPC requests), 5xx, response time, connections and bytes', () => {
    // GIVEN a dashboard created before the services it shows
    const env = new TestEnv();
    new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace, dashboardName: 'shop' });
    // WHEN two servers join the namespace: a gRPC one and a TCP one, and a client calls both
    const servers = [['Api', 8080, ecs.AppProtocol.grpc], ['Db', 5432, undefined]].map(([id, port, appProtocol]: any) => new ClientServerService(env.stack, id, {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, `${id}Task`, [{ name: 'main', containerPort: port, appProtocol }]),
      endpoints: [{ portMappingName: 'main', discoveryName: id.toLowerCase(), dnsName: id.toLowerCase() }],
    }));
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: servers });
    // THEN
    Template.fromStack(env.stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop' });
    const widgets = dashboardBody(env.stack).widgets;
    expect(widgets[0]).toMatchObject({ type: 'text', properties: { markdown: '# Service Connect: test.internal' } });
    const graphs = widgets.slice(1).map((w: any) => ({ x: w.x, y: w.y, title: w.properties.title, metrics: w.properties.metrics }));
    expect(widgets.slice(1).map((w: any) => [w.width, w.height])).toEqual(Array(8).fill([6, 6]));
    const inbound = (metricName: string, name: string, service: string) =>
      ['AWS/ECS', metricName, 'ClusterName', '<Cluster>', 'DiscoveryName', name, 'ServiceName', `<${service}Service.Name>`, { stat: 'Sum', period: 60 }];
    /** A target metric: an expression over the callers' metrics, each by cluster, calling service (Web) and target. */
    const target = (metricName: string, name: string, stat: string, combine: string, extra: object = {}) => [
      [{ expression: expect.stringMatching(new RegExp(`^${combine}\\(\\[`)), label: expect.stringContaining(metricName), period: 60, ...extra }],
      ['AWS/ECS', metricName, 'ClusterName', '<Cluster>', 'ServiceName', '<WebService.Name>', 'TargetDiscoveryName', name,
        { ...(stat === 'Sum' ? { stat } : {}), period: 60, id: expect.stringMatching(/^m[0-9a-f]+$/), visible: false }],
    ];
    expect(graphs).toEqual([
      // THEN the gRPC endpoint graphs its gRPC requests next to its requests
      { x: 0, y: 1, title: 'api:8080 (api) - requests', metrics: [inbound('RequestCount', 'api', 'Api'), inbound('GrpcRequestCount', 'api', 'Api')] },
      // AND target metrics add up the callers' metrics; response time takes the slowest caller
      { x: 6, y: 1, title: 'api:8080 (api) - HTTP 5xx', metrics: target('HTTPCode_Target_5XX_Count', 'api', 'Sum', 'SUM') },
      { x: 12, y: 1, title: 'api:8080 (api) - response time (ms)', metrics: target('TargetResponseTime', 'api', 'Average', 'MAX') },
      // AND every endpoint graphs its active connections, with the bytes its callers exchanged on the right axis
      { x: 18, y: 1, title: 'api:8080 (api) - active connections / bytes', metrics: [inbound('ActiveConnectionCount', 'api', 'Api'), ...target('TargetProcessedBytes', 'api', 'Sum', 'SUM', { yAxis: 'right' })] },
      { x: 0, y: 7, title: 'db:5432 (db) - requests', metrics: [inbound('RequestCount', 'db', 'Db')] },
      { x: 6, y: 7, title: 'db:5432 (db) - HTTP 5xx', metrics: target('HTTPCode_Target_5XX_Count', 'db', 'Sum', 'SUM') },
      { x: 12, y: 7, title: 'db:5432 (db) - response time (ms)', metrics: target('TargetResponseTime', 'db', 'Average', 'MAX') },
      { x: 18, y: 7, title: 'db:5432 (db) - active connections / bytes', metrics: [inbound('ActiveConnectionCount', 'db', 'Db'), ...target('TargetProcessedBytes', 'db', 'Sum', 'SUM', { yAxis: 'right' })] },
    ]);
  });

  test('a server from fromAttributes without names, that nobody calls, gets a note with both fixes instead of graphs', () => {
    const env = new TestEnv();
    new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace });
    ClientServerService.fromAttributes(env.stack, 'Payments', {
      namespace: env.namespace, endpoints: [{ portMappingName: 'grpc', discoveryName: 'payments', dnsName: 'payments', port: 50051 }],
    });
    const widgets = dashboardBody(env.stack).widgets;
    expect(widgets).toHaveLength(2);
    expect(widgets[1]).toMatchObject({ type: 'text', width: 24 });
    expect(widgets[1].properties.markdown).toMatch(/pass `clusterName` and `serviceName` to `fromAttributes`.*declare callers with `connectsTo`/);
  });

  describe('CloudWatch\'s limit of 500 widgets per dashboard', () => {
    /** A dashboard of one server defined outside the app, with `count` endpoints, and one client calling it. */
    function dashboardOf(count: number) {
      const env = new TestEnv();
      new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace });
      const big = ClientServerService.fromAttributes(env.stack, 'Big', {
        namespace: env.namespace,
        endpoints: Array.from({ length: count }, (_, i) => ({ portMappingName: `p${i}`, discoveryName: `e${i}`, dnsName: `e${i}`, port: 80 })),
        clusterName: 'big',
        serviceName: 'big',
      });
      new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [big] });
      const warnings = () => Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('DashboardEndpointsLeftOut'));
      return { widgets: dashboardBody(env.stack).widgets as any[], warnings };
    }

    test('124 endpoints fit: the header and 124 rows of 4 graphs, 497 widgets, no note and no warning', () => {
      const { widgets, warnings } = dashboardOf(124);
      expect(widgets).toHaveLength(497);
      expect(widgets.filter((w) => w.type === 'text')).toHaveLength(1);
      expect(widgets[496].properties.title).toEqual('e123:80 (e123) - active connections / bytes');
      expect(warnings()).toEqual([]);
    });

    test('125 endpoints: the first 124 rows, then a note on the one left out, 498 widgets, and a synth warning', () => {
      const { widgets, warnings } = dashboardOf(125);
      // THEN the dashboard stays under the limit
      expect(widgets).toHaveLength(498);
      expect(widgets[496].properties.title).toEqual('e123:80 (e123) - active connections / bytes');
      expect(widgets.some((w) => /e124/.test(w.properties.title ?? ''))).toBe(false);
      // AND the note, below the last row, says how many endpoints are not shown and why
      expect(widgets[497]).toMatchObject({ type: 'text', x: 0, y: 1 + 124 * 6, width: 24 });
      expect(widgets[497].properties.markdown).toMatch(/^1 more endpoint is not shown: CloudWatch allows 500 widgets per dashboard\. To see them, split the services over several namespaces/);
      // AND synth warns, in the library's message format
      const found = warnings();
      expect(found).toHaveLength(1);
      expect(String(found[0].entry.data)).toMatch(
        /^Stack\/Dashboard: the dashboard shows only the first 124 endpoints, as CloudWatch allows 500 widgets per dashboard \(found: 125 endpoints in namespace test\.internal\)\. Fix: split the services/);
    });

    test('300 endpoints still stay under the limit', () => {
      const { widgets } = dashboardOf(300);
      expect(widgets).toHaveLength(498);
      expect(widgets[497].properties.markdown).toMatch(/^176 more endpoints are not shown/);
    });
  });
});

describe('a dashboard beside the namespace, with the services in a later stack', () => {
  function layout(dashboardIn: 'base' | 'services') {
    const app = new App();
    const base = new Stack(app, 'Base');
    const namespace = new ServiceConnectNamespace(base, 'Ns', { name: 'x.internal' });
    const services = new Stack(app, 'Services');
    new ServiceConnectDashboard(dashboardIn === 'base' ? base : services, 'Dash', { namespace });
    const cluster = new ecs.Cluster(services, 'Cluster', { vpc: new ec2.Vpc(services, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    const api = new ClientServerService(services, 'Api', {
      cluster, namespace, taskDefinition: fargateTask(services, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    new ClientService(services, 'Web', { cluster, namespace, taskDefinition: fargateTask(services, 'WebTask'), connectsTo: [api] });
    return app;
  }

  test('fails with the library\'s message and the fix, not a dependency cycle', () => {
    expect(() => layout('base').synth()).toThrow(
      /\[DashboardStack\] Base\/Dash: the dashboard shows services whose stacks deploy after its own.*found: dashboard stack Base; services Services\/Api \(stack Services\)\).*Fix: create the dashboard in a stack that deploys after/);
  });

  test('following the fix synthesizes', () => {
    expect(() => layout('services').synth()).not.toThrow();
  });
});
