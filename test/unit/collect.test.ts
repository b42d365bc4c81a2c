import { App, CfnParameter, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IServiceConnectNamespace } from '../../src';
import {
  capacityFacts, cfnTaskFacts, containersOf, hasOverrides, managedInstancesProviders, namespaceLocation, renderedContainers, renderedProperties,
  taskFacts, taskSizingView, templateView,
} from '../../src/rules/collect';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest');

function stack(props: { env?: { region?: string; account?: string }; context?: Record<string, unknown> } = {}): Stack {
  return new Stack(new App({ context: props.context }), 'Stack', { env: props.env });
}

describe('taskFacts', () => {
  test('sums the containers\' memory limits and CPU, skipping containers without them', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', { cpu: 1024, memoryLimitMiB: 2048 });
    task.addContainer('App', { image, memoryLimitMiB: 512, cpu: 256 });
    task.addContainer('Sidecar', { image, memoryLimitMiB: 128, cpu: 128 });
    task.addContainer('Bare', { image });
    expect(containersOf(task).map((c) => c.containerName)).toEqual(['App', 'Sidecar', 'Bare']);
    expect(taskFacts(task, false)).toEqual({
      path: 'Stack/Task',
      cpu: 1024,
      memoryMiB: 2048,
      memorySet: true,
      containerMemoryMiB: 640,
      containerCpu: 384,
      containerValuesUnresolved: false,
      osFamily: undefined,
      networkMode: 'awsvpc',
      managed: false,
    });
  });

  test('marks the sums incomplete when a container value is a token', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', { cpu: 1024, memoryLimitMiB: 2048 });
    task.addContainer('App', { image, memoryLimitMiB: new CfnParameter(s, 'Mem', { type: 'Number' }).valueAsNumber });
    task.addContainer('Other', { image, cpu: 256 });
    const facts = taskFacts(task, true);
    expect(facts).toMatchObject({ containerValuesUnresolved: true, containerMemoryMiB: 0, containerCpu: 256, managed: true });
  });

  test('reads the runtime platform and leaves task values that are not numbers undefined', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const resource = task.node.defaultChild as ecs.CfnTaskDefinition;
    resource.memory = '2 GB'; // the API also takes units: 2 GB is 2048 MiB
    resource.cpu = Token.asString({ Ref: 'Cpu' });
    expect(taskFacts(task, false)).toMatchObject({
      osFamily: 'WINDOWS_SERVER_2022_CORE', memoryMiB: 2048, memorySet: true, cpu: undefined,
    });
    resource.memory = '2 gigabytes';
    resource.cpu = '0.5 vCPU';
    expect(taskFacts(task, false)).toMatchObject({ memoryMiB: undefined, memorySet: true, cpu: 512 });
  });

  test('an operating system family that is a token is unknown', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    (task.node.defaultChild as ecs.CfnTaskDefinition).runtimePlatform = { operatingSystemFamily: Token.asString({ Ref: 'Os' }) };
    expect(taskFacts(task, false).osFamily).toBeUndefined();
  });

  test('an EC2 task definition without task memory has memorySet false', () => {
    const s = stack();
    const task = new ecs.Ec2TaskDefinition(s, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('App', { image, memoryLimitMiB: 256 });
    expect(taskFacts(task, false)).toMatchObject({ memorySet: false, memoryMiB: undefined, cpu: undefined, networkMode: 'bridge', containerMemoryMiB: 256 });
  });
});

describe('cfnTaskFacts', () => {
  /** A task definition resource defined directly (L1), with `props`. */
  function l1(props: ecs.CfnTaskDefinitionProps = {}): ecs.CfnTaskDefinition {
    return new ecs.CfnTaskDefinition(stack(), 'Task', props);
  }

  test('a task definition resource of its own is known by its own path; without containers, its sums are complete', () => {
    expect(cfnTaskFacts(l1({ cpu: '256', memory: '512' }), false)).toEqual({
      path: 'Stack/Task',
      cpu: 256,
      memoryMiB: 512,
      memorySet: true,
      containerMemoryMiB: 0,
      containerCpu: 0,
      containerValuesUnresolved: false,
      osFamily: undefined,
      networkMode: undefined,
      managed: false,
    });
  });

  test('containers given as an intrinsic cannot be summed', () => {
    const resource = l1({ containerDefinitions: Fn.getAtt('Somewhere', 'Containers') as any });
    expect(renderedContainers(resource)).toEqual([]);
    expect(cfnTaskFacts(resource, false)).toMatchObject({ containerValuesUnresolved: true, containerMemoryMiB: 0, containerCpu: 0 });
  });

  test.each([[null], ['app']])('a container entry that is not an object (%p) cannot be summed; the others are', (entry) => {
    const resource = l1({ containerDefinitions: [entry as any, { name: 'app', image: 'nginx', memory: 256, cpu: 128 }] });
    expect(cfnTaskFacts(resource, false)).toMatchObject({ containerValuesUnresolved: true, containerMemoryMiB: 256, containerCpu: 128 });
  });

  test('a value that is not a whole number is unknown, and so is a network mode given as a token', () => {
    const resource = l1({ cpu: '256.5', memory: 'x512', networkMode: Token.asString({ Ref: 'Mode' }) });
    expect(cfnTaskFacts(resource, false)).toMatchObject({ cpu: undefined, memoryMiB: undefined, memorySet: true, networkMode: undefined });
  });
});

