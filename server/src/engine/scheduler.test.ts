import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/manual-clock.ts';
import { compileSchedule } from '../domain/cron.ts';
import { checkPolicy, DEFAULT_POLICY, policyOf, policyValues, type PolicyValues } from '../domain/job-policy.ts';
import type { JobSpec } from '../domain/job-spec.ts';
import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';
import { Alerter } from './alerter.ts';
import type { Clock } from './clock.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { Scheduler, type SchedulableJob } from './scheduler.ts';
import type { OutboundRequest, OutboundResult, Transport } from './transport.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A transport whose calls stay pending until the test answers them. */
class HeldTransport implements Transport {
  /** Calls not answered yet. */
  readonly calls: Array<{ request: OutboundRequest; at: number; answer: (result: OutboundResult) => void }> = [];
  /** Every call made, answered or not, in order. */
  readonly sent: Array<{ request: OutboundRequest; at: number }> = [];
  constructor(private readonly clock: Clock) {}
  post(request: OutboundRequest): Promise<OutboundResult> {
    const call = { request, at: this.clock.now() };
    this.sent.push(call);
    return new Promise((resolve) => this.calls.push({ ...call, answer: resolve }));
  }
  answerAll(statusCode = 200): void {
    for (const call of this.calls.splice(0)) call.answer({ statusCode, error: null });
  }
  async close(): Promise<void> {}
}

