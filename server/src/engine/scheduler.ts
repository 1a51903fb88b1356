import type { CompiledSchedule } from '../domain/cron.ts';
import type { JobSpec, JobStatus } from '../domain/job-spec.ts';
import { MinHeap } from '../domain/min-heap.ts';
import { occurrencesBetween, planCatchUp, type OccurrenceRange } from '../domain/misfire.ts';
import type { SkipReason, Trigger } from '../domain/occurrence.ts';
import { SampleWindow } from '../domain/sample-window.ts';
import type { Clock } from './clock.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { JobRuntime } from './job-runtime.ts';

/** A job as the engine needs it, whether loaded at start or just written by the service. */
export interface SchedulableJob {
  id: string;
  spec: JobSpec;
  compiled: CompiledSchedule;
  status: JobStatus;
  version: number;
  /** Every occurrence at or before this instant has an outcome. */
  cursorAt: number;
  /** The latest occurrence that may have been sent (committed before the send). */
  intentAt: number | null;
}

export interface SchedulerOptions {
  clock: Clock;
  dispatcher: Dispatcher;
  log: ExecutionLog;
  events: EventBus;
  /** Longest single wait: a timer is never trusted for longer, and the clock is re-read on wake. */
  maxWaitMs: number;
}

interface HeapEntry {
  at: number;
  job: JobRuntime;
  version: number;
  trigger: Trigger;
}

export interface SchedulerStats {
  jobs: number;
  activeJobs: number;
  heapSize: number;
  fires: number;
  staleEntries: number;
  /** Wakes that found nothing due yet: the timer fired early, or the wait was capped. */
  earlyWakes: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
}

const LAG_WINDOW = 20_000;
/**
 * Most occurrences of one job settled at a restart from its intent (UNKNOWN records for
 * at-most-once, re-sends for at-least-once); the ones past this are recorded as skipped.
 */
const MAX_RECOVERED_OCCURRENCES = 100;

