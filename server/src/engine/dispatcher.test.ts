import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/manual-clock.ts';
import { compileSchedule } from '../domain/cron.ts';
import { checkPolicy, DEFAULT_POLICY } from '../domain/job-policy.ts';
import type { JobSpec } from '../domain/job-spec.ts';
import type { AlertEvent, AlertRecord, ExecutionRecord, SkipRecord } from '../domain/occurrence.ts';
import { Alerter } from './alerter.ts';
import type { CircuitBreakerOptions } from './circuit-breaker.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { JobHealth, LAG_ALERT_WINDOW_MS } from './job-health.ts';
import { JobRuntime } from './job-runtime.ts';
import { RESPONSE_SNIPPET_CHARS } from './success-criteria.ts';
import type { OutboundRequest, OutboundResult, Transport } from './transport.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A transport whose calls stay pending until the test answers them. */
class HeldTransport implements Transport {
  readonly calls: Array<{ request: OutboundRequest; answer: (result: OutboundResult) => void }> = [];
  post(request: OutboundRequest): Promise<OutboundResult> {
    return new Promise((resolve) => this.calls.push({ request, answer: resolve }));
  }
  /** Answers the oldest pending call. */
  answer(result: Partial<OutboundResult> & { statusCode: number | null }): void {
    const call = this.calls.shift();
    if (!call) throw new Error('no call pending');
    call.answer({ error: null, ...result });
  }
  async close(): Promise<void> {}
}

class RecordingLog implements ExecutionLog {
  readonly executions: ExecutionRecord[] = [];
  readonly alerts: AlertRecord[] = [];
  announceIntent(): number {
    return 0;
  }
  isIntentDurable(): boolean {
    return true;
  }
  commitIntents(): boolean {
    return true;
  }
  recordExecution(record: ExecutionRecord): void {
    this.executions.push(record);
  }
  recordSkip(_record: SkipRecord): void {}
  recordAlert(record: AlertRecord): void {
    this.alerts.push(record);
  }
}

interface SentAlert {
  event: AlertEvent;
  jobId: string;
  scheduledAt: number;
  details: Record<string, unknown>;
}

