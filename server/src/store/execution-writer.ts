import type { Database, Statement } from 'better-sqlite3';
import { DURATION_BUCKETS, durationBucket } from '../domain/duration-histogram.ts';
import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';
import type { EventBus } from '../engine/events.ts';
import type { ExecutionLog } from '../engine/execution-log.ts';

export interface ExecutionWriterOptions {
  /** Longest time a record waits in memory before its batch is written. */
  flushIntervalMs: number;
  /** A batch is written at once when this many records are waiting. */
  maxBatch: number;
  /** Records kept in memory while the database refuses writes; past this, the oldest are dropped and counted. */
  maxQueued: number;
  onFlushError: (error: unknown) => void;
}

export interface ExecutionWriterStats {
  queued: number;
  written: number;
  dropped: number;
  batches: number;
  lastBatchMs: number;
  failedFlushes: number;
}

interface JobDelta {
  total: number;
  successes: number;
  failures: number;
  durationMs: number;
  lastExecutionAt: number;
  lastSuccess: boolean;
  cursorAt: number | null;
  buckets: number[];
}

const BUCKET_COLUMNS = Array.from({ length: DURATION_BUCKETS }, (_, i) => `"durationBucket${i}" = "durationBucket${i}" + ?`).join(', ');

/**
 * Group commit for the execution log: records are buffered and written in one transaction per
 * batch through a prepared better-sqlite3 statement (about 70× faster than Prisma's createMany).
 *
 * A job's cursor and counters move in the same transaction as the executions that complete them,
 * so the cursor never passes an occurrence whose outcome is not durable. Records of a job deleted
 * in the meantime are dropped by the statements themselves, so one of them cannot fail a batch.
 */
export class ExecutionWriter implements ExecutionLog {
  readonly #db: Database;
  readonly #events: EventBus;
  readonly #options: ExecutionWriterOptions;
  readonly #insertExecution: Statement;
  readonly #updateJob: Statement;
  readonly #insertSkip: Statement;
  readonly #insertAlert: Statement;
  readonly #updateIntent: Statement;
  /** At-most-once intents waiting for the next batch, and the latest durable one per job. */
  #intents = new Map<string, number>();
  readonly #durableIntents = new Map<string, number>();
  #executions: ExecutionRecord[] = [];
  #skips: SkipRecord[] = [];
  #alerts: AlertRecord[] = [];
  #flushTimer: { urgent: boolean; cancel: () => void } | null = null;
  #closed = false;
  #stats: ExecutionWriterStats = { queued: 0, written: 0, dropped: 0, batches: 0, lastBatchMs: 0, failedFlushes: 0 };

