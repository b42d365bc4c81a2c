import { serviceFacts } from './facts';
import { connectAcrossNamespaces, connectCycle, crossAccountIngress, crossVpcConnectivity, sharedSecurityGroup } from '../../src/rules/topology-rules';

describe('ConnectCycle', () => {
  test('reports a service cycle as the path around it', () => {
    const refusedEdges = [{ serverPath: 'App/Stack/B', serverNamespace: 'shop.internal', cycle: ['App/Stack/A', 'App/Stack/B', 'App/Stack/A'] }];
    expect(connectCycle.check(serviceFacts({ refusedEdges }))).toEqual([{
      problem: 'connecting to this server would order services in a cycle',
      value: 'App/Stack/A -> App/Stack/B -> App/Stack/A',
    }]);
  });

  test('reports a stack cycle with its own fix', () => {
    const refusedEdges = [{ serverPath: 'App/Two/B', serverNamespace: 'shop.internal', stackCycle: ['One', 'Two', 'One'] }];
    expect(connectCycle.check(serviceFacts({ refusedEdges }))).toEqual([{
      problem: 'connecting to App/Two/B would order stacks in a cycle',
      value: 'stacks One -> Two -> One',
      fix: 'move the client to a stack that deploys after the server\'s stack (and after the namespace\'s), or declare the edge with `{ ordered: false }`',
    }]);
  });

  test('ignores edges refused for another reason', () => {
    const refusedEdges = [{ serverPath: 'App/Stack/B', serverNamespace: 'other.internal', crossNamespace: true }];
    expect(connectCycle.check(serviceFacts({ refusedEdges }))).toEqual([]);
  });
});

describe('ConnectAcrossNamespaces', () => {
  test('names both namespaces', () => {
    const refusedEdges = [
      { serverPath: 'App/Stack/B', serverNamespace: 'other.internal', crossNamespace: true },
      { serverPath: 'App/Stack/C', serverNamespace: 'shop.internal', cycle: ['A', 'C', 'A'] },
    ];
    expect(connectAcrossNamespaces.check(serviceFacts({ refusedEdges }))).toEqual([{
      problem: 'the server App/Stack/B is in another namespace',
      value: 'client namespace shop.internal, server namespace other.internal',
    }]);
  });
});

describe('CrossVpcConnectivity', () => {
  test('warns only on servers known to be in another VPC', () => {
    const servers = [{ path: 'App/Stack/B', sameVpc: false }, { path: 'App/Stack/C', sameVpc: true }, { path: 'App/Stack/D' }];
    expect(crossVpcConnectivity.check(serviceFacts({ servers }))).toEqual([{
      problem: 'the server App/Stack/B is in another VPC',
      value: 'different VPCs',
    }]);
  });
});

describe('SharedSecurityGroup', () => {
  test('names each server and the group it shares with the client', () => {
    const sharedGroups = [
      { serverPath: 'App/Stack/Api', groupPath: 'App/Stack/Instances' },
      { serverPath: 'App/Stack/Db', groupPath: 'App/Stack/Common' },
    ];
    expect(sharedSecurityGroup.check(serviceFacts({ sharedGroups }))).toEqual([
      { problem: 'the server App/Stack/Api is in a security group this service is in too, so the library opens nothing between them', value: 'security group App/Stack/Instances' },
      { problem: 'the server App/Stack/Db is in a security group this service is in too, so the library opens nothing between them', value: 'security group App/Stack/Common' },
    ]);
    expect(sharedSecurityGroup.check(serviceFacts())).toEqual([]);
  });
});

describe('CrossAccountIngress', () => {
  test('names both accounts for each server in another account, and nothing for the others', () => {
    const servers = [{ path: 'Owner/Api', otherAccount: '111111111111' }, { path: 'Consumer/Local', sameVpc: true }];
    expect(crossAccountIngress.check(serviceFacts({ account: '222222222222', servers }))).toEqual([{
      problem: 'the server Owner/Api is in another account, so the library adds no security-group rule for this call',
      value: 'client account 222222222222, server account 111111111111',
    }]);
    expect(crossAccountIngress.check(serviceFacts({ servers: [{ path: 'Consumer/Local' }] }))).toEqual([]);
  });
});
