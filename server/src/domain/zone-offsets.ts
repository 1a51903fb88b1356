/** A change of a timezone's UTC offset (ms; local time = instant + offset). */
export interface OffsetTransition {
  /** The first instant with the new offset. */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/**
 * A stretch of time with one UTC offset. Inside [quietFrom, quietTo) no local time is skipped or
 * repeated and no fire is moved there by a DST policy, so a schedule may answer from the cron
 * expression alone.
 */
export interface OffsetSpan {
  /** First instant of the span; -Infinity for a zone without transitions. */
  readonly start: number;
  /** First instant after the span; Infinity for a zone without transitions. */
  readonly end: number;
  readonly offset: number;
  readonly quietFrom: number;
  readonly quietTo: number;
}

/** The offsets of one IANA timezone, learnt from Intl a year at a time and remembered. */
export interface ZoneOffsets {
  readonly timezone: string;
  /** The span that contains `instant`. */
  spanAt(instant: number): OffsetSpan;
  /** Transitions with `from <= at <= to`, in order. */
  transitionsBetween(from: number, to: number): OffsetTransition[];
}

const SECOND = 1000;
const DAY = 86_400_000;
/** Transitions are looked for a year at a time; the zone is sampled once a day in between. */
const EXPLORE_STEP = 366 * DAY;
/** Known offsets reach at least this far either side of any instant asked about. */
const EXPLORE_MARGIN = 2 * DAY;
/**
 * More than any DST shift (the largest in use is 2 h): the edge of the explored range is treated as
 * if a transition of this size could lie just beyond it.
 */
export const MAX_DST_SHIFT = 4 * 3_600_000;

const UTC_SPAN: OffsetSpan = Object.freeze({
  start: -Infinity,
  end: Infinity,
  offset: 0,
  quietFrom: -Infinity,
  quietTo: Infinity,
});

const UTC_OFFSETS: ZoneOffsets = {
  timezone: 'UTC',
  spanAt: () => UTC_SPAN,
  transitionsBetween: () => [],
};

/**
 * Offsets read from Intl, which knows the IANA database. A day-by-day scan finds each change of
 * offset and a binary search pins it to the second; two changes less than a day apart would be
 * seen as one (no zone has had such a pair since the 1940s).
 */
class IntlZoneOffsets implements ZoneOffsets {
  readonly #format: Intl.DateTimeFormat;
  readonly #transitions: OffsetTransition[] = [];
  /** The explored range [#from, #to]: every transition in it is in #transitions. */
  #from = Number.NaN;
  #to = Number.NaN;
  #offsetAtFrom = 0;

  constructor(readonly timezone: string) {
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  spanAt(instant: number): OffsetSpan {
    this.#explore(instant - EXPLORE_MARGIN, instant + EXPLORE_MARGIN);
    const transitions = this.#transitions;
    const index = this.#lastAtOrBefore(instant);
    const previous = index >= 0 ? transitions[index] : undefined;
    const next = transitions[index + 1];
    const start = previous ? previous.at : this.#from;
    const end = next ? next.at : this.#to;
    return {
      start,
      end,
      offset: previous ? previous.after : this.#offsetAtFrom,
      quietFrom: start + (previous ? Math.abs(previous.after - previous.before) : MAX_DST_SHIFT),
      quietTo: end - (next ? Math.abs(next.after - next.before) : MAX_DST_SHIFT),
    };
  }

  transitionsBetween(from: number, to: number): OffsetTransition[] {
    this.#explore(from - EXPLORE_MARGIN, to + EXPLORE_MARGIN);
    const found: OffsetTransition[] = [];
    for (let index = this.#lastAtOrBefore(from - 1) + 1; index < this.#transitions.length; index++) {
      const transition = this.#transitions[index]!;
      if (transition.at > to) break;
      found.push(transition);
    }
    return found;
  }

  /** Index of the last transition at or before `instant`, -1 when none. */
  #lastAtOrBefore(instant: number): number {
    let low = 0;
    let high = this.#transitions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#transitions[middle]!.at <= instant) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  #explore(from: number, to: number): void {
    if (Number.isNaN(this.#from)) {
      const anchor = Math.floor(from / DAY) * DAY;
      this.#from = anchor;
      this.#to = anchor;
      this.#offsetAtFrom = this.#offsetAt(anchor);
    }
    while (this.#to < to) {
      const until = this.#to + EXPLORE_STEP;
      this.#transitions.push(...this.#scan(this.#to, until));
      this.#to = until;
    }
    while (this.#from > from) {
      const since = this.#from - EXPLORE_STEP;
      this.#transitions.unshift(...this.#scan(since, this.#from));
      this.#from = since;
      this.#offsetAtFrom = this.#offsetAt(since);
    }
  }

  /** Transitions in (from, to], sampling once a day. */
  #scan(from: number, to: number): OffsetTransition[] {
    const found: OffsetTransition[] = [];
    let at = from;
    let offset = this.#offsetAt(at);
    while (at < to) {
      const next = Math.min(at + DAY, to);
      const nextOffset = this.#offsetAt(next);
      if (nextOffset !== offset) found.push({ at: this.#changeBetween(at, next, nextOffset), before: offset, after: nextOffset });
      at = next;
      offset = nextOffset;
    }
    return found;
  }

  /** The first second in (from, to] whose offset is `after`. */
  #changeBetween(from: number, to: number, after: number): number {
    let low = from;
    let high = to;
    while (high - low > SECOND) {
      const middle = low + Math.floor((high - low) / 2 / SECOND) * SECOND;
      if (this.#offsetAt(middle) === after) high = middle;
      else low = middle;
    }
    return high;
  }

  #offsetAt(instant: number): number {
    const whole = Math.floor(instant / SECOND) * SECOND;
    const parts: Record<string, number> = {};
    for (const part of this.#format.formatToParts(whole)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return local - whole;
  }
}

const zones = new Map<string, ZoneOffsets>([['UTC', UTC_OFFSETS], ['Etc/UTC', UTC_OFFSETS]]);

/** The offsets of `timezone` (an IANA name already checked), shared by every schedule in it. */
export function zoneOffsets(timezone: string): ZoneOffsets {
  let offsets = zones.get(timezone);
  if (!offsets) {
    offsets = new IntlZoneOffsets(timezone);
    zones.set(timezone, offsets);
  }
  return offsets;
}
