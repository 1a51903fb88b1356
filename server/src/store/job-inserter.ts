import type { Database } from 'better-sqlite3';
import { jobInsertParams, prepareJobInsert, type JobInsertParams, type NewJobRow } from './job-insert-statement.ts';
import { toStoreError } from './store-errors.ts';
import type { WriterThread } from './writer-thread.ts';

interface Waiting {
  params: JobInsertParams;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Inserts new jobs with group commit: the creates that arrive within one turn of the event loop
 * are written together in one transaction. A prepared better-sqlite3 statement costs microseconds
 * where Prisma's single create costs about 2 ms, which is what lets the API create thousands of
 * jobs a second. The transaction runs on the writer's thread when there is one, so it never holds
 * the engine's event loop, nor makes it wait while an execution batch holds the file's write lock.
 */
export class JobInserter {
  readonly #inline: (rows: readonly JobInsertParams[]) => void;
  readonly #thread: WriterThread | null;
  #waiting: Waiting[] = [];
  #scheduled = false;

  constructor(db: Database, thread: WriterThread | null = null) {
    this.#inline = prepareJobInsert(db);
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

  /** Inserts many jobs in one transaction: all or none. */
  async insertMany(rows: readonly NewJobRow[]): Promise<void> {
    await this.#write(rows.map(jobInsertParams));
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
      if (this.#thread?.alive) await this.#thread.write({ kind: 'jobs', rows });
      else this.#inline(rows);
    } catch (error: unknown) {
      throw toStoreError(error);
    }
  }
}
