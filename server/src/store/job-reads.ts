import type { Database, Statement } from 'better-sqlite3';
import type { Job as JobRow, Execution as ExecutionRow } from '../generated/prisma/client.ts';
import type { ExecutionFilter, JobFilter, JobKey } from './job-repository.ts';

/**
 * A row as the driver returns it in raw mode: its values in the order of the SELECT's columns.
 * Rows are read as arrays and turned into objects here because better-sqlite3 builds a row
 * object of the Job table's 45 columns property by property, which costs about 2.5 times more
 * than the array plus one object literal: for a page of 50 jobs that was most of a read's time
 * on the engine's thread.
 */
type RawRow = unknown[];

const date = (ms: unknown): Date => new Date(ms as number);
const optionalDate = (ms: unknown): Date | null => (ms === null ? null : new Date(ms as number));
const optionalBoolean = (bit: unknown): boolean | null => (bit === null ? null : bit === 1);

/** Every column of Job, in the order {@link jobRow} reads them. */
const JOB_COLUMNS = [
  'id', 'schedule', 'timezone', 'api', 'type', 'alertWebhook', 'timeoutMs', 'maxAttempts',
  'misfirePolicy', 'catchUpLimit', 'catchUpWindowMs', 'overlapPolicy', 'dstGap', 'dstOverlap',
  'successCodes', 'successBodyPattern', 'failingThreshold', 'autoPauseAfter', 'lagAlertMs',
  'status', 'pauseReason', 'consecutiveFailures', 'version', 'cursorAt', 'intentAt', 'createdAt',
  'updatedAt', 'totalCount', 'successCount', 'failureCount', 'totalDurationMs', 'lastExecutionAt',
  'lastSuccess', 'durationBucket0', 'durationBucket1', 'durationBucket2', 'durationBucket3',
  'durationBucket4', 'durationBucket5', 'durationBucket6', 'durationBucket7', 'durationBucket8',
  'durationBucket9', 'durationBucket10', 'durationBucket11', 'rescheduledAt', 'owedAt',
] as const satisfies ReadonlyArray<keyof JobRow>;

/** A Job row in Prisma's shape; instants are stored as integer ms and booleans as 0/1. */
function jobRow(raw: RawRow): JobRow {
  return {
    id: raw[0] as string,
    schedule: raw[1] as string,
    timezone: raw[2] as string,
    api: raw[3] as string,
    type: raw[4] as string,
    alertWebhook: raw[5] as string | null,
    timeoutMs: raw[6] as number,
    maxAttempts: raw[7] as number,
    misfirePolicy: raw[8] as string,
    catchUpLimit: raw[9] as number,
    catchUpWindowMs: raw[10] as number,
    overlapPolicy: raw[11] as string,
    dstGap: raw[12] as string,
    dstOverlap: raw[13] as string,
    successCodes: raw[14] as string,
    successBodyPattern: raw[15] as string | null,
    failingThreshold: raw[16] as number,
    autoPauseAfter: raw[17] as number | null,
    lagAlertMs: raw[18] as number | null,
    status: raw[19] as string,
    pauseReason: raw[20] as string | null,
    consecutiveFailures: raw[21] as number,
    version: raw[22] as number,
    cursorAt: date(raw[23]),
    intentAt: optionalDate(raw[24]),
    createdAt: date(raw[25]),
    updatedAt: date(raw[26]),
    totalCount: raw[27] as number,
    successCount: raw[28] as number,
    failureCount: raw[29] as number,
    totalDurationMs: raw[30] as number,
    lastExecutionAt: optionalDate(raw[31]),
    lastSuccess: optionalBoolean(raw[32]),
    durationBucket0: raw[33] as number,
    durationBucket1: raw[34] as number,
    durationBucket2: raw[35] as number,
    durationBucket3: raw[36] as number,
    durationBucket4: raw[37] as number,
    durationBucket5: raw[38] as number,
    durationBucket6: raw[39] as number,
    durationBucket7: raw[40] as number,
    durationBucket8: raw[41] as number,
    durationBucket9: raw[42] as number,
    durationBucket10: raw[43] as number,
    durationBucket11: raw[44] as number,
    rescheduledAt: optionalDate(raw[45]),
    owedAt: raw[46] as string | null,
  };
}

/** Every column of Execution, in the order {@link executionRow} reads them. */
const EXECUTION_COLUMNS = [
  'id', 'jobId', 'scheduledAt', 'startedAt', 'durationMs', 'attempt', 'trigger', 'statusCode',
  'success', 'outcome', 'error', 'responseSnippet',
] as const satisfies ReadonlyArray<keyof ExecutionRow>;

