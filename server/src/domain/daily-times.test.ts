import { CronExpression, CronExpressionParser } from 'cron-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DailyTimes } from './daily-times.ts';

const fieldsOf = (expression: string) => CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: 0 }).fields;

/** cron-parser's own answer: the first time strictly after `afterMs`. */
const parserNext = (expression: string, afterMs: number): number =>
  new CronExpression(fieldsOf(expression), { tz: 'UTC', currentDate: new Date(afterMs) }).next().getTime();

/** A field of seconds, minutes or hours: a wildcard, a value, a list, a range or a step. */
const field = (max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 0, max }).map(String),
    fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 2, maxLength: 4 }).map((values) => values.join(',')),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: Math.ceil(max / 2) }).map((step) => `*/${step}`),
  );

describe('DailyTimes', () => {
  it('answers as cron-parser does for expressions whose day fields are wildcards', () => {
    fc.assert(
      fc.property(
        field(59),
        field(59),
        field(23),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom(0, 1, 999),
        (second, minute, hour, instant, offset) => {
          const expression = `${second} ${minute} ${hour} * * *`;
          const daily = DailyTimes.of(fieldsOf(expression))!;
          // On a whole second, just after one, and anywhere in between.
          for (const afterMs of [instant, Math.floor(instant / 1_000) * 1_000 + offset]) {
            expect(daily.after(afterMs)).toBe(parserNext(expression, afterMs));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rolls over to the next day after the last time of a day', () => {
    const daily = DailyTimes.of(fieldsOf('30 15 6,18 * * *'))!;
    expect(daily.after(Date.UTC(2026, 11, 31, 18, 15, 30))).toBe(Date.UTC(2027, 0, 1, 6, 15, 30));
    expect(daily.after(Date.UTC(2026, 11, 31, 18, 15, 29, 999))).toBe(Date.UTC(2026, 11, 31, 18, 15, 30));
  });

  it('is not used when a day field restricts the days', () => {
    for (const expression of ['0 0 * 1 * *', '0 0 * * 2 *', '0 0 * * * MON', '0 0 * L * *']) {
      expect(DailyTimes.of(fieldsOf(expression))).toBeNull();
    }
  });
});
