import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { BatchStatements, type WriteBatch } from './batch-statements.ts';

/**
 * The execution writer's thread: writes group commits on its own connection, so a batch never
 * holds the engine's event loop. Replies to each batch with its id, and the time it took or the
 * reason it was refused.
 */
interface WorkerData {
  path: string;
  busyTimeoutMs: number;
}

const { path, busyTimeoutMs } = workerData as WorkerData;
const db = new BetterSqlite3(path, { timeout: busyTimeoutMs });
db.pragma('synchronous = NORMAL');
const statements = new BatchStatements(db);

parentPort!.on('message', (message: { id: number; batch: WriteBatch } | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  const started = performance.now();
  try {
    statements.write(message.batch);
    parentPort!.postMessage({ id: message.id, ok: true, batchMs: performance.now() - started });
  } catch (error: unknown) {
    parentPort!.postMessage({ id: message.id, ok: false, error: error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error) });
  }
});
