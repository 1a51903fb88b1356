import type { CompiledSchedule } from '../domain/cron.ts';
import type { JobSpec, JobStatus } from '../domain/job-spec.ts';
import { internSpec } from '../domain/intern-spec.ts';
import type { Trigger } from '../domain/occurrence.ts';

/** An occurrence due but held back until the job's occurrences before it have settled. */
export interface HeldOccurrence {
  readonly at: number;
  readonly trigger: Trigger;
}

/** Told, synchronously, when an occurrence of a job that holds occurrences back settles. */
export type SettleListener = (job: JobRuntime) => void;

/** The occurrences a job holds back, oldest first, and who sends them. */
interface Held {
  readonly occurrences: HeldOccurrence[];
  readonly listener: SettleListener;
}

/**
 * What of a job is not settled yet. Made when an occurrence is sent or held back, and dropped
 * once nothing is left that it must remember: most of a million sparse jobs have nothing in
 * flight at any moment, and then carry no array and no extra number.
 */
interface Unsettled {
  /** Scheduled instants dispatched and not yet settled, ascending. */
  readonly inFlight: number[];
  /** Occurrences held back; null for nearly every job, nearly always. */
  held: Held | null;
  /** The latest scheduled instant settled or skipped, possibly ahead of an older one still in flight. */
  latestSettled: number;
}

/**
 * The cursor once `unsettled` is taken into account: up to the latest settled instant, but never
 * past an occurrence still in flight or held back. It only grows.
 */
function settledUpTo(unsettled: Unsettled, cursor: number): number {
  const oldest = unsettled.inFlight[0];
  let upTo = oldest === undefined ? unsettled.latestSettled : oldest - 1;
  const waiting = unsettled.held?.occurrences[0];
  if (waiting !== undefined) upTo = Math.min(upTo, waiting.at - 1);
  return Math.max(cursor, upTo);
}

/**
 * Whether `unsettled` says nothing the cursor does not: nothing in flight, nothing held, nothing
 * settled past the cursor. A latest-settled instant at or before the cursor never moves anything
 * again (the cursor only grows, and the two only meet in a maximum), so dropping it changes no
 * answer.
 */
function owesNothing(unsettled: Unsettled, cursor: number): boolean {
  return unsettled.inFlight.length === 0 && unsettled.held === null && unsettled.latestSettled <= cursor;
}

/**
 * The engine's in-memory state of one job: a cache of what the database holds, rebuilt at start.
 *
 * `version` changes whenever the job's schedule or status does (the scheduler stamps it), so heap
 * entries carrying an older version are recognised as stale when they come up, instead of being
 * searched for.
 *
 * It also knows what of the job is unsettled, from which it derives the cursor an outcome may
 * carry: the occurrences in flight (sent, or waiting for a retry), and the ones held back — the
 * one QUEUE_ONE keeps waiting, and the catch-up and recovery sends that go out one at a time.
 *
 * A million of these stay in memory, so a job holds only what the engine reads: its spec is the
 * shared one (internSpec), what is unsettled lives apart, only while there is some, and the
 * class has no private methods (they would cost every instance a field: V8 marks it with a brand).
 */
export class JobRuntime {
  version: number;
  status: JobStatus;
  compiled: CompiledSchedule;
  /** The schedule walks on from here: the next fire is the first occurrence after this instant. */
  position: number;
  /** The next scheduled fire, or null when paused, removed or exhausted. */
  nextFireAt: number | null = null;
  removed = false;
  /** The execution log's ticket for the intent of `nextFireAt` (0: nothing announced). */
  intentTicket = 0;
  /** Failed occurrences in a row, 0 after a success; -1 until JobHealth takes up the stored streak. */
  consecutiveFailures = -1;
  #spec: JobSpec;
  /** Every scheduled occurrence at or before this instant has an outcome. */
  #settledUpTo: number;
  /** Null while nothing is in flight or held back and nothing settled ahead of `#settledUpTo`. */
  #unsettled: Unsettled | null = null;

