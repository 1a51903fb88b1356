import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { analyseDelivery, measurementWindow, windowEnd, type Arrival, type MeasurementWindow, type PersistedCount } from './analyse.ts';
import { createJobs } from './create-jobs.ts';
import { peakRssBytes, windowCpuSeconds } from './proc-stats.ts';
import type { Scenario } from './options.ts';
import type { RunResult } from './run-result.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startServer, type ServerProcess } from './server-process.ts';
import { NO_SIDE_LOAD, type SideLoad } from './side-load.ts';
import { sleepUntil } from './sleep-until.ts';
import { startTarget, type TargetProcess } from './target-process.ts';

/** Time after the window for the fires of its last second to arrive before the server is stopped. */
const SETTLE_MS = 2_000;

export interface ZeitgeberRunOptions {
  jobs: number;
  seconds: number;
  repeat: number;
  createConcurrency: number;
  /** The scenario the run belongs to, and what its row is called; `zeitgeber` by default. */
  scenario?: Scenario;
  variant?: string;
  /** Server settings added for this run (e.g. TRANSPORT). */
  env?: Readonly<Record<string, string>>;
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
  return (await runZeitgeberUnder(options, NO_SIDE_LOAD)).run;
}

/** {@link runZeitgeber} with a side load attached to the server for the whole run; also its figures and the arrivals. */
export async function runZeitgeberUnder<R>(options: ZeitgeberRunOptions, load: SideLoad<R>): Promise<{ run: RunResult; load: R; arrivals: Arrival[] }> {
  const dir = createScratchDir();
  const databasePath = join(dir, 'bench.db');
  let target: TargetProcess | undefined;
  let server: ServerProcess | undefined;
  try {
    target = await startTarget();
    server = await startServer(databasePath, { env: options.env });
    await load.attach(server.url);
    const created = await createJobs(server.url, target.url, options.jobs, options.createConcurrency);
    const window = measurementWindow(created.doneAt, options.seconds);
    await load.begin(created.jobIds, window);
    const loadPid = load.pid();
    const [cpuSeconds, targetCpuSeconds, sideLoadCpuSeconds] = await Promise.all([
      windowCpuSeconds(server.pid, window),
      windowCpuSeconds(target.pid, window),
      loadPid === null ? null : windowCpuSeconds(loadPid, window),
    ]);
    await sleepUntil(windowEnd(window) + SETTLE_MS);
    const loadFigures = await load.finish();
    const peakRss = peakRssBytes(server.pid);
    await server.stop();
    const arrivals = await target.collect(dir);
    const run: RunResult = {
      scenario: options.scenario ?? 'zeitgeber',
      variant: options.variant ?? 'zeitgeber',
      jobs: options.jobs,
      repeat: options.repeat,
      window,
      delivery: analyseDelivery(arrivals, created.jobIds, window),
      createdPerSecond: options.jobs / (created.elapsedMs / 1_000),
      persisted: countPersisted(databasePath, window),
      cpuSeconds,
      targetCpuSeconds,
      sideLoadCpuSeconds,
      peakRssBytes: peakRss,
    };
    return { run, load: loadFigures, arrivals };
  } finally {
    load.kill();
    target?.kill();
    server?.kill();
    removeScratchDir(dir);
  }
}
