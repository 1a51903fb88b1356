import { DEFAULT_POLICY } from '../domain/job-policy.ts';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/manual-clock.ts';
import { compileSchedule } from '../domain/cron.ts';
import type { JobSpec } from '../domain/job-spec.ts';
import type { AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';
import { Alerter } from './alerter.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { Scheduler, type SchedulableJob } from './scheduler.ts';
import type { OutboundRequest, OutboundResult, Transport } from './transport.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A transport whose calls stay pending until the test answers them. */
class HeldTransport implements Transport {
  readonly calls: Array<{ request: OutboundRequest; at: number; answer: (result: OutboundResult) => void }> = [];
  constructor(private readonly clock: ManualClock) {}
  post(request: OutboundRequest): Promise<OutboundResult> {
    return new Promise((resolve) => this.calls.push({ request, at: this.clock.now(), answer: resolve }));
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

function job(id: string, schedule: string, cursorAt = T0, version = 1, overrides: Partial<JobSpec> = {}): SchedulableJob {
  return { id, spec: spec(schedule, overrides), compiled: compileSchedule(schedule), status: 'ACTIVE', version, cursorAt, intentAt: null };
}

function createEngine() {
  const clock = new ManualClock(T0);
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
    scheduler.upsert(job('a', '*/5 * * * * *', T0, 2), T0 + 10_000);
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
    scheduler.upsert({ ...job('paused', '* * * * * *', T0, 2), status: 'PAUSED' }, T0 + 1_000);
    clock.advanceTo(T0 + 5_000);
    expect(transport.calls).toHaveLength(2);
    expect(scheduler.get('paused')?.nextFireAt).toBeNull();
    expect(scheduler.stats).toMatchObject({ jobs: 1, activeJobs: 0 });
    scheduler.upsert(job('paused', '* * * * * *', T0, 3), clock.now());
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
    const { clock, transport, log, scheduler } = createEngine();
    clock.advanceTo(T0 + 65_000);
    scheduler.restore(job('a', '*/10 * * * * *', T0), clock.now());
    scheduler.start();
    clock.advanceTo(T0 + 65_000);
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
    const { clock, transport, log, scheduler } = createEngine();
    scheduler.upsert(job('a', '0 0 * * * *', T0, 1, { maxAttempts: 3 }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 3_600_000);
    transport.answerAll(503);
    await settle();
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
    scheduler.upsert(job('a', '0 0 * * * *', T0, 1, { maxAttempts: 5 }), T0);
    scheduler.upsert(job('b', '0 0 * * * *', T0, 1, { maxAttempts: 5 }), T0);
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
    scheduler.upsert(job('once', '*/10 * * * * *', T0, 1, { type: 'ATMOST_ONCE' }), T0);
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
    scheduler.upsert(job('once', '*/10 * * * * *', T0, 1, { type: 'ATMOST_ONCE' }), T0);
    scheduler.start();
    clock.advanceTo(T0 + 10_000);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions[0]).toMatchObject({ outcome: 'FAILED', error: 'not sent: the at-most-once intent could not be committed' });
  });

  it('on restore, records an at-most-once occurrence that may have been sent as UNKNOWN and never sends it again', () => {
    const { clock, transport, log, scheduler } = createEngine();
    clock.advanceTo(T0 + 10_500);
    scheduler.restore({ ...job('once', '*/10 * * * * *', T0, 1, { type: 'ATMOST_ONCE' }), intentAt: T0 + 10_000 }, clock.now());
    scheduler.start();
    clock.advanceTo(T0 + 20_000);
    expect(log.executions.map((r) => [r.scheduledAt - T0, r.outcome, r.cursorAt! - T0])).toEqual([[10_000, 'UNKNOWN', 10_000]]);
    expect(transport.calls.map((call) => call.at - T0)).toEqual([20_000]);
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

  it('on restore, sends again first what an at-least-once job may have had in flight, then catches up', () => {
    const { clock, transport, log, scheduler } = createEngine();
    clock.advanceTo(T0 + 65_000);
    // Cursor at 0 s, intent at 20 s: 10 s and 20 s may have gone out; 30–50 s fell due while down.
    scheduler.restore({ ...job('a', '*/10 * * * * *', T0), intentAt: T0 + 20_000 }, clock.now());
    scheduler.start();
    clock.advanceTo(T0 + 70_000);
    expect(transport.calls.map((call) => [JSON.parse(call.request.body).scheduledAt.slice(17, 19), JSON.parse(call.request.body).trigger])).toEqual([
      ['10', 'RECOVERY'],
      ['20', 'RECOVERY'],
      ['00', 'CATCH_UP'],
      ['10', 'SCHEDULE'],
    ]);
    expect(transport.calls[0]!.request.headers['idempotency-key']).toBe(`a:${T0 + 10_000}`);
    expect(log.skips).toEqual([{ jobId: 'a', fromAt: T0 + 30_000, toAt: T0 + 50_000, count: 3, reason: 'MISFIRE', createdAt: T0 + 65_000 }]);
  });

  it('cancels waiting retries on stop, leaving the occurrence unsettled for the next start', async () => {
    const { clock, transport, log, scheduler, dispatcher } = createEngine();
    scheduler.upsert(job('a', '0 0 * * * *', T0, 1, { maxAttempts: 3 }), T0);
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
