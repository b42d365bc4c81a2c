import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ClientService, ServiceConnectEndpoint, ServiceConnectNamespace } from '../src';
import { serviceLogicalId } from './util';

/*
 * Day 2: a client's ECS service starts a deployment when the endpoints it calls change (its
 * ForceNewDeployment nonce changes), and never otherwise. Checked with @aws-cdk/cloudformation-diff.
 */

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');

interface Shape {
  /** Endpoint of the server Api. */
  readonly api?: Partial<ServiceConnectEndpoint>;
  /** Endpoint of the server Db. */
  readonly db?: Partial<ServiceConnectEndpoint>;
  /** Whether the client also calls the server Db. */
  readonly callsDb?: boolean;
  /** Whether the client calls Api. */
  readonly callsApi?: boolean;
  /** Adds a server and a client that have nothing to do with Web. */
  readonly unrelated?: boolean;
  /** Servers in a second stack, the client in a third. */
  readonly twoStacks?: boolean;
  /** Creates the client before the servers. */
  readonly clientFirst?: boolean;
  /** Attaches to a hand-written ECS service instead of building the client. */
  readonly attach?: boolean;
  readonly redeployOnEndpointChange?: boolean;
}

function synth(shape: Shape = {}): { web: any } {
  const app = new App();
  const base = new Stack(app, 'Base');
  const serverStack = shape.twoStacks ? new Stack(app, 'Servers') : base;
  const clientStack = shape.twoStacks ? new Stack(app, 'Clients') : base;
  const vpc = ec2.Vpc.fromVpcAttributes(base, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['az1', 'az2'], privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const cluster = new ecs.Cluster(base, 'Cluster', { vpc });
  const namespace = new ServiceConnectNamespace(base, 'Namespace', { name: 'day2.internal' });
  const server = (id: string, port: number, endpoint: Partial<ServiceConnectEndpoint> = {}) => new ClientServerService(serverStack, id, {
    cluster,
    namespace,
    container: { image, portMappings: [{ name: 'http', containerPort: port }] },
    endpoints: [{ portMappingName: 'http', ...endpoint }],
  });
  let web: ClientService | undefined;
  const client = () => {
    if (shape.attach) {
      const task = new ecs.FargateTaskDefinition(clientStack, 'WebTask', { cpu: 512, memoryLimitMiB: 1024 });
      task.addContainer('app', { image, memoryLimitMiB: 512 });
      const service = new ecs.FargateService(clientStack, 'WebService', { cluster, taskDefinition: task });
      web = ClientService.attach(clientStack, 'Web', { service, namespace, redeployOnEndpointChange: shape.redeployOnEndpointChange });
    } else {
      web = new ClientService(clientStack, 'Web', { cluster, namespace, container: { image }, redeployOnEndpointChange: shape.redeployOnEndpointChange });
    }
  };
  if (shape.clientFirst) {
    client();
  }
  const api = server('Api', 8080, { discoveryName: 'api', dnsName: 'api', port: 80, ...shape.api });
  const db = server('Db', 5432, { discoveryName: 'db', ...shape.db });
  if (!shape.clientFirst) {
    client();
  }
  if (shape.callsApi ?? true) {
    web!.connectTo(api);
  }
  if (shape.callsDb) {
    web!.connectTo(db);
  }
  if (shape.unrelated) {
    const cache = server('Cache', 6379, { discoveryName: 'cache' });
    new ClientService(serverStack, 'Worker', { cluster, namespace, container: { image }, connectsTo: [cache, db] });
  }
  const webStack = Stack.of(web!);
  const webId = webStack.getLogicalId(web!.service.node.defaultChild as ecs.CfnService);
  return { web: Template.fromStack(webStack).toJSON().Resources[webId] };
}

/** The client's ECS service in the template `shape` synthesizes. */
function webService(shape: Shape = {}): any {
  return synth(shape).web;
}

/** How the client's ECS service changes from `before` to `after`: its impact and the changed properties. */
function change(before: any, after: any): { impact?: ResourceImpact; properties: string[] } {
  const resource = fullDiff({ Resources: { Web: before } }, { Resources: { Web: after } }).resources.changes.Web;
  return {
    impact: resource?.changeImpact ?? ResourceImpact.NO_CHANGE,
    properties: resource ? Object.keys(resource.propertyUpdates).filter((key) => resource.propertyUpdates[key].isDifferent) : [],
  };
}

/** The change starts an ECS deployment: the nonce changed, forced deployments on, and nothing is replaced. */
function expectDeployment(before: any, after: any): void {
  expect(change(before, after)).toEqual({ impact: ResourceImpact.WILL_UPDATE, properties: ['ForceNewDeployment'] });
  expect(after.Properties.ForceNewDeployment.EnableForceNewDeployment).toBe(true);
  expect(after.Properties.ForceNewDeployment.ForceNewDeploymentNonce).not.toEqual(before.Properties.ForceNewDeployment.ForceNewDeploymentNonce);
}

function expectNoChange(before: any, after: any): void {
  expect(change(before, after)).toEqual({ impact: ResourceImpact.NO_CHANGE, properties: [] });
  expect(after).toEqual(before);
}

describe('a client redeploys when the endpoints it calls change', () => {
  test('the ECS service has a ForceNewDeployment whose nonce is a digest of the called endpoints', () => {
    const web = webService();
    expect(web.Properties.ForceNewDeployment).toEqual({
      EnableForceNewDeployment: true,
      ForceNewDeploymentNonce: expect.stringMatching(/^endpoints-[0-9a-f]{32}$/),
    });
  });

  test.each<[string, Shape, Shape]>([
    ['adding a server to connectsTo', {}, { callsDb: true }],
    ['removing a server from connectsTo', { callsDb: true }, {}],
    ['adding the first server', { callsApi: false }, {}],
    ['changing the dnsName of a called server', {}, { api: { dnsName: 'api2' } }],
    ['changing the port of a called server', {}, { api: { port: 81 } }],
    ['changing the discovery name of a called server', {}, { api: { discoveryName: 'api-v2' } }],
    ['changing the alias of a called server, across two stacks', { twoStacks: true }, { twoStacks: true, api: { dnsName: 'api2', port: 81 } }],
    ['adding a server, across two stacks', { twoStacks: true }, { twoStacks: true, callsDb: true }],
    ['adding a server to an attached client', { attach: true }, { attach: true, callsDb: true }],
  ])('%s starts a deployment of the client', (_, before, after) => {
    expectDeployment(webService(before), webService(after));
  });

  test.each<[string, Shape, Shape]>([
    ['synthesizing twice', {}, {}],
    ['adding unrelated services', {}, { unrelated: true }],
    ['adding unrelated services, across two stacks', { twoStacks: true }, { twoStacks: true, unrelated: true }],
    ['creating the client before its servers', {}, { clientFirst: true }],
    ['changing an endpoint of a server the client does not call', {}, { db: { discoveryName: 'db2', dnsName: 'db2' } }],
  ])('%s changes nothing in the client', (_, before, after) => {
    expectNoChange(webService(before), webService(after));
  });

  test('the server updates before the client: the client waits for the servers it calls', () => {
    const { web } = synth({ callsDb: true });
    expect(web.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Api/), expect.stringMatching(/^Db/)]));
  });

  test('a client that calls nothing has the nonce of no endpoints, the same for every such client', () => {
    const nothing = webService({ callsApi: false });
    expect(nothing.Properties.ForceNewDeployment.ForceNewDeploymentNonce).toMatch(/^endpoints-/);
    expect(webService({ callsApi: false, attach: true }).Properties.ForceNewDeployment)
      .toEqual(nothing.Properties.ForceNewDeployment);
  });
});

