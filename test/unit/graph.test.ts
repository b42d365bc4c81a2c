import { App, CfnResource, Reference, Stack, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { IServiceConnectNamespace, IServiceConnectServer } from '../../src';
import { connect, edgesFrom, refusedEdgesFrom, registerServiceResource } from '../../src/topology/graph';
import { findPath } from '../../src/topology/path';
import { orderStacks, stackChain } from '../../src/topology/stack-order';

/*
 * The topology graph on its own: services here are bare constructs with security groups and an ECS
 * service stand-in, so each test builds in milliseconds and no synth is needed.
 */

const NS = { namespaceName: 'shop.internal' } as unknown as IServiceConnectNamespace;

interface FakeOptions {
  readonly namespace?: IServiceConnectNamespace;
  readonly listenPorts?: number[];
  /** allowAllOutbound of each of the service's security groups. */
  readonly groups?: boolean[];
  /** Whether the service has an ECS service resource in this app. */
  readonly resource?: boolean;
}

class FakeService extends Construct implements IServiceConnectServer {
  public readonly namespace: IServiceConnectNamespace;
  public readonly listenPorts: number[];
  public readonly endpoints = [];
  public readonly connections: ec2.Connections;
  public readonly resource?: CfnResource;

  constructor(scope: Construct, id: string, options: FakeOptions = {}) {
    super(scope, id);
    this.namespace = options.namespace ?? NS;
    this.listenPorts = options.listenPorts ?? [8080];
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'] });
    const securityGroups = (options.groups ?? [false]).map((allowAllOutbound, i) =>
      new ec2.SecurityGroup(this, `Group${i}`, { vpc, allowAllOutbound }));
    this.connections = new ec2.Connections({ securityGroups });
    if (options.resource ?? true) {
      this.resource = new CfnResource(this, 'Service', { type: 'AWS::ECS::Service' });
      registerServiceResource(this, this.resource);
    }
  }
}

/** `Service/GroupN` for a security group id token. */
function groupOf(token: unknown): string {
  const target = (Tokenization.reverse(token) as Reference).target as IConstruct;
  return target.node.scope!.node.path.split('/').slice(-2).join('/');
}

/** Every security-group rule in the app, as `stack: group <- peer :port` or `stack: group -> peer :port`. */
function rules(app: App): string[] {
  return app.node.findAll().flatMap((c) => {
    if (c instanceof ec2.CfnSecurityGroupIngress) {
      const stack = Stack.of(c).stackName;
      expect(c.ipProtocol).toBe('tcp');
      expect(c.toPort).toBe(c.fromPort);
      return [`${stack}: ${groupOf(c.groupId)} <- ${groupOf(c.sourceSecurityGroupId)} :${c.fromPort}`];
    }
    if (c instanceof ec2.CfnSecurityGroupEgress) {
      const stack = Stack.of(c).stackName;
      return [`${stack}: ${groupOf(c.groupId)} -> ${groupOf(c.destinationSecurityGroupId)} :${c.fromPort}`];
    }
    return [];
  }).sort();
}

/** Paths of what a service's ECS service resource depends on. */
function dependencies(service: FakeService): string[] {
  return service.resource!.node.dependencies.map((d) => d.node.path);
}

function descriptions(app: App): string[] {
  return app.node.findAll()
    .filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress)
    .map((c) => c.description ?? '');
}

function oneStack() {
  const app = new App();
  const stack = new Stack(app, 'One');
  return { app, stack };
}

