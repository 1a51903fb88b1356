import { describe, expect, it } from 'vitest';
import { analyseDelivery, deliveryProblems, measurementWindow, percentile, type Arrival } from './analyse.ts';

const window = { startMs: 10_000, seconds: 3 };

function arrival(jobId: string, scheduledAt: number, lagMs: number, key = `${jobId}:${scheduledAt}`): Arrival {
  return { jobId, scheduledAt, arrivedAt: scheduledAt + lagMs, key };
}

function everyFire(jobIds: string[], lagMs: number): Arrival[] {
  return jobIds.flatMap((jobId) => [10_000, 11_000, 12_000].map((at) => arrival(jobId, at, lagMs)));
}

describe('measurementWindow', () => {
  it('starts at the first whole second at least the lead after the last job', () => {
    expect(measurementWindow(1_000, 5)).toEqual({ startMs: 3_000, seconds: 5 });
    expect(measurementWindow(1_001, 5)).toEqual({ startMs: 4_000, seconds: 5 });
    expect(measurementWindow(1_001, 5, 500)).toEqual({ startMs: 2_000, seconds: 5 });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 99)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('analyseDelivery', () => {
  it('finds nothing wrong when every occurrence arrives once', () => {
    const result = analyseDelivery(everyFire(['a', 'b'], 4), ['a', 'b'], window);
    expect(result).toEqual({
      expected: 6,
      received: 6,
      distinct: 6,
      missed: 0,
      duplicated: 0,
      foreign: 0,
      badKeys: 0,
      lag: { p50: 4, p99: 4, max: 4 },
    });
  });

  it('counts missed and duplicated occurrences by (job, second)', () => {
    const arrivals = everyFire(['a', 'b'], 2).filter((a) => !(a.jobId === 'b' && a.scheduledAt === 11_000));
    arrivals.push(arrival('a', 12_000, 30), arrival('a', 12_000, 40));
    const result = analyseDelivery(arrivals, ['a', 'b'], window);
    expect(result.received).toBe(7);
    expect(result.distinct).toBe(5);
    expect(result.missed).toBe(1);
    expect(result.duplicated).toBe(1);
    expect(result.lag.max).toBe(40);
  });

  it('ignores arrivals scheduled outside the window and flags foreign ones inside it', () => {
    const arrivals = everyFire(['a'], 1);
    arrivals.push(arrival('a', 9_000, 1), arrival('a', 13_000, 1), arrival('z', 11_000, 1), arrival('a', 11_500, 1));
    const result = analyseDelivery(arrivals, ['a'], window);
    expect(result.received).toBe(5);
    expect(result.foreign).toBe(2);
    expect(result.missed).toBe(0);
  });

  it('flags missing keys and keys shared by two occurrences', () => {
    const arrivals = [arrival('a', 10_000, 1, ''), arrival('a', 11_000, 1, 'k'), arrival('a', 12_000, 1, 'k')];
    expect(analyseDelivery(arrivals, ['a'], window).badKeys).toBe(2);
  });

  it('takes lag percentiles over every arrival in the window', () => {
    const arrivals = Array.from({ length: 100 }, (_, i) => arrival(`j${i}`, 10_000, i + 1));
    const result = analyseDelivery(arrivals, arrivals.map((a) => a.jobId), { startMs: 10_000, seconds: 1 });
    expect(result.lag).toEqual({ p50: 50, p99: 99, max: 100 });
  });
});

describe('deliveryProblems', () => {
  const sound = analyseDelivery(everyFire(['a', 'b'], 3), ['a', 'b'], window);

  it('passes a run that delivered and persisted every fire once', () => {
    expect(deliveryProblems(sound, { total: 6, failed: 0 })).toEqual([]);
    expect(deliveryProblems(sound, null)).toEqual([]);
  });

  it('names each way a run falls short', () => {
    const broken = { ...sound, missed: 1, duplicated: 2, foreign: 3, badKeys: 4 };
    expect(deliveryProblems(broken, { total: 5, failed: 1 })).toEqual([
      '1 of 6 fires missed',
      '2 fires duplicated',
      '3 requests for unknown jobs or instants',
      '4 requests without their own idempotency key',
      '5 executions persisted for 6 fires owed',
      '1 persisted executions failed',
    ]);
  });
});
