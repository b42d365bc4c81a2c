import * as ecs from 'aws-cdk-lib/aws-ecs';
import { endpointFacts, serviceFacts } from './facts';
import { blueGreenBakeTime, redeployOnEndpointChange, testTrafficHeaderName, testTrafficProtocol } from '../../src/rules/deployment-rules';

/** A service whose one endpoint, on port mapping `http`, has a test-traffic header. */
function withTestTraffic(appProtocol?: ecs.AppProtocol, header: boolean = true) {
  const declared = { portMappingName: 'http', discoveryName: 'api', testTrafficHeader: header ? { name: 'x-test' } : undefined };
  return serviceFacts({ endpoints: [endpointFacts(declared, { portMapping: { name: 'http', containerPort: 8080, appProtocol } })] });
}

describe('TestTrafficProtocol', () => {
  test('fires on a port mapping without an app protocol', () => {
    expect(testTrafficProtocol.check(withTestTraffic(undefined))).toEqual([{
      problem: 'endpoint \'api\' routes test traffic by header on a port mapping that is not HTTP, HTTP/2 or gRPC',
      value: 'appProtocol not set',
    }]);
  });

  test.each([ecs.AppProtocol.http, ecs.AppProtocol.http2, ecs.AppProtocol.grpc])('is quiet on %s', (appProtocol) => {
    expect(testTrafficProtocol.check(withTestTraffic(appProtocol))).toEqual([]);
  });

  test('is quiet on a TCP endpoint without a header', () => {
    expect(testTrafficProtocol.check(withTestTraffic(undefined, false))).toEqual([]);
  });

  test('leaves a missing port mapping to PortMappingNameExists', () => {
    const endpoints = [endpointFacts({ portMappingName: 'web', testTrafficHeader: { name: 'x-test' } }, {})];
    expect(testTrafficProtocol.check(serviceFacts({ endpoints }))).toEqual([]);
  });

  test('reports each offending endpoint', () => {
    const endpoints = [
      endpointFacts({ portMappingName: 'a', testTrafficHeader: { name: 'x' } }, { portMapping: { name: 'a', containerPort: 1 } }),
      endpointFacts({ portMappingName: 'b', testTrafficHeader: { name: 'x' } }, { portMapping: { name: 'b', containerPort: 2, appProtocol: ecs.AppProtocol.grpc } }),
      endpointFacts({ portMappingName: 'c', testTrafficHeader: { name: 'x' } }, { portMapping: { name: 'c', containerPort: 3 } }),
    ];
    expect(testTrafficProtocol.check(serviceFacts({ endpoints })).map((f) => f.problem)).toEqual([
      'endpoint \'a\' routes test traffic by header on a port mapping that is not HTTP, HTTP/2 or gRPC',
      'endpoint \'c\' routes test traffic by header on a port mapping that is not HTTP, HTTP/2 or gRPC',
    ]);
  });
});

describe('BlueGreenBakeTime', () => {
  test('fires on BLUE_GREEN without a bake time', () => {
    expect(blueGreenBakeTime.check(serviceFacts({ deployment: { strategy: 'BLUE_GREEN', bakeTimeSet: false } }))).toEqual([{
      problem: 'a blue/green deployment needs a bake time',
      value: 'deploymentStrategy BLUE_GREEN, no bakeTime',
    }]);
  });

  test('is quiet on BLUE_GREEN with a bake time', () => {
    expect(blueGreenBakeTime.check(serviceFacts({ deployment: { strategy: 'BLUE_GREEN', bakeTimeSet: true } }))).toEqual([]);
  });

  test.each([['ROLLING'], ['LINEAR'], ['CANARY'], [undefined]])('is quiet on %s without a bake time', (strategy) => {
    expect(blueGreenBakeTime.check(serviceFacts({ deployment: { strategy, bakeTimeSet: false } }))).toEqual([]);
  });

  test('is quiet when the deployment is unknown', () => {
    expect(blueGreenBakeTime.check(serviceFacts())).toEqual([]);
  });
});

describe('RedeployOnEndpointChange', () => {
  test('is quiet when the library renders its nonce and follows every value, and when the service opted out', () => {
    expect(redeployOnEndpointChange.check(serviceFacts({ redeploy: { ownForceNewDeployment: false, untracked: [] } }))).toEqual([]);
    expect(redeployOnEndpointChange.check(serviceFacts({ redeploy: undefined }))).toEqual([]);
  });

  test('fires on a ForceNewDeployment of the service\'s own', () => {
    expect(redeployOnEndpointChange.check(serviceFacts({ redeploy: { ownForceNewDeployment: true, untracked: [] } }))).toEqual([{
      problem: 'the ECS service has a ForceNewDeployment of its own: it does not follow changes of the endpoints the service calls',
      value: 'ForceNewDeployment set on the ECS service resource',
    }]);
  });

  test('fires once for each value the nonce cannot follow, naming it', () => {
    const findings = redeployOnEndpointChange.check(serviceFacts({ redeploy: { ownForceNewDeployment: false, untracked: ['{"Ref":"A"}', '{"Ref":"B"}'] } }));
    expect(findings.map((f) => f.value)).toEqual(['{"Ref":"A"}', '{"Ref":"B"}']);
    expect(findings[0].fix).toMatch(/redeployOnEndpointChange: false/);
  });
});

describe('BlueGreenBakeTime: the ECS range', () => {
  test.each([1441, 10000, -1])('refuses a bake time of %p minutes, whatever the strategy', (bakeTimeMinutes) => {
    for (const strategy of ['BLUE_GREEN', 'LINEAR', undefined]) {
      expect(blueGreenBakeTime.check(serviceFacts({ deployment: { strategy, bakeTimeSet: true, bakeTimeMinutes } }))).toEqual([
        expect.objectContaining({ value: `bakeTime ${bakeTimeMinutes} minutes`, problem: 'a bake time is 0 to 1440 minutes (24 hours); ECS refuses a longer one' }),
      ]);
    }
  });

  test.each([0, 10, 1440])('accepts %p minutes', (bakeTimeMinutes) => {
    expect(blueGreenBakeTime.check(serviceFacts({ deployment: { strategy: 'BLUE_GREEN', bakeTimeSet: true, bakeTimeMinutes } }))).toEqual([]);
  });
});

describe('TestTrafficHeaderName', () => {
  const withHeader = (name: unknown) => serviceFacts({
    endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api', testTrafficHeader: { name: name as string } })],
  });

  test.each(['', 'x test', 'x:test', 'é'])('refuses the header name %p', (name) => {
    expect(testTrafficHeaderName.check(withHeader(name))).toEqual([{
      problem: "endpoint 'api' marks test traffic with a header name no HTTP request can carry",
      value: `testTrafficHeader name ${JSON.stringify(name)}`,
    }]);
  });

  test.each(['x-amzn-ecs-blue-green-test', 'X_Test.1', "a!#$%&'*+.^_`|~-"])('accepts %p', (name) => {
    expect(testTrafficHeaderName.check(withHeader(name))).toEqual([]);
  });

  test('is quiet without a header', () => {
    expect(testTrafficHeaderName.check(serviceFacts())).toEqual([]);
  });
});
