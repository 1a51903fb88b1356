import type { ChildProcess } from 'node:child_process';
import { windowEnd } from './analyse.ts';
import { changePercent, READ_LOAD_P99_CLAIM_PERCENT, verdict } from './claims.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import type { BenchOptions } from './options.ts';
import { alternatingPhases, lagByPhase, phaseP99s, phasesLabel, phaseSecondsFor, switchedOn, type Phase, type PhaseLag } from './phases.ts';
import type { ReadDone, ReadPeriod, ReadStart } from './read-client.ts';
import { fixed, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import type { SideLoad } from './side-load.ts';
import { runZeitgeberUnder } from './zeitgeber-scenario.ts';

/** Reads waiting for an answer at most (the reader's connections to the server). */
const MAX_IN_FLIGHT = 64;
/** Longest wait for the last reads after the window, in ms. */
const DRAIN_TIMEOUT_MS = 60_000;
/** Reads sent just before the window, not measured, so that the reader's connections are open and the server's read paths warm. */
const WARM_UP_MS = 1_000;

/** The reads and the phases they took turns in. */
type ReadFigures = ReadDone & { phases: Phase[] };

/**
 * The reads (read-client.ts) as a side load in every other phase of the window: the reader reads
 * from each on-phase's switch on to its switch off, by its own clock.
 */
function alternatingReads(perSecond: number): SideLoad<ReadFigures> {
  let child: ChildProcess | undefined;
  let serverUrl = '';
  let phases: Phase[] = [];
  let done: Promise<ReadDone> | undefined;
  return {
    async attach(url) {
      serverUrl = url;
      child = spawnBenchChild(new URL('./read-client.ts', import.meta.url).pathname);
      await nextMessage(child, 'ready', 30_000, 'read-client');
    },
    async begin(jobIds, window) {
      phases = alternatingPhases(window, phaseSecondsFor(window.seconds));
      const warmUp: ReadPeriod = { fromMs: window.startMs - WARM_UP_MS, toMs: window.startMs, measured: false };
      const start: ReadStart = {
        type: 'start',
        serverUrl,
        jobIds: [...jobIds],
        perSecond,
        periods: [warmUp, ...phases.filter((phase) => phase.on).map((phase) => ({ ...switchedOn(phase), measured: true }))],
        maxInFlight: MAX_IN_FLIGHT,
      };
      done = nextMessage<ReadDone>(child!, 'done', windowEnd(window) - Date.now() + DRAIN_TIMEOUT_MS, 'read-client');
      done.catch(() => {});
      child!.send(start);
    },
    async finish() {
      const figures = await done!;
      killTracked(child!);
      return { ...figures, phases };
    },
    kill: () => {
      if (child) killTracked(child);
    },
    pid: () => child?.pid ?? null,
  };
}

interface ReadLoadRun {
  run: RunResult;
  lag: PhaseLag;
  reads: ReadFigures;
}

function formatRuns(runs: readonly ReadLoadRun[], perSecond: number): string {
  const rows = runs.map(({ run, lag, reads }) => {
    const change = changePercent(lag.off.p99, lag.on.p99);
    const readSeconds = reads.phases.filter((phase) => phase.on).reduce((sum, phase) => {
      const { fromMs, toMs } = switchedOn(phase);
      return sum + (toMs - fromMs) / 1_000;
    }, 0);
    return [
      String(run.jobs),
      String(run.repeat),
      phasesLabel(reads.phases),
      `${fixed(lag.off.p50, 0)} / ${fixed(lag.off.p99, 0)}`,
      `${fixed(lag.on.p50, 0)} / ${fixed(lag.on.p99, 0)}`,
      fixed(change, 1),
      verdict(change, (value) => value <= READ_LOAD_P99_CLAIM_PERCENT),
      phaseP99s(reads.phases, lag.each),
      String(perSecond),
      fixed((reads.measured - reads.skipped - reads.failed) / readSeconds, 0),
      String(reads.failed),
      String(reads.skipped),
      fixed(reads.latency.p50, 1),
      fixed(reads.latency.p99, 1),
    ];
  });
  return table(
    [
      'jobs', 'run', 'phases', 'without: p50 / p99 ms', 'with reads: p50 / p99 ms', 'p99 change %', `≤ ${READ_LOAD_P99_CLAIM_PERCENT} %`, 'p99 of each phase in turn ms',
      'reads/s asked', 'reads/s answered', 'failed', 'skipped', 'read p50 ms', 'read p99 ms',
    ],
    rows,
  );
}

/**
 * The read-load scenario: for each job count and repeat, one Zeitgeber run whose window
 * alternates between phases without reads and phases under a steady `options.readsPerSecond` of
 * GraphQL reads from a process of their own. The fire lag of the seconds without reads is
 * compared with that of the seconds with them, in the same run.
 */
export async function runReadLoadScenario(options: BenchOptions): Promise<ScenarioReport> {
  const runs: ReadLoadRun[] = [];
  const problems: string[] = [];
  for (const jobs of options.readLoadJobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const phaseSeconds = phaseSecondsFor(options.seconds);
      console.error(`bench: read-load, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}: ${options.readsPerSecond} reads/s in every other ${phaseSeconds} s…`);
      const common = { jobs, seconds: options.seconds, repeat, createConcurrency: options.createConcurrency, scenario: 'read-load' as const };
      const variant = `read-load: ${options.readsPerSecond} reads/s every other ${phaseSeconds} s`;
      const { run, load: reads, arrivals } = await runZeitgeberUnder({ ...common, variant }, alternatingReads(options.readsPerSecond));
      const lag = lagByPhase(arrivals, reads.phases);
      console.error(`bench: read-load: p99 ${lag.off.p99 ?? '—'} ms without, ${lag.on.p99 ?? '—'} ms with; reads p99 ${reads.latency.p99?.toFixed(1) ?? '—'} ms`);
      runs.push({ run, lag, reads });
      if (reads.failed > 0) problems.push(`read-load ${jobs} jobs run ${repeat}: ${reads.failed} reads failed (first: ${reads.firstError})`);
    }
  }
  return {
    runs: runs.map(({ run }) => run),
    sections: [
      `Read load: fire lag in the seconds without and with ${options.readsPerSecond} GraphQL reads/s (half jobs(first: 50) with stats, half executions(jobId, first: 20)), in turns within one run\n\n${formatRuns(runs, options.readsPerSecond)}`,
    ],
    problems,
  };
}
