import type { ChildProcess } from 'node:child_process';
import { windowEnd } from './analyse.ts';
import { changePercent, READ_LOAD_P99_CLAIM_PERCENT, verdict } from './claims.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import type { BenchOptions } from './options.ts';
import type { ReadDone, ReadStart } from './read-client.ts';
import { fixed, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import type { SideLoad } from './side-load.ts';
import { runZeitgeber, runZeitgeberUnder } from './zeitgeber-scenario.ts';

/** Reads sent before the window, so that the reader's connections are open when it starts. */
const WARM_UP_MS = 1_000;
/** Reads waiting for an answer at most (the reader's connections to the server). */
const MAX_IN_FLIGHT = 64;
/** Longest wait for the last reads after the window, in ms. */
const DRAIN_TIMEOUT_MS = 60_000;

/** The reads (read-client.ts) as a side load over the window. */
function readLoad(perSecond: number): SideLoad<ReadDone> {
  let child: ChildProcess | undefined;
  let serverUrl = '';
  let done: Promise<ReadDone> | undefined;
  return {
    async attach(url) {
      serverUrl = url;
      child = spawnBenchChild(new URL('./read-client.ts', import.meta.url).pathname);
      await nextMessage(child, 'ready', 30_000, 'read-client');
    },
    async begin(jobIds, window) {
      const start: ReadStart = {
        type: 'start',
        serverUrl,
        jobIds: [...jobIds],
        perSecond,
        fromMs: window.startMs - WARM_UP_MS,
        toMs: windowEnd(window),
        measureFromMs: window.startMs,
        maxInFlight: MAX_IN_FLIGHT,
      };
      done = nextMessage<ReadDone>(child!, 'done', windowEnd(window) - Date.now() + DRAIN_TIMEOUT_MS, 'read-client');
      done.catch(() => {});
      child!.send(start);
    },
    async finish() {
      const figures = await done!;
      killTracked(child!);
      return figures;
    },
    kill: () => {
      if (child) killTracked(child);
    },
    pid: () => child?.pid ?? null,
  };
}

interface ReadLoadPair {
  plain: RunResult;
  loaded: RunResult;
  reads: ReadDone;
}

function formatPairs(pairs: readonly ReadLoadPair[], perSecond: number, seconds: number): string {
  const rows = pairs.map(({ plain, loaded, reads }) => {
    const change = changePercent(plain.delivery.lag.p99, loaded.delivery.lag.p99);
    return [
      String(plain.jobs),
      String(plain.repeat),
      fixed(plain.delivery.lag.p99, 0),
      fixed(loaded.delivery.lag.p99, 0),
      fixed(change, 1),
      verdict(change, (value) => value <= READ_LOAD_P99_CLAIM_PERCENT),
      String(perSecond),
      fixed((reads.measured - reads.skipped - reads.failed) / seconds, 0),
      String(reads.failed),
      String(reads.skipped),
      fixed(reads.latency.p50, 1),
      fixed(reads.latency.p99, 1),
    ];
  });
  return table(
    [
      'jobs', 'run', 'p99 plain ms', 'p99 under reads ms', 'p99 change %', `≤ ${READ_LOAD_P99_CLAIM_PERCENT} %`,
      'reads/s asked', 'reads/s answered', 'failed', 'skipped', 'read p50 ms', 'read p99 ms',
    ],
    rows,
  );
}

/**
 * The read-load scenario: for each job count and repeat, a plain Zeitgeber run, then the same run
 * under a steady `options.readsPerSecond` of GraphQL reads from a process of their own.
 */
export async function runReadLoadScenario(options: BenchOptions): Promise<ScenarioReport> {
  const pairs: ReadLoadPair[] = [];
  const problems: string[] = [];
  for (const jobs of options.readLoadJobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const common = { jobs, seconds: options.seconds, repeat, createConcurrency: options.createConcurrency, scenario: 'read-load' as const };
      console.error(`bench: read-load, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}: plain…`);
      const plain = await runZeitgeber({ ...common, variant: 'read-load: none' });
      console.error(`bench: read-load: plain p99 ${plain.delivery.lag.p99 ?? '—'} ms; now under ${options.readsPerSecond} reads/s…`);
      const variant = `read-load: ${options.readsPerSecond} reads/s`;
      const { run: loaded, load: reads } = await runZeitgeberUnder({ ...common, variant }, readLoad(options.readsPerSecond));
      console.error(`bench: read-load: p99 ${loaded.delivery.lag.p99 ?? '—'} ms; reads p99 ${reads.latency.p99?.toFixed(1) ?? '—'} ms`);
      pairs.push({ plain, loaded, reads });
      if (reads.failed > 0) problems.push(`read-load ${jobs} jobs run ${repeat}: ${reads.failed} reads failed (first: ${reads.firstError})`);
    }
  }
  return {
    runs: pairs.flatMap((pair) => [pair.plain, pair.loaded]),
    sections: [
      `Read load: fire lag with and without ${options.readsPerSecond} GraphQL reads/s (half jobs(first: 50) with stats, half executions(jobId, first: 20))\n\n${formatPairs(pairs, options.readsPerSecond, options.seconds)}`,
    ],
    problems,
  };
}
