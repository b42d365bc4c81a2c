import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App, Stack } from 'aws-cdk-lib';
import { CfnMesh, CfnVirtualNode } from 'aws-cdk-lib/aws-appmesh';
import { CfnService, CfnTaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { convert, DECISIONS, FIXTURES } from './converted';
import { colorAppL1, extensionStyleApp, handsOnApp } from './fixtures';
import { AccessLogFormat } from '../../src';
import { schemaProblems } from '../support/schema';

type Template = { Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string[]; DeletionPolicy?: string }> };

function templatesOf(assembly: ReturnType<App['synth']>): Record<string, Template> {
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

function resources(templates: Record<string, Template>, type?: string) {
  return Object.values(templates).flatMap((t) => Object.entries(t.Resources ?? {}))
    .filter(([, r]) => type === undefined || r.Type === type);
}

describe.each(FIXTURES)('the %s fixture, converted as a new copy', (name, build, stackName, serviceCount) => {
  const { conversion, synth } = convert(build(), stackName, { decisions: DECISIONS[name] });
  const assembly = synth();
  const templates = templatesOf(assembly);
  const text = JSON.stringify(templates);

  test('has no Envoy container, proxy configuration, App Mesh grant or App Mesh resource', () => {
    expect(text).not.toMatch(/aws-appmesh-envoy|APPMESH_|"ProxyConfiguration"|appmesh:|AWSAppMeshEnvoyAccess/);
    expect(resources(templates).filter(([, r]) => r.Type.startsWith('AWS::AppMesh::'))).toEqual([]);
    for (const [, task] of resources(templates, 'AWS::ECS::TaskDefinition')) {
      for (const container of task.Properties.ContainerDefinitions) {
        expect(container.DependsOn ?? []).toEqual([]);
      }
    }
  });

  test('gives every ECS service a Service Connect configuration in the namespace, which the rules and the schema pass', () => {
    const services = resources(templates, 'AWS::ECS::Service');
    expect(services).toHaveLength(serviceCount);
    for (const [, service] of services) {
      expect(service.Properties.ServiceConnectConfiguration).toMatchObject({ Enabled: true, Namespace: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceConnectNamespace/), 'Arn'] } });
    }
    const errors = assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level === 'error');
    expect(errors).toEqual([]);
    expect(Object.values(templates).flatMap((t) => schemaProblems(t))).toEqual([]);
  });

  test('writes its report into the cloud assembly', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, conversion.jsonFileName), 'utf8'));
    expect(report.converted).toHaveLength(serviceCount);
    expect(report.appMeshResources).toBe('removed');
    expect(report.decisions).toEqual(DECISIONS[name]);
  });
});

