import { CfnParameter, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ResolvedEndpoint, ServiceConnectEndpoint } from '../../src';
import {
  discoveryNameFormat, endpointPort, endpointRequired, ingressPortOverride, perRequestTimeoutProtocol, portMappingNameExists,
} from '../../src/rules/endpoint-rules';
import { RuleSeverity } from '../../src/rules/rule';
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
  {
    name: "an override equal to another endpoint's container port (two listeners on one port)",
    fail: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 9000 }, { portMappingName: 'tcp' }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 9001 }, { portMappingName: 'tcp' }]),
    found: "ingressPortOverride 9000; 'tcp' container port 9000, listen port 9000",
    fix: 'choose an ingress port override that no other endpoint of the service uses as its container port or listen port',
  },
  {
    name: "an override equal to another endpoint's override",
    fail: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 9500 }, { portMappingName: 'tcp', ingressPortOverride: 9500 }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', ingressPortOverride: 9500 }, { portMappingName: 'tcp', ingressPortOverride: 9501 }]),
    found: "ingressPortOverride 9500; 'http' container port 8080, listen port 9500",
    fix: 'choose an ingress port override that no other endpoint of the service uses as its container port or listen port',
  },
]);

/** A server whose task has a port range, a UDP and a TCP port mapping, with the given endpoints. */
function oddPortsServer(env: RuleEnv, endpoints: ServiceConnectEndpoint[]): void {
  const taskDefinition = fargateTask(env.stack, 'ApiTask', [{ name: 'http', containerPort: 8080 }]);
  taskDefinition.defaultContainer?.addPortMappings(
    { name: 'range', containerPort: ecs.ContainerDefinition.CONTAINER_PORT_USE_RANGE, containerPortRange: '8000-8010' },
    { name: 'dns', containerPort: 5353, protocol: ecs.Protocol.UDP },
  );
  env.server('Api', { taskDefinition, endpoints });
}

/** A server from fromAttributes with one endpoint, security groups and a client calling it. */
function importedServer(env: RuleEnv, endpoint: Partial<ResolvedEndpoint>, securityGroups = true): void {
  const group = new ec2.SecurityGroup(env.stack, 'PaymentsGroup', { vpc: env.vpc });
  const payments = ClientServerService.fromAttributes(env.stack, 'Payments', {
    namespace: env.namespace,
    securityGroups: securityGroups ? [group] : undefined,
    endpoints: [{ portMappingName: 'http', discoveryName: 'payments', dnsName: 'payments', ...endpoint }],
  });
  env.server('Api', { connectsTo: [payments] });
}

describeRule(endpointPort, [
  ...[0, 70000, 80.5, -1].map((port) => ({
    name: `a client alias port of ${port}`,
    fail: (env: RuleEnv) => serverWith(env, [{ portMappingName: 'http', port }]),
    pass: (env: RuleEnv) => serverWith(env, [{ portMappingName: 'http', port: port <= 0 ? 1 : port > 65535 ? 65535 : 80 }]),
    found: `port ${port}`,
  })),
  {
    name: 'a client alias port from a parameter is checked at deployment',
    fail: (env) => serverWith(env, [{ portMappingName: 'http', port: 0 }]),
    pass: (env) => serverWith(env, [{ portMappingName: 'http', port: new CfnParameter(env.stack, 'Port', { type: 'Number' }).valueAsNumber }]),
    found: 'port 0',
  },
  {
    name: 'an endpoint on a port range',
    fail: (env) => oddPortsServer(env, [{ portMappingName: 'range' }]),
    pass: (env) => oddPortsServer(env, [{ portMappingName: 'http' }]),
    found: "port mapping 'range' with containerPortRange 8000-8010",
    fix: 'name a port mapping with a single `containerPort` (add one next to the range if the container needs both)',
  },
  {
    name: 'a server from fromAttributes with security groups and no listen port',
    fail: (env) => importedServer(env, {}),
    pass: (env) => importedServer(env, {}, false),
    found: 'listenPort not set',
    fix: 'give the endpoint `listenPort`, the port the server\'s proxy listens on (its ingress override, else its container port); or leave out `securityGroups` if the server\'s rules are managed elsewhere',
  },
  {
    name: 'a server from fromAttributes with a listen port of -1',
    fail: (env) => importedServer(env, { listenPort: -1 }),
    pass: (env) => importedServer(env, { listenPort: 8443 }),
    found: 'listenPort -1',
  },
  {
    name: 'a server from fromAttributes with a client alias port of 0',
    fail: (env) => importedServer(env, { port: 0, listenPort: 8443 }),
    pass: (env) => importedServer(env, { port: 443, listenPort: 8443 }),
    found: 'port 0',
  },
]);

describeRule(endpointPort, [{
  name: 'an endpoint on a UDP port mapping (unconfirmed: a warning, and no port is opened)',
  fail: (env) => oddPortsServer(env, [{ portMappingName: 'dns' }]),
  pass: (env) => oddPortsServer(env, [{ portMappingName: 'http' }]),
  found: "port mapping 'dns' with protocol udp",
  fix: 'name a TCP port mapping (the default protocol); reach a UDP port some other way, e.g. Cloud Map service discovery (`cloudMapOptions`)',
}], RuleSeverity.WARNING);

describeRule(discoveryNameFormat, [{
  name: 'a server from fromAttributes with an uppercase discovery name',
  fail: (env) => importedServer(env, { discoveryName: 'Payments', listenPort: 8443 }),
  pass: (env) => importedServer(env, { discoveryName: 'payments', listenPort: 8443 }),
  found: "discovery name 'Payments'",
}]);

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
