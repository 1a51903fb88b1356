import { join } from 'node:path';
import { BATCH_CREATES_TARGET, FIRST_FIRE_TARGET_MS, RSS_TARGET_BYTES, verdict } from './claims.ts';
import { firstOnTimeFire, type OnTimeFire } from './first-fire.ts';
import { postGraphql } from './graphql-request.ts';
import { createJobBatches } from './job-batches.ts';
import { MAX_BATCH_SIZE, type BenchOptions } from './options.ts';
import { cpuSeconds, peakRssBytes, rssBytes } from './proc-stats.ts';
import { fixed, NONE, table } from './report.ts';
import type { ScenarioReport } from './run-result.ts';
import { EVERY_SECOND, spreadSchedule } from './schedules.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startServer, type ServerProcess } from './server-process.ts';
import { sleepUntil } from './sleep-until.ts';
import { startTarget, type TargetProcess } from './target-process.ts';

/** Jobs among the million that fire every second, so a restarted server's first on-time fire comes within a second. */
const SENTINEL_JOBS = 5;
/** A fire is on time when it reaches the target within this of its scheduled instant, in ms. */
export const ON_TIME_MS = 1_000;
/**
 * Longest wait for a restarted server's /health, in ms: generous, so that a slow restore of a
 * million jobs still yields a figure instead of a timeout.
 */
const RESTART_READY_TIMEOUT_MS = 1_800_000;
/** After a restart, fires are watched until this long after the spawn and after /health answers, in ms. */
const WATCH_AFTER_SPAWN_MS = 30_000;
const WATCH_AFTER_HEALTHY_MS = 10_000;
/**
 * How long the server runs on after the last batch before its memory is read again: what it holds
 * for the million jobs, once the garbage of creating them has had time to be collected.
 */
const SETTLE_AFTER_CREATION_MS = 30_000;

interface MillionFigures {
  jobs: number;
  /** Spawn → /health of the first server, on an empty database: the start-up cost without jobs. */
  freshHealthyAfterMs: number;
  createdPerSecond: number;
  creationCpuSeconds: number;
  createdRssBytes: number;
  createdPeakRssBytes: number;
  settledRssBytes: number;
  stopMs: number;
  healthyAfterMs: number;
  restoredJobs: number;
  firstFire: OnTimeFire | null;
  spawnedAt: number;
  restartedRssBytes: number;
  restartedPeakRssBytes: number;
  restartCpuSeconds: number;
  watchedMs: number;
}

const megabytes = (bytes: number): string => fixed(bytes / 1_048_576, 0);

function formatFigures(f: MillionFigures): string {
  const firstFireMs = f.firstFire === null ? null : f.firstFire.arrivedAt - f.spawnedAt;
  const withinRss = (bytes: number): boolean => bytes <= RSS_TARGET_BYTES;
  const rows = [
    ['jobs registered (every-second sentinels included)', String(f.jobs), '', ''],
    ['createJobs jobs/s', fixed(f.createdPerSecond, 0), `≥ ${BATCH_CREATES_TARGET}`, verdict(f.createdPerSecond, (v) => v >= BATCH_CREATES_TARGET)],
    ['server CPU s during creation', fixed(f.creationCpuSeconds, 1), '', ''],
    ['server RSS after creation (VmRSS) MB', megabytes(f.createdRssBytes), '≤ 1024', verdict(f.createdRssBytes, withinRss)],
    ['server peak RSS after creation (VmHWM) MB', megabytes(f.createdPeakRssBytes), '≤ 1024', verdict(f.createdPeakRssBytes, withinRss)],
    [`server RSS ${SETTLE_AFTER_CREATION_MS / 1_000} s after creation (VmRSS) MB`, megabytes(f.settledRssBytes), '≤ 1024', verdict(f.settledRssBytes, withinRss)],
    ['graceful stop (SIGTERM → exit) s', fixed(f.stopMs / 1_000, 2), '', ''],
    ['fresh start (empty database): spawn → /health answers s', fixed(f.freshHealthyAfterMs / 1_000, 2), '', ''],
    ['restart: spawn → /health answers s', fixed(f.healthyAfterMs / 1_000, 2), '', ''],
    ['restart: jobs restored (health.activeJobs)', String(f.restoredJobs), String(f.jobs), f.restoredJobs === f.jobs ? 'yes' : 'no'],
    [
      `restart: spawn → first on-time fire (lag ≤ ${ON_TIME_MS} ms) s`,
      firstFireMs === null ? `none in ${fixed(f.watchedMs / 1_000, 0)} s` : `${fixed(firstFireMs / 1_000, 2)} (lag ${f.firstFire!.lagMs} ms)`,
      `≤ ${FIRST_FIRE_TARGET_MS / 1_000}`,
      verdict(firstFireMs, (v) => v <= FIRST_FIRE_TARGET_MS),
    ],
    [`server RSS ${fixed(f.watchedMs / 1_000, 0)} s after restart (VmRSS) MB`, megabytes(f.restartedRssBytes), '≤ 1024', verdict(f.restartedRssBytes, withinRss)],
    ['server peak RSS since restart (VmHWM) MB', megabytes(f.restartedPeakRssBytes), '≤ 1024', verdict(f.restartedPeakRssBytes, withinRss)],
    ['server CPU s from restart to then', fixed(f.restartCpuSeconds, 1), '', ''],
  ].map((row) => row.map((cell) => (cell === '' ? NONE : cell)));
  return table(['figure', 'value', 'target', 'meets'], rows);
}