/** Keeps the alerts it is asked to send instead of delivering them. */
class RecordingAlerter extends Alerter {
  readonly sent: SentAlert[] = [];
  override notify(spec: JobSpec, jobId: string, event: AlertEvent, scheduledAt: number, details: Record<string, unknown>): void {
    if (spec.alertWebhook !== null) this.sent.push({ event, jobId, scheduledAt, details });
  }
  events(): AlertEvent[] {
    return this.sent.map((alert) => alert.event);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function runtime(id: string, overrides: Partial<JobSpec> = {}, policy: Record<string, unknown> = {}): JobRuntime {
  const spec: JobSpec = {
    schedule: '* * * * * *',
    timezone: 'UTC',
    api: 'http://127.0.0.1:9/hook',
    type: 'ATLEAST_ONCE',
    alertWebhook: 'http://127.0.0.1:9/alerts',
    timeoutMs: 1_000,
    maxAttempts: 1,
    policy: checkPolicy(DEFAULT_POLICY, policy),
    ...overrides,
  };
  return new JobRuntime(id, spec, compileSchedule(spec.schedule), 'ACTIVE', 1, T0);
}

function createEngine(options: { breaker?: CircuitBreakerOptions; maxInFlightPerOrigin?: number; maxQueued?: number } = {}) {
  const clock = new ManualClock(T0);
  const transport = new HeldTransport();
  const log = new RecordingLog();
  const events = new EventBus((error) => {
    throw error;
  });
  const alerter = new RecordingAlerter({ log, events, clock, concurrency: 1, maxQueued: 100, timeoutMs: 1_000, retries: 0, onDeliveryFailed: () => {} });
  const pauses: Array<{ jobId: string; reason: string }> = [];
  const health = new JobHealth({
    alerter,
    clock,
    pauseJob: async (jobId, reason) => {
      pauses.push({ jobId, reason });
      return true;
    },
  });
  const dispatcher = new Dispatcher({
    transport,
    log,
    events,
    clock,
    alerter,
    health,
    maxInFlight: 100,
    maxQueued: options.maxQueued ?? 100,
    random: () => 1,
    ...(options.breaker ? { breaker: options.breaker } : {}),
    ...(options.maxInFlightPerOrigin ? { maxInFlightPerOrigin: options.maxInFlightPerOrigin } : {}),
  });
  let next = T0;
  /** Dispatches the job's next scheduled occurrence (one a second), at that instant. */
  const fire = (job: JobRuntime, attempt = 1) => {
    next += 1_000;
    if (clock.now() < next) clock.advanceTo(next);
    dispatcher.dispatch({ job, scheduledAt: next, trigger: 'SCHEDULE', attempt, maxAttempts: job.spec.maxAttempts });
  };
  return { clock, transport, log, events, alerter, health, dispatcher, pauses, fire };
}

describe('success criteria', () => {
  it('judges the status by successCodes and keeps a failed body as the snippet', async () => {
    const { transport, log, fire } = createEngine();
    const job = runtime('a', {}, { successCodes: '200-203' });
    fire(job);
    transport.answer({ statusCode: 204 });
    fire(job);
    transport.answer({ statusCode: 503, body: 'x'.repeat(4_096) });
    fire(job);
    transport.answer({ statusCode: 201 });
    await settle();
    expect(log.executions.map((r) => [r.success, r.error, r.responseSnippet?.length ?? null])).toEqual([
      [false, 'status 204 is not in successCodes 200-203', null],
      [false, 'HTTP 503', RESPONSE_SNIPPET_CHARS],
      [true, null, null],
    ]);
  });

  it('asks for the body only when it decides or explains, and matches it against the pattern', async () => {
    const { transport, log, fire } = createEngine();
    const plain = runtime('plain');
    const checked = runtime('checked', {}, { successBodyPattern: '"ok":\\s*true' });
    fire(plain);
    fire(checked);
    const [plainCall, checkedCall] = transport.calls;
    expect(plainCall!.request.policy).toBe(plain.spec.policy);
    expect(checkedCall!.request.policy?.successBodyPattern).toBe('"ok":\\s*true');
    transport.answer({ statusCode: 200 });
    transport.answer({ statusCode: 200, body: '{"ok": false}' });
    fire(checked);
    transport.answer({ statusCode: 200, body: '{"ok": true}' });
    await settle();
    expect(log.executions.map((r) => [r.jobId, r.success, r.error, r.responseSnippet])).toEqual([
      ['plain', true, null, null],
      ['checked', false, 'body did not match successBodyPattern', '{"ok": false}'],
      ['checked', true, null, '{"ok": true}'],
    ]);
  });

  it('retries only transient failures: a criteria failure is final, a 503 is retried', async () => {
    const { clock, transport, log, fire } = createEngine();
    const job = runtime('a', { maxAttempts: 3 }, { successBodyPattern: 'done' });
    fire(job);
    transport.answer({ statusCode: 200, body: 'pending' });
    await settle();
    clock.advanceBy(60_000);
    expect(transport.calls).toHaveLength(0);
    fire(job);
    transport.answer({ statusCode: 503 });
    await settle();
    clock.advanceBy(1_000);
    expect(transport.calls).toHaveLength(1);
    transport.answer({ statusCode: 200, body: 'done' });
    await settle();
    expect(log.executions.map((r) => [r.attempt, r.success, r.cursorAt !== null])).toEqual([
      [1, false, true],
      [1, false, false],
      [2, true, true],
    ]);
  });
});

describe('attempts', () => {
  it('never retries a call made at most once, though its job turned at-least-once while it was in flight', async () => {
    const { clock, transport, log, dispatcher, fire } = createEngine();
    const job = runtime('a', { type: 'ATMOST_ONCE', maxAttempts: 1 });
    fire(job);
    job.spec = { ...job.spec, type: 'ATLEAST_ONCE', maxAttempts: 3 };
    transport.answer({ statusCode: 503 });
    await settle();
    expect(dispatcher.stats.retriesWaiting).toBe(0);
    clock.advanceBy(60_000);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions.map((r) => [r.attempt, r.outcome, r.cursorAt !== null])).toEqual([[1, 'FAILED', true]]);
  });
});

describe('stop', () => {
  it('arms no retry for a call that fails after it, and cancels those waiting: their occurrences stay unsettled', async () => {
    const { clock, transport, log, dispatcher, fire } = createEngine();
    const waiting = runtime('waiting', { maxAttempts: 3 });
    const late = runtime('late', { maxAttempts: 3 });
    fire(waiting);
    fire(late);
    transport.answer({ statusCode: 503 });
    await settle();
    expect(dispatcher.stats.retriesWaiting).toBe(1);
    dispatcher.stop();
    expect(dispatcher.stats.retriesWaiting).toBe(0);
    transport.answer({ statusCode: 503 });
    await settle();
    expect(dispatcher.stats.retriesWaiting).toBe(0);
    clock.advanceBy(600_000);
    expect(transport.calls).toHaveLength(0);
    expect(log.executions.map((r) => [r.jobId, r.attempt, r.cursorAt])).toEqual([
      ['waiting', 1, null],
      ['late', 1, null],
    ]);
    // Unsettled: a restart sends both again.
    expect([waiting.intentToKeep, late.intentToKeep]).toEqual([T0 + 1_000, T0 + 2_000]);
  });
});

describe('410 Gone', () => {
  it('pauses the job with its reason, without a retry, and says so to the webhook', async () => {
    const { clock, transport, alerter, pauses, fire } = createEngine();
    const job = runtime('gone', { api: 'http://127.0.0.1:9/old/hook', maxAttempts: 5 });
    fire(job);
    transport.answer({ statusCode: 410 });
    await settle();
    clock.advanceBy(60_000);
    expect(transport.calls).toHaveLength(0);
    expect(pauses).toEqual([{ jobId: 'gone', reason: `410 Gone from http://127.0.0.1:9 at ${new Date(T0 + 1_000).toISOString()}` }]);
    expect(alerter.events()).toEqual(['JOB_FAILED', 'JOB_AUTO_PAUSED']);
    expect(alerter.sent[1]!.details).toMatchObject({ reason: pauses[0]!.reason, statusCode: 410 });
  });

  it('is a success like any other when the job lists 410 in its successCodes', async () => {
    const { transport, log, pauses, fire } = createEngine();
    fire(runtime('fine', {}, { successCodes: '200-299,410' }));
    transport.answer({ statusCode: 410 });
    await settle();
    expect(log.executions[0]!.success).toBe(true);
    expect(pauses).toEqual([]);
  });
});

describe('state alerts', () => {
  it('counts a streak per occurrence, raises JOB_FAILING once, JOB_RECOVERED after, and records the streak', async () => {
    const { clock, transport, log, alerter, fire } = createEngine();
    const job = runtime('a', { maxAttempts: 2 }, { failingThreshold: 2 });
    for (let i = 0; i < 4; i++) {
      fire(job);
      transport.answer({ statusCode: 500 });
      await settle();
      clock.advanceBy(1_000);
      transport.answer({ statusCode: 500 });
      await settle();
    }
    fire(job);
    transport.answer({ statusCode: 200 });
    fire(job);
    transport.answer({ statusCode: 200 });
    await settle();
    expect(log.executions.map((r) => r.consecutiveFailures ?? '-')).toEqual(['-', 1, '-', 2, '-', 3, '-', 4, 0, 0]);
    expect(alerter.events().filter((event) => event !== 'JOB_FAILED')).toEqual(['JOB_FAILING', 'JOB_RECOVERED']);
    expect(alerter.sent.find((alert) => alert.event === 'JOB_FAILING')!.details).toMatchObject({ consecutiveFailures: 2, failingThreshold: 2, error: 'HTTP 500' });
    expect(alerter.sent.find((alert) => alert.event === 'JOB_RECOVERED')!.details).toEqual({ failuresBefore: 4, statusCode: 200 });
  });

  it('no JOB_RECOVERED after failures that never reached the threshold', async () => {
    const { transport, alerter, fire } = createEngine();
    const job = runtime('a', {}, { failingThreshold: 3 });
    fire(job);
    transport.answer({ statusCode: 500 });
    fire(job);
    transport.answer({ statusCode: 200 });
    await settle();
    expect(alerter.events()).toEqual(['JOB_FAILED']);
  });

  it('takes up a streak stored before a restart', async () => {
    const { transport, log, alerter, health, fire } = createEngine();
    health.restoreStreaks(new Map([['a', 2]]));
    const job = runtime('a', {}, { failingThreshold: 3 });
    fire(job);
    transport.answer({ statusCode: 500 });
    await settle();
    expect(log.executions[0]!.consecutiveFailures).toBe(3);
    expect(alerter.events()).toEqual(['JOB_FAILED', 'JOB_FAILING']);
  });

  it('pauses a job once after autoPauseAfter failures in a row, even with several in flight', async () => {
    const { transport, alerter, pauses, fire } = createEngine();
    const job = runtime('a', {}, { autoPauseAfter: 2, failingThreshold: 5 });
    fire(job);
    fire(job);
    fire(job);
    transport.answer({ statusCode: null, error: 'connection refused' });
    transport.answer({ statusCode: null, error: 'connection refused' });
    transport.answer({ statusCode: null, error: 'connection refused' });
    await settle();
    expect(pauses).toEqual([{ jobId: 'a', reason: 'auto-paused after 2 consecutive failures (last: connection refused)' }]);
    expect(alerter.events().filter((event) => event !== 'JOB_FAILED')).toEqual(['JOB_AUTO_PAUSED']);
  });

  it('raises JOB_LAGGING for a late scheduled fire, at most once per job per window', async () => {
    const { clock, dispatcher, alerter } = createEngine();
    const job = runtime('a', {}, { lagAlertMs: 100 });
    const late = (lateByMs: number) => {
      const scheduledAt = clock.now();
      clock.advanceBy(lateByMs);
      dispatcher.dispatch({ job, scheduledAt, trigger: 'SCHEDULE', attempt: 1, maxAttempts: job.spec.maxAttempts });
    };
    late(50);
    late(150);
    late(500);
    clock.advanceBy(LAG_ALERT_WINDOW_MS);
    late(200);
    expect(alerter.sent.map((alert) => [alert.event, alert.details.lagMs])).toEqual([
      ['JOB_LAGGING', 150],
      ['JOB_LAGGING', 200],
    ]);
  });

  it('raises JOB_MISSED per skip record of a known job, not for a pause', () => {
    const { events, alerter, health } = createEngine();
    const job = runtime('a');
    const stop = health.watchSkips(events, (jobId) => (jobId === 'a' ? job : undefined));
    const skip = { jobId: 'a', fromAt: T0, toAt: T0 + 60_000, count: 61, createdAt: T0 };
    events.emit('occurrences:skipped', { ...skip, reason: 'MISFIRE' });
    events.emit('occurrences:skipped', { ...skip, reason: 'PAUSED' });
    events.emit('occurrences:skipped', { ...skip, jobId: 'unknown', reason: 'OVERLAP' });
    stop();
    events.emit('occurrences:skipped', { ...skip, reason: 'MISFIRE' });
    expect(alerter.sent).toEqual([
      {
        event: 'JOB_MISSED',
        jobId: 'a',
        scheduledAt: T0,
        details: { from: new Date(T0).toISOString(), to: new Date(T0 + 60_000).toISOString(), count: 61, reason: 'MISFIRE' },
      },
    ]);
  });
});

describe('per-origin circuit breaker and call slots', () => {
  it('opens after consecutive failures, fails calls unsent, lets one probe through after the cooldown, and closes', async () => {
    const { clock, transport, log, dispatcher, fire } = createEngine({ breaker: { failureThreshold: 3, cooldownMs: 10_000 } });
    const job = runtime('a', { alertWebhook: null });
    const other = runtime('b', { alertWebhook: null, api: 'http://127.0.0.1:10/elsewhere' });
    for (let i = 0; i < 3; i++) {
      fire(job);
      transport.answer({ statusCode: i === 1 ? 502 : null, error: i === 1 ? null : 'connection refused' });
      await settle();
    }
    expect(dispatcher.stats.openCircuits).toBe(1);
    expect(dispatcher.openCircuits()).toEqual(['http://127.0.0.1:9']);
    fire(job);
    fire(other);
    expect(transport.calls.map((call) => call.request.url)).toEqual(['http://127.0.0.1:10/elsewhere']);
    transport.answer({ statusCode: 200 });
    await settle();
    expect(log.executions.at(-2)).toMatchObject({ jobId: 'a', outcome: 'FAILED', statusCode: null, durationMs: 0 });
    expect(log.executions.at(-2)!.error).toMatch(/^circuit open for http:\/\/127\.0\.0\.1:9 after 3 consecutive failures \(last: connection refused\); not sent \(next probe after /);
    clock.advanceBy(10_000);
    fire(job);
    fire(job);
    expect(transport.calls).toHaveLength(1);
    expect(log.executions.at(-1)!.error).toMatch(/a probe is in flight/);
    transport.answer({ statusCode: 200 });
    await settle();
    expect(dispatcher.stats).toMatchObject({ openCircuits: 0, circuitsOpened: 1 });
    fire(job);
    expect(transport.calls).toHaveLength(1);
  });

  it('re-opens for another cooldown when the probe fails', async () => {
    const { clock, transport, dispatcher, fire } = createEngine({ breaker: { failureThreshold: 1, cooldownMs: 5_000 } });
    const job = runtime('a', { alertWebhook: null });
    fire(job);
    transport.answer({ statusCode: 500 });
    await settle();
    clock.advanceBy(5_000);
    fire(job);
    transport.answer({ statusCode: 503 });
    await settle();
    fire(job);
    expect(transport.calls).toHaveLength(0);
    expect(dispatcher.stats).toMatchObject({ openCircuits: 1, circuitsOpened: 2 });
  });

  it('a 4xx answer proves the host alive: the count starts again', async () => {
    const { transport, dispatcher, fire } = createEngine({ breaker: { failureThreshold: 2, cooldownMs: 5_000 } });
    const job = runtime('a', { alertWebhook: null });
    for (const statusCode of [500, 404, 500, 404]) {
      fire(job);
      transport.answer({ statusCode });
      await settle();
    }
    expect(dispatcher.stats.openCircuits).toBe(0);
  });

  it('holds calls beyond an origin\'s slots in line, sends them as slots free, and never drops them', async () => {
    const { transport, log, dispatcher, fire } = createEngine({ maxInFlightPerOrigin: 2, maxQueued: 3 });
    const job = runtime('a', { alertWebhook: null });
    const other = runtime('b', { alertWebhook: null, api: 'http://127.0.0.1:10/x' });
    for (let i = 0; i < 5; i++) fire(job);
    fire(other);
    expect(transport.calls.map((call) => call.request.url)).toEqual(['http://127.0.0.1:9/hook', 'http://127.0.0.1:9/hook', 'http://127.0.0.1:10/x']);
    expect(dispatcher.stats).toMatchObject({ inFlight: 3, queued: 3 });
    fire(job);
    expect(log.executions.map((r) => r.error)).toEqual(['dispatch queue full']);
    for (let sent = 0; sent < 6; sent++) {
      transport.answer({ statusCode: 200 });
      await settle();
    }
    expect(transport.calls).toHaveLength(0);
    expect(log.executions.filter((r) => r.success)).toHaveLength(6);
    await dispatcher.idle();
  });
});
