import { CronExpressionParser, CronFieldCollection } from 'cron-parser';
import { checkDialect } from './cron-dialect.ts';
import { InvalidScheduleError } from './errors.ts';
import type { DstGapPolicy, DstOverlapPolicy } from './job-policy.ts';
import { zoneOffsets } from './zone-offsets.ts';
import { ZonedSchedule } from './zoned-schedule.ts';

/** How a schedule treats local times that a DST transition skips or repeats. */
export interface DstOptions {
  readonly dstGap: DstGapPolicy;
  readonly dstOverlap: DstOverlapPolicy;
}

export const DEFAULT_DST: DstOptions = { dstGap: 'SHIFT', dstOverlap: 'FIRST' };

/** How DST moved a fire: run at the shifted instant of a skipped local time, or in a repeated hour. */
export type DstMark = 'SHIFTED' | 'REPEATED';

/**
 * Cron schedules with an optional seconds field, evaluated in an IANA timezone.
 *
 * cron-parser is the source of truth for what an expression means, but it is slow to ask: a parse
 * costs 70–270 µs and a step of a kept iterator 30–600 µs. So a schedule is compiled once per
 * distinct (expression, timezone, DST options) and shared by every job that uses it, from fields
 * parsed once per part (parseFields), and each question it answers is remembered: when thousands
 * of jobs share a schedule and fire at the same instant, the next fire is computed once for all
 * of them. Every instant is an integer of ms since the epoch.
 *
 * DST: an expression with a restricted hour field follows the job's dstGap and dstOverlap
 * policies; one whose hour is `*` follows elapsed time (see ZonedSchedule). All four questions
 * below apply the same rule, so the engine and the misfire planner always agree.
 */
export interface CompiledSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** How local times skipped or repeated by a DST transition are treated. */
  readonly dst: DstOptions;
  /** The hour field is `*`: the schedule follows elapsed time across DST and `dst` does not apply. */
  readonly followsElapsedTime: boolean;
  /** The first occurrence strictly after `afterMs`, or null when the expression has no more. */
  nextAfter(afterMs: number): number | null;
  /** The latest occurrence at or before `atMs`, or null when there is none. */
  latestAtOrBefore(atMs: number): number | null;
  /** Occurrences in the closed range [fromMs, toMs]; null past `limit` (counting is linear). */
  countBetween(fromMs: number, toMs: number, limit: number): number | null;
  /** Starts a walk: the returned cursor yields the occurrences strictly after `afterMs`, in order. */
  walkFrom(afterMs: number): ScheduleCursor;
  /** How DST affected the occurrence at `atMs`: SHIFTED, REPEATED, or null when it did not. */
  dstMark(atMs: number): DstMark | null;
}

export interface ScheduleCursor {
  /** The next occurrence, or null when the expression has no more. */
  next(): number | null;
}

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

/** Distinct schedules kept compiled; past this, the oldest are forgotten (jobs keep theirs). */
const COMPILED_CACHE_SIZE = 50_000;
const compiledCache = new Map<string, CompiledSchedule>();

/** cron-parser's fields of an expression; throws its own refusal. */
function cronParserFields(expression: string): CronFieldCollection {
  // A fixed start instant: without one cron-parser asks Intl for the system zone (~0.4 ms).
  return CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: 0 }).fields;
}

/** cron-parser's parse of a whole expression. */
function parseWhole(expression: string, trimmed: string): CronFieldCollection {
  try {
    return cronParserFields(trimmed);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidScheduleError('schedule', `schedule "${expression}" is not a valid cron expression: ${reason}`);
  }
}

/** Distinct parts kept parsed, per kind of part; past this, the table starts over. */
const PARTS_CACHE_SIZE = 10_000;
/**
 * Longer expressions take the whole parse: cron-parser refuses those over 1,024 characters as a
 * whole, and the tables keep short texts only.
 */
const PARTS_MAX_LENGTH = 256;

/** The parsed fields of one part of an expression (its second, minute or hour, or its three day fields), by the part's text. */
class PartCache<T> {
  readonly #parsed = new Map<string, T>();
  readonly #parse: (text: string) => T;

  constructor(parse: (text: string) => T) {
    this.#parse = parse;
  }

  get(text: string): T {
    let parsed = this.#parsed.get(text);
    if (parsed === undefined) {
      parsed = this.#parse(text);
      if (this.#parsed.size >= PARTS_CACHE_SIZE) this.#parsed.clear();
      this.#parsed.set(text, parsed);
    }
    return parsed;
  }
}

const seconds = new PartCache((text) => cronParserFields(`${text} 0 0 * * *`).second);
const minutes = new PartCache((text) => cronParserFields(`0 ${text} 0 * * *`).minute);
const hours = new PartCache((text) => cronParserFields(`0 0 ${text} * * *`).hour);
const days = new PartCache((text) => {
  const { dayOfMonth, month, dayOfWeek } = cronParserFields(`0 0 0 ${text}`);
  return { dayOfMonth, month, dayOfWeek };
});

/**
 * The fields of an expression, as cron-parser parses them, put together from its parts parsed
 * one by one. cron-parser parses a second, minute or hour field on its own, and the three day
 * fields together (the day of month depends on the month, and the collection checks them
 * together), so a part parsed in a probe expression is the very field the whole expression
 * gets. A parse costs 70–110 µs here whatever the expression, most of it expanding wildcards;
 * schedules such as `<second> <minute> * * * *` at varied times come in thousands of
 * expressions, but in 60 seconds, 60 minutes and one day part. Anything a part refuses, `@`
 * names and long expressions go to the whole parse, which words a refusal as cron-parser does.
 * (Exported for its property test, which holds it equal to the whole parse.)
 */
export function parseFields(expression: string, trimmed: string): CronFieldCollection {
  const atoms = trimmed.split(/\s+/);
  if (atoms.length === 5) atoms.unshift('0');
  if (atoms.length !== 6 || trimmed.length > PARTS_MAX_LENGTH) return parseWhole(expression, trimmed);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = atoms as [string, string, string, string, string, string];
  try {
    return new CronFieldCollection({
      second: seconds.get(second),
      minute: minutes.get(minute),
      hour: hours.get(hour),
      ...days.get(`${dayOfMonth} ${month} ${dayOfWeek}`),
    });
  } catch {
    return parseWhole(expression, trimmed);
  }
}

/**
 * Validates and compiles a cron expression in Zeitgeber's dialect (see cron-dialect.ts): 6 fields
 * (seconds first) or the classic 5, with ranges, lists, steps, names, `?`, `L` and `#`. The same
 * (expression, timezone, DST options) gives the same shared instance.
 */
export function compileSchedule(expression: string, timezone = 'UTC', dst: DstOptions = DEFAULT_DST): CompiledSchedule {
  const trimmed = expression.trim();
  const key = `${timezone}\u0000${dst.dstGap}\u0000${dst.dstOverlap}\u0000${trimmed}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  checkDialect(expression, trimmed);
  assertTimezone(timezone);
  const fields = parseFields(expression, trimmed);
  const compiled = new ZonedSchedule(trimmed, timezone, dst, fields, zoneOffsets(timezone));
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
