import type { AlertEvent, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';
import type { Alerter } from './alerter.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events.ts';
import type { JobRuntime } from './job-runtime.ts';
import { originOf } from './origin-table.ts';

/** JOB_LAGGING is raised at most once per job in each window of this length, in ms. */
export const LAG_ALERT_WINDOW_MS = 60_000;

export interface JobHealthOptions {
  alerter: Alerter;
  clock: Clock;
  /**
   * Pauses a job on the service's initiative and records why (so the database, the engine and
   * the subscriptions agree); resolves true when this call paused it. Without it, the engine never
   * pauses a job.
   */
  pauseJob?: (jobId: string, reason: string) => Promise<boolean>;
  /** A pause that could not be written (the job stays active and is paused at a later failure). */
  onPauseFailed?: (jobId: string, error: unknown) => void;
}

/**
 * A job's health across occurrences: its streak of failures, and the state alerts it raises.
 *
 * The streak is one number on the job's runtime (no map per job), counted per settled occurrence
 * (an occurrence's last attempt), persisted with each execution batch and taken up again after a
 * restart. Alerts go to the job's webhook only; pauses happen with or without one:
 * - JOB_FAILED: every failed occurrence; details {api, statusCode, durationMs, error, attempt}.
 * - JOB_FAILING: once per streak, when it reaches policy.failingThreshold; details
 *   {consecutiveFailures, failingThreshold, error}.
 * - JOB_RECOVERED: the first success after a streak that raised JOB_FAILING; details
 *   {failuresBefore, statusCode}.
 * - JOB_AUTO_PAUSED: the job was paused, after policy.autoPauseAfter failures in a row (checked
 *   while it is active, so a resumed job that fails again is paused again) or at once on a 410
 *   Gone; details {reason, consecutiveFailures, statusCode, error}. No retry follows a 410.
 * - JOB_MISSED: one per skip record (misfire, overlap, DST; not a user's pause); scheduledAt is
 *   the first skipped occurrence, details {from, to, count, reason}.
 * - JOB_LAGGING: a scheduled fire started more than policy.lagAlertMs late; at most once per job
 *   per LAG_ALERT_WINDOW_MS window; details {lagMs, lagAlertMs}.
 */
export class JobHealth {
  readonly #options: JobHealthOptions;
  /** Streaks stored at the last stop (failing jobs only), handed to each job on its first outcome. */
  #stored = new Map<string, number>();
  /** Jobs whose pause is being written: a burst of failures asks once. */
  readonly #pausing = new Set<string>();
  /** Jobs that raised JOB_LAGGING in the current window. */
  readonly #lagAlerted = new Set<string>();
  #lagWindowStart = Number.NEGATIVE_INFINITY;

  constructor(options: JobHealthOptions) {
    this.#options = options;
  }

  /** Takes up the streaks persisted before a restart; call before the first fire. */
  restoreStreaks(streaks: Map<string, number>): void {
    this.#stored = streaks;
  }

  /**
   * Counts a settled occurrence into the job's streak and returns the streak before it. The hot
   * path (a success of a healthy job) is two comparisons.
   */
  settle(job: JobRuntime, success: boolean): number {
    let previous = job.consecutiveFailures;
    if (previous < 0) {
      previous = this.#stored.get(job.id) ?? 0;
      this.#stored.delete(job.id);
    }
    job.consecutiveFailures = success ? 0 : previous + 1;
    return previous;
  }

  /** Raises what a settled occurrence means for the job: alerts, and a pause when due. */
  settled(job: JobRuntime, record: ExecutionRecord, previous: number): void {
    const { spec } = job;
    const policy = spec.policy;
    if (record.success) {
      if (previous >= policy.failingThreshold) this.#notify(job, 'JOB_RECOVERED', record.scheduledAt, { failuresBefore: previous, statusCode: record.statusCode });
      return;
    }
    this.#options.alerter.jobFailed(spec, record);
    const streak = job.consecutiveFailures;
    if (record.statusCode === 410) {
      this.#pause(job, `410 Gone from ${originOf(spec.api)} at ${new Date(record.startedAt).toISOString()}`, record);
      return;
    }
    if (streak === policy.failingThreshold) {
      this.#notify(job, 'JOB_FAILING', record.scheduledAt, { consecutiveFailures: streak, failingThreshold: policy.failingThreshold, error: record.error });
    }
    if (policy.autoPauseAfter !== null && streak >= policy.autoPauseAfter && job.status === 'ACTIVE') {
      this.#pause(job, `auto-paused after ${streak} consecutive failures (last: ${record.error})`, record);
    }
  }

  /** A scheduled fire started `lagMs` late, past the job's lagAlertMs. */
  lagging(job: JobRuntime, scheduledAt: number, lagMs: number): void {
    if (job.spec.alertWebhook === null) return;
    const now = this.#options.clock.now();
    if (now - this.#lagWindowStart >= LAG_ALERT_WINDOW_MS) {
      this.#lagAlerted.clear();
      this.#lagWindowStart = now;
    }
    if (this.#lagAlerted.has(job.id)) return;
    this.#lagAlerted.add(job.id);
    this.#notify(job, 'JOB_LAGGING', scheduledAt, { lagMs, lagAlertMs: job.spec.policy.lagAlertMs });
  }

  /**
   * Raises JOB_MISSED for each skip record of a known job (a pause the user chose is no news).
   * Returns the function that stops listening.
   */
  watchSkips(events: EventBus, findJob: (jobId: string) => JobRuntime | undefined): () => void {
    return events.on('occurrences:skipped', (skip: SkipRecord) => {
      if (skip.reason === 'PAUSED') return;
      const job = findJob(skip.jobId);
      if (!job || job.spec.alertWebhook === null) return;
      const details = { from: new Date(skip.fromAt).toISOString(), to: new Date(skip.toAt).toISOString(), count: skip.count, reason: skip.reason };
      this.#notify(job, 'JOB_MISSED', skip.fromAt, details);
    });
  }

  #notify(job: JobRuntime, event: AlertEvent, scheduledAt: number, details: Record<string, unknown>): void {
    this.#options.alerter.notify(job.spec, job.id, event, scheduledAt, details);
  }

  #pause(job: JobRuntime, reason: string, record: ExecutionRecord): void {
    const pauseJob = this.#options.pauseJob;
    if (pauseJob === undefined || this.#pausing.has(job.id)) return;
    this.#pausing.add(job.id);
    const details = { reason, consecutiveFailures: job.consecutiveFailures, statusCode: record.statusCode, error: record.error };
    pauseJob(job.id, reason)
      .then(
        (paused) => {
          if (paused) this.#notify(job, 'JOB_AUTO_PAUSED', record.scheduledAt, details);
        },
        (error: unknown) => this.#options.onPauseFailed?.(job.id, error),
      )
      .finally(() => this.#pausing.delete(job.id));
  }
}

