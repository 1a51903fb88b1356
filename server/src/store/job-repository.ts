import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { AlertDelivery as AlertRow, Job as JobRow, Execution as ExecutionRow } from '../generated/prisma/client.ts';
import type { DeliveryType, JobSpec, JobStatus } from '../domain/job-spec.ts';
import { policyOf, policyValues, type PolicyValues } from '../domain/job-policy.ts';
import { DURATION_BUCKETS } from '../domain/duration-histogram.ts';
import type { AlertEvent, AlertRecord, ExecutionRecord, Outcome, OwedOccurrence, Trigger } from '../domain/occurrence.ts';
import type { AttemptRow, SkipRange } from '../domain/occurrence-audit.ts';
import { JobInserter } from './job-inserter.ts';
import type { BatchJobRow } from './job-insert-statement.ts';
import type { WriterThread } from './writer-thread.ts';
import { owedOccurrences, scanScheduleRows, type ScheduleRow } from './job-scan.ts';
import { JobReads } from './job-reads.ts';
import { guardRead, guardStore } from './store-errors.ts';

/** A job as stored: its spec, state and maintained counters. Instants in ms since the epoch. */
export interface StoredJob extends ScheduleRow {
  /** Bumped by every change of the job's spec or status. */
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Why the service paused the job (410 Gone, auto-pause after failures); null otherwise. */
  pauseReason: string | null;
  /** Failed occurrences in a row, reset by a success. */
  consecutiveFailures: number;
  counters: {
    total: number;
    successes: number;
    failures: number;
    totalDurationMs: number;
    lastExecutionAt: number | null;
    lastSuccess: boolean | null;
    /** Execution counts by duration bucket (domain/duration-histogram.ts). */
    durationBuckets: readonly number[];
  };
}

/** A schedule or delivery type replaced by a change: when it stopped applying, and its occurrences without an outcome then. */
export interface ReplacedSchedule {
  at: number;
  owed: readonly OwedOccurrence[];
}

/** One persisted execution: the record the engine produced, with the id it was stored under. */
export interface StoredExecution extends Omit<ExecutionRecord, 'cursorAt' | 'consecutiveFailures' | 'responseSnippet'> {
  id: number;
  responseSnippet: string | null;
}

/** One recorded alert delivery. */
export interface StoredAlert extends AlertRecord {
  id: number;
}

export interface JobFilter {
  status?: JobStatus | undefined;
  /** Case-insensitive substring of the target URL or the schedule. */
  search?: string | undefined;
}

export interface ExecutionFilter {
  jobId?: string | undefined;
  outcome?: Outcome | undefined;
  /** Executions started at or after this instant. */
  from?: number | undefined;
  /** Executions started before this instant. */
  to?: number | undefined;
}

/** Position after a job in the jobs' order (oldest first, then by id). */
export interface JobKey {
  createdAt: number;
  id: string;
}

export interface ExecutionTotals {
  total: number;
  successes: number;
  failures: number;
}

/** A batch of new jobs being written (JobRepository.openBatch). */
export interface StoredJobBatch {
  /** Adds rows to the batch. */
  add(rows: readonly BatchJobRow[]): void;
  /** Inserts every job added in one transaction, created at `at`; resolves with them once they are durable. */
  commit(at: number): Promise<StoredJob[]>;
  /** Gives the batch up: none of its jobs is written. */
  drop(): void;
}

/**
 * The counters of every job right after its insert, shared: a createJobs batch of 10,000 made
 * 30,000 objects of them, which outlived the young generation's collection with the batch.
 */
const NO_EXECUTIONS: StoredJob['counters'] = Object.freeze({
  total: 0,
  successes: 0,
  failures: 0,
  totalDurationMs: 0,
  lastExecutionAt: null,
  lastSuccess: null,
  durationBuckets: Object.freeze(new Array<number>(DURATION_BUCKETS).fill(0)),
});
const NOTHING_OWED: readonly OwedOccurrence[] = Object.freeze([]);

/** A job as it is right after its insert: active, version 1, no executions yet. */
function newStoredJob({ id, spec, intentAt = null }: BatchJobRow, createdAt: number): StoredJob {
  return {
    id,
    spec,
    status: 'ACTIVE',
    version: 1,
    cursorAt: createdAt,
    intentAt,
    rescheduledAt: null,
    owed: NOTHING_OWED,
    createdAt,
    updatedAt: createdAt,
    pauseReason: null,
    consecutiveFailures: 0,
    counters: NO_EXECUTIONS,
  };
}