describe('opting out', () => {
  test.each([false, true])('redeployOnEndpointChange: false renders no ForceNewDeployment (attached: %s)', (attach) => {
    const web = webService({ attach, redeployOnEndpointChange: false });
    expect(web.Properties.ForceNewDeployment).toBeUndefined();
    // and changing the endpoints changes no property of the client (adding a server adds a DependsOn only)
    const after = webService({ attach, redeployOnEndpointChange: false, callsDb: true, api: { dnsName: 'api2' } });
    expect(change(web, after).properties).toEqual([]);
    expect(after.DependsOn).not.toEqual(web.DependsOn);
  });

  test('a library-built service refuses an unknown prop but takes the opt-out', () => {
    expect(() => webService({ redeployOnEndpointChange: true })).not.toThrow();
  });
});

describe('a ForceNewDeployment of the service\'s own', () => {
  function ownNonce(how: 'override' | 'property', redeployOnEndpointChange?: boolean) {
    const app = new App();
    const stack = new Stack(app, 'Own');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['az1'], privateSubnetIds: ['subnet-1'] });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'own.internal' });
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', { image, memoryLimitMiB: 512 });
    const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task });
    ClientService.attach(stack, 'Web', { service, namespace, redeployOnEndpointChange });
    const cfn = service.node.defaultChild as ecs.CfnService;
    // set after attaching: the library looks once the app is complete
    if (how === 'override') {
      cfn.addPropertyOverride('ForceNewDeployment', { EnableForceNewDeployment: true, ForceNewDeploymentNonce: 'image-v7' });
    } else {
      // Object.assign: the floor's CfnService (2.178) does not declare the property
      Object.assign(cfn, { forceNewDeployment: { enableForceNewDeployment: true, forceNewDeploymentNonce: 'image-v7' } });
    }
    const template = Template.fromStack(stack);
    return { template, stack, id: stack.resolve(cfn.logicalId) };
  }

  // aws-cdk-lib's CfnService gained `forceNewDeployment` after the floor (2.178), where only an override can set it
  const l1HasForceNewDeployment = 'forceNewDeployment' in new ecs.CfnService(new Stack(), 'Probe');
  const ways: Array<'override' | 'property'> = l1HasForceNewDeployment ? ['override', 'property'] : ['override'];

  test.each(ways)('set as %s: kept as it is, with a RedeployOnEndpointChange warning', (how) => {
    const { template, stack, id } = ownNonce(how);
    expect(template.toJSON().Resources[id].Properties.ForceNewDeployment).toEqual({ EnableForceNewDeployment: true, ForceNewDeploymentNonce: 'image-v7' });
    Annotations.fromStack(stack).hasWarning('/Own/Web', Match.stringLikeRegexp(
      '\\[RedeployOnEndpointChange\\] Own/Web: the ECS service has a ForceNewDeployment of its own.*Fix: remove your own `ForceNewDeployment`.*redeployOnEndpointChange: false'));
  });

  test('with the opt-out, kept without a warning', () => {
    const { template, stack, id } = ownNonce('override', false);
    expect(template.toJSON().Resources[id].Properties.ForceNewDeployment.ForceNewDeploymentNonce).toBe('image-v7');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('RedeployOnEndpointChange'));
  });
});

