import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { quietSchedule, spreadSchedule } from './schedules.ts';

const nextFire = (expression: string, now: number): number =>
  CronExpressionParser.parse(expression, { currentDate: new Date(now), tz: 'UTC' }).next().getTime();

describe('quietSchedule', () => {
  it.each([Date.UTC(2026, 10, 26, 22, 0, 0), Date.UTC(2026, 10, 26, 22, 57, 59, 999), Date.UTC(2026, 10, 26, 23, 54, 30)])(
    'never fires within the quiet minutes after %i',
    (now) => {
      for (let index = 0; index < 4_000; index += 7) {
        expect(nextFire(quietSchedule(index, now, 5), now)).toBeGreaterThanOrEqual(now + 5 * 60_000);
      }
    },
  );

  it('hands out every allowed (minute, second) before repeating one', () => {
    const now = Date.UTC(2026, 10, 26, 22, 30, 0);
    const schedules = Array.from({ length: 54 * 60 }, (_, index) => quietSchedule(index, now, 5));
    expect(new Set(schedules).size).toBe(54 * 60);
    expect(quietSchedule(54 * 60, now, 5)).toBe(schedules[0]);
  });
});

describe('spreadSchedule', () => {
  it('covers each second of the hour once per 3,600 jobs', () => {
    const schedules = Array.from({ length: 3_600 }, (_, index) => spreadSchedule(index));
    expect(new Set(schedules).size).toBe(3_600);
    expect(spreadSchedule(0)).toBe('0 0 * * * *');
    expect(spreadSchedule(61)).toBe('1 1 * * * *');
    expect(spreadSchedule(3_599)).toBe('59 59 * * * *');
    expect(spreadSchedule(3_600)).toBe('0 0 * * * *');
  });
});
