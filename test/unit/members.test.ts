import { memberFacts } from './facts';
import { IServiceConnectNamespace, IServiceConnectService } from '../../src';
import { namespaceFacts, namespaceIsLarge, registerMember } from '../../src/rules/members';

/** A service as the namespace sees it: a path and its endpoints. */
function service(path: string): IServiceConnectService {
  return { node: { path }, endpoints: [{ portMappingName: 'http', discoveryName: path, dnsName: path, port: 80 }] } as unknown as IServiceConnectService;
}

function namespace(services: IServiceConnectService[]): IServiceConnectNamespace {
  return { node: { path: 'App/Stack/Namespace' }, namespaceName: 'shop.internal', services } as unknown as IServiceConnectNamespace;
}

describe('namespaceFacts', () => {
  test('asks each registered member for its facts, and describes the others from their endpoints', () => {
    const built = service('built');
    const imported = service('imported');
    registerMember(built, { facts: () => memberFacts('App/Stack/Built', ['built:80'], { maxTaskCount: 4 }), maxTaskCount: () => 4 });
    expect(namespaceFacts(namespace([built, imported]))).toEqual({
      path: 'App/Stack/Namespace',
      name: 'shop.internal',
      members: [
        memberFacts('App/Stack/Built', ['built:80'], { maxTaskCount: 4 }),
        { path: 'imported', endpoints: imported.endpoints, maxTaskCount: 0 },
      ],
    });
  });
});

describe('namespaceIsLarge', () => {
  /** `count` registered services running `tasks` tasks each. */
  function services(count: number, tasks: number): IServiceConnectService[] {
    return Array.from({ length: count }, (_, i) => {
      const s = service(`s${i}`);
      registerMember(s, { facts: () => { throw new Error('not needed'); }, maxTaskCount: () => tasks });
      return s;
    });
  }

  test('crosses the threshold above 2000 tasks in all', () => {
    expect(namespaceIsLarge(namespace(services(2, 1000)))).toBe(false);
    expect(namespaceIsLarge(namespace([...services(2, 1000), ...services(1, 1)]))).toBe(true);
  });

  test('crosses the threshold above 100 services, counting imported ones with no tasks', () => {
    const imported = Array.from({ length: 100 }, (_, i) => service(`imported${i}`));
    expect(namespaceIsLarge(namespace(imported))).toBe(false);
    expect(namespaceIsLarge(namespace([...imported, ...services(1, 1)]))).toBe(true);
    expect(namespaceIsLarge(namespace([...imported.slice(1), ...services(1, 1999)]))).toBe(false);
  });
});