class RecordingLog implements ExecutionLog {
  readonly executions: ExecutionRecord[] = [];
  readonly skips: SkipRecord[] = [];
  readonly alerts: AlertRecord[] = [];
  readonly pendingIntents = new Map<string, number>();
  seq = 1;
  durableSeq = 0;
  flushes = 0;
  /** When false, flush() behaves like a database that refuses writes. */
  writable = true;
  announceIntent(jobId: string, at: number): number {
    this.pendingIntents.set(jobId, at);
    return this.seq;
  }
  isIntentDurable(ticket: number): boolean {
    return ticket <= this.durableSeq;
  }
  commitIntents(): boolean {
    this.flushes++;
    if (!this.writable) return false;
    this.durableSeq = this.seq++;
    this.pendingIntents.clear();
    return true;
  }
  recordExecution(record: ExecutionRecord): void {
    this.executions.push(record);
  }
  recordSkip(record: SkipRecord): void {
    this.skips.push(record);
  }
  recordAlert(record: AlertRecord): void {
    this.alerts.push(record);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function spec(schedule: string, overrides: Partial<JobSpec> = {}): JobSpec {
  return { schedule, timezone: 'UTC', api: 'http://127.0.0.1:9/hook', type: 'ATLEAST_ONCE', alertWebhook: null, timeoutMs: 1_000, maxAttempts: 1, policy: DEFAULT_POLICY, ...overrides };
}

/** The default policy with some values changed (an interned policy, as the service makes them). */
function policy(values: Partial<PolicyValues>) {
  return policyOf({ ...policyValues(DEFAULT_POLICY), ...values });
}

function job(id: string, schedule: string, cursorAt = T0, overrides: Partial<JobSpec> = {}): SchedulableJob {
  return { id, spec: spec(schedule, overrides), compiled: compileSchedule(schedule), status: 'ACTIVE', cursorAt, intentAt: null, rescheduledAt: null, owed: [] };
}

function createEngine(clock = new ManualClock(T0)) {
  const transport = new HeldTransport(clock);
  const log = new RecordingLog();
  const events = new EventBus((error) => {
    throw error;
  });
  const alerter = new Alerter({ log, events, clock, concurrency: 1, maxQueued: 10, timeoutMs: 1_000, retries: 0, onDeliveryFailed: () => {} });
  const dispatcher = new Dispatcher({ transport, log, events, clock, alerter, maxInFlight: 100, maxQueued: 100, random: () => 1 });
  const scheduler = new Scheduler({ clock, dispatcher, log, events, maxWaitMs: 1_000 });
  return { clock, transport, log, events, dispatcher, scheduler };
}

/** An hourly at-least-once job of three attempts. */
const hourly = () => job('a', '0 0 * * * *', T0, { maxAttempts: 3 });

/** An engine whose hourly job's fire at the hour was answered 503: its first retry waits (1 s). */
async function hourlyRetryWaiting() {
  const engine = createEngine();
  engine.scheduler.upsert(hourly(), T0);
  engine.scheduler.start();
  engine.clock.advanceTo(T0 + 3_600_000);
  engine.transport.answerAll(503);
  await settle();
  return engine;
}

/**
 * Restarts the engine at 65 s on `stored` (a job every 10 s with its cursor at 0 s, in these
 * tests): 10–60 s fell due while it was down, and the restore's plan has run.
 */
function restoreAt65s({ clock, scheduler }: ReturnType<typeof createEngine>, stored: SchedulableJob): void {
  clock.advanceTo(T0 + 65_000);
  scheduler.restore(stored, clock.now());
  scheduler.start();
  clock.advanceTo(T0 + 65_000);
}

/** The second of the minute and the trigger of a call, e.g. ['10', 'RECOVERY']. */
const secondAndTrigger = (call: { request: OutboundRequest }) => {
  const body = JSON.parse(call.request.body as string) as { scheduledAt: string; trigger: string };
  return [body.scheduledAt.slice(17, 19), body.trigger];
};

const firedAt = (transport: HeldTransport) =>
  transport.calls.map((call) => `${(call.request.body as string).match(/"jobId":"(\w+)"/)?.[1]}@${call.at - T0}`);

describe('Scheduler on a manual clock', () => {
  it('dispatches every fire due at an instant together, exactly on the instant', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.upsert(job('b', '*/2 * * * * *'), T0);
    scheduler.upsert(job('c', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 999);
    expect(transport.calls).toHaveLength(0);
    clock.advanceTo(T0 + 1_000);
    expect(firedAt(transport)).toEqual(['a@1000', 'c@1000']);
    clock.advanceTo(T0 + 2_000);
    expect(firedAt(transport).slice(2).sort()).toEqual(['a@2000', 'b@2000', 'c@2000']);
  });

  it('does not drift when the target never answers: the next fire follows the schedule, not the call', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('slow', '*/5 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 30_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([5_000, 10_000, 15_000, 20_000, 25_000, 30_000]);
  });

  it('records each outcome with a cursor that never passes an occurrence still in flight', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 2_000);
    const [first, second] = transport.calls.splice(0);
    second!.answer({ statusCode: 200, error: null });
    await settle();
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt! - T0])).toEqual([[2_000, 999]]);
    first!.answer({ statusCode: 503, error: null });
    await settle();
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.success, r.error, r.cursorAt! - T0])).toEqual([
      [2_000, true, null, 999],
      [1_000, false, 'HTTP 503', 2_000],
    ]);
  });

  it('reschedules at once on update; entries of the old version are recognised as stale', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '0 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    scheduler.upsert(job('a', '*/5 * * * * *', T0), T0 + 10_000);
    clock.advanceTo(T0 + 60_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 55_000, 60_000]);
    expect(scheduler.stats.staleEntries).toBe(1);
  });

  it('stops firing a removed or paused job', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('gone', '* * * * * *'), T0);
    scheduler.upsert(job('paused', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 1_000);
    scheduler.remove('gone');
    scheduler.upsert({ ...job('paused', '* * * * * *', T0), status: 'PAUSED' }, T0 + 1_000);
    clock.advanceTo(T0 + 5_000);
    expect(transport.calls).toHaveLength(2);
    expect(scheduler.get('paused')?.nextFireAt).toBeNull();
    expect(scheduler.stats).toMatchObject({ jobs: 1, activeJobs: 0 });
    scheduler.upsert(job('paused', '* * * * * *', T0), clock.now());
    expect(scheduler.stats).toMatchObject({ jobs: 1, activeJobs: 1 });
  });

  it('never trusts a long wait: wakes at most every maxWaitMs and still fires on the instant', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('hourly', '0 0 * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_600_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([3_600_000]);
    expect(scheduler.stats.earlyWakes).toBe(3_599);
  });

  it('on restore, runs the latest missed occurrence once and records the others as skipped', () => {
    const engine = createEngine();
    const { clock, transport, log } = engine;
    restoreAt65s(engine, job('a', '*/10 * * * * *', T0));
    expect(transport.calls.map((call) => [call.at - T0, JSON.parse(call.request.body).trigger])).toEqual([[65_000, 'CATCH_UP']]);
    expect(log.skips).toEqual([
      { jobId: 'a', fromAt: T0 + 10_000, toAt: T0 + 50_000, count: 5, reason: 'MISFIRE', createdAt: T0 + 65_000 },
    ]);
    clock.advanceTo(T0 + 70_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([65_000, 70_000]);
  });

  it('sends the idempotency key of the occurrence and a JSON body naming it', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 1_000);
    const [call] = transport.calls;
    expect(call!.request.headers['idempotency-key']).toBe(`a:${T0 + 1_000}`);
    expect(JSON.parse(call!.request.body)).toEqual({ jobId: 'a', scheduledAt: '2026-01-01T00:00:01.000Z', trigger: 'SCHEDULE', attempt: 1 });
  });
});