describe('what each conversion carries over', () => {
  test('the call graph becomes ordering and ingress, with the edge that closes a cycle unordered; timeouts carry over', () => {
    const { conversion, synth } = convert(extensionStyleApp(), 'Greeter');
    expect(['greeter', 'name', 'nothing'].map((n) => conversion.serviceOf(n)?.node.path)).toEqual(['Greeter/AppMeshConversion/greeter', 'Greeter/AppMeshConversion/name', undefined]);
    expect(conversion.serviceOf('name')?.connectsTo.map((server) => server.node.path)).toEqual(['Greeter/AppMeshConversion/greeter']);
    const templates = templatesOf(synth());
    const byId = Object.fromEntries(resources(templates, 'AWS::ECS::Service').map(([id, r]) => [id.replace(/service.*$/, ''), r]));
    const on = (svc: string) => (byId[svc].DependsOn ?? []).filter((d) => d.includes('Service')).map((d) => d.replace(/service.*$/, '')).sort();
    expect([on('greeter'), on('greeting'), on('name')]).toEqual([['greeting', 'name'], [], []]);
    expect(byId.greeter.Properties.ServiceConnectConfiguration.Services).toEqual([
      { PortName: 'web', DiscoveryName: 'greeter', ClientAliases: [{ DnsName: 'greeter.internal', Port: 3000 }], Timeout: { PerRequestTimeoutSeconds: 20 } },
    ]);
    // name -> greeter, greeter -> greeting and greeter -> name: each on the server's port only
    const ingress = resources(templates, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => `${r.Properties.FromPort}-${r.Properties.ToPort}`);
    expect(ingress).toEqual(['3000-3000', '3000-3000', '3000-3000']);
  });

  test('an L1-only app: port mappings named, the alias on the kept target, ordering and ingress on the L1 resources, task memory for EC2', () => {
    const { synth } = convert(colorAppL1(), 'ColorApp', { decisions: DECISIONS.colorApp, accessLogs: { format: AccessLogFormat.JSON } });
    const templates = templatesOf(synth());
    const r = templates.ColorApp.Resources;
    expect(r.gatewayTask.Properties).toMatchObject({
      Memory: '512',
      ContainerDefinitions: [{ Name: 'app', PortMappings: [{ ContainerPort: 8080, Name: 'http', AppProtocol: 'http' }] }],
    });
    expect(r.blueService.Properties.ServiceConnectConfiguration).toMatchObject({
      Services: [{ PortName: 'http', DiscoveryName: 'blue-vn', ClientAliases: [{ DnsName: 'colorteller.mesh.local', Port: 8080 }] }],
      AccessLogConfiguration: { Format: 'JSON' },
      LogConfiguration: { LogDriver: 'awslogs' },
    });
    expect(r.gatewayService.DependsOn?.sort()).toEqual(['blueService', 'greenService']);
    expect(resources(templates, 'AWS::EC2::SecurityGroupIngress').map(([, i]) => [i.Properties.GroupId, i.Properties.SourceSecurityGroupId, i.Properties.FromPort])).toEqual([
      [{ 'Fn::GetAtt': ['blueSecurityGroup', 'GroupId'] }, { 'Fn::GetAtt': ['gatewaySecurityGroup', 'GroupId'] }, 8080],
      [{ 'Fn::GetAtt': ['greenSecurityGroup', 'GroupId'] }, { 'Fn::GetAtt': ['gatewaySecurityGroup', 'GroupId'] }, 8080],
    ]);
    expect(resources(templates, 'AWS::Logs::LogGroup').every(([, g]) => g.Properties.RetentionInDays > 0)).toBe(true);
    expect(r.TaskRole.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSXRayDaemonWriteAccess']] }]);
  });

  test('keepTarget gives the virtual service name to the chosen target of a weighted route', () => {
    const decisions = [{ ...DECISIONS.handsOn[0], keepTarget: 'backend-1-vn' }];
    const templates = templatesOf(convert(handsOnApp(), 'EcsServicesStack', { decisions }).synth());
    const aliases = resources(templates, 'AWS::ECS::Service').map(([, s]) => s.Properties.ServiceConnectConfiguration.Services[0].ClientAliases[0].DnsName).sort();
    expect(aliases).toEqual(['backend-vn', 'backend.local', 'frontend-vn']);
    expect(JSON.stringify(templates.EcsServicesStack)).toMatch(/"DnsName":"backend.local".{0,80}"DiscoveryName":"backend-1-vn"/);
  });

  test('a template included with CfnInclude converts on its L1 resources', () => {
    const source = templatesOf(colorAppL1().synth()).ColorApp as unknown as Record<string, unknown>;
    const { Parameters, Rules, ...template } = source;
    const templateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appmesh-')), 'color-app.json');
    fs.writeFileSync(templateFile, JSON.stringify(template));
    const app = new App();
    const stack = new Stack(app, 'ColorApp');
    new CfnInclude(stack, 'Template', { templateFile });
    const decisions = DECISIONS.colorApp.map((d) => ({ ...d, path: d.path?.replace('ColorApp/', 'ColorApp/Template/') }));
    const templates = templatesOf(convert(app, 'ColorApp', { decisions }).synth());
    expect(JSON.stringify(templates)).not.toMatch(/aws-appmesh-envoy|"ProxyConfiguration"|AWSAppMeshEnvoyAccess|AWS::AppMesh::/);
    expect(templates.ColorApp.Resources.blueService.Properties.ServiceConnectConfiguration.Services[0].ClientAliases).toEqual([{ DnsName: 'colorteller.mesh.local', Port: 8080 }]);
  });
});

test('App Mesh grants go from inline, attached and managed policies; what else they grant stays', () => {
  // GIVEN L1 IAM resources that grant Envoy's access among other things
  const app = new App();
  const stack = new Stack(app, 'Iam');
  const envoy = { Effect: 'Allow', Action: ['appmesh:StreamAggregatedResources', 's3:GetObject'], Resource: '*' };
  const role = new CfnRole(stack, 'Role', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: [{ policyName: 'inline', policyDocument: { Statement: [envoy] } }],
  });
  new CfnPolicy(stack, 'Policy', { policyName: 'attached', roles: [role.ref], policyDocument: { Statement: [envoy, { Effect: 'Allow', Action: 'appmesh:*', Resource: '*' }] } });
  new CfnManagedPolicy(stack, 'Managed', { roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'appmesh:StreamAggregatedResources', Resource: '*' }] } });
  // WHEN
  const r = templatesOf(convert(app, 'Iam').synth()).Iam.Resources;
  // THEN
  const kept = [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }];
  expect(r.Role.Properties.Policies[0].PolicyDocument.Statement).toEqual(kept);
  expect(r.Policy.Properties.PolicyDocument.Statement).toEqual(kept);
  expect(r.Managed.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Deny', Action: 'appmesh:StreamAggregatedResources', Resource: '*' }]);
});

