import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';

/**
 * Where the engine hands its outcomes. Implementations must return at once (buffer and write in
 * batches): the engine calls this on its hot path and never waits for the database.
 */
export interface ExecutionLog {
  recordExecution(record: ExecutionRecord): void;
  recordSkip(record: SkipRecord): void;
  recordAlert(record: AlertRecord): void;
}