describe('task facts without rendering the resource', () => {
  /** A deterministic generator, so that a failing shape can be rebuilt. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  test('without overrides, the facts read from the L1\'s properties equal those of the rendered resource, on random task definitions', () => {
    const next = random(19);
    const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)];
    const s = stack();
    const param = new CfnParameter(s, 'Mem', { type: 'Number' }).valueAsNumber;
    let checked = 0;
    for (let i = 0; i < 60; i++) {
      const kind = pick(['fargate', 'ec2', 'l1']);
      let resource: ecs.CfnTaskDefinition;
      if (kind === 'l1') {
        resource = new ecs.CfnTaskDefinition(s, `L${i}`, {
          cpu: pick([undefined, '256', '1 vCPU', '0.5 vcpu', Token.asString({ Ref: 'Cpu' })]),
          memory: pick([undefined, '512', '2 GB', 'x512']),
          networkMode: pick([undefined, 'awsvpc', 'bridge', Token.asString({ Ref: 'Mode' })]),
          runtimePlatform: pick([undefined, { operatingSystemFamily: 'LINUX' }, { operatingSystemFamily: Token.asString({ Ref: 'Os' }) }]),
          containerDefinitions: pick([
            undefined,
            [],
            Fn.getAtt('Somewhere', 'Containers') as any,
            [{ name: 'a', image: 'x', memory: pick([undefined, 256, param]), cpu: pick([undefined, 128]) }, pick([null, 'app', { name: 'b', image: 'y', memoryReservation: 64 }])],
          ]),
        });
      } else {
        const task = kind === 'fargate'
          ? new ecs.FargateTaskDefinition(s, `T${i}`, {
            cpu: pick([256, 512, 1024]),
            memoryLimitMiB: pick([512, 1024, 2048]),
            runtimePlatform: pick([
              undefined, {}, { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.ARM64 },
            ]),
          })
          : new ecs.Ec2TaskDefinition(s, `T${i}`, { networkMode: pick([ecs.NetworkMode.BRIDGE, ecs.NetworkMode.AWS_VPC]) });
        for (let c = 0; c < 1 + Math.floor(next() * 3); c++) {
          const memoryLimitMiB = pick([undefined, 128, 512, param]);
          task.addContainer(`C${c}`, {
            image,
            memoryLimitMiB,
            // aws-cdk-lib refuses a reservation above a limit it cannot read
            memoryReservationMiB: memoryLimitMiB === param ? undefined : pick([undefined, 64]),
            cpu: pick([undefined, 64]), // at most three containers: within the smallest task CPU
            portMappings: pick([[], [{ name: 'http', containerPort: 8080 }]]),
          });
        }
        resource = task.node.defaultChild as ecs.CfnTaskDefinition;
      }
      const managed = next() < 0.5;
      // THEN the facts from the L1's properties are those of the resource as the template holds it
      expect(cfnTaskFacts(resource, managed)).toEqual(cfnTaskFacts(resource, managed, renderedProperties(resource)));
      checked++;
    }
    expect(checked).toBe(60);
  });

  test('without an override only the properties read are resolved; with one, the whole resource is rendered', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('App', { image, memoryLimitMiB: 512 });
    const resource = task.node.defaultChild as ecs.CfnTaskDefinition;
    expect(hasOverrides(resource)).toBe(false);
    expect(Object.keys(taskSizingView(resource)).sort()).toEqual(['ContainerDefinitions', 'Cpu', 'Memory', 'NetworkMode', 'RuntimePlatform']);
    resource.addOverride('Metadata.Note', 'x');
    expect(hasOverrides(resource)).toBe(true);
    expect(taskSizingView(resource)).toHaveProperty('Family');
    const other = new ecs.CfnTaskDefinition(s, 'Other', {});
    other.addPropertyOverride('Cpu', '256');
    expect(hasOverrides(other)).toBe(true);
    expect(taskSizingView(other).Cpu).toBe('256');
  });

  test('with a property override, the facts come from the rendered resource: the override counts', () => {
    const s = stack();
    const task = new ecs.FargateTaskDefinition(s, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('App', { image, memoryLimitMiB: 512 });
    const resource = task.node.defaultChild as ecs.CfnTaskDefinition;
    resource.addPropertyOverride('ContainerDefinitions.0.Memory', 1000);
    resource.addPropertyOverride('Memory', '2048');
    expect(taskFacts(task, false)).toMatchObject({ containerMemoryMiB: 1000, memoryMiB: 2048 });
    // AND a deletion override too
    resource.addPropertyDeletionOverride('ContainerDefinitions.0.Memory');
    expect(taskFacts(task, false)).toMatchObject({ containerMemoryMiB: 0 });
  });
});

describe('capacityFacts', () => {
  function cluster(s: Stack) {
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
      vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'],
    });
    return new ecs.Cluster(s, 'Cluster', { vpc });
  }

  test('reads the SSM parameter of the ECS-optimized AMI and the instance role of addCapacity', () => {
    const s = stack();
    const c = cluster(s);
    c.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    expect(capacityFacts(c)).toEqual([{
      path: 'Stack/Cluster/Asg',
      amiParameter: '/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id',
      pollAllowed: true,
    }]);
  });

  test('a group whose launch template exposes no role: its permission is unknown, never an error', () => {
    const s = stack();
    const c = cluster(s);
    const launchTemplate = ec2.LaunchTemplate.fromLaunchTemplateAttributes(s, 'Template', { launchTemplateId: 'lt-1', versionNumber: '1' });
    new autoscaling.AutoScalingGroup(c, 'Asg', { vpc: c.vpc, launchTemplate });
    expect(capacityFacts(c)).toEqual([{ path: 'Stack/Cluster/Asg', pollAllowed: undefined }]);
  });

  test('finds the AMI\'s own parameter among other parameters', () => {
    const s = stack();
    new CfnParameter(s, 'Unrelated', { type: 'String', default: '/my/other/parameter' });
    const c = cluster(s);
    c.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
    expect(capacityFacts(c)[0].amiParameter).toEqual('/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id');
  });

  test('reads the AMI from a launch template too', () => {
    const s = stack({ context: { '@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig': true } });
    const c = cluster(s);
    c.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023() });
    expect(capacityFacts(c)[0].amiParameter).toEqual('/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
  });

  test('reads a literal AMI id', () => {
    const s = stack({ env: { region: 'us-east-1', account: '111111111111' } });
    const c = cluster(s);
    c.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345' }) });
    expect(capacityFacts(c)).toEqual([{ path: 'Stack/Cluster/Asg', amiId: 'ami-12345', pollAllowed: true }]);
  });

  test('knows neither when the AMI comes from a mapping', () => {
    const s = stack();
    const c = cluster(s);
    c.addCapacity('Asg', { instanceType: new ec2.InstanceType('t3.small'), machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345' }) });
    const [facts] = capacityFacts(c);
    expect(facts.amiId).toBeUndefined();
    expect(facts.amiParameter).toBeUndefined();
  });

  describe('the instance role', () => {
    /** An Auto Scaling group under the cluster with `role`, as a user adding capacity by hand would. */
    function groupWith(role: iam.IRole) {
      const s = stack();
      const c = cluster(s);
      const vpc = c.vpc;
      new autoscaling.AutoScalingGroup(c, 'Asg', {
        vpc, role, instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
      });
      return c;
    }
    const instanceRole = (scope: Construct) => new iam.Role(scope, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

    test('lacks ecs:Poll when nothing grants it', () => {
      const s = stack();
      const c = groupWith(instanceRole(s));
      expect(capacityFacts(c)[0].pollAllowed).toBe(false);
    });

    test('lacks ecs:Poll when the role allows only other actions', () => {
      const s = stack();
      const role = instanceRole(s);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ec2:*'], resources: ['*'] }));
      expect(capacityFacts(groupWith(role))[0].pollAllowed).toBe(false);
    });

    test.each([['ecs:Poll'], ['ecs:*'], ['*'], [['ec2:DescribeInstances', 'ecs:Poll']]])('allows it through %p', (actions) => {
      const s = stack();
      const role = instanceRole(s);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [actions].flat(), resources: ['*'] }));
      expect(capacityFacts(groupWith(role))[0].pollAllowed).toBe(true);
    });

    test('a Deny does not allow it', () => {
      const s = stack();
      const role = instanceRole(s);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ecs:Poll'], resources: ['*'] }));
      expect(capacityFacts(groupWith(role))[0].pollAllowed).toBe(false);
    });

    test('allows it through the AmazonEC2ContainerServiceforEC2Role managed policy', () => {
      const s = stack();
      const role = instanceRole(s);
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role'));
      expect(capacityFacts(groupWith(role))[0].pollAllowed).toBe(true);
    });

    test('is unknown for an imported role', () => {
      const s = stack();
      const role = iam.Role.fromRoleArn(s, 'Role', 'arn:aws:iam::111111111111:role/instances');
      expect(capacityFacts(groupWith(role))[0].pollAllowed).toBeUndefined();
    });
  });

  test('knows neither when the group\'s launch template is defined outside it, or the AMI id is imported', () => {
    const s = stack();
    const c = cluster(s);
    const launchTemplate = new ec2.LaunchTemplate(s, 'Template', {
      instanceType: new ec2.InstanceType('t3.small'),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      role: new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
    });
    new autoscaling.AutoScalingGroup(c, 'Shared', { vpc: c.vpc, launchTemplate });
    const imported: ec2.IMachineImage = {
      getImage: () => ({ imageId: Fn.importValue('BaseAmi'), osType: ec2.OperatingSystemType.LINUX, userData: ec2.UserData.forLinux() }),
    };
    c.addCapacity('Imported', { instanceType: new ec2.InstanceType('t3.small'), machineImage: imported });
    expect(capacityFacts(c).map(({ path, amiId, amiParameter }) => ({ path, amiId, amiParameter }))).toEqual([
      { path: 'Stack/Cluster/Shared', amiId: undefined, amiParameter: undefined },
      { path: 'Stack/Cluster/Imported', amiId: undefined, amiParameter: undefined },
    ]);
  });

  test('a cluster without capacity has none', () => {
    expect(capacityFacts(cluster(stack()))).toEqual([]);
  });
});

