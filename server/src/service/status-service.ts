import type { Alerter } from '../engine/alerter.ts';
import type { Clock } from '../engine/clock.ts';
import type { Dispatcher } from '../engine/dispatcher.ts';
import type { Scheduler } from '../engine/scheduler.ts';
import type { ExecutionWriter } from '../store/execution-writer.ts';
import type { JobRepository } from '../store/job-repository.ts';
import type { RetentionStats } from '../store/retention.ts';
import type { AuditStats } from './audit-service.ts';
import type { PacerStats } from './engine-pacer.ts';
import type { EventFeedStats } from './event-feed.ts';

export interface StatusDeps {
  clock: Clock;
  startedAt: number;
  scheduler: Scheduler;
  dispatcher: Dispatcher;
  writer: ExecutionWriter;
  alerter: Alerter;
  jobs: JobRepository;
  /** The live subscriptions' fan-out. */
  feed: { readonly stats: EventFeedStats };
  retention: { readonly stats: RetentionStats };
  /** The self-audit of occurrences. */
  audit: { readonly stats: AuditStats };
  /** Scavenges of the young generation made between bursts (IdleCollector). */
  collector: { readonly collections: number };
  /** The API's work held for the engine's quiet moments (EnginePacer). */
  pacer: { readonly stats: PacerStats };
  /** Throws when the database cannot answer a trivial read. */
  pingDatabase: () => void;
  /** Fire lag p99 above which the service is not ready. */
  maxLagMs: number;
}

export interface Readiness {
  ready: boolean;
  checks: { database: string; writes: string; engine: string };
}

/** Health and metrics: what an operator (or a load balancer) asks of the service. */
export class StatusService {
  constructor(private readonly deps: StatusDeps) {}

  health() {
    const now = this.deps.clock.now();
    return {
      status: 'OK' as const,
      uptimeSeconds: (now - this.deps.startedAt) / 1000,
      activeJobs: this.deps.scheduler.stats.activeJobs,
      timestamp: new Date(now).toISOString(),
    };
  }

  /**
   * Whether the service can do its job now: the database answers, the last batch of executions
   * was written, and fires are not running late. A load balancer takes it out of rotation while not.
   */
  readiness(): Readiness {
    let database = 'ok';
    try {
      this.deps.pingDatabase();
    } catch (error: unknown) {
      database = `failing: ${error instanceof Error ? error.message : String(error)}`;
    }
    const writer = this.deps.writer.stats;
    const writes = writer.failing ? `failing: ${writer.queued} records waiting for the database` : 'ok';
    const lag = this.deps.scheduler.stats.lagP99Ms;
    const engine = lag !== null && lag > this.deps.maxLagMs ? `lagging: fire lag p99 ${lag} ms > ${this.deps.maxLagMs} ms` : 'ok';
    return { ready: database === 'ok' && writes === 'ok' && engine === 'ok', checks: { database, writes, engine } };
  }

  /**
   * The documented totals (from the jobs' maintained counters, so they survive restarts), then
   * the engine's own figures since start.
   */
  async metrics() {
    const totals = await this.deps.jobs.totals();
    const scheduler = this.deps.scheduler.stats;
    const dispatcher = this.deps.dispatcher.stats;
    const writer = this.deps.writer.stats;
    const alerter = this.deps.alerter.stats;
    return {
      totalExecutions: totals.total,
      successCount: totals.successes,
      failureCount: totals.failures,
      jobs: scheduler.jobs,
      activeJobs: scheduler.activeJobs,
      uptimeSeconds: (this.deps.clock.now() - this.deps.startedAt) / 1000,
      fires: scheduler.fires,
      fireLagMs: { p50: scheduler.lagP50Ms, p99: scheduler.lagP99Ms, max: scheduler.lagMaxMs },
      inFlight: dispatcher.inFlight,
      queuedFires: dispatcher.queued,
      rejectedFires: dispatcher.rejected,
      retries: dispatcher.retries,
      retriesWaiting: dispatcher.retriesWaiting,
      circuits: { open: this.deps.dispatcher.openCircuits(), opened: dispatcher.circuitsOpened },
      staleHeapEntries: scheduler.staleEntries,
      earlyTimerWakes: scheduler.earlyWakes,
      idleCollections: this.deps.collector.collections,
      apiPacing: this.deps.pacer.stats,
      writes: {
        queued: writer.queued,
        written: writer.written,
        dropped: writer.dropped,
        batches: writer.batches,
        lastBatchMs: writer.lastBatchMs,
        failedFlushes: writer.failedFlushes,
        failing: writer.failing,
      },
      retention: this.deps.retention.stats,
      audit: this.deps.audit.stats,
      alerts: alerter,
      subscriptions: this.deps.feed.stats,
    };
  }
}
