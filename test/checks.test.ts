import { App, Aspects, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClientServerService, ServiceConnectChecks, ServiceConnectRules } from '../src';
import { TestEnv } from './util';

/*
 * ServiceConnectChecks on apps built with plain aws-cdk-lib: L2 FargateService / Ec2Service and pure L1
 * CfnService / CfnTaskDefinition, none of the library's constructs (except where a test says so).
 */

const NAMESPACE_ARN = 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-0123456789abcdef';
/** What an awsvpc CfnService needs besides Service Connect (keeps the template valid). */
const NETWORK: ecs.CfnService.NetworkConfigurationProperty = { awsvpcConfiguration: { subnets: ['subnet-0123456789abcdef0'] } };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest');

interface PlainApp {
  readonly app: App;
  readonly stack: Stack;
  readonly cluster: ecs.Cluster;
}

/** An app with one stack, a VPC and a cluster, and the checks applied to the whole app. */
function plainApp(): PlainApp {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  Aspects.of(app).add(new ServiceConnectChecks());
  return { app, stack, cluster };
}

interface PlainTaskOptions {
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
  readonly containerCpu?: number;
  readonly containerMemoryMiB?: number;
  readonly runtimePlatform?: ecs.RuntimePlatform;
}

/** A Fargate task definition (1024 CPU, 2048 MiB) with one container (512 MiB) and a port mapping named `http`. */
function plainFargateTask(stack: Stack, id: string, options: PlainTaskOptions = {}): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, id, {
    cpu: options.cpu ?? 1024, memoryLimitMiB: options.memoryLimitMiB ?? 2048, runtimePlatform: options.runtimePlatform,
  });
  task.addContainer('app', {
    image: IMAGE,
    cpu: options.containerCpu,
    memoryLimitMiB: options.containerMemoryMiB ?? 512,
    portMappings: [{ name: 'http', containerPort: 8080 }],
  });
  return task;
}

/** An L2 Fargate service with a Service Connect server configuration on the `http` port mapping. */
function plainFargateService(
  env: PlainApp, id: string, taskDefinition: ecs.FargateTaskDefinition, props: Partial<ecs.FargateServiceProps> = {},
): ecs.FargateService {
  return new ecs.FargateService(env.stack, id, {
    cluster: env.cluster,
    taskDefinition,
    serviceConnectConfiguration: { namespace: NAMESPACE_ARN, services: [{ portMappingName: 'http' }] },
    ...props,
  });
}

const WINDOWS: ecs.RuntimePlatform = {
  operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64,
};

/** The rule id an annotation of the library is about: `[RuleId] ...` for errors, the `[ack: cdk-service-connect:RuleId]` tag for warnings. */
function ruleIdOf(message: string): string {
  return /\[ack: cdk-service-connect:(\w+)\]/.exec(message)?.[1] ?? /^\[(\w+)\]/.exec(message)?.[1] ?? `unknown: ${message}`;
}

/** The library's findings on `stack`, as `level /construct/path RuleId`, sorted; aws-cdk-lib's own annotations left out. */
function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  const errors = annotations.findError('*', Match.stringLikeRegexp('^\\[\\w+\\] '))
    .map((m) => `error ${m.id} ${ruleIdOf(m.entry.data as string)}`);
  const warnings = annotations.findWarning('*', Match.stringLikeRegexp('\\[ack: cdk-service-connect:\\w+\\]'))
    .map((m) => `warning ${m.id} ${ruleIdOf(m.entry.data as string)}`);
  return [...errors, ...warnings].sort();
}

/** The text of the library's error annotations on `stack`. */
function errorMessages(stack: Stack): string[] {
  return Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('^\\[\\w+\\] ')).map((m) => m.entry.data as string);
}

