import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { InvalidScheduleError } from './errors.ts';
import type { DstGapPolicy, DstOverlapPolicy } from './job-policy.ts';

/** How a schedule treats local times that a DST transition skips or repeats. */
export interface DstOptions {
  readonly dstGap: DstGapPolicy;
  readonly dstOverlap: DstOverlapPolicy;
}

export const DEFAULT_DST: DstOptions = { dstGap: 'SHIFT', dstOverlap: 'FIRST' };

/**
 * Cron schedules with an optional seconds field, evaluated in an IANA timezone.
 *
 * cron-parser is the source of truth for what an expression means, but it is slow to ask: a parse
 * costs about 270 µs and a step of a kept iterator 30–600 µs. So a schedule is compiled once per
 * distinct (expression, timezone) and shared by every job that uses it, and each question it
 * answers is remembered: when thousands of jobs share a schedule and fire at the same instant, the
 * next fire is computed once for all of them. Every instant is an integer of ms since the epoch.
 */
export interface CompiledSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** How local times skipped or repeated by a DST transition are treated. */
  readonly dst: DstOptions;
  /** The first occurrence strictly after `afterMs`, or null when the expression has no more. */
  nextAfter(afterMs: number): number | null;
  /** The latest occurrence at or before `atMs`, or null when there is none. */
  latestAtOrBefore(atMs: number): number | null;
  /** Occurrences in the closed range [fromMs, toMs]; null past `limit` (counting is linear). */
  countBetween(fromMs: number, toMs: number, limit: number): number | null;
  /** Starts a walk: the returned cursor yields the occurrences strictly after `afterMs`, in order. */
  walkFrom(afterMs: number): ScheduleCursor;
}

export interface ScheduleCursor {
  /** The next occurrence, or null when the expression has no more (e.g. a past year). */
  next(): number | null;
}

const FIELD_COUNTS = new Set([5, 6]);

/** Timezones already accepted: building an Intl.DateTimeFormat to check one costs ~0.3 ms. */
const knownTimezones = new Set<string>(['UTC']);

/** Throws InvalidScheduleError with a message naming the problem when `timezone` is unknown. */
export function assertTimezone(timezone: string): void {
  if (knownTimezones.has(timezone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    knownTimezones.add(timezone);
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

/** Distinct schedules kept compiled; past this, the oldest are forgotten (jobs keep theirs). */
const COMPILED_CACHE_SIZE = 50_000;
const compiledCache = new Map<string, CompiledSchedule>();

/**
 * A few remembered answers (argument → result), replaced round robin: the engine, a restore and
 * a catch-up plan may ask one shared schedule about different instants in turn.
 */
class Memo {
  readonly #keys: number[] = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  readonly #values: Array<number | null> = [null, null, null, null];
  #next = 0;

  get(key: number): number | null | undefined {
    const index = this.#keys.indexOf(key);
    return index === -1 ? undefined : this.#values[index];
  }

  set(key: number, value: number | null): void {
    this.#keys[this.#next] = key;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#keys.length;
  }
}

/** next() throws once an expression is exhausted; hasNext() would compute every fire twice. */
function step(iterator: CronExpression, direction: 'next' | 'prev'): number | null {
  try {
    return iterator[direction]().getTime();
  } catch {
    return null;
  }
}

class SharedSchedule implements CompiledSchedule {
  #iterator: CronExpression | null = null;
  /** The instant the kept iterator stands on: its next() answers nextAfter(#position). */
  #position = Number.NaN;
  readonly #nextAfter = new Memo();
  readonly #latest = new Memo();
  #memoCountKey = '';
  #memoCount: number | null = null;

  constructor(
    readonly expression: string,
    readonly timezone: string,
    readonly dst: DstOptions,
  ) {}

  nextAfter(afterMs: number): number | null {
    const known = this.#nextAfter.get(afterMs);
    if (known !== undefined) return known;
    if (this.#iterator === null || afterMs !== this.#position) {
      this.#iterator = parse(this.expression, this.timezone, afterMs);
    }
    const next = step(this.#iterator, 'next');
    this.#position = next ?? Number.NaN;
    this.#nextAfter.set(afterMs, next);
    return next;
  }

  latestAtOrBefore(atMs: number): number | null {
    const known = this.#latest.get(atMs);
    if (known !== undefined) return known;
    // prev() is strictly before the iterator's current date.
    const latest = step(parse(this.expression, this.timezone, atMs + 1), 'prev');
    this.#latest.set(atMs, latest);
    return latest;
  }

  countBetween(fromMs: number, toMs: number, limit: number): number | null {
    const key = `${fromMs}:${toMs}:${limit}`;
    if (key === this.#memoCountKey) return this.#memoCount;
    const cursor = this.walkFrom(fromMs - 1);
    let count: number | null = 0;
    for (let at = cursor.next(); at !== null && at <= toMs; at = cursor.next()) {
      if (++count > limit) {
        count = null;
        break;
      }
    }
    this.#memoCountKey = key;
    this.#memoCount = count;
    return count;
  }

  walkFrom(afterMs: number): ScheduleCursor {
    const iterator = parse(this.expression, this.timezone, afterMs);
    return { next: () => step(iterator, 'next') };
  }
}

/**
 * Validates and compiles a cron expression: 6 fields (seconds first) or the classic 5 fields,
 * with ranges, lists, steps, names, `L`, `W`, `#` and `?` as cron-parser supports them. The same
 * (expression, timezone) gives the same shared instance.
 */
export function compileSchedule(expression: string, timezone = 'UTC', dst: DstOptions = DEFAULT_DST): CompiledSchedule {
  const trimmed = expression.trim();
  const key = `${timezone}\u0000${dst.dstGap}\u0000${dst.dstOverlap}\u0000${trimmed}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
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
  const compiled = new SharedSchedule(trimmed, timezone, dst);
  if (compiledCache.size >= COMPILED_CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value!);
  compiledCache.set(key, compiled);
  return compiled;
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
