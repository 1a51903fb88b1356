/**
 * The bench's API load, run as a child process of its own, over each of its periods in turn:
 * - `reads`: GraphQL reads at a steady rate (open loop: each read is due at its own instant,
 *   whether or not earlier ones answered), half `jobs(first: 50)` pages with stats, half
 *   `executions(jobId, first: 20)` histories;
 * - `creates`: `createJobs` batches one after the other (closed loop: the next one is sent when the
 *   previous one answered), each job on a quiet schedule (schedules.ts) so that none fires in the run
 *   (of up to an hour).
 * It measures each request's latency.
 *
 * Protocol over IPC: it sends `{ type: 'ready' }`; on a {@link LoadStart} it loads the server over
 * each of its periods in turn and answers a {@link LoadDone} once every request has answered. It
 * exits when the parent goes away.
 */
import { Pool } from 'undici';
import { percentile, type LagSummary } from './analyse.ts';
import { CREATE_JOBS, HISTORY, JOBS_PAGE } from './api-operations.ts';
import { answerStarts } from './child-main.ts';
import { postGraphql } from './graphql-request.ts';
import { quietSchedule } from './schedules.ts';
import { sleepUntil } from './sleep-until.ts';

export type ApiLoad =
  | { kind: 'reads'; perSecond: number; /** The jobs whose histories are read, in turn. */ jobIds: string[] }
  | { kind: 'creates'; batchSize: number; /** The URL the created jobs would call (they do not fire in the run). */ api: string };

/** Asks for the load. */
export interface LoadStart {
  type: 'start';
  serverUrl: string;
  load: ApiLoad;
  /** When to load, `[fromMs, toMs)` each, in order; the requests of a period not `measured` warm up. */
  periods: LoadPeriod[];
  /** Reads waiting for an answer at most; a read due while this many wait is skipped. */
  maxInFlight: number;
}

/** One stretch of the load, `[fromMs, toMs)`; a stretch not `measured` warms up. */
export interface LoadPeriod {
  fromMs: number;
  toMs: number;
  measured: boolean;
}

/** What the requests of the measured periods did. */
export interface LoadDone {
  type: 'done';
  /** Requests due (reads) or sent (batches) in the measured periods, answered or not. */
  measured: number;
  failed: number;
  /** Reads due while `maxInFlight` waited. */
  skipped: number;
  /** Jobs created by the measured batches. */
  created: number;
  /** Latency of the measured requests that answered, in ms. */
  latency: LagSummary;
  firstError: string | null;
}

/** The tally of the measured requests. */
class Tally {
  measured = 0;
  failed = 0;
  skipped = 0;
  created = 0;
  readonly latencies: number[] = [];
  firstError: string | null = null;

  /** Sends one request through `send`, counting it when `counted`. */
  async time(counted: boolean, send: () => Promise<unknown>, onAnswer: () => void = () => {}): Promise<void> {
    if (counted) this.measured++;
    const startedAt = performance.now();
    try {
      await send();
      if (!counted) return;
      this.latencies.push(performance.now() - startedAt);
      onAnswer();
    } catch (error: unknown) {
      if (counted) this.failed++;
      this.firstError ??= error instanceof Error ? error.message : String(error);
    }
  }

  done(): LoadDone {
    const sorted = Float64Array.from(this.latencies).sort();
    const { measured, failed, skipped, created, firstError } = this;
    const latency = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length === 0 ? null : sorted[sorted.length - 1]! };
    return { type: 'done', measured, failed, skipped, created, latency, firstError };
  }
}

async function reads(start: LoadStart, load: Extract<ApiLoad, { kind: 'reads' }>, pool: Pool, tally: Tally): Promise<void> {
  const pending = new Set<Promise<void>>();
  const read = (index: number, counted: boolean): void => {
    if (pending.size >= start.maxInFlight) {
      if (counted) {
        tally.measured++;
        tally.skipped++;
      }
      return;
    }
    const body = index % 2 === 0 ? { query: JOBS_PAGE } : { query: HISTORY, variables: { jobId: load.jobIds[Math.floor(index / 2) % load.jobIds.length] } };
    const tracked: Promise<void> = tally.time(counted, () => postGraphql(start.serverUrl, body, pool)).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const intervalMs = 1_000 / load.perSecond;
  let index = 0;
  for (const period of start.periods) {
    for (let dueAt = period.fromMs; dueAt < period.toMs; dueAt += intervalMs) {
      await sleepUntil(dueAt);
      read(index++, period.measured);
    }
  }
  await Promise.all(pending);
}

/** An hourly schedule leaves out at most this many minutes ahead (of the 60 it has). */
const MAX_QUIET_MINUTES = 58;

async function creates(start: LoadStart, load: Extract<ApiLoad, { kind: 'creates' }>, pool: Pool, tally: Tally): Promise<void> {
  let index = 0;
  for (const period of start.periods) {
    await sleepUntil(period.fromMs);
    while (Date.now() < period.toMs) {
      const now = Date.now();
      // Quiet until the run's last period is over, however long it is (up to an hour).
      const quietMinutes = Math.min(MAX_QUIET_MINUTES, Math.ceil((start.periods.at(-1)!.toMs - now) / 60_000) + 1);
      const inputs = Array.from({ length: load.batchSize }, () => ({ schedule: quietSchedule(index++, now, quietMinutes), api: load.api }));
      const body = JSON.stringify({ query: CREATE_JOBS, variables: { inputs } });
      await tally.time(period.measured, () => postGraphql(start.serverUrl, body, pool), () => (tally.created += load.batchSize));
    }
  }
}

async function run(start: LoadStart): Promise<LoadDone> {
  const pool = new Pool(start.serverUrl, { connections: start.maxInFlight });
  const tally = new Tally();
  if (start.load.kind === 'reads') await reads(start, start.load, pool, tally);
  else await creates(start, start.load, pool, tally);
  await pool.close();
  return tally.done();
}

answerStarts('api-load-client', run);
