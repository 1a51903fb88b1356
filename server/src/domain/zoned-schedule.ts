import { CronExpression, type CronFieldCollection } from 'cron-parser';
import type { CompiledSchedule, DstMark, DstOptions, ScheduleCursor } from './cron.ts';
import { DailyTimes } from './daily-times.ts';
import { MAX_DST_SHIFT, type OffsetSpan, type ZoneOffsets } from './zone-offsets.ts';

/**
 * Steps through the wall-clock times an expression matches. A wall-clock time is a local date and
 * time written as if it were a UTC instant, so cron-parser matches it in UTC, where no time is
 * skipped or repeated; turning it into real instants is the schedule's job. Repositioning is a
 * reset, not a parse.
 */
class WallClockWalker {
  readonly #fields: CronFieldCollection;
  /** Made on the first question that needs stepping: a schedule of daily times may never. */
  #iterator: CronExpression | null = null;
  /** The wall-clock time the iterator stands on: after(#at) is one step. */
  #at = Number.NaN;

  /** Set when every day has the same times: then `after` needs no stepping. */
  readonly #daily: DailyTimes | null;

  constructor(fields: CronFieldCollection) {
    this.#fields = fields;
    this.#daily = DailyTimes.of(fields);
  }

  /** The first matching wall-clock time strictly after `wall`. */
  after(wall: number): number | null {
    if (this.#daily !== null) return this.#daily.after(wall);
    if (wall !== this.#at) this.#stepper().reset(new Date(wall));
    return this.#step('next');
  }

  /** The latest matching wall-clock time at or before `wall` (prev() is strictly before its start). */
  atOrBefore(wall: number): number | null {
    this.#stepper().reset(new Date(wall + 1));
    return this.#step('prev');
  }

  #stepper(): CronExpression {
    // A fixed start instant (every question resets it): without one cron-parser asks Intl for
    // the system zone, ~0.4 ms per walker.
    this.#iterator ??= new CronExpression(this.#fields, { tz: 'UTC', currentDate: 0 });
    return this.#iterator;
  }

  /** next()/prev() throw when nothing is left; hasNext() would compute every fire twice. */
  #step(direction: 'next' | 'prev'): number | null {
    try {
      this.#at = this.#stepper()[direction]().getTime();
      return this.#at;
    } catch {
      this.#at = Number.NaN;
      return null;
    }
  }
}

/** Holds no instant, so the first question looks its span up. */
const NO_SPAN: OffsetSpan = Object.freeze({ start: Infinity, end: -Infinity, offset: 0, quietFrom: Infinity, quietTo: -Infinity });

/** Instants [start, end) dropped by the overlap policy. */
interface DroppedPass {
  start: number;
  end: number;
}

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

/**
 * A schedule in a timezone, with the DST rule applied the same way by every question it answers.
 *
 * The rule (Vixie cron's and Quartz's): an expression with a restricted hour field names wall-clock
 * times, so the DST policies apply to it —
 * - a matching local time the clocks skip (spring forward) runs, with dstGap SHIFT, at the instant
 *   that is as far after the transition as the local time is after the start of the gap: 02:30 in
 *   a 02:00→03:00 gap runs at 03:30 of the new offset (the local time read with the old offset),
 *   02:00 at 03:00; with SKIP it does not run;
 * - a matching local time the clocks repeat (fall back) runs on its first pass (FIRST), its second
 *   (LAST) or both (BOTH).
 * An expression whose hour field is `*` follows elapsed time instead: it fires at every instant
 * whose local time matches, so through both passes of a repeated hour and never in a skipped one;
 * the policies do not apply to it.
 *
 * Far from a transition (the common case, and always in UTC) an answer is one cron-parser step and
 * a few comparisons; the transition handling runs only when an answer comes within a DST shift of
 * a transition.
 */
export class ZonedSchedule implements CompiledSchedule {
  readonly #fields: CronFieldCollection;
  readonly #zone: ZoneOffsets;
  /** Gap times run at the shifted instant. */
  readonly #shiftsGaps: boolean;
  /** Which pass of a repeated hour is dropped: FIRST drops the second, LAST the first. */
  readonly #dropsPass: 'first' | 'second' | null;
  /** Either policy moves fires: answers near a transition need the slow path. */
  readonly #movesFires: boolean;
  readonly followsElapsedTime: boolean;
  readonly #walker: WallClockWalker;
  #probe: WallClockWalker | null = null;
  /** The span of the last instant asked about: most questions fall in the same one. */
  #span: OffsetSpan = NO_SPAN;
  readonly #nextAfter = new Memo();
  /** The last next fire computed, and the instant it was asked after: it answers for every instant between. */
  #rangeFrom = Number.NaN;
  #rangeNext: number | null = null;
  readonly #latest = new Memo();
  #memoCountKey = '';
  #memoCount: number | null = null;

