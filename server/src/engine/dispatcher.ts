import type { ExecutionRecord, Outcome, Trigger } from '../domain/occurrence.ts';
import { idempotencyKey, movesCursor } from '../domain/occurrence.ts';
import { isRetryable, retryDelay } from '../domain/retry-policy.ts';
import type { WebhookSigner } from '../domain/webhook-signature.ts';
import type { Alerter } from './alerter.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import type { JobRuntime } from './job-runtime.ts';
import type { OutboundResult, Transport } from './transport.ts';

/** An occurrence on its way out, at one of its attempts. */
export interface Occurrence {
  job: JobRuntime;
  scheduledAt: number;
  trigger: Trigger;
  attempt: number;
}

export interface DispatcherOptions {
  transport: Transport;
  log: ExecutionLog;
  events: EventBus;
  clock: Clock;
  alerter: Alerter;
  /** Requests in flight at once, across all targets. */
  maxInFlight: number;
  /** Occurrences waiting for a free slot; past this, an occurrence fails at once as "dispatch queue full". */
  maxQueued: number;
  random?: () => number;
  /** Signs each call (Standard Webhooks headers, the idempotency key as `webhook-id`); unsigned without. */
  sign?: WebhookSigner;
}

export interface DispatcherStats {
  inFlight: number;
  queued: number;
  rejected: number;
  retriesWaiting: number;
  retries: number;
}

const USER_AGENT = 'Zeitgeber/0.1';

/**
 * Sends occurrences with bounded concurrency. `dispatch` never blocks and never throws: each
 * attempt ends in exactly one ExecutionRecord handed to the log.
 *
 * ATLEAST_ONCE: a network error, timeout, 5xx or 429 is retried with backoff (Retry-After wins)
 * up to the job's maxAttempts; the job's cursor moves only when the last attempt settles, so an
 * occurrence interrupted by a crash is sent again after restart, with the same Idempotency-Key.
 * ATMOST_ONCE: one attempt, sent only once its intent is durable, so a crash never leads to a
 * second send. Both commit their intent ahead of the fire, so a restart knows what may have gone out.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #random: () => number;
  #inFlight = 0;
  #rejected = 0;
  #retries = 0;
  readonly #retryTimers = new Set<() => void>();
  /** FIFO with a moving head: shift() on a long array is O(n). */
  #queue: Occurrence[] = [];
  #head = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  get stats(): DispatcherStats {
    return {
      inFlight: this.#inFlight,
      queued: this.#queue.length - this.#head,
      rejected: this.#rejected,
      retriesWaiting: this.#retryTimers.size,
      retries: this.#retries,
    };
  }

  dispatch(occurrence: Occurrence): void {
    if (occurrence.attempt === 1 && movesCursor(occurrence.trigger)) occurrence.job.begin(occurrence.scheduledAt);
    if (this.#inFlight < this.#options.maxInFlight) {
      void this.#run(occurrence);
      return;
    }
    if (this.#queue.length - this.#head >= this.#options.maxQueued) {
      this.#rejected++;
      this.#finish(occurrence, this.#options.clock.now(), { statusCode: null, error: 'dispatch queue full' });
      return;
    }
    this.#queue.push(occurrence);
  }

  /** Resolves once nothing is in flight or queued (retries waiting for their time do not count). */
  idle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === this.#head) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Cancels the retries waiting for their time. Their occurrences stay unsettled, so the durable
   * cursor stays before them and they are sent again after a restart.
   */
  stop(): void {
    for (const cancel of this.#retryTimers) cancel();
    this.#retryTimers.clear();
  }

  async #run(occurrence: Occurrence): Promise<void> {
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
    this.#inFlight++;
    const startedAt = clock.now();
    const key = idempotencyKey(job.id, scheduledAt);
    const body = JSON.stringify({ jobId: job.id, scheduledAt: new Date(scheduledAt).toISOString(), trigger, attempt });
    const sending = transport.post({
      url: job.spec.api,
      timeoutMs: job.spec.timeoutMs,
      headers: { 'content-type': 'application/json', 'idempotency-key': key, 'user-agent': USER_AGENT, ...this.#options.sign?.(key, body) },
      body,
    });
    // Announced once the call is on its way: listeners never delay the fires after it in a burst.
    events.emit('execution:started', { jobId: job.id, scheduledAt, startedAt, attempt, trigger });
    const result = await sending;
    this.#inFlight--;
    this.#finish(occurrence, startedAt, result);
    this.#drain();
  }

  #finish(occurrence: Occurrence, startedAt: number, result: OutboundResult): void {
    const { job, scheduledAt, trigger, attempt } = occurrence;
    const now = this.#options.clock.now();
    const success = result.error === null && result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const final = success || job.removed || attempt >= job.spec.maxAttempts || !isRetryable(result.statusCode);
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
      error: success ? null : (result.error ?? `HTTP ${result.statusCode}`),
      cursorAt: final && movesCursor(trigger) ? job.settle(scheduledAt) : null,
    };
    this.#options.log.recordExecution(record);
    this.#options.events.emit('execution:finished', record);
    if (!final) {
      this.#scheduleRetry(occurrence, retryDelay(attempt + 1, result.retryAfter ?? null, now, this.#random));
    } else if (!success && job.spec.alertWebhook !== null) {
      this.#options.alerter.jobFailed(job.spec, record);
    }
  }

  #scheduleRetry(occurrence: Occurrence, delayMs: number): void {
    this.#retries++;
    const cancel = this.#options.clock.setTimer(() => {
      this.#retryTimers.delete(cancel);
      if (!occurrence.job.removed) this.dispatch({ ...occurrence, attempt: occurrence.attempt + 1 });
    }, delayMs);
    this.#retryTimers.add(cancel);
  }

  #drain(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head]!;
      this.#head++;
      void this.#run(next);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      if (this.#inFlight === 0) {
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      }
    }
  }
}
