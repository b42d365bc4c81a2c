import { Duration, Lazy, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { endpointFacts, serviceFacts } from './facts';
import { ServiceConnectEndpoint } from '../../src/endpoint';
import {
  bridgeIngressPortOverride, discoveryNameFormat, endpointName, endpointPort, endpointRequired, ingressPortOverride,
  perRequestTimeoutProtocol, portMappingNameExists,
} from '../../src/rules/endpoint-rules';
import { RuleSeverity } from '../../src/rules/rule';

/** A service with one endpoint on port mapping `http` (container port 8080, HTTP). */
function withEndpoint(endpoint: Partial<ServiceConnectEndpoint>, mapping: { appProtocol?: ecs.AppProtocol } = { appProtocol: ecs.AppProtocol.http }) {
  const { appProtocol } = mapping;
  const declared = { portMappingName: 'http', discoveryName: 'api', ...endpoint };
  return serviceFacts({ endpoints: [endpointFacts(declared, { portMapping: { name: 'http', containerPort: 8080, appProtocol } })] });
}

describe('EndpointRequired', () => {
  test('fires on a server without endpoints', () => {
    expect(endpointRequired.check(serviceFacts({ endpoints: [] }))).toEqual([{
      problem: 'a ClientServerService must expose at least one endpoint',
      value: 'endpoints: []',
    }]);
  });

  test('is quiet on a client without endpoints', () => {
    expect(endpointRequired.check(serviceFacts({ isServer: false, endpoints: [] }))).toEqual([]);
  });
});

describe('PortMappingNameExists', () => {
  test('fires on an unknown port mapping name, listing the names there are', () => {
    const endpoints = [endpointFacts({ portMappingName: 'web' }, {})];
    expect(portMappingNameExists.check(serviceFacts({ endpoints, portMappingNames: ['http', 'admin'] }))).toEqual([{
      problem: 'the endpoint names a port mapping the task definition does not have',
      value: "portMappingName 'web'; named port mappings: 'http', 'admin'",
    }]);
  });

  test('says "none" when the task definition has no named port mapping', () => {
    const endpoints = [endpointFacts({ portMappingName: 'web' }, {})];
    expect(portMappingNameExists.check(serviceFacts({ endpoints, portMappingNames: [] }))[0].value)
      .toEqual("portMappingName 'web'; named port mappings: none");
  });

  test('reports only the endpoints whose mapping is missing', () => {
    const endpoints = [endpointFacts({ portMappingName: 'http' }), endpointFacts({ portMappingName: 'grpc' }, {})];
    const findings = portMappingNameExists.check(serviceFacts({ endpoints }));
    expect(findings.map((f) => f.value)).toEqual(["portMappingName 'grpc'; named port mappings: 'http'"]);
  });

  test('refuses a port mapping name that is a token: the library could not find its port', () => {
    const name = Lazy.string({ produce: () => 'http' });
    expect(portMappingNameExists.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: name }, {})] }))).toEqual([{
      problem: 'the endpoint\'s port mapping name is a token, so the library cannot find the port mapping, its port or its protocol',
      value: 'portMappingName given as a token',
      fix: 'give `portMappingName` as a literal string, the name of a port mapping of the task definition',
    }]);
  });
});

describe('IngressPortOverride', () => {
  test.each([1024, 65536, 0, -1, 8080.5])('fires on %p', (port) => {
    expect(ingressPortOverride.check(withEndpoint({ ingressPortOverride: port }))).toEqual([{
      problem: "endpoint 'api' overrides the proxy listen port with a port ECS rejects",
      value: `ingressPortOverride ${port}`,
    }]);
  });

  test.each([1025, 8080, 65535, undefined])('is quiet on %p', (port) => {
    expect(ingressPortOverride.check(withEndpoint({ ingressPortOverride: port }))).toEqual([]);
  });

  test('skips a token', () => {
    expect(ingressPortOverride.check(withEndpoint({ ingressPortOverride: Token.asNumber({ Ref: 'Port' }) }))).toEqual([]);
  });
});

