/**
 * The App Mesh fixtures as `AppMeshConversion` converts them (a new copy of each app, with the decisions a user
 * would record), for the conversion's tests and for `npx projen lint:cfn`.
 */
import { App, AppProps, Stack } from 'aws-cdk-lib';
import { colorAppL1, extensionStyleApp, handsOnApp, integMeshApp } from './fixtures';
import { AppMeshConversion, AppMeshConversionProps, AppMeshDecision, ServiceConnectNamespace } from '../../src';

/** The decisions each fixture needs, as a user would record them. */
export const DECISIONS: Record<string, AppMeshDecision[]> = {
  handsOn: [{ findingId: 'AppMeshWeightedRoute', path: 'MeshStack/BackendRoute/Resource', keepTarget: 'backend-vn', reason: 'v1 takes the name; v2 gets its own' }],
  colorApp: [
    { findingId: 'AppMeshWeightedRoute', path: 'ColorApp/ColorRoute', keepTarget: 'blue-vn', reason: 'blue took two thirds of the traffic' },
    { findingId: 'AppMeshNonEcsNode', path: 'ColorApp/redNode', reason: 'red runs outside ECS and keeps its DNS name' },
  ],
  integMesh: ['AppMeshMatchedRoute', 'AppMeshTlsCertificate', 'AppMeshMutualTls', 'AppMeshNonEcsNode', 'AppMeshGateway']
    .map((findingId) => ({ findingId, reason: 'the integration test runs no ECS service' })),
  extension: [],
};

/** Each fixture: its app, the stack that gets the namespace, and how many ECS services it has. */
export const FIXTURES: Array<[string, (props?: AppProps) => App, string, number]> = [
  ['handsOn', handsOnApp, 'EcsServicesStack', 3],
  ['colorApp', colorAppL1, 'ColorApp', 3],
  ['integMesh', integMeshApp, 'mesh-stack', 0],
  ['extension', extensionStyleApp, 'Greeter', 3],
];

/** Converts `app` into a namespace `converted.internal` created in its stack `stackName`. */
export function convert(app: App, stackName: string, props: Partial<AppMeshConversionProps> = {}) {
  const stack = app.node.findChild(stackName) as Stack;
  const namespace = new ServiceConnectNamespace(stack, 'ServiceConnectNamespace', { name: 'converted.internal' });
  const conversion = new AppMeshConversion(app, 'AppMeshConversion', { namespace, ...props });
  return { app, conversion, synth: () => app.synth() };
}

/** Each fixture, converted as a new copy with its decisions, by name. */
export function convertedFixtures(): Record<string, (props?: AppProps) => App> {
  return Object.fromEntries(FIXTURES.map(([name, build, stackName]) => [name, (props?: AppProps) => {
    const app = build(props);
    convert(app, stackName, { decisions: DECISIONS[name] });
    return app;
  }]));
}
