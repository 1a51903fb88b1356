import got from 'got';
import type { Agents } from 'got';
import type { JobSpec } from '../domain/job-spec.ts';
import { idempotencyKey, type AlertEvent, type AlertRecord, type ExecutionRecord } from '../domain/occurrence.ts';
import type { WebhookSigner } from '../domain/webhook-signature.ts';
import type { Clock } from './clock.ts';
import type { EventBus } from './events.ts';
import type { ExecutionLog } from './execution-log.ts';
import { describeNetworkError } from './transport.ts';

export interface AlerterOptions {
  log: ExecutionLog;
  events: EventBus;
  clock: Clock;
  /** Alert deliveries in flight at once. */
  concurrency: number;
  /** Alerts waiting to be sent; past this, new alerts are dropped and counted. */
  maxQueued: number;
  timeoutMs: number;
  /** Retries of a failed delivery (network error, 5xx, 429), with got's exponential backoff. */
  retries: number;
  onDeliveryFailed: (record: AlertRecord) => void;
  /** Signs each alert (Standard Webhooks headers, `webhook-id` `<idempotency key>:<event>`); unsigned without. */
  sign?: WebhookSigner;
  /** The agents deliveries connect through (the target policy's); Node's global agents without. */
  agent?: Agents;
}

export interface AlerterStats {
  queued: number;
  inFlight: number;
  dropped: number;
}

interface PendingAlert {
  id: string;
  jobId: string;
  event: AlertEvent;
  url: string;
  payload: Record<string, unknown>;
}

/**
 * Delivers alerts to job webhooks with got (retries and backoff are what it is good at; alert
 * volume is far below fire volume). Never blocks scheduling: alerts wait in a bounded queue,
 * every delivery is recorded with its event, and a failing webhook only produces a failed
 * AlertRecord.
 *
 * Every payload is JSON `{event, jobId, scheduledAt, details}`: `scheduledAt` is the occurrence
 * concerned (ISO 8601), `details` depends on the event (see JobHealth). JOB_FAILED also keeps its
 * original flat fields (api, scheduledTime, executionTime, statusCode, durationMs, error). Signed
 * deliveries carry `webhook-id` `<jobId>:<scheduledAt ms>:<event>`.
 */
export class Alerter {
  readonly #options: AlerterOptions;
  readonly #queue: PendingAlert[] = [];
  #inFlight = 0;
  #dropped = 0;
  #idleWaiters: Array<() => void> = [];
  readonly #client;

  constructor(options: AlerterOptions) {
    this.#options = options;
    this.#client = got.extend({
      timeout: { request: options.timeoutMs },
      retry: { limit: options.retries, methods: ['POST'], statusCodes: [429, 500, 502, 503, 504] },
      throwHttpErrors: false,
      headers: { 'user-agent': 'Zeitgeber/0.1' },
      ...(options.agent ? { agent: options.agent } : {}),
    });
  }

  get stats(): AlerterStats {
    return { queued: this.#queue.length, inFlight: this.#inFlight, dropped: this.#dropped };
  }

  /** Queues a JOB_FAILED alert for a failed execution of a job that has an alert webhook. */
  jobFailed(spec: JobSpec, record: ExecutionRecord): void {
    if (spec.alertWebhook === null) return;
    const details = { api: spec.api, statusCode: record.statusCode, durationMs: record.durationMs, error: record.error, attempt: record.attempt };
    this.notify(spec, record.jobId, 'JOB_FAILED', record.scheduledAt, details, {
      api: spec.api,
      scheduledTime: new Date(record.scheduledAt).toISOString(),
      executionTime: new Date(record.startedAt).toISOString(),
      statusCode: record.statusCode,
      durationMs: record.durationMs,
      error: record.error,
    });
  }

  /**
   * Queues an alert about the occurrence at `scheduledAt` to the job's webhook (none: nothing).
   * `flat` fields are added beside the standard ones.
   */
  notify(spec: JobSpec, jobId: string, event: AlertEvent, scheduledAt: number, details: Record<string, unknown>, flat: Record<string, unknown> = {}): void {
    if (spec.alertWebhook === null) return;
    if (this.#queue.length >= this.#options.maxQueued) {
      this.#dropped++;
      return;
    }
    this.#queue.push({
      id: `${idempotencyKey(jobId, scheduledAt)}:${event}`,
      jobId,
      event,
      url: spec.alertWebhook,
      payload: { event, jobId, scheduledAt: new Date(scheduledAt).toISOString(), details, ...flat },
    });
    this.#pump();
  }

  /** Resolves once no alert is queued or in flight. */
  idle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.#options.concurrency && this.#queue.length > 0) {
      void this.#deliver(this.#queue.shift()!);
    }
    if (this.#inFlight === 0 && this.#queue.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  async #deliver(alert: PendingAlert): Promise<void> {
    this.#inFlight++;
    const sentAt = this.#options.clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const body = JSON.stringify(alert.payload);
      const headers = { 'content-type': 'application/json', ...this.#options.sign?.(alert.id, body) };
      const response = await this.#client.post(alert.url, { body, headers });
      statusCode = response.statusCode;
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (caught: unknown) {
      error = describeNetworkError(caught, this.#options.timeoutMs);
    }
    const record: AlertRecord = {
      jobId: alert.jobId,
      event: alert.event,
      url: alert.url,
      sentAt,
      statusCode,
      success: error === null,
      error,
    };
    this.#options.log.recordAlert(record);
    this.#options.events.emit('alert:delivered', record);
    if (error !== null) this.#options.onDeliveryFailed(record);
    this.#inFlight--;
    this.#pump();
  }
}
