import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ec2Capacity } from '../examples/recipes/ec2-capacity';
import { migrate } from '../examples/recipes/migrate';
import { multiStack } from '../examples/recipes/multi-stack';
import { tls } from '../examples/recipes/tls';
import { twoNamespaces } from '../examples/recipes/two-namespaces';

const root = path.join(__dirname, '..');

/** The ECS services of a stack, by construct id (Backend, Frontend, …). */
function services(stack: Stack): Record<string, any> {
  const resources = Template.fromStack(stack).findResources('AWS::ECS::Service');
  return Object.fromEntries(Object.entries<any>(resources).map(([id, r]) => [id.replace(/Service[0-9A-F]{8}$/, ''), { ...r, logicalId: id }]));
}

test.each(['migrate', 'multi-stack', 'two-namespaces', 'tls', 'ec2-capacity'])('docs/recipes.md shows examples/recipes/%s.ts exactly', (name) => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', `${name}.ts`), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

describe('recipes', () => {
  test('migrate: phase 1 gives the backend the name the frontend already uses; phase 2 orders the frontend after it', () => {
    const phase1 = services(migrate(new App(), 1));
    expect(Object.keys(phase1)).toEqual(['Backend']);
    expect(phase1.Backend.Properties.ServiceConnectConfiguration.Services).toEqual([
      { PortName: 'http', DiscoveryName: 'api', ClientAliases: [{ DnsName: 'api', Port: 80 }] },
    ]);
    const phase2 = services(migrate(new App(), 2));
    expect(phase2.Frontend.DependsOn).toContain(phase2.Backend.logicalId);
  });

  test('several stacks: each edge across stacks is a stack dependency, and the synth succeeds', () => {
    const app = new App();
    const { platform, backend, frontend } = multiStack(app);
    app.synth();
    expect(backend.dependencies).toContain(platform);
    expect(frontend.dependencies).toEqual(expect.arrayContaining([platform, backend]));
    Template.fromStack(frontend).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080 });
  });

  test('two namespaces: one task definition, the same discovery name in staging and prod', () => {
    const stack = twoNamespaces(new App());
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 2);
    template.resourceCountIs('AWS::ECS::TaskDefinition', 2);
    const all = services(stack);
    expect(all.StagingApi.Properties.TaskDefinition).toEqual(all.ProdApi.Properties.TaskDefinition);
    expect(all.StagingApi.Properties.ServiceConnectConfiguration.Namespace).not.toEqual(all.ProdApi.Properties.ServiceConnectConfiguration.Namespace);
    expect(all.StagingApi.Properties.ServiceConnectConfiguration.Services[0].DiscoveryName).toBe('api');
    expect(all.ProdApi.Properties.ServiceConnectConfiguration.Services[0].DiscoveryName).toBe('api');
  });

  test('TLS: the endpoint names the Private CA, the infrastructure role and the KMS key', () => {
    const caArn = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
    const stack = tls(new App(), caArn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({
          Tls: {
            IssuerCertificateAuthority: { AwsPcaAuthorityArn: caArn },
            KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceConnectTlsKey'), 'Arn'] },
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceConnectTlsRole'), 'Arn'] },
          },
        })],
      }),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity']] }],
    });
  });

  test('EC2 capacity: EC2 launch type, task-level memory, no rule fires', () => {
    const stack = ec2Capacity(new App());
    const all = services(stack);
    expect(all.Api.Properties.LaunchType).toBe('EC2');
    expect(all.Web.Properties.LaunchType).toBe('EC2');
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { RequiresCompatibilities: ['EC2'], NetworkMode: 'awsvpc', Memory: '576', Cpu: '512' });
  });
});
