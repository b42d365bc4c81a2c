// Recipe: a namespace shared through AWS RAM, with an owner app and a consumer app (docs/recipes.md).
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';

// recipe:start
/**
 * Account A owns the namespace and shares it through AWS RAM with account B, with the managed
 * permission Service Connect needs. Account B, in the same region, imports the namespace by ARN and
 * runs its services in it. The ARN exists once the owner stack is deployed (its `NamespaceArn`
 * output); the consumer gets it as an argument here, from context or a parameter in practice.
 */
export function sharedNamespace(app: App, namespaceArn: string) {
  const region = 'us-east-1'; // a shared namespace serves services in its own region only

  // Account A: the namespace and the share.
  const owner = new Stack(app, 'NamespaceOwner', { env: { account: '111111111111', region } });
  const namespace = new ServiceConnectNamespace(owner, 'Namespace', { name: 'shop.internal' });
  namespace.shareWith('Share', { principals: ['222222222222'] });
  new CfnOutput(owner, 'NamespaceArn', { value: namespace.namespaceArn });

  // Account B: a cluster whose default is the shared namespace, and two services in it.
  const consumer = new Stack(app, 'NamespaceConsumer', { env: { account: '222222222222', region } });
  const vpc = new ec2.Vpc(consumer, 'Vpc', { maxAzs: 2, natGateways: 1 });
  vpc.addFlowLog('FlowLog');
  const cluster = new ecs.Cluster(consumer, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  ServiceConnectNamespace.fromNamespaceArn(consumer, 'SharedNamespace', namespaceArn, 'shop.internal').makeDefaultFor(cluster);
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

  const api = new ClientServerService(consumer, 'Api', {
    cluster, // the namespace comes from the cluster's default: the shared one, by ARN
    container: {
      image,
      portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }),
    },
    endpoints: [{ portMappingName: 'http', dnsName: 'api', port: 80 }],
  });
  new ClientService(consumer, 'Web', {
    cluster,
    container: { image, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }) },
    connectsTo: [api],
  });
  return { owner, consumer };
}
// recipe:end