/** A spec as Job columns: the policy is stored flat. */
function specColumns({ policy, ...fields }: JobSpec): Omit<JobSpec, 'policy'> & PolicyValues {
  return { ...fields, ...policyValues(policy) };
}

function toStoredJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    spec: {
      schedule: row.schedule,
      timezone: row.timezone,
      api: row.api,
      type: row.type as DeliveryType,
      alertWebhook: row.alertWebhook,
      timeoutMs: row.timeoutMs,
      maxAttempts: row.maxAttempts,
      policy: policyOf({
        misfirePolicy: row.misfirePolicy as PolicyValues['misfirePolicy'],
        catchUpLimit: row.catchUpLimit,
        catchUpWindowMs: row.catchUpWindowMs,
        overlapPolicy: row.overlapPolicy as PolicyValues['overlapPolicy'],
        dstGap: row.dstGap as PolicyValues['dstGap'],
        dstOverlap: row.dstOverlap as PolicyValues['dstOverlap'],
        successCodes: row.successCodes,
        successBodyPattern: row.successBodyPattern,
        failingThreshold: row.failingThreshold,
        autoPauseAfter: row.autoPauseAfter,
        lagAlertMs: row.lagAlertMs,
      }),
    },
    status: row.status as JobStatus,
    version: row.version,
    cursorAt: row.cursorAt.getTime(),
    intentAt: row.intentAt?.getTime() ?? null,
    rescheduledAt: row.rescheduledAt?.getTime() ?? null,
    owed: owedOccurrences(row.owedAt),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    pauseReason: row.pauseReason,
    consecutiveFailures: row.consecutiveFailures,
    counters: {
      total: row.totalCount,
      successes: row.successCount,
      failures: row.failureCount,
      totalDurationMs: row.totalDurationMs,
      lastExecutionAt: row.lastExecutionAt?.getTime() ?? null,
      lastSuccess: row.lastSuccess,
      durationBuckets: [
        row.durationBucket0, row.durationBucket1, row.durationBucket2, row.durationBucket3,
        row.durationBucket4, row.durationBucket5, row.durationBucket6, row.durationBucket7,
        row.durationBucket8, row.durationBucket9, row.durationBucket10, row.durationBucket11,
      ],
    },
  };
}

function toStoredExecution(row: ExecutionRow): StoredExecution {
  return {
    id: row.id,
    jobId: row.jobId,
    scheduledAt: row.scheduledAt.getTime(),
    startedAt: row.startedAt.getTime(),
    durationMs: row.durationMs,
    attempt: row.attempt,
    trigger: row.trigger as Trigger,
    statusCode: row.statusCode,
    success: row.success,
    outcome: row.outcome as Outcome,
    error: row.error,
    responseSnippet: row.responseSnippet,
  };
}

function toStoredAlert(row: AlertRow): StoredAlert {
  return {
    id: row.id,
    jobId: row.jobId,
    event: row.event as AlertEvent,
    url: row.url,
    sentAt: row.sentAt.getTime(),
    statusCode: row.statusCode,
    success: row.success,
    error: row.error,
  };
}

/** A job's records for a span of occurrences, read in one snapshot (see JobRepository.occurrenceHistory). */
export interface OccurrenceHistory {
  status: JobStatus;
  cursorAt: number;
  /** When the job's schedule last replaced another; null when it never did. */
  rescheduledAt: number | null;
  updatedAt: number;
  /** Attempt records of the span, except manual runs, ordered by scheduledAt then as written. */
  attempts: AttemptRow[];
  /** Skip ranges that meet the span, ordered by fromAt. */
  skips: SkipRange[];
  /**
   * When retention removed some of the job's executions: the instant the oldest kept one finished.
   * Records are written in the order attempts finish, so every removed one belonged to an
   * occurrence at or before it. Null when nothing was removed but by age (or `checkTrimmed` was false).
   */
  trimmedUpTo: number | null;
}

type HistoryJobRow = { status: string; cursorAt: number; rescheduledAt: number | null; updatedAt: number; totalCount: number };
type TrimRow = { kept: number; oldestFinishedAt: number | null };

/** The audit's reads: one indexed range per table, on the shared connection, in one read transaction. */
class HistoryStatements {
  readonly job: Statement<[string], HistoryJobRow>;
  readonly attempts: Statement<[string, number, number], AttemptRow>;
  readonly skips: Statement<[string, number, number], SkipRange>;
  readonly trim: Statement<[{ jobId: string }], TrimRow>;

