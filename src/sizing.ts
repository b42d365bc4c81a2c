/**
 * Task sizing for Service Connect (seed, "Service Connect proxy"; SPEC section 5).
 * Pure functions: the service constructs feed them the container's size and the namespace's state.
 */

/** CPU units and memory the guide recommends adding for the proxy. */
export const PROXY_CPU = 256;
export const PROXY_CPU_HIGH_TRAFFIC = 512;
export const PROXY_MEMORY_MIB = 64;
export const PROXY_MEMORY_MIB_LARGE_NAMESPACE = 128;
/** Peak requests per second above which the proxy needs `PROXY_CPU_HIGH_TRAFFIC`. */
export const HIGH_TRAFFIC_RPS = 500;
/** Namespace size above which every task needs `PROXY_MEMORY_MIB_LARGE_NAMESPACE`. */
export const NAMESPACE_SERVICE_THRESHOLD = 100;
export const NAMESPACE_TASK_THRESHOLD = 2000;
/** The guide's lowest Fargate memory for Service Connect. */
export const FARGATE_MIN_MEMORY_MIB = 1024;

/** A task size: CPU units and MiB. */
export interface TaskSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Valid Fargate memory values (MiB) for each CPU value, per the ECS task size table. */
const FARGATE_SIZES: Array<{ cpu: number; memory: number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

/** The proxy headroom the guide recommends for a task. */
export function proxyHeadroom(expectedPeakRequestsPerSecond: number | undefined, largeNamespace: boolean): TaskSize {
  return {
    cpu: (expectedPeakRequestsPerSecond ?? 0) > HIGH_TRAFFIC_RPS ? PROXY_CPU_HIGH_TRAFFIC : PROXY_CPU,
    memoryMiB: largeNamespace ? PROXY_MEMORY_MIB_LARGE_NAMESPACE : PROXY_MEMORY_MIB,
  };
}

/**
 * The smallest valid Fargate size with at least `required` CPU and memory, and at least the guide's
 * Fargate memory floor. Smallest means least memory, then least CPU.
 *
 * @returns undefined when no Fargate size is large enough
 */
export function smallestFargateSize(required: TaskSize): TaskSize | undefined {
  const memoryFloor = Math.max(required.memoryMiB, FARGATE_MIN_MEMORY_MIB);
  let best: TaskSize | undefined;
  for (const row of FARGATE_SIZES) {
    if (row.cpu < required.cpu) {
      continue;
    }
    const memory = row.memory.find((m) => m >= memoryFloor);
    if (memory !== undefined && (!best || memory < best.memoryMiB || (memory === best.memoryMiB && row.cpu < best.cpu))) {
      best = { cpu: row.cpu, memoryMiB: memory };
    }
  }
  return best;
}

/** Whether `size` is a valid Fargate CPU/memory pair. */
export function isValidFargateSize(size: TaskSize): boolean {
  return FARGATE_SIZES.some((row) => row.cpu === size.cpu && row.memory.includes(size.memoryMiB));
}
