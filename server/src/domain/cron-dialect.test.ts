import { describe, expect, it } from 'vitest';
import { dialectWarnings } from './cron-dialect.ts';

describe('dialectWarnings', () => {
  it('says nothing about a seconds-first expression that reads the same everywhere it is valid', () => {
    expect(dialectWarnings('*/5 * * * * MON-FRI')).toEqual([]);
    expect(dialectWarnings('@daily')).toEqual([]);
  });

  it('warns that five fields fire at second 0', () => {
    expect(dialectWarnings('*/5 * * * *')).toEqual([expect.stringMatching(/^Five fields are read as minute hour day-of-month month day-of-week, firing at second 0/)]);
  });

  it.each(['0 0 9 * * *', '0 15 10 ? * ?'])('warns that AWS EventBridge reads the sixth field of %j as a year', (expression) => {
    const warnings = dialectWarnings(expression);
    expect(warnings).toContainEqual(expect.stringMatching(/AWS EventBridge reads six fields as minute hour day-of-month month day-of-week year/));
    expect(warnings.join(' ')).toContain(`its last field "${expression.at(-1)}" would be the year`);
  });

  it('warns that day-of-month and day-of-week restricted together are ORed', () => {
    expect(dialectWarnings('0 0 12 13 * FRI')).toEqual([
      'Day-of-month (13) and day-of-week (FRI) are both restricted: it fires on every day that matches either one, as Vixie cron does, not only on days that match both; Quartz refuses such an expression.',
    ]);
    expect(dialectWarnings('0 12 L * 1-5')).toContainEqual(expect.stringMatching(/^Day-of-month \(L\) and day-of-week \(1-5\) are both restricted/));
    expect(dialectWarnings('0 0 12 ? * FRI')).toEqual([]);
  });

  it('warns that day-of-week numbers are counted from Sunday = 0 (Quartz: Sunday = 1)', () => {
    for (const expression of ['0 0 12 * * 1-5', '0 0 12 * * 7', '0 0 12 * * 5#2', '0 0 12 * * 5L']) {
      expect(dialectWarnings(expression), expression).toContainEqual(expect.stringMatching(/^Day-of-week numbers run 0-7 here, with 0 and 7 both Sunday/));
    }
    expect(dialectWarnings('0 0 12 * * FRI#2')).toEqual([]);
  });
});