describe('delivery guarantees on a manual clock', () => {
  it('ATLEAST_ONCE retries a 5xx with exponential backoff, records every attempt and moves the cursor only at the end', async () => {
    const { clock, transport, log } = await hourlyRetryWaiting();
    clock.advanceBy(999);
    expect(transport.calls).toHaveLength(0);
    clock.advanceBy(1);
    transport.answerAll(500);
    await settle();
    clock.advanceBy(2_000);
    expect(transport.calls.map((call) => JSON.parse(call.request.body).attempt)).toEqual([3]);
    expect(transport.calls[0]!.request.headers['idempotency-key']).toBe(`a:${T0 + 3_600_000}`);
    transport.answerAll(200);
    await settle();
    expect(log.executions.map((r) => [r.attempt, r.outcome, r.cursorAt === null ? null : r.cursorAt - T0])).toEqual([
      [1, 'FAILED', null],
      [2, 'FAILED', null],
      [3, 'SUCCEEDED', 3_600_000],
    ]);
  });

  it('honours Retry-After and does not retry a 4xx other than 429', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '0 0 * * * *', T0, { maxAttempts: 5 }), T0);
    scheduler.upsert(job('b', '0 0 * * * *', T0, { maxAttempts: 5 }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_600_000);
    const [a, b] = transport.calls.splice(0);
    a!.answer({ statusCode: 429, error: null, retryAfter: '30' });
    b!.answer({ statusCode: 404, error: null });
    await settle();
    clock.advanceBy(29_999);
    expect(transport.calls).toHaveLength(0);
    clock.advanceBy(1);
    expect(transport.calls).toHaveLength(1);
    expect(log.executions.find((r) => r.jobId === 'b')).toMatchObject({ outcome: 'FAILED', error: 'HTTP 404', cursorAt: T0 + 3_600_000 });
  });

  it('ATMOST_ONCE commits its intent ahead of the fire and never retries', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('once', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE' }), T0);
    expect(log.pendingIntents.get('once')).toBe(T0 + 10_000);
    log.commitIntents();
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(log.flushes).toBe(1);
    transport.answerAll(503);
    await settle();
    clock.advanceTo(T0 + 19_999);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions).toHaveLength(1);
    expect(log.executions[0]).toMatchObject({ outcome: 'FAILED', attempt: 1 });
  });

  it('ATMOST_ONCE does not send when its intent cannot be committed', () => {
    const { clock, transport, log, scheduler } = createEngine();
    log.writable = false;
    scheduler.upsert(job('once', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE' }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions[0]).toMatchObject({ outcome: 'FAILED', error: 'not sent: the at-most-once intent could not be committed' });
  });

  it('announces no intent for a fire the stored intent covers, and an at-most-once one is sent without a commit', () => {
    const { clock, transport, log, scheduler } = createEngine();
    log.writable = false;
    scheduler.upsert({ ...job('once', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE' }), intentAt: T0 + 10_000 }, T0);
    expect(log.pendingIntents.size).toBe(0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([10_000]);
    expect(log.flushes).toBe(0);
    // The fire after it is beyond the stored intent: announced as usual.
    expect(log.pendingIntents.get('once')).toBe(T0 + 20_000);
  });

  it('drops the stale entries a stream of changes leaves in the queue, instead of keeping them until their hour', () => {
    const { scheduler } = createEngine();
    scheduler.start();
    for (let change = 1; change <= 25_000; change++) scheduler.upsert(job('hourly', '0 0 * * * *', T0), T0);
    // One live entry, and at most COMPACT_OVER (10,000) stale ones waiting for the next compaction.
    expect(scheduler.stats.heapSize).toBeLessThanOrEqual(10_003);
    expect(scheduler.stats.staleEntries).toBeGreaterThanOrEqual(14_997);
    expect(scheduler.get('hourly')?.nextFireAt).toBe(T0 + 3_600_000);
  });

  it('announces the intent of a fire past the stored intent', () => {
    const { log, scheduler } = createEngine();
    scheduler.upsert({ ...job('a', '*/10 * * * * *'), intentAt: T0 + 9_999 }, T0);
    expect(log.pendingIntents.get('a')).toBe(T0 + 10_000);
  });

  it('on restore, records an at-most-once occurrence that may have been sent as UNKNOWN and never sends it again', () => {
    const { clock, transport, log, scheduler } = createEngine();
    clock.advanceTo(T0 + 10_500);
    scheduler.restore({ ...job('once', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE' }), intentAt: T0 + 10_000 }, clock.now());
    scheduler.start();
    clock.advanceTo(T0 + 20_000);
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome, r.cursorAt! - T0])).toEqual([[10_000, 'UNKNOWN', 10_000]]);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([20_000]);
  });

  it('on restore of a paused at-most-once job, counts its UNKNOWN occurrences as settled at once: a resume plans after them', () => {
    const { clock, transport, log, scheduler } = createEngine();
    clock.advanceTo(T0 + 25_000);
    const paused: SchedulableJob = { ...job('once', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE', policy: checkPolicy(DEFAULT_POLICY, { misfirePolicy: 'FIRE_ALL' }) }), status: 'PAUSED', intentAt: T0 + 20_000 };
    scheduler.restore(paused, clock.now());
    scheduler.start();
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome])).toEqual([[10_000, 'UNKNOWN'], [20_000, 'UNKNOWN']]);
    // Resumed before those records are written: the stored cursor is still at 0 s.
    clock.advanceTo(T0 + 26_000);
    scheduler.resume({ ...paused, status: 'ACTIVE' }, clock.now());
    clock.advanceTo(T0 + 30_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([30_000]);
  });

  it('ATLEAST_ONCE never waits for its intent: it is sent without a synchronous commit', () => {
    const { clock, transport, log, scheduler } = createEngine();
    log.writable = false;
    scheduler.upsert(job('a', '*/10 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(transport.calls).toHaveLength(1);
    expect(log.flushes).toBe(0);
  });

  it('on restore, sends again first what an at-least-once job may have had in flight, one at a time, then catches up', async () => {
    const engine = createEngine();
    const { clock, transport, log } = engine;
    // Cursor at 0 s, intent at 20 s: 10 s and 20 s may have gone out; 30–50 s fell due while down.
    restoreAt65s(engine, { ...job('a', '*/10 * * * * *', T0), intentAt: T0 + 20_000 });
    expect(transport.sent.map(secondAndTrigger)).toEqual([['10', 'RECOVERY']]);
    expect(transport.calls[0]!.request.headers['idempotency-key']).toBe(`a:${T0 + 10_000}`);
    transport.answerAll();
    await settle();
    transport.answerAll();
    await settle();
    clock.advanceTo(T0 + 70_000);
    expect(transport.sent.map(secondAndTrigger)).toEqual([
      ['10', 'RECOVERY'],
      ['20', 'RECOVERY'],
      ['00', 'CATCH_UP'],
      ['10', 'SCHEDULE'],
    ]);
    expect(log.skips).toEqual([{ jobId: 'a', fromAt: T0 + 30_000, toAt: T0 + 50_000, count: 3, reason: 'MISFIRE', createdAt: T0 + 65_000 }]);
  });

  it('cancels waiting retries on stop, leaving the occurrence unsettled for the next start', async () => {
    const { clock, transport, log, scheduler, dispatcher } = createEngine();
    scheduler.upsert(job('a', '0 0 * * * *', T0, { maxAttempts: 3 }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_600_000);
    transport.answerAll(500);
    await settle();
    expect(dispatcher.stats.retriesWaiting).toBe(1);
    scheduler.stop();
    clock.advanceBy(60_000);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions.map((r) => r.cursorAt)).toEqual([null]);
  });
});

/** The scheduled instants (ms after T0) and triggers of the calls a transport received. */
const sentAt = (transport: HeldTransport) =>
  transport.sent.map((call) => {
    const body = JSON.parse(call.request.body as string) as { scheduledAt: string; trigger: string };
    return [Date.parse(body.scheduledAt) - T0, body.trigger];
  });

const skipsOf = (log: RecordingLog) => log.skips.map((skip) => [skip.fromAt - T0, skip.toAt - T0, skip.count, skip.reason]);

describe('misfire policy on restore after downtime', () => {
  it('FIRE_ALL sends the latest catchUpLimit missed occurrences one at a time, in order, and skips the older ones', async () => {
    const engine = createEngine();
    const { clock, transport, log } = engine;
    restoreAt65s(engine, job('a', '*/10 * * * * *', T0, { policy: policy({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 2 }) }));
    expect(skipsOf(log)).toEqual([[10_000, 40_000, 4, 'MISFIRE']]);
    expect(sentAt(transport)).toEqual([[50_000, 'CATCH_UP']]);
    transport.answerAll();
    await settle();
    expect(sentAt(transport)).toEqual([
      [50_000, 'CATCH_UP'],
      [60_000, 'CATCH_UP'],
    ]);
    transport.answerAll();
    await settle();
    clock.advanceTo(T0 + 70_000);
    expect(sentAt(transport).at(-1)).toEqual([70_000, 'SCHEDULE']);
    // The first catch-up's cursor passes the skipped ones, never the catch-up still to go.
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt! - T0])).toEqual([
      [50_000, 50_000],
      [60_000, 60_000],
    ]);
  });

  it('FIRE_ALL sends only what fell due within catchUpWindowMs', () => {
    const engine = createEngine();
    const { transport, log } = engine;
    restoreAt65s(engine, job('a', '*/10 * * * * *', T0, { policy: policy({ misfirePolicy: 'FIRE_ALL', catchUpWindowMs: 30_000 }) }));
    expect(skipsOf(log)).toEqual([[10_000, 30_000, 3, 'MISFIRE']]);
    expect(sentAt(transport)).toEqual([[40_000, 'CATCH_UP']]);
  });

  it('SKIP records every missed occurrence as skipped, sends none, and the next outcome moves the cursor past them', async () => {
    const { clock, transport, log, events, scheduler } = createEngine();
    const announced: unknown[] = [];
    events.on('occurrences:skipped', (skip) => announced.push(skip));
    clock.advanceTo(T0 + 65_000);
    scheduler.restore(job('a', '*/10 * * * * *', T0, { policy: policy({ misfirePolicy: 'SKIP' }) }), clock.now());
    scheduler.start();
    clock.advanceTo(T0 + 70_000);
    expect(skipsOf(log)).toEqual([[10_000, 60_000, 6, 'MISFIRE']]);
    expect(announced).toEqual(log.skips);
    expect(sentAt(transport)).toEqual([[70_000, 'SCHEDULE']]);
    transport.answerAll();
    await settle();
    expect(log.executions.map((r) => r.cursorAt! - T0)).toEqual([70_000]);
  });
});

/** A job paused after its fire at 10 s, and resumed at 65 s with the policy given. */
async function pauseAndResume(values: Partial<PolicyValues>, answerBeforePause = true) {
  const engine = createEngine();
  const { clock, transport, scheduler } = engine;
  const active = () => job('a', '*/10 * * * * *', T0, { policy: policy(values) });
  scheduler.upsert(active(), T0);
  scheduler.start();
  clock.advanceTo(T0 + 10_000);
  if (answerBeforePause) transport.answerAll();
  await settle();
  scheduler.upsert({ ...active(), status: 'PAUSED' }, clock.now());
  clock.advanceTo(T0 + 65_000);
  // The service hands over the durable cursor, which may lag behind what the engine knows.
  scheduler.resume({ ...active(), cursorAt: T0 }, clock.now());
  clock.advanceTo(T0 + 65_000);
  return engine;
}

describe('misfire policy on resume after a pause', () => {
  it('FIRE_ONCE sends the latest occurrence missed during the pause and records the others as PAUSED', async () => {
    const { clock, transport, log } = await pauseAndResume({ misfirePolicy: 'FIRE_ONCE' });
    expect(skipsOf(log)).toEqual([[20_000, 50_000, 4, 'PAUSED']]);
    expect(sentAt(transport)).toEqual([
      [10_000, 'SCHEDULE'],
      [60_000, 'CATCH_UP'],
    ]);
    clock.advanceTo(T0 + 70_000);
    expect(sentAt(transport).at(-1)).toEqual([70_000, 'SCHEDULE']);
  });

  it('FIRE_ALL sends up to catchUpLimit of them one at a time and records the older ones as PAUSED', async () => {
    const { transport, log } = await pauseAndResume({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 2 });
    expect(skipsOf(log)).toEqual([[20_000, 40_000, 3, 'PAUSED']]);
    expect(sentAt(transport)).toEqual([
      [10_000, 'SCHEDULE'],
      [50_000, 'CATCH_UP'],
    ]);
    transport.answerAll();
    await settle();
    expect(sentAt(transport).at(-1)).toEqual([60_000, 'CATCH_UP']);
  });

  it('SKIP sends none of them and records them all as PAUSED', async () => {
    const { clock, transport, log } = await pauseAndResume({ misfirePolicy: 'SKIP' });
    expect(skipsOf(log)).toEqual([[20_000, 60_000, 5, 'PAUSED']]);
    clock.advanceTo(T0 + 70_000);
    expect(sentAt(transport)).toEqual([
      [10_000, 'SCHEDULE'],
      [70_000, 'SCHEDULE'],
    ]);
  });

  it('does not count an occurrence still in flight from before the pause as missed', async () => {
    const { transport, log } = await pauseAndResume({ misfirePolicy: 'SKIP' }, false);
    expect(skipsOf(log)).toEqual([[20_000, 60_000, 5, 'PAUSED']]);
    transport.answerAll();
    await settle();
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt! - T0])).toEqual([[10_000, 60_000]]);
  });
});

