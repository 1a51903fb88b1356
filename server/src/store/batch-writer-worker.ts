/**
 * The writer's thread (writer-thread.ts): writes execution batches, job inserts (and the staged
 * batches of prepareJobStage) and retention passes on its own connection, in the order they
 * arrive, and checkpoints the WAL every `checkpointEveryMs`. Replies to each request with its
 * id, and the time it took or the reason it was refused; reports a failed checkpoint of its own
 * accord.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { BatchStatements } from './batch-statements.ts';
import { prepareJobInsert, prepareJobStage } from './job-insert-statement.ts';
import { unpackExecutions } from './packed-executions.ts';
import { RetentionStatements } from './retention-statements.ts';
import { CHECKPOINT_EVERY_MS, type WriterDone, type WriterNotice, type WriterReply, type WriterRequest, type WriterWorkerData } from './writer-thread.ts';

/**
 * Page cache of the writer's connection, in KiB. A batch touches a page of each job's row and of
 * both per-job indexes of Execution for every job that fired, scattered over the file; with
 * SQLite's default 2 MB most of those pages are read back from the OS on every batch. 64 MB holds
 * them at 10,000 jobs a second (about 41 → 28 µs of CPU per record measured here), and it only
 * fills as far as the writer's working set.
 */
const WRITER_CACHE_KIB = 65_536;

const { path, busyTimeoutMs, checkpointEveryMs = CHECKPOINT_EVERY_MS } = workerData as WriterWorkerData;
const db = new BetterSqlite3(path, { timeout: busyTimeoutMs });
db.pragma('synchronous = NORMAL');
db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
// Temporary tables and indexes in memory: the staged createJobs batches (a few MB at most), and
// the sorts of retention passes.
db.pragma('temp_store = MEMORY');
const statements = new BatchStatements(db);
const insertJobs = prepareJobInsert(db);
const jobStage = prepareJobStage(db);
const retention = new RetentionStatements(db);
// Copies into the file what every connection wrote to the WAL; the engine's connection does not
// checkpoint while this thread runs.
const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error: unknown) {
    const notice: WriterNotice = { checkpointFailed: messageOf(error), code: codeOf(error) };
    parentPort!.postMessage(notice);
  }
}, checkpointEveryMs);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** SQLite's code of a refusal (e.g. SQLITE_FULL), when it has one. */
function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

const NOTHING_TO_SAY: Omit<WriterDone, 'ms'> = { pruned: null, lastIds: null };

/**
 * Runs one request. A retention pass answers what it removed; a batch of the execution log, the
 * record ids it reached, which tell the engine's thread the next batch's records apart.
 */
function write(request: WriterRequest): Omit<WriterDone, 'ms'> {
  switch (request.kind) {
    case 'executions':
      statements.write({ ...request.batch, executions: unpackExecutions(request.batch.executions) });
      return { pruned: null, lastIds: statements.lastIds() };
    case 'jobs':
      insertJobs(request.rows);
      return NOTHING_TO_SAY;
    case 'stage-jobs':
      jobStage.stage(request.batch, request.rows);
      return NOTHING_TO_SAY;
    case 'commit-jobs':
      jobStage.commit(request.batch, request.count, request.at);
      return NOTHING_TO_SAY;
    case 'drop-jobs':
      jobStage.drop(request.batch);
      return NOTHING_TO_SAY;
    case 'prune':
      return { pruned: retention.prune(request.pass), lastIds: null };
  }
}

parentPort!.on('message', (message: WriterRequest | 'close') => {
  if (message === 'close') {
    clearInterval(checkpoints);
    db.close();
    parentPort!.close();
    return;
  }
  const started = performance.now();
  let reply: WriterReply;
  try {
    const done = write(message);
    reply = { id: message.id, ok: true, ms: performance.now() - started, ...done };
  } catch (error: unknown) {
    reply = { id: message.id, ok: false, error: messageOf(error), code: codeOf(error) };
  }
  parentPort!.postMessage(reply);
});
