import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ServiceConnectEndpoint } from '../../src';
import {
  discoveryNameFormat, endpointRequired, ingressPortOverride, perRequestTimeoutProtocol, portMappingNameExists,
} from '../../src/rules/endpoint-rules';
import { fargateTask } from '../util';
import { describeRule, RuleEnv } from './harness';

/** A server whose task has 'http' (HTTP) and 'tcp' (no app protocol) port mappings, with the given endpoints. */
function serverWith(env: RuleEnv, endpoints: ServiceConnectEndpoint[]): void {
  env.server('Api', {
    taskDefinition: fargateTask(env.stack, 'ApiTask', [
      { name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http },
      { name: 'tcp', containerPort: 9000 },
    ]),
    endpoints,
  });
}

describeRule(endpointRequired, [{
  name: 'a ClientServerService without endpoints',
  fail: (env) => serverWith(env, []),
  pass: (env) => serverWith(env, [{ portMappingName: 'http' }]),
  found: 'endpoints: []',
}]);

describeRule(portMappingNameExists, [{
  name: 'an endpoint naming a port mapping the task lacks',
  fail: (env) => serverWith(env, [{ portMappingName: 'grpc' }]),
  pass: (env) => serverWith(env, [{ portMappingName: 'tcp' }]),
  found: "portMappingName 'grpc'; named port mappings: 'http', 'tcp'",
}]);

describeRule(ingressPortOverride, [
  {
    name: '1024, the highest port ECS rejects',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 1024 }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 1025 }]),
    found: 'ingressPortOverride 1024',
  },
  {
    name: '65536, above the port range',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 65536 }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 65535 }]),
    found: 'ingressPortOverride 65536',
  },
  {
    name: 'a fractional port',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 8080.5 }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 8081 }]),
    found: 'ingressPortOverride 8080.5',
  },
]);

describeRule(discoveryNameFormat, [
  {
    name: 'an uppercase discovery name',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', discoveryName: 'Api', dnsName: 'api' }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', discoveryName: 'api_v2-x', dnsName: 'api' }]),
    found: "discovery name 'Api'",
  },
  {
    name: 'a 65-character discovery name',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', discoveryName: 'a'.repeat(65), dnsName: 'api' }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', discoveryName: 'a'.repeat(64), dnsName: 'api' }]),
    found: `discovery name '${'a'.repeat(65)}'`,
  },
  {
    name: 'a 128-character DNS name',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', dnsName: 'a'.repeat(128) }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', dnsName: 'a'.repeat(127) }]),
    found: `DNS name '${'a'.repeat(128)}'`,
  },
  {
    name: 'a DNS name starting with a hyphen',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', dnsName: '-api.shop' }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', dnsName: 'api.shop' }]),
    found: "DNS name '-api.shop'",
  },
]);

describeRule(perRequestTimeoutProtocol, [{
  name: 'a per-request timeout on a TCP port mapping',
  fail: (env) => serverWith(env, [{ portMappingName: 'tcp', perRequestTimeout: Duration.seconds(30) }]),
  pass: (env) => serverWith(env, [{ portMappingName: 'http', perRequestTimeout: Duration.seconds(30) }]),
  found: 'appProtocol not set',
}]);