describe('misfire policy when the engine runs behind', () => {
  it('FIRE_ONCE folds the misfired run of a job into its latest occurrence, sent as scheduled when that one is on time', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 1_000);
    transport.answerAll();
    await settle();
    clock.suspendFor(5_500);
    clock.advanceBy(0);
    expect(skipsOf(log)).toEqual([[2_000, 5_000, 4, 'MISFIRE']]);
    expect(sentAt(transport)).toEqual([
      [1_000, 'SCHEDULE'],
      [6_000, 'SCHEDULE'],
    ]);
    clock.advanceTo(T0 + 7_000);
    expect(sentAt(transport).at(-1)).toEqual([7_000, 'SCHEDULE']);
  });

  it('FIRE_ONCE sends a sparse occurrence reached more than a minute late as a catch-up', () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('hourly', '0 0 * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_599_000);
    clock.suspendFor(61_500);
    clock.advanceBy(0);
    expect(log.skips).toEqual([]);
    expect(sentAt(transport)).toEqual([[3_600_000, 'CATCH_UP']]);
  });

  it('SKIP records the misfired occurrences as skipped and sends those still within their threshold', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('every-second', '* * * * * *', T0, { policy: policy({ misfirePolicy: 'SKIP' }) }), T0);
    scheduler.upsert(job('every-ten', '*/10 * * * * *', T0, { policy: policy({ misfirePolicy: 'SKIP' }) }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 9_000);
    transport.answerAll();
    await settle();
    clock.suspendFor(5_500);
    clock.advanceBy(0);
    // At 14.5 s: 10–13 s of the first are more than its 1 s threshold late; 14 s is not, nor is 10 s of the second (10 s threshold).
    expect(log.skips.map((skip) => [skip.jobId, skip.fromAt - T0, skip.toAt - T0, skip.count, skip.reason])).toEqual([['every-second', 10_000, 13_000, 4, 'MISFIRE']]);
    expect(sentAt(transport).slice(9).sort()).toEqual([
      [10_000, 'SCHEDULE'],
      [14_000, 'SCHEDULE'],
    ]);
  });

  it('FIRE_ALL sends the misfired run, up to catchUpLimit, one at a time in order, while on-time fires go on', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *', T0, { policy: policy({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 3 }) }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 9_000);
    transport.answerAll();
    await settle();
    clock.suspendFor(5_500);
    clock.advanceBy(0);
    expect(skipsOf(log)).toEqual([[10_000, 10_000, 1, 'MISFIRE']]);
    expect(sentAt(transport).slice(9)).toEqual([
      [11_000, 'CATCH_UP'],
      [14_000, 'SCHEDULE'],
    ]);
    transport.answerAll();
    await settle();
    transport.answerAll();
    await settle();
    expect(sentAt(transport).slice(11)).toEqual([
      [12_000, 'CATCH_UP'],
      [13_000, 'CATCH_UP'],
    ]);
    transport.answerAll();
    await settle();
    // The cursor never passes a catch-up still held back, and reaches 14 s once all have settled.
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt! - T0]).slice(9)).toEqual([
      [11_000, 11_999],
      [14_000, 11_999],
      [12_000, 12_999],
      [13_000, 14_000],
    ]);
  });
});

