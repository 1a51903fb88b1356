import type { CompiledSchedule } from '../domain/cron.ts';
import type { JobSpec, JobStatus } from '../domain/job-spec.ts';
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
 * The engine's in-memory state of one job: a cache of what the database holds, rebuilt at start.
 *
 * `version` changes whenever the job's schedule or status does, so heap entries carrying an older
 * version are recognised as stale when they come up, instead of being searched for.
 *
 * It also knows what of the job is unsettled, from which it derives the cursor an outcome may
 * carry: the occurrences in flight (sent, or waiting for a retry), and the ones held back — the
 * one QUEUE_ONE keeps waiting, and the catch-up and recovery sends that go out one at a time.
 */
export class JobRuntime {
  version: number;
  spec: JobSpec;
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
  /**
   * Scheduled instants dispatched and not yet settled, ascending. Made on first use: most of a
   * million sparse jobs never have anything in flight at once.
   */
  #inFlight: number[] | null = null;
  /** Occurrences held back; null for nearly every job, nearly always. */
  #held: Held | null = null;
  /** Every scheduled occurrence at or before this instant has an outcome. */
  #settledUpTo: number;
  /** The latest scheduled instant settled or skipped, possibly ahead of an older one still in flight. */
  #latestSettled = Number.NEGATIVE_INFINITY;

  constructor(
    readonly id: string,
    spec: JobSpec,
    compiled: CompiledSchedule,
    status: JobStatus,
    version: number,
    cursorAt: number,
  ) {
    this.spec = spec;
    this.compiled = compiled;
    this.status = status;
    this.version = version;
    this.#settledUpTo = cursorAt;
    this.position = cursorAt;
  }

  /** The latest scheduled occurrence sent and not settled (in flight or waiting for a retry), or null. */
  get latestUnsettled(): number | null {
    return this.#inFlight?.at(-1) ?? null;
  }

  /**
   * Whether an occurrence is in flight or held back: what the overlap policy asks of a fire that
   * falls due. Two field reads for a job that has never had anything in flight.
   */
  get busy(): boolean {
    return this.#held !== null || (this.#inFlight !== null && this.#inFlight.length > 0);
  }

  /** Whether occurrences are held back (QUEUE_ONE's one waiting, or catch-up sends). */
  get holding(): boolean {
    return this.#held !== null;
  }

  /**
   * The latest occurrence that is accounted for: settled, skipped, in flight or held back. A
   * resume plans what fell due during the pause from after it, so nothing is counted twice.
   */
  get accountedUpTo(): number {
    const held = this.#held?.occurrences;
    return Math.max(this.#settledUpTo, this.#latestSettled, this.latestUnsettled ?? Number.NEGATIVE_INFINITY, held?.at(-1)?.at ?? Number.NEGATIVE_INFINITY);
  }

  /** Marks a scheduled occurrence as sent; kept in order, as a held-back one may be older than one in flight. */
  begin(scheduledAt: number): void {
    const inFlight = (this.#inFlight ??= []);
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
    const index = this.#inFlight?.indexOf(scheduledAt) ?? -1;
    if (index !== -1) this.#inFlight!.splice(index, 1);
    this.#latestSettled = Math.max(this.#latestSettled, scheduledAt);
    this.#advance();
    this.#held?.listener(this);
    return this.#settledUpTo;
  }

  /**
   * Notes that occurrences up to `toAt` were deliberately skipped: a skip is an outcome, so the
   * next cursor may pass them (it still never passes one in flight or held back).
   */
  skipped(toAt: number): void {
    this.#latestSettled = Math.max(this.#latestSettled, toAt);
    this.#advance();
  }

  /** Holds an occurrence back, after the ones already held; `listener` hears of every settle until none is left. */
  hold(occurrence: HeldOccurrence, listener: SettleListener): void {
    if (this.#held === null) this.#held = { occurrences: [occurrence], listener };
    else this.#held.occurrences.push(occurrence);
  }

  /**
   * Takes the oldest held occurrence when it may be sent now: under ALLOW once nothing older is in
   * flight (so catch-up sends go out one at a time, in order), otherwise once nothing at all is.
   * The caller sends it at once, so it is never neither held nor in flight.
   */
  takeReleasable(): HeldOccurrence | null {
    const held = this.#held;
    if (held === null) return null;
    const next = held.occurrences[0]!;
    const oldest = this.#inFlight?.[0];
    if (oldest !== undefined && (this.spec.policy.overlapPolicy !== 'ALLOW' || oldest < next.at)) return null;
    held.occurrences.shift();
    if (held.occurrences.length === 0) this.#held = null;
    return next;
  }

  /** Gives up every held occurrence (the job was paused or removed) and returns them, oldest first. */
  dropHeld(): HeldOccurrence[] {
    const occurrences = this.#held?.occurrences ?? [];
    this.#held = null;
    return occurrences;
  }

  #advance(): void {
    const oldest = this.#inFlight?.[0];
    let upTo = oldest === undefined ? this.#latestSettled : oldest - 1;
    const waiting = this.#held?.occurrences[0];
    if (waiting !== undefined) upTo = Math.min(upTo, waiting.at - 1);
    this.#settledUpTo = Math.max(this.#settledUpTo, upTo);
  }
}
