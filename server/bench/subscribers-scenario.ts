import type { ChildProcess } from 'node:child_process';
import { difference as p99Difference, SUBSCRIBERS_P99_CLAIM_MS, verdict } from './claims.ts';
import { killTracked, nextMessage, spawnBenchChild } from './child-processes.ts';
import { getSubscriberMetrics } from './graphql-request.ts';
import type { BenchOptions, SubscriptionMode } from './options.ts';
import { fixed, table } from './report.ts';
import type { RunResult, ScenarioReport } from './run-result.ts';
import type { SideLoad } from './side-load.ts';
import type { SubscribersConnect, SubscribersTallies, SubscribersWindow } from './subscriber-client.ts';
import { judgeSubscribers, type SubscribersVerdict } from './subscriber-tally.ts';
import { runZeitgeber, runZeitgeberUnder } from './zeitgeber-scenario.ts';

const CONNECT_TIMEOUT_MS = 60_000;
const REPORT_TIMEOUT_MS = 60_000;

/** Waits until the server counts `count` open subscriptions, so none is still being set up in the window. */
async function waitForSubscriptions(serverUrl: string, count: number): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const { subscribers } = await getSubscriberMetrics(serverUrl);
    if (subscribers >= count) return;
    if (Date.now() > deadline) throw new Error(`subscribers: the server counts ${subscribers} of ${count} subscriptions after ${CONNECT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `count` graphql-ws subscribers (subscriber-client.ts) as a side load, judged on what they received. */
type SubscriberFigures = SubscribersVerdict & { dropped: number };

function subscriberLoad(count: number, mode: SubscriptionMode): SideLoad<SubscriberFigures> {
  let child: ChildProcess | undefined;
  let serverUrl = '';
  let droppedBefore = 0;
  return {
    async attach(url) {
      serverUrl = url;
      child = spawnBenchChild(new URL('./subscriber-client.ts', import.meta.url).pathname);
      await nextMessage(child, 'ready', 30_000, 'subscriber-client');
      const connected = nextMessage(child, 'connected', CONNECT_TIMEOUT_MS, 'subscriber-client');
      const connect: SubscribersConnect = { type: 'connect', url: `${url.replace(/^http/, 'ws')}/graphql`, count, mode };
      child.send(connect);
      await connected;
      await waitForSubscriptions(url, count);
      droppedBefore = (await getSubscriberMetrics(url)).droppedEvents;
    },
    async begin(jobIds, window) {
      const message: SubscribersWindow = { type: 'window', jobIds: [...jobIds], ...window };
      child!.send(message);
    },
    async finish() {
      const dropped = (await getSubscriberMetrics(serverUrl)).droppedEvents - droppedBefore;
      const tallies = nextMessage<SubscribersTallies>(child!, 'tallies', REPORT_TIMEOUT_MS, 'subscriber-client');
      child!.send({ type: 'report' });
      const { summaries, closed } = await tallies;
      killTracked(child!);
      return { ...judgeSubscribers(summaries, dropped, closed), dropped };
    },
    kill: () => {
      if (child) killTracked(child);
    },
    pid: () => child?.pid ?? null,
  };
}

interface SubscribersPair {
  mode: SubscriptionMode;
  plain: RunResult;
  loaded: RunResult;
  figures: SubscriberFigures;
}

function formatPairs(pairs: readonly SubscribersPair[]): string {
  const rows = pairs.map(({ mode, plain, loaded, figures }) => {
    const difference = p99Difference(plain.delivery.lag.p99, loaded.delivery.lag.p99);
    return [
      String(plain.jobs),
      String(plain.repeat),
      mode === 'batches' ? 'executionEventBatches' : 'executionEvents',
      String(figures.subscribers),
      fixed(plain.delivery.lag.p99, 0),
      fixed(loaded.delivery.lag.p99, 0),
      fixed(difference, 0),
      verdict(difference, (value) => value <= SUBSCRIBERS_P99_CLAIM_MS),
      String(figures.expectedEach),
      String(figures.minReceived),
      String(figures.maxLost),
      `${figures.complete}/${figures.subscribers}`,
      String(figures.dropped),
    ];
  });
  return table(
    [
      'jobs', 'run', 'subscription', 'subscribers', 'p99 plain ms', 'p99 with subscribers ms', 'p99 difference ms', `≤ ${SUBSCRIBERS_P99_CLAIM_MS} ms`,
      'events owed per subscriber', 'min received', 'max lost', 'lost nothing', 'dropped by server',
    ],
    rows,
  );
}

/**
 * The subscribers scenario: for each job count and repeat, a plain Zeitgeber run, then the same
 * run with `options.subscribers` WebSocket subscribers to every job's execution events, once per
 * subscription mode (batches, events).
 */
export async function runSubscribersScenario(options: BenchOptions): Promise<ScenarioReport> {
  const pairs: SubscribersPair[] = [];
  const problems: string[] = [];
  for (const jobs of options.jobs) {
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      const common = { jobs, seconds: options.seconds, repeat, createConcurrency: options.createConcurrency, scenario: 'subscribers' as const };
      console.error(`bench: subscribers, ${jobs} jobs, ${options.seconds} s, run ${repeat}/${options.repeat}: plain…`);
      const plain = await runZeitgeber({ ...common, variant: 'subscribers: none' });
      for (const mode of options.subscriptionModes) {
        console.error(`bench: subscribers: plain p99 ${plain.delivery.lag.p99 ?? '—'} ms; now with ${options.subscribers} subscribers (${mode})…`);
        const variant = `subscribers: ${options.subscribers} (${mode})`;
        const { run: loaded, load: figures } = await runZeitgeberUnder({ ...common, variant }, subscriberLoad(options.subscribers, mode));
        console.error(`bench: subscribers (${mode}): p99 ${loaded.delivery.lag.p99 ?? '—'} ms, ${figures.complete}/${figures.subscribers} subscribers lost nothing`);
        pairs.push({ mode, plain, loaded, figures });
        problems.push(...figures.problems.map((problem) => `subscribers (${mode}) ${jobs} jobs run ${repeat}: ${problem}`));
      }
    }
  }
  return {
    runs: [...new Set(pairs.flatMap((pair) => [pair.plain, pair.loaded]))],
    sections: [`Subscribers: fire lag with and without WebSocket subscribers to every job's events\n\n${formatPairs(pairs)}`],
    problems,
  };
}
