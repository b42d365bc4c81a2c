import { Token } from 'aws-cdk-lib';
import { endpointFacts, serviceFacts, tlsEndpointFacts } from './facts';
import { tlsCertificateAuthorityArn, tlsCertificateAuthorityTag, tlsKmsKeySymmetric, tlsNetworkMode } from '../../src/rules/tls-rules';

const CA = 'App/Stack/Ca';
const KEY = 'App/Stack/Key/Resource';

describe('TlsNetworkMode', () => {
  test.each(['bridge', 'host', 'none'])('fires on a TLS endpoint in the %s network mode', (networkMode) => {
    expect(tlsNetworkMode.check(serviceFacts({ endpoints: [tlsEndpointFacts()], task: { networkMode } }))).toEqual([{
      problem: "endpoint 'api' has TLS, which Service Connect supports only in the awsvpc network mode",
      value: `networkMode ${networkMode}`,
    }]);
  });

  test('is quiet in awsvpc, and when the network mode is a token', () => {
    expect(tlsNetworkMode.check(serviceFacts({ endpoints: [tlsEndpointFacts()], task: { networkMode: 'awsvpc' } }))).toEqual([]);
    expect(tlsNetworkMode.check(serviceFacts({ endpoints: [tlsEndpointFacts()], task: { networkMode: undefined } }))).toEqual([]);
  });

  test('reports only the endpoints with TLS', () => {
    const endpoints = [endpointFacts({ portMappingName: 'admin', discoveryName: 'admin' }), tlsEndpointFacts()];
    expect(tlsNetworkMode.check(serviceFacts({ endpoints, task: { networkMode: 'bridge' } })).map((f) => f.problem))
      .toEqual(["endpoint 'api' has TLS, which Service Connect supports only in the awsvpc network mode"]);
  });
});

describe('TlsCertificateAuthorityTag', () => {
  const withTag = (managedTag?: string) => serviceFacts({ endpoints: [tlsEndpointFacts({ certificateAuthority: { path: CA, managedTag } })] });

  test('fires on a CA of the app without the tag', () => {
    expect(tlsCertificateAuthorityTag.check(withTag(undefined))).toEqual([{
      problem: "endpoint 'api' gets its certificates from certificate authority App/Stack/Ca, which ECS uses only with the tag AmazonECSManaged = true",
      value: 'no AmazonECSManaged tag',
    }]);
  });

  test.each(['false', 'True', ''])('fires on the tag with the value %p', (value) => {
    expect(tlsCertificateAuthorityTag.check(withTag(value)).map((f) => f.value)).toEqual([`AmazonECSManaged = '${value}'`]);
  });

  test('is quiet on the tag set to true', () => {
    expect(tlsCertificateAuthorityTag.check(withTag('true'))).toEqual([]);
  });

  test('skips a CA the library cannot see, and endpoints without TLS', () => {
    expect(tlsCertificateAuthorityTag.check(serviceFacts({ endpoints: [tlsEndpointFacts()] }))).toEqual([]);
    expect(tlsCertificateAuthorityTag.check(serviceFacts())).toEqual([]);
  });
});

describe('TlsKmsKeySymmetric', () => {
  const withKey = (keySpec: string) => serviceFacts({ endpoints: [tlsEndpointFacts({ kmsKey: { path: KEY, keySpec } })] });

  test.each(['RSA_2048', 'ECC_NIST_P256', 'HMAC_256', 'SM2'])('fires on a %s key', (keySpec) => {
    expect(tlsKmsKeySymmetric.check(withKey(keySpec))).toEqual([{
      problem: "endpoint 'api' encrypts its certificates' private keys with KMS key App/Stack/Key/Resource, which is not a symmetric key",
      value: `keySpec ${keySpec}`,
    }]);
  });

  test('is quiet on a symmetric key', () => {
    expect(tlsKmsKeySymmetric.check(withKey('SYMMETRIC_DEFAULT'))).toEqual([]);
  });

  test('skips a key the library cannot see, and endpoints without TLS', () => {
    expect(tlsKmsKeySymmetric.check(serviceFacts({ endpoints: [tlsEndpointFacts()] }))).toEqual([]);
    expect(tlsKmsKeySymmetric.check(serviceFacts())).toEqual([]);
  });
});

describe('TlsCertificateAuthorityArn', () => {
  const withArn = (awsPcaAuthorityArn: unknown) => serviceFacts({
    endpoints: [tlsEndpointFacts(undefined, { tls: { awsPcaAuthorityArn: awsPcaAuthorityArn as string } })],
  });

  test.each([
    'invalid-arn',
    '',
    'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555',
    'arn:aws:acm-pca:us-east-1:1111:certificate-authority/abc',
    'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/',
  ])('fires on %p', (arn) => {
    expect(tlsCertificateAuthorityArn.check(withArn(arn))).toEqual([{
      problem: "endpoint 'api' names its TLS certificate authority by something that is not an AWS Private CA ARN",
      value: `awsPcaAuthorityArn ${JSON.stringify(arn)}`,
    }]);
  });

  test.each([
    'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/123456789012',
    'arn:aws-us-gov:acm-pca:us-gov-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555',
  ])('is quiet on the Private CA ARN %p', (arn) => {
    expect(tlsCertificateAuthorityArn.check(withArn(arn))).toEqual([]);
  });

  test('skips a token, a resolved intrinsic read from a configuration, and endpoints without TLS', () => {
    expect(tlsCertificateAuthorityArn.check(withArn(Token.asString({ Ref: 'Ca' })))).toEqual([]);
    expect(tlsCertificateAuthorityArn.check(withArn({ 'Fn::GetAtt': ['Ca', 'Arn'] }))).toEqual([]);
    expect(tlsCertificateAuthorityArn.check(serviceFacts())).toEqual([]);
  });
});
