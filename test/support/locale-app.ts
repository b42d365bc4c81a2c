// Run in a child process by test/locale.test.ts, under the locale its environment names (LC_ALL): synthesizes an
// app whose names sort differently in Czech and English, and prints its templates and artifacts as JSON.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../../src';
import { fargateTask } from '../util';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'locale-app-'));
const app = new App({ outdir });
const stack = new Stack(app, 'Locale', { env: { account: '111111111111', region: 'us-east-1' } });
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['az1'], privateSubnetIds: ['subnet-1'] });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'locale.internal' });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');

// The redeploy nonce joins the ports it can follow at deploy time in the order of their resolved values:
// {"Ref":"ChatPort"} and {"Ref":"HelpPort"} sort one way in English and the other in Czech ("ch" after "h").
const imported = ['Help', 'Chat'].map((name) => ClientServerService.fromAttributes(stack, `${name}Imported`, {
  namespace,
  securityGroups: [],
  endpoints: [{
    portMappingName: 'http',
    discoveryName: name.toLowerCase(),
    dnsName: name.toLowerCase(),
    port: Token.asNumber(new CfnParameter(stack, `${name}Port`, { type: 'Number', default: 80 }).value),
    listenPort: 8080,
  }],
}));
new ClientService(stack, 'Web', { cluster, namespace, container: { image }, connectsTo: imported });

// The 5xx-rate alarm of Api has one alarm per caller, in the order of the callers' paths, and the namespace's topology
// artifact lists its services in path order: Chat, Help, Örn, Zed in English, Help first in Czech.
const api = new ClientServerService(stack, 'Api', {
  cluster,
  namespace,
  taskDefinition: fargateTask(stack, 'ApiTask', [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }]),
  endpoints: [{ portMappingName: 'http', port: 80 }],
  alarms: { http5xxRatePercent: 5 },
});
for (const name of ['Help', 'Chat', 'Zed', 'Örn']) {
  new ClientService(stack, name, { cluster, namespace, container: { image }, connectsTo: [api] });
}

const assembly = app.synth();
const files = Object.fromEntries(fs.readdirSync(assembly.directory).filter((f) => !f.endsWith('.assets.json'))
  .map((f) => [f, fs.readFileSync(path.join(assembly.directory, f), 'utf8')]));
fs.rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({
  locale: new Intl.Collator().resolvedOptions().locale,
  // the order this machine's locale gives, to show the locale took effect
  localeOrder: ['Help', 'Chat', 'Zed', 'Örn'].sort((a, b) => a.localeCompare(b)),
  files,
}));
