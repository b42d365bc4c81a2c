import { FARGATE_MIN_MEMORY_MIB, proxyHeadroom } from '../sizing';
import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

export const taskMemoryRequired: Rule<ServiceFacts> = {
  id: 'TaskMemoryRequired',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The task definition sets no task-level memory (EC2 task definitions with container limits only).',
  fix: 'set `memoryMiB` on the task definition to the containers\' memory plus at least 64 MiB for the proxy, or pass `container` instead of `taskDefinition` and let the library size the task',
  seed: 'Service Connect proxy; Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => (svc.task.memorySet ? [] : [{
    problem: 'Service Connect needs a task memory limit, which the proxy shares',
    value: `task definition ${svc.task.path} has no task-level memory`,
  }]),
};

export const taskMemoryAboveContainers: Rule<ServiceFacts> = {
  id: 'TaskMemoryAboveContainers',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'Task memory is not greater than the sum of the containers\' memory limits, leaving nothing for the proxy.',
  fix: 'raise the task memory above the sum of the container memory limits (by at least 64 MiB), or lower the limits',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => {
    const { memoryMiB, containerMemoryMiB, containerValuesUnresolved } = svc.task;
    if (memoryMiB === undefined || containerValuesUnresolved || memoryMiB > containerMemoryMiB) {
      return [];
    }
    return [{
      problem: 'the containers\' memory limits take all of the task memory',
      value: `task memory ${memoryMiB} MiB, container limits ${containerMemoryMiB} MiB`,
    }];
  },
};

export const proxyMemoryHeadroom: Rule<ServiceFacts> = {
  id: 'ProxyMemoryHeadroom',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'Task memory minus container memory limits is below 64 MiB (128 MiB when the namespace crosses the size threshold).',
  fix: 'add the missing memory to the task definition\'s memory, or lower the container limits',
  seed: 'Service Connect proxy',
  source: Source.PROXY,
  check: (svc) => {
    const { memoryMiB, containerMemoryMiB, containerValuesUnresolved, managed } = svc.task;
    if (memoryMiB === undefined || containerValuesUnresolved || managed || memoryMiB <= containerMemoryMiB) {
      return []; // at or below the limits is TaskMemoryAboveContainers' error
    }
    const needed = proxyHeadroom(undefined, svc.largeNamespace).memoryMiB;
    const headroom = memoryMiB - containerMemoryMiB;
    return headroom >= needed ? [] : [{
      problem: `the proxy gets less than the ${needed} MiB the guide recommends${svc.largeNamespace ? ' in a namespace over the size threshold' : ''}`,
      value: `${headroom} MiB (task ${memoryMiB} MiB, container limits ${containerMemoryMiB} MiB)`,
      fix: `add ${needed - headroom} MiB to the task memory, or lower the container limits`,
    }];
  },
};

export const proxyCpuHeadroom: Rule<ServiceFacts> = {
  id: 'ProxyCpuHeadroom',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'Task CPU minus container CPU is below 256 units (512 when the service expects a peak above 500 requests/s).',
  fix: 'add the missing CPU units to the task definition\'s CPU, or lower the containers\' CPU',
  seed: 'Service Connect proxy',
  source: Source.PROXY,
  check: (svc) => {
    const { cpu, containerCpu, containerValuesUnresolved, managed } = svc.task;
    if (cpu === undefined || containerValuesUnresolved || managed) {
      return [];
    }
    const needed = proxyHeadroom(svc.expectedPeakRequestsPerSecond, false).cpu;
    const headroom = cpu - containerCpu;
    return headroom >= needed ? [] : [{
      problem: `the proxy gets less than the ${needed} CPU units the guide recommends${needed > 256 ? ' above 500 requests/s' : ''}`,
      value: `${headroom} units (task ${cpu}, containers ${containerCpu})`,
      fix: `add ${needed - headroom} CPU units to the task CPU, or lower the containers' CPU`,
    }];
  },
};

export const fargateMinimumMemory: Rule<ServiceFacts> = {
  id: 'FargateMinimumMemory',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'A Fargate task has less than 1024 MiB, the guide\'s stated floor for Service Connect on Fargate.',
  fix: 'give the Fargate task at least 1024 MiB of memory',
  seed: 'Service Connect proxy',
  source: Source.PROXY,
  check: (svc) => (svc.launchType === 'FARGATE' && svc.task.memoryMiB !== undefined && svc.task.memoryMiB < FARGATE_MIN_MEMORY_MIB ? [{
    problem: 'the Fargate task has less memory than the guide\'s floor for Service Connect',
    value: `${svc.task.memoryMiB} MiB`,
  }] : []),
};

export const windowsNotSupported: Rule<ServiceFacts> = {
  id: 'WindowsNotSupported',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The task definition\'s runtime platform is a Windows operating system family.',
  fix: 'run the service on a Linux runtime platform (`ecs.OperatingSystemFamily.LINUX`)',
  seed: 'Service Connect considerations',
  source: Source.CONSIDERATIONS,
  check: (svc) => (svc.task.osFamily?.startsWith('WINDOWS') ? [{
    problem: 'Windows containers cannot use Service Connect',
    value: `operatingSystemFamily ${svc.task.osFamily}`,
  }] : []),
};

export const portNameNetworkMode: Rule<ServiceFacts> = {
  id: 'PortNameNetworkMode',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'Named port mappings are used outside the awsvpc or bridge network mode.',
  fix: 'use the awsvpc (recommended) or bridge network mode for the task definition',
  seed: 'Service Connect parameters',
  source: Source.API_SERVICE,
  check: (svc) => {
    const mode = svc.task.networkMode;
    return svc.isServer && mode !== undefined && mode !== 'awsvpc' && mode !== 'bridge' ? [{
      problem: 'Service Connect endpoints need named port mappings, which only awsvpc and bridge network modes have',
      value: `networkMode ${mode}`,
    }] : [];
  },
};
