import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { schemaProblems } from './support/schema';
import { sharedNamespace } from '../examples/recipes/shared-namespace';

// Kept apart from test/recipes.test.ts so that the recipes can be edited in parallel.

const root = path.join(__dirname, '..');
const NAMESPACE_ARN = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-e4anhexw2s5kcmnh';

test('docs/recipes.md shows examples/recipes/shared-namespace.ts exactly', () => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', 'shared-namespace.ts'), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

describe('recipe: a namespace shared through AWS RAM', () => {
  test('the owner creates the namespace and shares it with the consumer account, with the Cloud Map ECS permission', () => {
    // GIVEN / WHEN
    const { owner } = sharedNamespace(new App(), NAMESPACE_ARN);
    // THEN
    const template = Template.fromStack(owner);
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    template.resourceCountIs('AWS::ECS::Service', 0);
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      ResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Namespace'), 'Arn'] }],
      Principals: ['222222222222'],
      PermissionArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram::aws:permission/AWSRAMPermissionCloudMapECSFullPermission']] }],
      AllowExternalPrincipals: false,
    });
    template.hasOutput('NamespaceArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Namespace'), 'Arn'] } });
  });

  test('the consumer, another account in the same region, runs both services in the shared namespace by ARN', () => {
    // GIVEN / WHEN
    const app = new App();
    const { owner, consumer } = sharedNamespace(app, NAMESPACE_ARN);
    app.synth();
    // THEN the cluster default and both services name the shared namespace by ARN
    const template = Template.fromStack(consumer);
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
    template.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: NAMESPACE_ARN } });
    const services = Object.values<any>(template.findResources('AWS::ECS::Service'));
    expect(services.map((s) => s.Properties.ServiceConnectConfiguration.Namespace)).toEqual([NAMESPACE_ARN, NAMESPACE_ARN]);
    // and nothing ties the two accounts' stacks together: the ARN is a literal, not a cross-stack reference
    expect(consumer.dependencies).not.toContain(owner);
    expect(Annotations.fromStack(consumer).findWarning('*', Match.stringLikeRegexp('NamespaceSameRegion'))).toEqual([]);
  });

  test('both templates are valid against the CloudFormation resource schemas', () => {
    const { owner, consumer } = sharedNamespace(new App(), NAMESPACE_ARN);
    expect(schemaProblems(Template.fromStack(owner).toJSON())).toEqual([]);
    expect(schemaProblems(Template.fromStack(consumer).toJSON())).toEqual([]);
  });
});
