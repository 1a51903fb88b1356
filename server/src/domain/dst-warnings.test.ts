import { describe, expect, it } from 'vitest';
import { compileSchedule } from './cron.ts';
import { dstWarnings } from './dst-warnings.ts';

const from = Date.parse('2026-03-01T00:00:00Z');

describe('dstWarnings', () => {
  it('says nothing for UTC, nor for a schedule that never fires near a transition', () => {
    expect(dstWarnings(compileSchedule('0 30 2 * * *', 'UTC'), from)).toEqual([]);
    expect(dstWarnings(compileSchedule('0 0 12 * * *', 'Europe/Berlin'), from)).toEqual([]);
  });

  it('names the day, the clock change and the rule for each affected transition of the coming year', () => {
    expect(dstWarnings(compileSchedule('0 30 2 * * *', 'Australia/Sydney', { dstGap: 'SKIP', dstOverlap: 'LAST' }), from)).toEqual([
      'On 2026-04-05 the clocks in Australia/Sydney go back from 03:00 to 02:00: 1 fire runs in the repeated time (dstOverlap LAST).',
      'On 2026-10-04 the clocks in Australia/Sydney jump from 02:00 to 03:00: 1 fire falls at a skipped local time and does not run (dstGap SKIP).',
    ]);
  });

  it('counts up to 100 fires and says "more than" past that', () => {
    expect(dstWarnings(compileSchedule('*/30 * 2 * * *', 'Europe/Berlin', { dstGap: 'SHIFT', dstOverlap: 'BOTH' }), from)).toEqual([
      'On 2026-03-29 the clocks in Europe/Berlin jump from 02:00 to 03:00: more than 100 fires fall at skipped local times and run 60 minutes later on the clock (dstGap SHIFT).',
      'On 2026-10-25 the clocks in Europe/Berlin go back from 03:00 to 02:00: more than 100 fires run in the repeated time (dstOverlap BOTH).',
    ]);
  });

  it('an elapsed-time schedule loses nothing to a skipped hour, and goes through both passes of a repeated one', () => {
    expect(dstWarnings(compileSchedule('0 45 * * * *', 'Australia/Lord_Howe'), from)).toEqual([
      'On 2026-04-05 the clocks in Australia/Lord_Howe go back from 02:00 to 01:30: 2 fires run in the repeated time (the hour field is *, so it follows elapsed time through both passes).',
    ]);
  });
});
