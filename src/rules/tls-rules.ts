import { Token } from 'aws-cdk-lib';
import { endpointName } from './endpoint-rules';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

/*
 * Service Connect TLS (guide, "Service Connect TLS"). The facts name the certificate authority and the
 * KMS key only when they are resources of the app whose values the library can read; otherwise the
 * rules skip them.
 */

export const tlsNetworkMode: Rule<ServiceFacts> = {
  id: 'TlsNetworkMode',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An endpoint has `tls` and its task definition does not use the awsvpc network mode: Service Connect TLS works only in awsvpc.',
  fix: 'use the awsvpc network mode for the task definition, or remove `tls` from the endpoint',
  seed: '-',
  source: Source.TLS,
  check: (svc) => {
    const mode = svc.task.networkMode;
    return mode === undefined || mode === 'awsvpc' ? [] : svc.endpoints
      .filter((ep) => ep.declared.tls !== undefined)
      .map((ep) => ({
        problem: `endpoint ${endpointName(ep)} has TLS, which Service Connect supports only in the awsvpc network mode`,
        value: `networkMode ${mode}`,
      }));
  },
};

export const tlsCertificateAuthorityTag: Rule<ServiceFacts> = {
  id: 'TlsCertificateAuthorityTag',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: "An endpoint's `awsPcaAuthorityArn` is the ARN of a certificate authority created in the app (`acmpca.CfnCertificateAuthority`) without the tag `AmazonECSManaged` = `true`. A certificate authority outside the app is not checked.",
  fix: "tag the certificate authority `AmazonECSManaged` = `true`: `Tags.of(ca).add('AmazonECSManaged', 'true')`",
  seed: '-',
  source: Source.TLS,
  check: (svc) => svc.endpoints.flatMap((ep) => {
    const ca = ep.tls?.certificateAuthority;
    return ca === undefined || ca.managedTag === 'true' ? [] : [{
      problem: `endpoint ${endpointName(ep)} gets its certificates from certificate authority ${ca.path}, which ECS uses only with the tag AmazonECSManaged = true`,
      value: ca.managedTag === undefined ? 'no AmazonECSManaged tag' : `AmazonECSManaged = '${ca.managedTag}'`,
    }];
  }),
};

export const tlsKmsKeySymmetric: Rule<ServiceFacts> = {
  id: 'TlsKmsKeySymmetric',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: "An endpoint's TLS `kmsKey` is a KMS key created in the app whose key spec is not SYMMETRIC_DEFAULT: Service Connect TLS takes an AWS owned key or a symmetric customer managed key only.",
  fix: 'use a symmetric encryption key (`kms.KeySpec.SYMMETRIC_DEFAULT`, the default key spec), or leave `kmsKey` out to use an AWS owned key',
  seed: '-',
  source: Source.TLS,
  check: (svc) => svc.endpoints.flatMap((ep) => {
    const key = ep.tls?.kmsKey;
    return key === undefined || key.keySpec === 'SYMMETRIC_DEFAULT' ? [] : [{
      problem: `endpoint ${endpointName(ep)} encrypts its certificates' private keys with KMS key ${key.path}, which is not a symmetric key`,
      value: `keySpec ${key.keySpec}`,
    }];
  }),
};

/** `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`: an AWS Private CA certificate authority. */
const PCA_AUTHORITY_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:certificate-authority\/[A-Za-z0-9-]+$/;

export const tlsCertificateAuthorityArn: Rule<ServiceFacts> = {
  id: 'TlsCertificateAuthorityArn',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: "An endpoint's TLS `awsPcaAuthorityArn` is a literal that is not the ARN of an AWS Private CA certificate authority (`arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`); ECS rejects it at deployment. A token is checked only then.",
  fix: 'pass the certificate authority\'s ARN, e.g. `ca.certificateAuthorityArn` of an `acmpca.CertificateAuthority`, not its id or name',
  seed: '-',
  source: Source.API_TLS_AUTHORITY,
  check: (svc) => svc.endpoints.flatMap((ep) => {
    const arn: unknown = ep.declared.tls?.awsPcaAuthorityArn;
    return arn === undefined || (typeof arn === 'string' && (Token.isUnresolved(arn) || PCA_AUTHORITY_ARN.test(arn))) || (typeof arn === 'object' && arn !== null) ? [] : [{
      problem: `endpoint ${endpointName(ep)} names its TLS certificate authority by something that is not an AWS Private CA ARN`,
      value: `awsPcaAuthorityArn ${JSON.stringify(arn)}`,
    }];
  }),
};
