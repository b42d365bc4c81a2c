import { Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ClientServerService, ServiceConnectEndpoint, ServiceConnectTls } from '../src';
import { fargateTask, TestEnv, waitsFor } from './util';

const CA_ARN = 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';
const KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'];
const MANAGED_POLICY = 'service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity';

/** A server `Api` whose endpoints on port mappings 'http' and 'admin' get `tls` (the second only when `endpoints` says so). */
function server(env: TestEnv, tls: Partial<ServiceConnectTls>, endpoints: Partial<ServiceConnectEndpoint>[] = [{}]): ClientServerService {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9090 }]),
    endpoints: endpoints.map((ep, i) => ({ portMappingName: i === 0 ? 'http' : 'admin', tls: { awsPcaAuthorityArn: CA_ARN, ...tls }, ...ep })),
  });
}

/** A short-lived-certificate root CA, tagged as ECS requires. */
function certificateAuthority(stack: Stack): acmpca.CfnCertificateAuthority {
  return new acmpca.CfnCertificateAuthority(stack, 'Ca', {
    type: 'ROOT',
    keyAlgorithm: 'EC_prime256v1',
    signingAlgorithm: 'SHA256WITHECDSA',
    subject: { commonName: 'test.internal' },
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    tags: [{ key: 'AmazonECSManaged', value: 'true' }],
  });
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | acmpca.CfnCertificateAuthority): string {
  const resource = construct instanceof acmpca.CfnCertificateAuthority ? construct : construct.node.defaultChild as iam.CfnRole;
  return stack.resolve(resource.logicalId);
}

function ecsService(template: Template): any {
  return Object.values(template.findResources('AWS::ECS::Service'))[0];
}

/** What the ECS service is created after and deleted before: its DependsOn and what its properties refer to. */
function serviceWaitsFor(template: Template): string[] {
  return waitsFor(template.toJSON(), Object.keys(template.findResources('AWS::ECS::Service'))[0]);
}

