import type { Database, Statement } from 'better-sqlite3';

/** One bounded retention pass: what it removes, and where its round robin over jobs resumes. */
export interface PrunePass {
  /** Executions, skips and alert deliveries older than this instant go; null: none expire. */
  cutoff: number | null;
  /** Executions kept per job (the newest); 0 keeps all. */
  perJob: number;
  /** The pass visits the jobs after this id (the empty string: from the first). */
  afterJobId: string;
  jobsPerRun: number;
  /** Rows removed per statement. */
  batchSize: number;
}

export interface PruneResult {
  deleted: number;
  /** Where the next pass resumes: the empty string once the round reached the last job. */
  afterJobId: string;
}

/** The retention's SQL, prepared once on a better-sqlite3 connection. */
export class RetentionStatements {
  readonly #nextJobs: Statement;
  readonly #trimJob: Statement;
  readonly #expire: Statement[];

  constructor(db: Database) {
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

  /** Runs one pass: expired rows first, then the next jobs' surplus history. Each delete is a short transaction of its own. */
  prune({ cutoff, perJob, afterJobId, jobsPerRun, batchSize }: PrunePass): PruneResult {
    let deleted = 0;
    if (cutoff !== null) {
      for (const statement of this.#expire) deleted += statement.run(cutoff, batchSize).changes;
    }
    if (perJob === 0) return { deleted, afterJobId };
    const jobIds = this.#nextJobs.all(afterJobId, jobsPerRun) as string[];
    for (const jobId of jobIds) deleted += this.#trimJob.run(jobId, jobId, perJob, batchSize).changes;
    return { deleted, afterJobId: jobIds.length < jobsPerRun ? '' : jobIds.at(-1)! };
  }
}
