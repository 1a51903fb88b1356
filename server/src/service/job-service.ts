import { compileSchedule, DEFAULT_DST, upcomingFires, type DstMark, type DstOptions } from '../domain/cron.ts';
import { dialectWarnings } from '../domain/cron-dialect.ts';
import { describeSchedule } from '../domain/describe-schedule.ts';
import { dstWarnings } from '../domain/dst-warnings.ts';
import { JobNotFoundError, ValidationError } from '../domain/errors.ts';
import { affectsSchedule, checkJobUpdate, type CheckedSpec, type JobSpec } from '../domain/job-spec.ts';
import { NewJobChecks } from '../domain/new-job-checks.ts';
import { decodeCursor, encodeCursor } from '../domain/page-cursor.ts';
import type { Clock } from '../engine/clock.ts';
import type { EventBus } from '../engine/events.ts';
import type { SchedulableJob, Scheduler } from '../engine/scheduler.ts';
import { CreatesUnderWay } from './creates-under-way.ts';
import { PerKeyQueue } from './per-key-queue.ts';
import { newJobId } from './job-ids.ts';
import { targetsOf, type TargetCheck, type TargetField } from './target-check.ts';
import type {
  ExecutionFilter,
  ExecutionTotals,
  JobFilter,
  JobKey,
  JobRepository,
  StoredAlert,
  StoredExecution,
  StoredJob,
} from '../store/job-repository.ts';

/** A job as the API shows it: what is stored, plus the engine's next fire. */
export interface JobView extends StoredJob {
  nextFireAt: number | null;
}

/** One page of a list in a stable order, Relay-style. */
export interface Page<T> {
  items: T[];
  /** The cursor of an item of the page, encoded when it is asked for: most reads ask only for the items. */
  cursorOf: (item: T) => string;
  hasNextPage: boolean;
}

export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

/** Jobs restored between two turns of the event loop at start. */
const RESTORE_CHUNK = 10_000;

/** Most jobs one createJobs call may create. */
export const MAX_BATCH_CREATE = 10_000;
/**
 * Jobs of a createJobs call validated, or scheduled, between two quiet moments of the engine:
 * a few milliseconds of work. A batch of 10,000 done in one go held the engine's thread for
 * about 170 ms here, and every fire due meanwhile waited for it.
 */
const BATCH_CHUNK = 250;

/** Longest page a client may ask for. */
export const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;
/** Most fire times a preview computes. */
export const MAX_PREVIEW_COUNT = 100;

/** One upcoming fire, and how DST affected it (null when it did not). */
export interface PreviewFire {
  at: number;
  dst: DstMark | null;
}