  constructor(
    readonly expression: string,
    readonly timezone: string,
    readonly dst: DstOptions,
    fields: CronFieldCollection,
    zone: ZoneOffsets,
  ) {
    this.#fields = fields;
    this.#zone = zone;
    this.followsElapsedTime = fields.hour.values.length === 24;
    const fixedHour = !this.followsElapsedTime;
    this.#shiftsGaps = fixedHour && dst.dstGap === 'SHIFT';
    this.#dropsPass = !fixedHour || dst.dstOverlap === 'BOTH' ? null : dst.dstOverlap === 'FIRST' ? 'second' : 'first';
    this.#movesFires = this.#shiftsGaps || this.#dropsPass !== null;
    this.#walker = new WallClockWalker(fields);
  }

  nextAfter(afterMs: number): number | null {
    const known = this.#nextAfter.get(afterMs);
    if (known !== undefined) return known;
    // No fire lies between an instant asked about and its next fire, so that fire is also the
    // next one after any instant in between: jobs created a few ms apart share one computation.
    if (this.#rangeNext !== null && afterMs > this.#rangeFrom && afterMs < this.#rangeNext) return this.#rangeNext;
    const next = this.#nextOf(this.#walker, afterMs);
    this.#nextAfter.set(afterMs, next);
    this.#rangeFrom = afterMs;
    this.#rangeNext = next;
    return next;
  }

  latestAtOrBefore(atMs: number): number | null {
    const known = this.#latest.get(atMs);
    if (known !== undefined) return known;
    const latest = this.#latestOf(this.#probeWalker(), atMs);
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
    const walker = new WallClockWalker(this.#fields);
    let position: number | null = afterMs;
    return {
      next: () => {
        if (position === null) return null;
        position = this.#nextOf(walker, position);
        return position;
      },
    };
  }

  dstMark(atMs: number): DstMark | null {
    for (const transition of this.#zone.transitionsBetween(atMs - MAX_DST_SHIFT, atMs + MAX_DST_SHIFT)) {
      const shift = transition.after - transition.before;
      if (shift < 0 && atMs >= transition.at + shift && atMs < transition.at - shift) return 'REPEATED';
      const inGapWindow = shift > 0 && atMs >= transition.at && atMs < transition.at + shift;
      if (inGapWindow && this.#shiftsGaps && !this.#matchesWallClock(atMs + transition.after)) return 'SHIFTED';
    }
    return null;
  }

  #spanAt(instant: number): OffsetSpan {
    const span = this.#span;
    if (instant >= span.start && instant < span.end) return span;
    this.#span = this.#zone.spanAt(instant);
    return this.#span;
  }

  #probeWalker(): WallClockWalker {
    this.#probe ??= new WallClockWalker(this.#fields);
    return this.#probe;
  }

  #matchesWallClock(wall: number): boolean {
    return this.#probeWalker().atOrBefore(wall) === wall;
  }

