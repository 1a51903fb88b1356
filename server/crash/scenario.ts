import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createScratchDir, removeScratchDir } from '../bench/scratch-dir.ts';
import { sleepUntil } from '../bench/sleep-until.ts';
import { createMixedJobs } from './create-mixed-jobs.ts';
import { startCrashableServer, type CrashableServer } from './crashable-server.ts';
import { createRandom } from './random.ts';
import { readDatabaseFacts } from './read-database.ts';
import { readTargetLog } from './target-log.ts';
import { startTarget, type TargetProcess } from './target-process.ts';
import { verifyCrashRun, type CrashVerdict } from './verify.ts';

/**
 * Occurrences due later than this before the final SIGTERM are not checked: the server may not
 * have fired them yet when it stopped (they stay owed, behind its durable cursor).
 */
const STOP_MARGIN_MS = 2_000;

export interface CrashScenarioOptions {
  jobs: number;
  kills: number;
  /** Time up before each kill, and before the final stop, drawn uniformly from [min, max) ms. */
  upMs: readonly [number, number];
  /** Time down between a kill and the next start, drawn uniformly from [min, max) ms. */
  downMs: readonly [number, number];
  /** Seeds the draws above, so that a run's plan can be replayed. */
  seed: number;
  /** Run the build (`dist/main.js`) instead of the sources through tsx. */
  dist: boolean;
  /** Copies the database and both logs into this folder at the end. */
  keepIn?: string;
  /** Called with each line of the run's timeline as it happens. */
  onProgress?: (line: string) => void;
}

export interface CrashScenarioResult extends CrashVerdict {
  seed: number;
  durationMs: number;
  /** What happened when: starts, kills, the final stop. */
  timeline: string[];
}

const seconds = (ms: number): string => (ms / 1_000).toFixed(2);

/**
 * The crash scenario: a recording target and the server on a fresh SQLite file, `jobs` jobs
 * created, then `kills` times: up for a random time, `kill -9`, down for a random time, restart
 * on the same file; finally a graceful stop (SIGTERM). The target's log and the database file
 * are then checked by {@link verifyCrashRun}. Every child is killed whatever way this ends.
 */
export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashScenarioResult> {
  const random = createRandom(options.seed);
  const dir = createScratchDir();
  const paths = { database: join(dir, 'zeitgeber.db'), targetLog: join(dir, 'target.log'), serverLog: join(dir, 'server.log') };
  const began = Date.now();
  const timeline: string[] = [];
  const note = (line: string): void => {
    const entry = `${new Date().toISOString()} ${line}`;
    timeline.push(entry);
    options.onProgress?.(entry);
  };
  let target: TargetProcess | undefined;
  let server: CrashableServer | undefined;
  const killedLives: Array<{ healthyAt: number; killedAt: number }> = [];
  let healthyAt = 0;
  const start = async (): Promise<CrashableServer> => {
    const startedAt = Date.now();
    server = await startCrashableServer({ databasePath: paths.database, dist: options.dist, logPath: paths.serverLog });
    healthyAt = Date.now();
    note(`server pid ${server.pid} healthy after ${seconds(healthyAt - startedAt)} s`);
    return server;
  };
  try {
    target = await startTarget(paths.targetLog);
    let current = await start();
    const jobs = await createMixedJobs(current.url, target.url, options.jobs);
    note(`${jobs.length} jobs created`);
    for (let kill = 1; kill <= options.kills; kill++) {
      const up = random.between(...options.upMs);
      await sleepUntil(Date.now() + up);
      killedLives.push({ healthyAt, killedAt: Date.now() });
      await current.kill();
      const down = random.between(...options.downMs);
      note(`kill -9 #${kill} of pid ${current.pid} after ${seconds(up)} s up; down for ${seconds(down)} s`);
      await sleepUntil(Date.now() + down);
      current = await start();
    }
    await sleepUntil(Date.now() + random.between(...options.upMs));
    const stopAt = Date.now();
    note(`SIGTERM to pid ${current.pid}`);
    const finalExitCode = await current.stop();
    note(`server exited with code ${finalExitCode}`);
    await target.stop();
    if (options.keepIn !== undefined) {
      mkdirSync(options.keepIn, { recursive: true });
      for (const path of Object.values(paths)) copyFileSync(path, join(options.keepIn, path.slice(dir.length + 1)));
    }
    const log = readTargetLog(paths.targetLog);
    const verdict = verifyCrashRun({
      jobs,
      requests: log.requests,
      malformedLines: log.malformed,
      database: readDatabaseFacts(paths.database),
      checkUntil: stopAt - STOP_MARGIN_MS,
      killedLives,
      finalExitCode,
    });
    return { ...verdict, seed: options.seed, durationMs: Date.now() - began, timeline };
  } finally {
    server?.abandon();
    target?.kill();
    removeScratchDir(dir);
  }
}
