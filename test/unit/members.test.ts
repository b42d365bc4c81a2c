import { App, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { memberFacts } from './facts';
import { IServiceConnectNamespace, IServiceConnectService } from '../../src';
import { namespaceFacts, namespaceIsLarge } from '../../src/rules/members';
import { AppWiring } from '../../src/topology/wiring';

/*
 * The namespace-wide facts on bare constructs: services are plain constructs registered with the app
 * model, and the namespace is a stand-in with a literal ARN.
 */

class FakeNamespace extends Construct {
  public readonly namespaceName = 'shop.internal';
  public readonly namespaceArn = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-1';
  public readonly services: IServiceConnectService[] = [];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    AppWiring.of(this).addNamespace(this as unknown as IServiceConnectNamespace);
  }
}

function setup() {
  const app = new App();
  const ns = new FakeNamespace(app, 'Namespace');
  const holder = new Stack(app, 'Stack');
  let next = 0;
  /** A service as the namespace sees it: a path and its endpoints; registered with `tasks` tasks unless undefined. */
  const service = (name: string, tasks?: number, facts?: () => ReturnType<typeof memberFacts>): IServiceConnectService => {
    const s = new Construct(holder, `${name}${next++}`) as unknown as IServiceConnectService & { endpoints: unknown; namespace: unknown };
    s.endpoints = [{ portMappingName: 'http', discoveryName: name, dnsName: name, port: 80 }];
    s.namespace = ns as unknown as IServiceConnectNamespace;
    ns.services.push(s);
    if (tasks !== undefined) {
      AppWiring.of(s).addService({
        service: s,
        declaredEdges: () => [],
        listenPorts: () => [],
        prerequisites: () => [],
        memberFacts: facts ?? (() => { throw new Error('not needed'); }),
        maxTaskCount: () => tasks,
      });
    }
    return s;
  };
  return { namespace: ns as unknown as IServiceConnectNamespace, service };
}

describe('namespaceFacts', () => {
  test('asks each registered member for its facts, and describes the others from their endpoints', () => {
    const { namespace, service } = setup();
    const built = service('built', 4, () => memberFacts('App/Stack/Built', ['built:80'], { maxTaskCount: 4 }));
    const imported = service('imported');
    expect(namespaceFacts(namespace, [built, imported])).toEqual({
      path: 'Namespace',
      name: 'shop.internal',
      members: [
        { ...memberFacts('App/Stack/Built', ['built:80'], { maxTaskCount: 4 }), endpointKeys: [{ discoveryName: 'built', endpoint: 'built:80' }] },
        { path: imported.node.path, endpoints: imported.endpoints, maxTaskCount: 0, endpointKeys: [{ discoveryName: 'imported', endpoint: 'imported:80' }] },
      ],
    });
  });
});

describe('namespaceIsLarge', () => {
  test('crosses the threshold above 2000 tasks in all', () => {
    const { namespace, service } = setup();
    service('a', 1000);
    service('b', 1000);
    expect(namespaceIsLarge(namespace)).toBe(false);
    service('c', 1);
    expect(namespaceIsLarge(namespace)).toBe(true);
  });

  test('crosses the threshold above 100 services, counting imported ones with no tasks', () => {
    const { namespace, service } = setup();
    for (let i = 0; i < 99; i++) {
      service(`imported${i}`);
    }
    service('big', 1999);
    expect(namespaceIsLarge(namespace)).toBe(false);
    service('one', 0);
    expect(namespaceIsLarge(namespace)).toBe(true);
  });
});

describe('namespaceIsLarge once the app is planned', () => {
  test('the answer is kept for the namespace group: each member\'s tasks are counted once, however many services ask', () => {
    const { namespace, service } = setup();
    let asked = 0;
    const members = ['a', 'b', 'c'].map((name) => service(name, 1000));
    members.forEach((member) => {
      (member as unknown as { connections: unknown }).connections = { securityGroups: [] };
      const record = AppWiring.of(member).memberOf(member) as { maxTaskCount: () => number };
      record.maxTaskCount = () => {
        asked++;
        return 1000;
      };
    });
    // Before the plan: counted on every question
    expect(namespaceIsLarge(namespace)).toBe(true);
    expect(asked).toBe(3);
    AppWiring.of(namespace).edges();
    for (let i = 0; i < 5; i++) {
      expect(namespaceIsLarge(namespace)).toBe(true);
    }
    expect(asked).toBe(6);
  });

  test('a small namespace is kept as small', () => {
    const { namespace, service } = setup();
    const member = service('a', 3);
    (member as unknown as { connections: unknown }).connections = { securityGroups: [] };
    AppWiring.of(namespace).edges();
    expect(namespaceIsLarge(namespace)).toBe(false);
    expect(namespaceIsLarge(namespace)).toBe(false);
  });
});

describe('endpoint keys: a token is equal to itself', () => {
  test('literals as they are, a token resolved: a Lazy to its value, a parameter to its reference', () => {
    const { namespace } = setup();
    const endpoints = [
      { portMappingName: 'http', discoveryName: Lazy.string({ produce: () => 'api' }), dnsName: 'web', port: Lazy.number({ produce: () => 80 }) },
      { portMappingName: 'http', discoveryName: Token.asString({ Ref: 'Name' }), dnsName: Token.asString({ Ref: 'Name' }), port: 8080 },
      { portMappingName: 'http', discoveryName: 'noport', dnsName: 'noport' },
    ];
    const stack = new Stack(undefined, 'Holder');
    const holder = new Construct(stack, 'Holder') as unknown as IServiceConnectService & { endpoints: unknown; namespace: unknown };
    holder.endpoints = endpoints;
    holder.namespace = namespace;
    expect(namespaceFacts(namespace, [holder]).members[0].endpointKeys).toEqual([
      { discoveryName: 'api', endpoint: 'web:80' },
      { discoveryName: '{"Ref":"Name"}', endpoint: '{"Ref":"Name"}:8080' },
      { discoveryName: 'noport', endpoint: undefined },
    ]);
  });
});
