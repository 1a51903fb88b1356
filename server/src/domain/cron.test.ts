import { describe, expect, it } from 'vitest';
import { compileSchedule, upcomingFires } from './cron.ts';
import { InvalidScheduleError } from './errors.ts';

const iso = (ms: number[]) => ms.map((at) => new Date(at).toISOString());
const at = (text: string) => Date.parse(text);

describe('compileSchedule', () => {
  it('gives the next 10 fires of the assignment example "31 10-15 1 * * MON-FRI"', () => {
    // Thursday 1 January 2026, 00:00 UTC: second 31 of minutes 10–15 of hour 1, on weekdays.
    const fires = upcomingFires(compileSchedule('31 10-15 1 * * MON-FRI'), at('2026-01-01T00:00:00Z'), 10);
    expect(iso(fires)).toEqual([
      '2026-01-01T01:10:31.000Z',
      '2026-01-01T01:11:31.000Z',
      '2026-01-01T01:12:31.000Z',
      '2026-01-01T01:13:31.000Z',
      '2026-01-01T01:14:31.000Z',
      '2026-01-01T01:15:31.000Z',
      '2026-01-02T01:10:31.000Z',
      '2026-01-02T01:11:31.000Z',
      '2026-01-02T01:12:31.000Z',
      '2026-01-02T01:13:31.000Z',
    ]);
  });

  it('skips weekends for MON-FRI', () => {
    const fires = upcomingFires(compileSchedule('31 10-15 1 * * MON-FRI'), at('2026-01-02T02:00:00Z'), 1);
    expect(iso(fires)).toEqual(['2026-01-05T01:10:31.000Z']);
  });

  it('reads six fields with seconds and the classic five without', () => {
    expect(iso(upcomingFires(compileSchedule('*/5 * * * * *'), at('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:00:05.000Z',
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:15.000Z',
    ]);
    expect(iso(upcomingFires(compileSchedule('*/5 * * * *'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
    ]);
  });

  it('supports lists, names, L and #', () => {
    expect(iso(upcomingFires(compileSchedule('0 0 9 * JAN,JUL SUN#1'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-04T09:00:00.000Z',
      '2026-07-05T09:00:00.000Z',
    ]);
    expect(iso(upcomingFires(compileSchedule('0 0 0 L * *'), at('2026-02-01T00:00:00Z'), 1))).toEqual(['2026-02-28T00:00:00.000Z']);
    // WED and THU hold the letters of the unsupported W and H.
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * wed,THU'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-01T12:00:00.000Z',
      '2026-01-07T12:00:00.000Z',
    ]);
  });

  it('reads L in day-of-month as the last day of each month', () => {
    expect(iso(upcomingFires(compileSchedule('0 0 12 L * *'), at('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-31T12:00:00.000Z',
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
    ]);
  });

  it('reads 5L and FRIL in day-of-week as the last Friday of each month', () => {
    const expected = ['2026-01-30T12:00:00.000Z', '2026-02-27T12:00:00.000Z', '2026-03-27T12:00:00.000Z'];
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * 5L'), at('2026-01-01T00:00:00Z'), 3))).toEqual(expected);
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * FRIL'), at('2026-01-01T00:00:00Z'), 3))).toEqual(expected);
  });

  it('reads # as the nth weekday of the month, skipping months without one', () => {
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * FRI#2'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-09T12:00:00.000Z',
      '2026-02-13T12:00:00.000Z',
    ]);
    // A fifth Monday: March, June and August 2026.
    expect(iso(upcomingFires(compileSchedule('0 0 0 * * 1#5'), at('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-03-30T00:00:00.000Z',
      '2026-06-29T00:00:00.000Z',
      '2026-08-31T00:00:00.000Z',
    ]);
  });

  it('reads ? as "any" in day-of-month and day-of-week', () => {
    expect(iso(upcomingFires(compileSchedule('0 0 12 ? * MON'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-05T12:00:00.000Z',
      '2026-01-12T12:00:00.000Z',
    ]);
    expect(iso(upcomingFires(compileSchedule('0 0 12 1 * ?'), at('2026-01-01T00:00:00Z'), 2))).toEqual([
      '2026-01-01T12:00:00.000Z',
      '2026-02-01T12:00:00.000Z',
    ]);
  });

  it('fires on days matching day-of-month or day-of-week when both are restricted', () => {
    // The 13th (a Tuesday) and every Friday.
    expect(iso(upcomingFires(compileSchedule('0 0 12 13 * FRI'), at('2026-01-01T00:00:00Z'), 4))).toEqual([
      '2026-01-02T12:00:00.000Z',
      '2026-01-09T12:00:00.000Z',
      '2026-01-13T12:00:00.000Z',
      '2026-01-16T12:00:00.000Z',
    ]);
  });

  it('reads 0 and 7 in day-of-week as Sunday', () => {
    const sundays = ['2026-01-04T12:00:00.000Z', '2026-01-11T12:00:00.000Z'];
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * 0'), at('2026-01-01T00:00:00Z'), 2))).toEqual(sundays);
    expect(iso(upcomingFires(compileSchedule('0 0 12 * * 7'), at('2026-01-01T00:00:00Z'), 2))).toEqual(sundays);
  });

  it('evaluates in the job timezone', () => {
    const fires = upcomingFires(compileSchedule('0 0 9 * * *', 'America/New_York'), at('2026-01-01T00:00:00Z'), 1);
    expect(iso(fires)).toEqual(['2026-01-01T14:00:00.000Z']);
  });

  it.each([
    ['', /has 0 fields/],
    ['* * * *', /has 4 fields; expected 6/],
    ['0 0 1 * * * 2027', /has 7 fields; the seventh field \(year\) is not supported/],
    ['0 12 * * ? 2027', /year in its sixth field, which is day-of-week here/],
    ['0 0 12 15W * *', /uses W \(nearest weekday\), which is not supported/],
    ['0 0 12 LW * *', /uses W/],
    ['0 H * * * *', /uses H \(a hashed value\), which is not supported/],
    ['61 * * * * *', /not a valid cron expression: .*61/],
    ['* * * * * FOO', /not a valid cron expression/],
    ['0 0 0 30 2 *', /not a valid cron expression: Invalid explicit day of month/],
  ])('refuses %j with a message that names the problem', (expression, message) => {
    expect(() => compileSchedule(expression)).toThrowError(message);
    try {
      compileSchedule(expression);
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(InvalidScheduleError);
      expect((error as InvalidScheduleError).field).toBe('schedule');
    }
  });

  it('refuses an unknown timezone on the timezone field', () => {
    expect(() => compileSchedule('* * * * * *', 'Mars/Olympus')).toThrowError(/timezone "Mars\/Olympus" is not an IANA timezone/);
  });

  it('shares one compiled schedule per expression and timezone, and answers the same after any order of questions', () => {
    const shared = compileSchedule(' */7 * * * * * ');
    expect(compileSchedule('*/7 * * * * *')).toBe(shared);
    expect(compileSchedule('*/7 * * * * *', 'Europe/Berlin')).not.toBe(shared);
    const from = at('2026-01-01T00:00:00Z');
    const walked = upcomingFires(shared, from, 20);
    const stepped: Array<number | null> = [];
    for (let after = from, i = 0; i < 20; i++) {
      const next = shared.nextAfter(after);
      stepped.push(next);
      // Interleave unrelated questions: they must not disturb the walk.
      shared.nextAfter(from + 3_600_000 * i);
      shared.nextAfter(next!);
      after = next!;
    }
    expect(stepped).toEqual(walked);
  });

  it('finds the latest occurrence at or before an instant', () => {
    const schedule = compileSchedule('*/10 * * * * *');
    expect(schedule.latestAtOrBefore(at('2026-01-01T00:00:25Z'))).toBe(at('2026-01-01T00:00:20Z'));
    expect(schedule.latestAtOrBefore(at('2026-01-01T00:00:20Z'))).toBe(at('2026-01-01T00:00:20Z'));
  });

  it('counts occurrences in a closed range, up to a limit', () => {
    const schedule = compileSchedule('* * * * * *');
    expect(schedule.countBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:59Z'), 100)).toBe(60);
    expect(schedule.countBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:59Z'), 10)).toBeNull();
  });
});

describe('daylight saving time', () => {
  // 02:30 local does not exist on spring-forward days and happens twice on fall-back days.
  it('Europe/Berlin spring forward: 02:30 runs at the shifted instant (03:30 CEST)', () => {
    const fires = upcomingFires(compileSchedule('0 30 2 * * *', 'Europe/Berlin'), at('2026-03-28T00:00:00Z'), 3);
    expect(iso(fires)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('Europe/Berlin fall back: 02:30 runs once, on its first (CEST) instance', () => {
    const fires = upcomingFires(compileSchedule('0 30 2 * * *', 'Europe/Berlin'), at('2026-10-24T00:00:00Z'), 3);
    expect(iso(fires)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('America/New_York spring forward: 02:30 runs at the shifted instant (03:30 EDT)', () => {
    const fires = upcomingFires(compileSchedule('0 30 2 * * *', 'America/New_York'), at('2026-03-07T12:00:00Z'), 3);
    expect(iso(fires)).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  });

  it('America/New_York fall back: 01:30 runs once, on its first (EDT) instance', () => {
    const fires = upcomingFires(compileSchedule('0 30 1 * * *', 'America/New_York'), at('2026-10-31T12:00:00Z'), 3);
    expect(iso(fires)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z']);
  });

  it('an hourly schedule keeps one fire per real hour across the Berlin fall back', () => {
    const fires = upcomingFires(compileSchedule('0 0 * * * *', 'Europe/Berlin'), at('2026-10-24T23:30:00Z'), 4);
    expect(iso(fires)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
  });
});
