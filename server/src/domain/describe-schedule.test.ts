import { describe, expect, it } from 'vitest';
import { describeSchedule } from './describe-schedule.ts';

describe('describeSchedule', () => {
  it.each([
    ['*/5 * * * * *', 'Every 5 seconds'],
    ['31 10-15 1 * * MON-FRI', 'At 31 seconds past the minute, minutes 10 through 15 past the hour, at 01:00, Monday through Friday'],
    ['*/5 * * * *', 'Every 5 minutes'],
    ['0 0 12 L * *', 'At 12:00, on the last day of the month'],
    ['0 0 12 * * 5L', 'At 12:00, on the last Friday of the month'],
    ['0 0 12 * * FRI#2', 'At 12:00, on the second Friday of the month'],
    ['0 0 12 ? * MON', 'At 12:00, only on Monday'],
    ['0 0 12 13 * FRI', 'At 12:00, on day 13 of the month, and on Friday'],
    ['0 0 12 * * 7', 'At 12:00, only on Sunday'],
    ['@daily', 'At 00:00'],
  ])('says %j as %j', (expression, words) => {
    expect(describeSchedule(expression)).toBe(words);
  });

  it('gives the expression itself when it cannot say it in words', () => {
    expect(describeSchedule('not a schedule')).toBe('not a schedule');
  });

  it('says the same again, from memory, and still says every expression after more than it remembers', () => {
    expect(describeSchedule('*/5 * * * * *')).toBe(describeSchedule('*/5 * * * * *'));
    for (let minute = 0; minute < 60; minute++) {
      for (let hour = 0; hour < 24; hour++) describeSchedule(`${minute} ${hour} * * *`);
    }
    expect(describeSchedule('0 0 * * *')).toBe('At 00:00');
    expect(describeSchedule('30 14 * * *')).toBe('At 14:30');
    expect(describeSchedule('not a schedule')).toBe('not a schedule');
  });
});