describe('overlap policy on a manual clock', () => {
  it('ALLOW sends every occurrence while the previous ones are still in flight', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_000);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([1_000, 2_000, 3_000]);
  });

  it('SKIP records an occurrence due while one is in flight (a retry waiting counts) and sends the next once it settled', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *', T0, { maxAttempts: 2, policy: policy({ overlapPolicy: 'SKIP' }) }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 2_000);
    transport.answerAll(503);
    await settle();
    clock.advanceTo(T0 + 3_000);
    expect(sentAt(transport)).toEqual([
      [1_000, 'SCHEDULE'],
      [1_000, 'SCHEDULE'],
    ]);
    transport.answerAll(200);
    await settle();
    clock.advanceTo(T0 + 4_000);
    expect(skipsOf(log)).toEqual([
      [2_000, 2_000, 1, 'OVERLAP'],
      [3_000, 3_000, 1, 'OVERLAP'],
    ]);
    expect(sentAt(transport).at(-1)).toEqual([4_000, 'SCHEDULE']);
    // The settled occurrence's cursor passes the skipped ones.
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt === null ? null : r.cursorAt - T0])).toEqual([
      [1_000, null],
      [1_000, 3_000],
    ]);
  });

  it('QUEUE_ONE keeps one occurrence waiting, skips the others, and sends it as soon as the one in flight settles', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *', T0, { policy: policy({ overlapPolicy: 'QUEUE_ONE' }) }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 4_500);
    expect(sentAt(transport)).toEqual([[1_000, 'SCHEDULE']]);
    expect(skipsOf(log)).toEqual([
      [3_000, 3_000, 1, 'OVERLAP'],
      [4_000, 4_000, 1, 'OVERLAP'],
    ]);
    transport.answerAll();
    await settle();
    expect(sentAt(transport)).toEqual([
      [1_000, 'SCHEDULE'],
      [2_000, 'SCHEDULE'],
    ]);
    expect(transport.calls[0]!.request.headers['idempotency-key']).toBe(`a:${T0 + 2_000}`);
    transport.answerAll();
    await settle();
    // The cursor stops before the waiting occurrence, then passes the skipped ones once it settled.
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.cursorAt! - T0])).toEqual([
      [1_000, 1_999],
      [2_000, 4_000],
    ]);
    clock.advanceTo(T0 + 5_000);
    expect(sentAt(transport).at(-1)).toEqual([5_000, 'SCHEDULE']);
  });

  it('QUEUE_ONE sends a waiting at-most-once occurrence only with its intent durable', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('once', '* * * * * *', T0, { type: 'ATMOST_ONCE', policy: policy({ overlapPolicy: 'QUEUE_ONE' }) }), T0);
    log.commitIntents();
    scheduler.start();
    clock.advanceTo(T0 + 2_000);
    expect(log.pendingIntents.get('once')).toBe(T0 + 3_000);
    const flushes = log.flushes;
    transport.answerAll();
    await settle();
    expect(sentAt(transport)).toEqual([
      [1_000, 'SCHEDULE'],
      [2_000, 'SCHEDULE'],
    ]);
    expect(log.flushes).toBe(flushes + 1);
    expect(log.pendingIntents.size).toBe(0);
  });

  it('records the occurrence QUEUE_ONE keeps waiting as skipped when the job is paused', async () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *', T0, { policy: policy({ overlapPolicy: 'QUEUE_ONE' }) }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 2_500);
    scheduler.upsert({ ...job('a', '* * * * * *', T0, { policy: policy({ overlapPolicy: 'QUEUE_ONE' }) }), status: 'PAUSED' }, clock.now());
    transport.answerAll();
    await settle();
    expect(skipsOf(log)).toEqual([[2_000, 2_000, 1, 'PAUSED']]);
    expect(sentAt(transport)).toEqual([[1_000, 'SCHEDULE']]);
    expect(log.executions.map((r) => r.cursorAt! - T0)).toEqual([2_000]);
  });
});

