import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ClientServerService, ServiceConnectNamespace } from '../../src';
import { fargateTask, ingressFromAnywhere, TestEnv, waitsFor } from '../util';

/** A server 'Api' with one HTTP endpoint on container port 8080, proxy listening on 8080 (or the override). */
function apiServer(env: TestEnv, ingressPortOverride?: number): ClientServerService {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
    endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80, ingressPortOverride }],
  });
}

function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}

describe('cloudMapService', () => {
  test('a custom resource looks the service up by namespace id and discovery name, after the ECS service', () => {
    // GIVEN a server
    const env = new TestEnv();
    const api = apiServer(env);
    // WHEN its Cloud Map service is asked for
    const service = api.cloudMapService();
    // THEN its name is the discovery name, and its id and ARN are the lookup's attributes
    expect(service.serviceName).toBe('api');
    const template = env.template();
    const [[lookupId, lookup]] = resourcesOf(template, 'Custom::ServiceConnectCloudMapService');
    expect(lookup.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceConnectCloudMapLookupFunction/), 'Arn'] },
      NamespaceId: { 'Fn::GetAtt': [expect.stringMatching(/^Namespace/), 'Id'] },
      DiscoveryName: 'api',
      EcsService: { Ref: env.stack.getLogicalId(api.service.node.defaultChild as ecs.CfnService) },
    });
    expect(env.stack.resolve(service.serviceArn)).toEqual({ 'Fn::GetAtt': [lookupId, 'Arn'] });
    expect(env.stack.resolve(service.serviceId)).toEqual({ 'Fn::GetAtt': [lookupId, 'Id'] });
    // created after the ECS service, which creates the Cloud Map service
    const ecsServiceId = env.stack.getLogicalId(api.service.node.defaultChild as ecs.CfnService);
    expect(waitsFor(template.toJSON(), lookupId)).toContain(ecsServiceId);
    // by the reference alone: a DependsOn too would be redundant (cfn-lint W3005)
    expect(lookup.DependsOn).toBeUndefined();
    // and deleted before it (nothing to delete: the handler does nothing on delete)
    expect(lookup.DeletionPolicy ?? 'Delete').toBe('Delete');
    expect(lookup.Type).toBe('Custom::ServiceConnectCloudMapService');
  });

  test('the function: a supported Node.js runtime, its own log group with a retention, a role that may list Cloud Map services and write its logs only', () => {
    const env = new TestEnv();
    apiServer(env).cloudMapService('api');
    const template = env.template();
    const [[fnId, fn]] = resourcesOf(template, 'AWS::Lambda::Function');
    expect(['nodejs22.x', 'nodejs24.x']).toContain(fn.Properties.Runtime);
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.Timeout).toBe(600);
    const [[logGroupId, logGroup]] = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('ServiceConnectCloudMapLookup'));
    expect(logGroup.Properties.RetentionInDays).toBe(30);
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    // the role: no managed policy, one inline policy with exactly two statements
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'LookUp',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
          { Action: 'servicediscovery:ListServices', Effect: 'Allow', Resource: '*' },
        ],
      },
    }]);
    // no other IAM policy grants the function anything
    expect(Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))).toEqual([]);
    expect(waitsFor(template.toJSON(), fnId)).toEqual(expect.arrayContaining([roleId, logGroupId]));
  });

  test('one function per stack; one lookup per endpoint, however often it is asked for', () => {
    const env = new TestEnv();
    const api = apiServer(env);
    const other = new ClientServerService(env.stack, 'Other', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'OtherTask', [{ name: 'grpc', containerPort: 9090 }]),
      endpoints: [{ portMappingName: 'grpc', discoveryName: 'other' }],
    });
    expect(api.cloudMapService('api')).toBe(api.cloudMapService());
    other.cloudMapService();
    const template = env.template();
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('Custom::ServiceConnectCloudMapService', 2);
  });

  test('nothing new without a lookup: the template has no function and no custom resource', () => {
    const env = new TestEnv();
    apiServer(env);
    const template = env.template();
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::ServiceConnectCloudMapService', 0);
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress'))).toEqual([]);
  });

  test('the namespace id of a namespace imported by ARN comes from the ARN', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const namespace = ServiceConnectNamespace.fromNamespaceArn(stack, 'Ns', 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abcdefgh12345678', 'shop.internal');
    const api = new ClientServerService(stack, 'Api', {
      cluster, namespace, taskDefinition: fargateTask(stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]), endpoints: [{ portMappingName: 'http' }],
    });
    api.cloudMapService();
    Template.fromStack(stack).hasResourceProperties('Custom::ServiceConnectCloudMapService', { NamespaceId: 'ns-abcdefgh12345678', DiscoveryName: 'http' });
  });
});

