import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { serviceLogicalId } from './util';
import { ShopStack } from '../examples/shop';

describe('the example shop (what `npx cdk synth` prints)', () => {
  const app = new App();
  const stack = new ShopStack(app, 'Shop');
  const resources = Template.fromStack(stack).toJSON().Resources;
  const dependsOn = (path: string): string[] => resources[serviceLogicalId(stack, path)].DependsOn ?? [];

  test('web waits for api, and api waits for db and cache', () => {
    expect(dependsOn('Web')).toContain(serviceLogicalId(stack, 'Api'));
    expect(dependsOn('Api')).toEqual(expect.arrayContaining([serviceLogicalId(stack, 'Db'), serviceLogicalId(stack, 'Cache')]));
    expect(dependsOn('Db')).not.toContain(serviceLogicalId(stack, 'Api'));
  });

  test('each server is open to its callers only, on the proxy listen port', () => {
    const rules = Object.values(resources).filter((r: any) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r: any) => r.Properties);
    expect(rules.map((r: any) => `${r.GroupId['Fn::GetAtt'][0].replace(/ServiceSecurityGroup.*/, '')}<-${r.SourceSecurityGroupId['Fn::GetAtt'][0].replace(/ServiceSecurityGroup.*/, '')}:${r.FromPort}`).sort())
      .toEqual(['Api<-Web:8080', 'Cache<-Api:6379', 'Db<-Api:5432']);
  });

  test('synthesizes with no warning and no error, as `npx cdk synth` runs it', () => {
    // GIVEN the app the example's main builds
    const cliApp = new App();
    new ShopStack(cliApp, 'ServiceConnectShop');
    // WHEN it is synthesized
    const messages = cliApp.synth().stacks.flatMap((s) => s.messages);
    // THEN the assembly carries no warning or error for the CLI to print
    expect(messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });

  test('the namespace lists all four services', () => {
    expect(stack.namespace.services).toEqual([stack.db, stack.cache, stack.api, stack.web]);
  });
});
