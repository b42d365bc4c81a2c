import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, IServiceConnectNamespace, ServiceConnectNamespace } from '../src';
import { fargateTask } from './util';

const OWNER = '111111111111';
const CONSUMER = '222222222222';
const SHARED_ARN = `arn:aws:servicediscovery:us-east-1:${OWNER}:namespace/ns-e4anhexw2s5kcmnh`;
const PERMISSION = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram::aws:permission/AWSRAMPermissionCloudMapECSFullPermission']],
};

/** A consumer stack (account B) with a VPC and a cluster. */
function consumer(region = 'us-east-1') {
  const app = new App();
  const stack = new Stack(app, 'Consumer', { env: { account: CONSUMER, region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  return { app, stack, cluster };
}

/** An API server and a web client in `namespace` (or the cluster's default when omitted). */
function apiAndWeb(stack: Stack, cluster: ecs.Cluster, namespace?: IServiceConnectNamespace) {
  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    taskDefinition: fargateTask(stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
  });
  new ClientService(stack, 'Web', { cluster, namespace, taskDefinition: fargateTask(stack, 'WebTask'), connectsTo: [api] });
}

/** The synth error message, or undefined when synth succeeds. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** An owner stack (account A) with a namespace. */
function owner() {
  const stack = new Stack(new App(), 'Owner', { env: { account: OWNER, region: 'us-east-1' } });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  return { stack, namespace };
}

describe('a namespace imported by ARN (shared through AWS RAM)', () => {
  test('its name, id and ARN come from the arguments and the ARN', () => {
    // GIVEN
    const { stack } = consumer();
    // WHEN
    const shared = ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN, 'shop.internal');
    const unnamed = ServiceConnectNamespace.fromNamespaceArn(stack, 'Unnamed', SHARED_ARN);
    // THEN
    expect(shared.namespaceArn).toBe(SHARED_ARN);
    expect(shared.namespaceId).toBe('ns-e4anhexw2s5kcmnh');
    expect(shared.namespaceName).toBe('shop.internal');
    expect(unnamed.namespaceName).toBe('ns-e4anhexw2s5kcmnh');
  });

  test('the services\' Service Connect configuration names the namespace by ARN', () => {
    // GIVEN
    const { stack, cluster } = consumer();
    const shared = ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN, 'shop.internal');
    // WHEN
    apiAndWeb(stack, cluster, shared);
    // THEN
    const services = Template.fromStack(stack).findResources('AWS::ECS::Service');
    expect(Object.values(services).map((s: any) => s.Properties.ServiceConnectConfiguration.Namespace)).toEqual([SHARED_ARN, SHARED_ARN]);
  });

  test('the cluster default names the namespace by ARN, and services that omit `namespace` use it', () => {
    // GIVEN
    const { stack, cluster } = consumer();
    // WHEN
    ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN, 'shop.internal').makeDefaultFor(cluster);
    apiAndWeb(stack, cluster);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: SHARED_ARN } });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Namespace: SHARED_ARN, Services: [Match.objectLike({ PortName: 'http' })] }),
    });
  });

  test('another account in the same region synthesizes, with no NamespaceSameRegion finding', () => {
    // GIVEN a consumer in account B, us-east-1, and a namespace of account A, us-east-1
    const { app, stack, cluster } = consumer('us-east-1');
    // WHEN
    apiAndWeb(stack, cluster, ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN, 'shop.internal'));
    // THEN
    expect(synthError(app)).toBeUndefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('NamespaceSameRegion'))).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('NamespaceSameRegion'))).toEqual([]);
  });

  test('another region fails NamespaceSameRegion, naming both regions', () => {
    // GIVEN a consumer in eu-west-1 and a namespace in us-east-1
    const { app, stack, cluster } = consumer('eu-west-1');
    // WHEN
    apiAndWeb(stack, cluster, ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN, 'shop.internal'));
    // THEN
    const error = synthError(app);
    expect(error).toMatch(/\[NamespaceSameRegion\] Consumer\/Api: the namespace is in another region/);
    expect(error).toContain('namespace region us-east-1, service region eu-west-1');
  });

  test('a token ARN is accepted; the id is read from it at deployment', () => {
    // GIVEN
    const { app, stack, cluster } = consumer();
    const arn = new CfnParameter(stack, 'NamespaceArn').valueAsString;
    // WHEN
    const shared = ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', arn, 'shop.internal');
    apiAndWeb(stack, cluster, shared);
    // THEN
    expect(stack.resolve(shared.namespaceId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'NamespaceArn' }] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Namespace: { Ref: 'NamespaceArn' } }),
    });
    expect(synthError(app)).toBeUndefined();
  });

  test.each([
    ['an id instead of the ARN', 'ns-e4anhexw2s5kcmnh'],
    ['a name instead of the ARN', 'shop.internal'],
    ['the ARN of another resource type', `arn:aws:servicediscovery:us-east-1:${OWNER}:service/srv-e4anhexw2s5kcmnh`],
    ['a short account', 'arn:aws:servicediscovery:us-east-1:1111:namespace/ns-e4anhexw2s5kcmnh'],
    ['no region', `arn:aws:servicediscovery::${OWNER}:namespace/ns-e4anhexw2s5kcmnh`],
    ['another service', `arn:aws:route53:us-east-1:${OWNER}:namespace/ns-e4anhexw2s5kcmnh`],
    ['an empty string', ''],
  ])('a malformed ARN is refused: %s', (_name, arn) => {
    // GIVEN
    const { stack } = consumer();
    // WHEN / THEN
    expect(() => ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', arn)).toThrow(
      `Consumer/Shared: the namespace ARN is not a Cloud Map namespace ARN (found: ${JSON.stringify(arn)}). Fix: pass the ARN, not the id or the name`,
    );
    // and the refused import left nothing behind
    expect(stack.node.tryFindChild('Shared')).toBeUndefined();
  });

  test.each([
    ['the commercial partition', SHARED_ARN],
    ['GovCloud', `arn:aws-us-gov:servicediscovery:us-gov-west-1:${OWNER}:namespace/ns-abc123`],
    ['China', `arn:aws-cn:servicediscovery:cn-north-1:${OWNER}:namespace/ns-abc123`],
  ])('a well-formed ARN is accepted: %s', (_name, arn) => {
    const { stack } = consumer();
    expect(ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', arn).namespaceArn).toBe(arn);
  });

  test('an imported namespace cannot be shared: only its owner can', () => {
    // GIVEN
    const { stack } = consumer();
    const shared = ServiceConnectNamespace.fromNamespaceArn(stack, 'Shared', SHARED_ARN);
    // THEN the type has no shareWith (TypeScript refuses) ...
    // @ts-expect-error shareWith is only on a namespace this app creates
    expect(() => shared.shareWith('Share', { principals: [CONSUMER] })).toThrow(
      'Consumer/Shared: only the account that owns a namespace can share it (found: a namespace imported by ARN). Fix: call shareWith',
    );
    // ... and JavaScript gets a clear error, with no share created
    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 0);
  });
});