describe('endpoint values that are tokens', () => {
  function withParameterPort(stackOfParameter: 'own' | 'other') {
    const app = new App();
    const stack = new Stack(app, 'Web');
    const other = stackOfParameter === 'other' ? new Stack(app, 'Other') : stack;
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['az1'], privateSubnetIds: ['subnet-1'] });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const namespace = new ServiceConnectNamespace(stack, 'Namespace', { name: 'tokens.internal' });
    const port = new CfnParameter(other, 'ApiPort', { type: 'Number', default: 80 });
    const api = ClientServerService.fromAttributes(stack, 'Api', {
      namespace,
      securityGroups: [],
      endpoints: [{ portMappingName: 'http', discoveryName: 'api', dnsName: 'api', port: Token.asNumber(port.value), listenPort: 8080 }],
    });
    const web = new ClientService(stack, 'Client', { cluster, namespace, container: { image }, connectsTo: [api] });
    return { stack, id: serviceLogicalId(stack, 'Client') as string, web };
  }

  test('a parameter of the client\'s stack is joined into the nonce, so that a new value starts a deployment', () => {
    const { stack, id } = withParameterPort('own');
    const rendered = Template.fromStack(stack).toJSON().Resources[id].Properties.ForceNewDeployment.ForceNewDeploymentNonce;
    expect(rendered).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/^endpoints-[0-9a-f]{32}$/), '-', { Ref: 'ApiPort' }]] });
    // deterministic: a second app renders the same nonce
    const again = withParameterPort('own');
    expect(Template.fromStack(again.stack).toJSON().Resources[again.id].Properties.ForceNewDeployment.ForceNewDeploymentNonce).toEqual(rendered);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('RedeployOnEndpointChange'));
  });

  test('a token of another stack is hashed, not joined (that would export it), and warned about', () => {
    const { stack, id } = withParameterPort('other');
    const nonce = Template.fromStack(stack).toJSON().Resources[id].Properties.ForceNewDeployment.ForceNewDeploymentNonce;
    expect(nonce).toMatch(/^endpoints-[0-9a-f]{32}$/);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::ImportValue');
    Annotations.fromStack(stack).hasWarning('/Web/Client', Match.stringLikeRegexp(
      '\\[RedeployOnEndpointChange\\] Web/Client: an endpoint the service calls takes a value CloudFormation cannot add to the nonce.*ApiPort'));
  });
});
