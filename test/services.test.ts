import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';
import { ec2Task, fargateTask, TestEnv } from './util';

describe('service rendering', () => {
  test('a Fargate task definition gives a FargateService with the namespace and endpoints', () => {
    // GIVEN
    const env = new TestEnv();
    // WHEN
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http' }],
    });
    // THEN
    expect(api.service).toBeInstanceOf(ecs.FargateService);
    env.template().hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Namespace'), 'Arn'] },
        Services: [{ PortName: 'http' }],
      },
    });
  });

  test('an EC2 task definition gives an Ec2Service', () => {
    // GIVEN
    const env = new TestEnv();
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium') });
    // WHEN
    const db = new ClientServerService(env.stack, 'Db', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: ec2Task(env.stack, 'DbTask', [{ name: 'pg', containerPort: 5432 }]),
      endpoints: [{ portMappingName: 'pg', dnsName: 'db' }],
    });
    // THEN
    expect(db.service).toBeInstanceOf(ecs.Ec2Service);
    env.template().hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'EC2',
      ServiceConnectConfiguration: Match.objectLike({
        Services: [{ PortName: 'pg', ClientAliases: [{ DnsName: 'db', Port: 5432 }] }],
      }),
    });
  });

  test('launchType chooses EC2 for a task definition compatible with both', () => {
    const env = new TestEnv();
    const taskDefinition = new ecs.TaskDefinition(env.stack, 'Task', {
      compatibility: ecs.Compatibility.EC2_AND_FARGATE, cpu: '512', memoryMiB: '1024', networkMode: ecs.NetworkMode.AWS_VPC,
    });
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256 });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition, launchType: ecs.LaunchType.EC2 });
    expect(web.service).toBeInstanceOf(ecs.Ec2Service);
  });

  test('a ClientService renders the namespace and no services', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: Match.anyValue(),
        LogConfiguration: Match.anyValue(),
        Services: Match.absent(),
      },
    });
  });

  test('timeouts and TLS are rendered', () => {
    const env = new TestEnv();
    const role = new iam.Role(env.stack, 'TlsRole', { assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com') });
    new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
      endpoints: [{
        portMappingName: 'http',
        idleTimeout: Duration.minutes(2),
        perRequestTimeout: Duration.seconds(30),
        tls: { awsPcaAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc', role },
      }],
    });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({
          Timeout: { IdleTimeoutSeconds: 120, PerRequestTimeoutSeconds: 30 },
          Tls: {
            IssuerCertificateAuthority: { AwsPcaAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc' },
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TlsRole'), 'Arn'] },
          },
        })],
      }),
    });
  });

  test('the namespace may come from the cluster default', () => {
    const env = new TestEnv();
    env.namespace.makeDefaultFor(env.cluster);
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'WebTask') });
    expect(web.namespace).toBe(env.namespace);
    env.template().hasResourceProperties('AWS::ECS::Cluster', {
      ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Namespace'), 'Arn'] } },
    });
  });

  test('a cluster default created with aws-cdk-lib is wrapped', () => {
    const env = new TestEnv();
    env.cluster.addDefaultCloudMapNamespace({ name: 'legacy.internal', useForServiceConnect: true });
    const web = new ClientService(env.stack, 'Web', { cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'WebTask') });
    expect(web.namespace.cloudMapNamespace).toBe(env.cluster.defaultCloudMapNamespace);
    expect(ServiceConnectNamespace.ofCluster(env.cluster)).toBe(web.namespace);
  });

  test('no namespace at all is a clear error', () => {
    const env = new TestEnv();
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, taskDefinition: fargateTask(env.stack, 'WebTask') }))
      .toThrow(/Stack\/Web: no Service Connect namespace.*Fix: pass `namespace`/);
  });

  test('an EXTERNAL task definition is rejected with the rule id', () => {
    const env = new TestEnv();
    const taskDefinition = new ecs.ExternalTaskDefinition(env.stack, 'Task');
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256 });
    expect(() => new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition }))
      .toThrow(/\[ExternalNotSupported\] Stack\/Web: .*Fix:/);
  });

  test('EC2-only options on a Fargate service are rejected', () => {
    const env = new TestEnv();
    expect(() => new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), daemon: true,
    })).toThrow(/EC2-only options.*found: daemon/);
  });
});

describe('proxy logs', () => {
  test('are on by default, to a log group with a retention, writable by the execution role', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask') });
    const template = env.template();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': { Ref: Match.stringLikeRegexp('^WebProxyLogGroup') },
            'awslogs-region': { Ref: 'AWS::Region' },
            'awslogs-stream-prefix': 'service-connect',
          },
        },
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^WebTaskExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebProxyLogGroup'), 'Arn'] },
        })]),
      },
    });
  });

  test('are configurable', () => {
    const env = new TestEnv();
    new ClientService(env.stack, 'Web', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'WebTask'),
      proxyLogs: { retention: logs.RetentionDays.ONE_WEEK, streamPrefix: 'proxy' },
    });
    env.template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'proxy' }) }),
      }),
    });
  });

  test('can be turned off', () => {
    const env = new TestEnv();
    const web = new ClientService(env.stack, 'Web', {
      cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), proxyLogs: { enabled: false },
    });
    expect(web.proxyLogGroup).toBeUndefined();
    env.template().resourceCountIs('AWS::Logs::LogGroup', 0);
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ LogConfiguration: Match.absent() }),
    });
  });
});

