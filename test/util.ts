import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ServiceConnectNamespace, ServiceConnectServiceBase } from '../src';

/** A named port mapping for test task definitions. */
export interface TestPort {
  readonly name: string;
  readonly containerPort: number;
  readonly appProtocol?: ecs.AppProtocol;
}

/** A Fargate task definition with one container exposing `ports`. */
export function fargateTask(scope: Construct, id: string, ports: TestPort[] = []): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, id, { cpu: 512, memoryLimitMiB: 1024 });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
    memoryLimitMiB: 512,
    portMappings: ports,
  });
  return taskDefinition;
}

/** An EC2 task definition (awsvpc, task-level memory) with one container exposing `ports`. */
export function ec2Task(scope: Construct, id: string, ports: TestPort[] = []): ecs.TaskDefinition {
  const taskDefinition = new ecs.TaskDefinition(scope, id, {
    compatibility: ecs.Compatibility.EC2, networkMode: ecs.NetworkMode.AWS_VPC, cpu: '512', memoryMiB: '1024',
  });
  taskDefinition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'),
    memoryLimitMiB: 512,
    portMappings: ports,
  });
  return taskDefinition;
}

/** A stack with a VPC, a cluster and a namespace, the usual starting point of a test. */
export class TestEnv {
  public readonly app: App;
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  public readonly namespace: ServiceConnectNamespace;

  constructor(app: App = new App(), stackId = 'Stack') {
    this.app = app;
    this.stack = new Stack(app, stackId);
    this.vpc = new ec2.Vpc(this.stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    this.cluster = new ecs.Cluster(this.stack, 'Cluster', { vpc: this.vpc });
    this.namespace = new ServiceConnectNamespace(this.stack, 'Namespace', { name: 'test.internal' });
  }

  public template(stack: Stack = this.stack): Template {
    return Template.fromStack(stack);
  }
}

/** Logical id of the ECS service resource of the service construct at `constructPath` below `stack`. */
export function serviceLogicalId(stack: Stack, constructPath: string): string {
  const service = stack.node.findChild(constructPath) as ServiceConnectServiceBase;
  return stack.getLogicalId(service.service.node.defaultChild as CfnElement);
}

/** The DependsOn list of the ECS service at `constructPath`. */
export function dependsOnOf(stack: Stack, constructPath: string): string[] {
  const id = serviceLogicalId(stack, constructPath);
  return Template.fromStack(stack).toJSON().Resources[id].DependsOn ?? [];
}

/**
 * Logical ids of the resources a resource of `template` is created after (and deleted before): its
 * DependsOn, and the resources its properties refer to (`Ref`, `Fn::GetAtt`), which order it as well.
 */
export function waitsFor(template: Record<string, any>, logicalId: string): string[] {
  const resource = template.Resources[logicalId];
  const found = new Set<string>(resource.DependsOn ?? []);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v.Ref === 'string') {
        found.add(v.Ref);
      }
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
        found.add(getAtt[0]);
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(resource.Properties);
  return [...found].filter((id) => id in template.Resources).sort();
}

/** Every ingress rule of a template from every address: inline in a group, or a rule resource. */
export function ingressFromAnywhere(template: Template): unknown[] {
  const resources = Object.values<any>(template.toJSON().Resources);
  const inline = resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroup').flatMap((r) => r.Properties.SecurityGroupIngress ?? []);
  const separate = resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r) => r.Properties);
  return [...inline, ...separate].filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0');
}
