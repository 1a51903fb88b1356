import type { ExecutionRecord, Trigger } from '../domain/occurrence.ts';
import { idempotencyKey } from '../domain/occurrence.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events.ts';
import type { JobRuntime } from './job-runtime.ts';
import type { Transport } from './transport.ts';
import type { ExecutionLog } from './execution-log.ts';
import type { Alerter } from './alerter.ts';

/** An occurrence on its way out. */
export interface Occurrence {
  job: JobRuntime;
  scheduledAt: number;
  trigger: Trigger;
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
}

export interface DispatcherStats {
  inFlight: number;
  queued: number;
  rejected: number;
}

const USER_AGENT = 'Zeitgeber/0.1';

/**
 * Sends occurrences with bounded concurrency. `dispatch` never blocks and never throws: each
 * occurrence ends in exactly one ExecutionRecord handed to the log, success or failure.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  #inFlight = 0;
  #rejected = 0;
  /** FIFO with a moving head: shift() on a long array is O(n). */
  #queue: Occurrence[] = [];
  #head = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DispatcherOptions) {
    this.#options = options;
  }

  get stats(): DispatcherStats {
    return { inFlight: this.#inFlight, queued: this.#queue.length - this.#head, rejected: this.#rejected };
  }

  dispatch(occurrence: Occurrence): void {
    if (occurrence.trigger !== 'MANUAL') occurrence.job.begin(occurrence.scheduledAt);
    if (this.#inFlight < this.#options.maxInFlight) {
      void this.#run(occurrence);
      return;
    }
    if (this.#queue.length - this.#head >= this.#options.maxQueued) {
      this.#rejected++;
      const now = this.#options.clock.now();
      this.#finish(occurrence, now, { statusCode: null, error: 'dispatch queue full' });
      return;
    }
    this.#queue.push(occurrence);
  }

  /** Resolves once nothing is in flight or queued. */
  idle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === this.#head) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #run(occurrence: Occurrence): Promise<void> {
    const { job, scheduledAt, trigger } = occurrence;
    const { clock, events, transport } = this.#options;
    this.#inFlight++;
    const startedAt = clock.now();
    events.emit('execution:started', { jobId: job.id, scheduledAt, startedAt, attempt: 1, trigger });
    const result = await transport.post({
      url: job.spec.api,
      timeoutMs: job.spec.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey(job.id, scheduledAt),
        'user-agent': USER_AGENT,
      },
      body: JSON.stringify({ jobId: job.id, scheduledAt: new Date(scheduledAt).toISOString(), trigger, attempt: 1 }),
    });
    this.#inFlight--;
    this.#finish(occurrence, startedAt, result);
    this.#drain();
  }

  #finish(occurrence: Occurrence, startedAt: number, result: { statusCode: number | null; error: string | null }): void {
    const { job, scheduledAt, trigger } = occurrence;
    const success = result.error === null && result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const record: ExecutionRecord = {
      jobId: job.id,
      scheduledAt,
      startedAt,
      durationMs: Math.max(0, this.#options.clock.now() - startedAt),
      attempt: 1,
      trigger,
      statusCode: result.statusCode,
      success,
      error: success ? null : (result.error ?? `HTTP ${result.statusCode}`),
      cursorAt: trigger === 'MANUAL' ? null : job.settle(scheduledAt),
    };
    this.#options.log.recordExecution(record);
    this.#options.events.emit('execution:finished', record);
    if (!success && job.spec.alertWebhook !== null) this.#options.alerter.jobFailed(job.spec, record);
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
