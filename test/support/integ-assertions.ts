// Deploy-time assertions of the integration tests (test/integ.*.ts), with @aws-cdk/integ-tests-alpha: they run
// only when a maintainer deploys the tests (RELEASING.md); CI synthesizes them and compares the snapshots.
// Every assertion waits (a state machine polls the API call): one that never holds fails the deployment of the
// assertion stack with the assertion's message, so a plain `cdk deploy` reports it as integ-runner would.
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IServiceConnectNamespace } from '../../src';

/** ECS deployments and task starts: long enough for a rolling deployment through Service Connect. */
const DEPLOYMENT_WAIT = { totalTimeout: Duration.minutes(20), interval: Duration.seconds(30) };

/** A service construct of the library: built or attached, client or server. */
interface LibraryService {
  readonly service: ecs.BaseService;
}

/**
 * The ECS service is in steady state (one deployment, completed, `tasks` tasks running) with Service Connect
 * enabled and, for a server, the Cloud Map services of its discovery names.
 */
export function expectSteadyServiceConnect(integ: IntegTest, svc: LibraryService, discoveryNames: string[] = [], tasks = 1): IApiCall {
  const call = integ.assertions.awsApiCall('ECS', 'describeServices', {
    cluster: svc.service.cluster.clusterArn,
    services: [svc.service.serviceArn],
  });
  call.expect(ExpectedResult.objectLike({
    services: [Match.objectLike({
      status: 'ACTIVE',
      desiredCount: tasks,
      runningCount: tasks,
      deployments: [Match.objectLike({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: tasks,
        serviceConnectConfiguration: Match.objectLike({ enabled: true }),
        ...(discoveryNames.length > 0 ? {
          serviceConnectResources: Match.arrayWith(discoveryNames.map((discoveryName) => Match.objectLike({ discoveryName }))),
        } : {}),
      })],
    })],
  })).waitForAssertions(DEPLOYMENT_WAIT);
  return call;
}

/** The namespace holds a Cloud Map service named after the discovery name (ECS creates it for Service Connect). */
export function expectCloudMapService(integ: IntegTest, namespace: IServiceConnectNamespace, discoveryName: string): IApiCall {
  const call = integ.assertions.awsApiCall('ServiceDiscovery', 'listServices', {
    Filters: [{ Name: 'NAMESPACE_ID', Values: [namespace.namespaceId], Condition: 'EQ' }],
  });
  call.expect(ExpectedResult.objectLike({ Services: Match.arrayWith([Match.objectLike({ Name: discoveryName })]) }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });
  return call;
}

/** A log event of `logGroup` contains `text` (waits for the caller to log it). */
export function expectLogged(integ: IntegTest, logGroup: logs.ILogGroup, text: string): IApiCall {
  const call = integ.assertions.awsApiCall('CloudWatchLogs', 'filterLogEvents', {
    logGroupName: logGroup.logGroupName,
    filterPattern: `"${text}"`,
  });
  call.expect(ExpectedResult.objectLike({ events: Match.arrayWith([Match.objectLike({ message: Match.stringLikeRegexp(text) })]) }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });
  return call;
}
