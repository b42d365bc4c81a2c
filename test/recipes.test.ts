import * as fs from 'fs';
import * as path from 'path';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { waitsFor } from './util';
import { adopt } from '../examples/recipes/adopt';
import { ec2Capacity } from '../examples/recipes/ec2-capacity';
import { migrate } from '../examples/recipes/migrate';
import { migrateExisting } from '../examples/recipes/migrate-existing';
import { multiStack } from '../examples/recipes/multi-stack';
import { tls } from '../examples/recipes/tls';
import { twoNamespaces } from '../examples/recipes/two-namespaces';

const root = path.join(__dirname, '..');

/** The ECS services of a template, by construct id (Backend, Frontend, …). */
function servicesOf(template: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::ECS::Service')
    .map(([id, r]) => [id.replace(/Service[0-9A-F]{8}$/, ''), { ...r, logicalId: id }]));
}

/** The ECS services of a stack, by construct id. */
function services(stack: Stack): Record<string, any> {
  return servicesOf(Template.fromStack(stack).toJSON());
}

test.each(['migrate', 'migrate-existing', 'adopt', 'multi-stack', 'two-namespaces', 'tls', 'ec2-capacity'])('docs/recipes.md shows examples/recipes/%s.ts exactly', (name) => {
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

  test('migrate an aws-cdk-lib app: phase 1 serves the backend under the name and port the frontend calls, phase 2 adds the frontend after it, nothing renamed', () => {
    const [before, phase1, phase2] = ([0, 1, 2] as const).map((phase) => Template.fromStack(migrateExisting(new App(), phase)).toJSON());
    const [svc0, svc1, svc2] = [before, phase1, phase2].map(servicesOf);

    // what the frontend calls today, from its container's environment
    const frontendTask = before.Resources[svc0.Frontend.Properties.TaskDefinition.Ref];
    const apiUrl = new URL(frontendTask.Properties.ContainerDefinitions[0].Environment.find((e: any) => e.Name === 'API_URL').Value);
    expect(svc0.Backend.Properties.ServiceConnectConfiguration).toBeUndefined();
    expect(svc0.Frontend.Properties.ServiceConnectConfiguration).toBeUndefined();

    // phase 1: the backend serves that name and port through Service Connect and keeps its DNS record; the frontend is untouched
    expect(svc1.Backend.Properties.ServiceConnectConfiguration).toMatchObject({
      Enabled: true,
      Services: [{ PortName: 'http', DiscoveryName: 'backend', ClientAliases: [{ DnsName: apiUrl.hostname, Port: Number(apiUrl.port) }] }],
    });
    expect(svc1.Backend.Properties.ServiceRegistries).toEqual(svc0.Backend.Properties.ServiceRegistries);
    expect(svc1.Frontend.Properties.ServiceConnectConfiguration).toBeUndefined();
    expect(svc1.Frontend).toEqual(svc0.Frontend);

    // phase 2: the frontend joins the backend's namespace as a client and deploys after the backend, which does not change
    const namespace = svc1.Backend.Properties.ServiceConnectConfiguration.Namespace;
    expect(svc2.Frontend.Properties.ServiceConnectConfiguration).toMatchObject({ Enabled: true, Namespace: namespace });
    expect(svc2.Frontend.Properties.ServiceConnectConfiguration.Services).toBeUndefined();
    expect(svc2.Frontend.DependsOn).toContain(svc2.Backend.logicalId);
    expect(svc2.Backend).toEqual(svc1.Backend);

    // nothing is renamed: the same logical ids in the app before migration, phase 1 and phase 2
    expect(svc1.Backend.logicalId).toBe(svc0.Backend.logicalId);
    expect(svc2.Backend.logicalId).toBe(svc0.Backend.logicalId);
    expect(svc2.Frontend.logicalId).toBe(svc0.Frontend.logicalId);
    expect(Object.keys(phase1.Resources)).toEqual(expect.arrayContaining(Object.keys(before.Resources)));
    expect(Object.keys(phase2.Resources)).toEqual(expect.arrayContaining(Object.keys(phase1.Resources)));
  });

  test('adopt in place: nothing removed or replaced, only log groups, IAM policies and ingress rules added, orders keeps its configuration', () => {
    const before = Template.fromStack(adopt(new App(), false)).toJSON();
    const after = Template.fromStack(adopt(new App(), true)).toJSON();
    const damaging = [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY, ResourceImpact.WILL_ORPHAN];
    const damaged: string[] = [];
    const added: Record<string, string> = {};
    fullDiff(before, after).resources.forEachDifference((logicalId, change) => {
      if (change.isAddition) {
        added[logicalId] = change.resourceType!;
      } else if (change.isRemoval || damaging.includes(change.changeImpact)) {
        damaged.push(`${logicalId}: ${change.changeImpact}`);
      }
    });
    expect(damaged).toEqual([]);
    const allowed = ['AWS::Logs::LogGroup', 'AWS::IAM::Policy', 'AWS::EC2::SecurityGroupIngress'];
    expect(Object.entries(added).filter(([, type]) => !allowed.includes(type))).toEqual([]);
    // one proxy log group each for web and inventory; orders keeps logging where its configuration says
    expect(Object.values(added).filter((type) => type === 'AWS::Logs::LogGroup')).toHaveLength(2);
    const [was, is] = [servicesOf(before), servicesOf(after)];
    // the hand-written configuration is kept as it was; the other two services gain one
    expect(was.Orders.Properties.ServiceConnectConfiguration).toBeDefined();
    // and it gains the nonce that redeploys it when the endpoints it calls change
    const redeploy = { EnableForceNewDeployment: true, ForceNewDeploymentNonce: expect.stringMatching(/^endpoints-/) };
    expect(is.Orders.Properties).toEqual({ ...was.Orders.Properties, ForceNewDeployment: redeploy });
    expect(was.Inventory.Properties.ServiceConnectConfiguration).toBeUndefined();
    expect(is.Inventory.Properties.ServiceConnectConfiguration.Services).toEqual([
      { PortName: 'http', DiscoveryName: 'inventory', ClientAliases: [{ DnsName: 'inventory', Port: 80 }] },
    ]);
    expect(was.Web.Properties.ServiceConnectConfiguration).toBeUndefined();
    expect(is.Web.Properties).toEqual({
      ...was.Web.Properties, ServiceConnectConfiguration: expect.objectContaining({ Enabled: true }), ForceNewDeployment: redeploy,
    });
    // web deploys after both servers and reaches their proxies: one new ingress rule each, on the container port
    expect(is.Web.DependsOn).toEqual(expect.arrayContaining([is.Orders.logicalId, is.Inventory.logicalId]));
    const ingress = Object.keys(added).filter((id) => added[id] === 'AWS::EC2::SecurityGroupIngress').map((id) => after.Resources[id].Properties);
    const webGroup = { 'Fn::GetAtt': [expect.stringMatching(/^WebServiceSecurityGroup/), 'GroupId'] };
    expect(ingress).toEqual(expect.arrayContaining([
      expect.objectContaining({ GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersSecurityGroup/), 'GroupId'] }, SourceSecurityGroupId: webGroup, FromPort: 8080, ToPort: 8080 }),
      expect.objectContaining({ GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^InventorySecurityGroup/), 'GroupId'] }, SourceSecurityGroupId: webGroup, FromPort: 8080, ToPort: 8080 }),
    ]));
    expect(ingress).toHaveLength(2);
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

  test('TLS: the endpoint names the Private CA, the key and the role the library created; the role may use the key; the service is deleted first', () => {
    const caArn = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
    const stack = tls(new App(), caArn);
    const template = Template.fromStack(stack);
    const api = services(stack).Api;
    const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('ApiTlsRole'));
    const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('ServiceConnectTlsKey'));
    expect(api.Properties.ServiceConnectConfiguration.Services[0].Tls).toEqual({
      IssuerCertificateAuthority: { AwsPcaAuthorityArn: caArn },
      KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    template.hasResource('AWS::IAM::Role', Match.objectLike({
      Properties: Match.objectLike({
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } }] },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity']] }],
      }),
    }));
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    expect(Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement)).toEqual([[{
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
    }]]);
    // the role and the key by the references of the configuration, the policy by a DependsOn
    expect(waitsFor(template.toJSON(), api.logicalId)).toEqual(expect.arrayContaining([roleId, ...Object.keys(policies), keyId]));
    expect(api.DependsOn).toEqual(expect.arrayContaining(Object.keys(policies)));
    expect(api.DependsOn).not.toContain(roleId);
  });

  test('EC2 capacity: EC2 launch type, task-level memory, no rule fires', () => {
    const stack = ec2Capacity(new App());
    const all = services(stack);
    expect(all.Api.Properties.LaunchType).toBe('EC2');
    expect(all.Web.Properties.LaunchType).toBe('EC2');
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { RequiresCompatibilities: ['EC2'], NetworkMode: 'awsvpc', Memory: '576', Cpu: '512' });
  });
});
