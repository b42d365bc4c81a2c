// Integration test: a client service calls a server through its Service Connect alias and logs the answer.
// Deployed (RELEASING.md), the assertions wait for both ECS services to reach steady state with Service Connect,
// find the server's Cloud Map service in the namespace, and read the answer from the client's CloudWatch logs.
// (The caller is a service: standalone tasks cannot use Service Connect.)
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClientServerService, ClientService, ServiceConnectNamespace } from '../src';
import { expectCloudMapService, expectLogged, expectSteadyServiceConnect } from './support/integ-assertions';

/** What the server answers, and the caller logs after `answer=`. */
const ANSWER = 'hello-from-echo';

const app = new App();
const stack = new Stack(app, 'ServiceConnectIntegCall');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'call.internal' });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable');

// busybox httpd serves ANSWER on 8080; clients call it as http://echo:80.
const echo = new ClientServerService(stack, 'Echo', {
  cluster,
  namespace,
  container: {
    image,
    cpu: 256,
    memoryLimitMiB: 512,
    entryPoint: ['sh', '-c'],
    command: [`mkdir -p /www && echo ${ANSWER} > /www/index.html && exec httpd -f -v -p 8080 -h /www`],
    portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
  },
  endpoints: [{ portMappingName: 'http', discoveryName: 'echo', dnsName: 'echo', port: 80 }],
});

// The caller logs what it gets from http://echo:80 every 10 seconds, to a log group the assertion reads.
const callerLogs = new logs.LogGroup(stack, 'CallerLogs', { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY });
const caller = new ClientService(stack, 'Caller', {
  cluster,
  namespace,
  container: {
    image,
    cpu: 256,
    memoryLimitMiB: 512,
    entryPoint: ['sh', '-c'],
    command: ['while true; do echo "answer=$(wget -q -T 5 -O - http://echo:80/ 2>&1)"; sleep 10; done'],
    logging: ecs.LogDrivers.awsLogs({ logGroup: callerLogs, streamPrefix: 'caller' }),
  },
  connectsTo: [echo],
});

const integ = new IntegTest(app, 'ClientCallsServer', { testCases: [stack] });
expectSteadyServiceConnect(integ, echo, ['echo'])
  .next(expectSteadyServiceConnect(integ, caller))
  .next(expectCloudMapService(integ, namespace, 'echo'))
  .next(expectLogged(integ, callerLogs, `answer=${ANSWER}`));
app.synth();
