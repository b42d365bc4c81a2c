import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { schemaProblems } from './support/schema';
import { appMeshCutover, GATE_CODE } from '../examples/recipes/app-mesh-cutover';

/*
 * The App Mesh cutover recipe (docs/recipes.md): the document shows exactly the code, each step's weights
 * are the ones asked for, the green copy is converted, and each step waits for the gate over green's alarms.
 */

const root = path.join(__dirname, '..');

/** GIVEN the recipe WHEN synthesized at one step: its template, and its resources of one type by logical id. */
function step(greenPercent: number) {
  const app = new App();
  const stack = appMeshCutover(app, greenPercent);
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  const of = (type: string) => template.findResources(type) as Record<string, any>;
  return { template, of, messages: assembly.getStackByName('ShopCutover').messages };
}

const at10 = step(10);

test('docs/recipes.md shows examples/recipes/app-mesh-cutover.ts exactly', () => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', 'app-mesh-cutover.ts'), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

test('the template is valid against the CloudFormation resource schemas, and the library reports no error', () => {
  // A custom resource's properties are the gate's own: the schema has none to check them against.
  const { GreenHealthy, ...resources } = at10.template.toJSON().Resources;
  expect(GreenHealthy.Type).toBe('AWS::CloudFormation::CustomResource');
  expect(schemaProblems({ Resources: resources })).toEqual([]);
  expect(at10.messages.filter((m) => m.level === 'error')).toEqual([]);
});

test.each([[0, 100], [10, 90], [50, 50], [100, 0]])('at %i%% for green, the listener sends %i%% to blue and the rest to green', (green, blue) => {
  const listeners = Object.values(step(green).of('AWS::ElasticLoadBalancingV2::Listener'));
  expect(listeners.map((l) => l.Properties.DefaultActions)).toEqual([[{
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: { Ref: expect.stringMatching(/^BlueTargets/) }, Weight: blue },
        { TargetGroupArn: { Ref: expect.stringMatching(/^GreenTargets/) }, Weight: green },
      ],
    },
  }]]);
});

test('blue keeps App Mesh; green is converted: no Envoy, and Service Connect in the namespace', () => {
  const services = at10.of('AWS::ECS::Service');
  const byId = (prefix: string) => Object.entries(services).filter(([id]) => id.startsWith(prefix)).map(([, s]) => s.Properties);
  expect(byId('Blue').map((s) => s.ServiceConnectConfiguration)).toEqual([undefined, undefined]);
  expect(byId('Green').map((s) => s.ServiceConnectConfiguration.Services?.[0]?.ClientAliases)).toEqual([[{ DnsName: 'api.shop.local', Port: 8080 }], [{ DnsName: 'web', Port: 80 }]]);
  const tasks = Object.entries(at10.of('AWS::ECS::TaskDefinition'));
  const envoyIn = tasks.filter(([, t]) => JSON.stringify(t.Properties.ContainerDefinitions).includes('aws-appmesh-envoy')).map(([id]) => id.replace(/Task.*$/, ''));
  expect(envoyIn).toEqual(['BlueApi', 'BlueWeb']);
});

test('each step waits for the gate, which reads green\'s health alarm, built from the library\'s alarms on green', () => {
  const [listener] = Object.values(at10.of('AWS::ElasticLoadBalancingV2::Listener'));
  expect(listener.DependsOn).toEqual(['GreenHealthy']);
  const gate = at10.of('AWS::CloudFormation::CustomResource').GreenHealthy;
  expect(gate.Properties).toMatchObject({ AlarmNames: ['ShopCutover-green-health'], GreenPercent: 10 });
  const composites = at10.of('AWS::CloudWatch::CompositeAlarm');
  // the library's 5xx alarm on green's api is a composite over one alarm per caller (web)
  const apiAlarm = Object.keys(composites).filter((id) => id.startsWith('AppMeshConversionapiHttp5xxRateAlarm'));
  expect(apiAlarm).toHaveLength(1);
  expect(Object.keys(at10.of('AWS::CloudWatch::Alarm'))).toEqual([expect.stringMatching(/^AppMeshConversionapiHttp5xxRateAlarmFromAppMeshConversionweb/)]);
  expect(Object.values(composites).find((c) => c.Properties.AlarmName === 'ShopCutover-green-health')?.Properties).toEqual({
    AlarmName: 'ShopCutover-green-health',
    AlarmRule: { 'Fn::Join': ['', ['(ALARM("', { 'Fn::GetAtt': [apiAlarm[0], 'Arn'] }, '"))']] },
  });
  const policies = Object.values(at10.of('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('cloudwatch:DescribeAlarms'));
  expect(policies.map((p) => p.Properties.PolicyDocument.Statement)).toEqual([[expect.objectContaining({
    Action: 'cloudwatch:DescribeAlarms',
    Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:ShopCutover-green-health']] },
  })]]);
});

describe('the gate', () => {
  /** Runs the gate's code with CloudWatch answering `states`; the status and reason it sends CloudFormation. */
  async function gate(requestType: string, states: string[]): Promise<{ Status: string; Reason: string }> {
    let sent = '';
    const fakes: Record<string, unknown> = {
      '@aws-sdk/client-cloudwatch': {
        CloudWatchClient: class { public async send() { return { MetricAlarms: states.map((s, i) => ({ AlarmName: `a${i}`, StateValue: s })) }; } },
        DescribeAlarmsCommand: class { constructor(public readonly input: unknown) {} },
      },
      'https': {
        request: (_url: string, _options: unknown, done: () => void) => ({ on: () => undefined, end: (body: string) => { sent = body; done(); } }),
      },
    };
    const module = { exports: {} as { handler?: (event: unknown) => Promise<unknown> } };
    new Function('require', 'exports', GATE_CODE)((name: string) => fakes[name], module.exports);
    await module.exports.handler?.({ RequestType: requestType, ResourceProperties: { AlarmNames: ['green'] }, ResponseURL: 'https://example.com' });
    return JSON.parse(sent);
  }

  test('fails the step while an alarm is in ALARM, and passes otherwise', async () => {
    await expect(gate('Update', ['OK', 'ALARM'])).resolves.toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('a1 in ALARM') });
    await expect(gate('Update', ['OK', 'INSUFFICIENT_DATA'])).resolves.toMatchObject({ Status: 'SUCCESS' });
    await expect(gate('Delete', ['ALARM'])).resolves.toMatchObject({ Status: 'SUCCESS' });
  });
});
