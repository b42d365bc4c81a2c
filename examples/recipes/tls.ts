// Recipe: TLS between proxies with AWS Private CA (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * The server's endpoint gets `tls`: ECS issues the proxies' certificates from a short-lived-certificate
 * AWS Private CA, through an infrastructure role, and encrypts their keys with your KMS key. Clients
 * need nothing more.
 */
export function tls(app: App, caArn: string): Stack {
  const stack = new Stack(app, 'ShopTls');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', caArn);
  const role = new iam.Role(stack, 'ServiceConnectTlsRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity')],
  });
  const kmsKey = new kms.Key(stack, 'ServiceConnectTlsKey', { enableKeyRotation: true });

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    container: { image, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] },
    endpoints: [{
      portMappingName: 'http',
      dnsName: 'api',
      port: 80,
      tls: { awsPcaAuthorityArn: ca.certificateAuthorityArn, role, kmsKey },
    }],
  });
  new ClientService(stack, 'Web', { cluster, namespace, container: { image }, connectsTo: [api] });
  return stack;
}
// recipe:end
