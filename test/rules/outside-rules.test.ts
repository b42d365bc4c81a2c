import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describeRule, RuleEnv } from './harness';
import { ClientServerService, ServiceConnectNamespace, ServiceConnectRules } from '../../src';
import { cloudMapServiceLookup, outsideCallerAnyAddress, outsideCallerPort, privateIntegrationAcrossAccounts } from '../../src/rules/outside-rules';

const ACCOUNT = { env: { account: '111111111111', region: 'us-east-1' } };
const OTHER_ACCOUNT_NAMESPACE = 'arn:aws:servicediscovery:us-east-1:222222222222:namespace/ns-abcdefgh12345678';
const OWN_ACCOUNT_NAMESPACE = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abcdefgh12345678';

/** A server in a namespace imported by ARN (`arn`). */
function serverIn(env: RuleEnv, arn: string): ClientServerService {
  return env.server('Api', { namespace: ServiceConnectNamespace.fromNamespaceArn(env.stack, 'Shared', arn, 'shared.internal') });
}

describeRule(outsideCallerAnyAddress, [{
  name: 'a caller that is every IPv4 address',
  fail: (env) => env.server('Api').allowFrom(ec2.Peer.anyIpv4()),
  pass: (env) => env.server('Api').allowFrom(ec2.Peer.ipv4(env.vpc.vpcCidrBlock)),
  found: 'allowFrom(0.0.0.0/0)',
}, {
  name: 'a caller that is every IPv6 address',
  fail: (env) => env.server('Api').allowFrom(ec2.Peer.anyIpv6()),
  pass: (env) => env.server('Api').allowFrom(ec2.Peer.ipv6('2001:db8::/56')),
  found: 'allowFrom(::/0)',
}]);

describeRule(outsideCallerPort, [{
  name: 'a caller on the client alias port, which only Service Connect clients translate',
  fail: (env) => {
    const api = env.server('Api', { endpoints: [{ portMappingName: 'http', discoveryName: 'api', port: 80 }] });
    api.allowFrom(new ec2.SecurityGroup(env.stack, 'Caller', { vpc: env.vpc }), { port: 80 });
  },
  pass: (env) => {
    const api = env.server('Api', { endpoints: [{ portMappingName: 'http', discoveryName: 'api', port: 80 }] });
    api.allowFrom(new ec2.SecurityGroup(env.stack, 'Caller', { vpc: env.vpc }), { port: 8080 });
  },
  found: 'port 80; the proxy listens on 8080',
}, {
  name: 'a caller on the container port when the proxy listens on the ingress override',
  fail: (env) => {
    const api = env.server('Api', { endpoints: [{ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: 9000 }] });
    api.allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), { port: 8080 });
  },
  pass: (env) => {
    const api = env.server('Api', { endpoints: [{ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: 9000 }] });
    api.allowFrom(ec2.Peer.ipv4('10.1.0.0/16'));
  },
  found: 'port 8080; the proxy listens on 9000',
}, {
  name: 'a caller on an endpoint the server does not have',
  fail: (env) => env.server('Api').allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), { discoveryName: 'orders' }),
  pass: (env) => env.server('Api').allowFrom(ec2.Peer.ipv4('10.1.0.0/16'), { discoveryName: 'api' }),
  found: 'discoveryName \'orders\'; the server\'s discovery names: api',
}, {
  name: 'a caller of a bridge-mode endpoint without an ingress override (no known listen port)',
  fail: (env) => {
    const taskDefinition = new ecs.Ec2TaskDefinition(env.stack, 'BridgeTask', { networkMode: ecs.NetworkMode.BRIDGE });
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
      memoryLimitMiB: 512,
      portMappings: [{ name: 'http', containerPort: 8080 }],
    });
    ServiceConnectRules.relax(env.stack, 'BridgeIngressPortOverride', 'this table checks OutsideCallerPort alone');
    ServiceConnectRules.relax(env.stack, 'TaskMemoryRequired', 'this table checks OutsideCallerPort alone');
    env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium'), minCapacity: 1 });
    env.server('Api', { taskDefinition }).allowFrom(ec2.Peer.ipv4('10.1.0.0/16'));
  },
  pass: (env) => env.server('Api').allowFrom(ec2.Peer.ipv4('10.1.0.0/16')),
  found: 'every endpoint: no listen port',
  fix: 'give the endpoint a port mapping with a container port, or an `ingressPortOverride` in the bridge network mode',
}]);

describeRule(cloudMapServiceLookup, [{
  name: 'the Cloud Map service of a discovery name the server has no endpoint with',
  fail: (env) => env.server('Api').cloudMapService('orders'),
  pass: (env) => env.server('Api').cloudMapService('api'),
  found: 'discoveryName \'orders\'; the server\'s discovery names: api',
}, {
  name: 'a lookup in a namespace known only by its name',
  fail: (env) => env.server('Api', { namespace: ServiceConnectNamespace.fromNamespaceName(env.stack, 'ByName', 'shop.internal') }).cloudMapService(),
  pass: (env) => env.server('Api', { namespace: ServiceConnectNamespace.fromNamespaceArn(env.stack, 'ByArn', OWN_ACCOUNT_NAMESPACE) }).cloudMapService(),
  env: ACCOUNT,
  found: 'namespace shop.internal',
}]);

describeRule(privateIntegrationAcrossAccounts, [{
  name: 'an HTTP API private integration into a namespace another account shares',
  fail: (env) => serverIn(env, OTHER_ACCOUNT_NAMESPACE).httpApiIntegration('Api', { vpcLinkSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
  pass: (env) => serverIn(env, OWN_ACCOUNT_NAMESPACE).httpApiIntegration('Api', { vpcLinkSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
  env: ACCOUNT,
  found: 'namespace account 222222222222, stack account 111111111111',
}]);

test('the rules are in the catalog, and the two that would drop what the user declared cannot be relaxed', () => {
  expect(ServiceConnectRules.RULE_IDS).toEqual(expect.arrayContaining(['OutsideCallerAnyAddress', 'OutsideCallerPort', 'CloudMapServiceLookup', 'PrivateIntegrationAcrossAccounts']));
  const env = new RuleEnv();
  expect(() => ServiceConnectRules.relax(env.stack, 'OutsideCallerAnyAddress', 'because')).toThrow(/cannot be relaxed/);
  expect(() => ServiceConnectRules.relax(env.stack, 'CloudMapServiceLookup', 'because')).toThrow(/cannot be relaxed/);
});