describe('EndpointPort', () => {
  test.each([0, -1, 65536, 70000, 80.5, Number.NaN])('fires on the client alias port %p', (port) => {
    expect(endpointPort.check(withEndpoint({ port }))).toEqual([{
      problem: "endpoint 'api' has a client alias port that is not an integer from 1 to 65535",
      value: `port ${port}`,
    }]);
  });

  test.each([1, 80, 65535, undefined, Token.asNumber({ Ref: 'Port' })])('is quiet on the client alias port %p', (port) => {
    expect(endpointPort.check(withEndpoint({ port }))).toEqual([]);
  });

  test('fires on a port range, once, whatever the other ports', () => {
    const range = { name: 'http', containerPort: 0, containerPortRange: '8000-8010' };
    expect(endpointPort.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http' }, { portMapping: range })] })).map((f) => f.value))
      .toEqual(["port mapping 'http' with containerPortRange 8000-8010"]);
  });

  test('warns on a UDP port mapping', () => {
    const udp = { name: 'http', containerPort: 5353, protocol: ecs.Protocol.UDP };
    const findings = endpointPort.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http' }, { portMapping: udp })] }));
    expect(findings.map((f) => [f.value, f.severity])).toEqual([["port mapping 'http' with protocol udp", RuleSeverity.WARNING]]);
  });

  test('still checks the client alias port of a UDP port mapping', () => {
    const udp = { name: 'http', containerPort: 5353, protocol: ecs.Protocol.UDP };
    const findings = endpointPort.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http', port: 0 }, { portMapping: udp })] }));
    expect(findings.map((f) => [f.value, f.severity])).toEqual([["port mapping 'http' with protocol udp", RuleSeverity.WARNING], ['port 0', undefined]]);
  });

  test('for a server from fromAttributes: a missing listen port matters only with security groups', () => {
    const endpoints = [{ declared: { portMappingName: 'http' }, resolved: { portMappingName: 'http', discoveryName: 'api', dnsName: 'api' } }];
    expect(endpointPort.check(serviceFacts({ endpoints, importedServer: { securityGroupCount: 1 } })).map((f) => f.value)).toEqual(['listenPort not set']);
    expect(endpointPort.check(serviceFacts({ endpoints, importedServer: { securityGroupCount: 0 } }))).toEqual([]);
  });
});

describe('EndpointPort, the whole findings', () => {
  const withMapping = (portMapping: ecs.PortMapping, declared: Partial<ServiceConnectEndpoint> = {}) =>
    serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api', ...declared }, { portMapping })] });

  test('a port range', () => {
    expect(endpointPort.check(withMapping({ name: 'http', containerPort: 0, containerPortRange: '8000-8010' }))).toEqual([{
      problem: "endpoint 'api' names a port mapping with a port range; a Service Connect endpoint needs one container port",
      value: "port mapping 'http' with containerPortRange 8000-8010",
      fix: 'name a port mapping with a single `containerPort` (add one next to the range if the container needs both)',
    }]);
  });

  test('a UDP port mapping', () => {
    expect(endpointPort.check(withMapping({ name: 'http', containerPort: 5353, protocol: ecs.Protocol.UDP }))).toEqual([{
      problem: "endpoint 'api' names a UDP port mapping, which the Service Connect proxy is not known to carry (the guide names TCP, HTTP, HTTP/2 and gRPC only; unconfirmed), so the library opens no port for it",
      value: "port mapping 'http' with protocol udp",
      fix: 'name a TCP port mapping (the default protocol); reach a UDP port some other way, e.g. Cloud Map service discovery (`cloudMapOptions`)',
      severity: RuleSeverity.WARNING,
    }]);
  });

  test('a container port the proxy cannot listen on, without an override; with one, that is IngressPortOverride\'s', () => {
    expect(endpointPort.check(withMapping({ name: 'http', containerPort: 70000 }, { port: 8080 }))).toEqual([{
      problem: "endpoint 'api' has a proxy listen port that is not an integer from 1 to 65535",
      value: 'container port 70000',
    }]);
    expect(endpointPort.check(withMapping({ name: 'http', containerPort: 70000 }, { port: 8080, ingressPortOverride: 9000 }))).toEqual([]);
  });

  test('a client alias port left to the container port names it so', () => {
    expect(endpointPort.check(withMapping({ name: 'http', containerPort: 0 })).map((f) => f.value)).toEqual(['container port 0', 'container port 0']);
  });

  test('a server from fromAttributes: its listen port, and the fix for a missing one', () => {
    const imported = (listenPort?: number) => serviceFacts({
      endpoints: [{ declared: { portMappingName: 'http' }, resolved: { portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80, listenPort } }],
      importedServer: { securityGroupCount: 1 },
    });
    expect(endpointPort.check(imported(0))).toEqual([{
      problem: "endpoint 'api' has a proxy listen port that is not an integer from 1 to 65535",
      value: 'listenPort 0',
    }]);
    expect(endpointPort.check(imported())).toEqual([{
      problem: "endpoint 'api' of a server from fromAttributes has no listen port, so its security groups cannot let the clients in",
      value: 'listenPort not set',
      fix: 'give the endpoint `listenPort`, the port the server\'s proxy listens on (its ingress override, else its container port); or leave out `securityGroups` if the server\'s rules are managed elsewhere',
    }]);
  });
});

describe('endpointName', () => {
  test('the discovery name, else the port mapping\'s name, never a token\'s text', () => {
    const named = (discoveryName: string, portMappingName: string) =>
      endpointName({ declared: { portMappingName }, resolved: { portMappingName, discoveryName, dnsName: 'x' } } as any);
    const token = Token.asString({ Ref: 'Name' });
    expect(named('api', 'http')).toBe("'api'");
    expect(named(token, 'http')).toBe("on port mapping 'http'");
    expect(named(token, token)).toBe('(named by tokens)');
  });
});

describe('BridgeIngressPortOverride', () => {
  const bridge = (overrides: Array<number | undefined>, networkMode = 'bridge') => serviceFacts({
    task: { networkMode },
    endpoints: overrides.map((override, i) => endpointFacts({ portMappingName: `p${i}`, discoveryName: `e${i}`, ingressPortOverride: override })),
  });

  test('fires on each endpoint of a bridge-mode server without an override', () => {
    expect(bridgeIngressPortOverride.check(bridge([undefined, 9000, undefined]))).toEqual([1, 3].map((n) => ({
      problem: `endpoint 'e${n - 1}' runs in the bridge network mode, where the proxy listens on an ephemeral port unless it is overridden`,
      value: 'networkMode bridge, no ingressPortOverride',
    })));
  });

  test('is quiet in other network modes', () => {
    expect(bridgeIngressPortOverride.check(bridge([undefined], 'awsvpc'))).toEqual([]);
    expect(bridgeIngressPortOverride.check(bridge([undefined], 'host'))).toEqual([]);
  });
});

describe('IngressPortOverride collisions', () => {
  const tcp = (name: string, containerPort: number) => ({ portMapping: { name, containerPort } });

  test('the whole finding', () => {
    const facts = serviceFacts({
      endpoints: [
        endpointFacts({ portMappingName: 'a', discoveryName: 'a', ingressPortOverride: 9000 }, tcp('a', 8080)),
        endpointFacts({ portMappingName: 'b', discoveryName: 'b' }, tcp('b', 9000)),
      ],
    });
    expect(ingressPortOverride.check(facts)).toEqual([{
      problem: "endpoint 'a' overrides the proxy listen port with a port endpoint 'b' already uses",
      value: "ingressPortOverride 9000; 'b' container port 9000, listen port 9000",
      fix: 'choose an ingress port override that no other endpoint of the service uses as its container port or listen port',
    }]);
  });

  test('an override equal to the endpoint\'s own container port, a token, or a later endpoint\'s listen port only is no collision here', () => {
    const facts = serviceFacts({
      endpoints: [
        endpointFacts({ portMappingName: 'a', ingressPortOverride: 8080 }, tcp('a', 8080)),
        endpointFacts({ portMappingName: 'b', ingressPortOverride: Token.asNumber({ Ref: 'Port' }) }, tcp('b', 8081)),
        endpointFacts({ portMappingName: 'c', ingressPortOverride: 9000 }, tcp('c', 7000)),
        endpointFacts({ portMappingName: 'd', ingressPortOverride: 9000 }, tcp('d', 7001)),
      ],
    });
    expect(ingressPortOverride.check(facts).map((f) => f.problem)).toEqual([
      "endpoint 'd' overrides the proxy listen port with a port endpoint 'c' already uses",
    ]);
  });

  test('fires on an override equal to the container port of a later endpoint, and on a repeated override', () => {
    const facts = serviceFacts({
      endpoints: [
        endpointFacts({ portMappingName: 'a', ingressPortOverride: 9000 }, tcp('a', 8080)),
        endpointFacts({ portMappingName: 'b' }, tcp('b', 9000)),
        endpointFacts({ portMappingName: 'c', ingressPortOverride: 9000 }, tcp('c', 7000)),
      ],
    });
    expect(ingressPortOverride.check(facts).map((f) => f.value)).toEqual([
      "ingressPortOverride 9000; 'b' container port 9000, listen port 9000",
      "ingressPortOverride 9000; 'a' container port 8080, listen port 9000",
    ]);
  });
});


describe('DiscoveryNameFormat', () => {
  test.each([
    'Api', '-api', 'api.v1', 'a'.repeat(65), 'api service',
  ])('fires on the discovery name %p', (discoveryName) => {
    expect(discoveryNameFormat.check(withEndpoint({ discoveryName, dnsName: 'api' }))).toEqual([{
      problem: 'the discovery name is not one the ECS API accepts',
      value: `discovery name '${discoveryName}'`,
    }]);
  });

  test.each(['api', 'a', 'api_v1-2', 'a'.repeat(64), '0api'])('accepts the discovery name %p', (discoveryName) => {
    expect(discoveryNameFormat.check(withEndpoint({ discoveryName, dnsName: 'api' }))).toEqual([]);
  });

  test.each(['Api.internal', '-api', 'a'.repeat(128), 'api/v1'])('fires on the DNS name %p', (dnsName) => {
    expect(discoveryNameFormat.check(withEndpoint({ dnsName }))).toEqual([{
      problem: 'the DNS name is not one the ECS API accepts',
      value: `DNS name '${dnsName}'`,
    }]);
  });

  test.each(['api.shop.internal', 'a'.repeat(127), 'api_v1-2.local'])('accepts the DNS name %p', (dnsName) => {
    expect(discoveryNameFormat.check(withEndpoint({ dnsName }))).toEqual([]);
  });

  test('reports both names when both are wrong, the discovery name first', () => {
    expect(discoveryNameFormat.check(withEndpoint({ discoveryName: 'Api', dnsName: 'Api' })).map((f) => f.value))
      .toEqual(["discovery name 'Api'", "DNS name 'Api'"]);
  });

  test('skips names that are tokens', () => {
    const token = Lazy.string({ produce: () => 'Bad Name' });
    expect(discoveryNameFormat.check(withEndpoint({ discoveryName: token, dnsName: token }))).toEqual([]);
  });
});

describe('PerRequestTimeoutProtocol', () => {
  const perRequestTimeout = Duration.seconds(5);

  test.each([
    [ecs.AppProtocol.http, []],
    [ecs.AppProtocol.http2, []],
    [ecs.AppProtocol.grpc, []],
  ])('accepts %p', (appProtocol, expected) => {
    expect(perRequestTimeoutProtocol.check(withEndpoint({ perRequestTimeout }, { appProtocol }))).toEqual(expected);
  });

  test('fires when the port mapping has no app protocol', () => {
    expect(perRequestTimeoutProtocol.check(withEndpoint({ perRequestTimeout }, {}))).toEqual([{
      problem: "endpoint 'api' sets a per-request timeout on a port mapping that is not HTTP, HTTP/2 or gRPC",
      value: 'appProtocol not set',
    }]);
  });

  test('names a protocol the proxy cannot time out', () => {
    const tcp = { value: 'tcp' } as ecs.AppProtocol; // not in aws-cdk-lib's list, but a value ECS could hold
    expect(perRequestTimeoutProtocol.check(withEndpoint({ perRequestTimeout }, { appProtocol: tcp })).map((f) => f.value)).toEqual(['appProtocol tcp']);
  });

  test('is quiet without a per-request timeout, or when the port mapping is missing', () => {
    expect(perRequestTimeoutProtocol.check(withEndpoint({}, {}))).toEqual([]);
    const missing = endpointFacts({ portMappingName: 'web', perRequestTimeout }, {});
    expect(perRequestTimeoutProtocol.check(serviceFacts({ endpoints: [missing] }))).toEqual([]);
  });
});

describe('BridgeIngressPortOverride', () => {
  const bridge = (overrides: { hasCallers?: boolean; ownConfiguration?: boolean; ingressPortOverride?: number } = {}) => serviceFacts({
    task: { networkMode: 'bridge' },
    endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: overrides.ingressPortOverride })],
    hasCallers: overrides.hasCallers,
    ownConfiguration: overrides.ownConfiguration,
  });

  test('is an error when a service of the app calls the server, or the callers are not known', () => {
    for (const hasCallers of [true, undefined]) {
      const [finding] = bridgeIngressPortOverride.check(bridge({ hasCallers }));
      expect(finding.severity).toBeUndefined();
      expect(finding.problem).toBe("endpoint 'api' runs in the bridge network mode, where the proxy listens on an ephemeral port unless it is overridden");
    }
  });

  test('is a warning when no service of the app calls the server: it can be adopted as it is', () => {
    const [finding] = bridgeIngressPortOverride.check(bridge({ hasCallers: false }));
    expect(finding.severity).toBe(RuleSeverity.WARNING);
    expect(finding.problem).toMatch(/no service of the app calls it, so the library opens nothing for it$/);
  });

  test('points a service that keeps its own configuration to that configuration', () => {
    expect(bridgeIngressPortOverride.check(bridge({ ownConfiguration: true }))[0].fix).toMatch(/in the service's own Service Connect configuration/);
    expect(bridgeIngressPortOverride.check(bridge())[0].fix).toBeUndefined();
  });

  test('is quiet with an override, and in awsvpc', () => {
    expect(bridgeIngressPortOverride.check(bridge({ ingressPortOverride: 9090 }))).toEqual([]);
    expect(bridgeIngressPortOverride.check(serviceFacts())).toEqual([]);
  });
});

