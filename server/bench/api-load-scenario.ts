import type { ChildProcess } from 'node:child_process';
import { windowEnd } from './analyse.ts';
import type { ApiLoad, LoadDone, LoadPeriod, LoadStart } from './api-load-client.ts';
import { p99ChangeInterval, type ChangeInterval } from './change-interval.ts';
import { changePercent, READ_LOAD_P99_CLAIM_PERCENT, verdict } from './claims.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { startFloor } from './floor-process.ts';
import type { BenchOptions } from './options.ts';
import { alternatingPhases, lagByPhase, phaseP99s, phasesLabel, phaseSecondsFor, switchedOn, type Phase, type PhaseLag } from './phases.ts';
import { fixed, NONE, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import type { SideLoad } from './side-load.ts';
import { runZeitgeberUnder } from './zeitgeber-scenario.ts';

/** Reads waiting for an answer at most (the client's connections to the server). */
const MAX_IN_FLIGHT = 64;
/** Longest wait for the last requests after the window, in ms. */
const DRAIN_TIMEOUT_MS = 60_000;
/** Load sent just before the window, not measured, so that the client's connections are open and the server's paths warm. */
const WARM_UP_MS = 1_000;
/** Where the jobs of the create load point; they never fire within a run (quiet schedules), so nothing is sent there. */
const QUIET_API = 'http://127.0.0.1:9/create-load';

/** The load's figures and the phases it took turns in. */
type LoadFigures = LoadDone & { phases: Phase[] };

/**
 * The API load (api-load-client.ts) as a side load in every other phase of the window: the client
 * loads the server from each on-phase's switch on to its switch off, by its own clock. With
 * `sendTo`, it sends the load there instead (the floor), and the server gets none of it.
 */
function alternatingLoad(load: (jobIds: readonly string[]) => ApiLoad, sendTo: string | null): SideLoad<LoadFigures> {
  let child: ChildProcess | undefined;
  let serverUrl = '';
  let phases: Phase[] = [];
  let done: Promise<LoadDone> | undefined;
  return {
    async attach(url) {
      serverUrl = sendTo ?? url;
      child = spawnBenchChild(new URL('./api-load-client.ts', import.meta.url).pathname);
      await nextMessage(child, 'ready', 30_000, 'api-load-client');
    },
    async begin(jobIds, window) {
      phases = alternatingPhases(window, phaseSecondsFor(window.seconds));
      const warmUp: LoadPeriod = { fromMs: window.startMs - WARM_UP_MS, toMs: window.startMs, measured: false };
      const start: LoadStart = {
        type: 'start',
        serverUrl,
        load: load(jobIds),
        periods: [warmUp, ...phases.filter((phase) => phase.on).map((phase) => ({ ...switchedOn(phase), measured: true }))],
        maxInFlight: MAX_IN_FLIGHT,
      };
      done = nextMessage<LoadDone>(child!, 'done', windowEnd(window) - Date.now() + DRAIN_TIMEOUT_MS, 'api-load-client');
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

/** Where a run's load went: to Zeitgeber, or to the floor (bare-api-server.ts) while Zeitgeber fired. */
const SENT_TO_ZEITGEBER = 'Zeitgeber';
const SENT_TO_FLOOR = 'floor (bare HTTP server)';

interface LoadRun {
  run: RunResult;
  sentTo: string;
  lag: PhaseLag;
  /** What the p99 change may be, given how much the phases differ (change-interval.ts). */
  interval: ChangeInterval | null;
  figures: LoadFigures;
}

const signed = (value: number): string => `${value > 0 ? '+' : ''}${fixed(value, 1)}`;

/** An interval for a table cell: `-4.2 … +18.9`. */
const intervalCell = (interval: ChangeInterval | null): string => (interval === null ? NONE : `${signed(interval.low)} … ${signed(interval.high)}`);

/** What tells one API load from the other in its runs and its table. */
interface LoadKind {
  scenario: 'read-load' | 'create-load';
  /** The table's name. */
  title: string;
  /** What the load is, for the logs and the table's title. */
  label: string;
  load: (jobIds: readonly string[]) => ApiLoad;
  /**
   * Whether a second run sends the same load to the floor. Only an open-loop load is the same load
   * there: a closed loop sends the next request when the last one answered, so the floor, which
   * answers sooner, would carry more of it than Zeitgeber did.
   */
  floorRun: boolean;
  /** The bound the issue sets on the p99 change, in %; null: none is set, the change is only reported. */
  claimPercent: number | null;
  /** The load's own columns: their headers, and their cells for a run (over the seconds it ran). */
  headers: string[];
  cells: (figures: LoadFigures, loadSeconds: number) => string[];
}

function formatRuns(runs: readonly LoadRun[], kind: LoadKind): string {
  const claim = kind.claimPercent;
  const rows = runs.map(({ run, sentTo, lag, interval, figures }) => {
    const change = changePercent(lag.off.p99, lag.on.p99);
    const loadSeconds = figures.phases.filter((phase) => phase.on).reduce((sum, phase) => {
      const { fromMs, toMs } = switchedOn(phase);
      return sum + (toMs - fromMs) / 1_000;
    }, 0);
    return [
      String(run.jobs),
      String(run.repeat),
      sentTo,
      phasesLabel(figures.phases),
      `${fixed(lag.off.p50, 0)} / ${fixed(lag.off.p99, 0)}`,
      `${fixed(lag.on.p50, 0)} / ${fixed(lag.on.p99, 0)}`,
      fixed(change, 1),
      intervalCell(interval),
      ...(claim === null ? [] : [sentTo === SENT_TO_ZEITGEBER ? verdict(change, (value) => value <= claim) : '—']),
      phaseP99s(figures.phases, lag.each),
      ...kind.cells(figures, loadSeconds),
      String(figures.failed),
      fixed(figures.latency.p50, 1),
      fixed(figures.latency.p99, 1),
    ];
  });
  return table(
    [
      'jobs', 'run', 'load sent to', 'phases', 'without: p50 / p99 ms', 'with load: p50 / p99 ms', 'p99 change %', 'of phases drawn again: 90 % of changes in %', ...(claim === null ? [] : [`≤ ${claim} %`]),
      'p99 of each phase in turn ms', ...kind.headers, 'failed', 'request p50 ms', 'request p99 ms',
    ],
    rows,
  );
}

/**
 * One Zeitgeber run per job count and repeat whose window alternates between phases without the
 * load and phases under it, from a process of its own. The fire lag of the seconds without it is
 * compared with that of the seconds with it, in the same run. With `floorRun`, a second run sends
 * the same load to the floor (bare-api-server.ts) while Zeitgeber fires, which shows what the load
 * moves by sharing the machine alone (its client and whatever answers it take the cores the target
 * and the server use).
 */
async function runApiLoadScenario(options: BenchOptions, kind: LoadKind): Promise<ScenarioReport> {
  const runs: LoadRun[] = [];
  const problems: string[] = [];
  for (const jobs of options.apiLoadJobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const phaseSeconds = phaseSecondsFor(options.seconds);
      console.error(`bench: ${kind.scenario}, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}: ${kind.label} in every other ${phaseSeconds} s…`);
      const common = { jobs, seconds: options.seconds, repeat, createConcurrency: options.createConcurrency, scenario: kind.scenario };
      for (const sentTo of kind.floorRun ? [SENT_TO_ZEITGEBER, SENT_TO_FLOOR] : [SENT_TO_ZEITGEBER]) {
        console.error(`bench: ${kind.scenario}: the load goes to ${sentTo}`);
        const floor = sentTo === SENT_TO_FLOOR ? await startFloor() : null;
        try {
          const variant = `${kind.scenario}: ${kind.label} every other ${phaseSeconds} s${floor ? ', sent to the floor' : ''}`;
          const { run, load: figures, arrivals } = await runZeitgeberUnder({ ...common, variant }, alternatingLoad(kind.load, floor?.url ?? null));
          const lag = lagByPhase(arrivals, figures.phases);
          const interval = p99ChangeInterval(arrivals, figures.phases);
          console.error(
            `bench: ${kind.scenario} (to ${sentTo}): p99 ${lag.off.p99 ?? '—'} ms without, ${lag.on.p99 ?? '—'} ms with (change ${intervalCell(interval)} % over phases drawn again); requests p99 ${figures.latency.p99?.toFixed(1) ?? '—'} ms`,
          );
          runs.push({ run, sentTo, lag, interval, figures });
          if (figures.failed > 0) problems.push(`${kind.scenario} ${jobs} jobs run ${repeat} (to ${sentTo}): ${figures.failed} requests failed (first: ${figures.firstError})`);
        } finally {
          floor?.kill();
        }
      }
    }
  }
  return {
    runs: runs.map(({ run }) => run),
    sections: [
      `${kind.title}: fire lag in the seconds without and with ${kind.label}, in turns within one run${
        kind.floorRun ? '; the second run of each pair sends the same load to the floor, so Zeitgeber fires beside it but answers none of it' : ''
      }\n\n${formatRuns(runs, kind)}`,
    ],
    problems,
  };
}

/** The read-load scenario: a steady `options.readsPerSecond` of GraphQL reads in every other phase. */
export function runReadLoadScenario(options: BenchOptions): Promise<ScenarioReport> {
  const perSecond = options.readsPerSecond;
  return runApiLoadScenario(options, {
    scenario: 'read-load',
    title: 'Read load',
    label: `${perSecond} GraphQL reads/s (half jobs(first: 50) with stats, half executions(jobId, first: 20))`,
    load: (jobIds) => ({ kind: 'reads', perSecond, jobIds: [...jobIds] }),
    floorRun: true,
    claimPercent: READ_LOAD_P99_CLAIM_PERCENT,
    headers: ['reads/s asked', 'reads/s answered', 'skipped'],
    cells: (figures, seconds) => [String(perSecond), fixed((figures.measured - figures.skipped - figures.failed) / seconds, 0), String(figures.skipped)],
  });
}

/** The create-load scenario: `createJobs` batches of `options.loadBatchSize`, one after the other, in every other phase. */
export function runCreateLoadScenario(options: BenchOptions): Promise<ScenarioReport> {
  const batchSize = options.loadBatchSize;
  return runApiLoadScenario(options, {
    scenario: 'create-load',
    title: 'Create load',
    label: `createJobs batches of ${batchSize}, one after the other`,
    load: () => ({ kind: 'creates', batchSize, api: QUIET_API }),
    floorRun: false,
    claimPercent: null,
    headers: ['batches', 'jobs created/s'],
    cells: (figures, seconds) => [String(figures.measured), fixed(figures.created / seconds, 0)],
  });
}
