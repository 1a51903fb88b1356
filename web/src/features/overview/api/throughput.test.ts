import { describe, expect, it } from 'vitest';
import { appendSample, formatRate, ratesOf } from './throughput.ts';

describe('appendSample', () => {
  it('keeps the newest readings up to the limit', () => {
    let samples = appendSample([], { atMs: 0, total: 0 }, 3);
    for (let second = 1; second <= 4; second += 1) samples = appendSample(samples, { atMs: second * 1_000, total: second * 10 }, 3);
    expect(samples.map((sample) => sample.atMs)).toEqual([2_000, 3_000, 4_000]);
  });

  it('ignores a repeated instant and restarts after the counter went back', () => {
    const samples = [{ atMs: 1_000, total: 50 }];
    expect(appendSample(samples, { atMs: 1_000, total: 50 })).toEqual(samples);
    expect(appendSample(samples, { atMs: 2_000, total: 3 })).toEqual([{ atMs: 2_000, total: 3 }]);
  });
});

describe('ratesOf', () => {
  it('turns counter deltas into executions per second', () => {
    expect(
      ratesOf([
        { atMs: 0, total: 0 },
        { atMs: 2_000, total: 100 },
        { atMs: 2_500, total: 100 },
      ]),
    ).toEqual([50, 0]);
    expect(ratesOf([{ atMs: 0, total: 0 }])).toEqual([]);
  });
});

describe('formatRate', () => {
  it.each([
    [undefined, '–'],
    [0.25, '0.3'],
    [9.94, '9.9'],
    [1234.4, '1,234'],
  ])('%s -> %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});
