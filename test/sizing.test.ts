import { isValidFargateSize, proxyHeadroom, smallestFargateSize } from '../src/sizing';

describe('Fargate sizing', () => {
  test.each([
    // container + proxy headroom -> smallest valid pair (memory never below the guide's 1024 MiB floor)
    [{ cpu: 256 + 256, memoryMiB: 512 + 64 }, { cpu: 512, memoryMiB: 1024 }],
    [{ cpu: 256, memoryMiB: 960 + 64 }, { cpu: 256, memoryMiB: 1024 }],
    [{ cpu: 256, memoryMiB: 1025 }, { cpu: 256, memoryMiB: 2048 }],
    [{ cpu: 512, memoryMiB: 4097 }, { cpu: 1024, memoryMiB: 5120 }],
    [{ cpu: 1024 + 512, memoryMiB: 2048 + 128 }, { cpu: 2048, memoryMiB: 4096 }],
    [{ cpu: 4096 + 256, memoryMiB: 8192 }, { cpu: 8192, memoryMiB: 16384 }],
    [{ cpu: 16384, memoryMiB: 122880 }, { cpu: 16384, memoryMiB: 122880 }],
  ])('%o rounds up to %o', (required, expected) => {
    const size = smallestFargateSize(required);
    expect(size).toEqual(expected);
    expect(isValidFargateSize(expected)).toBe(true);
  });

  test('nothing fits above the largest Fargate size', () => {
    expect(smallestFargateSize({ cpu: 16384 + 1, memoryMiB: 1024 })).toBeUndefined();
    expect(smallestFargateSize({ cpu: 256, memoryMiB: 122880 + 1 })).toBeUndefined();
  });

  test('invalid pairs are recognized', () => {
    expect(isValidFargateSize({ cpu: 256, memoryMiB: 4096 })).toBe(false);
    expect(isValidFargateSize({ cpu: 8192, memoryMiB: 17408 })).toBe(false);
  });

  test('proxy headroom follows the guide: 256/64, 512 CPU above 500 rps, 128 MiB in a large namespace', () => {
    expect(proxyHeadroom(undefined, false)).toEqual({ cpu: 256, memoryMiB: 64 });
    expect(proxyHeadroom(500, false)).toEqual({ cpu: 256, memoryMiB: 64 });
    expect(proxyHeadroom(501, false)).toEqual({ cpu: 512, memoryMiB: 64 });
    expect(proxyHeadroom(10, true)).toEqual({ cpu: 256, memoryMiB: 128 });
  });
});