async function restoredJobs(serverUrl: string): Promise<number> {
  const data = await postGraphql<{ health: { activeJobs: number } }>(serverUrl, { query: '{ health { activeJobs } }' });
  return data.health.activeJobs;
}

/** One million run: create, measure, stop gracefully, restart on the same database, watch. */
async function measureMillion(jobs: number): Promise<MillionFigures> {
  const dir = createScratchDir();
  const databasePath = join(dir, 'bench.db');
  let target: TargetProcess | undefined;
  let server: ServerProcess | undefined;
  try {
    target = await startTarget();
    server = await startServer(databasePath);
    const freshHealthyAfterMs = server.healthyAt - server.spawnedAt;
    const cpuBefore = cpuSeconds(server.pid);
    const step = Math.max(MAX_BATCH_SIZE, Math.ceil(jobs / 10 / MAX_BATCH_SIZE) * MAX_BATCH_SIZE);
    const created = await createJobBatches(server.url, target.url, jobs, MAX_BATCH_SIZE, (i) => (i < SENTINEL_JOBS ? EVERY_SECOND : spreadSchedule(i)), (count) => {
      if (count % step === 0 || count === jobs) console.error(`bench: million: ${count} jobs created`);
    });
    const creationCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
    const createdRssBytes = rssBytes(server.pid);
    const createdPeakRssBytes = peakRssBytes(server.pid);
    await sleepUntil(Date.now() + SETTLE_AFTER_CREATION_MS);
    const settledRssBytes = rssBytes(server.pid);
    const stopStarted = Date.now();
    await server.stop();
    const stopMs = Date.now() - stopStarted;
    console.error('bench: million: stopped; restarting on the same database…');
    server = await startServer(databasePath, { readyTimeoutMs: RESTART_READY_TIMEOUT_MS });
    const { spawnedAt, healthyAt } = server;
    const restored = await restoredJobs(server.url);
    const watchUntil = Math.max(spawnedAt + WATCH_AFTER_SPAWN_MS, healthyAt + WATCH_AFTER_HEALTHY_MS);
    await sleepUntil(watchUntil);
    const restartedRssBytes = rssBytes(server.pid);
    const restartedPeakRssBytes = peakRssBytes(server.pid);
    const restartCpuSeconds = cpuSeconds(server.pid);
    await server.stop();
    const arrivals = await target.collect(dir);
    return {
      jobs,
      freshHealthyAfterMs,
      createdPerSecond: created.created / (created.elapsedMs / 1_000),
      creationCpuSeconds,
      createdRssBytes,
      createdPeakRssBytes,
      settledRssBytes,
      stopMs,
      healthyAfterMs: healthyAt - spawnedAt,
      restoredJobs: restored,
      firstFire: firstOnTimeFire(arrivals, spawnedAt, ON_TIME_MS),
      spawnedAt,
      restartedRssBytes,
      restartedPeakRssBytes,
      restartCpuSeconds,
      watchedMs: watchUntil - spawnedAt,
    };
  } finally {
    target?.kill();
    server?.kill();
    removeScratchDir(dir);
  }
}

/**
 * The million scenario: `options.millionJobs` jobs with hourly schedules spread over every second
 * of the hour (and a few every-second sentinels), created through createJobs batches; the server's
 * memory after creation; then a graceful stop, a restart on the same database, and how long the
 * restarted server takes to answer /health and to fire on time.
 */
export async function runMillionScenario(options: BenchOptions): Promise<ScenarioReport> {
  const sections: string[] = [];
  const problems: string[] = [];
  for (let repeat = 1; repeat <= options.repeat; repeat++) {
    console.error(`bench: million, ${options.millionJobs} jobs, run ${repeat}/${options.repeat}…`);
    const figures = await measureMillion(options.millionJobs);
    if (figures.restoredJobs !== figures.jobs) problems.push(`million run ${repeat}: ${figures.restoredJobs} of ${figures.jobs} jobs restored`);
    if (figures.firstFire === null) problems.push(`million run ${repeat}: no on-time fire within ${figures.watchedMs} ms of the restart`);
    sections.push(`Million: ${figures.jobs} registered jobs, run ${repeat}\n\n${formatFigures(figures)}`);
  }
  return { runs: [], sections, problems };
}
