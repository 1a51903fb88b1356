import type { ExecutionRecord, Outcome, Trigger } from '../domain/occurrence.ts';
import { lastInstantFormatter } from '../domain/instant-text.ts';
import { idempotencyKey, movesCursor } from '../domain/occurrence.ts';
import { isRetryable, retryDelay } from '../domain/retry-policy.ts';
import type { WebhookSigner } from '../domain/webhook-signature.ts';
import type { Alerter } from './alerter.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { JobHealth } from './job-health.ts';
import type { JobRuntime } from './job-runtime.ts';
import { OriginTable, type OriginState } from './origin-table.ts';
import { judgeResponse, responseSnippet } from './success-criteria.ts';
import type { OutboundResult, Transport } from './transport.ts';

/** An occurrence on its way out, at one of its attempts. */
export interface Occurrence {
  job: JobRuntime;
  scheduledAt: number;
  trigger: Trigger;
  attempt: number;
  /**
   * Attempts the occurrence may make: its job's maxAttempts when it was first sent. A job changed
   * meanwhile from at-most-once to at-least-once never retries a call it made at most once.
   */
  maxAttempts: number;
}

export interface DispatcherOptions {
  transport: Transport;
  log: ExecutionLog;
  events: EventBus;
  clock: Clock;
  alerter: Alerter;
  /** Streaks, state alerts and pauses; one on `alerter` that never pauses a job without. */
  health?: JobHealth;
  /** Requests in flight at once, across all targets. */
  maxInFlight: number;
  /** Requests in flight at once to one origin; more wait in the queue. Without: maxInFlight. */
  maxInFlightPerOrigin?: number;
  /**
   * Occurrences waiting for a free slot (global or their origin's); past this, an occurrence fails
   * at once as "dispatch queue full".
   */
  maxQueued: number;
  /** The per-origin circuit breaker; without, no circuit ever opens. */
  breaker?: CircuitBreakerOptions;
  random?: () => number;
  /** Signs each call (Standard Webhooks headers, the idempotency key as `webhook-id`); unsigned without. */
  sign?: WebhookSigner;
}

export interface DispatcherStats {
  inFlight: number;
  /** Waiting for a slot: a global one, or their origin's. */
  queued: number;
  rejected: number;
  retriesWaiting: number;
  retries: number;
  /** Origins whose circuit is open (half-open included). */
  openCircuits: number;
  /** Times a circuit opened since start. */
  circuitsOpened: number;
}

const USER_AGENT = 'Zeitgeber/0.1';

/** Every fire of a burst shares its scheduled instant: it is formatted once. */
const instantText = lastInstantFormatter();

/** The body of a call, `{"jobId","scheduledAt","trigger","attempt"}`, built without a general serialiser. */
function callBody(jobId: string, scheduledAt: number, trigger: string, attempt: number): string {
  return `{"jobId":${JSON.stringify(jobId)},"scheduledAt":"${instantText(scheduledAt)}","trigger":"${trigger}","attempt":${attempt}}`;
}