describe('schedule changes on a manual clock', () => {
  it('keeps owing the old schedule\'s occurrence waiting for a retry: the cursor stays before it until it settles', async () => {
    const { clock, transport, log, scheduler } = await hourlyRetryWaiting();
    expect(scheduler.suspend(hourly(), clock.now())).toEqual([{ at: T0 + 3_600_000, type: 'ATLEAST_ONCE' }]);
    scheduler.upsert(job('a', '*/10 * * * * *', T0, { maxAttempts: 3 }), clock.now());
    clock.advanceBy(10_000);
    expect(sentAt(transport)).toEqual([[3_600_000, 'SCHEDULE'], [3_600_000, 'SCHEDULE'], [3_610_000, 'SCHEDULE']]);
    // The new schedule's fire settles first: its cursor stops before the retried occurrence.
    transport.calls.pop()!.answer({ statusCode: 200, error: null });
    await settle();
    transport.answerAll(200);
    await settle();
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.attempt, r.cursorAt === null ? null : r.cursorAt - T0])).toEqual([
      [3_600_000, 1, null],
      [3_610_000, 1, 3_599_999],
      [3_600_000, 2, 3_610_000],
    ]);
  });

  it('sends a fire that was due but not sent yet before it stops the schedule, and owes it', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '* * * * * *'), T0);
    scheduler.start();
    clock.suspendFor(1_200);
    expect(scheduler.suspend(job('a', '* * * * * *'), clock.now())).toEqual([{ at: T0 + 1_000, type: 'ATLEAST_ONCE' }]);
    expect(transport.sent.map((call) => call.at - T0)).toEqual([1_200]);
    scheduler.upsert(job('a', '*/10 * * * * *'), clock.now());
    clock.advanceTo(T0 + 10_000);
    expect(sentAt(transport)).toEqual([[1_000, 'SCHEDULE'], [10_000, 'SCHEDULE']]);
  });

  it('fires nothing of a suspended job, and after a failed write goes on with the old schedule from where it stopped', () => {
    const { clock, transport, scheduler } = createEngine();
    scheduler.upsert(job('a', '*/5 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 6_000);
    expect(scheduler.suspend(job('a', '*/5 * * * * *'), clock.now())).toEqual([{ at: T0 + 5_000, type: 'ATLEAST_ONCE' }]);
    expect(scheduler.get('a')?.nextFireAt).toBeNull();
    // The write takes until 10.5 s, and fails.
    clock.advanceTo(T0 + 10_500);
    expect(transport.sent).toHaveLength(1);
    scheduler.upsert(job('a', '*/5 * * * * *'), T0 + 6_000);
    clock.advanceTo(T0 + 15_000);
    expect(sentAt(transport)).toEqual([[5_000, 'SCHEDULE'], [10_000, 'SCHEDULE'], [15_000, 'SCHEDULE']]);
    expect(transport.sent.map((call) => call.at - T0)).toEqual([5_000, 10_500, 15_000]);
  });

  it('records what fell due while a paused job was paused as skipped, as a resume would have, when its schedule changes', () => {
    const { clock, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '*/10 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    scheduler.upsert({ ...job('a', '*/10 * * * * *'), status: 'PAUSED' }, clock.now());
    clock.advanceTo(T0 + 45_000);
    expect(scheduler.suspend({ ...job('a', '*/10 * * * * *'), status: 'PAUSED' }, clock.now())).toEqual([{ at: T0 + 10_000, type: 'ATLEAST_ONCE' }]);
    expect(skipsOf(log)).toEqual([[20_000, 40_000, 3, 'PAUSED']]);
  });

  /** Restored at 65 s: cursor at 2 s, schedule replaced at 30 s while 1 s and 7 s were in flight, intent at 40 s. */
  const replaced = (overrides: Partial<JobSpec>, owedType = overrides.type ?? 'ATLEAST_ONCE'): SchedulableJob => ({
    ...job('a', '*/10 * * * * *', T0 + 2_000, overrides),
    intentAt: T0 + 40_000,
    rescheduledAt: T0 + 30_000,
    owed: [
      { at: T0 + 1_000, type: owedType },
      { at: T0 + 7_000, type: owedType },
    ],
  });

  it('on restore, sends again the owed occurrences past the cursor first, then plans the new schedule from when it took over', async () => {
    const engine = createEngine();
    const { clock, transport, log } = engine;
    restoreAt65s(engine, replaced({ policy: policy({ misfirePolicy: 'FIRE_ALL' }) }));
    expect(sentAt(transport)).toEqual([[7_000, 'RECOVERY']]);
    for (let answered = 0; answered < 4; answered++) {
      transport.answerAll(200);
      await settle();
    }
    // Not 10-30 s: those are the new schedule's before it took over. 40 s was intended, 50 and 60 s missed.
    expect(sentAt(transport)).toEqual([[7_000, 'RECOVERY'], [40_000, 'RECOVERY'], [50_000, 'CATCH_UP'], [60_000, 'CATCH_UP']]);
    expect(log.skips).toEqual([]);
    expect(log.executions.at(-1)?.cursorAt).toBe(T0 + 60_000);
    clock.advanceTo(T0 + 70_000);
    expect(sentAt(transport).at(-1)).toEqual([70_000, 'SCHEDULE']);
  });

  it('on restore of an at-most-once job, records the owed occurrences past the cursor as UNKNOWN and sends none of them', () => {
    const engine = createEngine();
    const { transport, log } = engine;
    restoreAt65s(engine, replaced({ type: 'ATMOST_ONCE', policy: policy({ misfirePolicy: 'SKIP' }) }));
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome])).toEqual([[7_000, 'UNKNOWN'], [40_000, 'UNKNOWN']]);
    expect(skipsOf(log)).toEqual([[50_000, 60_000, 2, 'MISFIRE']]);
    expect(transport.sent).toEqual([]);
  });

  it('settles an owed occurrence by the type it was sent under: one sent at most once is UNKNOWN, though the job is at-least-once now', () => {
    const engine = createEngine();
    const { transport, log } = engine;
    restoreAt65s(engine, replaced({ policy: policy({ misfirePolicy: 'SKIP' }) }, 'ATMOST_ONCE'));
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome])).toEqual([[7_000, 'UNKNOWN']]);
    expect(sentAt(transport)).toEqual([[40_000, 'RECOVERY']]);
  });

  it('never lets an UNKNOWN record carry the cursor past a recovery send still owed at least once', () => {
    const engine = createEngine();
    const { log } = engine;
    // Owed at least once at 7 s; the job turned at-most-once, and 40 s was intended under it.
    restoreAt65s(engine, { ...replaced({ type: 'ATMOST_ONCE', maxAttempts: 1, policy: policy({ misfirePolicy: 'SKIP' }) }), owed: [{ at: T0 + 7_000, type: 'ATLEAST_ONCE' }] });
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome, r.cursorAt! - T0])).toEqual([[40_000, 'UNKNOWN', 6_999]]);
  });

  it('owes what is unsettled with the type it was sent under, or was owed with before', () => {
    const { clock, scheduler } = createEngine();
    scheduler.upsert(job('a', '*/10 * * * * *'), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(scheduler.suspend(job('a', '*/10 * * * * *'), clock.now())).toEqual([{ at: T0 + 10_000, type: 'ATLEAST_ONCE' }]);
    // The job was made at-most-once from then on; the call in flight was sent at least once.
    const atMostOnce = { ...job('a', '*/10 * * * * *', T0, { type: 'ATMOST_ONCE', maxAttempts: 1 }), owed: [{ at: T0 + 10_000, type: 'ATLEAST_ONCE' as const }] };
    scheduler.upsert(atMostOnce, clock.now());
    expect(scheduler.suspend(atMostOnce, clock.now())).toEqual([{ at: T0 + 10_000, type: 'ATLEAST_ONCE' }]);
  });

  it('on resume, plans only what fell due after the schedule took over', () => {
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.start();
    clock.advanceTo(T0 + 65_000);
    scheduler.resume({ ...replaced({ policy: policy({ misfirePolicy: 'SKIP' }) }), owed: [], intentAt: null }, clock.now());
    expect(skipsOf(log)).toEqual([[40_000, 60_000, 3, 'PAUSED']]);
    clock.advanceTo(T0 + 70_000);
    expect(sentAt(transport)).toEqual([[70_000, 'SCHEDULE']]);
  });
});