describe('DiscoveryNameFormat: DNS labels and port mapping names', () => {
  test.each(['a..b.', '.api', 'api..internal'])('refuses the DNS name %p, which has an empty label', (dnsName) => {
    expect(discoveryNameFormat.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api', dnsName })] }))).toEqual([
      { problem: 'the DNS name is not one the ECS API accepts', value: `DNS name '${dnsName}'` },
    ]);
  });

  test('accepts a dotted DNS name and a trailing dot', () => {
    for (const dnsName of ['api.shop.internal', 'api.']) {
      expect(discoveryNameFormat.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'http', discoveryName: 'api', dnsName })] }))).toEqual([]);
    }
  });

  test.each(['HTTP', 'a'.repeat(65), '-http', 'h t'])('refuses the port mapping name %p, even with a valid discovery name', (portMappingName) => {
    expect(discoveryNameFormat.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName, discoveryName: 'api' })] }))).toEqual([
      { problem: 'the port mapping name is not one the ECS API accepts', value: `port mapping name '${portMappingName}'` },
    ]);
  });

  test('reports a bad port mapping name once when it is also the discovery name', () => {
    const problems = discoveryNameFormat.check(serviceFacts({ endpoints: [endpointFacts({ portMappingName: 'HTTP' })] })).map((f) => f.problem);
    expect(problems).toContain('the discovery name is not one the ECS API accepts');
    expect(problems).not.toContain('the port mapping name is not one the ECS API accepts');
  });
});

describe('IngressPortOverride: a token is equal to itself', () => {
  test('one parameter as the override of two endpoints is two listeners on one port', () => {
    const override = Token.asNumber({ Ref: 'Port' });
    const endpoints = [
      endpointFacts({ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: override }),
      endpointFacts({ portMappingName: 'admin', discoveryName: 'admin', ingressPortOverride: override }),
    ];
    expect(ingressPortOverride.check(serviceFacts({ endpoints }))).toEqual([expect.objectContaining({
      problem: "endpoint 'admin' overrides the proxy listen port with a port endpoint 'api' already uses",
      value: expect.stringMatching(/^ingressPortOverride \(a token\); 'api' container port 8080, listen port \(a token\)$/),
    })]);
  });

  test('two different parameters are not judged', () => {
    const endpoints = [
      endpointFacts({ portMappingName: 'http', discoveryName: 'api', ingressPortOverride: Token.asNumber({ Ref: 'A' }) }),
      endpointFacts({ portMappingName: 'admin', discoveryName: 'admin', ingressPortOverride: Token.asNumber({ Ref: 'B' }) }),
    ];
    expect(ingressPortOverride.check(serviceFacts({ endpoints }))).toEqual([]);
  });
});
