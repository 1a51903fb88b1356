import { CronExpressionParser, type CronFieldCollection } from 'cron-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFields } from './cron.ts';

/** Everything a field says of itself: its values and flags, and the whole collection as text. */
function described(fields: CronFieldCollection) {
  const each = [fields.second, fields.minute, fields.hour, fields.dayOfMonth, fields.month, fields.dayOfWeek].map((field) => ({
    values: field.values,
    wildcard: field.isWildcard,
    last: field.hasLastChar,
    question: field.hasQuestionMarkChar,
  }));
  return { each, nthDay: fields.dayOfWeek.nthDay, text: fields.stringify(true), serialized: fields.serialize() };
}

function whole(expression: string): CronFieldCollection | string {
  try {
    return CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: 0 }).fields;
  } catch (error: unknown) {
    return (error as Error).message;
  }
}

function byParts(expression: string): CronFieldCollection | string {
  try {
    return parseFields(expression, expression);
  } catch (error: unknown) {
    return (error as Error).message;
  }
}

/** One atom of a field with values in [min, max], including some out of range. */
const atom = (min: number, max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max: max + 2 }).map(String),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${a}-${b}`),
    fc.tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 0, max: max + 1 })).map(([base, step]) => `${base}/${step}`),
  );
const field = (min: number, max: number) => fc.array(atom(min, max), { minLength: 1, maxLength: 3 }).map((atoms) => (atoms.length > 1 && atoms.includes('*') ? atoms.filter((a) => a !== '*').join(',') || '*' : atoms.join(',')));
const dayOfMonth = fc.oneof(field(1, 31), fc.constantFrom('?', 'L', '15,L', '31', '30'));
const month = fc.oneof(field(1, 12), fc.constantFrom('JAN', 'FEB', 'feb-apr', 'DEC,JAN', '2'));
const dayOfWeek = fc.oneof(field(0, 7), fc.constantFrom('?', 'MON-FRI', 'SUN', '5L', '1#2', '6#5', 'mon,wed', '8#1'));
const expression = fc.oneof(
  fc.tuple(field(0, 59), field(0, 59), field(0, 23), dayOfMonth, month, dayOfWeek).map((parts) => parts.join(' ')),
  fc.tuple(field(0, 59), field(0, 23), dayOfMonth, month, dayOfWeek).map((parts) => parts.join(' ')),
);

describe('parseFields', () => {
  it('answers for any expression what cron-parser’s parse of the whole answers: the same fields, or the same refusal', () => {
    fc.assert(
      fc.property(expression, (text) => {
        const expected = whole(text);
        const actual = byParts(text);
        if (typeof expected === 'string') {
          expect(actual).toBe(`schedule "${text}" is not a valid cron expression: ${expected}`);
        } else {
          expect(typeof actual).toBe('object');
          expect(described(actual as CronFieldCollection)).toEqual(described(expected));
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives expressions that share a part the same field, parsed once', () => {
    const a = parseFields('7 12 * * * *', '7 12 * * * *');
    const b = parseFields('7 45 3 * * MON', '7 45 3 * * MON');
    expect(a.second).toBe(b.second);
    expect(a.minute).not.toBe(b.minute);
    expect(parseFields('0 7 * * *', '0 7 * * *').second).toBe(parseFields('0 9 1 * *', '0 9 1 * *').second);
  });
});
