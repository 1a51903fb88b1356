import type { Database } from 'better-sqlite3';
import { RetentionStatements } from './retention-statements.ts';
import type { WriterThread } from './writer-thread.ts';

export interface RetentionOptions {
  /** Executions kept per job (the newest); 0 keeps all. */
  perJob: number;
  /** Executions, skips and alert deliveries older than this are removed; 0 keeps them forever. */
  maxAgeMs: number;
  /** Rows removed per statement: each delete is a short transaction of its own. */
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
 * maintained separately (ExecutionWriter), so they stay correct when history is pruned. A pass
 * runs on the writer's thread when there is one: a pass over 200 jobs took the engine's thread
 * tens of milliseconds here, and its deletes waited for the write lock while an execution batch
 * or a job insert held it.
 */
export class RetentionPruner {
  readonly #options: RetentionOptions;
  readonly #inline: RetentionStatements;
  readonly #thread: WriterThread | null;
  #afterJobId = '';
  #running = false;
  #timer: NodeJS.Timeout | null = null;
  #stats: RetentionStats = { runs: 0, deleted: 0 };

  constructor(db: Database, options: RetentionOptions, thread: WriterThread | null = null) {
    this.#options = options;
    this.#inline = new RetentionStatements(db);
    this.#thread = thread;
  }

  get stats(): RetentionStats {
    return { ...this.#stats };
  }

  /** Runs one bounded pass: expired rows first, then the next jobs' surplus history. Resolves with the rows deleted. */
  async runOnce(): Promise<number> {
    const { perJob, maxAgeMs, batchSize, jobsPerRun, now } = this.#options;
    const pass = { cutoff: maxAgeMs > 0 ? now() - maxAgeMs : null, perJob, afterJobId: this.#afterJobId, jobsPerRun, batchSize };
    const result = this.#thread?.alive ? (await this.#thread.write({ kind: 'prune', pass })).pruned! : this.#inline.prune(pass);
    this.#afterJobId = result.afterJobId;
    this.#stats.runs++;
    this.#stats.deleted += result.deleted;
    return result.deleted;
  }

  /**
   * Runs a pass every `intervalMs`, unless the previous one is still running; errors are reported
   * and the next pass tries again. A pass is skipped when `busySoon()` says the engine is about to
   * fire: the next one comes soon enough.
   */
  start(intervalMs: number, onError: (error: unknown) => void, busySoon: () => boolean = () => false): void {
    this.#timer = setInterval(() => {
      if (this.#running || busySoon()) return;
      this.#running = true;
      this.runOnce()
        .catch(onError)
        .finally(() => (this.#running = false));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