describe('ServiceConnectNamespace.shareWith', () => {
  test('shares the namespace with the principals and the Cloud Map ECS permission, only inside the organization by default', () => {
    // GIVEN
    const { stack, namespace } = owner();
    const ou = 'arn:aws:organizations::333333333333:ou/o-a1b2c3d4e5/ou-ab12-11111111';
    // WHEN
    const share = namespace.shareWith('Share', { principals: [CONSUMER, ou, CONSUMER] });
    // THEN
    expect(share.node.path).toBe('Owner/Namespace/Share');
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: Match.stringLikeRegexp('^OwnerNamespaceShare'),
      ResourceArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Namespace'), 'Arn'] }],
      Principals: [CONSUMER, ou],
      PermissionArns: [PERMISSION],
      AllowExternalPrincipals: false,
    });
  });

  test('an organization, external principals and a share name', () => {
    // GIVEN
    const { stack, namespace } = owner();
    const org = 'arn:aws:organizations::333333333333:organization/o-a1b2c3d4e5';
    // WHEN
    namespace.shareWith('Share', { principals: [org], allowExternalPrincipals: true, shareName: 'shop-namespace' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'shop-namespace', Principals: [org], AllowExternalPrincipals: true, PermissionArns: [PERMISSION],
    });
  });

  test('a token principal is accepted as it is', () => {
    const { stack, namespace } = owner();
    const account = new CfnParameter(stack, 'ConsumerAccount').valueAsString;
    namespace.shareWith('Share', { principals: [account] });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { Principals: [{ Ref: 'ConsumerAccount' }] });
  });

  test('an empty principal list is refused', () => {
    const { namespace } = owner();
    expect(() => namespace.shareWith('Share', { principals: [] })).toThrow(
      'Owner/Namespace: a namespace share needs at least one principal (found: principals []). Fix: list the 12-digit account ids',
    );
  });

  test.each([
    ['a short account id', '12345'],
    ['an account id with spaces', ' 222222222222'],
    ['an IAM role', `arn:aws:iam::${CONSUMER}:role/Deployer`],
    ['an organization id without the ARN', 'o-a1b2c3d4e5'],
    ['an OU ARN without its organization', 'arn:aws:organizations::333333333333:ou/ou-ab12-11111111'],
  ])('a principal that is not an account, an OU or an organization is refused: %s', (_name, principal) => {
    const { stack, namespace } = owner();
    expect(() => namespace.shareWith('Share', { principals: [CONSUMER, principal] })).toThrow(
      `Owner/Namespace: a share principal is not an account id, an organizational unit ARN or an organization ARN (found: principal ${JSON.stringify(principal)})`,
    );
    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('the owner account itself is refused', () => {
    const { namespace } = owner();
    expect(() => namespace.shareWith('Share', { principals: [OWNER] })).toThrow(
      `Owner/Namespace: a namespace cannot be shared with the account that owns it (found: principal ${OWNER})`,
    );
  });
});

