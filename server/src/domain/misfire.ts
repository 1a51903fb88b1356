import type { CompiledSchedule } from './cron.ts';
import type { JobPolicy } from './job-policy.ts';

/** Above this many occurrences, a skipped range is recorded without a count. */
export const SKIP_COUNT_LIMIT = 10_000;

/**
 * The misfire threshold's bounds. An occurrence the engine reaches later than its threshold is
 * misfired, and its job's misfire policy decides what becomes of it (see misfireThreshold).
 */
export const MISFIRE_THRESHOLD_MIN_MS = 1_000;
export const MISFIRE_THRESHOLD_MAX_MS = 60_000;

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

/**
 * How late the engine may reach the occurrence at `atMs` before it counts as misfired: the gap to
 * the job's next occurrence, at least 1 s and at most 60 s. Past the gap the next occurrence is
 * due as well, so the two would pile up; a sparse schedule (hourly, daily) gets a minute, after
 * which the fire is stale. A timer is never that late unless the process was suspended or the
 * engine overloaded; a fire within the threshold is simply late, and is sent as scheduled.
 */
export function misfireThreshold(schedule: CompiledSchedule, atMs: number): number {
  const next = schedule.nextAfter(atMs);
  const gap = next === null ? MISFIRE_THRESHOLD_MAX_MS : next - atMs;
  return Math.min(MISFIRE_THRESHOLD_MAX_MS, Math.max(MISFIRE_THRESHOLD_MIN_MS, gap));
}

/** What becomes of the missed occurrences of a job, by its misfire policy. */
export interface MisfirePlan {
  /** Missed occurrences to send now, oldest first. */
  readonly run: readonly number[];
  /** The missed occurrences not sent (all older than those sent); null when none. */
  readonly skipped: OccurrenceRange | null;
  /** The latest missed occurrence: the schedule goes on after it. Null when nothing was missed. */
  readonly latest: number | null;
}

const NOTHING_MISSED: MisfirePlan = Object.freeze({ run: Object.freeze([]), skipped: null, latest: null });

/**
 * Plans the missed occurrences of a job: those strictly after `afterMs` and at or before
 * `untilMs`, as seen at `now`. Every one of them is either sent or in the skipped range.
 *
 * - FIRE_ONCE: the latest runs once, the ones before it are skipped.
 * - FIRE_ALL: those at or after `now - catchUpWindowMs` run, the latest `catchUpLimit` of them at
 *   most; the older ones are skipped.
 * - SKIP: none runs.
 */
export function planMisfire(
  schedule: CompiledSchedule,
  policy: Pick<JobPolicy, 'misfirePolicy' | 'catchUpLimit' | 'catchUpWindowMs'>,
  afterMs: number,
  untilMs: number,
  now: number,
): MisfirePlan {
  // The latest occurrence is the same for every job of a schedule at a given instant (remembered),
  // so the common case — nothing missed — costs no cron arithmetic per job.
  const latest = schedule.latestAtOrBefore(untilMs);
  if (latest === null || latest <= afterMs) return NOTHING_MISSED;
  switch (policy.misfirePolicy) {
    case 'SKIP':
      return { run: [], skipped: occurrencesBetween(schedule, afterMs, latest), latest };
    case 'FIRE_ONCE':
      return { run: [latest], skipped: occurrencesBetween(schedule, afterMs, latest - 1), latest };
    case 'FIRE_ALL': {
      const windowAfter = Math.max(afterMs, now - policy.catchUpWindowMs - 1);
      const run = latest > windowAfter ? lastOccurrences(schedule, windowAfter, latest, policy.catchUpLimit) : [];
      const skipped = occurrencesBetween(schedule, afterMs, run.length > 0 ? run[0]! - 1 : latest);
      return { run, skipped, latest };
    }
  }
}

/**
 * The latest `limit` occurrences strictly after `afterMs` and at or before `untilMs` (itself an
 * occurrence), oldest first. Walks forward from a guess of how far back they reach (the gap
 * before `untilMs` times `limit`), doubling it until enough are found, so a long window costs
 * about `limit` steps on a regular schedule, not one step per occurrence in the window.
 */
export function lastOccurrences(schedule: CompiledSchedule, afterMs: number, untilMs: number, limit: number): number[] {
  const previous = schedule.latestAtOrBefore(untilMs - 1);
  let reach = Math.max(1, untilMs - (previous ?? afterMs)) * limit;
  for (;;) {
    const from = Math.max(afterMs, untilMs - reach);
    const found = walkLast(schedule, from, untilMs, limit);
    if (found.length >= limit || from === afterMs) return found;
    reach *= 2;
  }
}

/** The last `limit` occurrences in (afterMs, untilMs], oldest first, kept in a ring while walking. */
function walkLast(schedule: CompiledSchedule, afterMs: number, untilMs: number, limit: number): number[] {
  const ring: number[] = [];
  let written = 0;
  const cursor = schedule.walkFrom(afterMs);
  for (let at = cursor.next(); at !== null && at <= untilMs; at = cursor.next()) {
    ring[written % limit] = at;
    written++;
  }
  if (written <= limit) return ring;
  const start = written % limit;
  return [...ring.slice(start), ...ring.slice(0, start)];
}
