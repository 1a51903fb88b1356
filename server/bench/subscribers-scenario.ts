import type { ChildProcess } from 'node:child_process';
import type { MeasurementWindow } from './analyse.ts';
import { difference as p99Difference, SUBSCRIBERS_P99_CLAIM_MS, verdict } from './claims.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { getSubscriberMetrics } from './graphql-request.ts';
import type { BenchOptions, SubscriptionMode } from './options.ts';
import { alternatingPhases, followPhases, lagByPhase, phaseP99s, phasesLabel, phaseSecondsFor, type Phase, type PhaseLag, type Switch } from './phases.ts';
import { fixed, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import type { SideLoad } from './side-load.ts';
import { sleepUntil } from './sleep-until.ts';
import type { SubscribersConnect, SubscribersTallies, SubscribersWindow } from './subscriber-client.ts';
import { judgeSubscribers, type SubscriberSummary, type SubscribersVerdict } from './subscriber-tally.ts';
import { runZeitgeberUnder } from './zeitgeber-scenario.ts';

const CONNECT_TIMEOUT_MS = 60_000;
/** How far into a second the warm-up's subscribers stay: past that second's burst and its events. */
const WARM_UP_HOLD_MS = 700;
const REPORT_TIMEOUT_MS = 60_000;

/**
 * Polls the server's count of open subscriptions until `reached` holds: all of them set up before
 * a phase is measured, or all of them gone before the next one is.
 */
async function waitForSubscribers(serverUrl: string, reached: (subscribers: number) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const { subscribers } = await getSubscriberMetrics(serverUrl);
    if (reached(subscribers)) return;
    if (Date.now() > deadline) throw new Error(`subscribers: the server counts ${subscribers} subscriptions, not ${what}, after ${CONNECT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the subscribers received over the on-phases, and the phases themselves. */
type SubscriberFigures = SubscribersVerdict & { dropped: number; phases: Phase[] };

/** One subscriber's summaries of every on-phase, added up. */
function addSummaries(a: SubscriberSummary, b: SubscriberSummary): SubscriberSummary {
  return {
    expected: a.expected + b.expected,
    received: a.received + b.received,
    distinct: a.distinct + b.distinct,
    lost: a.lost + b.lost,
    duplicated: a.duplicated + b.duplicated,
    failed: a.failed + b.failed,
    foreign: a.foreign + b.foreign,
  };
}

/**
 * `count` graphql-ws subscribers (subscriber-client.ts) to every job's execution events, connected
 * in every other phase of the window and closed in between; each counts the events of its phase's
 * measured seconds.
 */
function alternatingSubscribers(count: number, mode: SubscriptionMode): SideLoad<SubscriberFigures> {
  let child: ChildProcess | undefined;
  let serverUrl = '';
  let jobs: string[] = [];
  let phases: Phase[] = [];
  let following: Promise<void> | undefined;
  let dropped = 0;
  let droppedBefore = 0;
  let closed = 0;
  const perSubscriber: SubscriberSummary[] = [];
  const connectAll = async (): Promise<void> => {
    const connected = nextMessage(child!, 'connected', CONNECT_TIMEOUT_MS, 'subscriber-client');
    const connect: SubscribersConnect = { type: 'connect', url: `${serverUrl.replace(/^http/, 'ws')}/graphql`, count, mode };
    child!.send(connect);
    await connected;
    await waitForSubscribers(serverUrl, (subscribers) => subscribers >= count, `${count}`);
  };
  const disconnectAll = async (): Promise<void> => {
    const disconnected = nextMessage(child!, 'disconnected', REPORT_TIMEOUT_MS, 'subscriber-client');
    child!.send({ type: 'disconnect' });
    await disconnected;
    await waitForSubscribers(serverUrl, (subscribers) => subscribers === 0, 'none');
  };
  /**
   * Subscribers for one burst before the window, so that the first phase with them does not also
   * pay for the first run of the server's code that serves them (a one-time cost).
   */
  const warmUp = async (window: MeasurementWindow): Promise<void> => {
    await connectAll();
    await sleepUntil(Math.ceil(Date.now() / 1_000) * 1_000 + WARM_UP_HOLD_MS);
    await disconnectAll();
    const late = Date.now() - (window.startMs + 1_000);
    if (late > 0) throw new Error(`subscribers: the warm-up ran ${late} ms into the first measured second`);
  };
  const subscribers: Switch = {
    async on(phase) {
      await connectAll();
      droppedBefore = (await getSubscriberMetrics(serverUrl)).droppedEvents;
      const window: SubscribersWindow = { type: 'window', jobIds: jobs, ...phase.measured };
      child!.send(window);
    },
    async off() {
      const tallies = nextMessage<SubscribersTallies>(child!, 'tallies', REPORT_TIMEOUT_MS, 'subscriber-client');
      child!.send({ type: 'report' });
      const report = await tallies;
      report.summaries.forEach((summary, index) => {
        perSubscriber[index] = perSubscriber[index] === undefined ? summary : addSummaries(perSubscriber[index]!, summary);
      });
      closed += report.closed;
      dropped += (await getSubscriberMetrics(serverUrl)).droppedEvents - droppedBefore;
      await disconnectAll();
    },
  };
  return {
    async attach(url) {
      serverUrl = url;
      child = spawnBenchChild(new URL('./subscriber-client.ts', import.meta.url).pathname);
      await nextMessage(child, 'ready', 30_000, 'subscriber-client');
    },
    async begin(jobIds, window) {
      jobs = [...jobIds];
      phases = alternatingPhases(window, phaseSecondsFor(window.seconds));
      following = warmUp(window).then(() => followPhases(phases, subscribers));
      following.catch(() => {});
    },
    async finish() {
      await following;
      killTracked(child!);
      return { ...judgeSubscribers(perSubscriber, dropped, closed), dropped, phases };
    },
    kill: () => {
      if (child) killTracked(child);
    },
    pid: () => child?.pid ?? null,
  };
}

interface SubscribersRun {
  mode: SubscriptionMode;
  run: RunResult;
  lag: PhaseLag;
  figures: SubscriberFigures;
}

function formatRuns(runs: readonly SubscribersRun[]): string {
  const rows = runs.map(({ mode, run, lag, figures }) => {
    const difference = p99Difference(lag.off.p99, lag.on.p99);
    const on = figures.phases.filter((phase) => phase.on);
    return [
      String(run.jobs),
      String(run.repeat),
      mode === 'batches' ? 'executionEventBatches' : 'executionEvents',
      String(figures.subscribers),
      phasesLabel(figures.phases),
      String(on.reduce((sum, phase) => sum + phase.measured.seconds, 0)),
      `${fixed(lag.off.p50, 0)} / ${fixed(lag.off.p99, 0)}`,
      `${fixed(lag.on.p50, 0)} / ${fixed(lag.on.p99, 0)}`,
      fixed(difference, 0),
      verdict(difference, (value) => value <= SUBSCRIBERS_P99_CLAIM_MS),
      phaseP99s(figures.phases, lag.each),
      String(figures.expectedEach),
      String(figures.minReceived),
      String(figures.maxLost),
      `${figures.complete}/${figures.subscribers}`,
      String(figures.dropped),
    ];
  });
  return table(
    [
      'jobs', 'run', 'subscription', 'subscribers', 'phases', 'measured s each way', 'without: p50 / p99 ms', 'with: p50 / p99 ms',
      'p99 difference ms', `≤ ${SUBSCRIBERS_P99_CLAIM_MS} ms`, 'p99 of each phase in turn ms', 'events owed per subscriber', 'min received', 'max lost', 'lost nothing', 'dropped by server',
    ],
    rows,
  );
}

/**
 * The subscribers scenario: for each job count, repeat and subscription mode, one Zeitgeber run
 * whose window alternates between phases without subscribers and phases with
 * `options.subscribers` WebSocket subscribers to every job's execution events. The fire lag of
 * the seconds without them is compared with that of the seconds with them, in the same run.
 */
export async function runSubscribersScenario(options: BenchOptions): Promise<ScenarioReport> {
  const runs: SubscribersRun[] = [];
  const problems: string[] = [];
  for (const jobs of options.jobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      for (const mode of options.subscriptionModes) {
        const phaseSeconds = phaseSecondsFor(options.seconds);
        console.error(
          `bench: subscribers, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}: ${options.subscribers} subscribers (${mode}) in every other ${phaseSeconds} s…`,
        );
        const variant = `subscribers: ${options.subscribers} (${mode}) every other ${phaseSeconds} s`;
        const common = { jobs, seconds: options.seconds, repeat, createConcurrency: options.createConcurrency, scenario: 'subscribers' as const };
        const { run, load: figures, arrivals } = await runZeitgeberUnder({ ...common, variant }, alternatingSubscribers(options.subscribers, mode));
        const lag = lagByPhase(arrivals, figures.phases);
        console.error(`bench: subscribers (${mode}): p99 ${lag.off.p99 ?? '—'} ms without, ${lag.on.p99 ?? '—'} ms with; ${figures.complete}/${figures.subscribers} lost nothing`);
        runs.push({ mode, run, lag, figures });
        problems.push(...figures.problems.map((problem) => `subscribers (${mode}) ${jobs} jobs run ${repeat}: ${problem}`));
      }
    }
  }
  return {
    runs: runs.map(({ run }) => run),
    sections: [`Subscribers: fire lag in the seconds without and with WebSocket subscribers to every job's events, in turns within one run\n\n${formatRuns(runs)}`],
    problems,
  };
}
