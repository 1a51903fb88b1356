import type { CompiledSchedule } from '../domain/cron.ts';
import type { DeliveryType, JobSpec, JobStatus } from '../domain/job-spec.ts';
import { MISFIRE_THRESHOLD_MIN_MS, misfireThreshold, occurrencesBetween, planMisfire, type MisfirePlan, type OccurrenceRange } from '../domain/misfire.ts';
import { scheduleCursor, type OwedOccurrence, type SkipReason } from '../domain/occurrence.ts';
import { SampleWindow } from '../domain/sample-window.ts';
import type { Clock } from './clock.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { FireQueue, type FireEntry as HeapEntry } from './fire-queue.ts';
import { JobRuntime } from './job-runtime.ts';

/** A job as the engine needs it, whether loaded at start or just written by the service. */
export interface SchedulableJob {
  id: string;
  spec: JobSpec;
  compiled: CompiledSchedule;
  status: JobStatus;
  /** Every occurrence at or before this instant has an outcome. */
  cursorAt: number;
  /**
   * The latest occurrence that may have been sent, as stored (committed before the send). An
   * occurrence at or before it needs no intent of its own: a new job's row carries its first one.
   */
  intentAt: number | null;
  /** When the schedule was last replaced: its occurrences start after this instant (null: never). */
  rescheduledAt: number | null;
  /**
   * Occurrences of a replaced schedule or delivery type that had no outcome when it was replaced,
   * ascending. At a restore, those after the cursor are settled as the intent's are (sent again,
   * or UNKNOWN), by the type each was sent under.
   */
  owed: readonly OwedOccurrence[];
}