/**
 * Sends occurrences with bounded concurrency. `dispatch` never blocks and never throws: each
 * attempt ends in exactly one ExecutionRecord handed to the log.
 *
 * ATLEAST_ONCE: a network error, timeout, 5xx or 429 is retried with backoff (Retry-After wins)
 * up to the job's maxAttempts; the job's cursor moves only when the last attempt settles, so an
 * occurrence interrupted by a crash is sent again after restart, with the same Idempotency-Key.
 * ATMOST_ONCE: one attempt, sent only once its intent is durable, so a crash never leads to a
 * second send. Both commit their intent ahead of the fire, so a restart knows what may have gone out.
 *
 * An attempt succeeds when it meets the job's success criteria (judgeResponse). Only transient
 * failures are retried: a status outside successCodes below 500 (other than 429), or a body that
 * does not match successBodyPattern, is final, as is a 410 Gone (the job is then paused).
 *
 * Each origin has its own call slots (maxInFlightPerOrigin: the excess waits in line, within the
 * same bound as the global queue) and a circuit breaker: while an origin's circuit is open its
 * attempts are not sent and end at once as FAILED executions (retried like a network failure).
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #random: () => number;
  readonly #health: JobHealth;
  readonly #breaker: CircuitBreaker;
  readonly #origins = new OriginTable<Occurrence>();
  readonly #maxInFlightPerOrigin: number;
  #inFlight = 0;
  /** Occurrences waiting in their origin's line. */
  #parked = 0;
  #rejected = 0;
  #retries = 0;
  readonly #retryTimers = new Set<() => void>();
  #stopped = false;
  /** FIFO with a moving head: shift() on a long array is O(n). */
  #queue: Occurrence[] = [];
  #head = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#health = options.health ?? new JobHealth({ alerter: options.alerter, clock: options.clock });
    this.#breaker = new CircuitBreaker(options.breaker ?? { failureThreshold: 0, cooldownMs: 0 });
    this.#maxInFlightPerOrigin = options.maxInFlightPerOrigin ?? options.maxInFlight;
  }

  /** The origins whose circuit is open now. */
  openCircuits(): string[] {
    return this.#breaker.openOrigins();
  }

  get stats(): DispatcherStats {
    return {
      inFlight: this.#inFlight,
      queued: this.#queued(),
      rejected: this.#rejected,
      retriesWaiting: this.#retryTimers.size,
      retries: this.#retries,
      openCircuits: this.#breaker.openCount,
      circuitsOpened: this.#breaker.openedTotal,
    };
  }

  dispatch(occurrence: Occurrence): void {
    if (occurrence.attempt === 1 && movesCursor(occurrence.trigger)) occurrence.job.begin(occurrence.scheduledAt);
    if (this.#inFlight < this.#options.maxInFlight) {
      const origin = this.#origins.of(occurrence.job.spec.api);
      if (origin.inFlight < this.#maxInFlightPerOrigin) {
        void this.#run(occurrence, origin);
        return;
      }
      if (this.#refuseWhenFull(occurrence)) return;
      this.#park(origin, occurrence);
      return;
    }
    if (this.#refuseWhenFull(occurrence)) return;
    this.#queue.push(occurrence);
  }

  /** Resolves once nothing is in flight or queued (retries waiting for their time do not count). */
  idle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queued() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Cancels the retries waiting for their time, and arms none from now on (a call still in flight
   * that fails is not retried). Their occurrences stay unsettled, so the durable cursor stays
   * before them and they are sent again after a restart.
   */
  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#retryTimers) cancel();
    this.#retryTimers.clear();
  }

  #queued(): number {
    return this.#queue.length - this.#head + this.#parked;
  }

  /** Fails a new occurrence at once when the queue is full; true when it did. */
  #refuseWhenFull(occurrence: Occurrence): boolean {
    if (this.#queued() < this.#options.maxQueued) return false;
    this.#rejected++;
    this.#finish(occurrence, this.#options.clock.now(), { statusCode: null, error: 'dispatch queue full' });
    return true;
  }

  #park(origin: OriginState<Occurrence>, occurrence: Occurrence): void {
    this.#origins.park(origin, occurrence);
    this.#parked++;
  }

  async #run(occurrence: Occurrence, origin: OriginState<Occurrence>): Promise<void> {
    const { job, scheduledAt, trigger, attempt } = occurrence;
    const { clock, events, transport, log } = this.#options;
    // The intent is normally durable already (announced one fire ahead). An at-most-once call is
    // never sent without it, so when it is not, it is committed now; an at-least-once call does
    // not wait for it (its intent only sharpens what a restart re-sends).
    const atMostOnce = job.spec.type === 'ATMOST_ONCE' && movesCursor(trigger);
    if (atMostOnce && !log.isIntentDurable(job.intentTicket) && !log.commitIntents()) {
      this.#finish(occurrence, clock.now(), { statusCode: null, error: 'not sent: the at-most-once intent could not be committed' });
      return;
    }
    const startedAt = clock.now();
    const admission = this.#breaker.admit(origin, startedAt);
    if (admission === 'open') {
      this.#finish(occurrence, startedAt, { statusCode: null, error: this.#breaker.describeOpen(origin) });
      return;
    }
    this.#inFlight++;
    origin.inFlight++;
    const key = idempotencyKey(job.id, scheduledAt);
    const body = callBody(job.id, scheduledAt, trigger, attempt);
    const sending = transport.post({
      url: job.spec.api,
      timeoutMs: job.spec.timeoutMs,
      headers: { 'content-type': 'application/json', 'idempotency-key': key, 'user-agent': USER_AGENT, ...this.#options.sign?.(key, body) },
      body,
      policy: job.spec.policy,
    });
    // Announced once the call is on its way: listeners never delay the fires after it in a burst.
    events.emit('execution:started', { jobId: job.id, scheduledAt, startedAt, attempt, trigger });
    const lagAlertMs = job.spec.policy.lagAlertMs;
    if (lagAlertMs !== null && trigger === 'SCHEDULE' && attempt === 1 && startedAt - scheduledAt > lagAlertMs) {
      this.#health.lagging(job, scheduledAt, startedAt - scheduledAt);
    }
    const result = await sending;
    this.#inFlight--;
    origin.inFlight--;
    const status = result.statusCode;
    const failure = status === null ? (result.error ?? 'no answer') : status >= 500 ? `HTTP ${status}` : null;
    this.#breaker.record(origin, failure, admission === 'probe', clock.now());
    this.#finish(occurrence, startedAt, result);
    this.#drain(origin);
  }

  #finish(occurrence: Occurrence, startedAt: number, result: OutboundResult): void {
    const { job, scheduledAt, trigger, attempt } = occurrence;
    const now = this.#options.clock.now();
    const error = judgeResponse(job.spec.policy, result);
    const success = error === null;
    const final = success || job.removed || attempt >= Math.min(occurrence.maxAttempts, job.spec.maxAttempts) || !isRetryable(result.statusCode);
    const previousStreak = final ? this.#health.settle(job, success) : 0;
    const outcome: Outcome = success ? 'SUCCEEDED' : 'FAILED';
    const record: ExecutionRecord = {
      jobId: job.id,
      scheduledAt,
      startedAt,
      durationMs: Math.max(0, now - startedAt),
      attempt,
      trigger,
      statusCode: result.statusCode,
      success,
      outcome,
      error,
      responseSnippet: responseSnippet(result),
      consecutiveFailures: final ? job.consecutiveFailures : undefined,
      cursorAt: final && movesCursor(trigger) ? job.settle(scheduledAt) : null,
    };
    this.#options.log.recordExecution(record);
    this.#options.events.emit('execution:finished', record);
    if (!final) {
      this.#scheduleRetry(occurrence, retryDelay(attempt + 1, result.retryAfter ?? null, now, this.#random));
    } else {
      this.#health.settled(job, record, previousStreak);
    }
  }

  #scheduleRetry(occurrence: Occurrence, delayMs: number): void {
    if (this.#stopped) return;
    this.#retries++;
    const cancel = this.#options.clock.setTimer(() => {
      this.#retryTimers.delete(cancel);
      if (!occurrence.job.removed) this.dispatch({ ...occurrence, attempt: occurrence.attempt + 1 });
    }, delayMs);
    this.#retryTimers.add(cancel);
  }

  /**
   * Fills the slots a finished call freed: first with the occurrences waiting for its origin (a
   * slot of theirs just freed), then from the global queue, parking those whose origin is full.
   */
  #drain(origin: OriginState<Occurrence>): void {
    const max = this.#options.maxInFlight;
    while (this.#inFlight < max && origin.inFlight < this.#maxInFlightPerOrigin) {
      const next = this.#origins.unpark(origin);
      if (next === undefined) break;
      this.#parked--;
      void this.#run(next, origin);
    }
    while (this.#inFlight < max && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head]!;
      this.#head++;
      const nextOrigin = this.#origins.of(next.job.spec.api);
      if (nextOrigin.inFlight < this.#maxInFlightPerOrigin) void this.#run(next, nextOrigin);
      else this.#park(nextOrigin, next);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      if (this.#inFlight === 0 && this.#parked === 0) {
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      }
    }
  }
}
