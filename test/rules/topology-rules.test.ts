import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientService, ServiceConnectNamespace } from '../../src';
import { connectAcrossNamespaces, connectCycle, crossAccountIngress, crossVpcConnectivity } from '../../src/rules/topology-rules';
import { fargateTask } from '../util';
import { describeRule, RuleEnv } from './harness';

describeRule(connectCycle, [{
  name: 'two servers calling each other with ordering',
  fail: (env) => {
    const a = env.server('A');
    const b = env.server('B', { connectsTo: [a] });
    a.connectTo(b);
  },
  pass: (env) => {
    const a = env.server('A');
    const b = env.server('B', { connectsTo: [a] });
    a.connectTo(b, { ordered: false });
  },
  found: 'Stack/A -> Stack/B -> Stack/A',
}]);

describeRule(connectAcrossNamespaces, [{
  name: 'a client calling a server of another namespace',
  fail: (env) => {
    const other = new ServiceConnectNamespace(env.stack, 'Other', { name: 'other.internal' });
    const api = env.server('Api', { namespace: other });
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  pass: (env) => {
    const api = env.server('Api');
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  found: 'client namespace rules.internal, server namespace other.internal',
}]);

describeRule(crossVpcConnectivity, [{
  name: 'a client in another VPC',
  fail: (env) => {
    const api = env.server('Api');
    const vpc = new ec2.Vpc(env.stack, 'OtherVpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(env.stack, 'OtherCluster', { vpc });
    new ClientService(env.stack, 'Web', { cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  pass: (env) => {
    const api = env.server('Api');
    const cluster = new ecs.Cluster(env.stack, 'OtherCluster', { vpc: env.vpc });
    new ClientService(env.stack, 'Web', { cluster, namespace: env.namespace, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  found: 'different VPCs',
}]);

describeRule(crossAccountIngress, [{
  name: 'a client in another account than the server (a namespace shared through AWS RAM)',
  env: { env: { account: '222222222222', region: 'eu-west-1' } },
  fail: (env) => {
    const owner = new Stack(env.app, 'Owner', { env: { account: '111111111111', region: 'eu-west-1' } });
    const api = new RuleEnv({}, owner).server('Api');
    const shared = ServiceConnectNamespace.fromNamespaceArn(env.stack, 'Shared', 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-abc', 'rules.internal');
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: shared, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  pass: (env) => {
    const owner = new Stack(env.app, 'Owner', { env: { account: '222222222222', region: 'eu-west-1' } });
    const api = new RuleEnv({}, owner).server('Api');
    const shared = ServiceConnectNamespace.fromNamespaceArn(env.stack, 'Shared', 'arn:aws:servicediscovery:eu-west-1:222222222222:namespace/ns-abc', 'rules.internal');
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: shared, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
  },
  found: 'client account 222222222222, server account 111111111111',
}]);

test('across accounts, no security-group rule names another account\'s group; the same layout in one account gets its rule', () => {
  const build = (serverAccount: string) => {
    const env = new RuleEnv({ env: { account: '222222222222', region: 'eu-west-1' } });
    const owner = new Stack(env.app, 'Owner', { env: { account: serverAccount, region: 'eu-west-1' } });
    const api = new RuleEnv({}, owner).server('Api');
    const shared = ServiceConnectNamespace.fromNamespaceArn(env.stack, 'Shared', `arn:aws:servicediscovery:eu-west-1:${serverAccount}:namespace/ns-abc`, 'rules.internal');
    new ClientService(env.stack, 'Web', { cluster: env.cluster, namespace: shared, taskDefinition: fargateTask(env.stack, 'WebTask'), connectsTo: [api] });
    return [Template.fromStack(owner), Template.fromStack(env.stack)].map((t) => Object.keys(t.findResources('AWS::EC2::SecurityGroupIngress')).length
      + Object.values(t.findResources('AWS::EC2::SecurityGroup')).flatMap((g: any) => g.Properties.SecurityGroupIngress ?? []).length);
  };
  expect(build('111111111111')).toEqual([0, 0]);
  expect(build('222222222222').reduce((a, b) => a + b)).toBe(1);
});
