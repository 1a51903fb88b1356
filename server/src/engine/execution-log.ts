import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';

/**
 * Where the engine hands its outcomes. Implementations must return at once (buffer and write in
 * batches): the engine calls this on its hot path and never waits for the database.
 */
export interface ExecutionLog {
  recordExecution(record: ExecutionRecord): void;
  recordSkip(record: SkipRecord): void;
  recordAlert(record: AlertRecord): void;
  /**
   * Announces that an at-most-once job will send its occurrence at `at`. It is committed with the
   * next batch, normally well before `at`, so the commit costs the fire no lag.
   */
  announceIntent(jobId: string, at: number): void;
  /** Whether the intent to send `at` is durable (at or past it). */
  isIntentDurable(jobId: string, at: number): boolean;
  /** Writes everything buffered now; returns the number of records written (0 when the database refused). */
  flush(): number;
}