  constructor(
    readonly id: string,
    spec: JobSpec,
    compiled: CompiledSchedule,
    status: JobStatus,
    version: number,
    cursorAt: number,
  ) {
    this.#spec = internSpec(spec);
    this.compiled = compiled;
    this.status = status;
    this.version = version;
    this.#settledUpTo = cursorAt;
    this.position = cursorAt;
  }

  /** What the user stated of the job; the same object for every job that states the same. */
  get spec(): JobSpec {
    return this.#spec;
  }

  set spec(spec: JobSpec) {
    this.#spec = internSpec(spec);
  }

  /**
   * The intent a clean stop keeps for the job, or null when nothing of it is in flight (sent and
   * not settled, or waiting for a retry): the latest occurrence in flight. The cursor stays before
   * the oldest in flight, so what settled after it lies past the cursor too. An at-most-once job's
   * intent covers those as well (the latest settled): a restart then records them UNKNOWN rather
   * than plan one again and send it twice. An at-least-once job's does not: its restart re-sends
   * what was in flight and plans the rest by its misfire policy, so a settled one may go out again
   * (allowed) and a skipped one is never sent.
   */
  get intentToKeep(): number | null {
    const unsettled = this.#unsettled;
    const latestInFlight = unsettled?.inFlight.at(-1);
    if (latestInFlight === undefined) return null;
    return this.#spec.type === 'ATMOST_ONCE' ? Math.max(latestInFlight, unsettled!.latestSettled) : latestInFlight;
  }

  /**
   * Whether an occurrence is in flight or held back: what the overlap policy asks of a fire that
   * falls due. One field read for a job with nothing unsettled.
   */
  get busy(): boolean {
    const unsettled = this.#unsettled;
    return unsettled !== null && (unsettled.held !== null || unsettled.inFlight.length > 0);
  }