describe('ServiceConnectChecks on a plain aws-cdk-lib app', () => {
  test('a well-formed Fargate server gets no finding, and the aspect does not throw on a plain app', () => {
    // GIVEN
    const env = plainApp();
    plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask'));
    // WHEN
    const synth = () => env.app.synth();
    // THEN
    expect(synth).not.toThrow();
    expect(findings(env.stack)).toEqual([]);
  });

  describe('WindowsNotSupported', () => {
    test('a Windows task definition is an error on the ECS service resource, in the library format', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask', { runtimePlatform: WINDOWS }));
      // THEN
      expect(findings(env.stack)).toEqual(['error /Stack/Api/Service WindowsNotSupported']);
      expect(errorMessages(env.stack)).toEqual([
        '[WindowsNotSupported] Stack/Api/Service: Windows containers cannot use Service Connect (found: operatingSystemFamily WINDOWS_SERVER_2022_CORE). '
        + 'Fix: run the service on a Linux runtime platform (`ecs.OperatingSystemFamily.LINUX`)',
      ]);
    });

    test('a Linux runtime platform passes', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask', {
        runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.ARM64 },
      }));
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });

    test('relax on the service silences it, with the reason recorded as info', () => {
      // GIVEN
      const env = plainApp();
      const relaxed = plainFargateService(env, 'Relaxed', plainFargateTask(env.stack, 'RelaxedTask', { runtimePlatform: WINDOWS }));
      plainFargateService(env, 'Other', plainFargateTask(env.stack, 'OtherTask', { runtimePlatform: WINDOWS }));
      // WHEN
      ServiceConnectRules.relax(relaxed, 'WindowsNotSupported', 'a proxy-less Windows test bed');
      // THEN
      expect(findings(env.stack)).toEqual(['error /Stack/Other/Service WindowsNotSupported']);
      Annotations.fromStack(env.stack).hasInfo('/Stack/Relaxed/Service',
        Match.stringLikeRegexp('^WindowsNotSupported relaxed: a proxy-less Windows test bed\\. Skipped: \\[WindowsNotSupported\\] Stack/Relaxed/Service: '));
    });
  });

  describe('FargatePlatformVersion', () => {
    test('a Fargate service pinned to 1.3.0 is an error', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask'), { platformVersion: ecs.FargatePlatformVersion.VERSION1_3 });
      // THEN
      expect(findings(env.stack)).toEqual(['error /Stack/Api/Service FargatePlatformVersion']);
      expect(errorMessages(env.stack)[0]).toContain('(found: platformVersion 1.3.0)');
    });

    test('1.4.0 passes', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask'), { platformVersion: ecs.FargatePlatformVersion.VERSION1_4 });
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });
  });

  describe('TaskMemoryRequired', () => {
    function ec2App(memoryMiB?: string): PlainApp {
      const env = plainApp();
      env.cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('t3.medium'), machineImage: ecs.EcsOptimizedImage.amazonLinux2() });
      const task = new ecs.TaskDefinition(env.stack, 'DbTask', { compatibility: ecs.Compatibility.EC2, networkMode: ecs.NetworkMode.AWS_VPC, memoryMiB });
      task.addContainer('db', { image: IMAGE, memoryLimitMiB: 512, portMappings: [{ name: 'pg', containerPort: 5432 }] });
      new ecs.Ec2Service(env.stack, 'Db', {
        cluster: env.cluster,
        taskDefinition: task,
        serviceConnectConfiguration: { namespace: NAMESPACE_ARN, services: [{ portMappingName: 'pg' }] },
      });
      return env;
    }

    test('an EC2 task definition with container limits only is an error naming the task definition', () => {
      // GIVEN
      const env = ec2App(undefined);
      // THEN
      expect(findings(env.stack)).toEqual(['error /Stack/Db/Service TaskMemoryRequired']);
      expect(errorMessages(env.stack)[0]).toContain('(found: task definition Stack/DbTask has no task-level memory)');
    });

    test('task-level memory above the container limits passes', () => {
      // GIVEN
      const env = ec2App('1024');
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });
  });

  describe('PortMappingNameExists', () => {
    function withPortName(portName: string): PlainApp {
      const env = plainApp();
      const service = plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask'), { serviceConnectConfiguration: undefined });
      // The L2 refuses an unknown port mapping name, so the configuration goes on the L1 directly.
      const cfnService = service.node.defaultChild as ecs.CfnService;
      cfnService.serviceConnectConfiguration = { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName }] };
      return env;
    }

    test('an endpoint naming a port mapping the task definition lacks is an error listing the names it has', () => {
      // GIVEN
      const env = withPortName('grpc');
      // THEN
      expect(findings(env.stack)).toEqual(['error /Stack/Api/Service PortMappingNameExists']);
      expect(errorMessages(env.stack)[0]).toContain("(found: portMappingName 'grpc'; named port mappings: 'http')");
    });

    test('an endpoint naming an existing port mapping passes', () => {
      // GIVEN
      const env = withPortName('http');
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });
  });

  describe('warnings', () => {
    test('ProxyCpuHeadroom is a warning annotation with id cdk-service-connect:ProxyCpuHeadroom, not an error', () => {
      // GIVEN: 1024 task CPU, 832 for the container, 192 for the proxy
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask', { containerCpu: 832 }));
      // THEN
      expect(findings(env.stack)).toEqual(['warning /Stack/Api/Service ProxyCpuHeadroom']);
      Annotations.fromStack(env.stack).hasWarning('/Stack/Api/Service', Match.stringLikeRegexp(
        '^\\[ProxyCpuHeadroom\\] Stack/Api/Service: .*\\(found: 192 units \\(task 1024, containers 832\\)\\)\\. Fix: add 64 CPU units.* \\[ack: cdk-service-connect:ProxyCpuHeadroom\\]$'));
    });

    test('exactly 256 CPU units for the proxy passes', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Api', plainFargateTask(env.stack, 'ApiTask', { containerCpu: 768 }));
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });

    test('FargateMinimumMemory warns below 1024 MiB and passes at 1024 MiB', () => {
      // GIVEN
      const env = plainApp();
      plainFargateService(env, 'Small', plainFargateTask(env.stack, 'SmallTask', { cpu: 256, memoryLimitMiB: 512, containerMemoryMiB: 256 }));
      plainFargateService(env, 'Floor', plainFargateTask(env.stack, 'FloorTask', { cpu: 512, memoryLimitMiB: 1024, containerMemoryMiB: 256 }));
      // THEN
      expect(findings(env.stack)).toEqual(['warning /Stack/Small/Service FargateMinimumMemory']);
    });
  });

  describe('which services are checked', () => {
    test('a service without a Service Connect configuration, or with it turned off, is not checked', () => {
      // GIVEN: Windows tasks, which would be an error with Service Connect
      const env = plainApp();
      new ecs.FargateService(env.stack, 'NoConfig', { cluster: env.cluster, taskDefinition: plainFargateTask(env.stack, 'NoConfigTask', { runtimePlatform: WINDOWS }) });
      const off = new ecs.FargateService(env.stack, 'Off', { cluster: env.cluster, taskDefinition: plainFargateTask(env.stack, 'OffTask', { runtimePlatform: WINDOWS }) });
      (off.node.defaultChild as ecs.CfnService).serviceConnectConfiguration = { enabled: false };
      // THEN
      expect(findings(env.stack)).toEqual([]);
    });

    function pureL1(osFamily: string, taskReference: (task: ecs.CfnTaskDefinition) => string): Stack {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const task = new ecs.CfnTaskDefinition(stack, 'Task', {
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1024',
        memory: '2048',
        runtimePlatform: { operatingSystemFamily: osFamily, cpuArchitecture: 'X86_64' },
        containerDefinitions: [{ name: 'app', image: 'busybox', memory: 512, portMappings: [{ name: 'http', containerPort: 8080 }] }],
      });
      new ecs.CfnService(stack, 'Service', {
        cluster: 'my-cluster',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        taskDefinition: taskReference(task),
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http' }] },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      return stack;
    }

    test('a pure L1 app (CfnTaskDefinition, CfnService with Ref) is checked', () => {
      expect(findings(pureL1('WINDOWS_SERVER_2019_FULL', (task) => task.ref))).toEqual(['error /Stack/Service WindowsNotSupported']);
      expect(findings(pureL1('LINUX', (task) => task.ref))).toEqual([]);
    });

    test('a task definition named by an Fn.ref of its logical id is found too', () => {
      expect(findings(pureL1('WINDOWS_SERVER_2019_FULL', (task) => Fn.ref(Stack.of(task).getLogicalId(task))))).toEqual(['error /Stack/Service WindowsNotSupported']);
    });

    test('a task definition in another stack is the one checked, even when the service\'s stack has one with the same logical id', () => {
      // GIVEN: both stacks have a task definition at `Task`, so both have the same logical id
      const app = new App();
      const tasks = new Stack(app, 'Tasks');
      const services = new Stack(app, 'Services');
      const taskIn = (stack: Stack, osFamily: string) => new ecs.CfnTaskDefinition(stack, 'Task', {
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1024',
        memory: '2048',
        runtimePlatform: { operatingSystemFamily: osFamily },
        containerDefinitions: [{ name: 'app', image: 'busybox', memory: 512, portMappings: [{ name: 'http', containerPort: 8080 }] }],
      });
      const windowsTask = taskIn(tasks, 'WINDOWS_SERVER_2022_CORE');
      taskIn(services, 'LINUX');
      new ecs.CfnService(services, 'Service', {
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        taskDefinition: windowsTask.ref,
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http' }] },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(findings(services)).toEqual(['error /Services/Service WindowsNotSupported']);
    });

    test('a service the library attached to gets no annotation from the aspect', () => {
      // GIVEN: a plain Fargate service below the Fargate floor, which the library warns about itself once attached
      const env = new TestEnv();
      const service = new ecs.FargateService(env.stack, 'Orders', {
        cluster: env.cluster,
        taskDefinition: plainFargateTask(env.stack, 'OrdersTask', { cpu: 256, memoryLimitMiB: 512, containerMemoryMiB: 256 }),
      });
      ClientServerService.attach(env.stack, 'OrdersConnect', { service, namespace: env.namespace, endpoints: [{ portMappingName: 'http' }] });
      // WHEN
      Aspects.of(env.app).add(new ServiceConnectChecks());
      // THEN
      expect(findings(env.stack).filter((f) => f.endsWith('FargateMinimumMemory'))).toEqual(['warning /Stack/OrdersConnect FargateMinimumMemory']);
    });

    test('a library-built service gets no annotation from the aspect; a plain one beside it does', () => {
      // GIVEN: a ClientServerService whose task is below the Fargate floor (the library warns itself), and a plain Windows service
      const env = new TestEnv();
      const task = plainFargateTask(env.stack, 'ApiTask', { cpu: 256, memoryLimitMiB: 512, containerMemoryMiB: 256 });
      new ClientServerService(env.stack, 'Api', { cluster: env.cluster, namespace: env.namespace, taskDefinition: task, endpoints: [{ portMappingName: 'http' }] });
      plainFargateService({ app: env.app, stack: env.stack, cluster: env.cluster }, 'Plain',
        plainFargateTask(env.stack, 'PlainTask', { runtimePlatform: WINDOWS }));
      // WHEN
      Aspects.of(env.app).add(new ServiceConnectChecks());
      // THEN: the library's own warning is on its construct, once; nothing on its ECS service resource (Api/Service/Service)
      expect(findings(env.stack)).toEqual([
        'error /Stack/Plain/Service WindowsNotSupported',
        'warning /Stack/Api FargateMinimumMemory',
      ]);
    });
  });

  describe('odd input', () => {
    test('a task definition outside the app (an ARN) is not guessed at: no TypeError, no port-mapping finding, the service itself still checked', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      new ecs.CfnService(stack, 'Service', {
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        platformVersion: '1.3.0',
        taskDefinition: 'arn:aws:ecs:us-east-1:111111111111:task-definition/api:7',
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http' }] },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(() => app.synth()).not.toThrow();
      expect(findings(stack)).toEqual(['error /Stack/Service FargatePlatformVersion']);
    });

    test('tokens in the configuration and the task definition are skipped, not reported as [object Object]', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const name = new CfnParameter(stack, 'DiscoveryName').valueAsString;
      const port = new CfnParameter(stack, 'ListenPort', { type: 'Number' }).valueAsNumber;
      const cpu = new CfnParameter(stack, 'TaskCpu').valueAsString;
      const task = new ecs.CfnTaskDefinition(stack, 'Task', {
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu,
        memory: '2048',
        containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 1000, memory: 512, portMappings: [{ name: 'http', containerPort: 8080 }] }],
      });
      new CfnCondition(stack, 'UseSpot', { expression: Fn.conditionEquals(cpu, '1024') });
      new ecs.CfnService(stack, 'Service', {
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        taskDefinition: task.ref,
        capacityProviderStrategy: Fn.conditionIf('UseSpot', [], []) as any,
        serviceConnectConfiguration: {
          enabled: true,
          namespace: Fn.importValue('NamespaceArn'),
          services: [{ portName: 'http', discoveryName: name, ingressPortOverride: port, clientAliases: [{ port, dnsName: name }] }],
        },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(() => app.synth()).not.toThrow();
      expect(findings(stack)).toEqual([]);
    });

    test('containers given as an intrinsic are not read: no port-mapping finding and no headroom guess', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      new CfnCondition(stack, 'Big', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Size').valueAsString, 'big') });
      const task = new ecs.CfnTaskDefinition(stack, 'Task', {
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '1024',
        containerDefinitions: Fn.conditionIf('Big', [{ Name: 'a', Image: 'busybox', Cpu: 256 }], [{ Name: 'b', Image: 'busybox', Cpu: 256 }]) as any,
      });
      new ecs.CfnService(stack, 'Service', {
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        taskDefinition: task.ref,
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http' }] },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(() => app.synth()).not.toThrow();
      expect(findings(stack)).toEqual([]);
    });

    test('a null container entry does not throw, and its port mappings are not guessed at', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const task = new ecs.CfnTaskDefinition(stack, 'Task', {
        requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '1024', memory: '2048', containerDefinitions: [null as any],
      });
      new ecs.CfnService(stack, 'Service', {
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        taskDefinition: task.ref,
        serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http' }] },
      });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(() => app.synth()).not.toThrow();
      expect(findings(stack)).toEqual([]);
    });

    test('a CfnService without a task definition or cluster does not throw', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      new ecs.CfnService(stack, 'Service', { serviceConnectConfiguration: { enabled: true, namespace: 'shop.internal' } });
      Aspects.of(app).add(new ServiceConnectChecks());
      // THEN
      expect(() => app.synth()).not.toThrow();
      expect(findings(stack)).toEqual([]);
    });
  });

  test('RULE_IDS lists the service rules that need no call graph, and none that does', () => {
    expect(ServiceConnectChecks.RULE_IDS).toEqual([
      'TaskMemoryRequired', 'TaskMemoryAboveContainers', 'ProxyMemoryHeadroom', 'ProxyCpuHeadroom', 'FargateMinimumMemory',
      'WindowsNotSupported', 'FargatePlatformVersion', 'Ec2InstanceAmi', 'BottlerocketNotSupported', 'Ec2InstancePollPermission',
      'ManagedInstancesUnconfirmed', 'ExternalNotSupported', 'RollingDeploymentOnly', 'EndpointRequired', 'PortMappingNameExists',
      'PortNameNetworkMode', 'DiscoveryNameFormat', 'EndpointPort', 'IngressPortOverride', 'BridgeIngressPortOverride', 'PerRequestTimeoutProtocol',
      'NamespaceNameFormat', 'NamespaceSameRegion', 'RegionSupported', 'ServiceNameFormat', 'TlsNetworkMode', 'TlsCertificateAuthorityArn', 'AccessLogsNeedProxyLogs', 'TestTrafficProtocol', 'TestTrafficHeaderName', 'BlueGreenBakeTime',
    ]);
    for (const id of ['ConnectCycle', 'ConnectAcrossNamespaces', 'CrossVpcConnectivity', 'SharedSecurityGroup', 'ServiceConnectConfigurationConflict']) {
      expect(ServiceConnectChecks.RULE_IDS).not.toContain(id);
      expect(ServiceConnectRules.RULE_IDS).toContain(id);
    }
  });
});

describe('ServiceConnectChecks reads what the template will hold: property overrides, and the launch type as ECS infers it', () => {
  /** A pure L1 Fargate-compatible task (1024 CPU, 2048 MiB) and service; `service` takes the props to override. */
  function l1(stackProps: { memory?: string } = {}) {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const task = new ecs.CfnTaskDefinition(stack, 'Task', {
      requiresCompatibilities: ['FARGATE', 'EC2'],
      networkMode: 'awsvpc',
      cpu: '1024',
      memory: stackProps.memory ?? '2048',
      containerDefinitions: [{ name: 'app', image: 'busybox', memory: 512, portMappings: [{ name: 'http', containerPort: 8080 }] }],
    });
    const service = new ecs.CfnService(stack, 'Service', {
      taskDefinition: task.ref,
      networkConfiguration: NETWORK,
      serviceConnectConfiguration: { enabled: true, namespace: NAMESPACE_ARN, services: [{ portName: 'http', clientAliases: [{ port: 80 }] }] },
    });
    Aspects.of(app).add(new ServiceConnectChecks());
    return { app, stack, task, service };
  }

  test('containers set by a property override are read: no false PortMappingNameExists', () => {
    const { app, stack, task, service } = l1();
    service.addPropertyOverride('ServiceConnectConfiguration.Services', [{ PortName: 'grpc', ClientAliases: [{ Port: 80 }] }]);
    task.addPropertyOverride('ContainerDefinitions', [{ Name: 'app', Image: 'busybox', Memory: 512, PortMappings: [{ Name: 'grpc', ContainerPort: 9090 }] }]);
    app.synth();
    expect(findings(stack)).toEqual([]);
  });

  test('a configuration set by a property override is checked', () => {
    const { app, stack, service } = l1();
    service.addPropertyOverride('ServiceConnectConfiguration.Services.0.DiscoveryName', 'Bad Name');
    app.synth();
    // the discovery name, and the DNS name that defaults to it
    expect(findings(stack)).toEqual(['error /Stack/Service DiscoveryNameFormat', 'error /Stack/Service DiscoveryNameFormat']);
  });

  test('test-traffic rules on a TCP alias, and BLUE_GREEN without a bake time, set by overrides, are found', () => {
    const { app, stack, service } = l1();
    service.addPropertyOverride('ServiceConnectConfiguration.Services.0.ClientAliases.0.TestTrafficRules', { Header: { Name: 'x-test' } });
    service.addPropertyOverride('DeploymentConfiguration', { Strategy: 'BLUE_GREEN' });
    app.synth();
    expect(findings(stack)).toEqual(['error /Stack/Service BlueGreenBakeTime', 'error /Stack/Service TestTrafficProtocol']);
  });

  test('a FARGATE_SPOT capacity provider strategy is Fargate: the Fargate platform rule applies', () => {
    const { app, stack, service } = l1();
    service.capacityProviderStrategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
    service.platformVersion = '1.3.0';
    app.synth();
    expect(findings(stack)).toEqual(['error /Stack/Service FargatePlatformVersion']);
  });

  test('task memory written in GB is read', () => {
    const { app, stack, task } = l1({ memory: '0.5 GB' });
    task.addPropertyOverride('Cpu', '1 vCPU');
    app.synth();
    expect(findings(stack)).toEqual(expect.arrayContaining(['error /Stack/Service TaskMemoryAboveContainers']));
  });
});
