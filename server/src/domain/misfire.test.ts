import { describe, expect, it } from 'vitest';
import { compileSchedule } from './cron.ts';
import { DEFAULT_POLICY, policyOf, policyValues, type PolicyValues } from './job-policy.ts';
import { lastOccurrences, misfireThreshold, occurrencesBetween, planMisfire } from './misfire.ts';

const at = (text: string) => Date.parse(text);

describe('planMisfire with the default policy (FIRE_ONCE), after downtime', () => {
  const everyTenSeconds = compileSchedule('*/10 * * * * *');
  const planCatchUp = (schedule: typeof everyTenSeconds, cursorAt: number, now: number) => {
    const { run, latest, skipped } = planMisfire(schedule, DEFAULT_POLICY, cursorAt, now, now);
    expect(run).toEqual(latest === null ? [] : [latest]);
    return { fireAt: latest, skipped };
  };

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

describe('planMisfire', () => {
  const everyTenSeconds = compileSchedule('*/10 * * * * *');
  const policy = (values: Partial<PolicyValues>) => policyOf({ ...policyValues(DEFAULT_POLICY), ...values });
  const cursor = at('2026-01-01T00:00:00Z');
  const now = at('2026-01-01T00:01:05Z');
  const plan = (values: Partial<PolicyValues>) => planMisfire(everyTenSeconds, policy(values), cursor, now, now);

  it('FIRE_ONCE runs the latest and skips the ones before it', () => {
    expect(plan({ misfirePolicy: 'FIRE_ONCE' })).toEqual({
      run: [at('2026-01-01T00:01:00Z')],
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:00:50Z'), count: 5 },
      latest: at('2026-01-01T00:01:00Z'),
    });
  });

  it('SKIP runs none', () => {
    expect(plan({ misfirePolicy: 'SKIP' })).toEqual({
      run: [],
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:01:00Z'), count: 6 },
      latest: at('2026-01-01T00:01:00Z'),
    });
  });

  it('FIRE_ALL runs all of them, oldest first, within its limit and window', () => {
    expect(plan({ misfirePolicy: 'FIRE_ALL' }).run).toEqual([10, 20, 30, 40, 50, 60].map((s) => cursor + s * 1_000));
    expect(plan({ misfirePolicy: 'FIRE_ALL' }).skipped).toBeNull();
    expect(plan({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 2 })).toMatchObject({
      run: [at('2026-01-01T00:00:50Z'), at('2026-01-01T00:01:00Z')],
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:00:40Z'), count: 4 },
    });
    // The window reaches back to 00:00:35: 40 s, 50 s and 60 s are within it.
    expect(plan({ misfirePolicy: 'FIRE_ALL', catchUpWindowMs: 30_000 })).toMatchObject({
      run: [at('2026-01-01T00:00:40Z'), at('2026-01-01T00:00:50Z'), at('2026-01-01T00:01:00Z')],
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:00:30Z'), count: 3 },
    });
  });

  it('FIRE_ALL skips them all when none is within the window', () => {
    const late = at('2026-01-01T00:02:00Z');
    expect(planMisfire(everyTenSeconds, policy({ misfirePolicy: 'FIRE_ALL', catchUpWindowMs: 1_000 }), cursor, at('2026-01-01T00:01:05Z'), late)).toEqual({
      run: [],
      skipped: { fromAt: at('2026-01-01T00:00:10Z'), toAt: at('2026-01-01T00:01:00Z'), count: 6 },
      latest: at('2026-01-01T00:01:00Z'),
    });
  });

  it('plans only up to untilMs, and nothing when nothing fell due', () => {
    expect(planMisfire(everyTenSeconds, policy({ misfirePolicy: 'SKIP' }), cursor, at('2026-01-01T00:00:25Z'), now).latest).toBe(at('2026-01-01T00:00:20Z'));
    expect(planMisfire(everyTenSeconds, policy({}), cursor, at('2026-01-01T00:00:09Z'), now)).toEqual({ run: [], skipped: null, latest: null });
  });
});

describe('lastOccurrences', () => {
  /** Every occurrence in (afterMs, untilMs], one step at a time. */
  function walkAll(expression: string, afterMs: number, untilMs: number): number[] {
    const schedule = compileSchedule(expression);
    const all: number[] = [];
    for (let next = schedule.nextAfter(afterMs); next !== null && next <= untilMs; next = schedule.nextAfter(next)) all.push(next);
    return all;
  }

  it.each([
    ['* * * * * *', 7, '2026-03-02T10:00:00Z'],
    ['*/10 * * * * *', 100, '2026-03-02T08:00:00Z'],
    ['0 0,1,2,59 * * * *', 5, '2026-03-01T00:00:00Z'],
    ['0 0 9-17 * * MON-FRI', 20, '2026-02-01T00:00:00Z'],
    ['0 0 0 1 * *', 3, '2025-06-01T00:00:00Z'],
  ])('finds the latest occurrences of %s, oldest first, as a full walk does (limit %i)', (expression, limit, after) => {
    const schedule = compileSchedule(expression);
    const afterMs = at(after);
    const untilMs = schedule.latestAtOrBefore(at('2026-03-02T10:30:00Z'))!;
    const expected = walkAll(expression, afterMs, untilMs).slice(-limit);
    expect(lastOccurrences(schedule, afterMs, untilMs, limit)).toEqual(expected);
  });

  it('returns fewer than the limit when fewer fell due', () => {
    const schedule = compileSchedule('*/10 * * * * *');
    expect(lastOccurrences(schedule, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:30Z'), 10)).toEqual([10, 20, 30].map((s) => at('2026-01-01T00:00:00Z') + s * 1_000));
  });
});

describe('misfireThreshold', () => {
  it('is the gap to the next occurrence, at least 1 s and at most 60 s', () => {
    const start = at('2026-01-01T00:00:00Z');
    expect(misfireThreshold(compileSchedule('* * * * * *'), start)).toBe(1_000);
    expect(misfireThreshold(compileSchedule('*/10 * * * * *'), start)).toBe(10_000);
    expect(misfireThreshold(compileSchedule('0 * * * * *'), start)).toBe(60_000);
    expect(misfireThreshold(compileSchedule('0 0 * * * *'), start)).toBe(60_000);
  });
});
