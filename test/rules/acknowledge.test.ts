import { Annotations as CdkAnnotations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { RuleEnv } from './harness';
import { ClientServerService, ServiceConnectDashboard } from '../../src';

/*
 * The library adds its warnings at synth, after the user's acknowledgements. Acknowledging on the construct the
 * warning is about, or on one of its scopes, suppresses it; with aws-cdk-lib 2.178.0 (the floor) too, whose own
 * lookup leaves the construct's path out (`scripts/floor.sh` runs this file against it).
 */

const ID = 'cdk-service-connect:FargateMinimumMemory';

/** A stack with two servers, Api and Worker, both on a 512 MiB Fargate task (a FargateMinimumMemory warning each). */
function twoSmallServers() {
  const env = new RuleEnv();
  const small = (id: string) => {
    const task = new ecs.FargateTaskDefinition(env.stack, `${id}Task`, { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('busybox'), memoryLimitMiB: 256, portMappings: [{ name: 'http', containerPort: 8080 }] });
    return env.server(id, { taskDefinition: task });
  };
  const api = small('Api');
  const worker = small('Worker');
  const warnedPaths = () => Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('\\[FargateMinimumMemory\\]')).map((w) => w.id).sort();
  return { env, api, worker, warnedPaths };
}

test('unacknowledged: both servers are warned', () => {
  const { env, warnedPaths } = twoSmallServers();
  env.app.synth();
  expect(warnedPaths()).toEqual(['/Stack/Api', '/Stack/Worker']);
});

test('acknowledged on the service itself: that service only, also when synthesized twice', () => {
  const { env, api, warnedPaths } = twoSmallServers();
  CdkAnnotations.of(api).acknowledgeWarning(ID, 'a small worker');
  env.app.synth();
  expect(warnedPaths()).toEqual(['/Stack/Worker']);
  env.app.synth({ force: true });
  expect(warnedPaths()).toEqual(['/Stack/Worker']);
});

test('acknowledged on the stack: every service in it', () => {
  const { env, warnedPaths } = twoSmallServers();
  CdkAnnotations.of(env.stack).acknowledgeWarning(ID, 'small workers everywhere');
  env.app.synth();
  expect(warnedPaths()).toEqual([]);
});

test('another id acknowledged on the service suppresses nothing', () => {
  const { env, api, warnedPaths } = twoSmallServers();
  CdkAnnotations.of(api).acknowledgeWarning('cdk-service-connect:ProxyCpuHeadroom', 'not this one');
  env.app.synth();
  expect(warnedPaths()).toEqual(['/Stack/Api', '/Stack/Worker']);
});

test('the dashboard\'s warning, acknowledged on the dashboard itself', () => {
  const env = new RuleEnv();
  const dashboard = new ServiceConnectDashboard(env.stack, 'Dashboard', { namespace: env.namespace });
  ClientServerService.fromAttributes(env.stack, 'Big', {
    namespace: env.namespace,
    endpoints: Array.from({ length: 125 }, (_, i) => ({ portMappingName: `p${i}`, discoveryName: `e${i}`, dnsName: `e${i}`, port: 80 })),
  });
  CdkAnnotations.of(dashboard).acknowledgeWarning('cdk-service-connect:DashboardEndpointsLeftOut', 'the first 124 are enough');
  env.app.synth();
  expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('DashboardEndpointsLeftOut'))).toEqual([]);
});
