import { describe, expect, it } from 'vitest';
import { compileSchedule, upcomingFires, type DstOptions } from './cron.ts';
import { DEFAULT_POLICY, type DstGapPolicy, type DstOverlapPolicy } from './job-policy.ts';
import { occurrencesBetween, planMisfire } from './misfire.ts';

const at = (text: string) => Date.parse(text);
const iso = (instants: number[]) => instants.map((instant) => new Date(instant).toISOString());
const policy = (dstGap: DstGapPolicy, dstOverlap: DstOverlapPolicy): DstOptions => ({ dstGap, dstOverlap });

/** Fires of `expression` in `zone` from `from`, and the same list found backwards with latestAtOrBefore. */
function firesBothWays(expression: string, zone: string, dst: DstOptions, from: string, count: number) {
  const schedule = compileSchedule(expression, zone, dst);
  const forwards = upcomingFires(schedule, at(from), count);
  const backwards: number[] = [];
  for (let until = forwards.at(-1)!; backwards.length < forwards.length; ) {
    const latest = schedule.latestAtOrBefore(until)!;
    backwards.unshift(latest);
    until = latest - 1;
  }
  return { schedule, forwards: iso(forwards), backwards: iso(backwards) };
}

// Spring forward: Berlin 2026-03-29 02:00 CET → 03:00 CEST (01:00Z); New York 2026-03-08
// 02:00 EST → 03:00 EDT (07:00Z); Sydney 2026-10-04 02:00 AEST → 03:00 AEDT (16:00Z on the 3rd).
// Fall back: Berlin 2026-10-25 03:00 CEST → 02:00 CET (01:00Z); New York 2026-11-01 02:00 EDT →
// 01:00 EST (06:00Z); Sydney 2026-04-05 03:00 AEDT → 02:00 AEST (16:00Z on the 4th).
describe.each([
  {
    zone: 'Europe/Berlin',
    spring: { expression: '0 30 2 * * *', from: '2026-03-28T12:00:00Z', before: '2026-03-30T00:30:00.000Z', shifted: '2026-03-29T01:30:00.000Z' },
    fall: { expression: '0 30 2 * * *', from: '2026-10-24T12:00:00Z', first: '2026-10-25T00:30:00.000Z', last: '2026-10-25T01:30:00.000Z', after: '2026-10-26T01:30:00.000Z' },
  },
  {
    zone: 'America/New_York',
    spring: { expression: '0 30 2 * * *', from: '2026-03-07T12:00:00Z', before: '2026-03-09T06:30:00.000Z', shifted: '2026-03-08T07:30:00.000Z' },
    fall: { expression: '0 30 1 * * *', from: '2026-10-31T12:00:00Z', first: '2026-11-01T05:30:00.000Z', last: '2026-11-01T06:30:00.000Z', after: '2026-11-02T06:30:00.000Z' },
  },
  {
    zone: 'Australia/Sydney',
    spring: { expression: '0 30 2 * * *', from: '2026-10-03T00:00:00Z', before: '2026-10-04T15:30:00.000Z', shifted: '2026-10-03T16:30:00.000Z' },
    fall: { expression: '0 30 2 * * *', from: '2026-04-04T00:00:00Z', first: '2026-04-04T15:30:00.000Z', last: '2026-04-04T16:30:00.000Z', after: '2026-04-05T16:30:00.000Z' },
  },
])('$zone', ({ zone, spring, fall }) => {
  it.each(['FIRST', 'LAST', 'BOTH'] as const)('spring forward, dstGap SHIFT (overlap %s): the skipped local time runs one gap later, marked SHIFTED', (overlap) => {
    const { schedule, forwards, backwards } = firesBothWays(spring.expression, zone, policy('SHIFT', overlap), spring.from, 2);
    expect(forwards).toEqual([spring.shifted, spring.before]);
    expect(backwards).toEqual(forwards);
    expect(schedule.dstMark(at(spring.shifted))).toBe('SHIFTED');
    expect(schedule.dstMark(at(spring.before))).toBeNull();
  });

  it.each(['FIRST', 'LAST', 'BOTH'] as const)('spring forward, dstGap SKIP (overlap %s): the skipped local time does not run', (overlap) => {
    const { forwards, backwards } = firesBothWays(spring.expression, zone, policy('SKIP', overlap), spring.from, 1);
    expect(forwards).toEqual([spring.before]);
    expect(backwards).toEqual(forwards);
    expect(compileSchedule(spring.expression, zone, policy('SKIP', overlap)).countBetween(at(spring.from), at(spring.before), 10)).toBe(1);
  });

  it.each([
    ['FIRST', (f: typeof fall) => [f.first, f.after]],
    ['LAST', (f: typeof fall) => [f.last, f.after]],
    ['BOTH', (f: typeof fall) => [f.first, f.last, f.after]],
  ] as const)('fall back, dstOverlap %s', (overlap, expected) => {
    for (const gap of ['SHIFT', 'SKIP'] as const) {
      const want = expected(fall);
      const { schedule, forwards, backwards } = firesBothWays(fall.expression, zone, policy(gap, overlap), fall.from, want.length);
      expect(forwards).toEqual(want);
      expect(backwards).toEqual(want);
      expect(schedule.countBetween(at(fall.from), at(fall.after), 10)).toBe(want.length);
      expect(schedule.dstMark(at(want[0]!))).toBe('REPEATED');
      expect(schedule.dstMark(at(fall.after))).toBeNull();
    }
  });

  it('a question asked from inside the repeated hour gets the same answer as a walk', () => {
    for (const overlap of ['FIRST', 'LAST', 'BOTH'] as const) {
      const schedule = compileSchedule(fall.expression, zone, policy('SHIFT', overlap));
      const walked = upcomingFires(schedule, at(fall.from) - 2 * 86_400_000, 6);
      for (let instant = at(fall.first) - 3_600_000; instant < at(fall.last) + 3_600_000; instant += 15 * 60_000) {
        expect(schedule.nextAfter(instant), `${overlap} after ${new Date(instant).toISOString()}`).toBe(walked.find((fire) => fire > instant));
        expect(schedule.latestAtOrBefore(instant)).toBe(walked.findLast((fire) => fire <= instant));
      }
    }
  });
});

