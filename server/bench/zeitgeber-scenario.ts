import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { analyseDelivery, measurementWindow, windowEnd, type MeasurementWindow, type PersistedCount } from './analyse.ts';
import { createJobs } from './create-jobs.ts';
import { peakRssBytes, windowCpuSeconds } from './proc-stats.ts';
import type { RunResult } from './run-result.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startServer, type ServerProcess } from './server-process.ts';
import { sleepUntil } from './sleep-until.ts';
import { startTarget, type TargetProcess } from './target-process.ts';

/** Time after the window for the fires of its last second to arrive before the server is stopped. */
const SETTLE_MS = 2_000;

export interface ZeitgeberRunOptions {
  jobs: number;
  seconds: number;
  repeat: number;
  createConcurrency: number;
}

/** Counts the execution rows of the window in the database file of a stopped server. */
function countPersisted(databasePath: string, window: MeasurementWindow): PersistedCount {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  try {
    const row = db
      .prepare(`SELECT count(*) AS total, count(*) - coalesce(sum("success"), 0) AS failed FROM "Execution" WHERE "scheduledAt" >= ? AND "scheduledAt" < ?`)
      .get(window.startMs, windowEnd(window)) as PersistedCount;
    return { total: row.total, failed: row.failed };
  } finally {
    db.close();
  }
}

/**
 * One run of the production server: a fresh database, `jobs` jobs firing every second at a
 * target of its own, a window of whole seconds measured once every job exists, then a graceful
 * stop (SIGTERM), after which the database file is read for what was persisted.
 */
export async function runZeitgeber(options: ZeitgeberRunOptions): Promise<RunResult> {
  const dir = createScratchDir();
  const databasePath = join(dir, 'bench.db');
  let target: TargetProcess | undefined;
  let server: ServerProcess | undefined;
  try {
    target = await startTarget();
    server = await startServer(databasePath);
    const created = await createJobs(server.url, target.url, options.jobs, options.createConcurrency);
    const window = measurementWindow(created.doneAt, options.seconds);
    const cpuSeconds = await windowCpuSeconds(server.pid, window);
    await sleepUntil(windowEnd(window) + SETTLE_MS);
    const peakRss = peakRssBytes(server.pid);
    await server.stop();
    const arrivals = await target.collect(dir);
    return {
      scenario: 'zeitgeber',
      jobs: options.jobs,
      repeat: options.repeat,
      window,
      delivery: analyseDelivery(arrivals, created.jobIds, window),
      createdPerSecond: options.jobs / (created.elapsedMs / 1_000),
      persisted: countPersisted(databasePath, window),
      cpuSeconds,
      peakRssBytes: peakRss,
    };
  } finally {
    target?.kill();
    server?.kill();
    removeScratchDir(dir);
  }
}
