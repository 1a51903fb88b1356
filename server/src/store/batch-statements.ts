import type { Database, Statement } from 'better-sqlite3';
import { DURATION_BUCKETS, durationBucket } from '../domain/duration-histogram.ts';
import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';

/** One group commit: everything the engine produced since the previous one. */
export interface WriteBatch {
  /** Batches are numbered in the order they are taken; a committed one makes every intent ticket up to it durable. */
  seq: number;
  executions: ExecutionRecord[];
  skips: SkipRecord[];
  alerts: AlertRecord[];
  /** At-most-once intents: [jobId, latest instant that may be sent]. */
  intents: Array<[string, number]>;
}

/** The largest id of each table of records at some moment (BatchStatements.lastIds). */
export interface RecordIds {
  executions: number;
  skips: number;
  alerts: number;
}

interface JobDelta {
  total: number;
  successes: number;
  failures: number;
  durationMs: number;
  lastExecutionAt: number;
  lastSuccess: boolean;
  cursorAt: number | null;
  /** The job's failure streak after the batch's last settled occurrence; null: unchanged. */
  consecutiveFailures: number | null;
  /** The batch's at-most-once intent of the job, written with its counters; null: none. */
  intentAt: number | null;
  buckets: number[];
}

const BUCKET_COLUMNS = Array.from({ length: DURATION_BUCKETS }, (_, i) => `"durationBucket${i}" = "durationBucket${i}" + ?`).join(', ');

/**
 * The SQL of a group commit, prepared once on a better-sqlite3 connection. A batch is written in
 * one transaction: the executions, and with them each job's counters, duration histogram, failure
 * streak and cursor, so a cursor never passes an occurrence whose outcome is not durable. Records of a job
 * deleted meanwhile are dropped by the statements themselves, so they cannot fail a batch.
 */
export class BatchStatements {
  readonly #insertExecution: Statement;
  readonly #updateJob: Statement;
  readonly #insertSkip: Statement;
  readonly #insertAlert: Statement;
  readonly #updateIntent: Statement;
  readonly #findExecution: Statement;
  readonly #findSkip: Statement;
  readonly #findAlert: Statement;
  readonly #lastIds: Statement;
  readonly #write: (batch: WriteBatch) => void;
  readonly #retract: (keep: ReadonlyArray<[string, number]>) => void;

