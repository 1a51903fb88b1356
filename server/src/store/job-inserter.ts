import type { Database } from 'better-sqlite3';
import { jobInsertParams, JobRowPacker, prepareJobInsert, type BatchJobRow, type JobInsertParams, type NewJobRow } from './job-insert-statement.ts';
import { StoreUnavailableError } from '../domain/errors.ts';
import { toStoreError } from './store-errors.ts';
import type { WriterThread } from './writer-thread.ts';

/**
 * Most rows of a group commit written inline, on this thread: a transaction of this size takes
 * about a millisecond. Larger ones always go to the writer's thread.
 */
const INLINE_MAX_ROWS = 64;

interface Waiting {
  params: JobInsertParams;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Inserts new jobs with group commit: the creates that arrive within one turn of the event loop
 * are written together in one transaction. A prepared better-sqlite3 statement costs microseconds
 * where Prisma's single create costs about 2 ms, which is what lets the API create thousands of
 * jobs a second.
 *
 * A small group is written inline while the writer's thread is idle: the file's write lock is free
 * then (this process is its only writer), and a hop to the thread and back costs the engine's
 * thread as much CPU as the insert itself, and the process about 40 µs more per create (measured
 * with 16 creates in flight). Otherwise the group goes to the writer's thread, behind what it is
 * writing: the engine's thread never waits for the lock, and a large batch never holds the loop
 * for the length of its transaction.
 */
export class JobInserter {
  readonly #inline: (rows: readonly JobInsertParams[]) => void;
  readonly #isStored: (id: string) => boolean;
  readonly #thread: WriterThread | null;
  #waiting: Waiting[] = [];
  #scheduled = false;
  /** The number of the last batch opened. */
  #batches = 0;

  constructor(db: Database, thread: WriterThread | null = null) {
    this.#inline = prepareJobInsert(db);
    const find = db.prepare('SELECT 1 FROM "Job" WHERE "id" = ?').pluck();
    this.#isStored = (id) => find.get(id) !== undefined;
    this.#thread = thread;
  }

  /** Inserts one job with the next group commit; resolves once it is durable. */
  insert(row: NewJobRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ params: jobInsertParams(row), resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#commit());
      }
    });
  }

  /**
   * Starts a batch of new jobs, written in one transaction at its commit: all or none. While the
   * writer's thread runs, the rows added are staged there at once (prepareJobStage), so the
   * thread stages one part while the caller builds the next.
   */
  openBatch(): NewJobBatch {
    const thread = this.#thread?.alive ? this.#thread : null;
    return new NewJobBatch(thread, ++this.#batches, this.#inline, this.#isStored);
  }

  #commit(): void {
    this.#scheduled = false;
    const batch = this.#waiting;
    this.#waiting = [];
    this.#write(batch.map((waiting) => waiting.params)).then(
      () => {
        for (const waiting of batch) waiting.resolve();
      },
      (error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      },
    );
  }

  async #write(rows: JobInsertParams[]): Promise<void> {
    try {
      const thread = this.#thread?.alive ? this.#thread : null;
      if (thread && !(thread.idle && rows.length <= INLINE_MAX_ROWS)) {
        await settleOnThread(thread.write({ kind: 'jobs', rows }), () => this.#isStored(rows[0]![0] as string), () => this.#inline(rows));
      } else this.#inline(rows);
    } catch (error: unknown) {
      throw toStoreError(error);
    }
  }
}

/**
 * Waits for a transaction of new jobs sent to the thread. When the thread is lost before it
 * answers, the transaction may have committed or not, all of it or none: `isStored` (its first
 * row, looked up on the caller's connection) tells which, and `insertInline` writes it when it
 * did not.
 * Without this, jobs already durable would be reported as not created, and a client trying again
 * would create them twice.
 */
async function settleOnThread(sent: Promise<unknown>, isStored: () => boolean, insertInline: () => void): Promise<void> {
  try {
    await sent;
  } catch (error: unknown) {
    // The thread answers a refusal of SQLite's with SQLite's error; only its loss is this one.
    if (!(error instanceof StoreUnavailableError)) throw error;
    if (!isStored()) insertInline();
  }
}

/** A batch of new jobs (JobInserter.openBatch): rows added part by part, then committed or dropped. */
export class NewJobBatch {
  readonly #thread: WriterThread | null;
  readonly #number: number;
  readonly #insertInline: (rows: readonly JobInsertParams[]) => void;
  readonly #isStored: (id: string) => boolean;
  /** Every row added, kept to be written inline if the thread is gone before the commit. */
  readonly #rows: BatchJobRow[] = [];
  /** Each staging sent to the thread: null once staged, or why it was refused. */
  readonly #staged: Array<Promise<unknown>> = [];
  readonly #packer = new JobRowPacker();

  constructor(thread: WriterThread | null, number: number, insertInline: (rows: readonly JobInsertParams[]) => void, isStored: (id: string) => boolean) {
    this.#thread = thread;
    this.#number = number;
    this.#insertInline = insertInline;
    this.#isStored = isStored;
  }

  /** Adds rows to the batch (on the writer's thread, staged at once). */
  add(rows: readonly BatchJobRow[]): void {
    for (const row of rows) this.#rows.push(row);
    if (!this.#thread?.alive) return;
    const staging = this.#thread.write({ kind: 'stage-jobs', batch: this.#number, rows: this.#packer.pack(rows) });
    this.#staged.push(staging.then(() => null, (error: unknown) => error));
  }

  /**
   * Inserts every row added in one transaction, created at `at`; resolves with them once they
   * are durable. A refused staging refuses the batch. With the thread gone before the commit, the
   * rows go inline; gone during it, they go inline unless its transaction committed.
   */
  async commit(at: number): Promise<readonly BatchJobRow[]> {
    try {
      if (this.#thread) {
        const refusal = (await Promise.all(this.#staged)).find((outcome) => outcome !== null);
        if (this.#thread.alive) {
          if (refusal !== undefined) {
            this.drop();
            throw refusal;
          }
          const committing = this.#thread.write({ kind: 'commit-jobs', batch: this.#number, count: this.#rows.length, at });
          await settleOnThread(committing, () => this.#rows.length > 0 && this.#isStored(this.#rows[0]!.id), () => this.#writeInline(at));
          return this.#rows;
        }
      }
      this.#writeInline(at);
      return this.#rows;
    } catch (error: unknown) {
      throw toStoreError(error);
    }
  }

  #writeInline(at: number): void {
    this.#insertInline(this.#rows.map((row) => jobInsertParams({ ...row, createdAt: at })));
  }

  /** Gives the batch up: nothing of it is written, and what the thread staged is forgotten. */
  drop(): void {
    // Forgetting rows of the thread's own memory: if the thread is gone, so are they.
    if (this.#thread?.alive) this.#thread.write({ kind: 'drop-jobs', batch: this.#number }).catch(() => {});
  }
}