  constructor(db: Database, events: EventBus, options: ExecutionWriterOptions) {
    this.#db = db;
    this.#events = events;
    this.#options = options;
    this.#insertExecution = db.prepare(
      `INSERT INTO "Execution" ("jobId", "scheduledAt", "startedAt", "durationMs", "attempt", "trigger", "statusCode", "success", "outcome", "error")
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
    this.#updateJob = db.prepare(
      `UPDATE "Job" SET
         "totalCount" = "totalCount" + ?, "successCount" = "successCount" + ?, "failureCount" = "failureCount" + ?,
         "totalDurationMs" = "totalDurationMs" + ?, ${BUCKET_COLUMNS},
         "lastSuccess" = CASE WHEN ? >= coalesce("lastExecutionAt", 0) THEN ? ELSE "lastSuccess" END,
         "lastExecutionAt" = max(coalesce("lastExecutionAt", 0), ?),
         "cursorAt" = max("cursorAt", coalesce(?, "cursorAt"))
       WHERE "id" = ?`,
    );
    this.#insertSkip = db.prepare(
      `INSERT INTO "Skip" ("jobId", "fromAt", "toAt", "count", "reason", "createdAt")
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
    this.#updateIntent = db.prepare(`UPDATE "Job" SET "intentAt" = max(coalesce("intentAt", 0), ?) WHERE "id" = ?`);
    this.#insertAlert = db.prepare(
      `INSERT INTO "AlertDelivery" ("jobId", "event", "url", "sentAt", "statusCode", "success", "error")
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
  }

  get stats(): ExecutionWriterStats {
    return { ...this.#stats, queued: this.#pending() };
  }

  recordExecution(record: ExecutionRecord): void {
    this.#executions.push(record);
    this.#schedule();
  }

  recordSkip(record: SkipRecord): void {
    this.#skips.push(record);
    this.#schedule();
  }

  recordAlert(record: AlertRecord): void {
    this.#alerts.push(record);
    this.#schedule();
  }

  announceIntent(jobId: string, at: number): void {
    this.#intents.set(jobId, Math.max(at, this.#intents.get(jobId) ?? at));
    this.#schedule();
  }

  isIntentDurable(jobId: string, at: number): boolean {
    return (this.#durableIntents.get(jobId) ?? Number.NEGATIVE_INFINITY) >= at;
  }

  /** Writes everything buffered now, in one transaction. Returns the number of records written. */
  flush(): number {
    this.#flushTimer?.cancel();
    this.#flushTimer = null;
    const executions = this.#executions;
    const skips = this.#skips;
    const alerts = this.#alerts;
    const intents = this.#intents;
    const count = executions.length + skips.length + alerts.length;
    if (count === 0 && intents.size === 0) return 0;
    this.#executions = [];
    this.#skips = [];
    this.#alerts = [];
    this.#intents = new Map();
    const started = performance.now();
    try {
      this.#write(executions, skips, alerts, intents);
    } catch (error: unknown) {
      this.#stats.failedFlushes++;
      this.#requeue(executions, skips, alerts);
      for (const [jobId, at] of intents) this.#intents.set(jobId, Math.max(at, this.#intents.get(jobId) ?? at));
      this.#options.onFlushError(error);
      this.#schedule();
      return 0;
    }
    for (const [jobId, at] of intents) this.#durableIntents.set(jobId, Math.max(at, this.#durableIntents.get(jobId) ?? at));
    const batchMs = performance.now() - started;
    this.#stats.written += count;
    this.#stats.batches++;
    this.#stats.lastBatchMs = batchMs;
    this.#events.emit('executions:persisted', { count: executions.length, batchMs });
    return count;
  }

  /** Writes what is buffered and stops the background flushes. */
  close(): void {
    this.flush();
    this.#closed = true;
    this.#flushTimer?.cancel();
    this.#flushTimer = null;
  }

  #pending(): number {
    return this.#executions.length + this.#skips.length + this.#alerts.length + this.#intents.size;
  }

  /** Arms the next flush: soon (next turn of the event loop) for a full batch, else after the interval. */
  #schedule(): void {
    if (this.#closed) return;
    const urgent = this.#pending() >= this.#options.maxBatch;
    if (this.#flushTimer !== null) {
      if (!urgent || this.#flushTimer.urgent) return;
      this.#flushTimer.cancel();
    }
    if (urgent) {
      const handle = setImmediate(() => this.flush());
      this.#flushTimer = { urgent, cancel: () => clearImmediate(handle) };
    } else {
      const handle = setTimeout(() => this.flush(), this.#options.flushIntervalMs);
      this.#flushTimer = { urgent, cancel: () => clearTimeout(handle) };
    }
  }

  #write(executions: ExecutionRecord[], skips: SkipRecord[], alerts: AlertRecord[], intents: Map<string, number>): void {
    const deltas = new Map<string, JobDelta>();
    this.#db.transaction(() => {
      for (const r of executions) {
        this.#insertExecution.run(r.jobId, r.scheduledAt, r.startedAt, r.durationMs, r.attempt, r.trigger, r.statusCode, r.success ? 1 : 0, r.outcome, r.error, r.jobId);
        let delta = deltas.get(r.jobId);
        if (!delta) {
          delta = { total: 0, successes: 0, failures: 0, durationMs: 0, lastExecutionAt: 0, lastSuccess: false, cursorAt: null, buckets: new Array<number>(DURATION_BUCKETS).fill(0) };
          deltas.set(r.jobId, delta);
        }
        delta.total++;
        if (r.success) delta.successes++;
        else delta.failures++;
        delta.durationMs += r.durationMs;
        delta.buckets[durationBucket(r.durationMs)]!++;
        if (r.startedAt >= delta.lastExecutionAt) {
          delta.lastExecutionAt = r.startedAt;
          delta.lastSuccess = r.success;
        }
        if (r.cursorAt !== null) delta.cursorAt = Math.max(delta.cursorAt ?? r.cursorAt, r.cursorAt);
      }
      for (const [jobId, d] of deltas) {
        this.#updateJob.run(d.total, d.successes, d.failures, d.durationMs, ...d.buckets, d.lastExecutionAt, d.lastSuccess ? 1 : 0, d.lastExecutionAt, d.cursorAt, jobId);
      }
      for (const s of skips) this.#insertSkip.run(s.jobId, s.fromAt, s.toAt, s.count, s.reason, s.createdAt, s.jobId);
      for (const a of alerts) this.#insertAlert.run(a.jobId, a.event, a.url, a.sentAt, a.statusCode, a.success ? 1 : 0, a.error, a.jobId);
      for (const [jobId, at] of intents) this.#updateIntent.run(at, jobId);
    })();
  }

  /** Puts a failed batch back in front, keeping at most `maxQueued` records (the newest). */
  #requeue(executions: ExecutionRecord[], skips: SkipRecord[], alerts: AlertRecord[]): void {
    this.#executions = executions.concat(this.#executions);
    this.#skips = skips.concat(this.#skips);
    this.#alerts = alerts.concat(this.#alerts);
    const excess = this.#executions.length - this.#options.maxQueued;
    if (excess > 0) {
      this.#executions.splice(0, excess);
      this.#stats.dropped += excess;
    }
  }
}
