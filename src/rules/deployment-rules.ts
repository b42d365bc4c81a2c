import { Token } from 'aws-cdk-lib';
import { endpointName, plainProtocolEndpoints } from './endpoint-rules';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

export const testTrafficProtocol: Rule<ServiceFacts> = {
  id: 'TestTrafficProtocol',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An endpoint has a test-traffic header (`testTrafficHeader`) on a port mapping whose app protocol is not HTTP, HTTP/2 or gRPC. The proxy cannot read headers of plain TCP traffic.',
  fix: 'set `appProtocol` (ecs.AppProtocol.http, http2 or grpc) on the port mapping, or remove `testTrafficHeader`',
  seed: '-',
  source: Source.BLUE_GREEN,
  check: (svc) => plainProtocolEndpoints(svc, (ep) => ep.declared.testTrafficHeader !== undefined)
    .map((ep) => ({
      problem: `endpoint ${endpointName(ep)} routes test traffic by header on a port mapping that is not HTTP, HTTP/2 or gRPC`,
      value: `appProtocol ${ep.portMapping?.appProtocol?.value ?? 'not set'}`,
    })),
};

/** ECS API DeploymentConfiguration.bakeTimeInMinutes: 0 to 1440. */
const MAX_BAKE_TIME_MINUTES = 1440;

/** An HTTP header field name (RFC 9110 `token`): one or more of the characters below. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const testTrafficHeaderName: Rule<ServiceFacts> = {
  id: 'TestTrafficHeaderName',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'An endpoint\'s test-traffic header name is empty or not an HTTP header name (letters, digits and !#$%&\'*+.^_`|~-, no spaces): no request can carry it, so no test traffic reaches the new revision.',
  fix: 'name the header with letters, digits and hyphens, for example `x-test-traffic`',
  seed: '-',
  source: Source.BLUE_GREEN,
  check: (svc) => svc.endpoints
    .filter((ep) => {
      const name: unknown = ep.declared.testTrafficHeader?.name;
      return ep.declared.testTrafficHeader !== undefined && !(typeof name === 'string' && (Token.isUnresolved(name) || HEADER_NAME.test(name)));
    })
    .map((ep) => ({
      problem: `endpoint ${endpointName(ep)} marks test traffic with a header name no HTTP request can carry`,
      value: `testTrafficHeader name ${JSON.stringify(ep.declared.testTrafficHeader?.name)}`,
    })),
};

export const blueGreenBakeTime: Rule<ServiceFacts> = {
  id: 'BlueGreenBakeTime',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The deployment strategy is BLUE_GREEN and no bake time is set, or a bake time is outside 0 to 1440 minutes. The ECS API requires `bakeTimeInMinutes` for blue/green deployments, at most 1440.',
  fix: 'set `bakeTime` (for example `Duration.minutes(10)`): how long both revisions keep running after production traffic has shifted',
  seed: '-',
  source: Source.API_DEPLOYMENT_CONFIGURATION,
  check: (svc) => {
    const minutes = svc.deployment?.bakeTimeMinutes;
    if (minutes !== undefined && (minutes < 0 || minutes > MAX_BAKE_TIME_MINUTES)) {
      return [{
        problem: `a bake time is 0 to ${MAX_BAKE_TIME_MINUTES} minutes (24 hours); ECS refuses a longer one`,
        value: `bakeTime ${minutes} minutes`,
        fix: `set \`bakeTime\` to at most ${MAX_BAKE_TIME_MINUTES} minutes, for example \`Duration.minutes(10)\``,
      }];
    }
    return svc.deployment?.strategy === 'BLUE_GREEN' && !svc.deployment.bakeTimeSet ? [{
      problem: 'a blue/green deployment needs a bake time',
      value: 'deploymentStrategy BLUE_GREEN, no bakeTime',
    }] : [];
  },
};

export const redeployOnEndpointChange: Rule<ServiceFacts> = {
  id: 'RedeployOnEndpointChange',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'The library cannot make the ECS service start a deployment when the endpoints it calls change: the service has a `ForceNewDeployment` of its own, which the library keeps, or an endpoint it calls takes a value from a token of another stack (or too long for the nonce), whose changes do not change the nonce. Running tasks resolve only the endpoints that existed when they started.',
  fix: 'remove your own `ForceNewDeployment` so that the library renders its nonce, or set `redeployOnEndpointChange: false` and redeploy the service yourself when the endpoints it calls change',
  seed: 'Deployment order',
  source: Source.CONSIDERATIONS,
  check: (svc) => [
    ...(svc.redeploy?.ownForceNewDeployment ? [{
      problem: 'the ECS service has a ForceNewDeployment of its own: it does not follow changes of the endpoints the service calls',
      value: 'ForceNewDeployment set on the ECS service resource',
    }] : []),
    ...(svc.redeploy?.untracked ?? []).map((value) => ({
      problem: 'an endpoint the service calls takes a value CloudFormation cannot add to the nonce: changing it starts no deployment',
      value,
      fix: 'use a literal, or a value of the client\'s own stack, or set `redeployOnEndpointChange: false` and redeploy the service yourself',
    })),
  ],
};