  constructor(db: Database) {
    this.#insertExecution = db.prepare(
      `INSERT INTO "Execution" ("jobId", "scheduledAt", "startedAt", "durationMs", "attempt", "trigger", "statusCode", "success", "outcome", "error", "responseSnippet")
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
    this.#updateJob = db.prepare(
      `UPDATE "Job" SET
         "totalCount" = "totalCount" + ?, "successCount" = "successCount" + ?, "failureCount" = "failureCount" + ?,
         "totalDurationMs" = "totalDurationMs" + ?, ${BUCKET_COLUMNS},
         "lastSuccess" = CASE WHEN ? >= coalesce("lastExecutionAt", 0) THEN ? ELSE "lastSuccess" END,
         "lastExecutionAt" = max(coalesce("lastExecutionAt", 0), ?),
         "cursorAt" = max("cursorAt", coalesce(?, "cursorAt")),
         "consecutiveFailures" = coalesce(?, "consecutiveFailures"),
         "intentAt" = max(coalesce("intentAt", 0), coalesce(?, "intentAt"))
       WHERE "id" = ?`,
    );
    this.#insertSkip = db.prepare(
      `INSERT INTO "Skip" ("jobId", "fromAt", "toAt", "count", "reason", "createdAt")
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
    this.#insertAlert = db.prepare(
      `INSERT INTO "AlertDelivery" ("jobId", "event", "url", "sentAt", "statusCode", "success", "error")
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "Job" WHERE "id" = ?)`,
    );
    this.#updateIntent = db.prepare(`UPDATE "Job" SET "intentAt" = max(coalesce("intentAt", 0), ?) WHERE "id" = ?`);
    this.#findExecution = db
      .prepare(`SELECT 1 FROM "Execution" WHERE "jobId" = ? AND "scheduledAt" = ? AND "attempt" = ? AND "startedAt" = ? AND "id" > ? LIMIT 1`)
      .pluck();
    this.#findSkip = db
      .prepare(`SELECT 1 FROM "Skip" WHERE "jobId" = ? AND "fromAt" = ? AND "toAt" = ? AND "reason" = ? AND "createdAt" = ? AND "id" > ? LIMIT 1`)
      .pluck();
    this.#findAlert = db.prepare(`SELECT 1 FROM "AlertDelivery" WHERE "jobId" = ? AND "event" = ? AND "sentAt" = ? AND "id" > ? LIMIT 1`).pluck();
    this.#lastIds = db.prepare(
      `SELECT (SELECT coalesce(max("id"), 0) FROM "Execution") AS "executions", (SELECT coalesce(max("id"), 0) FROM "Skip") AS "skips",
         (SELECT coalesce(max("id"), 0) FROM "AlertDelivery") AS "alerts"`,
    );
    this.#write = db.transaction((batch: WriteBatch) => this.#writeRows(batch));
    const clearIntents = db.prepare(`UPDATE "Job" SET "intentAt" = NULL WHERE "intentAt" IS NOT NULL`);
    const setIntent = db.prepare(`UPDATE "Job" SET "intentAt" = ? WHERE "id" = ?`);
    this.#retract = db.transaction((keep: ReadonlyArray<[string, number]>) => {
      clearIntents.run();
      for (const [jobId, at] of keep) setIntent.run(at, jobId);
    });
  }

  /**
   * After a clean stop, takes back the intents announced for fires that never went out, keeping
   * those of jobs with an occurrence still unsettled (JobRuntime.intentToKeep), so a restart
   * neither re-sends (at-least-once) nor marks UNKNOWN (at-most-once) what was never sent.
   */
  retractIntents(keep: ReadonlyArray<[string, number]>): void {
    this.#retract(keep);
  }

  /**
   * The largest id of each table of records now. Their ids are AUTOINCREMENT: a row written later
   * has a larger one, whatever was deleted meanwhile.
   */
  lastIds(): RecordIds {
    return this.#lastIds.get() as RecordIds;
  }

  /**
   * Whether `batch` is in the database, told by its records among those written after `since`
   * (lastIds read before the batch was handed on; a batch is written all or none): for a batch
   * whose writer was lost before it answered. Only batches write these records, one at a time, so
   * a record of the batch found past `since` is the batch's own, not an equal one of an earlier
   * batch. None found says no, also for a batch of intents only or of jobs all deleted since,
   * which written again changes nothing.
   */
  wasWritten({ executions, skips, alerts }: WriteBatch, since: RecordIds): boolean {
    for (const r of executions) {
      if (this.#findExecution.get(r.jobId, r.scheduledAt, r.attempt, r.startedAt, since.executions) !== undefined) return true;
    }
    for (const s of skips) if (this.#findSkip.get(s.jobId, s.fromAt, s.toAt, s.reason, s.createdAt, since.skips) !== undefined) return true;
    for (const a of alerts) if (this.#findAlert.get(a.jobId, a.event, a.sentAt, since.alerts) !== undefined) return true;
    return false;
  }

  /** Writes a batch in one transaction; throws (and writes nothing) when the database refuses. */
  write(batch: WriteBatch): void {
    this.#write(batch);
  }

  #writeRows({ executions, skips, alerts, intents }: WriteBatch): void {
    const deltas = new Map<string, JobDelta>();
    for (const r of executions) {
      this.#insertExecution.run(r.jobId, r.scheduledAt, r.startedAt, r.durationMs, r.attempt, r.trigger, r.statusCode, r.success ? 1 : 0, r.outcome, r.error, r.responseSnippet ?? null, r.jobId);
      let delta = deltas.get(r.jobId);
      if (!delta) {
        delta = { total: 0, successes: 0, failures: 0, durationMs: 0, lastExecutionAt: 0, lastSuccess: false, cursorAt: null, consecutiveFailures: null, intentAt: null, buckets: new Array<number>(DURATION_BUCKETS).fill(0) };
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
      // Records come in the order they settled: the last streak is the job's current one.
      if (r.consecutiveFailures !== undefined) delta.consecutiveFailures = r.consecutiveFailures;
    }
    // A job that settled an occurrence in this batch usually announced its next intent in it too:
    // both go into the one UPDATE of its row.
    for (const [jobId, at] of intents) {
      const delta = deltas.get(jobId);
      if (delta) delta.intentAt = at;
      else this.#updateIntent.run(at, jobId);
    }
    for (const [jobId, d] of deltas) {
      this.#updateJob.run(d.total, d.successes, d.failures, d.durationMs, ...d.buckets, d.lastExecutionAt, d.lastSuccess ? 1 : 0, d.lastExecutionAt, d.cursorAt, d.consecutiveFailures, d.intentAt, jobId);
    }
    for (const s of skips) this.#insertSkip.run(s.jobId, s.fromAt, s.toAt, s.count, s.reason, s.createdAt, s.jobId);
    for (const a of alerts) this.#insertAlert.run(a.jobId, a.event, a.url, a.sentAt, a.statusCode, a.success ? 1 : 0, a.error, a.jobId);
  }
}