export interface SchedulerOptions {
  clock: Clock;
  dispatcher: Dispatcher;
  log: ExecutionLog;
  events: EventBus;
  /** Longest single wait: a timer is never trusted for longer, and the clock is re-read on wake. */
  maxWaitMs: number;
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

/** Queued entries beyond twice the jobs before the stale ones are dropped (see #compact). */
const COMPACT_OVER = 10_000;
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
 *
 * Misfires: occurrences missed while the service was down (restore), while the job was paused
 * (resume), or reached later than their misfire threshold (the process was suspended or
 * overloaded; see misfireThreshold) are planned by the job's misfire policy (planMisfire). Those
 * it runs are sent with trigger CATCH_UP; every other one gets a skip record. Catch-up sends are
 * held back and go out one at a time, oldest first, each once the one before it settled: a job
 * never sends its backlog at once, and many jobs catching up together add no more calls in
 * flight than their regular fires do.
 *
 * Overlaps: a fire that falls due while its job has an occurrence in flight (a retry waiting
 * counts) or held back is sent under ALLOW, recorded as skipped (OVERLAP) under SKIP, and under
 * QUEUE_ONE held back until nothing of the job is in flight (one at most: further ones are
 * skipped). The check and the send are one synchronous step of the loop, so nothing interleaves.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #heap = new FireQueue();
  readonly #jobs = new Map<string, JobRuntime>();
  readonly #lag = new SampleWindow(LAG_WINDOW);
  /**
   * Installed on jobs that hold occurrences back: when one of their occurrences settles, the next
   * held one is sent. In a microtask, so never from inside the dispatcher's own bookkeeping.
   */
  readonly #onSettled = (job: JobRuntime): void => queueMicrotask(() => this.#release(job));
  /**
   * Stamps a job's queued entries: every change of a job's schedule or status takes the next one,
   * so entries queued before it are recognised as stale when they come up.
   */
  #generation = 0;
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
   * Registers a job loaded at start. What an at-least-once job may have had in flight is sent
   * again first, paused or not (see #pauseHeld); the occurrences missed while the service was
   * down are then planned by the job's misfire policy (skips: MISFIRE). Pass the same `now` for
   * every job of a restore, so jobs sharing a schedule share its arithmetic.
   */
  restore(job: SchedulableJob, now: number): void {
    const runtime = new JobRuntime(job.id, job.spec, job.compiled, job.status, ++this.#generation, job.cursorAt);
    this.#jobs.set(job.id, runtime);
    const cursorAt = this.#recoverIntended(runtime, job, now);
    runtime.position = cursorAt;
    if (job.status !== 'ACTIVE') {
      if (runtime.holding) this.#pauseHeld(runtime, now);
      return;
    }
    this.#activeJobs++;
    const plan = planMisfire(job.compiled, job.spec.policy, cursorAt, now, now);
    this.#hold(runtime, plan, 'MISFIRE', now);
    // With nothing missed, the next fire is the first after now.
    runtime.position = plan.latest ?? Math.max(cursorAt, now);
    this.#enqueueNext(runtime, job.intentAt);
    this.#enqueueRelease(runtime, now);
  }

  /**
   * Adds a new job, or applies a change to a known one. The schedule restarts after `afterMs`;
   * entries of the previous version become stale. Occurrences in flight keep going; held ones
   * keep waiting, unless the job is paused: then they are recorded as skipped (PAUSED), but for
   * recovery sends, which go out all the same (see #pauseHeld).
   */
  upsert(job: SchedulableJob, afterMs: number): void {
    let runtime = this.#jobs.get(job.id);
    if (runtime) {
      if (runtime.status === 'ACTIVE') this.#activeJobs--;
      runtime.spec = job.spec;
      runtime.compiled = job.compiled;
      runtime.status = job.status;
      runtime.version = ++this.#generation;
      runtime.position = afterMs;
      runtime.nextFireAt = null;
    } else {
      runtime = new JobRuntime(job.id, job.spec, job.compiled, job.status, ++this.#generation, afterMs);
      this.#jobs.set(job.id, runtime);
    }
    if (runtime.status !== 'ACTIVE') {
      if (runtime.holding) this.#pauseHeld(runtime, this.#options.clock.now());
      return;
    }
    this.#activeJobs++;
    this.#enqueueNext(runtime, job.intentAt);
  }

  /**
   * Resumes a paused job from `now`. The occurrences that fell due while it was paused (after its
   * cursor and after whatever of it is still in flight) are planned by its misfire policy: those
   * it runs are sent as catch-ups, the others are recorded as skipped (PAUSED), so the pause
   * leaves a trace.
   */
  resume(job: SchedulableJob, now: number): void {
    const known = this.#jobs.get(job.id);
    const after = Math.max(scheduleCursor(job), known?.accountedUpTo ?? Number.NEGATIVE_INFINITY);
    const plan = planMisfire(job.compiled, job.spec.policy, after, now, now);
    this.upsert(job, plan.latest ?? now);
    const runtime = this.#jobs.get(job.id)!;
    this.#hold(runtime, plan, 'PAUSED', now);
    this.#enqueueRelease(runtime, now);
  }

  /**
   * Stops the job's schedule at `now`, ahead of a change of its schedule or delivery type that is
   * being written, and returns what of the job is not settled: its occurrences in flight (sent, or
   * waiting for a retry) and held back, ascending, each with the type it was sent under (`job`'s,
   * or the one it was owed with before). The change must keep owing those, since the new spec
   * starts after `now`. A fire already due and not sent yet goes out first, so it is among them. Of a paused
   * job, what fell due during the pause is recorded as skipped (PAUSED) now, as a resume would
   * have. Until `upsert` gives the job a schedule again (the new one, or the old one when the
   * write failed), none of its fires is due. Empty when the engine does not know the job.
   */
  suspend(job: SchedulableJob, now: number): OwedOccurrence[] {
    const runtime = this.#jobs.get(job.id);
    if (!runtime) return [];
    if (runtime.status !== 'ACTIVE') {
      const missed = occurrencesBetween(runtime.compiled, Math.max(scheduleCursor(job), runtime.accountedUpTo), now);
      if (missed) this.#recordSkip(runtime, missed, 'PAUSED', now);
    }
    const due = runtime.nextFireAt;
    if (due !== null && due <= now && !this.#isStale(runtime, runtime.version)) {
      this.#lag.record(now - due);
      if (now - due > MISFIRE_THRESHOLD_MIN_MS) this.#fireLate(runtime, due, now);
      else this.#fire(runtime, due, now);
    }
    runtime.version = ++this.#generation;
    runtime.nextFireAt = null;
    const owedBefore = new Map(job.owed.map(({ at, type }) => [at, type]));
    return runtime.unsettledInstants().map((at) => ({ at, type: owedBefore.get(at) ?? job.spec.type }));
  }

  /** Sends one occurrence of the job now, outside its schedule; returns its instant. */
  fireNow(jobId: string): number | null {
    const runtime = this.#jobs.get(jobId);
    if (!runtime) return null;
    const now = this.#options.clock.now();
    this.#options.dispatcher.dispatch({ job: runtime, scheduledAt: now, trigger: 'MANUAL', attempt: 1, maxAttempts: runtime.spec.maxAttempts });
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
    this.#options.dispatcher.dispatch({ job: runtime, scheduledAt, trigger, attempt: 1, maxAttempts: runtime.spec.maxAttempts });
    return true;
  }

  /** Forgets a job; its pending heap entry becomes stale and what it held back is dropped. */
  remove(jobId: string): void {
    const runtime = this.#jobs.get(jobId);
    if (!runtime) return;
    if (runtime.status === 'ACTIVE') this.#activeJobs--;
    runtime.removed = true;
    runtime.nextFireAt = null;
    runtime.dropHeld();
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
   * The jobs with occurrences sent and not settled, each with the intent a clean stop keeps
   * (JobRuntime.intentToKeep): after a stop, these are the only intents that still matter (held
   * ones were never sent: a restart plans them again).
   */
  unsettledIntents(): Array<[string, number]> {
    const unsettled: Array<[string, number]> = [];
    for (const runtime of this.#jobs.values()) {
      const at = runtime.intentToKeep;
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
   * when the service stopped, and have no outcome; so may the owed ones of a replaced schedule
   * past the cursor, which come first. At-least-once: they are sent again, first, with their own
   * idempotency keys (trigger RECOVERY), one at a time like catch-ups. At-most-once: they are
   * recorded as UNKNOWN and never sent again. Past MAX_RECOVERED_OCCURRENCES, they are recorded as
   * skipped. Returns the instant the schedule resumes after.
   */
  #recoverIntended(runtime: JobRuntime, job: SchedulableJob, now: number): number {
    let recovered = 0;
    for (const { at, type } of job.owed) {
      if (at <= job.cursorAt) continue;
      if (recovered++ < MAX_RECOVERED_OCCURRENCES) this.#recoverOne(runtime, job.id, type, at);
      else this.#recordSkip(runtime, { fromAt: at, toAt: at, count: 1 }, 'MISFIRE', now);
    }
    const from = scheduleCursor(job);
    if (job.intentAt === null || job.intentAt <= from) return from;
    const until = Math.min(job.intentAt, now);
    let at = job.compiled.nextAfter(from);
    for (; at !== null && at <= until && recovered < MAX_RECOVERED_OCCURRENCES; at = job.compiled.nextAfter(at), recovered++) {
      this.#recoverOne(runtime, job.id, job.spec.type, at);
    }
    const rest = at !== null && at <= until ? occurrencesBetween(job.compiled, at - 1, until) : null;
    if (rest) this.#recordSkip(runtime, rest, 'MISFIRE', now);
    return Math.max(from, until);
  }

  /** Holds back an occurrence that may have been sent, to send it again; or records it UNKNOWN (sent at most once). */
  #recoverOne(runtime: JobRuntime, jobId: string, type: DeliveryType, at: number): void {
    if (type === 'ATLEAST_ONCE') {
      runtime.hold({ at, trigger: 'RECOVERY' }, this.#onSettled);
      return;
    }
    // An outcome now, in memory too: a resume before the record is written plans after it. The
    // record's cursor stops before any recovery send still held (one owed at least once).
    const cursorAt = runtime.skipped(at);
    this.#options.log.recordExecution({
      jobId,
      scheduledAt: at,
      startedAt: at,
      durationMs: 0,
      attempt: 1,
      trigger: 'SCHEDULE',
      statusCode: null,
      success: false,
      outcome: 'UNKNOWN',
      error: 'outcome unknown: the service stopped while this at-most-once call may have been in flight; it is not sent again',
      cursorAt,
    });
  }

  /** Records a plan's skipped range (with `reason`) and holds back the occurrences it runs. */
  #hold(runtime: JobRuntime, plan: MisfirePlan, reason: SkipReason, now: number): void {
    if (plan.skipped) this.#recordSkip(runtime, plan.skipped, reason, now);
    for (const at of plan.run) runtime.hold({ at, trigger: 'CATCH_UP' }, this.#onSettled);
  }

  /** Records skipped occurrences, tells listeners, and lets the job's cursor pass them. */
  #recordSkip(runtime: JobRuntime, range: OccurrenceRange, reason: SkipReason, now: number): void {
    const record = { jobId: runtime.id, ...range, reason, createdAt: now };
    this.#options.log.recordSkip(record);
    this.#options.events.emit('occurrences:skipped', record);
    runtime.skipped(range.toAt);
  }

  /**
   * What a paused job held back: its recovery sends still go out (JobRuntime.dropHeld), the rest
   * are recorded as skipped (PAUSED), one record per run of consecutive occurrences.
   */
  #pauseHeld(runtime: JobRuntime, now: number): void {
    const held = runtime.dropHeld(true);
    for (let first = 0; first < held.length; ) {
      let last = first;
      while (last + 1 < held.length && runtime.compiled.nextAfter(held[last]!.at) === held[last + 1]!.at) last++;
      this.#recordSkip(runtime, { fromAt: held[first]!.at, toAt: held[last]!.at, count: last - first + 1 }, 'PAUSED', now);
      first = last + 1;
    }
    this.#enqueueRelease(runtime, now);
  }

  /**
   * Queues the job's next fire and announces its intent, unless the stored intent (`durableIntentAt`)
   * already covers it: then there is nothing to write, and nothing for an at-most-once send to wait for.
   */
  #enqueueNext(runtime: JobRuntime, durableIntentAt: number | null = null): void {
    const at = runtime.compiled.nextAfter(runtime.position);
    if (at === null) {
      runtime.nextFireAt = null;
      return;
    }
    runtime.position = at;
    runtime.nextFireAt = at;
    runtime.intentTicket = durableIntentAt !== null && at <= durableIntentAt ? 0 : this.#options.log.announceIntent(runtime.id, at);
    this.#push({ at, job: runtime, version: runtime.version, kind: 'SCHEDULE' });
  }