/**
 * The one effectful loop: a min-heap of due fires and a single timer that sleeps until the
 * earliest. Every fire due at an instant is dispatched in the same wake, before any next fire is
 * computed; the next fire is computed from the previous scheduled instant, never from "now", so
 * the schedule does not drift. The loop never waits on the database or on a target.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #heap = new MinHeap<HeapEntry>((a, b) => a.at < b.at);
  readonly #jobs = new Map<string, JobRuntime>();
  readonly #lag = new SampleWindow(LAG_WINDOW);
  #cancelTimer: (() => void) | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #running = false;
  #fires = 0;
  #stale = 0;
  #earlyWakes = 0;
  /** Jobs with status ACTIVE, kept as they change: health is asked often, jobs may be a million. */
  #activeJobs = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  get(jobId: string): JobRuntime | undefined {
    return this.#jobs.get(jobId);
  }

  get stats(): SchedulerStats {
    const [p50, p99] = this.#lag.percentiles([50, 99]);
    return {
      jobs: this.#jobs.size,
      activeJobs: this.#activeJobs,
      heapSize: this.#heap.size,
      fires: this.#fires,
      staleEntries: this.#stale,
      earlyWakes: this.#earlyWakes,
      lagP50Ms: p50 ?? null,
      lagP99Ms: p99 ?? null,
      lagMaxMs: this.#lag.max(),
    };
  }

  /**
   * Registers a job loaded at start. Occurrences missed while the service was down are planned
   * here: the latest runs once now, the ones before it are recorded as skipped. Pass the same
   * `now` for every job of a restore, so jobs sharing a schedule share its arithmetic.
   */
  restore(job: SchedulableJob, now: number): void {
    const runtime = new JobRuntime(job.id, job.spec, job.compiled, job.status, job.version, job.cursorAt);
    this.#jobs.set(job.id, runtime);
    const cursorAt = this.#recoverIntended(runtime, job, now);
    runtime.position = cursorAt;
    if (job.status !== 'ACTIVE') return;
    this.#activeJobs++;
    const plan = planCatchUp(job.compiled, cursorAt, now);
    if (plan.skipped) this.#recordSkip(job.id, plan.skipped, 'MISFIRE', now);
    if (plan.fireAt !== null) {
      runtime.position = plan.fireAt;
      this.#enqueue(runtime, plan.fireAt, 'CATCH_UP');
    } else {
      // Nothing fell due between the cursor and now, so the next fire is the first after now.
      runtime.position = Math.max(cursorAt, now);
      this.#enqueueNext(runtime);
    }
  }

  /**
   * Adds a new job, or applies a change to a known one. The schedule restarts after `afterMs`;
   * entries of the previous version become stale. Occurrences in flight keep going.
   */
  upsert(job: SchedulableJob, afterMs: number): void {
    let runtime = this.#jobs.get(job.id);
    if (runtime) {
      if (runtime.status === 'ACTIVE') this.#activeJobs--;
      runtime.spec = job.spec;
      runtime.compiled = job.compiled;
      runtime.status = job.status;
      runtime.version = job.version;
      runtime.position = afterMs;
      runtime.nextFireAt = null;
    } else {
      runtime = new JobRuntime(job.id, job.spec, job.compiled, job.status, job.version, afterMs);
      this.#jobs.set(job.id, runtime);
    }
    if (runtime.status !== 'ACTIVE') return;
    this.#activeJobs++;
    this.#enqueueNext(runtime);
  }

  /**
   * Resumes a paused job from `now`. The occurrences that fell due while it was paused (after
   * `cursorAt`) are recorded as skipped, so the pause leaves a trace.
   */
  resume(job: SchedulableJob, now: number): void {
    const skipped = occurrencesBetween(job.compiled, job.cursorAt, now);
    if (skipped) this.#recordSkip(job.id, skipped, 'PAUSED', now);
    this.upsert(job, now);
  }

  /** Sends one occurrence of the job now, outside its schedule; returns its instant. */
  fireNow(jobId: string): number | null {
    const runtime = this.#jobs.get(jobId);
    if (!runtime) return null;
    const now = this.#options.clock.now();
    this.#options.dispatcher.dispatch({ job: runtime, scheduledAt: now, trigger: 'MANUAL', attempt: 1 });
    return now;
  }

  /**
   * Sends one past occurrence of the job now, with its own scheduled instant (so its own
   * idempotency key): a backfill. The job's schedule and durable cursor are left alone. False
   * when the job is not known (deleted meanwhile).
   */
  fireOccurrence(jobId: string, scheduledAt: number, trigger: 'BACKFILL'): boolean {
    const runtime = this.#jobs.get(jobId);
    if (!runtime) return false;
    this.#options.dispatcher.dispatch({ job: runtime, scheduledAt, trigger, attempt: 1 });
    return true;
  }

  /** Forgets a job; its pending heap entry becomes stale. */
  remove(jobId: string): void {
    const runtime = this.#jobs.get(jobId);
    if (!runtime) return;
    if (runtime.status === 'ACTIVE') this.#activeJobs--;
    runtime.removed = true;
    runtime.nextFireAt = null;
    this.#jobs.delete(jobId);
  }

  /**
   * Milliseconds until the next fire (Infinity when none is planned). Housekeeping on the engine's
   * thread asks this so it never runs just when a burst is due.
   */
  msUntilNextFire(): number {
    const top = this.#heap.peek();
    return top === undefined ? Number.POSITIVE_INFINITY : top.at - this.#options.clock.now();
  }

  /**
   * The jobs with occurrences sent and not settled, each with the latest such instant: after a
   * stop, these are the only intents that still matter.
   */
  unsettledIntents(): Array<[string, number]> {
    const unsettled: Array<[string, number]> = [];
    for (const runtime of this.#jobs.values()) {
      const at = runtime.latestUnsettled;
      if (at !== null) unsettled.push([runtime.id, at]);
    }
    return unsettled;
  }

  start(): void {
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#options.dispatcher.stop();
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /**
   * The occurrences between a job's cursor and its durable intent (up to now) may have been sent
   * when the service stopped, and have no outcome. At-least-once: they are sent again, first, with
   * their own idempotency keys (trigger RECOVERY). At-most-once: they are recorded as UNKNOWN and
   * never sent again. Returns the instant the schedule resumes after.
   */
  #recoverIntended(runtime: JobRuntime, job: SchedulableJob, now: number): number {
    if (job.intentAt === null || job.intentAt <= job.cursorAt) return job.cursorAt;
    const until = Math.min(job.intentAt, now);
    let recovered = 0;
    let at = job.compiled.nextAfter(job.cursorAt);
    for (; at !== null && at <= until && recovered < MAX_RECOVERED_OCCURRENCES; at = job.compiled.nextAfter(at), recovered++) {
      if (job.spec.type === 'ATLEAST_ONCE') {
        this.#heap.push({ at, job: runtime, version: runtime.version, trigger: 'RECOVERY' });
        continue;
      }
      this.#options.log.recordExecution({
        jobId: job.id,
        scheduledAt: at,
        startedAt: at,
        durationMs: 0,
        attempt: 1,
        trigger: 'SCHEDULE',
        statusCode: null,
        success: false,
        outcome: 'UNKNOWN',
        error: 'outcome unknown: the service stopped while this at-most-once call may have been in flight; it is not sent again',
        cursorAt: at,
      });
    }
    const rest = at !== null && at <= until ? occurrencesBetween(job.compiled, at - 1, until) : null;
    if (rest) this.#recordSkip(job.id, rest, 'MISFIRE', now);
    return Math.max(job.cursorAt, until);
  }

  #recordSkip(jobId: string, range: OccurrenceRange, reason: SkipReason, now: number): void {
    const record = { jobId, ...range, reason, createdAt: now };
    this.#options.log.recordSkip(record);
    this.#options.events.emit('occurrences:skipped', record);
  }

  #enqueueNext(runtime: JobRuntime): void {
    const at = runtime.compiled.nextAfter(runtime.position);
    if (at === null) {
      runtime.nextFireAt = null;
      return;
    }
    runtime.position = at;
    this.#enqueue(runtime, at, 'SCHEDULE');
  }

  #enqueue(runtime: JobRuntime, at: number, trigger: Trigger): void {
    runtime.nextFireAt = at;
    runtime.intentTicket = this.#options.log.announceIntent(runtime.id, at);
    this.#heap.push({ at, job: runtime, version: runtime.version, trigger });
    if (at < this.#timerAt) this.#arm();
  }

  #isStale(entry: HeapEntry): boolean {
    return entry.job.removed || entry.version !== entry.job.version || entry.job.status !== 'ACTIVE';
  }

  #arm(): void {
    if (!this.#running) return;
    const top = this.#heap.peek();
    if (!top) return;
    if (this.#cancelTimer !== null && this.#timerAt <= top.at) return;
    this.#cancelTimer?.();
    const now = this.#options.clock.now();
    const delay = Math.min(Math.max(0, top.at - now), this.#options.maxWaitMs);
    this.#timerAt = now + delay;
    this.#cancelTimer = this.#options.clock.setTimer(() => this.#wake(), delay);
  }

  #wake(): void {
    this.#cancelTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    if (!this.#running) return;
    const now = this.#options.clock.now();
    const due: HeapEntry[] = [];
    for (let top = this.#heap.peek(); top !== undefined && top.at <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      if (this.#isStale(top)) this.#stale++;
      else due.push(top);
    }
    if (due.length === 0) this.#earlyWakes++;
    // Send everything that is due before computing any next fire: cron arithmetic must not delay
    // the last fire of a burst.
    // Lag is read per fire, after the ones before it in the burst went out: it is what the last
    // job of a large burst really waits.
    for (const entry of due) {
      if (entry.trigger === 'SCHEDULE') this.#lag.record(this.#options.clock.now() - entry.at);
      this.#options.dispatcher.dispatch({ job: entry.job, scheduledAt: entry.at, trigger: entry.trigger, attempt: 1 });
    }
    this.#fires += due.length;
    // A recovery re-send is an extra entry: the job's own next fire is already on the heap.
    for (const entry of due) if (entry.trigger !== 'RECOVERY') this.#enqueueNext(entry.job);
    this.#arm();
  }
}