describe('httpApiIntegration', () => {
  test('a private integration through a new VPC link, whose security group the server admits on the proxy listen port only', () => {
    // GIVEN a server whose proxy listens on 9000 (client alias port 80, container port 8080)
    const env = new TestEnv();
    const api = apiServer(env, 9000);
    // WHEN an HTTP API routes to it
    const httpApi = new apigwv2.HttpApi(env.stack, 'HttpApi');
    httpApi.addRoutes({ path: '/{proxy+}', integration: api.httpApiIntegration('Api') });
    const template = env.template();
    // THEN the integration is a private HTTP proxy to the looked-up Cloud Map service, through the VPC link
    const [[lookupId]] = resourcesOf(template, 'Custom::ServiceConnectCloudMapService');
    const [[linkId, link]] = resourcesOf(template, 'AWS::ApiGatewayV2::VpcLink');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: linkId },
      IntegrationUri: { 'Fn::GetAtt': [lookupId, 'Arn'] },
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
    });
    const [linkGroup] = link.Properties.SecurityGroupIds;
    const linkGroupId = linkGroup['Fn::GetAtt'][0];
    expect(linkGroupId).toMatch(/^ApiApiVpcLinkSecurityGroup/);
    // the server admits the link's group on 9000, and nothing else from it
    const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({
      IpProtocol: 'tcp',
      FromPort: 9000,
      ToPort: 9000,
      GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ApiServiceSecurityGroup/), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [linkGroupId, 'GroupId'] },
    })]);
    // the link's group may reach the server on 9000 only
    const linkSg = template.toJSON().Resources[linkGroupId];
    expect(linkSg.Properties.SecurityGroupEgress).toBeUndefined();
    const egress = resourcesOf(template, 'AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [linkGroupId, 'GroupId'] },
      FromPort: 9000,
      ToPort: 9000,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ApiServiceSecurityGroup/), 'GroupId'] },
    })]);
    // no ingress from everywhere anywhere
    expect(ingressFromAnywhere(template)).toEqual([]);
  });

  test('a shared VPC link needs its security groups', () => {
    const env = new TestEnv();
    const api = apiServer(env);
    const vpcLink = new apigwv2.VpcLink(env.stack, 'Link', { vpc: env.vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
    expect(() => api.httpApiIntegration('Api', { vpcLink })).toThrow(/\[OutsideCallerPort\] \/?Stack\/Api: the server cannot let in a VPC link whose security groups it does not know .*Fix: pass the VPC link's security groups/);
    const group = new ec2.SecurityGroup(env.stack, 'LinkGroup', { vpc: env.vpc });
    api.httpApiIntegration('Api', { vpcLink, vpcLinkSecurityGroups: [group] });
    env.template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LinkGroup'), 'GroupId'] } });
  });
});

describe('allowFrom', () => {
  test('a Lambda function in the VPC is let in on the proxy listen port, from its own security group', () => {
    const env = new TestEnv();
    const api = apiServer(env);
    const fn = new lambda.Function(env.stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), vpc: env.vpc,
    });
    api.allowFrom(fn);
    const template = env.template();
    const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CallerSecurityGroup/), 'GroupId'] },
      Description: 'Service Connect from Stack/Caller (outside the namespace) to Stack/Api',
    })]);
  });

  test('an address range is let in by its CIDR', () => {
    const env = new TestEnv();
    apiServer(env, 9000).allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), { port: 9000 });
    env.template().hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 9000, ToPort: 9000 })],
    });
  });

  test('a port known only at deploy time is taken as given, and not checked', () => {
    const env = new TestEnv();
    const port = new CfnParameter(env.stack, 'Port', { type: 'Number' }).valueAsNumber;
    apiServer(env).allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), { port });
    const template = env.template().toJSON();
    const rules = Object.values<any>(template.Resources).flatMap((r) => (r.Type === 'AWS::EC2::SecurityGroupIngress' ? [r.Properties]
      : r.Type === 'AWS::EC2::SecurityGroup' ? r.Properties.SecurityGroupIngress ?? [] : []));
    expect(rules).toEqual([expect.objectContaining({ CidrIp: '10.1.0.0/16', FromPort: { Ref: 'Port' }, ToPort: { Ref: 'Port' } })]);
  });

  test('a Lambda function outside a VPC is refused with the library\'s message', () => {
    const env = new TestEnv();
    const fn = new lambda.Function(env.stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    expect(() => apiServer(env).allowFrom(fn)).toThrow(/^\[OutsideCallerPort\] Stack\/Api: the caller has no security group to let in: it is not in the VPC \(found: Stack\/Caller\)\. Fix: give the caller a VPC/);
  });

  test('what JavaScript may pass gets the library\'s messages, never a TypeError', () => {
    const env = new TestEnv();
    const api = apiServer(env);
    const peer = ec2.Peer.ipv4('10.1.0.0/16');
    expect(() => api.allowFrom(undefined as any)).toThrow(/^\[OutsideCallerPort\] Stack\/Api: allowFrom needs a caller with connections: .*\(found: nothing\)/);
    expect(() => api.allowFrom(peer, { port: '8080' as any })).toThrow(/^\[OutsideCallerPort\] Stack\/Api: an option of the outside caller has the wrong type \(found: port a string\)/);
    expect(() => api.allowFrom(peer, { discoveryName: 7 as any })).toThrow(/found: discoveryName a number/);
    expect(() => api.allowFrom(peer, null as any)).not.toThrow();
    expect(() => api.httpApiIntegration(undefined as any)).toThrow(/^\[CloudMapServiceLookup\] Stack\/Api: the integration needs a construct id .*\(found: id nothing\)/);
    expect(() => api.httpApiIntegration('Api', { discoveryName: 1 as any })).toThrow(/the discovery name of the integration is not a string/);
    expect(() => api.cloudMapService('Not/AName')).toThrow(/^\[CloudMapServiceLookup\] Stack\/Api: the Cloud Map service of an endpoint is looked up by a literal discovery name \(found: discoveryName "Not\/AName"\)/);
  });

  test('after the app was wired, allowFrom is refused', () => {
    const env = new TestEnv();
    const api = apiServer(env);
    env.app.synth();
    expect(() => api.allowFrom(ec2.Peer.ipv4('10.0.0.0/16'))).toThrow(/\[ConnectAfterWiring\]/);
  });

  test('the order of calls does not matter: a caller declared before the endpoint\'s port mapping exists gets the same rule', () => {
    const env = new TestEnv();
    const taskDefinition = new ecs.FargateTaskDefinition(env.stack, 'ApiTask', { cpu: 512, memoryLimitMiB: 1024 });
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition, endpoints: [{ portMappingName: 'http', discoveryName: 'api' }],
    });
    api.allowFrom(ec2.Peer.ipv4('10.1.0.0/16'));
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
      memoryLimitMiB: 512,
      portMappings: [{ name: 'http', containerPort: 7070 }],
    });
    env.template().hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 7070, ToPort: 7070 })],
    });
    expect(Annotations.fromStack(env.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});
