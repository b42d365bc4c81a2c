import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ShopStack } from '../../examples/shop';
import { toMermaid, Topology, topologyFileNames } from '../../src/monitoring/topology';

/** Synthesizes the example shop and reads the namespace's topology files from the cloud assembly. */
function synthShop() {
  const app = new App();
  const stack = new ShopStack(app, 'Shop');
  const assembly = app.synth();
  const files = topologyFileNames(stack.namespace);
  return {
    stack,
    assembly,
    files,
    json: JSON.parse(fs.readFileSync(path.join(assembly.directory, files.json), 'utf8')) as Topology,
    mermaid: fs.readFileSync(path.join(assembly.directory, files.mermaid), 'utf8'),
  };
}

describe('the topology artifact in the cloud assembly', () => {
  const shop = synthShop();

  test('the JSON graph of the example has every service, endpoint, port and edge', () => {
    expect(shop.json).toEqual({
      namespace: { name: 'shop.internal', path: 'Shop/Namespace' },
      services: [
        { id: 's0', path: 'Shop/Api', stack: 'Shop', kind: 'client-server', endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: 80, listenPort: 8080 }] },
        { id: 's1', path: 'Shop/Cache', stack: 'Shop', kind: 'client-server', endpoints: [{ portMappingName: 'redis', discoveryName: 'redis', dnsName: 'cache', port: 6379, listenPort: 6379 }] },
        { id: 's2', path: 'Shop/Db', stack: 'Shop', kind: 'client-server', endpoints: [{ portMappingName: 'pg', discoveryName: 'pg', dnsName: 'db', port: 5432, listenPort: 5432 }] },
        { id: 's3', path: 'Shop/Web', stack: 'Shop', kind: 'client', endpoints: [] },
      ],
      edges: [
        { client: 's0', server: 's1', ordered: true, ports: [6379] },
        { client: 's0', server: 's2', ordered: true, ports: [5432] },
        { client: 's3', server: 's0', ordered: true, ports: [8080] },
      ],
    });
  });

  test('the file names are recorded as metadata of the namespace', () => {
    const metadata = shop.assembly.getStackByName('Shop').findMetadataByType('cdk-service-connect:topology');
    expect(metadata).toEqual([expect.objectContaining({ path: '/Shop/Namespace', data: shop.files })]);
  });

  test('the Mermaid diagram is the same graph', () => {
    expect(shop.mermaid).toBe(toMermaid(shop.json));
    expect(shop.mermaid).toContain('s3 -->|"tcp 8080"| s0');
    expect(shop.mermaid).toContain('s0["Api<br/>api:80"]');
  });

  test('the Mermaid diagram parses with the mermaid parser (run offline in jsdom by scripts/check-mermaid.mjs)', () => {
    const check = (text: string) => execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'check-mermaid.mjs')], { input: text, stdio: 'pipe' }).toString();
    expect(JSON.parse(check(shop.mermaid))).toEqual({ diagramType: 'flowchart-v2', config: {} });
    // the checker really rejects broken text, so a pass means something
    expect(() => check('flowchart LR\n  s0 -->|"tcp 1| s1\n')).toThrow();
  });

  test('unordered edges are dotted and labels cannot break out of their quotes', () => {
    const topology: Topology = {
      namespace: { name: 'n', path: 'S/N' },
      services: [
        { id: 's0', path: 'S/A"b', stack: 'S', kind: 'client-server', endpoints: [{ portMappingName: 'http', discoveryName: 'a', dnsName: 'a', port: 80, listenPort: 8080 }] },
        { id: 's1', path: 'S/B', stack: 'S', kind: 'client-server', endpoints: [{ portMappingName: 'http', discoveryName: 'b', dnsName: 'b', port: 81, listenPort: 8081 }] },
      ],
      edges: [{ client: 's0', server: 's1', ordered: true, ports: [8081] }, { client: 's1', server: 's0', ordered: false, ports: [8080] }],
    };
    const text = toMermaid(topology);
    expect(text).toContain('s1 -.->|"tcp 8080 (unordered)"| s0');
    expect(text).toContain('s0["A_b<br/>a:80"]');
  });
});

test('the README shows the example shop\'s diagram as synthesized', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const shop = synthShop();
  expect(readme).toContain('```mermaid\n' + shop.mermaid + '```');
  // the file name the README points at is the one `npx cdk synth` writes (stack id as in examples/shop.ts)
  const stack = new ShopStack(new App(), 'ServiceConnectShop');
  expect(readme).toContain(`cdk.out/${topologyFileNames(stack.namespace).mermaid}`);
});
