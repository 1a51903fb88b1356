import type { CompiledSchedule } from '../domain/cron.ts';
import type { JobSpec, JobStatus } from '../domain/job-spec.ts';

/**
 * The engine's in-memory state of one job: a cache of what the database holds, rebuilt at start.
 *
 * `version` changes whenever the job's schedule or status does, so heap entries carrying an older
 * version are recognised as stale when they come up, instead of being searched for.
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
  /** Scheduled instants dispatched and not yet settled, ascending (fires go out in order). */
  /** Made on first use: most of a million sparse jobs never have anything in flight at once. */
  #inFlight: number[] | null = null;
  /** Every scheduled occurrence at or before this instant has settled. */
  #settledUpTo: number;
  /** The latest scheduled instant that settled, possibly ahead of an older one still in flight. */
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

  /** Marks a scheduled occurrence as sent. */
  begin(scheduledAt: number): void {
    (this.#inFlight ??= []).push(scheduledAt);
  }

  /**
   * Marks a scheduled occurrence as settled and returns the cursor its record may carry: the
   * instant before the oldest occurrence still in flight, or the latest settled one when none is.
   * A cursor never passes an occurrence whose outcome is not yet durable.
   */
  settle(scheduledAt: number): number {
    const index = this.#inFlight?.indexOf(scheduledAt) ?? -1;
    if (index !== -1) this.#inFlight!.splice(index, 1);
    this.#latestSettled = Math.max(this.#latestSettled, scheduledAt);
    const oldest = this.#inFlight?.[0];
    this.#settledUpTo = Math.max(this.#settledUpTo, oldest === undefined ? this.#latestSettled : oldest - 1);
    return this.#settledUpTo;
  }
}
