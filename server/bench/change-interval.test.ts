import { describe, expect, it } from 'vitest';
import type { Arrival } from './analyse.ts';
import { p99ChangeInterval } from './change-interval.ts';
import { alternatingPhases, lagByPhase } from './phases.ts';
import { changePercent } from './claims.ts';

/** 200 arrivals in every second of `seconds` from 0, each second's lags from `lagsOf(second)`. */
function arrivalsOver(seconds: number, lagsOf: (second: number, index: number) => number): Arrival[] {
  const arrivals: Arrival[] = [];
  for (let second = 0; second < seconds; second++) {
    for (let index = 0; index < 200; index++) {
      const scheduledAt = second * 1_000;
      arrivals.push({ jobId: `j${index}`, scheduledAt, arrivedAt: scheduledAt + lagsOf(second, index), key: `j${index}-${second}` });
    }
  }
  return arrivals;
}

describe('p99ChangeInterval', () => {
  const phases = alternatingPhases({ startMs: 0, seconds: 100 }, 10);
  const onSecond = (second: number) => phases.some((phase) => phase.on && second >= phase.startMs / 1_000 && second < phase.endMs / 1_000);

  it('holds a change the load makes in every phase alike, and leaves no change out', () => {
    // Lags 0–99 ms; in the phases with the load, 20 ms more.
    const arrivals = arrivalsOver(100, (second, index) => (index % 100) + (onSecond(second) ? 20 : 0));
    const interval = p99ChangeInterval(arrivals, phases)!;
    expect(interval.low).toBeCloseTo((20 / 98) * 100, 5);
    expect(interval.high).toBeCloseTo((20 / 98) * 100, 5);
    expect(interval.coverage).toBe(90);
  });

  it('is wide when phases differ by more than the load does, and holds the pooled change', () => {
    // The machine's slow stretches: every third phase, with or without the load, is 60 ms slower.
    const slow = (second: number) => Math.floor(second / 10) % 3 === 0;
    const arrivals = arrivalsOver(100, (second, index) => (index % 100) + (slow(second) ? 60 : 0) + (onSecond(second) ? 5 : 0));
    const interval = p99ChangeInterval(arrivals, phases)!;
    const lag = lagByPhase(arrivals, phases);
    const pooled = changePercent(lag.off.p99, lag.on.p99)!;
    expect(interval.low).toBeLessThan(-10);
    expect(interval.high).toBeGreaterThan(30);
    expect(interval.low).toBeLessThanOrEqual(pooled);
    expect(interval.high).toBeGreaterThanOrEqual(pooled);
  });

  it('gives the same interval for the same arrivals and seed', () => {
    const arrivals = arrivalsOver(100, (second, index) => ((index * 7 + second * 13) % 120));
    expect(p99ChangeInterval(arrivals, phases, { seed: 7 })).toEqual(p99ChangeInterval(arrivals, phases, { seed: 7 }));
  });

  it('is null when a side has too few phases with arrivals to draw from', () => {
    const lagOf = (_second: number, index: number) => index % 100;
    const offOnly = arrivalsOver(100, lagOf).filter((arrival) => !onSecond(arrival.scheduledAt / 1_000));
    expect(p99ChangeInterval(offOnly, phases)).toBeNull();
    expect(p99ChangeInterval([], phases)).toBeNull();
    // Two phases a side: every draw would be one of few runs, and one a side the run itself.
    const short = alternatingPhases({ startMs: 0, seconds: 40 }, 10);
    expect(p99ChangeInterval(arrivalsOver(40, lagOf), short)).toBeNull();
    expect(p99ChangeInterval(arrivalsOver(60, lagOf), alternatingPhases({ startMs: 0, seconds: 60 }, 10))).not.toBeNull();
  });

  it('leaves out draws whose p99 without the load is 0', () => {
    // Lags of 0 in every phase without the load but the first: a draw without the first has a p99 of 0 and is left out.
    const firstOff = (second: number) => second < 10;
    const arrivals = arrivalsOver(100, (second, index) => (onSecond(second) ? 50 : firstOff(second) ? 10 + (index % 10) : 0));
    const interval = p99ChangeInterval(arrivals, phases)!;
    expect(Number.isFinite(interval.low)).toBe(true);
    expect(Number.isFinite(interval.high)).toBe(true);
  });
});