describe('effective names and ports (SPEC section 3)', () => {
  const ports = [{ name: 'http', containerPort: 8080 }];
  test.each([
    ['nothing set', {}, { discoveryName: 'http', dnsName: 'http', port: 8080, listenPort: 8080 }],
    ['discovery name', { discoveryName: 'api' }, { discoveryName: 'api', dnsName: 'api', port: 8080, listenPort: 8080 }],
    ['dns name', { dnsName: 'web-api' }, { discoveryName: 'http', dnsName: 'web-api', port: 8080, listenPort: 8080 }],
    ['client port', { port: 80 }, { discoveryName: 'http', dnsName: 'http', port: 80, listenPort: 8080 }],
    ['ingress override', { ingressPortOverride: 9090 }, { discoveryName: 'http', dnsName: 'http', port: 8080, listenPort: 9090 }],
  ])('%s', (_name, overrides, expected) => {
    const env = new TestEnv();
    const api = new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', ports),
      endpoints: [{ portMappingName: 'http', ...overrides }],
    });
    expect(api.endpoints).toEqual([{ portMappingName: 'http', containerPort: 8080, ...expected }]);
    expect(api.listenPorts).toEqual([expected.listenPort]);
  });

  test.each<[string, object, object]>([
    // the DNS name is written out as the discovery name (here the port mapping name): left out, ECS would
    // use `discoveryName.namespace`, not the short name the library documents
    ['neither dnsName nor port', {}, { DnsName: 'http', Port: 8080 }],
    ['a port only', { port: 80 }, { DnsName: 'http', Port: 80 }],
    ['an ingress override only', { ingressPortOverride: 9090 }, { DnsName: 'http', Port: 8080 }],
    ['a discovery name only', { discoveryName: 'api' }, { DnsName: 'api', Port: 8080 }],
  ])('an endpoint with %s renders one client alias with a port and the DNS name, as the ECS API requires', (_name, overrides, alias) => {
    const env = new TestEnv();
    new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', ports),
      endpoints: [{ portMappingName: 'http', ...overrides }],
    });
    const services = env.template().findResources('AWS::ECS::Service');
    const [rendered] = Object.values(services).map((r: any) => r.Properties.ServiceConnectConfiguration.Services);
    expect(rendered).toEqual([expect.objectContaining({ PortName: 'http', ClientAliases: [alias] })]);
  });

  test('a DNS name without a port renders the container port as the alias port', () => {
    const env = new TestEnv();
    new ClientServerService(env.stack, 'Api', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'ApiTask', ports),
      endpoints: [{ portMappingName: 'http', dnsName: 'api' }],
    });
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Services: [{ PortName: 'http', ClientAliases: [{ DnsName: 'api', Port: 8080 }] }] }),
    });
  });
});

describe('the seed example ("Service Connect service configuration")', () => {
  test('four endpoints on one port mapping render as the guide shows, with a valid ingress override', () => {
    // GIVEN
    const env = new TestEnv();
    // WHEN
    new ClientServerService(env.stack, 'Db', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'DbTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [
        { portMappingName: 'http' },
        { portMappingName: 'http', discoveryName: 'http-second' },
        { portMappingName: 'http', discoveryName: 'http-three', dnsName: 'db', port: 81 },
        { portMappingName: 'http', discoveryName: 'http-four', dnsName: 'db.app', port: 81, ingressPortOverride: 9999 },
      ],
    });
    // THEN
    env.template().hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Enabled: true,
        Services: [
          // the ECS API wants a client alias with a port on every Service Connect service: the container
          // port, and no DnsName, so that ECS names the endpoint as it would by default
          { PortName: 'http', ClientAliases: [{ Port: 8080 }] },
          { PortName: 'http', DiscoveryName: 'http-second', ClientAliases: [{ Port: 8080 }] },
          { PortName: 'http', DiscoveryName: 'http-three', ClientAliases: [{ DnsName: 'db', Port: 81 }] },
          { PortName: 'http', DiscoveryName: 'http-four', ClientAliases: [{ DnsName: 'db.app', Port: 81 }], IngressPortOverride: 9999 },
        ],
      }),
    });
  });

  test("the guide's literal ingress override 99 fails synth with the rule id and the fix", () => {
    const env = new TestEnv();
    new ClientServerService(env.stack, 'Db', {
      cluster: env.cluster,
      namespace: env.namespace,
      taskDefinition: fargateTask(env.stack, 'DbTask', [{ name: 'http', containerPort: 8080 }]),
      endpoints: [{ portMappingName: 'http', discoveryName: 'http-four', dnsName: 'db.app', port: 81, ingressPortOverride: 99 }],
    });
    expect(() => Template.fromStack(env.stack))
      .toThrow(/\[IngressPortOverride\] Stack\/Db: .*found: ingressPortOverride 99.*Fix: use an integer port from 1025 to 65535/);
  });
});
