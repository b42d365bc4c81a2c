import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { httpApi } from '../examples/recipes/http-api';
import { lambdaCaller } from '../examples/recipes/lambda-caller';
import { IServiceConnectNamespace } from '../src';
import { ingressFromAnywhere, waitsFor } from './util';
import { Topology, topologyFileNames } from '../src/monitoring/topology';

/*
 * The recipes for callers outside the namespace: an HTTP API in front of a server, and a Lambda function calling
 * one. What they render, and the topology artifact that shows the outside callers.
 */

const root = path.join(__dirname, '..');

test.each(['http-api', 'lambda-caller'])('docs/recipes.md shows examples/recipes/%s.ts exactly', (name) => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', `${name}.ts`), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

/** The security-group ingress rules of a template, as properties. */
function ingressOf(template: Record<string, any>): any[] {
  return Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r) => r.Properties);
}

function idOf(template: Record<string, any>, type: string, prefix: string): string {
  const id = Object.keys(template.Resources).find((key) => template.Resources[key].Type === type && key.startsWith(prefix));
  expect(id).toBeDefined();
  return id as string;
}

/** The namespace's topology files in the cloud assembly. */
function topologyOf(app: App, namespace: IServiceConnectNamespace): { json: Topology; mermaid: string } {
  const assembly = app.synth();
  const files = topologyFileNames(namespace as any);
  return {
    json: JSON.parse(fs.readFileSync(path.join(assembly.directory, files.json), 'utf8')),
    mermaid: fs.readFileSync(path.join(assembly.directory, files.mermaid), 'utf8'),
  };
}

const checkMermaid = (text: string) => JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts', 'check-mermaid.mjs')], { input: text, stdio: 'pipe' }).toString());

describe('HTTP API in front of a Service Connect server', () => {
  const app = new App();
  const stack = httpApi(app);
  const template = Template.fromStack(stack).toJSON();

  test('the route integrates privately, through the VPC link, with the looked-up Cloud Map service of orders', () => {
    const lookup = idOf(template, 'Custom::ServiceConnectCloudMapService', 'OrdersCloudMapServiceorders');
    const link = idOf(template, 'AWS::ApiGatewayV2::VpcLink', 'OrdersOrdersVpcLink');
    const integration = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: { Ref: link }, IntegrationUri: { 'Fn::GetAtt': [lookup, 'Arn'] },
    });
    // the lookup runs after the orders ECS service, which creates the Cloud Map service
    const ordersService = idOf(template, 'AWS::ECS::Service', 'OrdersService');
    expect(waitsFor(template, lookup)).toContain(ordersService);
    expect(template.Resources[lookup].Properties.DiscoveryName).toBe('orders');
    // the route is authorized and the stage logs
    const route = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(waitsFor(template, idOf(template, 'AWS::ApiGatewayV2::Stage', 'HttpApiDefaultStage'))).toEqual(expect.arrayContaining([idOf(template, 'AWS::Logs::LogGroup', 'HttpApiAccessLogs')]));
  });

  test('the orders group admits the web client and the VPC link, each on the proxy listen port 8080 only; nothing from everywhere', () => {
    const link = idOf(template, 'AWS::EC2::SecurityGroup', 'OrdersOrdersVpcLinkSecurityGroup');
    const web = idOf(template, 'AWS::EC2::SecurityGroup', 'WebService');
    const sources = ingressOf(template).map((rule) => [rule.SourceSecurityGroupId['Fn::GetAtt'][0], rule.FromPort, rule.ToPort]);
    expect(sources.sort()).toEqual([[link, 8080, 8080], [web, 8080, 8080]].sort());
    expect(ingressFromAnywhere(Template.fromStack(stack))).toEqual([]);
  });

  test('the topology shows the VPC link as an outside caller of orders', () => {
    const namespace = stack.node.findChild('Namespace') as IServiceConnectNamespace;
    const { json, mermaid } = topologyOf(app, namespace);
    const orders = json.services.find((s) => s.path === 'ShopHttpApi/Orders');
    expect(json.outsideCallers).toEqual([{ id: 'o0', caller: 'ShopHttpApi/Orders/OrdersVpcLink', kind: 'vpc-link', server: orders?.id, ports: [8080] }]);
    expect(mermaid).toContain('o0(["OrdersVpcLink<br/>API Gateway VPC link"])');
    expect(mermaid).toContain(`o0 ==>|"tcp 8080 (direct)"| ${orders?.id}`);
    expect(checkMermaid(mermaid)).toEqual({ diagramType: 'flowchart-v2', config: {} });
  });
});

describe('a Lambda function calling a Service Connect server', () => {
  const app = new App();
  const stack = lambdaCaller(app);
  const template = Template.fromStack(stack).toJSON();

  test('the orders group admits the function\'s own security group on 8080, and the function may discover orders only', () => {
    const callerGroup = idOf(template, 'AWS::EC2::SecurityGroup', 'CallerSecurityGroup');
    expect(ingressOf(template)).toEqual([expect.objectContaining({
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [callerGroup, 'GroupId'] },
      GroupId: { 'Fn::GetAtt': [idOf(template, 'AWS::EC2::SecurityGroup', 'OrdersService'), 'GroupId'] },
    })]);
    const statements = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s) => s.Action === 'servicediscovery:DiscoverInstances');
    expect(statements).toEqual([expect.objectContaining({
      Resource: '*',
      Condition: { StringEquals: { 'servicediscovery:NamespaceName': 'shop.internal', 'servicediscovery:ServiceName': 'orders' } },
    })]);
    // no lookup is needed: DiscoverInstances takes the namespace name and the discovery name
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'Custom::ServiceConnectCloudMapService')).toEqual([]);
    expect(ingressFromAnywhere(Template.fromStack(stack))).toEqual([]);
  });

  test('the topology shows the function as an outside caller', () => {
    const namespace = stack.node.findChild('Namespace') as IServiceConnectNamespace;
    const { json, mermaid } = topologyOf(app, namespace);
    expect(json.outsideCallers).toEqual([{ id: 'o0', caller: 'ShopLambdaCaller/Caller', kind: 'outside', server: 's0', ports: [8080] }]);
    expect(mermaid).toContain('o0(["Caller<br/>outside the namespace"])');
    expect(mermaid).toContain('o0 ==>|"tcp 8080 (direct)"| s0');
    expect(checkMermaid(mermaid)).toEqual({ diagramType: 'flowchart-v2', config: {} });
  });
});