  /** Whether occurrences are held back (QUEUE_ONE's one waiting, or catch-up sends). */
  get holding(): boolean {
    return (this.#unsettled?.held ?? null) !== null;
  }

  /**
   * The latest occurrence that is accounted for: settled, skipped, in flight or held back. A
   * resume plans what fell due during the pause from after it, so nothing is counted twice.
   */
  get accountedUpTo(): number {
    const unsettled = this.#unsettled;
    if (unsettled === null) return this.#settledUpTo;
    const lastHeld = unsettled.held?.occurrences.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
    return Math.max(this.#settledUpTo, unsettled.latestSettled, unsettled.inFlight.at(-1) ?? Number.NEGATIVE_INFINITY, lastHeld);
  }

  /** The occurrences not settled yet, ascending: in flight (sent, or waiting for a retry) and held back. */
  unsettledInstants(): number[] {
    const unsettled = this.#unsettled;
    if (unsettled === null) return [];
    const held = unsettled.held?.occurrences.map((occurrence) => occurrence.at) ?? [];
    return [...new Set([...unsettled.inFlight, ...held])].sort((a, b) => a - b);
  }

  /** Marks a scheduled occurrence as sent; kept in order, as a held-back one may be older than one in flight. */
  begin(scheduledAt: number): void {
    const unsettled = this.#unsettled;
    if (unsettled === null) {
      this.#unsettled = { inFlight: [scheduledAt], held: null, latestSettled: Number.NEGATIVE_INFINITY };
      return;
    }
    const inFlight = unsettled.inFlight;
    let index = inFlight.length;
    while (index > 0 && inFlight[index - 1]! > scheduledAt) index--;
    if (index === inFlight.length) inFlight.push(scheduledAt);
    else inFlight.splice(index, 0, scheduledAt);
  }

  /**
   * Marks a scheduled occurrence as settled and returns the cursor its record may carry: every
   * occurrence at or before it has an outcome. A cursor never passes an occurrence still in
   * flight or held back. When occurrences are held back, their listener is told.
   */
  settle(scheduledAt: number): number {
    const unsettled = this.#unsettled;
    if (unsettled === null) {
      this.#settledUpTo = Math.max(this.#settledUpTo, scheduledAt);
      return this.#settledUpTo;
    }
    const index = unsettled.inFlight.indexOf(scheduledAt);
    if (index !== -1) unsettled.inFlight.splice(index, 1);
    unsettled.latestSettled = Math.max(unsettled.latestSettled, scheduledAt);
    this.#settledUpTo = settledUpTo(unsettled, this.#settledUpTo);
    if (owesNothing(unsettled, this.#settledUpTo)) this.#unsettled = null;
    unsettled.held?.listener(this);
    return this.#settledUpTo;
  }

  /**
   * Notes that occurrences up to `toAt` have an outcome without a call (skipped, or UNKNOWN after
   * a crash), so the next cursor may pass them; it still never passes one in flight or held back.
   * Returns the cursor a record of them may carry.
   */
  skipped(toAt: number): number {
    const unsettled = this.#unsettled;
    if (unsettled === null) {
      this.#settledUpTo = Math.max(this.#settledUpTo, toAt);
      return this.#settledUpTo;
    }
    unsettled.latestSettled = Math.max(unsettled.latestSettled, toAt);
    this.#settledUpTo = settledUpTo(unsettled, this.#settledUpTo);
    if (owesNothing(unsettled, this.#settledUpTo)) this.#unsettled = null;
    return this.#settledUpTo;
  }

  /** Holds an occurrence back, after the ones already held; `listener` hears of every settle until none is left. */
  hold(occurrence: HeldOccurrence, listener: SettleListener): void {
    const unsettled = (this.#unsettled ??= { inFlight: [], held: null, latestSettled: Number.NEGATIVE_INFINITY });
    if (unsettled.held === null) unsettled.held = { occurrences: [occurrence], listener };
    else unsettled.held.occurrences.push(occurrence);
  }

  /**
   * Takes the oldest held occurrence when it may be sent now: under ALLOW once nothing older is in
   * flight (so catch-up sends go out one at a time, in order), otherwise once nothing at all is.
   * A paused job sends only recovery sends (see dropHeld). The caller sends it at once, so it is
   * never neither held nor in flight.
   */
  takeReleasable(): HeldOccurrence | null {
    const unsettled = this.#unsettled;
    const held = unsettled?.held ?? null;
    if (unsettled === null || held === null) return null;
    const next = held.occurrences[0]!;
    if (this.status !== 'ACTIVE' && next.trigger !== 'RECOVERY') return null;
    const oldest = unsettled.inFlight[0];
    if (oldest !== undefined && (this.#spec.policy.overlapPolicy !== 'ALLOW' || oldest < next.at)) return null;
    held.occurrences.shift();
    if (held.occurrences.length === 0) unsettled.held = null;
    if (owesNothing(unsettled, this.#settledUpTo)) this.#unsettled = null;
    return next;
  }

  /**
   * Gives up the held occurrences (the job was paused or removed) and returns them, oldest first.
   * With `keepRecovery`, recovery sends stay held: each may be a call made before a crash, and a
   * pause stops no call already made (retries of one in flight go on too).
   */
  dropHeld(keepRecovery = false): HeldOccurrence[] {
    const unsettled = this.#unsettled;
    if (unsettled === null) return [];
    const held = unsettled.held?.occurrences ?? [];
    const kept = keepRecovery ? held.filter((occurrence) => occurrence.trigger === 'RECOVERY') : [];
    const occurrences = kept.length === 0 ? held : held.filter((occurrence) => occurrence.trigger !== 'RECOVERY');
    unsettled.held = kept.length === 0 ? null : { occurrences: kept, listener: unsettled.held!.listener };
    if (owesNothing(unsettled, this.#settledUpTo)) this.#unsettled = null;
    return occurrences;
  }
}
