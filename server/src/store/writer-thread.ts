import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../domain/errors.ts';
import type { RecordIds, WriteBatch } from './batch-statements.ts';
import type { JobInsertParams, PackedJobRows } from './job-insert-statement.ts';
import type { PackedExecutions } from './packed-executions.ts';
import type { PrunePass, PruneResult } from './retention-statements.ts';

export interface WriterWorkerData {
  /** The SQLite file. */
  path: string;
  busyTimeoutMs: number;
  /**
   * How often the thread checkpoints the WAL (PASSIVE: it never waits for, nor holds back, a
   * writer), so that what other connections write is copied into the file here and not on their
   * threads (see WAL_AUTOCHECKPOINT_OFF). Default: CHECKPOINT_EVERY_MS.
   */
  checkpointEveryMs?: number;
}

/** How often the writer's thread checkpoints by default: the WAL holds about a second of writes. */
export const CHECKPOINT_EVERY_MS = 1_000;

/**
 * `wal_autocheckpoint` for the engine's connection while the writer's thread runs: none. A commit
 * that crosses SQLite's threshold (1,000 pages) copies the WAL into the file on the committing
 * thread; for the small group commits of single creates that was half of their insert's cost
 * (about 33 → 17 µs a row, measured here). The thread checkpoints instead.
 */
export const WAL_AUTOCHECKPOINT_OFF = 0;
/** SQLite's own `wal_autocheckpoint`, which a connection goes back to once the thread is lost. */
export const WAL_AUTOCHECKPOINT_DEFAULT = 1_000;

/** A batch of the execution log, its executions packed by column (packed-executions). */
type PackedBatch = Omit<WriteBatch, 'executions'> & { executions: PackedExecutions };

/**
 * What the writer's thread is asked to write: a batch or new jobs in one transaction each, a
 * retention pass, or a step of a staged batch of new jobs (see prepareJobStage): rows kept aside,
 * then all of them inserted in one transaction, or forgotten.
 */
export type WriterTask =
  | { kind: 'executions'; batch: PackedBatch }
  | { kind: 'jobs'; rows: JobInsertParams[] }
  | { kind: 'prune'; pass: PrunePass }
  | { kind: 'stage-jobs'; batch: number; rows: PackedJobRows }
  | { kind: 'commit-jobs'; batch: number; count: number; at: number }
  | { kind: 'drop-jobs'; batch: number };

/** A task as sent to the thread, numbered so that its reply finds it. */
export type WriterRequest = WriterTask & { id: number };

/** What a request did: the milliseconds it took, and for a retention pass what it removed. */
export interface WriterDone {
  ms: number;
  pruned: PruneResult | null;
  /** After a batch of the execution log: the largest id of each table of records (BatchStatements.lastIds). */
  lastIds: RecordIds | null;
}

/** The answer to one request: what it did, or why it was refused (with SQLite's code). */
export type WriterReply = ({ id: number; ok: true } & WriterDone) | { id: number; ok: false; error: string; code: string | null };

/** What the thread says of its own accord: a checkpoint failed (the next one tries again). */
export interface WriterNotice {
  checkpointFailed: string;
  code: string | null;
}

/** What the owner of the thread hears of it, besides the answers to its requests. */
export interface WriterThreadHooks {
  /** The thread was lost (it crashed or exited): its writes go inline from then on. */
  onLost?: (error: unknown) => void;
  /** A checkpoint failed; the thread goes on writing and checkpoints again on its next turn. */
  onCheckpointFailed?: (error: Error) => void;
}

const lost = (cause?: unknown) => new StoreUnavailableError('the writer thread stopped', { cause });

/**
 * Starts the writer's thread (batch-writer-worker). The build runs its JavaScript; source runs
 * (tests, `pnpm dev`) load its TypeScript through tsx, which workers do not inherit.
 */
function startWorker(data: WriterWorkerData): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './batch-writer-worker.ts' : './batch-writer-worker.js', import.meta.url);
  if (!source) return new Worker(entry, { workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * The thread that writes to SQLite on its own connection (execution batches, job inserts,
 * retention passes), so that what it writes never holds the engine's event loop, neither while
 * the transaction runs nor while it waits for the file's write lock. Requests are written one
 * after the other, in the order they were sent. Once the thread is lost (it crashed, or it was
 * closed), every request still open is refused with StoreUnavailableError and `alive` turns
 * false: callers write inline from then on. A crash is reported to `onLost`.
 */
export class WriterThread {
  readonly #worker: Worker;
  readonly #open = new Map<number, { resolve: (done: WriterDone) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #alive = true;
  #closing = false;
  readonly #exited: Promise<void>;

  constructor(data: WriterWorkerData, { onLost = () => {}, onCheckpointFailed = () => {} }: WriterThreadHooks = {}) {
    this.#worker = startWorker(data);
    this.#worker.on('message', (message: WriterReply | WriterNotice) => {
      if ('checkpointFailed' in message) onCheckpointFailed(Object.assign(new Error(message.checkpointFailed), { code: message.code ?? undefined }));
      else this.#answer(message);
    });
    this.#worker.on('error', (error: unknown) => {
      if (this.#alive) onLost(error);
      this.#lose(error);
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    void this.#exited.then(() => {
      if (this.#alive && !this.#closing) onLost(new Error('the writer thread exited'));
      this.#lose();
    });
    // Unref'd so it never keeps the process alive; close() waits for its last write.
    this.#worker.unref();
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Whether it has nothing to write: it holds no transaction, nor waits for the file's write lock. */
  get idle(): boolean {
    return this.#open.size === 0;
  }

  /** Sends a task; resolves once it is committed. `transfer` moves buffers instead of copying them. */
  write(task: WriterTask, transfer: ArrayBuffer[] = []): Promise<WriterDone> {
    if (!this.#alive) return Promise.reject(lost());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#open.set(id, { resolve, reject });
      const request: WriterRequest = { ...task, id };
      try {
        this.#worker.postMessage(request, transfer);
      } catch (error: unknown) {
        // Not sent (it could not be cloned): nothing of it will be written.
        this.#open.delete(id);
        reject(error);
      }
    });
  }

  /**
   * Lets the thread finish what it was sent, then closes its connection and waits for it to exit.
   * From the start of the close it takes nothing more: `alive` turns false, and writes go inline.
   */
  async close(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    this.#closing = true;
    this.#worker.ref();
    this.#worker.postMessage('close');
    await this.#exited;
  }

  #answer(reply: WriterReply): void {
    const open = this.#open.get(reply.id);
    if (!open) return;
    this.#open.delete(reply.id);
    if (reply.ok) open.resolve({ ms: reply.ms, pruned: reply.pruned, lastIds: reply.lastIds });
    else open.reject(Object.assign(new Error(reply.error), { code: reply.code ?? undefined }));
  }

  #lose(cause?: unknown): void {
    this.#alive = false;
    const open = [...this.#open.values()];
    this.#open.clear();
    for (const request of open) request.reject(lost(cause));
  }
}
