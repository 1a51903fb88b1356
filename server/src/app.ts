import type { Server } from 'node:http';
import { Alerter } from './engine/alerter.ts';
import { systemClock, type Clock } from './engine/clock.ts';
import { Dispatcher } from './engine/dispatcher.ts';
import { EventBus } from './engine/events.ts';
import { JobHealth } from './engine/job-health.ts';
import { Scheduler } from './engine/scheduler.ts';
import type { Transport } from './engine/transport.ts';
import { createGuardedAgents, createTargetGuard } from './engine/target-guard.ts';
import { createGotTransport } from './engine/got-transport.ts';
import { createUndiciTransport } from './engine/undici-transport.ts';
import { createWebhookSigner } from './domain/webhook-signature.ts';
import { createGraphqlApi, GRAPHQL_PATH } from './api/graphql/create-graphql-api.ts';
import { attachGraphqlWebSocket } from './api/graphql/graphql-websocket.ts';
import { createRestRoutes } from './api/rest/rest-routes.ts';
import { ApiGuard } from './http/auth.ts';
import { createDashboardHandler } from './http/dashboard.ts';
import { closeServer, createHttpServer, listen } from './http/server.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { AuditService } from './service/audit-service.ts';
import { logEngineEvents } from './service/engine-log.ts';
import { EnginePacer } from './service/engine-pacer.ts';
import { EventFeed } from './service/event-feed.ts';
import { IdleCollector, minorCollector } from './service/idle-collector.ts';
import { JobService } from './service/job-service.ts';
import { createPrometheusMetrics } from './service/prometheus-metrics.ts';
import { StatusService } from './service/status-service.ts';
import { createTargetCheck } from './service/target-check.ts';
import { openDatabase } from './store/database.ts';
import { ExecutionWriter } from './store/execution-writer.ts';
import { JobRepository } from './store/job-repository.ts';
import { RetentionPruner } from './store/retention.ts';
import { WAL_AUTOCHECKPOINT_DEFAULT, WAL_AUTOCHECKPOINT_OFF, WriterThread } from './store/writer-thread.ts';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** The per-fire HTTP client; undici's Pool per origin unless given. */
  transport?: Transport;
  migrationsDir?: string;
  /** The dashboard's built files; web/dist unless given. */
  dashboardDir?: string;
}

