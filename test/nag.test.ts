// @floor-skip: cdk-nag 3 needs aws-cdk-lib 2.257.0 or later (its peer dependency; it reads `Validations`).
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { accessLogs } from '../examples/recipes/access-logs';
import { blueGreen } from '../examples/recipes/blue-green';
import { canary } from '../examples/recipes/canary';
import { httpApi } from '../examples/recipes/http-api';
import { lambdaCaller } from '../examples/recipes/lambda-caller';
import { sharedNamespace } from '../examples/recipes/shared-namespace';
import { tls } from '../examples/recipes/tls';
import { ShopStack } from '../examples/shop';

/*
 * The example app and the recipes pass cdk-nag's AwsSolutions pack. `scripts/floor.sh` skips this file
 * (the @floor-skip line above): at the aws-cdk-lib floor, cdk-nag 3 cannot run.
 */

describe('cdk-nag', () => {
  test('the example shop passes the AwsSolutions rules pack, its one acknowledgement (rotating the database password) with a reason', () => {
    // GIVEN the example app with the AwsSolutions pack as a validation plugin
    const app = new App();
    new ShopStack(app, 'Shop');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // THEN synth passes: any finding fails validation
    expect(() => app.synth()).not.toThrow();
  });

  test('the TLS recipe: nothing on the resources the library creates (the role\'s AWS managed policy is acknowledged, with a reason)', () => {
    // GIVEN the TLS recipe, whose role the library creates
    const app = new App();
    const stack = tls(app, 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555');
    app.synth();
    // WHEN the pack checks it
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN nothing is found
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(findings).toEqual([]);
    const acknowledged = stack.node.findChild('Api').node.findChild('TlsRole').node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules');
    expect(acknowledged.map((m) => Object.keys(m.data))).toEqual([[
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity]',
    ]]);
  });

  test.each<[string, (app: App) => void]>([
    ['access-logs', accessLogs],
    ['blue-green', blueGreen],
    ['canary', canary],
    // the HTTP API in front of a server: the Cloud Map lookup's function and role, the VPC link and its group
    // (the lookup role's ListServices on `*`, which IAM requires, is acknowledged with a reason: see below)
    ['http-api', httpApi],
    // both stacks, the owner's and the consumer's
    ['shared-namespace', (app) => sharedNamespace(app, 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-e4anhexw2s5kcmnh')],
  ])('the %s recipe passes the AwsSolutions rules pack with no suppression', (_name, recipe) => {
    // GIVEN the recipe with the AwsSolutions pack as a validation plugin
    const app = new App();
    recipe(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // THEN synth passes: any finding fails validation
    expect(() => app.synth()).not.toThrow();
  });

  test('the Cloud Map lookup\'s role acknowledges one finding, with a reason: ListServices on `*`, which takes no resource-level permission', () => {
    const app = new App();
    const stack = httpApi(app);
    app.synth();
    const role = stack.node.findChild('ServiceConnectCloudMapLookup').node.findChild('Role');
    const acknowledged = role.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data);
    expect(acknowledged).toEqual([{ 'AwsSolutions-IAM5[Resource::*]': expect.stringMatching(/^servicediscovery:ListServices supports no resource-level permission/) }]);
  });

  test('the Lambda caller recipe: nothing on what the library creates (the user\'s own function keeps the default Lambda role)', () => {
    // GIVEN the recipe, whose Lambda function uses aws-cdk-lib's default role (AWS managed policies)
    const app = new App();
    const stack = lambdaCaller(app);
    app.synth();
    // WHEN the pack checks it
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN the only findings are on the user's function, none on the server, its rules or the namespace
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(findings.filter((f) => !f.includes('/Caller/'))).toEqual([]);
  });

  test('the pack really runs: a VPC without flow logs fails it', () => {
    const app = new App();
    new ec2.Vpc(new Stack(app, 'Bare'), 'Vpc', { natGateways: 0 });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-VPC7/);
  });
});
