import type { Alerter } from '../engine/alerter.ts';
import type { Clock } from '../engine/clock.ts';
import type { Dispatcher } from '../engine/dispatcher.ts';
import type { Scheduler } from '../engine/scheduler.ts';
import type { ExecutionWriter } from '../store/execution-writer.ts';
import type { JobRepository } from '../store/job-repository.ts';
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
      staleHeapEntries: scheduler.staleEntries,
      earlyTimerWakes: scheduler.earlyWakes,
      writes: {
        queued: writer.queued,
        written: writer.written,
        dropped: writer.dropped,
        batches: writer.batches,
        lastBatchMs: writer.lastBatchMs,
        failedFlushes: writer.failedFlushes,
      },
      alerts: alerter,
      subscriptions: this.deps.feed.stats,
    };
  }
}