export interface App {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  port: number;
  events: EventBus;
  jobs: JobService;
  /** Stops firing, lets calls in flight finish within the grace period, flushes every write, closes. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Whether a listen address only takes connections from this machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The composition root: opens (and migrates) the database, wires the engine, the service and the
 * transports, restores every job and starts listening. Each part is stopped in reverse order.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const database = openDatabase(config.DATABASE_URL, options.migrationsDir, config.SQLITE_BUSY_TIMEOUT_MS);
  if (database.migration.applied.length > 0) {
    logger.info({ applied: database.migration.applied, path: database.path }, 'database migrated');
  }
  const events = new EventBus((error, event) => logger.error({ err: error, event }, 'event listener failed'));
  const stopEngineLog = logEngineEvents(events, logger);
  const sign = config.SIGNING_SECRET === undefined ? undefined : createWebhookSigner(config.SIGNING_SECRET, () => clock.now());
  const targetGuard = createTargetGuard(config.TARGET_POLICY);
  const alertAgents = targetGuard ? createGuardedAgents(targetGuard) : null;
  const writerThread =
    config.WRITER_THREAD === 1
      ? new WriterThread(
          { path: database.path, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS },
          {
            onLost: (error) => {
              logger.error({ err: error }, "writer thread stopped: its writes go on on the engine's thread");
              database.setAutocheckpoint(WAL_AUTOCHECKPOINT_DEFAULT).catch((failure: unknown) => logger.error({ err: failure }, 'automatic checkpoints not restored'));
            },
            onCheckpointFailed: (error) => logger.warn({ err: error }, 'WAL checkpoint failed; the next one tries again'),
          },
        )
      : null;
  // The thread checkpoints the WAL: no connection of the engine's thread copies it into the file itself.
  if (writerThread) await database.setAutocheckpoint(WAL_AUTOCHECKPOINT_OFF);
  const writer = new ExecutionWriter(database.sqlite, events, {
    flushIntervalMs: config.WRITE_FLUSH_MS,
    maxBatch: config.WRITE_MAX_BATCH,
    maxQueued: config.WRITE_MAX_QUEUED,
    thread: writerThread,
    msUntilNextFire: () => scheduler.msUntilNextFire(),
    onFlushError: (error) => logger.error({ err: error }, 'execution batch not written; it stays queued and is retried'),
  });
  const alerter = new Alerter({
    log: writer,
    events,
    clock,
    concurrency: config.ALERT_CONCURRENCY,
    maxQueued: config.ALERT_MAX_QUEUED,
    timeoutMs: config.ALERT_TIMEOUT_MS,
    retries: config.ALERT_RETRIES,
    onDeliveryFailed: (record) => logger.warn({ jobId: record.jobId, url: record.url, error: record.error }, 'alert delivery failed'),
    sign,
    ...(alertAgents ? { agent: { http: alertAgents.http, https: alertAgents.https } } : {}),
  });
  const health = new JobHealth({
    alerter,
    clock,
    pauseJob: (jobId, reason) => jobs.pauseJobForReason(jobId, reason),
    onPauseFailed: (jobId, error) => logger.error({ jobId, err: error }, 'job not paused; it is paused at a later failure'),
  });
  const transportOptions = { connectionsPerOrigin: config.CONNECTIONS_PER_ORIGIN, guard: targetGuard };
  const transport = options.transport ?? (config.TRANSPORT === 'got' ? createGotTransport(transportOptions) : createUndiciTransport(transportOptions));
  const dispatcher = new Dispatcher({
    transport,
    log: writer,
    events,
    clock,
    alerter,
    health,
    maxInFlight: config.MAX_IN_FLIGHT,
    maxInFlightPerOrigin: config.MAX_IN_FLIGHT_PER_HOST,
    maxQueued: config.MAX_QUEUED_FIRES,
    breaker: { failureThreshold: config.BREAKER_FAILURES, cooldownMs: config.BREAKER_COOLDOWN_MS },
    sign,
  });
  const scheduler = new Scheduler({ clock, dispatcher, log: writer, events, maxWaitMs: 1_000 });
  const repository = new JobRepository(database.prisma, database.sqlite, writerThread);
  const pacer = new EnginePacer({ msUntilNextFire: () => scheduler.msUntilNextFire(), events });
  const collector = new IdleCollector({ isQuiet: () => pacer.isQuiet(), msUntilNextFire: () => scheduler.msUntilNextFire(), collect: minorCollector() });
  if (!collector.enabled) logger.warn('V8 gives no gc function: young-generation scavenges stay where V8 puts them, bursts of fires included');
  const jobs = new JobService({ jobs: repository, scheduler, events, clock, defaultTimeoutMs: config.JOB_TIMEOUT_MS,
    outcomesWritten: () => writer.whenWritten(),
    pace: () => pacer.whenQuiet(),
    ...(targetGuard ? { checkTargets: createTargetCheck(targetGuard) } : {}),
  });
  const feed = new EventFeed(events, { pacer, maxSubscribers: config.SUBSCRIBERS_MAX });
  const retention = new RetentionPruner(database.sqlite, {
    perJob: config.RETENTION_PER_JOB,
    maxAgeMs: config.RETENTION_MAX_AGE_HOURS * 3_600_000,
    batchSize: 1_000,
    jobsPerRun: 200,
    now: () => clock.now(),
  }, writerThread);
  const audit = new AuditService({
    jobs: repository,
    engine: {
      fireOccurrence: (jobId, at, trigger) => scheduler.fireOccurrence(jobId, at, trigger),
      accountedUpTo: (jobId) => scheduler.get(jobId)?.accountedUpTo ?? Number.NEGATIVE_INFINITY,
    },
    clock,
    pace: () => pacer.whenQuiet(),
    graceMs: config.AUDIT_GRACE_MS,
    jobsPerPass: config.AUDIT_JOBS_PER_PASS,
    backfillRatePerSecond: config.BACKFILL_RATE_PER_SECOND,
    retention: { maxAgeMs: config.RETENTION_MAX_AGE_HOURS * 3_600_000, perJob: config.RETENTION_PER_JOB },
    onMissing: (jobId, missing) =>
      logger.error({ jobId, count: missing.length, scheduledAt: new Date(missing[0]!).toISOString() }, 'occurrences without any outcome: neither executed nor recorded as skipped'),
    onError: (error) => logger.error({ err: error }, 'self-audit pass failed; the next one tries again'),
  });
  const status = new StatusService({
    clock,
    startedAt,
    scheduler,
    dispatcher,
    writer,
    alerter,
    jobs: repository,
    feed,
    retention,
    audit,
    collector,
    pacer,
    pingDatabase: () => database.sqlite.prepare('SELECT 1').get(),
    maxLagMs: config.READY_MAX_LAG_MS,
  });
  const prometheus = createPrometheusMetrics(events, { scheduler, dispatcher, writer, alerter, feed, retention, audit, collector, pacer });
  const guard = new ApiGuard({
    readWriteTokens: config.API_TOKEN,
    readOnlyTokens: config.API_READ_TOKEN,
    changesPerMinute: config.MUTATION_RATE_PER_MINUTE,
    now: () => clock.now(),
  });
  const graphql = createGraphqlApi({ jobs, status, feed, audit, logger, guard, maxDepth: config.GRAPHQL_MAX_DEPTH, maxCost: config.GRAPHQL_MAX_COST });

  health.restoreStreaks(repository.failureStreaks());
  const stopMissedAlerts = health.watchSkips(events, (jobId) => scheduler.get(jobId));
  // The engine runs while jobs are restored: the first ones fire on time before the last are read.
  scheduler.start();
  collector.start();
  const restored = await jobs.restoreAll((jobId, error) => logger.error({ jobId, err: error }, 'stored job cannot be scheduled'));
  retention.start(
    config.RETENTION_INTERVAL_MS,
    (error) => logger.error({ err: error }, 'retention pass failed; the next one tries again'),
    () => scheduler.msUntilNextFire() < 100,
  );
  audit.start(config.AUDIT_INTERVAL_MS);
  const server: Server = createHttpServer({
    graphql: { path: GRAPHQL_PATH, handle: graphql.handle },
    rest: createRestRoutes({
      jobs,
      status,
      prometheus,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      metricsAccess: config.METRICS_REQUIRE_TOKEN === 1 ? 'read' : 'open',
    }),
    dashboard: createDashboardHandler(options.dashboardDir),
    guard,
    graphqlBodyLimitBytes: config.GRAPHQL_BODY_LIMIT_BYTES,
    logger,
    pace: () => pacer.whenQuiet(),
  });
  const graphqlWebSocket = attachGraphqlWebSocket(server, graphql, guard, feed, config.GRAPHQL_BODY_LIMIT_BYTES);
  const address = await listen(server, config.PORT, config.HOST);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  logger.info({ url, jobs: restored, targetPolicy: config.TARGET_POLICY, signed: sign !== undefined, tokens: guard.enabled }, 'zeitgeber listening');
  if (!guard.enabled && !isLoopback(config.HOST)) {
    logger.warn(
      { host: config.HOST },
      `NO API TOKEN IS SET and the service listens on ${config.HOST}: anyone who can reach it can create, change and delete jobs. Set API_TOKEN (and API_READ_TOKEN), or HOST=127.0.0.1`,
    );
  }

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    scheduler.stop();
    retention.stop();
    audit.stop();
    feed.close();
    pacer.close();
    collector.stop();
    await graphqlWebSocket.close();
    const closing = closeServer(server);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.all([dispatcher.idle(), alerter.idle(), jobs.idle()]), grace]);
    // Intents beyond what is still unsettled are taken back: the stop was clean.
    await writer.close(scheduler.unsettledIntents());
    await writerThread?.close();
    server.closeAllConnections();
    await closing;
    await graphql.yoga.dispose();
    await transport.close();
    alertAgents?.destroy();
    prometheus.stop();
    stopMissedAlerts();
    stopEngineLog();
    await database.close();
    logger.info('zeitgeber stopped');
  }

  return {
    url,
    port: address.port,
    events,
    jobs,
    stop: () => (stopping ??= stop()),
    [Symbol.asyncDispose]: () => (stopping ??= stop()),
  };
}