describe('connect', () => {
  test('an ordered edge orders the ECS services and opens each listen port from each client group', () => {
    const { app, stack } = oneStack();
    const server = new FakeService(stack, 'Server', { listenPorts: [8080, 9090] });
    const client = new FakeService(stack, 'Client', { groups: [true, false] });
    connect(client, server, true);

    expect(edgesFrom(client)).toEqual([{ client, server, ordered: true }]);
    expect(refusedEdgesFrom(client)).toEqual([]);
    expect(dependencies(client)).toEqual([server.resource!.node.path]);
    expect(dependencies(server)).toEqual([]);
    expect(rules(app)).toEqual([
      'One: Client/Group1 -> Server/Group0 :8080',
      'One: Client/Group1 -> Server/Group0 :9090',
      'One: Server/Group0 <- Client/Group0 :8080',
      'One: Server/Group0 <- Client/Group0 :9090',
      'One: Server/Group0 <- Client/Group1 :8080',
      'One: Server/Group0 <- Client/Group1 :9090',
    ]);
    expect(new Set(descriptions(app))).toEqual(new Set(['Service Connect from One/Client to One/Server']));
  });

  test('opens the port into every group of the server', () => {
    const { app, stack } = oneStack();
    const server = new FakeService(stack, 'Server', { groups: [true, true] });
    connect(new FakeService(stack, 'Client', { groups: [true] }), server, true);
    expect(rules(app)).toEqual(['One: Server/Group0 <- Client/Group0 :8080', 'One: Server/Group1 <- Client/Group0 :8080']);
  });

  test('an unordered edge opens the ports but does not order the services', () => {
    const { app, stack } = oneStack();
    const server = new FakeService(stack, 'Server');
    const client = new FakeService(stack, 'Client');
    connect(client, server, false);
    expect(edgesFrom(client)).toEqual([{ client, server, ordered: false }]);
    expect(dependencies(client)).toEqual([]);
    expect(rules(app)).toEqual(['One: Client/Group0 -> Server/Group0 :8080', 'One: Server/Group0 <- Client/Group0 :8080']);
  });

  test('a client may call several servers', () => {
    const { stack } = oneStack();
    const [a, b] = ['A', 'B'].map((id) => new FakeService(stack, id));
    const client = new FakeService(stack, 'Client');
    connect(client, a, true);
    connect(client, b, false);
    expect(edgesFrom(client)).toEqual([{ client, server: a, ordered: true }, { client, server: b, ordered: false }]);
  });

  test('a client group that allows all outbound traffic gets no egress rule, and no warning about one', () => {
    const { stack } = oneStack();
    const client = new FakeService(stack, 'Client', { groups: [true] });
    connect(client, new FakeService(stack, 'Server'), true);
    const group = client.node.findChild('Group0');
    expect(group.node.metadata.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('a second edge to the same server is ignored', () => {
    const { stack } = oneStack();
    const server = new FakeService(stack, 'Server');
    const client = new FakeService(stack, 'Client');
    connect(client, server, false);
    connect(client, server, true);
    expect(edgesFrom(client)).toEqual([{ client, server, ordered: false }]);
    expect(dependencies(client)).toEqual([]);
  });

  test('an edge to a server without an ECS service in this app opens ports without ordering', () => {
    const { app, stack } = oneStack();
    const server = new FakeService(stack, 'Server', { resource: false });
    const client = new FakeService(stack, 'Client');
    connect(client, server, true);
    expect(dependencies(client)).toEqual([]);
    expect(rules(app)).toHaveLength(2);
  });

  test('an edge from a client without an ECS service in this app does not order either', () => {
    const { stack } = oneStack();
    const server = new FakeService(stack, 'Server');
    connect(new FakeService(stack, 'Client', { resource: false }), server, true);
    expect(dependencies(server)).toEqual([]);
  });

  test('an edge across namespaces is refused and opens nothing', () => {
    const { app, stack } = oneStack();
    const server = new FakeService(stack, 'Server', { namespace: { namespaceName: 'other' } as unknown as IServiceConnectNamespace });
    const client = new FakeService(stack, 'Client');
    connect(client, server, true);
    expect(edgesFrom(client)).toEqual([]);
    expect(refusedEdgesFrom(client)).toEqual([{ server, crossNamespace: true }]);
    expect(dependencies(client)).toEqual([]);
    expect(rules(app)).toEqual([]);
  });

  test('an ordered edge that closes a cycle is refused with the cycle; an unordered one is accepted', () => {
    const { app, stack } = oneStack();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => new FakeService(stack, id));
    connect(a, b, true);
    connect(b, c, true);
    const before = rules(app);
    connect(c, a, true);
    expect(refusedEdgesFrom(c)).toEqual([{ server: a, cycle: ['One/C', 'One/A', 'One/B', 'One/C'] }]);
    expect(edgesFrom(c)).toEqual([]);
    expect(rules(app)).toEqual(before);
    expect(dependencies(b)).toEqual([c.resource!.node.path]);
    expect(dependencies(c)).toEqual([]);

    connect(c, a, false);
    expect(edgesFrom(c)).toEqual([{ client: c, server: a, ordered: false }]);
  });

  test('keeps every refused edge of a client', () => {
    const { stack } = oneStack();
    const [a, b] = ['A', 'B'].map((id) => new FakeService(stack, id));
    const other = new FakeService(stack, 'Other', { namespace: { namespaceName: 'other' } as unknown as IServiceConnectNamespace });
    connect(b, a, true);
    connect(a, other, true);
    connect(a, b, true);
    expect(refusedEdgesFrom(a)).toEqual([{ server: other, crossNamespace: true }, { server: b, cycle: ['One/A', 'One/B', 'One/A'] }]);
  });

  test('unordered edges do not count towards a cycle', () => {
    const { stack } = oneStack();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => new FakeService(stack, id));
    connect(a, b, false);
    connect(b, c, true);
    connect(c, a, true);
    expect(refusedEdgesFrom(c)).toEqual([]);
    expect(edgesFrom(c)).toHaveLength(1);
  });

  test('a service may not call itself in order', () => {
    const { stack } = oneStack();
    const a = new FakeService(stack, 'A');
    connect(a, a, true);
    expect(refusedEdgesFrom(a)).toEqual([{ server: a, cycle: ['One/A', 'One/A'] }]);
  });

  test('cuts the rule description to the 255 characters EC2 allows', () => {
    const { app, stack } = oneStack();
    const long = 'S'.repeat(200);
    connect(new FakeService(stack, `Client${long}`), new FakeService(stack, `Server${long}`), true);
    const [description] = descriptions(app);
    expect(description).toHaveLength(255);
    expect(description).toEqual(`Service Connect from One/Client${long} to One/Server${long}`.slice(0, 255));
  });
});

describe('connect across stacks', () => {
  function twoStacks() {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    return { app, first, second };
  }

  test('an ordered edge puts the rules in the client\'s stack, which then deploys after the server\'s', () => {
    const { app, first, second } = twoStacks();
    const server = new FakeService(first, 'Server');
    const client = new FakeService(second, 'Client');
    connect(client, server, true);
    expect(rules(app)).toEqual(['Second: Client/Group0 -> Server/Group0 :8080', 'Second: Server/Group0 <- Client/Group0 :8080']);
    expect(stackChain(first, second)).toEqual([first, second]);
    expect(stackChain(second, first)).toBeUndefined();
    expect(dependencies(client)).toEqual([server.resource!.node.path]);
  });

  test('an unordered edge does the same when nothing orders the stacks yet', () => {
    const { app, first, second } = twoStacks();
    connect(new FakeService(second, 'Client'), new FakeService(first, 'Server'), false);
    expect(rules(app)).toEqual(['Second: Client/Group0 -> Server/Group0 :8080', 'Second: Server/Group0 <- Client/Group0 :8080']);
    expect(stackChain(first, second)).toEqual([first, second]);
  });

  test('when the client\'s stack must deploy first, an ordered edge is refused with the stack cycle', () => {
    const { app, first, second } = twoStacks();
    second.addStackDependency(first);
    const server = new FakeService(second, 'Server');
    const client = new FakeService(first, 'Client');
    connect(client, server, true);
    expect(refusedEdgesFrom(client)).toEqual([{ server, stackCycle: ['First', 'Second', 'First'] }]);
    expect(edgesFrom(client)).toEqual([]);
    expect(rules(app)).toEqual([]);
  });

  test('when the client\'s stack must deploy first, an unordered edge puts the rules in the server\'s stack', () => {
    const { app, first, second } = twoStacks();
    orderStacks(first, second);
    const server = new FakeService(second, 'Server');
    const client = new FakeService(first, 'Client');
    connect(client, server, false);
    expect(edgesFrom(client)).toHaveLength(1);
    expect(rules(app)).toEqual(['Second: Client/Group0 -> Server/Group0 :8080', 'Second: Server/Group0 <- Client/Group0 :8080']);
    expect(stackChain(second, first)).toBeUndefined();
  });
});

describe('stackChain', () => {
  test('follows the library\'s order and explicit stack dependencies, from first to last', () => {
    const app = new App();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((id) => new Stack(app, id));
    orderStacks(a, b);
    c.addStackDependency(b);
    orderStacks(c, d);
    expect(stackChain(a, d)).toEqual([a, b, c, d]);
    expect(stackChain(b, d)).toEqual([b, c, d]);
    expect(stackChain(d, a)).toBeUndefined();
    expect(stackChain(a, a)).toBeUndefined();
  });

  test('a stack can have several predecessors', () => {
    const app = new App();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => new Stack(app, id));
    orderStacks(a, c);
    orderStacks(b, c);
    expect(stackChain(a, c)).toEqual([a, c]);
    expect(stackChain(b, c)).toEqual([b, c]);
  });

  test('a stack ordered before itself adds nothing', () => {
    const app = new App();
    const [a, b] = ['A', 'B'].map((id) => new Stack(app, id));
    orderStacks(a, a);
    expect(stackChain(a, b)).toBeUndefined();
    orderStacks(a, b);
    orderStacks(a, b);
    expect(stackChain(a, b)).toEqual([a, b]);
  });
});

describe('findPath', () => {
  const graph: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: [], e: ['a'] };
  const next = (node: string) => graph[node] ?? [];

  test('returns a path with both ends, or undefined', () => {
    expect(findPath('a', 'd', next)).toEqual(['a', 'b', 'd']);
    expect(findPath('a', 'e', next)).toEqual(['a', 'c', 'e']);
    expect(findPath('d', 'a', next)).toBeUndefined();
    expect(findPath('a', 'a', next)).toEqual(['a']);
  });

  test('terminates on cycles and visits each node once', () => {
    const visits: string[] = [];
    expect(findPath('a', 'z', (node) => { visits.push(node); return next(node); })).toBeUndefined();
    expect(visits.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
