import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { graphql, graphqlData } from './graphql-helpers.ts';
import { createTempDatabase, startTestApp } from './helpers.ts';
import { ManualClock } from './manual-clock.ts';

const PREVIEW = `query ($expression: String!, $timezone: String, $count: Int, $dstGap: DstGapPolicy, $dstOverlap: DstOverlapPolicy) {
  schedulePreview(expression: $expression, timezone: $timezone, count: $count, dstGap: $dstGap, dstOverlap: $dstOverlap) {
    valid error description nextFireTimes warnings fires { at dst }
  }
}`;

describe('schedulePreview', () => {
  const database = createTempDatabase();
  // Saturday 28 March 2026, noon UTC: Berlin springs forward the next night (02:00 → 03:00).
  const clock = new ManualClock(Date.parse('2026-03-28T12:00:00Z'));
  let app: App;

  beforeAll(async () => {
    app = await startTestApp(database.url, {}, { clock });
  });

  afterAll(async () => {
    await app.stop();
    database.remove();
  });

  const preview = async (variables: Record<string, unknown>) => (await graphqlData(app.url, PREVIEW, variables)).schedulePreview;

  it('marks a fire moved by the spring-forward gap as SHIFTED (dstGap SHIFT, the default)', async () => {
    const result = await preview({ expression: '0 30 2 * * *', timezone: 'Europe/Berlin', count: 2 });
    expect(result).toMatchObject({
      valid: true,
      error: null,
      description: 'At 02:30',
      fires: [
        { at: '2026-03-29T01:30:00.000Z', dst: 'SHIFTED' },
        { at: '2026-03-30T00:30:00.000Z', dst: null },
      ],
      nextFireTimes: ['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
    });
    expect(result.warnings).toContain(
      'On 2026-03-29 the clocks in Europe/Berlin jump from 02:00 to 03:00: 1 fire falls at a skipped local time and runs 60 minutes later on the clock (dstGap SHIFT).',
    );
  });

  it('drops the skipped fire with dstGap SKIP, and says so', async () => {
    const result = await preview({ expression: '0 30 2 * * *', timezone: 'Europe/Berlin', count: 1, dstGap: 'SKIP' });
    expect(result.fires).toEqual([{ at: '2026-03-30T00:30:00.000Z', dst: null }]);
    expect(result.warnings).toContain('On 2026-03-29 the clocks in Europe/Berlin jump from 02:00 to 03:00: 1 fire falls at a skipped local time and does not run (dstGap SKIP).');
  });

  it('marks fires in the repeated hour as REPEATED and follows dstOverlap', async () => {
    // New York falls back on 1 November 2026 (02:00 EDT → 01:00 EST); seen from 28 March, 01:30 comes later.
    const expected = {
      FIRST: ['2026-11-01T05:30:00.000Z'],
      LAST: ['2026-11-01T06:30:00.000Z'],
      BOTH: ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    };
    for (const [dstOverlap, instants] of Object.entries(expected)) {
      const result = await preview({ expression: '0 30 1 1 11 *', timezone: 'America/New_York', count: instants.length + 1, dstOverlap });
      expect(result.fires, dstOverlap).toEqual([...instants.map((at) => ({ at, dst: 'REPEATED' })), { at: '2027-11-01T05:30:00.000Z', dst: null }]);
      expect(result.warnings).toContain(
        `On 2026-11-01 the clocks in America/New_York go back from 02:00 to 01:00: ${instants.length === 1 ? '1 fire runs' : '2 fires run'} in the repeated time (dstOverlap ${dstOverlap}).`,
      );
    }
  });

  it('keeps a wildcard-hour schedule on elapsed time and says that the policies do not apply to it', async () => {
    const result = await preview({ expression: '0 0 * 25 10 *', timezone: 'Europe/Berlin', count: 4, dstOverlap: 'FIRST' });
    expect(result.fires.slice(2)).toEqual([
      { at: '2026-10-25T00:00:00.000Z', dst: 'REPEATED' },
      { at: '2026-10-25T01:00:00.000Z', dst: 'REPEATED' },
    ]);
    expect(result.warnings).toContain(
      'On 2026-10-25 the clocks in Europe/Berlin go back from 03:00 to 02:00: 2 fires run in the repeated time (the hour field is *, so it follows elapsed time through both passes).',
    );
  });

  it('warns where another cron dialect would read the expression differently', async () => {
    const result = await preview({ expression: '0 12 13 * 5' });
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([
      'Five fields are read as minute hour day-of-month month day-of-week, firing at second 0 of each matching minute; put a seconds field first to choose another second.',
      'Day-of-month (13) and day-of-week (5) are both restricted: it fires on every day that matches either one, as Vixie cron does, not only on days that match both; Quartz refuses such an expression.',
    ]);
    const sixFields = await preview({ expression: '0 0 9 * * *' });
    expect(sixFields.warnings).toEqual([
      'Six fields are read here as second minute hour day-of-month month day-of-week. AWS EventBridge reads six fields as minute hour day-of-month month day-of-week year, so there this expression would mean something else (its last field "*" would be the year).',
    ]);
  });

  it('refuses a year field and W with a message, keeping the old fields working', async () => {
    const year = await preview({ expression: '0 0 12 * * * 2027' });
    expect(year).toEqual({
      valid: false,
      error: 'schedule "0 0 12 * * * 2027" has 7 fields; the seventh field (year) is not supported: use 6 fields (second minute hour day-of-month month day-of-week) or 5 (minute hour day-of-month month day-of-week)',
      description: null,
      nextFireTimes: [],
      warnings: [],
      fires: [],
    });
    const nearestWeekday = await preview({ expression: '0 0 12 15W * *' });
    expect(nearestWeekday).toMatchObject({ valid: false, error: expect.stringContaining('uses W (nearest weekday), which is not supported') });
  });

  it('refuses an unknown DST policy value as bad input', async () => {
    const response = await graphql(app.url, PREVIEW, { expression: '* * * * * *', dstGap: 'LATER' });
    expect(response.errors?.[0]?.message).toMatch(/DstGapPolicy/);
  });
});
