import { describe, expect, it } from 'vitest';
import { compileSchedule, type DstOptions } from './cron.ts';

/** The first fire strictly after `afterMs`, by a fresh walk (no remembered answers). */
const walkedNext = (expression: string, timezone: string, dst: DstOptions, afterMs: number): number | null =>
  compileSchedule(expression, timezone, dst).walkFrom(afterMs).next();

describe('nextAfter at instants asked one after the other', () => {
  it.each([
    ['7 5 * * * *', 'UTC', { dstGap: 'SHIFT', dstOverlap: 'FIRST' }],
    ['0 30 2 * * *', 'Europe/Berlin', { dstGap: 'SHIFT', dstOverlap: 'LAST' }],
    ['0 30 2 * * *', 'Europe/Berlin', { dstGap: 'SKIP', dstOverlap: 'BOTH' }],
    ['*/20 * * * * *', 'America/New_York', { dstGap: 'SHIFT', dstOverlap: 'FIRST' }],
  ] as const)('%s in %s (%o) answers as a fresh walk does', (expression, timezone, dst) => {
    const schedule = compileSchedule(expression, timezone, dst);
    // Across the 2026 spring-forward and fall-back transitions, in uneven steps that land before,
    // on and after fires.
    for (const [from, to] of [[Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 2, 29, 6)], [Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 9, 25, 6)]] as const) {
      for (let at = from; at < to; at += 7 * 60_000 + 13_001) {
        expect(schedule.nextAfter(at)).toBe(walkedNext(expression, timezone, dst, at));
        const next = schedule.nextAfter(at);
        if (next !== null) {
          expect(schedule.nextAfter(next - 1)).toBe(next);
          expect(schedule.nextAfter(next)).toBe(walkedNext(expression, timezone, dst, next));
        }
      }
    }
  });
});
