import { CfnParameter, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ClientService } from '../src';
import { fargateTask, TestEnv } from './util';

/*
 * The hardening options: encrypted, retained proxy and container log groups with a removal policy, the
 * container's own user and read-only root filesystem, and egress restricted to the servers a client calls.
 */

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

function server(env: TestEnv, extra: object = {}): ClientServerService {
  return new ClientServerService(env.stack, 'Api', {
    cluster: env.cluster,
    namespace: env.namespace,
    container: { image, portMappings: [{ name: 'http', containerPort: 8080 }] },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
    ...extra,
  });
}

/** The log group whose logical id starts with `prefix`. */
function logGroup(env: TestEnv, prefix: string): any {
  const groups = env.template().findResources('AWS::Logs::LogGroup');
  const id = Object.keys(groups).find((logicalId) => logicalId.startsWith(prefix));
  expect(id).toBeDefined();
  return { logicalId: id, ...groups[id as string] };
}

describe('log groups', () => {
  test('GIVEN a KMS key, a retention and a removal policy WHEN given to proxyLogs and containerLogs THEN both log groups use them', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'LogKey', { enableKeyRotation: true });
    const options = { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY };
    server(env, { proxyLogs: options, containerLogs: options });
    for (const prefix of ['ApiProxyLogGroup', 'ApiContainerLogGroup']) {
      const group = logGroup(env, prefix);
      expect(group.Properties).toEqual({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [env.stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });

  test('GIVEN a key of the app THEN its policy lets CloudWatch Logs of the region use it for this account\'s log groups only, once', () => {
    const env = new TestEnv();
    const key = new kms.Key(env.stack, 'LogKey', { enableKeyRotation: true });
    server(env, { proxyLogs: { encryptionKey: key }, containerLogs: { encryptionKey: key } });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image }, proxyLogs: { encryptionKey: key } });
    const statements = env.template().toJSON().Resources[env.stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy.Statement;
    const forLogs = statements.filter((s: any) => JSON.stringify(s.Principal).includes('logs.'));
    expect(forLogs).toEqual([{
      Effect: 'Allow',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'].sort(),
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
          },
        },
      },
    }].map((s) => ({ ...s, Action: expect.arrayContaining(s.Action) })));
    expect(forLogs[0].Action).toHaveLength(5);
  });

  test('GIVEN an imported key THEN the library warns that it cannot open the key policy to CloudWatch Logs', () => {
    const env = new TestEnv();
    const key = kms.Key.fromKeyArn(env.stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555');
    server(env, { proxyLogs: { encryptionKey: key } });
    Annotations.fromStack(env.stack).hasWarning('/Stack/Api', Match.stringLikeRegexp('imported key.*kms:EncryptionContext:aws:logs:arn.*LogKeyPolicy'));
    expect(logGroup(env, 'ApiProxyLogGroup').Properties.KmsKeyId).toBe(key.keyArn);
  });

  test('GIVEN a key imported from a parameter THEN the warning names the key by its path, never by a token', () => {
    const env = new TestEnv();
    const arn = new CfnParameter(env.stack, 'LogKeyArn').valueAsString;
    server(env, { proxyLogs: { encryptionKey: kms.Key.fromKeyArn(env.stack, 'Imported', arn) } });
    const warnings = Annotations.fromStack(env.stack).findWarning('/Stack/Api', Match.stringLikeRegexp('LogKeyPolicy'));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringContaining('the imported key Stack/Imported the statement')]);
    expect(JSON.stringify(warnings)).not.toMatch(/\$\{Token|Fn::|Ref/);
  });

  test('GIVEN an existing log group WHEN a key or a removal policy is also given THEN synth refuses it, naming both', () => {
    const env = new TestEnv();
    const given = new logs.LogGroup(env.stack, 'Given');
    const key = new kms.Key(env.stack, 'LogKey');
    expect(() => server(env, { proxyLogs: { logGroup: given, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY } }))
      .toThrow(/Stack\/Api: options of a new log group were given with an existing `logGroup` \(found: encryptionKey, removalPolicy\)\. Fix: /);
  });

  test('defaults: the proxy log group is kept one month and retained; the container logs to its own log group through awslogs', () => {
    const env = new TestEnv();
    server(env);
    const proxy = logGroup(env, 'ApiProxyLogGroup');
    const container = logGroup(env, 'ApiContainerLogGroup');
    for (const group of [proxy, container]) {
      expect(group.Properties).toEqual({ RetentionInDays: 30 });
      expect(group.DeletionPolicy).toBe('Retain');
    }
    env.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: { 'awslogs-group': { Ref: container.logicalId }, 'awslogs-stream-prefix': 'app', 'awslogs-region': { Ref: 'AWS::Region' } },
        },
      })],
    });
    // the execution role writes to both log groups
    const policy = JSON.stringify(env.template().findResources('AWS::IAM::Policy'));
    expect(policy).toContain(proxy.logicalId);
    expect(policy).toContain(container.logicalId);
  });

  test('container logs can be turned off or given a stream prefix; a container with its own logging keeps it', () => {
    const off = new TestEnv();
    server(off, { containerLogs: { enabled: false } });
    expect(JSON.stringify(off.template().findResources('AWS::ECS::TaskDefinition'))).not.toContain('LogConfiguration');
    expect(Object.keys(off.template().findResources('AWS::Logs::LogGroup'))).toEqual([expect.stringMatching(/^ApiProxyLogGroup/)]);

    const prefixed = new TestEnv();
    server(prefixed, { containerLogs: { streamPrefix: 'api' } });
    prefixed.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'api' }) }) })],
    });

    const own = new TestEnv();
    new ClientService(own.stack, 'Web', {
      cluster: own.cluster, namespace: own.namespace, container: { image, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'mine' }) },
    });
    own.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'mine' }) }) })],
    });
    expect(Object.keys(own.template().findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith('WebContainerLogGroup'))).toEqual([]);
  });

  test.each([
    ['a task definition', (env: TestEnv) => ({ taskDefinition: fargateTask(env.stack, 'Task'), containerLogs: {} }),
      /Stack\/Web: `containerLogs` was given with a task definition \(found: taskDefinition and containerLogs\)\. Fix: /],
    ['a container with its own logging', () => ({ container: { image, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'x' }) }, containerLogs: {} }),
      /Stack\/Web: the container has its own `logging` and `containerLogs` was given \(found: container.logging and containerLogs\)\. Fix: /],
  ])('containerLogs next to %s is refused', (_name, props, message) => {
    const env = new TestEnv();
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, ...props(env) })).toThrow(message);
  });
});

