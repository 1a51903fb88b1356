import { randomUUID } from 'node:crypto';
import { compileSchedule } from '../domain/cron.ts';
import { JobNotFoundError } from '../domain/errors.ts';
import { affectsSchedule, checkJobUpdate, checkNewJob, type CheckedSpec } from '../domain/job-spec.ts';
import type { Clock } from '../engine/clock.ts';
import type { EventBus } from '../engine/events.ts';
import type { Scheduler } from '../engine/scheduler.ts';
import type { JobRepository, StoredExecution, StoredJob, ExecutionTotals } from '../store/job-repository.ts';

/** A job as the API shows it: what is stored, plus the engine's next fire. */
export interface JobView extends StoredJob {
  nextFireAt: number | null;
}

export interface JobServiceDeps {
  jobs: JobRepository;
  scheduler: Scheduler;
  events: EventBus;
  clock: Clock;
  defaultTimeoutMs: number;
}

/**
 * The use cases on jobs. Both transports (REST and GraphQL) call these and nothing else for any
 * change: validation, persistence and rescheduling happen here, in that order, so a refused or
 * failed write never reaches the engine.
 */
export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  async createJob(input: unknown): Promise<JobView> {
    const checked = checkNewJob(input, this.deps.defaultTimeoutMs);
    const now = this.deps.clock.now();
    const stored = await this.deps.jobs.insert(randomUUID(), checked.spec, now);
    this.#schedule(stored, checked, now);
    this.deps.events.emit('job:created', { jobId: stored.id });
    return this.#view(stored);
  }

  /** Applies a partial update; a new schedule takes effect at once, from now. */
  async updateJob(jobId: string, input: unknown): Promise<JobView> {
    const current = await this.#require(jobId);
    const checked = checkJobUpdate(current.spec, input);
    const now = this.deps.clock.now();
    const rescheduled = affectsSchedule(current.spec, checked.spec);
    // A new schedule starts from now: occurrences of the old one between the cursor and now are
    // not owed after a restart. An unchanged schedule keeps its cursor, and so its guarantees.
    const stored = await this.deps.jobs.update(current, checked.spec, rescheduled ? now : current.cursorAt, now);
    this.#schedule(stored, checked, rescheduled ? now : this.#resumeAfter(stored, now));
    this.deps.events.emit('job:updated', { jobId });
    return this.#view(stored);
  }

  async getJob(jobId: string): Promise<JobView> {
    return this.#view(await this.#require(jobId));
  }

  async listJobs(): Promise<JobView[]> {
    return (await this.deps.jobs.list()).map((job) => this.#view(job));
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
   * Loads every stored job into the engine at start, planning the catch-up of missed fires. A job
   * whose stored schedule no longer compiles is reported and left out; the others still run.
   */
  async restoreAll(onUnschedulable: (jobId: string, error: unknown) => void): Promise<number> {
    const jobs = await this.deps.jobs.list();
    for (const job of jobs) {
      try {
        this.deps.scheduler.restore({ ...job, compiled: compileSchedule(job.spec.schedule, job.spec.timezone) });
      } catch (error: unknown) {
        onUnschedulable(job.id, error);
      }
    }
    return jobs.length;
  }

  async #require(jobId: string): Promise<StoredJob> {
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

  #schedule(job: StoredJob, checked: CheckedSpec, afterMs: number): void {
    this.deps.scheduler.upsert({ ...job, spec: checked.spec, compiled: checked.compiled }, afterMs);
  }

  #view(job: StoredJob): JobView {
    return { ...job, nextFireAt: this.deps.scheduler.get(job.id)?.nextFireAt ?? null };
  }
}
