import type { Database, Statement } from 'better-sqlite3';

export interface RetentionOptions {
  /** Executions kept per job (the newest); 0 keeps all. */
  perJob: number;
  /** Executions, skips and alert deliveries older than this are removed; 0 keeps them forever. */
  maxAgeMs: number;
  /** Rows removed per statement: each delete is a short transaction that never stalls the engine. */
  batchSize: number;
  /** Jobs visited per run (round robin over all jobs). */
  jobsPerRun: number;
  now: () => number;
}

export interface RetentionStats {
  runs: number;
  deleted: number;
}

/**
 * Keeps the execution history bounded, in the background and in small batches. Job counters are
 * maintained separately (ExecutionWriter), so they stay correct when history is pruned.
 */
export class RetentionPruner {
  readonly #options: RetentionOptions;
  readonly #nextJobs: Statement;
  readonly #trimJob: Statement;
  readonly #expire: Statement[];
  #afterJobId = '';
  #timer: NodeJS.Timeout | null = null;
  #stats: RetentionStats = { runs: 0, deleted: 0 };

  constructor(db: Database, options: RetentionOptions) {
    this.#options = options;
    this.#nextJobs = db.prepare('SELECT "id" FROM "Job" WHERE "id" > ? ORDER BY "id" LIMIT ?').pluck();
    this.#trimJob = db.prepare(
      `DELETE FROM "Execution" WHERE "id" IN (
         SELECT "id" FROM "Execution" WHERE "jobId" = ? AND "id" <= (
           SELECT "id" FROM "Execution" WHERE "jobId" = ? ORDER BY "id" DESC LIMIT 1 OFFSET ?
         ) ORDER BY "id" LIMIT ?)`,
    );
    // Oldest first by id, which follows time: the scan stops after one batch of old rows.
    this.#expire = [
      ['Execution', 'startedAt'],
      ['Skip', 'createdAt'],
      ['AlertDelivery', 'sentAt'],
    ].map(([table, column]) =>
      db.prepare(`DELETE FROM "${table}" WHERE "id" IN (SELECT "id" FROM "${table}" WHERE "${column}" < ? ORDER BY "id" LIMIT ?)`),
    );
  }

  get stats(): RetentionStats {
    return { ...this.#stats };
  }

  /** Runs one bounded pass: expired rows first, then the next jobs' surplus history. Returns rows deleted. */
  runOnce(): number {
    const { perJob, maxAgeMs, batchSize, jobsPerRun, now } = this.#options;
    let deleted = 0;
    if (maxAgeMs > 0) {
      const cutoff = now() - maxAgeMs;
      for (const statement of this.#expire) deleted += statement.run(cutoff, batchSize).changes;
    }
    if (perJob > 0) {
      const jobIds = this.#nextJobs.all(this.#afterJobId, jobsPerRun) as string[];
      this.#afterJobId = jobIds.length < jobsPerRun ? '' : jobIds.at(-1)!;
      for (const jobId of jobIds) deleted += this.#trimJob.run(jobId, jobId, perJob, batchSize).changes;
    }
    this.#stats.runs++;
    this.#stats.deleted += deleted;
    return deleted;
  }

  /**
   * Runs a pass every `intervalMs`; errors are reported and the next pass tries again. A pass is
   * skipped when `busySoon()` says the engine is about to fire: the next one comes soon enough.
   */
  start(intervalMs: number, onError: (error: unknown) => void, busySoon: () => boolean = () => false): void {
    this.#timer = setInterval(() => {
      if (busySoon()) return;
      try {
        this.runOnce();
      } catch (error: unknown) {
        onError(error);
      }
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