  constructor(db: Database) {
    this.job = db.prepare<[string], HistoryJobRow>('SELECT "status", "cursorAt", "rescheduledAt", "updatedAt", "totalCount" FROM "Job" WHERE "id" = ?');
    // Execution(jobId, scheduledAt) serves the range and, with the rowid, the order.
    this.attempts = db.prepare<[string, number, number], AttemptRow>(
      `SELECT "scheduledAt", "startedAt", "attempt", "outcome", "statusCode" FROM "Execution"
       WHERE "jobId" = ? AND "scheduledAt" BETWEEN ? AND ? AND "trigger" <> 'MANUAL' ORDER BY "scheduledAt", "id"`,
    );
    this.skips = db.prepare<[string, number, number], SkipRange>(
      `SELECT "fromAt", "toAt", "reason" FROM "Skip" WHERE "jobId" = ? AND "toAt" >= ? AND "fromAt" <= ? ORDER BY "fromAt", "id"`,
    );
    this.trim = db.prepare<[{ jobId: string }], TrimRow>(
      `SELECT (SELECT count(*) FROM "Execution" WHERE "jobId" = @jobId) AS "kept",
              (SELECT "startedAt" + "durationMs" FROM "Execution" WHERE "jobId" = @jobId ORDER BY "id" LIMIT 1) AS "oldestFinishedAt"`,
    );
  }
}

/**
 * The service's access to jobs and executions, through Prisma. The high-rate execution log is
 * written elsewhere (ExecutionWriter); everything here is API-rate traffic.
 */
export class JobRepository {
  readonly #inserter: JobInserter;
  readonly #reads: JobReads;
  /** The audit's statements, prepared on first use. */
  #history: HistoryStatements | null = null;

  /** `thread`: the writer's thread, where new jobs are inserted; null inserts them on this thread. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sqlite: Database,
    thread: WriterThread | null = null,
  ) {
    this.#inserter = new JobInserter(sqlite, thread);
    this.#reads = new JobReads(sqlite);
  }

  /**
   * Inserts a new job (group commit with concurrent creates), with the intent of its first fire
   * when given; resolves once it is durable.
   */
  async insert(id: string, spec: JobSpec, now: number, intentAt: number | null = null): Promise<StoredJob> {
    const row = { id, spec, createdAt: now, intentAt };
    await this.#inserter.insert(row);
    return newStoredJob(row, now);
  }

  /**
   * Starts a batch of new jobs: rows added part by part (each part written aside at once, see
   * JobInserter.openBatch), inserted in one transaction at its commit, all or none.
   */
  openBatch(): StoredJobBatch {
    const batch = this.#inserter.openBatch();
    return {
      add: (rows) => batch.add(rows),
      commit: async (at) => (await batch.commit(at)).map((row) => newStoredJob(row, at)),
      drop: () => batch.drop(),
    };
  }

  /**
   * Every job's scheduling fields, streamed (see scanScheduleRows) on a connection of its own:
   * an open cursor would keep the shared one busy while the engine already writes.
   */
  *scheduleRows(): Generator<ScheduleRow> {
    const reader = new BetterSqlite3(this.sqlite.name, { readonly: true, timeout: 5_000 });
    try {
      yield* scanScheduleRows(reader);
    } finally {
      reader.close();
    }
  }

  /**
   * Writes a new spec. With `replaced`, the spec's schedule replaces the one before: the row keeps
   * when, and which occurrences of the old schedule had no outcome yet. The cursor is left to the
   * writer's thread, so it still stops before those until they settle.
   */
  update(current: StoredJob, spec: JobSpec, now: number, replaced: ReplacedSchedule | null): Promise<StoredJob> {
    const rescheduling = replaced === null ? {} : { rescheduledAt: new Date(replaced.at), owedAt: replaced.owed.length === 0 ? null : JSON.stringify(replaced.owed) };
    return this.#change(current.id, { ...specColumns(spec), ...rescheduling, version: { increment: 1 }, updatedAt: new Date(now) });
  }

