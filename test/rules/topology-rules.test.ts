import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientService, ServiceConnectNamespace } from '../../src';
import { connectAcrossNamespaces, connectCycle, crossVpcConnectivity } from '../../src/rules/topology-rules';
import { fargateTask } from '../util';
import { describeRule } from './harness';

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