describe('a namespace of the app imported again by its literal ARN', () => {
  // One account: the consumer stack imports the owner stack's namespace by the ARN it was given. (Across
  // accounts the security-group rules would need a reference across accounts, which CloudFormation has not.)
  function app(consumerName?: string, consumerAccount = '111111111111') {
    const root = new App();
    const ownerStack = new Stack(root, 'Owner', { env: { account: '111111111111', region: 'us-east-1' } });
    const namespace = new ServiceConnectNamespace(ownerStack, 'Ns', { name: 'shop.internal' });
    const ownerCluster = new ecs.Cluster(ownerStack, 'Cluster', { vpc: new ec2.Vpc(ownerStack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    const api = new ClientServerService(ownerStack, 'Api', {
      cluster: ownerCluster, namespace, taskDefinition: fargateTask(ownerStack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    const consumerStack = new Stack(root, 'Consumer', { env: { account: consumerAccount, region: 'us-east-1' } });
    const shared = ServiceConnectNamespace.fromNamespaceArn(consumerStack, 'Shared', 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abc', consumerName);
    const cluster = new ecs.Cluster(consumerStack, 'Cluster', { vpc: new ec2.Vpc(consumerStack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    const web = new ClientService(consumerStack, 'Web', { cluster, namespace: shared, taskDefinition: fargateTask(consumerStack, 'WebTask'), connectsTo: [api] });
    return { root, namespace, shared, web };
  }

  test('under the namespace\'s name, it is the same namespace: a call to a server of the original is no ConnectAcrossNamespaces', () => {
    const { root, namespace, shared } = app('shop.internal');
    expect(() => root.synth()).not.toThrow();
    expect(namespace.services.length + shared.services.length).toBe(2);
  });

  test('without the name, the library cannot tell, and says so', () => {
    expect(() => app().root.synth()).toThrow(/\[ConnectAcrossNamespaces\] Consumer\/Web/);
  });
});