describe('a fixed hour with sub-hourly fires', () => {
  it('runs the whole skipped hour shifted, or none of it', () => {
    const shifted = upcomingFires(compileSchedule('0 */20 2 * * *', 'Europe/Berlin', policy('SHIFT', 'FIRST')), at('2026-03-28T12:00:00Z'), 4);
    expect(iso(shifted)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T01:20:00.000Z', '2026-03-29T01:40:00.000Z', '2026-03-30T00:00:00.000Z']);
    const skipped = upcomingFires(compileSchedule('0 */20 2 * * *', 'Europe/Berlin', policy('SKIP', 'FIRST')), at('2026-03-28T12:00:00Z'), 1);
    expect(iso(skipped)).toEqual(['2026-03-30T00:00:00.000Z']);
  });

  it('runs the repeated hour once (first or last pass) or twice', () => {
    const from = at('2026-10-24T12:00:00Z');
    const first = upcomingFires(compileSchedule('0 */20 2 * * *', 'Europe/Berlin', policy('SHIFT', 'FIRST')), from, 4);
    expect(iso(first)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T00:20:00.000Z', '2026-10-25T00:40:00.000Z', '2026-10-26T01:00:00.000Z']);
    const last = upcomingFires(compileSchedule('0 */20 2 * * *', 'Europe/Berlin', policy('SHIFT', 'LAST')), from, 4);
    expect(iso(last)).toEqual(['2026-10-25T01:00:00.000Z', '2026-10-25T01:20:00.000Z', '2026-10-25T01:40:00.000Z', '2026-10-26T01:00:00.000Z']);
    const both = compileSchedule('0 */20 2 * * *', 'Europe/Berlin', policy('SHIFT', 'BOTH'));
    expect(both.countBetween(at('2026-10-25T00:00:00Z'), at('2026-10-25T01:59:59Z'), 100)).toBe(6);
  });

  it('a shifted fire that lands on a fire of its own is one occurrence', () => {
    const fires = upcomingFires(compileSchedule('0 30 2,3 * * *', 'Europe/Berlin', policy('SHIFT', 'FIRST')), at('2026-03-28T12:00:00Z'), 3);
    expect(iso(fires)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-30T01:30:00.000Z']);
  });
});

describe('a wildcard hour follows elapsed time, whatever the policy', () => {
  it.each([
    ['SHIFT', 'FIRST'],
    ['SKIP', 'LAST'],
    ['SHIFT', 'BOTH'],
  ] as const)('every 20 minutes keeps 20 real minutes apart across both transitions (%s/%s)', (gap, overlap) => {
    const schedule = compileSchedule('0 */20 * * * *', 'Europe/Berlin', policy(gap, overlap));
    const spring = upcomingFires(schedule, at('2026-03-29T00:30:00Z'), 4);
    expect(iso(spring)).toEqual(['2026-03-29T00:40:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:20:00.000Z', '2026-03-29T01:40:00.000Z']);
    const fall = upcomingFires(schedule, at('2026-10-24T23:50:00Z'), 7);
    expect(fall.every((fire, index) => index === 0 || fire - fall[index - 1]! === 20 * 60_000)).toBe(true);
    expect(schedule.dstMark(fall[1]!)).toBe('REPEATED');
    expect(schedule.dstMark(fall[4]!)).toBe('REPEATED');
    expect(schedule.countBetween(at('2026-10-25T00:00:00Z'), at('2026-10-25T01:59:59Z'), 100)).toBe(6);
  });

  it('every 5 seconds fires through both passes of the repeated hour in New York', () => {
    const schedule = compileSchedule('*/5 * * * * *', 'America/New_York', policy('SHIFT', 'FIRST'));
    // 01:00–02:00 local happens from 05:00Z to 07:00Z: two real hours, 1,440 fires.
    expect(schedule.countBetween(at('2026-11-01T05:00:00Z'), at('2026-11-01T06:59:59Z'), 10_000)).toBe(1440);
  });
});

describe('the misfire planner agrees with the engine across a transition', () => {
  it('skips exactly the occurrences the engine would have fired', () => {
    for (const overlap of ['FIRST', 'LAST', 'BOTH'] as const) {
      const schedule = compileSchedule('0 */30 1-3 * * *', 'Europe/Berlin', policy('SHIFT', overlap));
      const cursor = at('2026-10-24T22:00:00Z');
      const now = at('2026-10-25T03:10:00Z');
      const fired = upcomingFires(schedule, cursor, 50).filter((fire) => fire <= now);
      const plan = planMisfire(schedule, DEFAULT_POLICY, cursor, now, now);
      expect(plan.run).toEqual([fired.at(-1)]);
      expect(plan.latest).toBe(fired.at(-1));
      expect(plan.skipped).toEqual({ fromAt: fired[0], toAt: fired.at(-2), count: fired.length - 1 });
      expect(occurrencesBetween(schedule, cursor, now)?.count).toBe(fired.length);
    }
  });
});

describe('zones without transitions', () => {
  it('Asia/Tokyo answers like UTC shifted by nine hours', () => {
    const tokyo = upcomingFires(compileSchedule('0 30 2 * * *', 'Asia/Tokyo'), at('2026-03-28T00:00:00Z'), 3);
    expect(iso(tokyo)).toEqual(['2026-03-28T17:30:00.000Z', '2026-03-29T17:30:00.000Z', '2026-03-30T17:30:00.000Z']);
  });
});
