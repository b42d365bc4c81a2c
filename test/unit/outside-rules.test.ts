import { serviceFacts } from './facts';
import type { OutsideCallerFacts, OutsideFacts } from '../../src/rules/facts';
import { cloudMapServiceLookup, outsideCallerAnyAddress, outsideCallerPort, privateIntegrationAcrossAccounts } from '../../src/rules/outside-rules';

/*
 * The rules on callers from outside the namespace and on Cloud Map lookups, as pure functions of the facts
 * (the construct-level cases are in test/rules/outside-rules.test.ts).
 */

function caller(overrides: Partial<OutsideCallerFacts> = {}): OutsideCallerFacts {
  return { label: 'App/Stack/Fn', anyAddress: false, listenPorts: [8080], endpointKnown: true, portsUnresolved: false, ...overrides };
}

function outside(overrides: Partial<OutsideFacts> = {}): OutsideFacts {
  return { discoveryNames: ['api'], callers: [], lookups: [], namespaceIdKnown: true, ...overrides };
}

describe('OutsideCallerAnyAddress', () => {
  test('reports only callers that are every address, by their label', () => {
    const facts = serviceFacts({ outside: outside({ callers: [caller({ label: '0.0.0.0/0', anyAddress: true }), caller()] }) });
    expect(outsideCallerAnyAddress.check(facts)).toEqual([{
      problem: 'the caller is every address, and the library never opens a server to the world',
      value: 'allowFrom(0.0.0.0/0)',
    }]);
  });

  test('a server without outside callers has nothing to report', () => {
    expect(outsideCallerAnyAddress.check(serviceFacts())).toEqual([]);
  });
});

describe('OutsideCallerPort', () => {
  const check = (c: OutsideCallerFacts, discoveryNames = ['api']) => outsideCallerPort.check(serviceFacts({ outside: outside({ callers: [c], discoveryNames }) }));

  test('an endpoint the server does not have, naming the ones it has', () => {
    expect(check(caller({ discoveryName: 'web', endpointKnown: false }))).toEqual([{
      problem: 'the caller is allowed on an endpoint the server does not have',
      value: 'discoveryName \'web\'; the server\'s discovery names: api',
    }]);
    expect(check(caller({ discoveryName: 'web', endpointKnown: false }), [])[0].value).toEqual('discoveryName \'web\'; the server\'s discovery names: none');
  });

  test('no known listen port: for every endpoint, or for the one named, with its own fix', () => {
    const fix = 'give the endpoint a port mapping with a container port, or an `ingressPortOverride` in the bridge network mode';
    expect(check(caller({ listenPorts: [] }))).toEqual([{
      problem: 'no endpoint the caller calls has a known proxy listen port, so App/Stack/Fn is let in on nothing',
      value: 'every endpoint: no listen port',
      fix,
    }]);
    expect(check(caller({ listenPorts: [], discoveryName: 'api' }))[0].value).toEqual('endpoint \'api\': no listen port');
    expect(check(caller({ listenPorts: [], portsUnresolved: true }))).toEqual([]);
  });

  test('a port no endpoint listens on; the listen port itself, no port, or token ports pass', () => {
    expect(check(caller({ port: 80, listenPorts: [8080, 9090] }))).toEqual([{
      problem: 'no endpoint the caller calls listens on port 80, so App/Stack/Fn would be let in on nothing',
      value: 'port 80; the proxy listens on 8080, 9090',
    }]);
    expect(check(caller({ port: 9090, listenPorts: [8080, 9090] }))).toEqual([]);
    expect(check(caller())).toEqual([]);
    expect(check(caller({ port: 80, portsUnresolved: true }))).toEqual([]);
  });

  test('a caller that is every address is left to OutsideCallerAnyAddress', () => {
    expect(check(caller({ anyAddress: true, endpointKnown: false }))).toEqual([]);
  });
});

describe('CloudMapServiceLookup', () => {
  test('a discovery name the server does not have', () => {
    const facts = serviceFacts({ outside: outside({ lookups: [{ discoveryName: 'web', integration: false, endpointKnown: false }] }) });
    expect(cloudMapServiceLookup.check(facts)).toEqual([{
      problem: 'the server has no endpoint with the discovery name whose Cloud Map service is looked up',
      value: 'discoveryName \'web\'; the server\'s discovery names: api',
    }]);
  });

  test('a namespace known only by its name, once there is a lookup', () => {
    const lookups = [{ discoveryName: 'api', integration: true, endpointKnown: true }];
    expect(cloudMapServiceLookup.check(serviceFacts({ outside: outside({ lookups, namespaceIdKnown: false }) }))).toEqual([{
      problem: 'the namespace is known only by its name, and the service returned needs its id and ARN',
      value: 'namespace shop.internal',
    }]);
    expect(cloudMapServiceLookup.check(serviceFacts({ outside: outside({ namespaceIdKnown: false }) }))).toEqual([]);
    expect(cloudMapServiceLookup.check(serviceFacts({ outside: outside({ lookups }) }))).toEqual([]);
    expect(cloudMapServiceLookup.check(serviceFacts())).toEqual([]);
  });
});

describe('PrivateIntegrationAcrossAccounts', () => {
  const lookups = [{ discoveryName: 'api', integration: true, endpointKnown: true }, { discoveryName: 'admin', integration: false, endpointKnown: true }];

  test('each lookup into a namespace of another account, integration or not', () => {
    const facts = serviceFacts({ outside: outside({ lookups, namespaceAccount: '111111111111', stackAccount: '222222222222' }) });
    expect(privateIntegrationAcrossAccounts.check(facts)).toEqual([{
      problem: 'the HTTP API private integration of endpoint \'api\' reaches into a namespace of another account',
      value: 'namespace account 111111111111, stack account 222222222222',
    }, {
      problem: 'the Cloud Map lookup of endpoint \'admin\' reaches into a namespace of another account',
      value: 'namespace account 111111111111, stack account 222222222222',
    }]);
  });

  test('the same account, or an account not known, is nothing to report', () => {
    const check = (o: Partial<OutsideFacts>) => privateIntegrationAcrossAccounts.check(serviceFacts({ outside: outside({ lookups, ...o }) }));
    expect(check({ namespaceAccount: '111111111111', stackAccount: '111111111111' })).toEqual([]);
    expect(check({ namespaceAccount: '111111111111' })).toEqual([]);
    expect(check({ stackAccount: '111111111111' })).toEqual([]);
    expect(privateIntegrationAcrossAccounts.check(serviceFacts())).toEqual([]);
  });
});
