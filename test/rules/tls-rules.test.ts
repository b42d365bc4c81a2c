import { Tags } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describeRule, RuleEnv } from './harness';
import { ServiceConnectTls } from '../../src';
import { tlsCertificateAuthorityTag, tlsKmsKeySymmetric, tlsNetworkMode } from '../../src/rules/tls-rules';

const CA_ARN = 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';

/** A server whose 'http' endpoint has TLS from `tls` (a CA outside the app by default). */
function tlsServer(env: RuleEnv, tls: Partial<ServiceConnectTls> = {}, taskDefinition?: ecs.TaskDefinition): void {
  env.server('Api', {
    ...(taskDefinition ? { taskDefinition } : {}),
    endpoints: [{ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: 9090, tls: { awsPcaAuthorityArn: CA_ARN, ...tls } }],
  });
}

/** An EC2 task definition in `networkMode`, on a cluster with capacity, with 'http' on 8080. */
function ec2Task(env: RuleEnv, networkMode: ecs.NetworkMode): ecs.TaskDefinition {
  env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium') });
  const taskDefinition = new ecs.TaskDefinition(env.stack, 'Task', { compatibility: ecs.Compatibility.EC2, networkMode, memoryMiB: '1024' });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 512, portMappings: [{ name: 'http', containerPort: 8080 }],
  });
  return taskDefinition;
}

/** A root CA of the app, with the given tags. */
function ca(env: RuleEnv, tags: Record<string, string> = {}): acmpca.CfnCertificateAuthority {
  return new acmpca.CfnCertificateAuthority(env.stack, 'Ca', {
    type: 'ROOT',
    keyAlgorithm: 'EC_prime256v1',
    signingAlgorithm: 'SHA256WITHECDSA',
    subject: { commonName: 'rules.internal' },
    usageMode: 'SHORT_LIVED_CERTIFICATE',
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  });
}

describeRule(tlsNetworkMode, [{
  name: 'a TLS endpoint in the bridge network mode',
  fail: (env) => tlsServer(env, {}, ec2Task(env, ecs.NetworkMode.BRIDGE)),
  pass: (env) => tlsServer(env, {}, ec2Task(env, ecs.NetworkMode.AWS_VPC)),
  found: 'networkMode bridge',
}]);

describeRule(tlsCertificateAuthorityTag, [
  {
    name: 'a CA of the app without the AmazonECSManaged tag',
    fail: (env) => tlsServer(env, { awsPcaAuthorityArn: ca(env, { team: 'platform' }).attrArn }),
    pass: (env) => tlsServer(env, { awsPcaAuthorityArn: ca(env, { team: 'platform', AmazonECSManaged: 'true' }).attrArn }),
    found: 'no AmazonECSManaged tag',
  },
  {
    name: 'the tag set to false; true through Tags.of, behind an imported CA and its Ref',
    fail: (env) => tlsServer(env, { awsPcaAuthorityArn: ca(env, { AmazonECSManaged: 'false' }).ref }),
    pass: (env) => {
      const resource = ca(env);
      Tags.of(env.stack).add('AmazonECSManaged', 'true');
      tlsServer(env, { awsPcaAuthorityArn: acmpca.CertificateAuthority.fromCertificateAuthorityArn(env.stack, 'Imported', resource.ref).certificateAuthorityArn });
    },
    found: "AmazonECSManaged = 'false'",
  },
]);

describeRule(tlsKmsKeySymmetric, [
  {
    name: 'an RSA key of the app',
    fail: (env) => tlsServer(env, { kmsKey: new kms.Key(env.stack, 'Key', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT }) }),
    pass: (env) => tlsServer(env, { kmsKey: new kms.Key(env.stack, 'Key', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT }) }),
    found: 'keySpec RSA_2048',
  },
  {
    name: 'an HMAC key imported from an L1 of the app; an L1 without a key spec',
    fail: (env) => {
      const key = new kms.CfnKey(env.stack, 'Key', { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
      tlsServer(env, { kmsKey: kms.Key.fromKeyArn(env.stack, 'Imported', key.attrArn) });
    },
    pass: (env) => {
      const key = new kms.CfnKey(env.stack, 'Key', {});
      tlsServer(env, { kmsKey: kms.Key.fromKeyArn(env.stack, 'Imported', key.attrArn) });
    },
    found: 'keySpec HMAC_256',
  },
]);