  /**
   * Applies `data` and answers the row as it then is. The cursor is never written here: only the
   * writer's thread moves it, with the outcomes that let it pass.
   */
  async #change(id: string, data: Prisma.JobUpdateInput): Promise<StoredJob> {
    return toStoredJob(await guardStore(this.prisma.job.update({ where: { id }, data })));
  }

  async find(id: string): Promise<StoredJob | null> {
    const row = await guardRead(() => this.#reads.findJob(id));
    return row ? toStoredJob(row) : null;
  }

  /**
   * Changes a job's status (and with it its version). `pauseReason` says why the service paused
   * it; any other change of status clears it.
   */
  setStatus(current: StoredJob, status: JobStatus, now: number, pauseReason: string | null = null): Promise<StoredJob> {
    return this.#change(current.id, { status, pauseReason, version: { increment: 1 }, updatedAt: new Date(now) });
  }

  /** Deletes a job with its executions, skips and alert deliveries. */
  async delete(id: string): Promise<void> {
    await guardStore(this.prisma.job.delete({ where: { id } }));
  }

  /** Up to `limit` jobs after `after` in a stable order (created first, then id), filtered. */
  async pageJobs(filter: JobFilter, limit: number, after: JobKey | null): Promise<StoredJob[]> {
    return (await guardRead(() => this.#reads.pageJobs(filter, limit, after))).map(toStoredJob);
  }

  async countJobs(filter: JobFilter): Promise<number> {
    return guardRead(() => this.#reads.countJobs(filter));
  }

  /**
   * Up to `limit` executions with an id below `beforeId`, newest first. Ids only grow, so new
   * executions arriving while a client pages never shift the pages after its cursor.
   */
  async pageExecutions(filter: ExecutionFilter, limit: number, beforeId: number | null): Promise<StoredExecution[]> {
    return (await guardRead(() => this.#reads.pageExecutions(filter, limit, beforeId))).map(toStoredExecution);
  }

  /** The latest executions of a job, newest first. */
  async latestExecutions(jobId: string, limit: number): Promise<StoredExecution[]> {
    const rows = await guardStore(this.prisma.execution.findMany({ where: { jobId }, orderBy: { id: 'desc' }, take: limit }));
    return rows.map(toStoredExecution);
  }

  /** The latest alert deliveries of a job, newest first. */
  async latestAlerts(jobId: string, limit: number): Promise<StoredAlert[]> {
    const rows = await guardStore(this.prisma.alertDelivery.findMany({ where: { jobId }, orderBy: { id: 'desc' }, take: limit }));
    return rows.map(toStoredAlert);
  }

  /**
   * The failure streak of every job that has one (normally few), read once at start so streaks
   * survive a restart.
   */
  failureStreaks(): Map<string, number> {
    const rows = this.sqlite.prepare(`SELECT "id", "consecutiveFailures" FROM "Job" WHERE "consecutiveFailures" > 0`).raw().all() as Array<[string, number]>;
    return new Map(rows);
  }

  /** Totals across all jobs, from the maintained counters (no scan of the history). */
  async totals(): Promise<ExecutionTotals> {
    const sums = await guardStore(this.prisma.job.aggregate({ _sum: { totalCount: true, successCount: true, failureCount: true } }));
    return {
      total: sums._sum.totalCount ?? 0,
      successes: sums._sum.successCount ?? 0,
      failures: sums._sum.failureCount ?? 0,
    };
  }

  /**
   * A job's durable state and its records for the occurrences in [fromAt, toAt], in one read
   * transaction: a consistent snapshot, so no record the cursor covers can be missed. Null when
   * the job does not exist. `checkTrimmed` also compares the kept executions with the job's
   * counter, to find out whether retention removed some (only needed when it trims per job).
   */
  occurrenceHistory(jobId: string, fromAt: number, toAt: number, checkTrimmed: boolean): OccurrenceHistory | null {
    const statements = (this.#history ??= new HistoryStatements(this.sqlite));
    return this.sqlite.transaction((): OccurrenceHistory | null => {
      const job = statements.job.get(jobId);
      if (!job) return null;
      const trim = checkTrimmed ? statements.trim.get({ jobId }) : undefined;
      // With none kept, everything was removed by age: the age bound alone says what may be gone.
      const trimmed = trim !== undefined && trim.kept < job.totalCount ? trim.oldestFinishedAt : null;
      return {
        status: job.status as JobStatus,
        cursorAt: job.cursorAt,
        rescheduledAt: job.rescheduledAt,
        updatedAt: job.updatedAt,
        attempts: statements.attempts.all(jobId, fromAt, toAt),
        skips: statements.skips.all(jobId, fromAt, toAt),
        trimmedUpTo: trimmed,
      };
    })();
  }

  /** Up to `limit` jobs with an id after `afterId`, in id order: a round robin over all jobs. */
  async jobsAfter(afterId: string, limit: number): Promise<StoredJob[]> {
    return (await guardRead(() => this.#reads.jobsAfter(afterId, limit))).map(toStoredJob);
  }
}
