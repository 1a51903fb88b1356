import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect-delay.ts';

describe('reconnectDelayMs', () => {
  it.each([
    [0, 500],
    [1, 1_000],
    [3, 4_000],
    [4, 5_000],
    [40, 5_000],
  ])('waits %i retries -> %i ms before jitter', (retries, expected) => {
    expect(reconnectDelayMs(retries, () => 0)).toBe(expected);
  });

  it('adds less than half a second of jitter', () => {
    expect(reconnectDelayMs(0, () => 0.999)).toBe(999);
  });
});