describe('namespaceLocation', () => {
  const fake = (namespaceArn: string, scope: Construct) => ({ namespaceArn, cloudMapNamespace: scope }) as unknown as IServiceConnectNamespace;

  test('reads the region and account of a literal ARN', () => {
    expect(namespaceLocation(fake('arn:aws:servicediscovery:eu-west-1:222222222222:namespace/ns-1', stack())))
      .toEqual({ region: 'eu-west-1', account: '222222222222' });
  });

  test('leaves empty ARN fields unknown', () => {
    expect(namespaceLocation(fake('arn:aws:servicediscovery:::namespace/ns-1', stack()))).toEqual({ region: undefined, account: undefined });
  });

  test('falls back to the namespace stack\'s environment for a token ARN', () => {
    const arn = Lazy.string({ produce: () => 'x' });
    expect(namespaceLocation(fake(arn, stack({ env: { region: 'eu-west-1', account: '222222222222' } }))))
      .toEqual({ region: 'eu-west-1', account: '222222222222' });
    expect(namespaceLocation(fake(arn, stack()))).toEqual({ region: undefined, account: undefined });
  });
});

describe('templateView: the resource as the template will hold it', () => {
  test('overrides applied, the L1 casing, intrinsics and user maps kept as they are', () => {
    const holder = new Stack();
    const task = new ecs.CfnTaskDefinition(holder, 'Task', {
      cpu: '1 vCPU',
      memory: '2 GB',
      containerDefinitions: [{ name: 'app', image: 'busybox', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } }],
    });
    task.addPropertyOverride('ContainerDefinitions.0.Memory', 512);
    task.addPropertyOverride('NetworkMode', { 'Fn::If': ['C', 'awsvpc', 'bridge'] });
    const view = templateView(task);
    expect(view.containerDefinitions[0]).toMatchObject({ name: 'app', memory: 512, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } });
    expect(view.networkMode).toEqual({ 'Fn::If': ['C', 'awsvpc', 'bridge'] });
  });

  test('task sizes with units, as ECS takes them', () => {
    const holder = new Stack();
    const facts = (cpu: string | undefined, memory: string | undefined) => {
      const task = new ecs.CfnTaskDefinition(holder, `T${cpu}${memory}`, { cpu, memory, containerDefinitions: [] });
      const f = cfnTaskFacts(task, false);
      return [f.cpu, f.memoryMiB];
    };
    expect(facts('1 vCPU', '2 GB')).toEqual([1024, 2048]);
    expect(facts('0.25 vcpu', '0.5GB')).toEqual([256, 512]);
    expect(facts('512', '1024')).toEqual([512, 1024]);
    expect(facts('1 GB', '2 vCPU')).toEqual([undefined, undefined]);
    expect(facts('1.5', 'lots')).toEqual([undefined, undefined]);
  });

  test('a FARGATE or FARGATE_SPOT strategy names no Managed Instances provider; a mixed one is looked up', () => {
    const holder = new Stack();
    const service = new ecs.CfnService(holder, 'S', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }, { capacityProvider: 'FARGATE_SPOT' }] });
    expect(managedInstancesProviders(service)).toEqual([]);
    const mixed = new ecs.CfnService(holder, 'M', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }, { capacityProvider: 'Other' }] });
    expect(managedInstancesProviders(mixed)).toEqual([]);
  });
});
