import type { CompiledSchedule } from './cron.ts';

/** Above this many occurrences, a skipped range is recorded without a count. */
export const SKIP_COUNT_LIMIT = 10_000;

/** A run of consecutive occurrences, as recorded when they are skipped. */
export interface OccurrenceRange {
  fromAt: number;
  toAt: number;
  count: number | null;
}

/** The occurrences strictly after `afterMs` and at or before `untilMs`, as one range; null when none. */
export function occurrencesBetween(schedule: CompiledSchedule, afterMs: number, untilMs: number): OccurrenceRange | null {
  const first = schedule.nextAfter(afterMs);
  if (first === null || first > untilMs) return null;
  const last = schedule.latestAtOrBefore(untilMs) ?? first;
  return { fromAt: first, toAt: last, count: schedule.countBetween(first, last, SKIP_COUNT_LIMIT) };
}

/** What to do with the occurrences that fell due while the service was not running. */
export interface CatchUpPlan {
  /** The latest missed occurrence, to run once now; null when nothing was missed. */
  fireAt: number | null;
  /** The missed occurrences before it, recorded as skipped; null when there are none. */
  skipped: OccurrenceRange | null;
}

/**
 * Plans the catch-up of a job whose durable cursor is `cursorAt` when the service starts at `now`:
 * the latest missed occurrence runs once, and the ones before it are recorded as skipped, so none
 * is silently forgotten.
 */
export function planCatchUp(schedule: CompiledSchedule, cursorAt: number, now: number): CatchUpPlan {
  // The latest occurrence is the same for every job of a schedule at a given `now` (remembered),
  // so the common case — nothing missed — costs no cron arithmetic per job.
  const latest = schedule.latestAtOrBefore(now);
  if (latest === null || latest <= cursorAt) return { fireAt: null, skipped: null };
  const first = schedule.nextAfter(cursorAt) ?? latest;
  if (latest <= first) return { fireAt: latest, skipped: null };
  return { fireAt: latest, skipped: occurrencesBetween(schedule, cursorAt, latest - 1) };
}