test('the container options user and readonlyRootFilesystem reach the container the library builds', () => {
  const env = new TestEnv();
  server(env, { container: { image, user: '1000:1000', readonlyRootFilesystem: true, portMappings: [{ name: 'http', containerPort: 8080 }] } });
  env.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: [Match.objectLike({ User: '1000:1000', ReadonlyRootFilesystem: true })],
  });
});

describe('restricted egress', () => {
  /** The egress rules of the security group of the service at `id`. */
  function egressOf(env: TestEnv, id: string): any[] {
    const groups = env.template().findResources('AWS::EC2::SecurityGroup');
    const groupId = Object.keys(groups).find((logicalId) => logicalId.startsWith(`${id}SecurityGroup`));
    expect(groupId).toBeDefined();
    const inline = groups[groupId as string].Properties.SecurityGroupEgress ?? [];
    const separate = Object.values(env.template().findResources('AWS::EC2::SecurityGroupEgress'))
      .filter((r: any) => r.Properties.GroupId['Fn::GetAtt']?.[0] === groupId)
      .map((r: any) => r.Properties);
    return [...inline, ...separate];
  }

  test('GIVEN allowAllOutbound false THEN the client may reach only the server it calls, on the server proxy\'s listen port', () => {
    const env = new TestEnv();
    const api = server(env, { allowAllOutbound: false });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, container: { image }, connectsTo: [api], allowAllOutbound: false });
    const apiGroup = env.stack.getLogicalId(api.connections.securityGroups[0].node.defaultChild as ec2.CfnSecurityGroup);
    expect(apiGroup).toMatch(/^ApiSecurityGroup/);
    // the one rule to the server (it replaces CDK's placeholder that matches no traffic)
    expect(egressOf(env, 'Web')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, DestinationSecurityGroupId: { 'Fn::GetAtt': [apiGroup, 'GroupId'] } }),
    ]);
    // the server calls no one: nothing but the placeholder
    expect(egressOf(env, 'Api')).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    expect(JSON.stringify(env.template().findResources('AWS::EC2::SecurityGroup'))).not.toContain('0.0.0.0/0');
  });

  test('by default the group aws-cdk-lib creates keeps all outbound traffic open, under the same construct id as before', () => {
    const env = new TestEnv();
    server(env);
    env.template().hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Stack/Api/Service/SecurityGroup',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })],
    });
  });

  test('GIVEN allowAllOutbound false and security groups of the user THEN synth refuses the contradiction', () => {
    const env = new TestEnv();
    const group = new ec2.SecurityGroup(env.stack, 'Mine', { vpc: env.vpc });
    expect(() => server(env, { allowAllOutbound: false, securityGroups: [group] }))
      .toThrow(/Stack\/Api: `allowAllOutbound` applies only to the security group the library creates, and `securityGroups` was given \(found: allowAllOutbound false and 1 security group\(s\)\)\. Fix: /);
  });

  test('GIVEN allowAllOutbound false on a task definition without awsvpc THEN synth refuses it', () => {
    const env = new TestEnv();
    const taskDefinition = new ecs.Ec2TaskDefinition(env.stack, 'Bridge', { networkMode: ecs.NetworkMode.BRIDGE });
    taskDefinition.addContainer('app', { image, memoryLimitMiB: 256 });
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition, allowAllOutbound: false }))
      .toThrow(/Stack\/Web: restricted egress needs the awsvpc network mode.*\(found: network mode bridge\)/);
  });
});
