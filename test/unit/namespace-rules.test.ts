import { Token } from 'aws-cdk-lib';
import { memberFacts, namespaceFacts } from './facts';
import {
  crossesSizeThreshold, discoveryNameUnique, endpointUnique, NAMESPACE_SERVICE_LIMIT, namespaceServiceLimit, namespaceSizeThreshold,
} from '../../src/rules/namespace-rules';

describe('DiscoveryNameUnique', () => {
  test('fires on every later holder of a name, pointing at the first', () => {
    const ns = namespaceFacts([memberFacts('A', ['api:80']), memberFacts('B', ['api:81']), memberFacts('C', ['web:80', 'api:82'])]);
    expect(discoveryNameUnique.check(ns)).toEqual([
      { problem: 'the discovery name is already used in namespace shop.internal by A', value: "discovery name 'api'", path: 'B' },
      { problem: 'the discovery name is already used in namespace shop.internal by A', value: "discovery name 'api'", path: 'C' },
    ]);
  });

  test('fires on one service that uses a name twice', () => {
    expect(discoveryNameUnique.check(namespaceFacts([memberFacts('A', ['api:80', 'api:81'])]))).toHaveLength(1);
  });

  test('is quiet on distinct names, and skips tokens', () => {
    expect(discoveryNameUnique.check(namespaceFacts([memberFacts('A', ['api:80']), memberFacts('B', ['web:80'])]))).toEqual([]);
    const token = Token.asString({ Ref: 'Name' });
    const members = [memberFacts('A', []), memberFacts('B', [])].map((m) => ({
      ...m, endpoints: [{ portMappingName: 'http', discoveryName: token, dnsName: `${m.path.toLowerCase()}`, port: 80 }],
    }));
    expect(discoveryNameUnique.check(namespaceFacts(members))).toEqual([]);
  });
});

describe('EndpointUnique', () => {
  test('fires on a DNS name and port used twice', () => {
    const members = [memberFacts('A', ['api:80']), memberFacts('B', ['api:80'])];
    expect(endpointUnique.check(namespaceFacts(members))).toEqual([
      { problem: 'the endpoint is already used in namespace shop.internal by A', value: 'endpoint api:80', path: 'B' },
    ]);
  });

  test('accepts the same DNS name on another port', () => {
    expect(endpointUnique.check(namespaceFacts([memberFacts('A', ['api:80']), memberFacts('B', ['api:81'])]))).toEqual([]);
  });

  test('skips endpoints whose port is unknown or whose name or port is a token', () => {
    const unknownPort = [memberFacts('A', ['api']), memberFacts('B', ['api'])];
    expect(endpointUnique.check(namespaceFacts(unknownPort))).toEqual([]);
    const tokenPort = [memberFacts('A', ['api:80']), memberFacts('B', ['api:80'])].map((m) => ({
      ...m, endpoints: m.endpoints.map((ep) => ({ ...ep, port: Token.asNumber({ Ref: 'Port' }) })),
    }));
    expect(endpointUnique.check(namespaceFacts(tokenPort))).toEqual([]);
    const tokenName = [memberFacts('A', ['api:80']), memberFacts('B', ['api:80'])].map((m) => ({
      ...m, endpoints: m.endpoints.map((ep) => ({ ...ep, dnsName: Token.asString({ Ref: 'Dns' }) })),
    }));
    expect(endpointUnique.check(namespaceFacts(tokenName))).toEqual([]);
  });
});

describe('crossesSizeThreshold', () => {
  test.each([
    [100, 2000, false],
    [101, 0, true],
    [1, 2001, true],
    [0, 0, false],
  ])('%d services and %d tasks: %p', (services, tasks, expected) => {
    expect(crossesSizeThreshold(services, tasks)).toBe(expected);
  });
});