describe('the TLS infrastructure role the library creates', () => {
  test('is trusted by ECS, has the managed policy the guide names, and is rendered as the endpoint\'s role', () => {
    // GIVEN a server whose endpoint asks for the role
    const env = new TestEnv();
    const api = server(env, { createRole: true });
    // THEN the role is `Api/TlsRole`, trusted by ecs.amazonaws.com, with the TLS managed policy
    expect(api.tlsRole?.node.path).toBe('Stack/Api/TlsRole');
    const template = env.template();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } }],
      },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${MANAGED_POLICY}`]] }],
    });
    const roleId = logicalId(env.stack, api.tlsRole!);
    expect(roleId).toMatch(/^ApiTlsRole[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ Tls: { IssuerCertificateAuthority: { AwsPcaAuthorityArn: CA_ARN }, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } } })],
      }),
    });
    // AND without a key it has no policy of its own: nothing beyond the managed policy
    expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).toEqual({});
  });

  test('is one role per service, shared by its TLS endpoints', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const api = server(env, { createRole: true, kmsKey: key }, [{}, {}]);
    const template = env.template();
    const roles = template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } });
    expect(Object.keys(roles)).toEqual([logicalId(env.stack, api.tlsRole!)]);
    const services = ecsService(template).Properties.ServiceConnectConfiguration.Services;
    expect(services.map((s: any) => s.Tls.RoleArn)).toEqual([{ 'Fn::GetAtt': [logicalId(env.stack, api.tlsRole!), 'Arn'] }, { 'Fn::GetAtt': [logicalId(env.stack, api.tlsRole!), 'Arn'] }]);
  });

  test('is not created unless asked for', () => {
    const env = new TestEnv();
    const api = server(env, {});
    expect(api.tlsRole).toBeUndefined();
    expect(api.node.tryFindChild('TlsRole')).toBeUndefined();
    expect(ecsService(env.template()).Properties.ServiceConnectConfiguration.Services[0].Tls.RoleArn).toBeUndefined();
  });

  test('cannot be asked for together with a role of the user\'s', () => {
    const env = new TestEnv();
    const role = new iam.Role(env.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    expect(() => server(env, { createRole: true, role })).toThrow(
      "Stack/Api: endpoint 'http' both gives a TLS role and asks the library to create one (found: role Stack/Role and createRole: true). Fix: pass `role` or set `createRole`, not both",
    );
  });
});

describe('the KMS key', () => {
  test('the created role may encrypt and decrypt with it, and nothing else, on that key only', () => {
    // GIVEN a customer managed key
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const api = server(env, { createRole: true, kmsKey: key });
    // THEN the role's default policy grants the guide's four actions on the key's ARN
    const template = env.template();
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(env.stack, api.tlsRole!) }] } });
    expect(Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement)).toEqual([[{
      Action: KEY_ACTIONS,
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalId(env.stack, key), 'Arn'] },
    }]]);
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ Tls: Match.objectLike({ KmsKey: { 'Fn::GetAtt': [logicalId(env.stack, key), 'Arn'] } }) })],
      }),
    });
  });

  test('a role of the user\'s is granted the key too', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const role = new iam.Role(env.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    server(env, { role, kmsKey: key });
    env.template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(env.stack, role) }],
      PolicyDocument: { Statement: [{ Action: KEY_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(env.stack, key), 'Arn'] } }] },
    });
  });

  test('an imported key is granted by the role\'s policy, naming the key\'s ARN', () => {
    const env = new TestEnv();
    const keyArn = 'arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const api = server(env, { createRole: true, kmsKey: kms.Key.fromKeyArn(env.stack, 'Key', keyArn) });
    env.template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(env.stack, api.tlsRole!) }],
      PolicyDocument: { Statement: [{ Action: KEY_ACTIONS, Effect: 'Allow', Resource: keyArn }] },
    });
  });

  test('no role, no grant', () => {
    const env = new TestEnv();
    server(env, { kmsKey: new kms.Key(env.stack, 'Key') });
    expect(JSON.stringify(env.template().toJSON())).not.toContain('kms:GenerateDataKeyPair');
  });
});

describe('deletion order: the ECS service goes first', () => {
  test('the service depends on the created role, its default policy and the key', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const api = server(env, { createRole: true, kmsKey: key });
    const template = env.template();
    const policyId = logicalId(env.stack, api.tlsRole!.node.findChild('DefaultPolicy'));
    expect(serviceWaitsFor(template)).toEqual(expect.arrayContaining([logicalId(env.stack, api.tlsRole!), policyId, logicalId(env.stack, key)]));
    // the configuration refers to the role and the key already: only the policy needs a DependsOn (cfn-lint W3005)
    expect(ecsService(template).DependsOn).toContain(policyId);
    expect(ecsService(template).DependsOn).not.toEqual(expect.arrayContaining([logicalId(env.stack, api.tlsRole!)]));
    expect(ecsService(template).DependsOn).not.toEqual(expect.arrayContaining([logicalId(env.stack, key)]));
  });

  test('and on a role of the user\'s, with its policies: the default one, customer managed ones attached after the service, not AWS managed ones', () => {
    // GIVEN a role of the user's with a managed policy, and one more attached after the service is built
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const role = new iam.Role(env.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(MANAGED_POLICY));
    server(env, { role, kmsKey: key });
    const late = new iam.ManagedPolicy(env.stack, 'Extra', {
      statements: [new iam.PolicyStatement({ actions: ['acm-pca:GetCertificate'], resources: [CA_ARN] })],
    });
    role.addManagedPolicy(late);
    // THEN the service depends on all of them
    const dependsOn = serviceWaitsFor(env.template());
    expect(dependsOn).toEqual(expect.arrayContaining([
      logicalId(env.stack, role), logicalId(env.stack, role.node.findChild('DefaultPolicy')), logicalId(env.stack, late), logicalId(env.stack, key),
    ]));
  });

  test('and on the certificate authority when it is in the app', () => {
    const env = new TestEnv();
    const ca = certificateAuthority(env.stack);
    server(env, { awsPcaAuthorityArn: ca.attrArn });
    expect(serviceWaitsFor(env.template())).toContain(logicalId(env.stack, ca));
  });

  test('an alias\'s key counts as the key', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'Key');
    const alias = key.addAlias('alias/tls');
    server(env, { kmsKey: alias });
    expect(serviceWaitsFor(env.template())).toEqual(expect.arrayContaining([logicalId(env.stack, key)]));
  });

  test('a role, key and CA in another stack order the stacks instead: no DependsOn across stacks, no cycle', () => {
    // GIVEN the TLS resources in a platform stack, and the service in its own stack
    const env = new TestEnv();
    const platform = new Stack(env.app, 'Platform');
    const role = new iam.Role(platform, 'Role', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    const key = new kms.Key(platform, 'Key');
    server(env, { role, kmsKey: key, awsPcaAuthorityArn: certificateAuthority(platform).attrArn });
    // THEN the service's stack deploys after the platform and synth succeeds
    const dependsOn: string[] = ecsService(env.template()).DependsOn ?? [];
    expect(env.stack.dependencies).toEqual([platform]);
    expect(dependsOn.filter((id) => /^(Role|Key|Ca)/.test(id))).toEqual([]);
  });

  test('imported roles, keys and certificate authorities add nothing to order', () => {
    const env = new TestEnv();
    const before = new Set<string>(ecsService(Template.fromStack(serverOnly(new TestEnv()))).DependsOn ?? []);
    server(env, {
      awsPcaAuthorityArn: acmpca.CertificateAuthority.fromCertificateAuthorityArn(env.stack, 'Ca', CA_ARN).certificateAuthorityArn,
      role: iam.Role.fromRoleArn(env.stack, 'Role', 'arn:aws:iam::111111111111:role/tls', { mutable: false }),
      kmsKey: kms.Key.fromKeyArn(env.stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'),
    });
    expect(new Set(ecsService(env.template()).DependsOn ?? [])).toEqual(before);
  });
});

/** The stack of a server without TLS, for comparison. */
function serverOnly(env: TestEnv): Stack {
  new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
    endpoints: [{ portMappingName: 'http' }],
  });
  return env.stack;
}

test('the library adds no wildcard to any IAM policy', () => {
  const env = new TestEnv();
  const ca = certificateAuthority(env.stack);
  Tags.of(ca).add('team', 'platform');
  server(env, { awsPcaAuthorityArn: ca.attrArn, createRole: true, kmsKey: new kms.Key(env.stack, 'Key') });
  const policies = Object.values(env.template().findResources('AWS::IAM::Policy')) as any[];
  const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
  const tlsStatements = statements.filter((st) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
  expect(tlsStatements).toHaveLength(1);
  expect(JSON.stringify(tlsStatements)).not.toContain('*');
});
