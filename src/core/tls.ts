import { CfnResource, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { ServiceConnectEndpoint, ServiceConnectTls } from '../endpoint';
import { propError } from '../errors';
import { referencedElements } from './references';
import { templateView } from '../rules/collect';
import type { TlsFacts } from '../rules/facts';

/*
 * Service Connect TLS (guide, "Service Connect TLS"): the infrastructure role the library creates on
 * request, the role's use of the KMS key, the order CloudFormation deletes things in, and the facts the
 * TLS rules read about the certificate authority and the key.
 */

/** Construct id of the role `createRole` makes, under the service construct. */
export const TLS_ROLE_ID = 'TlsRole';

/** The AWS managed policy the guide gives the ECS infrastructure role for TLS. */
export const TLS_ROLE_POLICY = 'service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity';

/** What the guide's example key policy grants the infrastructure role. */
export const TLS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'];

/** The tag ECS requires on the certificate authority. */
export const CA_MANAGED_TAG = 'AmazonECSManaged';

/** cdk-nag's finding for the managed policy on the role (rule IAM4 reports each AWS managed policy apart). */
const NAG_IAM4_FINDING = `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${TLS_ROLE_POLICY}]`;
const NAG_IAM4_REASON = 'The Service Connect TLS guide requires this AWS managed policy on the ECS infrastructure role; '
  + 'AWS maintains it as ECS needs change (it was last updated to let ECS monitor the secrets it creates).';

/** The role `createRole` makes: trusted by ECS, with the guide's managed policy and nothing else. */
function createTlsRole(scope: Construct): iam.Role {
  const role = new iam.Role(scope, TLS_ROLE_ID, {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: `ECS infrastructure role for Service Connect TLS of ${scope.node.path}`.slice(0, 1000),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(TLS_ROLE_POLICY)],
  });
  // The acknowledgement cdk-nag 3 reads (aws-cdk-lib's Validations metadata), narrowed to this one policy.
  // Written as raw metadata so that aws-cdk-lib versions without `Validations.acknowledge` carry it too.
  role.node.addMetadata('aws:cdk:acknowledged-rules', { [NAG_IAM4_FINDING]: NAG_IAM4_REASON });
  return role;
}

/**
 * Creates the role of endpoints with `createRole` (one per service), grants each TLS role use of its
 * KMS key, and returns the endpoints with the created role in their `tls`, as the library renders them.
 */
export function setUpTls(scope: Construct, endpoints: ServiceConnectEndpoint[]): ServiceConnectEndpoint[] {
  let created: iam.Role | undefined;
  const granted = new Set<string>();
  return endpoints.map((endpoint) => {
    const tls = endpoint.tls;
    if (!tls) {
      return endpoint;
    }
    if (tls.createRole && tls.role) {
      throw propError(scope, `endpoint '${endpoint.portMappingName}' both gives a TLS role and asks the library to create one`,
        `role ${tls.role.node.path} and createRole: true`, 'pass `role` or set `createRole`, not both');
    }
    const role = tls.createRole ? (created ??= createTlsRole(scope)) : tls.role;
    const pair = `${role?.node.path} ${tls.kmsKey?.node.path}`;
    if (role && tls.kmsKey && !granted.has(pair)) {
      granted.add(pair);
      tls.kmsKey.grant(role, ...TLS_KEY_ACTIONS);
    }
    return role === tls.role ? endpoint : { ...endpoint, tls: { ...tls, role } };
  });
}

/** The role `createRole` made under `scope`, if any. */
export function createdTlsRole(scope: IConstruct): iam.IRole | undefined {
  const child = scope.node.tryFindChild(TLS_ROLE_ID);
  return child instanceof iam.Role ? child : undefined;
}

/**
 * Makes the ECS service depend on the TLS resources of its endpoints in its own stack: the role with its
 * default policy and its customer managed policies, the KMS key and the certificate authority. Those in
 * another stack need nothing more: the service refers to them, so its stack is deleted before theirs.
 * Those in `implied` (what the service's properties already refer to, such as the role's ARN) need no
 * DependsOn either. Called once the construct tree is complete, so policies added after the service count too.
 */
