import { endpointFacts, serviceFacts, tlsEndpointFacts } from './facts';
import { tlsCertificateAuthorityTag, tlsKmsKeySymmetric, tlsNetworkMode } from '../../src/rules/tls-rules';

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