  #nextOf(walker: WallClockWalker, afterMs: number): number | null {
    const span = this.#spanAt(afterMs);
    const moves = this.#movesFires;
    if (afterMs >= (moves ? span.quietFrom : span.start)) {
      const wall = walker.after(afterMs + span.offset);
      // Nothing matches later on the wall clock, so nothing can be shifted or repeated later either.
      if (wall === null) return null;
      const next = wall - span.offset;
      if (next < (moves ? span.quietTo : span.end)) return next;
    }
    return this.#nextNearTransition(walker, afterMs);
  }

  #latestOf(walker: WallClockWalker, atMs: number): number | null {
    const span = this.#spanAt(atMs);
    const moves = this.#movesFires;
    if (atMs < (moves ? span.quietTo : span.end)) {
      const wall = walker.atOrBefore(atMs + span.offset);
      const latest = wall === null ? null : wall - span.offset;
      if (latest !== null && latest >= (moves ? span.quietFrom : span.start)) return latest;
    }
    return this.#latestNearTransition(walker, atMs);
  }

  #nextNearTransition(walker: WallClockWalker, afterMs: number): number | null {
    let from = afterMs;
    for (;;) {
      const natural = this.#naturalAfter(walker, from);
      if (!this.#movesFires) return natural;
      const shifted = this.#shiftedAfter(from, natural ?? from);
      if (shifted !== null && (natural === null || shifted <= natural)) return shifted;
      if (natural === null) return null;
      const dropped = this.#droppedPassAt(natural);
      if (dropped === null) return natural;
      from = dropped.end - 1;
    }
  }

  #latestNearTransition(walker: WallClockWalker, atMs: number): number | null {
    let until = atMs;
    for (;;) {
      const natural = this.#naturalAtOrBefore(walker, until);
      if (!this.#movesFires) return natural;
      const shifted = this.#shiftedAtOrBefore(until, natural ?? until);
      if (shifted !== null && (natural === null || shifted >= natural)) return shifted;
      if (natural === null) return null;
      const dropped = this.#droppedPassAt(natural);
      if (dropped === null) return natural;
      until = dropped.start - 1;
    }
  }

  /** The first instant after `afterMs` whose local time matches (elapsed time, no policy). */
  #naturalAfter(walker: WallClockWalker, afterMs: number): number | null {
    let span = this.#spanAt(afterMs);
    let wallAfter = afterMs + span.offset;
    for (;;) {
      const wall = walker.after(wallAfter);
      if (wall === null) return null;
      if (wall - span.offset < span.end) return wall - span.offset;
      span = this.#spanAt(span.end);
      wallAfter = span.start - 1 + span.offset;
    }
  }

  /** The latest instant at or before `atMs` whose local time matches (elapsed time, no policy). */
  #naturalAtOrBefore(walker: WallClockWalker, atMs: number): number | null {
    let span = this.#spanAt(atMs);
    let wallUntil = atMs + span.offset;
    for (;;) {
      const wall = walker.atOrBefore(wallUntil);
      if (wall === null) return null;
      if (wall - span.offset >= span.start) return wall - span.offset;
      span = this.#spanAt(span.start - 1);
      wallUntil = span.end - 1 + span.offset;
    }
  }

  /**
   * The first shifted gap time after `afterMs`, from gaps that start by `untilMs`. It steps the
   * probe, so a walk's own walker keeps its place.
   */
  #shiftedAfter(afterMs: number, untilMs: number): number | null {
    if (!this.#shiftsGaps) return null;
    const walker = this.#probeWalker();
    for (const transition of this.#zone.transitionsBetween(afterMs - MAX_DST_SHIFT, untilMs)) {
      const gap = transition.after - transition.before;
      if (gap <= 0 || transition.at + gap <= afterMs) continue;
      const gapStart = transition.at + transition.before;
      const wall = walker.after(Math.max(gapStart - 1, gapStart + (afterMs - transition.at)));
      if (wall !== null && wall < gapStart + gap) return transition.at + (wall - gapStart);
    }
    return null;
  }

  /** The latest shifted gap time at or before `atMs` and after `sinceMs`. */
  #shiftedAtOrBefore(atMs: number, sinceMs: number): number | null {
    if (!this.#shiftsGaps) return null;
    const walker = this.#probeWalker();
    const transitions = this.#zone.transitionsBetween(sinceMs - MAX_DST_SHIFT, atMs);
    for (let index = transitions.length - 1; index >= 0; index--) {
      const transition = transitions[index]!;
      const gap = transition.after - transition.before;
      if (gap <= 0 || transition.at + gap <= sinceMs) continue;
      const gapStart = transition.at + transition.before;
      const wall = walker.atOrBefore(Math.min(gapStart + gap - 1, gapStart + (atMs - transition.at)));
      if (wall !== null && wall >= gapStart) return transition.at + (wall - gapStart);
    }
    return null;
  }

  /** The pass of a repeated hour that contains `atMs` when the overlap policy drops it. */
  #droppedPassAt(atMs: number): DroppedPass | null {
    if (this.#dropsPass === null) return null;
    for (const transition of this.#zone.transitionsBetween(atMs - MAX_DST_SHIFT, atMs + MAX_DST_SHIFT)) {
      const repeat = transition.before - transition.after;
      if (repeat <= 0) continue;
      const start = this.#dropsPass === 'second' ? transition.at : transition.at - repeat;
      if (atMs >= start && atMs < start + repeat) return { start, end: start + repeat };
    }
    return null;
  }
}