  /** Has the loop send what the job holds back, from its next wake (after start, when not yet started). */
  #enqueueRelease(runtime: JobRuntime, now: number): void {
    if (runtime.holding) this.#push({ at: now, job: runtime, version: runtime.version, kind: 'HELD' });
  }

  #push(entry: HeapEntry): void {
    this.#heap.push(entry);
    if (entry.at < this.#timerAt) this.#arm();
    if (this.#heap.size > COMPACT_OVER + 2 * this.#jobs.size) this.#compact();
  }

  /**
   * Drops the stale entries from the queue at once. A change of a job leaves its queued entry
   * stale until that instant comes, which for an hourly or daily schedule is a long time: under a
   * stream of changes the queue would grow with them, not with the jobs. A live job has at most
   * two entries queued (its next fire, a release of what it holds), so past twice the jobs (and
   * COMPACT_OVER) the queue is mostly stale, and this costs O(n) once it doubled.
   */
  #compact(): void {
    this.#stale += this.#heap.compact((job, version, kind) => kind === 'HELD' || !this.#isStale(job, version));
  }

  /** Whether an entry queued for `job` at `version` no longer fires: the job changed, paused or went. */
  #isStale(job: JobRuntime, version: number): boolean {
    return job.removed || version !== job.version || job.status !== 'ACTIVE';
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
    const clock = this.#options.clock;
    const now = clock.now();
    const due: HeapEntry[] = [];
    for (let top = this.#heap.peek(); top !== undefined && top.at <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      if (top.kind === 'HELD' || !this.#isStale(top.job, top.version)) due.push(top);
      else this.#stale++;
    }
    if (due.length === 0) this.#earlyWakes++;
    // Send everything that is due before computing any next fire: cron arithmetic must not delay
    // the last fire of a burst. Fires later than the least misfire threshold are looked at after
    // the burst went out: they were late already, and sorting them out takes cron arithmetic.
    // Lag is read per fire, after the ones before it in the burst went out: it is what the last
    // job of a large burst really waits.
    let late: HeapEntry[] | null = null;
    for (const entry of due) {
      if (entry.kind === 'HELD') {
        this.#release(entry.job);
        continue;
      }
      this.#lag.record(clock.now() - entry.at);
      if (now - entry.at > MISFIRE_THRESHOLD_MIN_MS) (late ??= []).push(entry);
      else this.#fire(entry.job, entry.at, now);
    }
    if (late !== null) for (const entry of late) this.#fireLate(entry.job, entry.at, now);
    for (const entry of due) if (entry.kind === 'SCHEDULE') this.#enqueueNext(entry.job);
    this.#arm();
  }

  /**
   * Sends a due fire, unless its job is busy and its overlap policy says otherwise. For a job
   * with nothing in flight this costs two field reads.
   */
  #fire(job: JobRuntime, at: number, now: number): void {
    if (job.busy && !this.#admitOverlapping(job, at, now)) return;
    this.#fires++;
    this.#options.dispatcher.dispatch({ job, scheduledAt: at, trigger: 'SCHEDULE', attempt: 1, maxAttempts: job.spec.maxAttempts });
  }

  /**
   * The overlap policy for a fire that falls due while its job is busy: true to send it now.
   * QUEUE_ONE holds it back when nothing else is; any other fire is recorded as skipped.
   */
  #admitOverlapping(job: JobRuntime, at: number, now: number): boolean {
    const policy = job.spec.policy.overlapPolicy;
    if (policy === 'ALLOW') return true;
    if (policy === 'QUEUE_ONE' && !job.holding) job.hold({ at, trigger: 'SCHEDULE' }, this.#onSettled);
    else this.#recordSkip(job, { fromAt: at, toAt: at, count: 1 }, 'OVERLAP', now);
    return false;
  }

  /**
   * A fire reached more than a second late. Within its misfire threshold it is sent as usual;
   * past it, the run of the job's occurrences due by now is planned by its misfire policy.
   * FIRE_ONCE folds them all into the latest, sent as scheduled when that one is itself on time.
   * SKIP and FIRE_ALL plan only the misfired ones and leave those still within the threshold to
   * the schedule. The intent of what is sent is announced before it goes out, so an at-most-once
   * catch-up is never sent without it.
   */
  #fireLate(job: JobRuntime, at: number, now: number): void {
    const threshold = misfireThreshold(job.compiled, at);
    if (now - at <= threshold) {
      this.#fire(job, at, now);
      return;
    }
    const policy = job.spec.policy;
    const foldAll = policy.misfirePolicy === 'FIRE_ONCE';
    const plan = planMisfire(job.compiled, policy, at - 1, foldAll ? now : now - threshold, now);
    const latest = plan.latest ?? at;
    job.position = latest;
    if (plan.run.length > 0) job.intentTicket = this.#options.log.announceIntent(job.id, latest);
    if (foldAll && now - latest <= threshold) {
      if (plan.skipped) this.#recordSkip(job, plan.skipped, 'MISFIRE', now);
      this.#fire(job, latest, now);
      return;
    }
    this.#hold(job, plan, 'MISFIRE', now);
    this.#release(job);
  }

  /** Sends the job's oldest held occurrence if it may go now (see JobRuntime.takeReleasable). */
  #release(job: JobRuntime): void {
    if (!this.#running || job.removed) return;
    const next = job.takeReleasable();
    if (next === null) return;
    this.#fires++;
    this.#options.dispatcher.dispatch({ job, scheduledAt: next.at, trigger: next.trigger, attempt: 1, maxAttempts: job.spec.maxAttempts });
  }
}
