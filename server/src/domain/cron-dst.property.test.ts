import { CronExpressionParser } from 'cron-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchedule, type DstOptions } from './cron.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Transitions of 2026, spring forward and fall back: Lord Howe shifts by half an hour, Troll by
 * two hours, Santiago at midnight (its repeated hour is 23:00 of the day before).
 */
const TRANSITIONS = [
  { zone: 'Europe/Berlin', at: Date.parse('2026-03-29T01:00:00Z') },
  { zone: 'Europe/Berlin', at: Date.parse('2026-10-25T01:00:00Z') },
  { zone: 'America/New_York', at: Date.parse('2026-03-08T07:00:00Z') },
  { zone: 'America/New_York', at: Date.parse('2026-11-01T06:00:00Z') },
  { zone: 'Australia/Sydney', at: Date.parse('2026-04-04T16:00:00Z') },
  { zone: 'Australia/Sydney', at: Date.parse('2026-10-03T16:00:00Z') },
  { zone: 'Australia/Lord_Howe', at: Date.parse('2026-04-04T15:00:00Z') },
  { zone: 'Australia/Lord_Howe', at: Date.parse('2026-10-03T15:30:00Z') },
  { zone: 'Antarctica/Troll', at: Date.parse('2026-03-29T01:00:00Z') },
  { zone: 'Antarctica/Troll', at: Date.parse('2026-10-25T01:00:00Z') },
  { zone: 'America/Santiago', at: Date.parse('2026-04-05T03:00:00Z') },
  { zone: 'America/Santiago', at: Date.parse('2026-09-06T04:00:00Z') },
];

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at an instant, straight from Intl (the reference, not the code under test). */
function offsetAt(zone: string, instant: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - instant;
}

/**
 * The occurrences the documented rule gives, built the slow and obvious way: every matching local
 * time in the window, turned into the instants that show that local time, then the policy applied
 * to times shown twice or never (only when the hour field is restricted).
 */
function expectedFires(expression: string, fixedHour: boolean, zone: string, dst: DstOptions, around: number): number[] {
  const before = offsetAt(zone, around - DAY);
  const after = offsetAt(zone, around + DAY);
  const walls = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: around - 2 * DAY + before });
  const fires = new Set<number>();
  for (let wall = walls.next().getTime(); wall < around + 2 * DAY + after; wall = walls.next().getTime()) {
    // Local times well away from the transition show once; only those near it are checked.
    if (wall < around + Math.min(before, after) - 4 * HOUR) {
      fires.add(wall - before);
      continue;
    }
    if (wall > around + Math.max(before, after) + 4 * HOUR) {
      fires.add(wall - after);
      continue;
    }
    const instants = [...new Set([wall - before, wall - after])].filter((instant) => instant + offsetAt(zone, instant) === wall).sort((a, b) => a - b);
    if (instants.length === 1) fires.add(instants[0]!);
    else if (instants.length === 0) {
      // A skipped local time, read with the offset before the transition.
      if (fixedHour && dst.dstGap === 'SHIFT') fires.add(wall - Math.min(before, after));
    } else if (!fixedHour || dst.dstOverlap === 'BOTH') instants.forEach((instant) => fires.add(instant));
    else fires.add(dst.dstOverlap === 'FIRST' ? instants[0]! : instants[1]!);
  }
  return [...fires].sort((a, b) => a - b);
}

const second = fc.constantFrom('0', '30', '*/20', '10-12');
const minute = fc.constantFrom('0', '30', '*/15', '*/5', '0-5', '45');
const hour = fc.constantFrom('*', '0', '1', '2', '3', '1-3', '*/2', '0,2', '2-3', '1,3', '23', '0,23', '3-5');
const expression = fc.tuple(second, minute, hour).map(([s, m, h]) => ({ text: `${s} ${m} ${h} * * *`, fixedHour: h !== '*' }));
const dst = fc.record({ dstGap: fc.constantFrom('SHIFT' as const, 'SKIP' as const), dstOverlap: fc.constantFrom('FIRST' as const, 'LAST' as const, 'BOTH' as const) });

describe('DST rule, against a reference built from Intl offsets', () => {
  it('nextAfter, latestAtOrBefore, walkFrom and countBetween agree with the rule and with each other', () => {
    fc.assert(
      fc.property(
        expression,
        dst,
        fc.constantFrom(...TRANSITIONS),
        fc.array(fc.integer({ min: -8 * 60, max: 8 * 60 }), { minLength: 1, maxLength: 8 }),
        (cron, options, transition, minutesFromTransition) => {
          const schedule = compileSchedule(cron.text, transition.zone, options);
          const expected = expectedFires(cron.text, cron.fixedHour, transition.zone, options, transition.at);
          for (const minutes of minutesFromTransition) {
            const instant = transition.at + minutes * 60_000 + (minutes % 7) * 1000;
            const label = `${cron.text} ${transition.zone} ${JSON.stringify(options)} at ${new Date(instant).toISOString()}`;
            const next = expected.find((fire) => fire > instant) ?? null;
            const latest = expected.findLast((fire) => fire <= instant) ?? null;
            expect(schedule.nextAfter(instant), `nextAfter ${label}`).toBe(next);
            expect(schedule.latestAtOrBefore(instant), `latestAtOrBefore ${label}`).toBe(latest);
            const cursor = schedule.walkFrom(instant);
            // The reference covers two days either side; compare the walk within it.
            const covered = (fire: number | null) => fire !== null && fire < transition.at + 1.5 * DAY;
            const walked = [cursor.next(), cursor.next(), cursor.next()].filter(covered);
            expect(walked, `walkFrom ${label}`).toEqual(expected.filter((fire) => fire > instant).slice(0, 3).filter(covered));
            const until = instant + HOUR;
            const count = expected.filter((fire) => fire >= instant && fire <= until).length;
            expect(schedule.countBetween(instant, until, 100_000), `countBetween ${label}`).toBe(count);
            if (next !== null) expect(schedule.latestAtOrBefore(next)).toBe(next);
            if (latest !== null) expect(schedule.nextAfter(latest - 1)).toBe(latest);
          }
        },
      ),
      { numRuns: 100 },
    );
    // About 2 s alone; generous for a machine busy with other suites.
  }, 60_000);
});
