import { join } from 'node:path';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { BATCH_CREATES_TARGET, ratio, SINGLE_CREATES_TARGET, verdict } from './claims.ts';
import type { CreateDone, CreateStart } from './create-client.ts';
import { startFloor } from './floor-process.ts';
import { createJobBatches } from './job-batches.ts';
import type { BenchOptions } from './options.ts';
import { cpuSeconds, peakRssBytes } from './proc-stats.ts';
import { fixed, table } from './report.ts';
import type { ScenarioReport } from './run-result.ts';
import { quietSchedule } from './schedules.ts';
import { createScratchDir, removeScratchDir } from './scratch-dir.ts';
import { startServer } from './server-process.ts';
import { startTarget, type TargetProcess } from './target-process.ts';


/** How one way of creating jobs did on one server. */
interface CreateRateRow {
  mode: string;
  /** Zeitgeber, or the floor (bare-api-server.ts). */
  server: string;
  created: number;
  elapsedMs: number;
  /** The issue's figure for Zeitgeber; null for the floor. */
  target: number | null;
  /** Jobs/s the floor reached the same way in the same run; null on the floor's own row. */
  floorPerSecond: number | null;
  serverCpuSeconds: number;
  serverPeakRssBytes: number;
}

/** A server the creates are measured on. */
export interface CreateServer {
  url: string;
  pid: number;
  /** Stops it, gracefully where that means anything. */
  stop(): Promise<void>;
  /** Kills it at once (idempotent). */
  kill(): void;
}

/** Creates jobs on the server at `serverUrl`, calling `api`; `server` names it in what goes wrong. */
type CreateRun = (serverUrl: string, api: string, server: string) => Promise<{ created: number; elapsedMs: number }>;

/** Zeitgeber on a fresh database in `dir`. */
function startZeitgeber(dir: string): Promise<CreateServer> {
  return startServer(join(dir, 'bench.db'));
}

/**
 * Runs `create` against a fresh server (and a target the jobs would call), and measures the
 * server's CPU over it and its peak RSS after it.
 */
async function onFreshServer(name: string, start: (dir: string) => Promise<CreateServer>, create: CreateRun) {
  const dir = createScratchDir();
  let target: TargetProcess | undefined;
  let server: CreateServer | undefined;
  try {
    target = await startTarget();
    server = await start(dir);
    const cpuBefore = cpuSeconds(server.pid);
    const result = await create(server.url, target.url, name);
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

const ZEITGEBER = 'Zeitgeber';
/**
 * createJobs requests at once in the second batch row: one batch's commit (on the writer's thread)
 * and the next one's checks (on the main thread) then overlap, as a bulk loader would have them.
 */
const BATCHES_IN_FLIGHT = 2;
const FLOOR = 'floor (bare HTTP server)';

/** One way of creating jobs on Zeitgeber, then on the floor: their two rows. */
async function onBoth(mode: string, target: number, create: CreateRun): Promise<CreateRateRow[]> {
  const zeitgeber = await onFreshServer(ZEITGEBER, startZeitgeber, create);
  const floor = await onFreshServer(FLOOR, startFloor, create);
  const floorPerSecond = floor.created / (floor.elapsedMs / 1_000);
  return [
    { mode, server: ZEITGEBER, target, floorPerSecond, ...zeitgeber },
    { mode, server: FLOOR, target: null, floorPerSecond: null, ...floor },
  ];
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
    ['mode', 'server', 'jobs created', 'elapsed s', 'jobs/s', 'of the floor', 'target jobs/s', 'meets', 'server CPU s', 'server peak RSS MB'],
    rows.map((row) => {
      const perSecond = row.created / (row.elapsedMs / 1_000);
      const target = row.target;
      return [
        row.mode,
        row.server,
        String(row.created),
        fixed(row.elapsedMs / 1_000, 2),
        fixed(perSecond, 0),
        fixed(ratio(perSecond, row.floorPerSecond), 2),
        target === null ? '—' : `≥ ${target}`,
        target === null ? '—' : verdict(perSecond, (value) => value >= target),
        fixed(row.serverCpuSeconds, 2),
        fixed(row.serverPeakRssBytes / 1_048_576, 0),
      ];
    }),
  );
}

/**
 * The create-rate scenario: job creation throughput, each way on a fresh server: single REST
 * creates from a process of their own, `createInFlight` at once; then `createJobs` batches, one
 * after the other, and again BATCHES_IN_FLIGHT at once. Every job gets a quiet schedule, so none
 * fires while creation is measured.
 * Each way runs on Zeitgeber and then, with the same client, on the floor (a bare HTTP server
 * answering the same calls), so each row of Zeitgeber shows its share of what this machine does
 * with no work behind the answer.
 */
export async function runCreateRateScenario(options: BenchOptions): Promise<ScenarioReport> {
  const rows: CreateRateRow[] = [];
  const problems: string[] = [];
  for (let repeat = 1; repeat <= options.repeat; repeat++) {
    console.error(`bench: create-rate, run ${repeat}/${options.repeat}: ${options.createCount} single REST creates, ${options.createInFlight} in flight…`);
    const singleMode = `REST POST /jobs, ${options.createInFlight} in flight`;
    rows.push(
      ...(await onBoth(singleMode, SINGLE_CREATES_TARGET, async (serverUrl, api, server) => {
        const done = await singleCreates(serverUrl, api, options.createCount, options.createInFlight);
        if (done.failed > 0) problems.push(`create-rate run ${repeat}, ${server}: ${done.failed} single creates failed (first: ${done.firstError})`);
        return { created: done.created, elapsedMs: done.elapsedMs };
      })),
    );
    const total = options.batches * options.batchSize;
    for (const inFlight of [1, BATCHES_IN_FLIGHT]) {
      console.error(`bench: create-rate, run ${repeat}/${options.repeat}: ${options.batches} createJobs batches of ${options.batchSize}, ${inFlight} in flight…`);
      const now = Date.now();
      const batchMode = `GraphQL createJobs, ${options.batches} × ${options.batchSize} ${inFlight === 1 ? 'in turn' : `${inFlight} in flight`}`;
      rows.push(
        ...(await onBoth(batchMode, BATCH_CREATES_TARGET, (serverUrl, api) =>
          createJobBatches(serverUrl, api, total, options.batchSize, (index) => quietSchedule(index, now), undefined, inFlight),
        )),
      );
    }
  }
  return { runs: [], sections: [`Create rate: jobs created per second on a fresh server\n\n${formatRows(rows)}`], problems };
}
