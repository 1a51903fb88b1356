import { describe, expect, it } from 'vitest';
import type { Arrival } from './analyse.ts';
import { firstOnTimeFire } from './first-fire.ts';

const arrival = (scheduledAt: number, arrivedAt: number): Arrival => ({ jobId: 'a', scheduledAt, arrivedAt, key: `a:${scheduledAt}` });

describe('firstOnTimeFire', () => {
  it('takes the earliest arrival of an instant at or after the spawn that was on time', () => {
    const arrivals = [arrival(12_000, 12_040), arrival(11_000, 11_900), arrival(13_000, 13_010)];
    expect(firstOnTimeFire(arrivals, 10_500, 100)).toEqual({ scheduledAt: 12_000, arrivedAt: 12_040, lagMs: 40 });
  });

  it('skips catch-up fires of instants before the spawn and late fires', () => {
    const arrivals = [arrival(9_000, 11_000), arrival(10_000, 10_010), arrival(11_000, 11_500), arrival(12_000, 12_001)];
    expect(firstOnTimeFire(arrivals, 10_500, 100)).toEqual({ scheduledAt: 12_000, arrivedAt: 12_001, lagMs: 1 });
  });

  it('counts an instant equal to the spawn and ignores arrivals without one', () => {
    expect(firstOnTimeFire([arrival(Number.NaN, 10_000), arrival(10_000, 10_005)], 10_000, 10)?.scheduledAt).toBe(10_000);
  });

  it('is null when nothing arrived on time', () => {
    expect(firstOnTimeFire([arrival(11_000, 13_000)], 10_000, 1_000)).toBeNull();
    expect(firstOnTimeFire([], 10_000, 1_000)).toBeNull();
  });
});
