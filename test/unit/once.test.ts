import { KeptOnceFinal } from '../../src/core/once';

describe('KeptOnceFinal', () => {
  test('computes anew on every read until final, then once, and keeps that value', () => {
    let final = false;
    let calls = 0;
    const kept = new KeptOnceFinal(() => final, () => ++calls);
    expect([kept.value, kept.value]).toEqual([1, 2]);
    final = true;
    expect([kept.value, kept.value, kept.value]).toEqual([3, 3, 3]);
    expect(calls).toBe(3);
  });

  test('keeps a value that is undefined, without computing it again', () => {
    let calls = 0;
    const kept = new KeptOnceFinal<string | undefined>(() => true, () => {
      calls++;
      return undefined;
    });
    expect([kept.value, kept.value]).toEqual([undefined, undefined]);
    expect(calls).toBe(1);
  });

  test('asks whether it is final only until it keeps a value', () => {
    let asked = 0;
    const kept = new KeptOnceFinal(() => {
      asked++;
      return true;
    }, () => 'value');
    expect([kept.value, kept.value]).toEqual(['value', 'value']);
    expect(asked).toBe(1);
  });
});
