import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES } from '../domain/occurrence.ts';
import type { AlerterStats } from '../engine/alerter.ts';
import type { DispatcherStats } from '../engine/dispatcher.ts';
import type { EventBus } from '../engine/events.ts';
import type { SchedulerStats } from '../engine/scheduler.ts';
import type { ExecutionWriterStats } from '../store/execution-writer.ts';
import type { RetentionStats } from '../store/retention.ts';
import type { AuditStats } from './audit-service.ts';
import { DEFAULT_MAX_DEFER_MS, type PacerStats } from './engine-pacer.ts';
import type { EventFeedStats } from './event-feed.ts';
import { TalliedHistogram } from './tallied-histogram.ts';

/** The parts whose figures are read at scrape time. */
export interface MetricSources {
  scheduler: { readonly stats: SchedulerStats };
  dispatcher: { readonly stats: DispatcherStats; openCircuits(): string[] };
  writer: { readonly stats: ExecutionWriterStats };
  alerter: { readonly stats: AlerterStats };
  feed: { readonly stats: EventFeedStats };
  retention: { readonly stats: RetentionStats };
  audit: { readonly stats: AuditStats };
  /** Scavenges of the young generation made between bursts (IdleCollector). */
  collector: { readonly collections: number };
  /** The API's work held for the engine's quiet moments (EnginePacer). */
  pacer: { readonly stats: PacerStats };
}

/** Seconds buckets from 1 ms to 30 s: fire lag and batch latency live at the low end, calls anywhere. */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A counter that follows a total kept elsewhere, adding what it grew by since the last scrape. */
function followingCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  let seen = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const total = read();
      if (total > seen) this.inc(total - seen);
      seen = total;
    },
  });
}

function gauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/**
 * The Prometheus view of the service (prom-client, its own registry). Counts and histograms are
 * fed by the EventBus as things happen (the per-fire ones as plain tallies, rendered at scrape
 * time); gauges and the totals kept by the engine are read from its stats at scrape time.
 * `stop()` unsubscribes from the bus.
 */
