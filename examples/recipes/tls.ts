// Recipe: TLS with a library-created infrastructure role (docs/recipes.md).
import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * The server's endpoint gets `tls`: ECS issues the proxies' certificates from an AWS Private CA and
 * encrypts their keys with your KMS key. With `createRole` the library creates the ECS infrastructure
 * role (trusted by ECS, with the guide's managed policy), grants it use of the key, and has CloudFormation
 * delete the ECS service before the role, the key and the CA. Clients need nothing more.
 */
export function tls(app: App, caArn: string): Stack {
  const stack = new Stack(app, 'ShopTls');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'shop.internal' });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', caArn);
  const kmsKey = new kms.Key(stack, 'ServiceConnectTlsKey', { enableKeyRotation: true });

  const api = new ClientServerService(stack, 'Api', {
    cluster,
    namespace,
    container: {
      image,
      portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }),
    },
    endpoints: [{
      portMappingName: 'http',
      dnsName: 'api',
      port: 80,
      tls: { awsPcaAuthorityArn: ca.certificateAuthorityArn, kmsKey, createRole: true },
    }],
  });
  new ClientService(stack, 'Web', {
    cluster, namespace, container: { image, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }) }, connectsTo: [api],
  });
  return stack;
}
// recipe:end
