import { describe, expect, it } from 'vitest';
import { describeTrend, trendBars } from './outcome-trend.ts';

describe('trendBars', () => {
  it('scales durations to the slowest run and keeps fast runs visible', () => {
    const bars = trendBars(
      [
        { success: true, durationMs: 100 },
        { success: false, durationMs: 400 },
        { success: true, durationMs: 0 },
      ],
      20,
    );
    expect(bars).toEqual([
      { success: true, height: 5 },
      { success: false, height: 20 },
      { success: true, height: 3 },
    ]);
  });
});

describe('describeTrend', () => {
  it('counts successes and failures', () => {
    expect(describeTrend([])).toBe('No runs yet');
    expect(describeTrend([{ success: false, durationMs: 1 }])).toBe('Last run: 0 succeeded, 1 failed');
    expect(
      describeTrend([
        { success: true, durationMs: 1 },
        { success: false, durationMs: 1 },
        { success: true, durationMs: 1 },
      ]),
    ).toBe('Last 3 runs: 2 succeeded, 1 failed');
  });
});