export function createPrometheusMetrics(events: EventBus, sources: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zeitgeber_' });

  // What happens at every fire is counted in plain numbers and handed to prom-client (or rendered)
  // at scrape time: the engine's thread pays a few increments per fire, not a label lookup.
  const outcomes = { SUCCEEDED: 0, FAILED: 0, UNKNOWN: 0 };
  const reported = { SUCCEEDED: 0, FAILED: 0, UNKNOWN: 0 };
  new Counter({
    name: 'zeitgeber_executions_total',
    help: 'Executions by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      for (const outcome of OUTCOMES) {
        this.inc({ outcome }, outcomes[outcome] - reported[outcome]);
        reported[outcome] = outcomes[outcome];
      }
    },
  });
  const duration = new TalliedHistogram(
    'zeitgeber_execution_duration_seconds',
    'Duration of job calls, from sending to the answer (or the failure).',
    SECONDS_BUCKETS,
  );
  const lag = new TalliedHistogram(
    'zeitgeber_fire_lag_seconds',
    'Delay from the scheduled instant to the start of the first attempt (scheduled fires).',
    SECONDS_BUCKETS,
  );
  const batch = new Histogram({
    name: 'zeitgeber_write_batch_seconds',
    help: 'Latency of one group commit of execution records.',
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const persisted = new Counter({ name: 'zeitgeber_executions_persisted_total', help: 'Execution records written to the database.', registers: [registry] });
  const alerts = new Counter({ name: 'zeitgeber_alerts_total', help: 'Alert deliveries by result.', labelNames: ['result'], registers: [registry] });

  const { scheduler, dispatcher, writer, alerter, feed, retention, audit, collector, pacer } = sources;
  followingCounter(registry, 'zeitgeber_fires_total', 'Scheduled fires since start.', () => scheduler.stats.fires);
  followingCounter(registry, 'zeitgeber_rejected_fires_total', 'Fires failed at once because the dispatch queue was full.', () => dispatcher.stats.rejected);
  followingCounter(registry, 'zeitgeber_retries_total', 'Retries scheduled for at-least-once calls.', () => dispatcher.stats.retries);
  followingCounter(registry, 'zeitgeber_dropped_events_total', 'Live events dropped because a subscriber fell behind.', () => feed.stats.droppedEvents);
  followingCounter(registry, 'zeitgeber_retention_deleted_total', 'History rows removed by the retention pruner.', () => retention.stats.deleted);
  followingCounter(registry, 'zeitgeber_write_dropped_total', 'Execution records dropped while the database refused writes.', () => writer.stats.dropped);
  followingCounter(registry, 'zeitgeber_alerts_dropped_total', 'Alerts dropped because the alert queue was full.', () => alerter.stats.dropped);
  followingCounter(registry, 'zeitgeber_idle_collections_total', 'Scavenges of the young generation made shortly before fires, so that bursts run without them.', () => collector.collections);
  followingCounter(registry, 'zeitgeber_api_deferred_total', 'API requests and audit slices that waited for a quiet moment of the engine (live-event fan-out has a gate of its own).', () => pacer.stats.deferred);
  followingCounter(registry, 'zeitgeber_api_overdue_total', `API requests and audit slices that waited the longest deferral (${DEFAULT_MAX_DEFER_MS} ms) and were let go then, quiet or not.`, () => pacer.stats.overdue);
  gauge(registry, 'zeitgeber_in_flight_calls', 'Job calls in flight.', () => dispatcher.stats.inFlight);
  gauge(registry, 'zeitgeber_queued_fires', 'Fires waiting for a free call slot.', () => dispatcher.stats.queued);
  gauge(registry, 'zeitgeber_write_queue_depth', 'Execution records waiting to be written.', () => writer.stats.queued);
  gauge(registry, 'zeitgeber_subscribers', 'Live subscriptions open.', () => feed.stats.subscribers);
  gauge(registry, 'zeitgeber_subscription_sources', 'Distinct subscription operations executed; subscribers of one operation share one.', () => feed.stats.sharedSources);
  gauge(registry, 'zeitgeber_jobs', 'Jobs known to the scheduler.', () => scheduler.stats.jobs);
  gauge(registry, 'zeitgeber_active_jobs', 'Jobs that are not paused.', () => scheduler.stats.activeJobs);
  followingCounter(registry, 'zeitgeber_circuits_opened_total', 'Times a target origin\'s circuit opened (after failures in a row, or a failed probe).', () => dispatcher.stats.circuitsOpened);
  gauge(registry, 'zeitgeber_open_circuits', 'Target origins whose circuit is open: their calls fail at once, unsent.', () => dispatcher.stats.openCircuits);
  new Gauge({
    name: 'zeitgeber_circuit_open',
    help: '1 for each target origin whose circuit is open now (only open ones are listed).',
    labelNames: ['origin'],
    registers: [registry],
    collect() {
      this.reset();
      for (const origin of dispatcher.openCircuits()) this.set({ origin }, 1);
    },
  });
  gauge(registry, 'zeitgeber_alerts_queued', 'Alerts waiting to be delivered.', () => alerter.stats.queued);
  gauge(
    registry,
    'zeitgeber_unaccounted_occurrences',
    'Due occurrences the self-audit found with neither an execution nor a skip record (latest round over all jobs); must stay 0.',
    () => audit.stats.unaccountedOccurrences,
  );

  const unsubscribe = [
    events.on('execution:finished', (record) => {
      outcomes[record.outcome]++;
      duration.observe(record.durationMs);
    }),
    events.on('execution:started', (started) => {
      if (started.attempt === 1 && started.trigger === 'SCHEDULE') lag.observe(Math.max(0, started.startedAt - started.scheduledAt));
    }),
    events.on('executions:persisted', ({ count, batchMs }) => {
      persisted.inc(count);
      batch.observe(batchMs / 1_000);
    }),
    events.on('alert:delivered', (record) => alerts.inc({ result: record.success ? 'delivered' : 'failed' })),
  ];

  return {
    /** The content type of `render()`'s text: Prometheus' text exposition format 0.0.4. */
    contentType: registry.contentType,
    render: async () => `${await registry.metrics()}\n${duration.render()}\n${lag.render()}`,
    stop(): void {
      for (const off of unsubscribe) off();
    },
  };
}
