import type { Database, Statement } from 'better-sqlite3';
import type { Job as JobRow, Execution as ExecutionRow } from '../generated/prisma/client.ts';
import type { ExecutionFilter, JobFilter, JobKey } from './job-repository.ts';

/** A row as SQLite returns it: instants as integer ms, booleans as 0/1. */
type Raw<Row> = { [K in keyof Row]: Row[K] extends Date ? number : Row[K] extends Date | null ? number | null : Row[K] extends boolean ? number : Row[K] extends boolean | null ? number | null : Row[K] };

const date = (ms: number): Date => new Date(ms);
const optionalDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function jobRow(raw: Raw<JobRow>): JobRow {
  return {
    ...raw,
    cursorAt: date(raw.cursorAt),
    intentAt: optionalDate(raw.intentAt),
    createdAt: date(raw.createdAt),
    updatedAt: date(raw.updatedAt),
    lastExecutionAt: optionalDate(raw.lastExecutionAt),
    lastSuccess: raw.lastSuccess === null ? null : raw.lastSuccess === 1,
  };
}

function executionRow(raw: Raw<ExecutionRow>): ExecutionRow {
  return { ...raw, scheduledAt: date(raw.scheduledAt), startedAt: date(raw.startedAt), success: raw.success === 1 };
}

/** `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

type Params = Record<string, string | number>;

/**
 * The API's frequent reads (job pages and counts, execution pages, a job by id, the audit's walk
 * over all jobs) as prepared
 * statements on the driver, one per shape of filter, prepared on first use. Through Prisma each
 * of these cost 5–14 ms of the engine's thread (a fresh statement per query, every instant
 * turned into a string and back); here they cost a fraction of a millisecond, so dashboards and
 * API clients reading hundreds of times a second leave the fires alone. Rows come back in
 * Prisma's shapes, so one mapping serves both paths.
 */
export class JobReads {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  findJob(id: string): JobRow | null {
    const raw = this.#statement('SELECT * FROM "Job" WHERE "id" = @id').get({ id }) as Raw<JobRow> | undefined;
    return raw ? jobRow(raw) : null;
  }

  /** Up to `limit` jobs after `after`, oldest first, then by id (the index on both serves it). */
  pageJobs(filter: JobFilter, limit: number, after: JobKey | null): JobRow[] {
    const { where, params } = jobConditions(filter);
    if (after) {
      where.push('("createdAt" > @afterAt OR ("createdAt" = @afterAt AND "id" > @afterId))');
      params.afterAt = after.createdAt;
      params.afterId = after.id;
    }
    params.limit = limit;
    const rows = this.#statement(`SELECT * FROM "Job"${clause(where)} ORDER BY "createdAt", "id" LIMIT @limit`).all(params) as Array<Raw<JobRow>>;
    return rows.map(jobRow);
  }

  countJobs(filter: JobFilter): number {
    const { where, params } = jobConditions(filter);
    return (this.#statement(`SELECT count(*) AS "count" FROM "Job"${clause(where)}`).get(params) as { count: number }).count;
  }

  /** Up to `limit` jobs with an id after `afterId`, in id order (the primary key serves it). */
  jobsAfter(afterId: string, limit: number): JobRow[] {
    const rows = this.#statement('SELECT * FROM "Job" WHERE "id" > @afterId ORDER BY "id" LIMIT @limit').all({ afterId, limit }) as Array<Raw<JobRow>>;
    return rows.map(jobRow);
  }

  /** Up to `limit` executions with an id below `beforeId`, newest first. */
  pageExecutions(filter: ExecutionFilter, limit: number, beforeId: number | null): ExecutionRow[] {
    const where: string[] = [];
    const params: Params = { limit };
    if (filter.jobId !== undefined) {
      where.push('"jobId" = @jobId');
      params.jobId = filter.jobId;
    }
    if (filter.outcome !== undefined) {
      where.push('"outcome" = @outcome');
      params.outcome = filter.outcome;
    }
    if (filter.from !== undefined) {
      where.push('"startedAt" >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      where.push('"startedAt" < @to');
      params.to = filter.to;
    }
    if (beforeId !== null) {
      where.push('"id" < @beforeId');
      params.beforeId = beforeId;
    }
    const rows = this.#statement(`SELECT * FROM "Execution"${clause(where)} ORDER BY "id" DESC LIMIT @limit`).all(params) as Array<Raw<ExecutionRow>>;
    return rows.map(executionRow);
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function jobConditions(filter: JobFilter): { where: string[]; params: Params } {
  const where: string[] = [];
  const params: Params = {};
  if (filter.status) {
    where.push('"status" = @status');
    params.status = filter.status;
  }
  if (filter.search) {
    where.push(`("api" LIKE @search ESCAPE '\\' OR "schedule" LIKE @search ESCAPE '\\')`);
    params.search = containing(filter.search);
  }
  return { where, params };
}

const clause = (where: readonly string[]): string => (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`);
