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

export const blueGreenBakeTime: Rule<ServiceFacts> = {
  id: 'BlueGreenBakeTime',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The deployment strategy is BLUE_GREEN and no bake time is set. The ECS API requires `bakeTimeInMinutes` for blue/green deployments.',
  fix: 'set `bakeTime` (for example `Duration.minutes(10)`): how long both revisions keep running after production traffic has shifted',
  seed: '-',
  source: Source.API_DEPLOYMENT_CONFIGURATION,
  check: (svc) => (svc.deployment?.strategy === 'BLUE_GREEN' && !svc.deployment.bakeTimeSet ? [{
    problem: 'a blue/green deployment needs a bake time',
    value: 'deploymentStrategy BLUE_GREEN, no bakeTime',
  }] : []),
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
