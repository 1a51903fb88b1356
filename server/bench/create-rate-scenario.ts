import { join } from 'node:path';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { BATCH_CREATES_TARGET, SINGLE_CREATES_TARGET, verdict } from './claims.ts';
import type { CreateDone, CreateStart } from './create-client.ts';
import { createJobBatches } from './job-batches.ts';
import type { BenchOptions } from './options.ts';
import { cpuSeconds, peakRssBytes } from './proc-stats.ts';
import { fixed, table } from './report.ts';
import type { ScenarioReport } from './run-result.ts';
import { quietSchedule } from './schedules.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startServer, type ServerProcess } from './server-process.ts';
import { startTarget, type TargetProcess } from './target-process.ts';


/** How one way of creating jobs did on a fresh server. */
interface CreateRateRow {
  mode: string;
  created: number;
  elapsedMs: number;
  target: number;
  serverCpuSeconds: number;
  serverPeakRssBytes: number;
}

/**
 * Runs `create` against a fresh server on a fresh database (and a target the jobs would call),
 * and measures the server's CPU over it and its peak RSS after it.
 */
async function onFreshServer(create: (server: ServerProcess, api: string) => Promise<{ created: number; elapsedMs: number }>) {
  const dir = createScratchDir();
  let target: TargetProcess | undefined;
  let server: ServerProcess | undefined;
  try {
    target = await startTarget();
    server = await startServer(join(dir, 'bench.db'));
    const cpuBefore = cpuSeconds(server.pid);
    const result = await create(server, target.url);
    const serverCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
    const serverPeakRssBytes = peakRssBytes(server.pid);
    await server.stop();
    return { ...result, serverCpuSeconds, serverPeakRssBytes };
  } finally {
    target?.kill();
    server?.kill();
    removeScratchDir(dir);
  }
}

/** Single REST creates from create-client.ts, `inFlight` at once. */
async function singleCreates(serverUrl: string, api: string, count: number, inFlight: number): Promise<CreateDone> {
  const child = spawnBenchChild(new URL('./create-client.ts', import.meta.url).pathname);
  try {
    await nextMessage(child, 'ready', 30_000, 'create-client');
    const done = nextMessage<CreateDone>(child, 'done', 600_000, 'create-client');
    const start: CreateStart = { type: 'start', serverUrl, api, count, inFlight };
    child.send(start);
    return await done;
  } finally {
    killTracked(child);
  }
}

function formatRows(rows: readonly CreateRateRow[]): string {
  return table(
    ['mode', 'jobs created', 'elapsed s', 'jobs/s', 'target jobs/s', 'meets', 'server CPU s', 'server peak RSS MB'],
    rows.map((row) => {
      const perSecond = row.created / (row.elapsedMs / 1_000);
      return [
        row.mode,
        String(row.created),
        fixed(row.elapsedMs / 1_000, 2),
        fixed(perSecond, 0),
        `≥ ${row.target}`,
        verdict(perSecond, (value) => value >= row.target),
        fixed(row.serverCpuSeconds, 2),
        fixed(row.serverPeakRssBytes / 1_048_576, 0),
      ];
    }),
  );
}

/**
 * The create-rate scenario: job creation throughput, each way on a fresh server: single REST
 * creates from a process of their own, `createInFlight` at once; then `createJobs` batches, one
 * after the other. Every job gets a quiet schedule, so none fires while creation is measured.
 */
export async function runCreateRateScenario(options: BenchOptions): Promise<ScenarioReport> {
  const rows: CreateRateRow[] = [];
  const problems: string[] = [];
  for (let repeat = 1; repeat <= options.repeat; repeat++) {
    console.error(`bench: create-rate, run ${repeat}/${options.repeat}: ${options.createCount} single REST creates, ${options.createInFlight} in flight…`);
    const single = await onFreshServer(async (server, api) => {
      const done = await singleCreates(server.url, api, options.createCount, options.createInFlight);
      if (done.failed > 0) problems.push(`create-rate run ${repeat}: ${done.failed} single creates failed (first: ${done.firstError})`);
      return { created: done.created, elapsedMs: done.elapsedMs };
    });
    rows.push({ mode: `REST POST /jobs, ${options.createInFlight} in flight`, target: SINGLE_CREATES_TARGET, ...single });
    const total = options.batches * options.batchSize;
    console.error(`bench: create-rate, run ${repeat}/${options.repeat}: ${options.batches} createJobs batches of ${options.batchSize}…`);
    const now = Date.now();
    const batched = await onFreshServer((server, api) => createJobBatches(server.url, api, total, options.batchSize, (index) => quietSchedule(index, now)));
    rows.push({ mode: `GraphQL createJobs, ${options.batches} × ${options.batchSize} in turn`, target: BATCH_CREATES_TARGET, ...batched });
  }
  return { runs: [], sections: [`Create rate: jobs created per second on a fresh server\n\n${formatRows(rows)}`], problems };
}