export interface SchedulePreview {
  expression: string;
  timezone: string;
  description: string;
  fires: PreviewFire[];
  /** Plain sentences: where another cron dialect would read the expression differently, and what DST does to it. */
  warnings: string[];
}

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError('first', `"first" must be an integer between 1 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

function checkPreviewCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PREVIEW_COUNT) {
    throw new ValidationError('count', `"count" must be an integer between 1 and ${MAX_PREVIEW_COUNT}, got ${count}`);
  }
}

/**
 * The URLs of a batch's new jobs to check, each spec's once, under the first input that states it.
 * Equal inputs share one spec (NewJobChecks), so a batch of 10,000 jobs to one URL checks one
 * target instead of building 10,000. A spec's URLs first appear at its first input, so the first
 * refused field, in input order, is the one that checking every input would name.
 */
function batchTargets(checked: readonly CheckedSpec[]): TargetField[] {
  const seen = new Set<JobSpec>();
  const targets: TargetField[] = [];
  for (let index = 0; index < checked.length; index++) {
    const { spec } = checked[index]!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const target of targetsOf(spec, null, `inputs[${index}].`)) targets.push(target);
  }
  return targets;
}

const jobCursor = (job: JobView): string => encodeCursor({ createdAt: job.createdAt, id: job.id });
const executionCursor = (execution: StoredExecution): string => encodeCursor({ id: execution.id });

const isJobKey = (value: unknown): value is JobKey =>
  typeof value === 'object' && value !== null && typeof (value as JobKey).createdAt === 'number' && typeof (value as JobKey).id === 'string';
const isExecutionKey = (value: unknown): value is { id: number } =>
  typeof value === 'object' && value !== null && Number.isInteger((value as { id: unknown }).id);

export interface JobServiceDeps {
  jobs: JobRepository;
  scheduler: Scheduler;
  events: EventBus;
  clock: Clock;
  defaultTimeoutMs: number;
  /**
   * Resolves once every outcome the engine has handed to the execution log is durable
   * (ExecutionWriter.whenWritten): a schedule change waits for it before it writes the job.
   */
  outcomesWritten: () => Promise<void>;
  /** TARGET_POLICY on the URLs a change sets, after DNS; none checks nothing. */
  checkTargets?: TargetCheck;
  /**
   * Resolves when the API's work may go on without delaying a fire (EnginePacer.whenQuiet):
   * createJobs yields to it between chunks of BATCH_CHUNK jobs. None: it goes on at once.
   */
  pace?: () => Promise<void>;
}

/**
 * The use cases on jobs. Both transports (REST and GraphQL) call these and nothing else for any
 * change: validation, persistence and rescheduling happen here, in that order, so a refused or
 * failed write never reaches the engine.
 */
export class JobService {
  readonly #underWay = new CreatesUnderWay();
  /** Changes of one job are applied one at a time: each reads the job as the one before left it. */
  readonly #changes = new PerKeyQueue();
  readonly #newJobChecks: NewJobChecks;

  constructor(private readonly deps: JobServiceDeps) {
    this.#newJobChecks = new NewJobChecks(deps.defaultTimeoutMs);
  }

  /**
   * Resolves once every create under way has ended. A clean stop waits for it before it takes
   * back the intents of fires that never went out, so no new row keeps one.
   */
  idle(): Promise<void> {
    return this.#underWay.idle();
  }

  createJob(input: unknown): Promise<JobView> {
    return this.#underWay.count(this.#createJob(input));
  }

  /**
   * Creates many jobs at once: all are validated first (an error names the input's index and
   * field), then written in one transaction and scheduled — all or none. Validation and
   * scheduling go in chunks between the engine's bursts, so a large batch never holds a fire;
   * each chunk found valid is written aside at once (StoredJobBatch), so the writer's thread
   * stages it while the next one is checked. The jobs are created at the commit, and their
   * schedules start there. A change of one of its jobs waits until the batch is scheduled.
   */
  createJobs(inputs: unknown): Promise<JobView[]> {
    return this.#underWay.count(this.#createJobs(inputs));
  }

  async #createJob(input: unknown): Promise<JobView> {
    const checked = this.#newJobChecks.check(input);
    await this.deps.checkTargets?.(targetsOf(checked.spec));
    const now = this.deps.clock.now();
    const stored = await this.deps.jobs.insert(newJobId(), checked.spec, now, checked.compiled.nextAfter(now));
    this.#schedule(stored, checked, now);
    this.deps.events.emit('job:created', { jobId: stored.id });
    return this.#view(stored);
  }

  async #createJobs(inputs: unknown): Promise<JobView[]> {
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_BATCH_CREATE) {
      throw new ValidationError('inputs', `"inputs" must be a list of 1 to ${MAX_BATCH_CREATE} jobs`);
    }
    // The instant each job's first intent is computed from; the jobs are created at the commit.
    const checkedAt = this.deps.clock.now();
    const batch = this.deps.jobs.openBatch();
    let checked: CheckedSpec[];
    try {
      checked = await this.#inChunks(
        inputs,
        (input: unknown, index) => {
          try {
            return this.#newJobChecks.check(input);
          } catch (error: unknown) {
            if (error instanceof ValidationError) throw new ValidationError(`inputs[${index}].${error.field}`, `inputs[${index}]: ${error.message}`);
            throw error;
          }
        },
        // Each part is written aside as soon as it is valid, while the next one is checked.
        (part) => batch.add(part.map(({ spec, compiled }) => ({ id: newJobId(), spec, intentAt: compiled.nextAfter(checkedAt) }))),
      );
      await this.deps.checkTargets?.(batchTargets(checked));
    } catch (error: unknown) {
      batch.drop();
      throw error;
    }
    // Schedules start at the commit, as a single create's do at its insert: a fire that fell due
    // while the batch was checked is not theirs. An intent computed before it and now passed
    // stays behind the cursor, where it asks nothing of a restart.
    const now = this.deps.clock.now();
    const stored = await batch.commit(now);
    const scheduling = this.#inChunks(stored, (job, index) => {
      this.#schedule(job, checked[index]!, now);
      this.deps.events.emit('job:created', { jobId: job.id });
      return this.#view(job);
    });
    return this.#underWay.scheduling(
      stored.map((job) => job.id),
      scheduling,
    );
  }

  /**
   * Maps `items` BATCH_CHUNK at a time, handing each chunk's results to `eachChunk`. Before each
   * chunk after the first it lets the event loop turn, so that due timers (the engine's) and I/O
   * run first, then waits for a quiet moment.
   */
  async #inChunks<T, R>(items: readonly T[], map: (item: T, index: number) => R, eachChunk?: (results: readonly R[]) => void): Promise<R[]> {
    const results: R[] = [];
    for (let start = 0; start < items.length; start += BATCH_CHUNK) {
      if (start > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        await this.deps.pace?.();
      }
      const end = Math.min(start + BATCH_CHUNK, items.length);
      for (let index = start; index < end; index++) results.push(map(items[index]!, index));
      eachChunk?.(results.slice(start));
    }
    return results;
  }

  /**
   * Applies a partial update. A new schedule or delivery type takes effect at once, from now. The
   * engine stops the old spec first, and the row keeps what of it is not settled then, with the
   * type it was sent under, which a restart still owes (the cursor stays before it). An unchanged
   * schedule and type resume where they were. When the write fails, the old spec goes on from
   * where it stopped.
   */
  updateJob(jobId: string, input: unknown): Promise<JobView> {
    return this.#changes.run(jobId, () => this.#updateJob(jobId, input));
  }

  async #updateJob(jobId: string, input: unknown): Promise<JobView> {
    const current = await this.#require(jobId);
    const checked = checkJobUpdate(current.spec, input);
    await this.deps.checkTargets?.(targetsOf(checked.spec, current.spec));
    const now = this.deps.clock.now();
    let stored: StoredJob;
    if (affectsSchedule(current.spec, checked.spec) || checked.spec.type !== current.spec.type) stored = await this.#reschedule(current, checked, now);
    else {
      stored = await this.deps.jobs.update(current, checked.spec, now, null);
      this.#schedule(stored, checked, this.#resumeAfter(stored, now));
    }
    this.deps.events.emit('job:updated', { jobId });
    return this.#view(stored);
  }

  /** Pauses a job: no fire until it is resumed. Pausing a paused job changes nothing. */
  pauseJob(jobId: string): Promise<JobView> {
    return this.#changes.run(jobId, async () => {
      const current = await this.#require(jobId);
      if (current.status === 'PAUSED') return this.#view(current);
      return this.#view(await this.#pause(current, null));
    });
  }

  /**
   * Pauses a job on the service's own initiative (410 Gone, too many failures in a row), keeping
   * the reason; resumes clear it. Resolves false when the job is gone or already paused.
   */
  pauseJobForReason(jobId: string, reason: string): Promise<boolean> {
    return this.#changes.run(jobId, async () => {
      const current = await this.deps.jobs.find(jobId);
      if (!current || current.status === 'PAUSED') return false;
      await this.#pause(current, reason);
      return true;
    });
  }

  /** The latest alert deliveries of a job, newest first. */
  latestAlerts(jobId: string, first: number | null | undefined): Promise<StoredAlert[]> {
    return this.deps.jobs.latestAlerts(jobId, pageSize(first));
  }

  /**
   * Resumes a paused job from now. What fell due during the pause is planned by the job's misfire
   * policy: run as catch-ups, or recorded as skipped. The cursor stays where it was, so a
   * catch-up interrupted by a crash is still owed after a restart. Resuming an active job changes
   * nothing.
   */
  resumeJob(jobId: string): Promise<JobView> {
    return this.#changes.run(jobId, () => this.#resumeJob(jobId));
  }

  async #resumeJob(jobId: string): Promise<JobView> {
    const current = await this.#require(jobId);
    if (current.status === 'ACTIVE') return this.#view(current);
    const now = this.deps.clock.now();
    const stored = await this.deps.jobs.setStatus(current, 'ACTIVE', now);
    this.deps.scheduler.resume(this.#schedulable(stored, this.#compile(stored)), now);
    this.deps.events.emit('job:resumed', { jobId });
    return this.#view(stored);
  }

  /** Fires the job once now, outside its schedule (recorded as a MANUAL execution); paused jobs too. */
  async triggerJob(jobId: string): Promise<{ job: JobView; scheduledAt: number }> {
    const job = await this.#require(jobId);
    const scheduledAt = this.deps.scheduler.fireNow(jobId);
    if (scheduledAt === null) throw new JobNotFoundError(jobId);
    return { job: this.#view(job), scheduledAt };
  }

  /** Deletes a job and its history; calls in flight finish but are not recorded. */
  deleteJob(jobId: string): Promise<JobView> {
    return this.#changes.run(jobId, async () => {
      const job = await this.#require(jobId);
      await this.deps.jobs.delete(jobId);
      this.deps.scheduler.remove(jobId);
      this.deps.events.emit('job:deleted', { jobId });
      // Out of the engine: its view has no next fire.
      return this.#view(job);
    });
  }

  async jobsPage(filter: JobFilter, args: PageArgs): Promise<Page<JobView> & { totalCount: () => Promise<number> }> {
    const size = pageSize(args.first);
    const after = args.after ? decodeCursor(args.after, 'after', isJobKey) : null;
    const rows = await this.deps.jobs.pageJobs(filter, size + 1, after);
    const items = rows.slice(0, size).map((job) => this.#view(job));
    return {
      items,
      cursorOf: jobCursor,
      hasNextPage: rows.length > size,
      totalCount: () => this.deps.jobs.countJobs(filter),
    };
  }

  /** Executions newest first; stable under concurrent inserts (see JobRepository.pageExecutions). */
  async executionsPage(filter: ExecutionFilter, args: PageArgs): Promise<Page<StoredExecution>> {
    const size = pageSize(args.first);
    const before = args.after ? decodeCursor(args.after, 'after', isExecutionKey).id : null;
    const rows = await this.deps.jobs.pageExecutions(filter, size + 1, before);
    const items = rows.slice(0, size);
    return { items, cursorOf: executionCursor, hasNextPage: rows.length > size };
  }

  /**
   * Validates an expression and lists its next fire times under the given DST policies (the
   * defaults when absent), with warnings; throws InvalidScheduleError when invalid.
   */
  previewSchedule(expression: string, timezone: string, count: number, dst: Partial<DstOptions> = {}): SchedulePreview {
    checkPreviewCount(count);
    const compiled = compileSchedule(expression, timezone, {
      dstGap: dst.dstGap ?? DEFAULT_DST.dstGap,
      dstOverlap: dst.dstOverlap ?? DEFAULT_DST.dstOverlap,
    });
    const now = this.deps.clock.now();
    return {
      expression: compiled.expression,
      timezone,
      description: describeSchedule(compiled.expression),
      fires: upcomingFires(compiled, now, count).map((at) => ({ at, dst: compiled.dstMark(at) })),
      warnings: [...dialectWarnings(compiled.expression), ...dstWarnings(compiled, now)],
    };
  }

  /**
   * The next `count` fire times of a job from now, from the engine's compiled schedule (no
   * parse); none while the job is paused.
   */
  nextFireTimes(job: JobView, count: number): number[] {
    checkPreviewCount(count);
    if (job.status === 'PAUSED') return [];
    const compiled = this.deps.scheduler.get(job.id)?.compiled ?? compileSchedule(job.spec.schedule, job.spec.timezone, job.spec.policy);
    return upcomingFires(compiled, this.deps.clock.now(), count);
  }

  async getJob(jobId: string): Promise<JobView> {
    return this.#view(await this.#require(jobId));
  }

  /** The job, or null when no job has this id. */
  async findJob(jobId: string): Promise<JobView | null> {
    const job = await this.deps.jobs.find(jobId);
    return job ? this.#view(job) : null;
  }

  /**
   * Every job, oldest first, `chunk` at a time: a million jobs are never all in memory at once,
   * and between chunks the engine gets its quiet moment.
   */
  async *allJobs(chunk: number): AsyncGenerator<JobView[]> {
    let after: JobKey | null = null;
    for (;;) {
      const rows: StoredJob[] = await this.deps.jobs.pageJobs({}, chunk, after);
      if (rows.length === 0) return;
      yield rows.map((job) => this.#view(job));
      if (rows.length < chunk) return;
      const last = rows.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
      await this.deps.pace?.();
    }
  }

  /** The latest executions of a job, newest first. */
  async latestExecutions(jobId: string, limit: number): Promise<StoredExecution[]> {
    await this.#require(jobId);
    return this.deps.jobs.latestExecutions(jobId, limit);
  }

  executionTotals(): Promise<ExecutionTotals> {
    return this.deps.jobs.totals();
  }

  /**
   * Loads every stored job into the engine at start, planning the catch-up of missed fires. Jobs
   * are restored in chunks with the engine already running, so with a million jobs the first ones
   * fire on time while the rest are still being read. A job whose stored schedule no longer
   * compiles is reported and left out; the others still run.
   */
  async restoreAll(onUnschedulable: (jobId: string, error: unknown) => void): Promise<number> {
    // One instant for the whole restore: jobs sharing a schedule share its (remembered) arithmetic.
    // A fire that falls due while later chunks are read goes out as soon as its job is restored.
    const now = this.deps.clock.now();
    let count = 0;
    for (const job of this.deps.jobs.scheduleRows()) {
      try {
        const compiled = compileSchedule(job.spec.schedule, job.spec.timezone, job.spec.policy);
        // The compiled schedule's string is shared by every job that uses it.
        this.deps.scheduler.restore({ ...job, spec: { ...job.spec, schedule: compiled.expression }, compiled }, now);
      } catch (error: unknown) {
        onUnschedulable(job.id, error);
      }
      if (++count % RESTORE_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return count;
  }

  /** The stored job, for a change: once the batch that created it is scheduled. */
  async #require(jobId: string): Promise<StoredJob> {
    await this.#underWay.scheduled(jobId);
    const job = await this.deps.jobs.find(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
  }

  /**
   * Where an unchanged schedule resumes: just before the next fire the engine had planned, so an
   * update of the URL or timeout neither skips nor repeats a fire.
   */
  #resumeAfter(job: StoredJob, now: number): number {
    const planned = this.deps.scheduler.get(job.id)?.nextFireAt;
    return planned === null || planned === undefined ? now : planned - 1;
  }

  /**
   * Replaces the job's schedule or delivery type from `now` (see updateJob). The outcomes the
   * engine already has are made durable first: the row then says that the new spec took over at
   * `now`, and a restart owes nothing of the old one before it but what the row lists.
   */
  async #reschedule(current: StoredJob, checked: CheckedSpec, now: number): Promise<StoredJob> {
    const owed = this.deps.scheduler.suspend(this.#schedulable(current, this.#compile(current)), now);
    let stored: StoredJob;
    try {
      await this.deps.outcomesWritten();
      stored = await this.deps.jobs.update(current, checked.spec, now, { at: now, owed });
    } catch (error: unknown) {
      this.#schedule(current, this.#compile(current), now);
      throw error;
    }
    this.#schedule(stored, checked, now);
    return stored;
  }

  /** Writes the pause, then tells the engine, then announces it: all three agree. */
  async #pause(current: StoredJob, reason: string | null): Promise<StoredJob> {
    const now = this.deps.clock.now();
    const stored = await this.deps.jobs.setStatus(current, 'PAUSED', now, reason);
    this.#schedule(stored, this.#compile(stored), now);
    this.deps.events.emit('job:paused', { jobId: current.id });
    return stored;
  }

  #compile(job: StoredJob): CheckedSpec {
    return { spec: job.spec, compiled: compileSchedule(job.spec.schedule, job.spec.timezone, job.spec.policy) };
  }

  /** Hands the job to the engine. */
  #schedule(job: StoredJob, checked: CheckedSpec, afterMs: number): void {
    this.deps.scheduler.upsert(this.#schedulable(job, checked), afterMs);
  }

  /** The job as the engine takes it: only the fields it schedules by (a literal, not a copy of the whole stored job). */
  #schedulable({ id, status, cursorAt, intentAt, rescheduledAt, owed }: StoredJob, { spec, compiled }: CheckedSpec): SchedulableJob {
    return { id, spec, compiled, status, cursorAt, intentAt, rescheduledAt, owed };
  }

  /** The job with the engine's next fire, built as one literal: every view has the same shape. */
  #view({ id, spec, status, version, cursorAt, intentAt, rescheduledAt, owed, createdAt, updatedAt, pauseReason, consecutiveFailures, counters }: StoredJob): JobView {
    const nextFireAt = this.deps.scheduler.get(id)?.nextFireAt ?? null;
    return { id, spec, status, version, cursorAt, intentAt, rescheduledAt, owed, createdAt, updatedAt, pauseReason, consecutiveFailures, counters, nextFireAt };
  }
}