describe('a listener with TLS from an ACM Private CA certificate', () => {
  const CA = 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555';
  /** GIVEN an L1 app whose one virtual node terminates TLS with an ACM certificate. */
  function tlsApp(): App {
    const app = new App();
    const stack = new Stack(app, 'Tls');
    new CfnMesh(stack, 'Mesh', { meshName: 'm', spec: { egressFilter: { type: 'ALLOW_ALL' } } });
    new CfnVirtualNode(stack, 'Node', {
      meshName: 'm',
      virtualNodeName: 'secure',
      spec: { listeners: [{ portMapping: { port: 8443, protocol: 'http' }, tls: { mode: 'STRICT', certificate: { acm: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } } } }] },
    });
    const task = new CfnTaskDefinition(stack, 'Task', {
      family: 'secure',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [
        { name: 'app', image: 'app', memory: 256, portMappings: [{ containerPort: 8443 }] },
        { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod', memory: 256, environment: [{ name: 'APPMESH_VIRTUAL_NODE_NAME', value: 'mesh/m/virtualNode/secure' }] },
      ],
    });
    new CfnService(stack, 'Service', { cluster: 'c', taskDefinition: task.ref, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } });
    return app;
  }

  test('needs the CA (or a decision): the certificate does not say which CA issued it', () => {
    expect(convert(tlsApp(), 'Tls').synth).toThrow(/\[AppMeshPrivateCaTls\] Tls\/Node: virtual node secure terminates TLS .*\(found: listener 8443\)\. Fix: pass `tls/);
  });

  test('with `tls`, the endpoint gets Service Connect TLS from that CA', () => {
    const service = templatesOf(convert(tlsApp(), 'Tls', { tls: { awsPcaAuthorityArn: CA } }).synth()).Tls.Resources.Service;
    expect(service.Properties.ServiceConnectConfiguration.Services).toEqual([expect.objectContaining({
      PortName: 'http', Tls: { IssuerCertificateAuthority: { AwsPcaAuthorityArn: CA } },
    })]);
  });
});

describe('refusals', () => {
  test('a finding that needs a decision fails synth with its id, path, value and fix', () => {
    const { synth } = convert(handsOnApp(), 'EcsServicesStack');
    expect(synth).toThrow(/\[AppMeshWeightedRoute\] MeshStack\/BackendRoute\/Resource: .*\(found: backend-vn=1, backend-1-vn=1\)\. Fix: .*keepTarget/);
  });

  test('a decision that matches nothing, or keeps a target the route does not have, is an error', () => {
    const { synth } = convert(handsOnApp(), 'EcsServicesStack', {
      decisions: [{ ...DECISIONS.handsOn[0], keepTarget: 'backend-2-vn' }, { findingId: 'AppMeshGateway', reason: 'none here' }],
    });
    expect(synth).toThrow(/\[AppMeshDecisionInvalid\] AppMeshConversion: keepTarget is not a target of the weighted route \(targets: backend-vn, backend-1-vn\)/);
    expect(synth).toThrow(/\[AppMeshDecisionInvalid\] AppMeshConversion: the decision matches no finding of the plan/);
  });

  test('in place, the App Mesh resources need a decision', () => {
    const { synth } = convert(extensionStyleApp(), 'Greeter', { inPlace: true });
    expect(synth).toThrow(/\[AppMeshResourcesDecision\] AppMeshConversion: .*retainAppMeshResources/);
  });

  test('an L1 ECS service that already has a Service Connect configuration is not overwritten', () => {
    const app = colorAppL1();
    (app.node.findChild('ColorApp').node.findChild('greenService') as CfnService).serviceConnectConfiguration = { enabled: true, namespace: 'other' };
    const { synth } = convert(app, 'ColorApp', { decisions: DECISIONS.colorApp });
    expect(synth).toThrow(/\[AppMeshServiceConfigured\] ColorApp\/greenService: the ECS service already has a Service Connect configuration/);
  });

  test('access logs on an L1 service without the proxy\'s logs are refused by the library\'s checks', () => {
    const { synth } = convert(colorAppL1(), 'ColorApp', { decisions: DECISIONS.colorApp, accessLogs: { format: AccessLogFormat.TEXT }, proxyLogs: { enabled: false } });
    const errors = synth().stacks.flatMap((st) => st.messages).filter((m) => m.level === 'error').map((m) => `${m.id} ${String(m.entry.data).split(' ')[0]}`).sort();
    expect(errors).toEqual(['/ColorApp/blueService [AccessLogsNeedProxyLogs]', '/ColorApp/gatewayService [AccessLogsNeedProxyLogs]', '/ColorApp/greenService [AccessLogsNeedProxyLogs]']);
  });

  test('an App Mesh resource added after the conversion is an error', () => {
    const { app, synth } = convert(extensionStyleApp(), 'Greeter');
    new CfnMesh(app.node.findChild('Greeter'), 'LateMesh', { meshName: 'late' });
    expect(synth).toThrow(/\[AppMeshConvertedLate\] Greeter\/LateMesh: /);
  });
});

describe('converting in place', () => {
  /** Changes that replace or remove a resource, by type; and the types added. */
  function diff(before: Template, after: Template) {
    const damaged: string[] = [];
    fullDiff(before as any, after as any).resources.forEachDifference((logicalId, change) => {
      if (change.isRemoval || [ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE, ResourceImpact.WILL_DESTROY].includes(change.changeImpact)) {
        damaged.push(`${change.oldResourceType ?? change.newResourceType} ${logicalId}`);
      }
    });
    return damaged;
  }

  test.each([
    ['extension', extensionStyleApp, 'Greeter'],
    ['handsOn', handsOnApp, 'EcsServicesStack'],
  ])('of the %s fixture replaces no ECS service; retained App Mesh resources keep their place with a Retain policy', (name, build, stackName) => {
    const before = templatesOf(build().synth());
    const { synth } = convert(build(), stackName, { inPlace: true, retainAppMeshResources: true, decisions: DECISIONS[name] });
    const after = templatesOf(synth());
    const damaged = Object.keys(before).flatMap((stack) => diff(before[stack], after[stack]));
    expect(damaged.filter((d) => !d.startsWith('AWS::ECS::TaskDefinition ') && !d.startsWith('AWS::IAM::Policy '))).toEqual([]);
    expect(damaged.filter((d) => d.startsWith('AWS::ECS::TaskDefinition '))).toHaveLength(3);
    const mesh = resources(after).filter(([, r]) => r.Type.startsWith('AWS::AppMesh::'));
    expect(mesh.length).toBeGreaterThan(0);
    expect(mesh.every(([, r]) => r.DeletionPolicy === 'Retain')).toBe(true);
  });

  test('with retainAppMeshResources false removes only App Mesh resources and the policies that granted Envoy alone', () => {
    const before = templatesOf(extensionStyleApp().synth());
    const after = templatesOf(convert(extensionStyleApp(), 'Greeter', { inPlace: true, retainAppMeshResources: false }).synth());
    const removed = diff(before.Greeter, after.Greeter).filter((d) => !d.startsWith('AWS::ECS::TaskDefinition ')).map((d) => d.split(' ')[0]);
    expect([...new Set(removed)].sort()).toEqual(['AWS::AppMesh::Mesh', 'AWS::AppMesh::Route', 'AWS::AppMesh::VirtualNode', 'AWS::AppMesh::VirtualRouter', 'AWS::AppMesh::VirtualService', 'AWS::IAM::Policy']);
  });
});
