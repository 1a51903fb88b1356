import type { Database, Statement } from 'better-sqlite3';
import { POLICY_FIELDS } from '../domain/job-policy.ts';
import type { JobSpec } from '../domain/job-spec.ts';

/** A new job's row: its spec and the instant it was created (also its first cursor). */
export interface NewJobRow {
  id: string;
  spec: JobSpec;
  createdAt: number;
  /**
   * The intent of its first fire, committed with the row, so the engine has none to write for it
   * (see SchedulableJob.intentAt). None: the engine announces the first fire's intent itself.
   */
  intentAt?: number | null;
}

/** A new job's row as the insert's positional parameters: plain values, cheap to send to the writer's thread. */
export type JobInsertParams = Array<string | number | null>;

/** A new job's row in a staged batch (prepareJobStage): its creation instant is the batch's commit. */
export type BatchJobRow = Omit<NewJobRow, 'createdAt'>;

/** The columns a new job's spec fills, in the order of specParams. */
const SPEC_COLUMNS = [
  'id', 'schedule', 'timezone', 'api', 'type', 'alertWebhook', 'timeoutMs', 'maxAttempts', ...POLICY_FIELDS,
].map((column) => `"${column}"`);

/** A new job's id and spec as positional parameters, in SPEC_COLUMNS order. */
function specParams(id: string, spec: JobSpec): JobInsertParams {
  const p = spec.policy;
  return [
    id, spec.schedule, spec.timezone, spec.api, spec.type, spec.alertWebhook, spec.timeoutMs, spec.maxAttempts,
    p.misfirePolicy, p.catchUpLimit, p.catchUpWindowMs, p.overlapPolicy, p.dstGap, p.dstOverlap,
    p.successCodes, p.successBodyPattern, p.failingThreshold, p.autoPauseAfter, p.lagAlertMs,
  ];
}

const slots = (count: number) => new Array<string>(count).fill('?').join(', ');

/** A new job's row as the insert's positional parameters, in the order of prepareJobInsert's columns. */
export function jobInsertParams({ id, spec, createdAt, intentAt = null }: NewJobRow): JobInsertParams {
  const params = specParams(id, spec);
  params.push(createdAt, intentAt, createdAt, createdAt);
  return params;
}

/** Prepares the insert of new jobs on a connection: all the rows given in one transaction, or none. */
export function prepareJobInsert(db: Database): (rows: readonly JobInsertParams[]) => void {
  const insert = db.prepare(
    `INSERT INTO "Job" (${SPEC_COLUMNS.join(', ')}, "cursorAt", "intentAt", "createdAt", "updatedAt", "status", "version")
     VALUES (${slots(SPEC_COLUMNS.length + 4)}, 'ACTIVE', 1)`,
  );
  // Bound as arguments: better-sqlite3 binds an array given whole about 2 µs a row slower (of 8).
  return db.transaction((rows: readonly JobInsertParams[]) => {
    for (const params of rows) insert.run(...params);
  });
}

/** A row of a staged batch as the staging's positional parameters: its spec, then its intent. */
export function stageParams({ id, spec, intentAt = null }: BatchJobRow): JobInsertParams {
  const params = specParams(id, spec);
  params.push(intentAt);
  return params;
}

/** The statements of a connection's staging of new jobs (prepareJobStage). */
export interface JobStage {
  /** Keeps rows of batch `batch` aside, in a table of the connection's own (temp) schema. */
  stage(batch: number, rows: readonly JobInsertParams[]): void;
  /**
   * Inserts the `count` rows staged for `batch` in one transaction, created at `at` (their
   * cursor too), all or none: fewer or more staged refuse it. They are forgotten either way.
   */
  commit(batch: number, count: number, at: number): void;
  /** Forgets the rows staged for `batch`. */
  drop(batch: number): void;
}

/**
 * Prepares the staging of large batches of new jobs on a connection. A batch's rows are staged
 * while the rest of it is still being validated, in a TEMP table of its own, which takes no lock
 * on the database file (the connection's `temp_store` decides whether it lives in memory): the
 * engine's connection keeps writing meanwhile. The commit then copies them into Job inside SQLite
 * and drops the table once the copy is committed: a table per batch needs no index to tell
 * batches apart and no delete of its rows, which saved about 10 ms of the 40–50 ms a commit of
 * 10,000 rows took with one shared table (measured here). Batches may be staged side by side.
 */
export function prepareJobStage(db: Database): JobStage {
  const columns = [...SPEC_COLUMNS, '"intentAt"'].join(', ');
  const tables = new Map<number, { insert: Statement; copy: Statement }>();
  const tableOf = (batch: number) => `temp."JobStage_${batch}"`;
  /** The batch's table, made on its first rows (outside their transaction: a rollback keeps it). */
  const open = (batch: number) => {
    let table = tables.get(batch);
    if (table === undefined) {
      db.exec(`CREATE TEMP TABLE IF NOT EXISTS "JobStage_${batch}" (${columns})`);
      table = {
        insert: db.prepare(`INSERT INTO ${tableOf(batch)} (${columns}) VALUES (${slots(SPEC_COLUMNS.length + 1)})`),
        copy: db.prepare(
          `INSERT INTO "Job" (${columns}, "cursorAt", "createdAt", "updatedAt", "status", "version")
           SELECT ${columns}, @at, @at, @at, 'ACTIVE', 1 FROM ${tableOf(batch)} ORDER BY rowid`,
        ),
      };
      tables.set(batch, table);
    }
    return table;
  };
  const forget = (batch: number) => {
    if (tables.delete(batch)) db.exec(`DROP TABLE IF EXISTS ${tableOf(batch)}`);
  };
  const insertAll = db.transaction((insert: Statement, rows: readonly JobInsertParams[]) => {
    for (const params of rows) insert.run(...params);
  });
  const copyAll = db.transaction((copy: Statement, batch: number, count: number, at: number) => {
    const copied = copy.run({ at }).changes;
    if (copied !== count) throw new Error(`batch ${batch} of new jobs has ${copied} rows staged, expected ${count}`);
  });
  return {
    stage: (batch, rows) => insertAll(open(batch).insert, rows),
    commit(batch, count, at) {
      const table = tables.get(batch);
      if (table === undefined) throw new Error(`batch ${batch} of new jobs has 0 rows staged, expected ${count}`);
      try {
        copyAll(table.copy, batch, count, at);
      } finally {
        forget(batch);
      }
    },
    drop: forget,
  };
}
