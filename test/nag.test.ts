import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ShopStack } from '../examples/shop';

describe('cdk-nag', () => {
  test('the example shop passes the AwsSolutions rules pack with no suppression', () => {
    // GIVEN the example app with the AwsSolutions pack as a validation plugin
    const app = new App();
    new ShopStack(app, 'Shop');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // THEN synth passes: any finding fails validation
    expect(() => app.synth()).not.toThrow();
  });

  test('the pack really runs: a VPC without flow logs fails it', () => {
    const app = new App();
    new ec2.Vpc(new Stack(app, 'Bare'), 'Vpc', { natGateways: 0 });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-VPC7/);
  });
});
