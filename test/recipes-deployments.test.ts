import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { schemaProblems } from './support/schema';
import { accessLogs } from '../examples/recipes/access-logs';
import { blueGreen } from '../examples/recipes/blue-green';
import { canary } from '../examples/recipes/canary';

/*
 * The recipes for access logs and deployments (docs/recipes.md): the documentation shows exactly the
 * code, the templates do what the recipes promise, and they are valid against the CloudFormation schema
 * (test/nag.test.ts checks them with cdk-nag's AwsSolutions pack).
 */

const root = path.join(__dirname, '..');

const RECIPES: Array<[string, (app: App) => Stack]> = [
  ['access-logs', accessLogs],
  ['blue-green', blueGreen],
  ['canary', canary],
];

/** The ECS services of a stack, by construct id (Api, Web). */
function services(stack: Stack): Record<string, any> {
  const resources = Template.fromStack(stack).findResources('AWS::ECS::Service');
  return Object.fromEntries(Object.entries<any>(resources).map(([id, r]) => [id.replace(/Service[0-9A-F]{8}$/, ''), r.Properties]));
}

test.each(RECIPES.map(([name]) => name))('docs/recipes.md shows examples/recipes/%s.ts exactly', (name) => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', `${name}.ts`), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

test.each(RECIPES)('%s: the template is valid against the CloudFormation resource schemas', (_name, recipe) => {
  expect(schemaProblems(Template.fromStack(recipe(new App())).toJSON())).toEqual([]);
});

describe('recipes', () => {
  test('access logs: JSON access logs next to the proxy logs, on the server and the client', () => {
    const all = services(accessLogs(new App()));
    for (const id of ['Api', 'Web']) {
      expect(all[id].ServiceConnectConfiguration).toEqual(expect.objectContaining({
        AccessLogConfiguration: id === 'Api' ? { Format: 'JSON', IncludeQueryParameters: 'DISABLED' } : { Format: 'JSON' },
        LogConfiguration: expect.objectContaining({ LogDriver: 'awslogs' }),
      }));
    }
  });

  test('blue/green: the strategy, the bake time, the test-traffic header and the smoke-test hook', () => {
    const stack = blueGreen(new App());
    const { Api: api } = services(stack);
    expect(api.DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'BLUE_GREEN',
      BakeTimeInMinutes: 15,
      LifecycleHooks: [{
        HookTargetArn: { 'Fn::Join': ['', expect.arrayContaining([':function:shop-smoke-tests'])] },
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ApiLifecycleHookRole/), 'Arn'] },
        LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      }],
    }));
    expect(api.ServiceConnectConfiguration.Services).toEqual([{
      PortName: 'http',
      ClientAliases: [{ DnsName: 'api', Port: 80, TestTrafficRules: { Header: { Name: 'x-shop-test', Value: { Exact: 'green' } } } }],
    }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction' })] },
    });
  });

  test('canary: 10% for 10 minutes, a bake time, and the circuit breaker', () => {
    const { Api: api } = services(canary(new App()));
    expect(api.DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 10 },
      BakeTimeInMinutes: 30,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    }));
    expect(api.DesiredCount).toBe(4);
  });
});
