/**
 * The bench's GraphQL reader, run as a child process of its own: it sends reads at a steady rate
 * (open loop: each read is due at its own instant, whether or not earlier ones answered), half
 * `jobs(first: 50)` pages with stats, half `executions(jobId, first: 20)` histories, and measures
 * each read's latency.
 *
 * Protocol over IPC: it sends `{ type: 'ready' }`; on a {@link ReadStart} it reads over each of its
 * periods in turn and answers a {@link ReadDone} once every read has answered. It exits when the
 * parent goes away.
 */
import { Pool } from 'undici';
import { percentile, type LagSummary } from './analyse.ts';
import { postGraphql } from './graphql-request.ts';
import { sleepUntil } from './sleep-until.ts';

/** Asks for the reads. */
export interface ReadStart {
  type: 'start';
  serverUrl: string;
  /** The jobs whose histories are read, in turn. */
  jobIds: string[];
  perSecond: number;
  /** When to read, `[fromMs, toMs)` each, in order; the reads of a period not `measured` warm up. */
  periods: ReadPeriod[];
  /** Reads waiting for an answer at most; a read due while this many wait is skipped. */
  maxInFlight: number;
}

export interface ReadPeriod {
  fromMs: number;
  toMs: number;
  measured: boolean;
}

/** What the reads of the measured periods did. */
export interface ReadDone {
  type: 'done';
  /** Reads due in the measured periods, answered or not. */
  measured: number;
  failed: number;
  skipped: number;
  /** Latency of the measured reads that answered, in ms. */
  latency: LagSummary;
  firstError: string | null;
}

const JOBS_PAGE = `query JobsPage { jobs(first: 50) { totalCount edges { node { id schedule status nextFireAt
  stats { total successes failures successRate meanDurationMs p95DurationMs lastExecutionAt lastSuccess } } } } }`;
const HISTORY = `query History($jobId: ID!) { executions(jobId: $jobId, first: 20) { edges { node {
  id scheduledAt startedAt attempt statusCode durationMs lagMs outcome } } pageInfo { hasNextPage endCursor } } }`;

async function run(start: ReadStart): Promise<ReadDone> {
  const pool = new Pool(start.serverUrl, { connections: start.maxInFlight });
  const latencies: number[] = [];
  let measured = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let firstError: string | null = null;
  const pending = new Set<Promise<void>>();
  const read = (index: number, counted: boolean): void => {
    if (counted) measured++;
    if (inFlight >= start.maxInFlight) {
      if (counted) skipped++;
      return;
    }
    const body =
      index % 2 === 0
        ? { query: JOBS_PAGE }
        : { query: HISTORY, variables: { jobId: start.jobIds[Math.floor(index / 2) % start.jobIds.length] } };
    inFlight++;
    const startedAt = performance.now();
    const done = postGraphql(start.serverUrl, body, pool).then(
      () => {
        if (counted) latencies.push(performance.now() - startedAt);
      },
      (error: unknown) => {
        if (counted) failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      },
    );
    const tracked = done.finally(() => {
      inFlight--;
      pending.delete(tracked);
    });
    pending.add(tracked);
  };
  const intervalMs = 1_000 / start.perSecond;
  let index = 0;
  for (const period of start.periods) {
    for (let dueAt = period.fromMs; dueAt < period.toMs; dueAt += intervalMs) {
      await sleepUntil(dueAt);
      read(index++, period.measured);
    }
  }
  await Promise.all(pending);
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    type: 'done',
    measured,
    failed,
    skipped,
    latency: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length === 0 ? null : sorted[sorted.length - 1]! },
    firstError,
  };
}

process.on('message', (message: ReadStart) => {
  if (message.type !== 'start') return;
  run(message).then(
    (done) => process.send?.(done),
    (error: unknown) => {
      console.error('read-client: failed', error);
      process.exit(1);
    },
  );
});
process.once('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