describe('NamespaceSizeThreshold', () => {
  /** `count` members, each running `tasks` tasks, with `headroom` MiB of proxy memory. */
  const members = (count: number, tasks: number, headroom: number | undefined, taskDefinitionPath?: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => memberFacts(`App/Stack/S${i}`, [`s${i}:80`], {
      maxTaskCount: tasks, proxyMemoryHeadroomMiB: headroom, taskDefinitionPath: taskDefinitionPath?.(i),
    }));

  test('names the task definitions short of 128 MiB in a namespace over 2000 tasks, once each', () => {
    const ns = namespaceFacts([...members(2, 1000, 127, () => 'App/Stack/SharedTask'), ...members(1, 1, 128)]);
    expect(namespaceSizeThreshold.check(ns)).toEqual([{
      problem: 'the namespace has 3 services and up to 2001 tasks, so every proxy needs 128 MiB',
      value: 'task definitions with less: App/Stack/SharedTask',
    }]);
  });

  test('falls back to the service path when the task definition is not in the app', () => {
    const ns = namespaceFacts(members(101, 1, 64));
    const [finding] = namespaceSizeThreshold.check(ns);
    expect(finding.problem).toEqual('the namespace has 101 services and up to 101 tasks, so every proxy needs 128 MiB');
    expect(finding.value).toMatch(/^task definitions with less: App\/Stack\/S0, App\/Stack\/S1, /);
  });

  test('tasks that cannot be counted: a warning under the threshold, naming each such service and the fix', () => {
    const uncounted = memberFacts('App/Stack/Daemon', ['daemon:80'], { maxTaskCount: 0, uncountedTasks: 'a daemon service', proxyMemoryHeadroomMiB: 64 });
    const tokenCount = memberFacts('App/Stack/Scaled', ['scaled:80'], { maxTaskCount: 0, uncountedTasks: 'desiredCount is a token' });
    const ns = namespaceFacts([...members(2, 3, 128), uncounted, tokenCount]);
    expect(namespaceSizeThreshold.check(ns)).toEqual([{
      problem: 'the namespace\'s tasks cannot be counted at synth (App/Stack/Daemon: a daemon service; App/Stack/Scaled: desiredCount is a token), '
        + 'so it may run more than 2000 tasks, where every proxy needs 128 MiB',
      value: 'up to 6 tasks counted; task definitions with less: App/Stack/Daemon',
      fix: 'give `desiredCount` as a number so the library can count the tasks; or, if the namespace can run more than 2000 tasks, '
        + 'give every task definition listed at least 128 MiB of memory above its container limits; or acknowledge this warning if it cannot',
    }]);
  });

  test('over the threshold with tasks that cannot be counted: up to so many tasks "or more"', () => {
    const uncounted = memberFacts('App/Stack/Daemon', ['daemon:80'], { maxTaskCount: 0, uncountedTasks: 'a daemon service', proxyMemoryHeadroomMiB: 64 });
    expect(namespaceSizeThreshold.check(namespaceFacts([...members(1, 2001, 128), uncounted]))[0].problem)
      .toEqual('the namespace has 2 services and up to 2001 or more tasks, so every proxy needs 128 MiB');
  });

  test('tasks that cannot be counted, and every proxy with 128 MiB: quiet', () => {
    const uncounted = memberFacts('App/Stack/Daemon', ['daemon:80'], { maxTaskCount: 0, uncountedTasks: 'a daemon service', proxyMemoryHeadroomMiB: 128 });
    expect(namespaceSizeThreshold.check(namespaceFacts([uncounted]))).toEqual([]);
  });

  test('is quiet when every proxy has 128 MiB, when headroom is unknown, or under the threshold', () => {
    expect(namespaceSizeThreshold.check(namespaceFacts(members(101, 1, 128)))).toEqual([]);
    expect(namespaceSizeThreshold.check(namespaceFacts(members(101, 1, undefined)))).toEqual([]);
    expect(namespaceSizeThreshold.check(namespaceFacts(members(100, 20, 64)))).toEqual([]);
  });
});

describe('NamespaceServiceLimit', () => {
  /** `count` members with one endpoint each; clients and servers count alike. */
  const members = (count: number) => Array.from({ length: count }, (_, i) => memberFacts(`App/Stack/S${i}`, i % 5 === 4 ? [] : [`s${i}:80`]));

  test('the limit is the quota, 300', () => {
    expect(NAMESPACE_SERVICE_LIMIT).toBe(300);
  });

  test('fails at 301 services with one finding on the namespace, naming the count and the limit', () => {
    expect(namespaceServiceLimit.check(namespaceFacts(members(301)))).toEqual([{
      problem: 'the namespace has more than the 300 Service Connect services a namespace may hold (quota "Services per namespace", not adjustable)',
      value: '301 services',
    }]);
  });

  test('passes at 300 services, and on an empty namespace', () => {
    expect(namespaceServiceLimit.check(namespaceFacts(members(300)))).toEqual([]);
    expect(namespaceServiceLimit.check(namespaceFacts([]))).toEqual([]);
  });
});
