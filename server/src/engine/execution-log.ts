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
   * Announces that a job will send its occurrence at `at`. It is committed with the next batch,
   * normally well before `at`, so the commit costs the fire no lag. After a crash, what lies
   * between a job's cursor and its durable intent may have been sent and has no outcome.
   * Returns a ticket for isIntentDurable.
   */
  announceIntent(jobId: string, at: number): number;
  /** Whether the intent behind a ticket is durable (a ticket of 0, nothing announced, always is). */
  isIntentDurable(ticket: number): boolean;
  /** Commits every announced intent now; false when the database refused. */
  commitIntents(): boolean;
}
