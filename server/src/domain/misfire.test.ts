import { describe, expect, it } from 'vitest';
import { compileSchedule } from './cron.ts';
import { occurrencesBetween, planCatchUp } from './misfire.ts';

const at = (text: string) => Date.parse(text);

describe('planCatchUp', () => {
  const everyTenSeconds = compileSchedule('*/10 * * * * *');

  it('plans nothing when no occurrence fell due', () => {
    expect(planCatchUp(everyTenSeconds, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:05Z'))).toEqual({ fireAt: null, skipped: null });
  });

  it('runs a single missed occurrence and skips nothing', () => {
    expect(planCatchUp(everyTenSeconds, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:15Z'))).toEqual({
      fireAt: at('2026-01-01T00:00:10Z'),
      skipped: null,
    });
  });

  it('runs the latest missed occurrence once and records the ones before it as skipped', () => {
    expect(planCatchUp(everyTenSeconds, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:01:05Z'))).toEqual({
      fireAt: at('2026-01-01T00:01:00Z'),
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:00:50Z'), count: 5 },
    });
  });

  it('records a range too long to count without a count', () => {
    const everySecond = compileSchedule('* * * * * *');
    const plan = planCatchUp(everySecond, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'));
    expect(plan.fireAt).toBe(at('2026-01-02T00:00:00Z'));
    expect(plan.skipped).toEqual({ fromAt: at('2026-01-01T00:00:01Z'), toAt: at('2026-01-01T23:59:59Z'), count: null });
  });
});

describe('occurrencesBetween', () => {
  it('returns the range after the first instant up to and including the last', () => {
    const everyMinute = compileSchedule('0 * * * * *');
    expect(occurrencesBetween(everyMinute, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:03:00Z'))).toEqual({
      fromAt: at('2026-01-01T00:01:00Z'),
      toAt: at('2026-01-01T00:03:00Z'),
      count: 3,
    });
    expect(occurrencesBetween(everyMinute, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:59Z'))).toBeNull();
  });
});