describe('recovery sends of a paused job', () => {
  const everyTen = (status: SchedulableJob['status'], misfirePolicy: PolicyValues['misfirePolicy'] = 'FIRE_ALL'): SchedulableJob => ({
    ...job('a', '*/10 * * * * *', T0, { policy: policy({ misfirePolicy }) }),
    status,
    intentAt: T0 + 20_000,
  });

  it('go out one at a time after a restore, as a pause stops no call already made; a resume plans after them', async () => {
    const engine = createEngine();
    const { clock, transport, log, scheduler } = engine;
    restoreAt65s(engine, everyTen('PAUSED'));
    expect(sentAt(transport)).toEqual([[10_000, 'RECOVERY']]);
    transport.answerAll(200);
    await settle();
    transport.answerAll(200);
    await settle();
    expect(sentAt(transport)).toEqual([[10_000, 'RECOVERY'], [20_000, 'RECOVERY']]);
    expect(log.skips).toEqual([]);
    clock.advanceTo(T0 + 66_000);
    scheduler.resume(everyTen('ACTIVE', 'SKIP'), clock.now());
    expect(skipsOf(log)).toEqual([[30_000, 60_000, 4, 'PAUSED']]);
  });

  it('go on when the job is paused while it still holds them; its held catch-ups are recorded as skipped', async () => {
    const engine = createEngine();
    const { transport, log, scheduler } = engine;
    restoreAt65s(engine, everyTen('ACTIVE'));
    expect(sentAt(transport)).toEqual([[10_000, 'RECOVERY']]);
    scheduler.upsert(everyTen('PAUSED'), T0 + 65_000);
    expect(skipsOf(log)).toEqual([[30_000, 60_000, 4, 'PAUSED']]);
    transport.answerAll(200);
    await settle();
    expect(sentAt(transport)).toEqual([[10_000, 'RECOVERY'], [20_000, 'RECOVERY']]);
    transport.answerAll(200);
    await settle();
    expect(sentAt(transport)).toHaveLength(2);
    // The cursor stops before the recovery send still held, then passes the skipped catch-ups.
    expect(log.executions.map((r) => r.cursorAt! - T0)).toEqual([19_999, 60_000]);
  });
});

