import type { StatusService } from '../../../service/status-service.ts';
import { builder } from '../builder.ts';

const Health = builder.objectRef<ReturnType<StatusService['health']>>('Health').implement({
  fields: (t) => ({
    status: t.exposeString('status'),
    uptimeSeconds: t.exposeFloat('uptimeSeconds'),
    activeJobs: t.exposeInt('activeJobs'),
    timestamp: t.field({ type: 'DateTime', resolve: (health) => Date.parse(health.timestamp) }),
  }),
});

const Metrics = builder.objectRef<Awaited<ReturnType<StatusService['metrics']>>>('Metrics').implement({
  fields: (t) => ({
    totalExecutions: t.exposeInt('totalExecutions'),
    successCount: t.exposeInt('successCount'),
    failureCount: t.exposeInt('failureCount'),
    jobs: t.exposeInt('jobs'),
    activeJobs: t.exposeInt('activeJobs'),
    fires: t.exposeInt('fires'),
    inFlight: t.exposeInt('inFlight'),
    queuedFires: t.exposeInt('queuedFires'),
    fireLagP50Ms: t.float({ nullable: true, resolve: (metrics) => metrics.fireLagMs.p50 }),
    fireLagP99Ms: t.float({ nullable: true, resolve: (metrics) => metrics.fireLagMs.p99 }),
    fireLagMaxMs: t.float({ nullable: true, resolve: (metrics) => metrics.fireLagMs.max }),
    subscribers: t.int({ resolve: (metrics) => metrics.subscriptions.subscribers }),
    droppedEvents: t.int({ resolve: (metrics) => metrics.subscriptions.droppedEvents }),
    subscriptionSources: t.int({
      description: 'Distinct subscription operations being executed: subscribers of the same operation share one.',
      resolve: (metrics) => metrics.subscriptions.sharedSources,
    }),
  }),
});

builder.queryFields((t) => ({
  health: t.field({ type: Health, resolve: (_root, _args, ctx) => ctx.status.health() }),
  metrics: t.field({ type: Metrics, resolve: (_root, _args, ctx) => ctx.status.metrics() }),
}));