export function orderTlsDeletion(service: ecs.CfnService, endpoints: ServiceConnectEndpoint[], implied: ReadonlySet<IConstruct>): void {
  const found = new Set<CfnResource>();
  const addAll = (construct: IConstruct) => construct.node.findAll().filter(CfnResource.isCfnResource).forEach((r) => found.add(r));
  for (const tls of endpoints.map((ep) => ep.tls)) {
    if (!tls) {
      continue;
    }
    if (tls.role) {
      // The role's construct holds its resource and its default policy (or, imported, the policy a grant made).
      addAll(tls.role);
      const resource = tls.role.node.defaultChild;
      if (resource instanceof iam.CfnRole) {
        referencedResources(resource, resource.managedPolicyArns).filter((r) => r instanceof iam.CfnManagedPolicy).forEach((r) => found.add(r));
      }
    }
    if (tls.kmsKey) {
      addAll(tls.kmsKey);
      const key = keyResource(service, tls.kmsKey);
      if (key) {
        found.add(key);
      }
    }
    const ca = certificateAuthorityOf(service, tls);
    if (ca) {
      found.add(ca);
    }
  }
  // Those the service's properties refer to are ordered already: a DependsOn on them would be redundant (cfn-lint W3005).
  for (const resource of [...found].filter((r) => Stack.of(r) === Stack.of(service) && !implied.has(r))) {
    // The guide: delete the KMS key, the role and the Private CA after the service, or it can get stuck draining.
    service.node.addDependency(resource);
  }
}

/** What the TLS rules need of an endpoint's `tls`: the CA's tag and the key's spec, for those of the app. */
export function tlsFacts(scope: IConstruct, tls: ServiceConnectTls): TlsFacts {
  const key = tls.kmsKey ? keyResource(scope, tls.kmsKey) : undefined;
  const keySpec = key ? templateView(key).keySpec ?? 'SYMMETRIC_DEFAULT' : undefined;
  return {
    certificateAuthority: certificateAuthorityFacts(scope, tls),
    kmsKey: key && typeof keySpec === 'string' ? { path: key.node.path, keySpec } : undefined,
  };
}

/** The CA's `AmazonECSManaged` tag, when the CA is in the app and its tag keys and that tag's value are literals. */
function certificateAuthorityFacts(scope: IConstruct, tls: ServiceConnectTls): TlsFacts['certificateAuthority'] {
  const ca = certificateAuthorityOf(scope, tls);
  const tags: unknown = ca ? templateView(ca).tags ?? [] : undefined;
  if (!ca || !Array.isArray(tags) || !tags.every((tag) => typeof tag?.key === 'string')) {
    return undefined;
  }
  const managed = tags.filter((tag) => tag.key === CA_MANAGED_TAG);
  if (!managed.every((tag) => typeof tag.value === 'string')) {
    return undefined;
  }
  return { path: ca.node.path, managedTag: managed[managed.length - 1]?.value };
}

/** The `acmpca.CfnCertificateAuthority` of this app that `awsPcaAuthorityArn` refers to, if any. */
function certificateAuthorityOf(scope: IConstruct, tls: ServiceConnectTls): CfnResource | undefined {
  return referencedResources(scope, tls.awsPcaAuthorityArn).find((r) => r instanceof acmpca.CfnCertificateAuthority);
}

/** The `kms.CfnKey` of this app behind a key: a `kms.Key`, an alias of one, or a key imported from its ARN. */
function keyResource(scope: IConstruct, key: kms.IKey): CfnResource | undefined {
  if (key.node.defaultChild instanceof kms.CfnKey) {
    return key.node.defaultChild;
  }
  if (key instanceof kms.Alias) {
    return keyResource(scope, key.aliasTargetKey);
  }
  return referencedResources(scope, key.keyArn).find((r) => r instanceof kms.CfnKey);
}

/** Resources of the app that `value` refers to (`Ref`, `Fn::GetAtt`). */
function referencedResources(scope: IConstruct, value: unknown): CfnResource[] {
  return referencedElements(scope, value).filter(CfnResource.isCfnResource);
}
