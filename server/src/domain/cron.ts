import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { InvalidScheduleError } from './errors.ts';

/**
 * Cron schedules with an optional seconds field, evaluated in an IANA timezone.
 *
 * Parsing is the expensive part (about 270 µs with cron-parser), so a schedule is compiled once per
 * job version and then walked forward with `next()`, which only advances an iterator. Every instant
 * is an integer count of milliseconds since the epoch.
 */
export interface CompiledSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** Starts a walk: the returned cursor yields the occurrences strictly after `afterMs`, in order. */
  walkFrom(afterMs: number): ScheduleCursor;
  /** The latest occurrence at or before `atMs`, or null when there is none. */
  latestAtOrBefore(atMs: number): number | null;
}

export interface ScheduleCursor {
  /** The next occurrence, or null when the expression has no more (e.g. a past year). */
  next(): number | null;
}

const FIELD_COUNTS = new Set([5, 6]);

/** Throws InvalidScheduleError with a message naming the problem when `timezone` is unknown. */
export function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidScheduleError(
      'timezone',
      `timezone "${timezone}" is not an IANA timezone name (e.g. "UTC", "Europe/Berlin")`,
    );
  }
}

function parse(expression: string, timezone: string, currentDate: number): CronExpression {
  return CronExpressionParser.parse(expression, { currentDate, tz: timezone });
}

/**
 * Validates and compiles a cron expression: 6 fields (seconds first) or the classic 5 fields,
 * with ranges, lists, steps, names, `L`, `W`, `#` and `?` as cron-parser supports them.
 */
export function compileSchedule(expression: string, timezone = 'UTC'): CompiledSchedule {
  const trimmed = expression.trim();
  const fields = trimmed === '' ? 0 : trimmed.split(/\s+/).length;
  const alias = trimmed.startsWith('@');
  if (!alias && !FIELD_COUNTS.has(fields)) {
    throw new InvalidScheduleError(
      'schedule',
      `schedule "${expression}" has ${fields} field${fields === 1 ? '' : 's'}; expected 6 (second minute hour day-of-month month day-of-week) or 5 (minute hour day-of-month month day-of-week)`,
    );
  }
  assertTimezone(timezone);
  try {
    parse(trimmed, timezone, Date.now());
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidScheduleError('schedule', `schedule "${expression}" is not a valid cron expression: ${reason}`);
  }
  return {
    expression: trimmed,
    timezone,
    walkFrom(afterMs) {
      const iterator = parse(trimmed, timezone, afterMs);
      return {
        next() {
          // next() throws once the expression is exhausted; hasNext() would compute every fire twice.
          try {
            return iterator.next().getTime();
          } catch {
            return null;
          }
        },
      };
    },
    latestAtOrBefore(atMs) {
      // cron-parser's prev() is strictly before its current date.
      const iterator = parse(trimmed, timezone, atMs + 1);
      try {
        return iterator.prev().getTime();
      } catch {
        return null;
      }
    },
  };
}

/** The next `count` occurrences strictly after `afterMs`. */
export function upcomingFires(schedule: CompiledSchedule, afterMs: number, count: number): number[] {
  const cursor = schedule.walkFrom(afterMs);
  const fires: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = cursor.next();
    if (at === null) break;
    fires.push(at);
  }
  return fires;
}

/**
 * Counts the occurrences in the closed range [fromMs, toMs], giving up (null) past `limit`: the
 * count of a long outage of a per-second job would otherwise cost seconds of CPU at start.
 */
export function countFires(schedule: CompiledSchedule, fromMs: number, toMs: number, limit: number): number | null {
  const cursor = schedule.walkFrom(fromMs - 1);
  let count = 0;
  for (let at = cursor.next(); at !== null && at <= toMs; at = cursor.next()) {
    if (++count > limit) return null;
  }
  return count;
}
