import { serviceFacts } from './facts';
import { SERVICE_RULES } from '../../src/rules/catalog';
import {
  fargateMinimumMemory, portNameNetworkMode, proxyCpuHeadroom, proxyMemoryHeadroom, taskMemoryAboveContainers, taskMemoryRequired,
  windowsNotSupported,
} from '../../src/rules/task-rules';

test('the baseline service breaks no service rule', () => {
  for (const rule of SERVICE_RULES) {
    expect({ id: rule.id, findings: rule.check(serviceFacts()) }).toEqual({ id: rule.id, findings: [] });
  }
});

describe('TaskMemoryRequired', () => {
  test('fires when the task sets no memory, naming the task definition', () => {
    expect(taskMemoryRequired.check(serviceFacts({ task: { memorySet: false, memoryMiB: undefined } }))).toEqual([{
      problem: 'Service Connect needs a task memory limit, which the proxy shares',
      value: 'task definition App/Stack/ApiTask has no task-level memory',
    }]);
  });

  test('is quiet when memory is set, even as a token', () => {
    expect(taskMemoryRequired.check(serviceFacts({ task: { memorySet: true, memoryMiB: undefined } }))).toEqual([]);
  });
});

describe('TaskMemoryAboveContainers', () => {
  test('fires when the containers take exactly the task memory', () => {
    expect(taskMemoryAboveContainers.check(serviceFacts({ task: { memoryMiB: 1024, containerMemoryMiB: 1024 } }))).toEqual([{
      problem: 'the containers\' memory limits take all of the task memory',
      value: 'task memory 1024 MiB, container limits 1024 MiB',
    }]);
  });

  test('fires when the containers take more than the task memory', () => {
    expect(taskMemoryAboveContainers.check(serviceFacts({ task: { memoryMiB: 512, containerMemoryMiB: 1024 } }))).toHaveLength(1);
  });

  test.each([
    ['one MiB to spare', { memoryMiB: 1025, containerMemoryMiB: 1024 }],
    ['task memory unknown', { memoryMiB: undefined, containerMemoryMiB: 1024 }],
    ['container values unresolved', { memoryMiB: 512, containerMemoryMiB: 1024, containerValuesUnresolved: true }],
    ['no container limits', { memoryMiB: 512, containerMemoryMiB: 0 }],
  ])('is quiet with %s', (_name, task) => {
    expect(taskMemoryAboveContainers.check(serviceFacts({ task }))).toEqual([]);
  });
});

describe('ProxyMemoryHeadroom', () => {
  test('fires below 64 MiB, with the exact shortfall in the fix', () => {
    expect(proxyMemoryHeadroom.check(serviceFacts({ task: { memoryMiB: 1087, containerMemoryMiB: 1024 } }))).toEqual([{
      problem: 'the proxy gets less than the 64 MiB the guide recommends',
      value: '63 MiB (task 1087 MiB, container limits 1024 MiB)',
      fix: 'add 1 MiB to the task memory, or lower the container limits',
    }]);
  });

  test('is quiet at exactly 64 MiB', () => {
    expect(proxyMemoryHeadroom.check(serviceFacts({ task: { memoryMiB: 1088, containerMemoryMiB: 1024 } }))).toEqual([]);
  });

  test('asks for 128 MiB in a namespace over the size threshold', () => {
    expect(proxyMemoryHeadroom.check(serviceFacts({ largeNamespace: true, task: { memoryMiB: 1124, containerMemoryMiB: 1024 } }))).toEqual([{
      problem: 'the proxy gets less than the 128 MiB the guide recommends in a namespace over the size threshold',
      value: '100 MiB (task 1124 MiB, container limits 1024 MiB)',
      fix: 'add 28 MiB to the task memory, or lower the container limits',
    }]);
    expect(proxyMemoryHeadroom.check(serviceFacts({ largeNamespace: true, task: { memoryMiB: 1152, containerMemoryMiB: 1024 } }))).toEqual([]);
  });

  test.each([
    ['task memory unknown', { memoryMiB: undefined }],
    ['container values unresolved', { memoryMiB: 1030, containerValuesUnresolved: true }],
    ['a task the library sized', { memoryMiB: 1030, managed: true }],
    ['containers at the limit (TaskMemoryAboveContainers reports it)', { memoryMiB: 1024 }],
    ['containers over the limit', { memoryMiB: 1000 }],
  ])('is quiet with %s', (_name, task) => {
    expect(proxyMemoryHeadroom.check(serviceFacts({ task: { containerMemoryMiB: 1024, ...task } }))).toEqual([]);
  });
});

