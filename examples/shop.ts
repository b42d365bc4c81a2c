/**
 * The example shop: a web frontend calling an api, which calls a database and a cache.
 * `npx cdk synth` at the repository root synthesizes it; no AWS account is needed.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';

/** What a container needs besides its image: the port it listens on, secrets, and a command. */
interface AppOptions {
  readonly port?: { name: string; containerPort: number; appProtocol?: ecs.AppProtocol };
  readonly secrets?: Record<string, ecs.Secret>;
  readonly command?: string[];
}

/** A Fargate task definition with one container, sized with room for the Service Connect proxy. */
function fargateTask(scope: Construct, id: string, image: string, options: AppOptions = {}) {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, id, { cpu: 512, memoryLimitMiB: 1024 });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry(image),
    cpu: 256,
    memoryLimitMiB: 768,
    portMappings: options.port ? [options.port] : [],
    secrets: options.secrets,
    command: options.command,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: id.toLowerCase() }),
  });
  return taskDefinition;
}

export class ShopStack extends Stack {
  public readonly namespace: ServiceConnectNamespace;
  public readonly web: ClientService;
  public readonly api: ClientServerService;
  public readonly db: ClientServerService;
  public readonly cache: ClientServerService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog');
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.namespace = new ServiceConnectNamespace(this, 'Namespace', { name: 'shop.internal', defaultFor: [cluster] });

    // The postgres image does not start without a password: a generated one, given to the container as a secret.
    const dbPassword = new secretsmanager.Secret(this, 'DbPassword', { generateSecretString: { excludePunctuation: true } });
    // cdk-nag (AwsSolutions-SMG4) asks for rotation, which a database in a container needs a rotation function of its own for.
    dbPassword.node.addMetadata('aws:cdk:acknowledged-rules', {
      'AwsSolutions-SMG4': 'the example database runs in a container: rotating its password needs a rotation function written for it',
    });
    this.db = new ClientServerService(this, 'Db', {
      cluster,
      taskDefinition: fargateTask(this, 'DbTask', 'public.ecr.aws/docker/library/postgres:16', {
        port: { name: 'pg', containerPort: 5432 },
        secrets: { POSTGRES_PASSWORD: ecs.Secret.fromSecretsManager(dbPassword) },
      }),
      endpoints: [{ portMappingName: 'pg', dnsName: 'db' }],
    });

    this.cache = new ClientServerService(this, 'Cache', {
      cluster,
      taskDefinition: fargateTask(this, 'CacheTask', 'public.ecr.aws/docker/library/redis:7', { port: { name: 'redis', containerPort: 6379 } }),
      endpoints: [{ portMappingName: 'redis', dnsName: 'cache' }],
    });

    this.api = new ClientServerService(this, 'Api', {
      cluster,
      taskDefinition: fargateTask(this, 'ApiTask', 'public.ecr.aws/docker/library/httpd:2.4', {
        port: { name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http },
        // httpd listens on 80 by default: move it to the container port the endpoint names.
        command: ['sh', '-c', 'sed -i "s/^Listen 80$/Listen 8080/" /usr/local/apache2/conf/httpd.conf && exec httpd-foreground'],
      }),
      // Clients call http://api:80; the proxy listens on the container port 8080.
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80 }],
      connectsTo: [this.db, this.cache],
    });

    this.web = new ClientService(this, 'Web', {
      cluster,
      taskDefinition: fargateTask(this, 'WebTask', 'public.ecr.aws/nginx/nginx:stable'),
      connectsTo: [this.api],
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ShopStack(app, 'ServiceConnectShop');
  app.synth();
}
