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

/** Positional parameters of a job's insert or staging, or a spec's values: plain values, cheap to send to the writer's thread. */
export type JobInsertParams = Array<string | number | null>;

/** A new job's row in a staged batch (prepareJobStage): its creation instant is the batch's commit. */
export type BatchJobRow = Omit<NewJobRow, 'createdAt'>;

/** The columns a new job's spec fills, in the order of specParams. */
const SPEC_COLUMNS = [
  'id', 'schedule', 'timezone', 'api', 'type', 'alertWebhook', 'timeoutMs', 'maxAttempts', ...POLICY_FIELDS,
].map((column) => `"${column}"`);

/** A spec as positional parameters, in SPEC_COLUMNS order after the id. */
function specValues(spec: JobSpec): JobInsertParams {
  const p = spec.policy;
  return [
    spec.schedule, spec.timezone, spec.api, spec.type, spec.alertWebhook, spec.timeoutMs, spec.maxAttempts,
    p.misfirePolicy, p.catchUpLimit, p.catchUpWindowMs, p.overlapPolicy, p.dstGap, p.dstOverlap,
    p.successCodes, p.successBodyPattern, p.failingThreshold, p.autoPauseAfter, p.lagAlertMs,
  ];
}

/** A new job's id and spec as positional parameters, in SPEC_COLUMNS order. */
function specParams(id: string, spec: JobSpec): JobInsertParams {
  const params = specValues(spec);
  params.unshift(id);
  return params;
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

/**
 * Rows of a staged batch as sent to the writer's thread: each distinct spec once, and the rows by
 * column. A batch states few distinct specs (internSpec shares them), and a message is copied
 * value by value into the thread: 20 values a row cost 2–4 µs a job to copy, split between the
 * two threads, where ids, spec numbers and intents cost a fraction of that.
 */
export interface PackedJobRows {
  /** The number of the first of `specs`: how many specs the batch's earlier parts brought. */
  specBase: number;
  /** The specs first seen in this part of the batch (specValues), numbered on from specBase. */
  specs: JobInsertParams[];
  ids: string[];
  /** Each row's spec, by its number in the batch. */
  specOf: Uint32Array;
  /** Each row's first intent; NaN for none. */
  intents: Float64Array;
}

/** Packs the parts of one staged batch: each spec goes with the first part that has it. */
export class JobRowPacker {
  /** The batch's specs by object (shared specs are one object each), with their numbers. */
  readonly #numbers = new Map<JobSpec, number>();

  pack(rows: readonly BatchJobRow[]): PackedJobRows {
    const specBase = this.#numbers.size;
    const specs: JobInsertParams[] = [];
    const ids = new Array<string>(rows.length);
    const specOf = new Uint32Array(rows.length);
    const intents = new Float64Array(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const { id, spec, intentAt } = rows[index]!;
      let number = this.#numbers.get(spec);
      if (number === undefined) {
        number = this.#numbers.size;
        this.#numbers.set(spec, number);
        specs.push(specValues(spec));
      }
      ids[index] = id;
      specOf[index] = number;
      intents[index] = intentAt ?? Number.NaN;
    }
    return { specBase, specs, ids, specOf, intents };
  }
}

/** The statements of a connection's staging of new jobs (prepareJobStage). */
export interface JobStage {
  /** Keeps rows of batch `batch` aside, in a table of the connection's own (temp) schema. */
  stage(batch: number, rows: PackedJobRows): void;
  /**
   * Inserts the `count` rows staged for `batch` in one transaction, created at `at` (their
   * cursor too), all or none: fewer or more staged refuse it. They are forgotten either way.
   */
  commit(batch: number, count: number, at: number): void;
  /** Forgets the rows staged for `batch`. */
  drop(batch: number): void;
}

/** A staging table of prepareJobStage, with its statements. */
interface StageTable {
  insert: Statement;
  copy: Statement;
  empty: Statement;
}

/** A batch being staged: its table, and the specs its parts brought, by number (PackedJobRows). */
interface StagedBatch {
  table: StageTable;
  specs: JobInsertParams[];
}

/**
 * Prepares the staging of large batches of new jobs on a connection. A batch's rows are staged
 * while the rest of it is still being validated, in a TEMP table, which takes no lock on the
 * database file (the connection's `temp_store` decides whether it lives in memory): the engine's
 * connection keeps writing meanwhile. The commit then copies them into Job inside SQLite.
 *
 * Each batch staged at the same time has a table of its own, so a table needs no index to tell
 * batches apart, and it is emptied after the commit with an unconditional DELETE (SQLite then
 * truncates it instead of deleting row by row). This saved about 10 ms of the 40–50 ms a commit of
 * 10,000 rows took with one table indexed by batch whose rows the commit deleted (measured here).
 * Emptied tables are kept for the next batches: creating or dropping a TEMP table would change
 * the connection's schema, which makes every statement prepared on it compile again.
 */
export function prepareJobStage(db: Database): JobStage {
  const columns = [...SPEC_COLUMNS, '"intentAt"'].join(', ');
  const byBatch = new Map<number, StagedBatch>();
  const idle: StageTable[] = [];
  let made = 0;
  const make = (): StageTable => {
    const name = `temp."JobStage_${++made}"`;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS "JobStage_${made}" (${columns})`);
    return {
      insert: db.prepare(`INSERT INTO ${name} (${columns}) VALUES (${slots(SPEC_COLUMNS.length + 1)})`),
      copy: db.prepare(
        `INSERT INTO "Job" (${columns}, "cursorAt", "createdAt", "updatedAt", "status", "version")
         SELECT ${columns}, @at, @at, @at, 'ACTIVE', 1 FROM ${name} ORDER BY rowid`,
      ),
      empty: db.prepare(`DELETE FROM ${name}`),
    };
  };
  /** The batch's table, taken on its first rows (outside their transaction: a rollback keeps it). */
  const stagedOf = (batch: number): StagedBatch => {
    let staged = byBatch.get(batch);
    if (staged === undefined) {
      staged = { table: idle.pop() ?? make(), specs: [] };
      byBatch.set(batch, staged);
    }
    return staged;
  };
  /**
   * Empties the batch's table and keeps it for another batch. It runs after a commit: what it
   * fails is only memory of this connection's own, so the table is given up, not the commit.
   */
  const forget = (batch: number): void => {
    const staged = byBatch.get(batch);
    if (staged === undefined) return;
    byBatch.delete(batch);
    try {
      staged.table.empty.run();
      idle.push(staged.table);
    } catch {
      // Left out of the pool: its rows go with the connection.
    }
  };
  const insertAll = db.transaction((insert: Statement, specs: readonly JobInsertParams[], rows: PackedJobRows) => {
    const { ids, specOf, intents } = rows;
    for (let index = 0; index < ids.length; index++) {
      const intent = intents[index]!;
      insert.run(ids[index], ...specs[specOf[index]!]!, Number.isNaN(intent) ? null : intent);
    }
  });
  const copyAll = db.transaction((copy: Statement, batch: number, count: number, at: number) => {
    const copied = copy.run({ at }).changes;
    if (copied !== count) throw new Error(`batch ${batch} of new jobs has ${copied} rows staged, expected ${count}`);
  });
  return {
    stage(batch, rows) {
      // A part that did not arrive would leave the numbers of every later one pointing elsewhere.
      const arrived = byBatch.get(batch)?.specs.length ?? 0;
      if (rows.specBase !== arrived) {
        throw new Error(`batch ${batch} of new jobs: a part numbers its specs from ${rows.specBase}, ${arrived} arrived`);
      }
      const staged = stagedOf(batch);
      for (const spec of rows.specs) staged.specs.push(spec);
      insertAll(staged.table.insert, staged.specs, rows);
    },
    commit(batch, count, at) {
      const staged = byBatch.get(batch);
      if (staged === undefined) {
        if (count === 0) return;
        throw new Error(`batch ${batch} of new jobs has 0 rows staged, expected ${count}`);
      }
      try {
        copyAll(staged.table.copy, batch, count, at);
      } finally {
        forget(batch);
      }
    },
    drop: forget,
  };
}
