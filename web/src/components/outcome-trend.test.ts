import { describe, expect, it } from 'vitest';
import { describeTrend, trendBars } from './outcome-trend.ts';

describe('trendBars', () => {
  it('scales durations to the slowest run and keeps fast runs visible', () => {
    const bars = trendBars(
      [
        { outcome: 'SUCCEEDED', durationMs: 100 },
        { outcome: 'FAILED', durationMs: 400 },
        { outcome: 'UNKNOWN', durationMs: 0 },
      ],
      20,
    );
    expect(bars).toEqual([
      { outcome: 'SUCCEEDED', height: 5 },
      { outcome: 'FAILED', height: 20 },
      { outcome: 'UNKNOWN', height: 3 },
    ]);
  });
});

describe('describeTrend', () => {
  it('counts successes and failures, and unknown outcomes when there are some', () => {
    expect(describeTrend([])).toBe('No runs yet');
    expect(describeTrend([{ outcome: 'FAILED', durationMs: 1 }])).toBe('Last run: 0 succeeded, 1 failed');
    expect(
      describeTrend([
        { outcome: 'SUCCEEDED', durationMs: 1 },
        { outcome: 'FAILED', durationMs: 1 },
        { outcome: 'SUCCEEDED', durationMs: 1 },
      ]),
    ).toBe('Last 3 runs: 2 succeeded, 1 failed');
    expect(
      describeTrend([
        { outcome: 'UNKNOWN', durationMs: 0 },
        { outcome: 'SUCCEEDED', durationMs: 1 },
      ]),
    ).toBe('Last 2 runs: 1 succeeded, 0 failed, 1 unknown');
  });
});
