import { Annotations, App, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { addAcknowledgeableWarning } from '../../src/rules/warn';

/*
 * addAcknowledgeableWarning on bare constructs. aws-cdk-lib keeps acknowledgements on the App under a global
 * symbol; before its fix of aws/aws-cdk#38820 its lookup left the construct's own path out, so a warning
 * acknowledged on the construct itself was added anyway. The aws-cdk-lib the tests run against has the fix, so
 * the registries below stand in for the older ones, in their two shapes: a Set of ids per path (2.178, the
 * floor) and a Map from id to acknowledgement records with an optional `where` filter (later versions).
 * test/rules/acknowledge.test.ts runs the library's real warnings against the floor itself (scripts/floor.sh).
 */

const ID = 'cdk-service-connect:SomeRule';
const ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

function pathOf(node: IConstruct | string): string {
  return (typeof node === 'string' ? node : node.node.path).replace(/^\//, '');
}

/** The paths above `path`, without `path` itself: the lookup before the fix. */
function scopesAbove(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** aws-cdk-lib 2.178's registry: a Set of acknowledged ids per path. */
class SetRegistry {
  public readonly acks = new Map<string, Set<string>>();
  public add(node: IConstruct | string, id: string): void {
    const ids = this.acks.get(pathOf(node)) ?? new Set<string>();
    ids.add(id);
    this.acks.set(pathOf(node), ids);
  }
  public has(node: IConstruct | string, id: string): boolean {
    return scopesAbove(pathOf(node)).some((path) => this.acks.get(path)?.has(id));
  }
}

/** A later registry: per path, a Map from id to records, each with an optional `where` filter on the warning's context. */
class MapRegistry {
  public readonly acks = new Map<string, Map<string, Array<{ where?: Record<string, string> }>>>();
  public add(node: IConstruct | string, id: string, where?: Record<string, string>): void {
    const byId = this.acks.get(pathOf(node)) ?? new Map();
    byId.set(id, [...(byId.get(id) ?? []), { where }]);
    this.acks.set(pathOf(node), byId);
  }
  public has(node: IConstruct | string, id: string): boolean {
    return scopesAbove(pathOf(node)).some((path) => (this.acks.get(path)?.get(id) ?? []).some((r) => Object.keys(r.where ?? {}).length === 0));
  }
}

/** An app using `registry` (none: aws-cdk-lib's own), with a construct Stack/Api. */
function setup(registry?: object) {
  const app = new App();
  if (registry) {
    (app as unknown as Record<symbol, object>)[ACKNOWLEDGEMENTS] = registry;
  }
  const stack = new Stack(app, 'Stack');
  const api = new Construct(stack, 'Api');
  const warnings = (scope: IConstruct = api) => scope.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => m.data);
  return { app, stack, api, warnings };
}

describe('with the aws-cdk-lib the tests run against', () => {
  test('an unacknowledged warning carries its acknowledgement id', () => {
    const { api, warnings } = setup();
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(warnings()).toEqual([`the problem [ack: ${ID}]`]);
  });

  test('acknowledged on the construct or one of its scopes, there is none; another id acknowledged suppresses nothing', () => {
    const { stack, api, warnings } = setup();
    const sibling = new Construct(stack, 'Sibling');
    const other = new Construct(stack, 'Other');
    Annotations.of(api).acknowledgeWarning(ID, 'on itself');
    Annotations.of(stack).acknowledgeWarning(`${ID}-2`, 'on the stack');
    Annotations.of(other).acknowledgeWarning('cdk-service-connect:Unrelated', 'another rule');
    addAcknowledgeableWarning(api, ID, 'the problem');
    addAcknowledgeableWarning(sibling, `${ID}-2`, 'the problem');
    addAcknowledgeableWarning(other, ID, 'the problem');
    expect([warnings(api), warnings(sibling), warnings(other)]).toEqual([[], [], [`the problem [ack: ${ID}]`]]);
  });
});

describe.each([
  ['2.178 (the floor): a Set of ids per path', () => new SetRegistry()],
  ['later: records per id', () => new MapRegistry()],
])('with an older registry, %s', (_name, registry) => {
  test('acknowledged on the construct itself: removed again, and no other warning of the construct', () => {
    const { api, warnings } = setup(registry());
    api.node.addMetadata('aws:cdk:info', 'something else about the construct');
    Annotations.of(api).addWarningV2('cdk-service-connect:Other', 'another problem');
    Annotations.of(api).acknowledgeWarning(ID, 'on itself');
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(warnings()).toEqual(['another problem [ack: cdk-service-connect:Other]']);
  });

  test('acknowledged on a nested construct itself, found by its whole path', () => {
    const { api, warnings } = setup(registry());
    const task = new Construct(api, 'Task');
    Annotations.of(task).acknowledgeWarning(ID, 'on itself');
    addAcknowledgeableWarning(task, ID, 'the problem');
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect([warnings(task), warnings(api)]).toEqual([[], [`the problem [ack: ${ID}]`]]);
  });

  test('acknowledged on a scope: never added', () => {
    const { stack, api, warnings } = setup(registry());
    Annotations.of(stack).acknowledgeWarning(ID, 'on the stack');
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(warnings()).toEqual([]);
  });

  test('another id acknowledged on the construct suppresses nothing', () => {
    const { api, warnings } = setup(registry());
    Annotations.of(api).acknowledgeWarning('cdk-service-connect:Unrelated', 'another rule');
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(warnings()).toEqual([`the problem [ack: ${ID}]`]);
  });
});

describe('records with a `where` filter', () => {
  function acknowledged(records: Array<{ where?: Record<string, string> }>): unknown[] {
    const registry = new MapRegistry();
    const { api, warnings } = setup(registry);
    registry.acks.set('Stack/Api', new Map([[ID, records]]));
    addAcknowledgeableWarning(api, ID, 'the problem');
    return warnings();
  }

  test('only for warnings with a matching context: the library\'s have none, so the warning stays', () => {
    expect(acknowledged([{ where: { stage: 'prod' } }])).toEqual([`the problem [ack: ${ID}]`]);
  });

  test.each([
    ['no filter', [{}]],
    ['an empty filter', [{ where: {} }]],
    ['a filtered record and an unfiltered one', [{ where: { stage: 'prod' } }, {}]],
  ])('%s: acknowledged', (_name, records) => {
    expect(acknowledged(records)).toEqual([]);
  });
});

describe('anything unexpected in the registry reads as not acknowledged', () => {
  const quiet = { has: () => false, add: () => undefined };
  test.each([
    ['no acks', { ...quiet }],
    ['acks that are not a Map', { ...quiet, acks: { 'Stack/Api': new Set([ID]) } }],
    ['ids of the path that are neither a Set nor a Map', { ...quiet, acks: new Map([['Stack/Api', [ID]]]) }],
  ])('%s', (_name, registry) => {
    const { api, warnings } = setup(registry);
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(warnings()).toEqual([`the problem [ack: ${ID}]`]);
  });

  test('a tree without an App', () => {
    const root = new Construct(undefined as any, '');
    const api = new Construct(root, 'Api');
    addAcknowledgeableWarning(api, ID, 'the problem');
    expect(api.node.metadata.map((m) => m.data)).toEqual([`the problem [ack: ${ID}]`]);
  });
});
