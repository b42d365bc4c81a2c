import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as kms from 'aws-cdk-lib/aws-kms';
import { tlsFacts } from '../../src/core/tls';

const CA_ARN = 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555';

function stack(): Stack {
  return new Stack(new App(), 'Stack');
}

function ca(scope: Stack, tags: Array<{ key: string; value: string }>): acmpca.CfnCertificateAuthority {
  return new acmpca.CfnCertificateAuthority(scope, 'Ca', {
    type: 'ROOT', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', subject: { commonName: 'x' }, tags,
  });
}

describe('tlsFacts: the certificate authority', () => {
  test('reads the AmazonECSManaged tag of a CA of the app, by its ARN or its Ref', () => {
    const s = stack();
    const resource = ca(s, [{ key: 'team', value: 'a' }, { key: 'AmazonECSManaged', value: 'true' }]);
    expect(tlsFacts(s, { awsPcaAuthorityArn: resource.attrArn }).certificateAuthority).toEqual({ path: 'Stack/Ca', managedTag: 'true' });
    expect(tlsFacts(s, { awsPcaAuthorityArn: resource.ref }).certificateAuthority).toEqual({ path: 'Stack/Ca', managedTag: 'true' });
  });

  test('sees a CA without the tag, and a tag added by property override', () => {
    const s = stack();
    const resource = ca(s, []);
    expect(tlsFacts(s, { awsPcaAuthorityArn: resource.attrArn }).certificateAuthority).toEqual({ path: 'Stack/Ca', managedTag: undefined });
    resource.addPropertyOverride('Tags', [{ Key: 'AmazonECSManaged', Value: 'true' }]);
    expect(tlsFacts(s, { awsPcaAuthorityArn: resource.attrArn }).certificateAuthority).toEqual({ path: 'Stack/Ca', managedTag: 'true' });
  });

  test('skips a CA outside the app, and a tag whose value is a token', () => {
    const s = stack();
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN }).certificateAuthority).toBeUndefined();
    const value = new CfnParameter(s, 'Managed').valueAsString;
    expect(tlsFacts(s, { awsPcaAuthorityArn: ca(s, [{ key: 'AmazonECSManaged', value }]).attrArn }).certificateAuthority).toBeUndefined();
  });

  test('finds the CA inside an ARN built from its attribute', () => {
    const s = stack();
    const resource = ca(s, []);
    expect(tlsFacts(s, { awsPcaAuthorityArn: Fn.join('', [resource.attrArn]) }).certificateAuthority?.path).toBe('Stack/Ca');
  });
});

describe('tlsFacts: the KMS key', () => {
  test('a key of the app: its key spec, SYMMETRIC_DEFAULT when not set', () => {
    const s = stack();
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: new kms.Key(s, 'Sym') }).kmsKey).toEqual({ path: 'Stack/Sym/Resource', keySpec: 'SYMMETRIC_DEFAULT' });
    const rsa = new kms.Key(s, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: rsa }).kmsKey).toEqual({ path: 'Stack/Rsa/Resource', keySpec: 'RSA_2048' });
  });

  test('an alias stands for its key; a key imported by the ARN of an L1 of the app is that L1', () => {
    const s = stack();
    const rsa = new kms.Key(s, 'Rsa', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: rsa.addAlias('alias/tls') }).kmsKey?.keySpec).toBe('RSA_2048');
    const l1 = new kms.CfnKey(s, 'L1', { keySpec: 'HMAC_256' });
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: kms.Key.fromKeyArn(s, 'Imported', l1.attrArn) }).kmsKey).toEqual({ path: 'Stack/L1', keySpec: 'HMAC_256' });
  });

  test('skips a key outside the app, and a key spec that is a token', () => {
    const s = stack();
    const imported = kms.Key.fromKeyArn(s, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: imported }).kmsKey).toBeUndefined();
    const spec = new kms.CfnKey(s, 'Spec', { keySpec: new CfnParameter(s, 'KeySpec').valueAsString });
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN, kmsKey: kms.Key.fromKeyArn(s, 'ByToken', spec.attrArn) }).kmsKey).toBeUndefined();
    expect(tlsFacts(s, { awsPcaAuthorityArn: CA_ARN }).kmsKey).toBeUndefined();
  });
});