function executionRow(raw: RawRow): ExecutionRow {
  return {
    id: raw[0] as number,
    jobId: raw[1] as string,
    scheduledAt: date(raw[2]),
    startedAt: date(raw[3]),
    durationMs: raw[4] as number,
    attempt: raw[5] as number,
    trigger: raw[6] as string,
    statusCode: raw[7] as number | null,
    success: raw[8] === 1,
    outcome: raw[9] as string,
    error: raw[10] as string | null,
    responseSnippet: raw[11] as string | null,
  };
}

const selectList = (columns: readonly string[]): string => columns.map((column) => `"${column}"`).join(', ');
const SELECT_JOB = `SELECT ${selectList(JOB_COLUMNS)} FROM "Job"`;
const SELECT_EXECUTION = `SELECT ${selectList(EXECUTION_COLUMNS)} FROM "Execution"`;

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
  /** Job pages and counts, answered again from memory until the database changes. */
  readonly #unchanged: UnchangedReads;

  constructor(db: Database) {
    this.#db = db;
    this.#unchanged = new UnchangedReads(db);
  }

  findJob(id: string): JobRow | null {
    const raw = this.#rows(`${SELECT_JOB} WHERE "id" = @id`).get({ id }) as RawRow | undefined;
    return raw ? jobRow(raw) : null;
  }

  /** Up to `limit` jobs after `after`, oldest first, then by id (the index on both serves it). */
  pageJobs(filter: JobFilter, limit: number, after: JobKey | null): readonly JobRow[] {
    const { where, params } = jobConditions(filter);
    if (after) {
      where.push('("createdAt" > @afterAt OR ("createdAt" = @afterAt AND "id" > @afterId))');
      params.afterAt = after.createdAt;
      params.afterId = after.id;
    }
    params.limit = limit;
    const sql = `${SELECT_JOB}${clause(where)} ORDER BY "createdAt", "id" LIMIT @limit`;
    return this.#unchanged.recall(sql, params, () => (this.#rows(sql).all(params) as RawRow[]).map(jobRow));
  }

  countJobs(filter: JobFilter): number {
    const { where, params } = jobConditions(filter);
    const sql = `SELECT count(*) FROM "Job"${clause(where)}`;
    return this.#unchanged.recall(sql, params, () => this.#value(sql).get(params) as number);
  }

  /** Up to `limit` jobs with an id after `afterId`, in id order (the primary key serves it). */
  jobsAfter(afterId: string, limit: number): JobRow[] {
    const rows = this.#rows(`${SELECT_JOB} WHERE "id" > @afterId ORDER BY "id" LIMIT @limit`).all({ afterId, limit }) as RawRow[];
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
    const rows = this.#rows(`${SELECT_EXECUTION}${clause(where)} ORDER BY "id" DESC LIMIT @limit`).all(params) as RawRow[];
    return rows.map(executionRow);
  }

  /** A statement whose rows come back as arrays of column values. */
  #rows(sql: string): Statement {
    return this.#statement(sql, (statement) => statement.raw(true));
  }

  /** A statement that answers the first column of its first row. */
  #value(sql: string): Statement {
    return this.#statement(sql, (statement) => statement.pluck(true));
  }

  #statement(sql: string, mode: (statement: Statement) => Statement): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = mode(this.#db.prepare(sql));
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

/** Results remembered at most (a dashboard's few pages and counts; older ones are dropped). */
const REMEMBERED_READS = 32;

/**
 * Answers that hold until the database changes. Dashboards and API clients ask for the same first
 * page of jobs and its count many times a second, while the database changes a few times a
 * second (a batch of executions, an API write): between two changes, the same statement with the
 * same parameters reads the same rows. Any change is seen at the cost of one tiny statement:
 * SQLite's data_version moves when another connection (the execution writer, Prisma) commits,
 * and total_changes() when this connection writes. Results are shared between callers, which
 * must not change them.
 */
class UnchangedReads {
  readonly #version: Statement;
  readonly #results = new Map<string, unknown>();
  #seenData = -1;
  #seenChanges = -1;

  constructor(db: Database) {
    this.#version = db.prepare('SELECT data_version, total_changes() FROM pragma_data_version').raw(true);
  }

  /** What `read` answers for `sql` with `params`, read again only if the database changed since. */
  recall<T>(sql: string, params: Params, read: () => T): T {
    const [data, changes] = this.#version.get() as [number, number];
    if (data !== this.#seenData || changes !== this.#seenChanges) {
      this.#results.clear();
      this.#seenData = data;
      this.#seenChanges = changes;
    }
    const key = `${sql}\n${JSON.stringify(params)}`;
    if (this.#results.has(key)) return this.#results.get(key) as T;
    const result = read();
    if (this.#results.size >= REMEMBERED_READS) this.#results.delete(this.#results.keys().next().value!);
    this.#results.set(key, result);
    return result;
  }
}