describe('ProxyCpuHeadroom', () => {
  test('fires below 256 units, with the exact shortfall in the fix', () => {
    expect(proxyCpuHeadroom.check(serviceFacts({ task: { cpu: 1024, containerCpu: 769 } }))).toEqual([{
      problem: 'the proxy gets less than the 256 CPU units the guide recommends',
      value: '255 units (task 1024, containers 769)',
      fix: 'add 1 CPU units to the task CPU, or lower the containers\' CPU',
    }]);
  });

  test('is quiet at exactly 256 units', () => {
    expect(proxyCpuHeadroom.check(serviceFacts({ task: { cpu: 1024, containerCpu: 768 } }))).toEqual([]);
  });

  test('asks for 512 units above 500 requests/s, and 256 at exactly 500', () => {
    const task = { cpu: 1024, containerCpu: 768 };
    expect(proxyCpuHeadroom.check(serviceFacts({ expectedPeakRequestsPerSecond: 501, task }))).toEqual([{
      problem: 'the proxy gets less than the 512 CPU units the guide recommends above 500 requests/s',
      value: '256 units (task 1024, containers 768)',
      fix: 'add 256 CPU units to the task CPU, or lower the containers\' CPU',
    }]);
    expect(proxyCpuHeadroom.check(serviceFacts({ expectedPeakRequestsPerSecond: 500, task }))).toEqual([]);
  });

  test('counts containers over the task CPU as negative headroom', () => {
    expect(proxyCpuHeadroom.check(serviceFacts({ task: { cpu: 256, containerCpu: 512 } }))[0].value).toEqual('-256 units (task 256, containers 512)');
  });

  test.each([
    ['task CPU unknown', { cpu: undefined }],
    ['container values unresolved', { containerValuesUnresolved: true }],
    ['a task the library sized', { managed: true }],
  ])('is quiet with %s', (_name, task) => {
    expect(proxyCpuHeadroom.check(serviceFacts({ task: { cpu: 512, containerCpu: 512, ...task } }))).toEqual([]);
  });
});

describe('FargateMinimumMemory', () => {
  test('fires on a Fargate task under 1024 MiB', () => {
    expect(fargateMinimumMemory.check(serviceFacts({ task: { memoryMiB: 1023, containerMemoryMiB: 512 } }))).toEqual([{
      problem: 'the Fargate task has less memory than the guide\'s floor for Service Connect',
      value: '1023 MiB',
    }]);
  });

  test.each([
    ['exactly 1024 MiB on Fargate', 'FARGATE', 1024],
    ['512 MiB on EC2', 'EC2', 512],
    ['unknown memory on Fargate', 'FARGATE', undefined],
  ])('is quiet with %s', (_name, launchType, memoryMiB) => {
    expect(fargateMinimumMemory.check(serviceFacts({ launchType, task: { memoryMiB, containerMemoryMiB: 256 } }))).toEqual([]);
  });
});

describe('WindowsNotSupported', () => {
  test.each(['WINDOWS_SERVER_2022_CORE', 'WINDOWS_SERVER_2019_FULL'])('fires on %s', (osFamily) => {
    expect(windowsNotSupported.check(serviceFacts({ task: { osFamily } }))).toEqual([{
      problem: 'Windows containers cannot use Service Connect',
      value: `operatingSystemFamily ${osFamily}`,
    }]);
  });

  test.each([['LINUX'], [undefined]])('is quiet on %s', (osFamily) => {
    expect(windowsNotSupported.check(serviceFacts({ task: { osFamily } }))).toEqual([]);
  });
});

describe('PortNameNetworkMode', () => {
  test.each(['host', 'none'])('fires on a server in %s mode', (networkMode) => {
    expect(portNameNetworkMode.check(serviceFacts({ task: { networkMode } }))).toEqual([{
      problem: 'Service Connect endpoints need named port mappings, which only awsvpc and bridge network modes have',
      value: `networkMode ${networkMode}`,
    }]);
  });

  test.each([['awsvpc'], ['bridge'], [undefined]])('is quiet on a server in %s mode', (networkMode) => {
    expect(portNameNetworkMode.check(serviceFacts({ task: { networkMode } }))).toEqual([]);
  });

  test('is quiet on a client, which needs no named port mapping', () => {
    expect(portNameNetworkMode.check(serviceFacts({ isServer: false, task: { networkMode: 'host' } }))).toEqual([]);
  });
});
