import { JobNotFoundError } from '../../../domain/errors.ts';
import type { Trigger } from '../../../domain/occurrence.ts';
import type { FeedSelectors } from '../../../service/event-feed.ts';
import { builder } from '../builder.ts';
import type { GraphqlContext } from '../context.ts';
import { ExecutionTrigger } from './execution.ts';
import { Job } from './job.ts';

const EXECUTION_EVENT_TYPES = ['STARTED', 'SUCCEEDED', 'FAILED'] as const;
const JOB_EVENT_TYPES = ['CREATED', 'UPDATED', 'PAUSED', 'RESUMED', 'DELETED'] as const;

interface ExecutionEventShape {
  type: (typeof EXECUTION_EVENT_TYPES)[number];
  jobId: string;
  scheduledAt: number;
  startedAt: number;
  trigger: Trigger;
  attempt: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
}

interface JobEventShape {
  type: (typeof JOB_EVENT_TYPES)[number];
  jobId: string;
}

const ExecutionEventType = builder.enumType('ExecutionEventType', { values: EXECUTION_EVENT_TYPES });
const JobEventType = builder.enumType('JobEventType', { values: JOB_EVENT_TYPES });

const ExecutionEvent = builder.objectRef<ExecutionEventShape>('ExecutionEvent').implement({
  fields: (t) => ({
    type: t.field({ type: ExecutionEventType, resolve: (event) => event.type }),
    jobId: t.exposeID('jobId'),
    scheduledAt: t.field({ type: 'DateTime', resolve: (event) => event.scheduledAt }),
    startedAt: t.field({ type: 'DateTime', resolve: (event) => event.startedAt }),
    trigger: t.field({ type: ExecutionTrigger, resolve: (event) => event.trigger }),
    attempt: t.exposeInt('attempt'),
    statusCode: t.exposeInt('statusCode', { description: 'Null for STARTED and for network errors.', nullable: true }),
    durationMs: t.exposeInt('durationMs', { description: 'Null for STARTED.', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const JobEvent = builder.objectRef<JobEventShape>('JobEvent').implement({
  fields: (t) => ({
    type: t.field({ type: JobEventType, resolve: (event) => event.type }),
    jobId: t.exposeID('jobId'),
    job: t.field({
      description: 'Null for DELETED.',
      type: Job,
      nullable: true,
      resolve: (event, _args, ctx) => (event.type === 'DELETED' ? null : ctx.jobs.findJob(event.jobId)),
    }),
  }),
});

const jobEvent = (type: JobEventShape['type']) => (payload: { jobId: string }): JobEventShape => ({ type, jobId: payload.jobId });

/** Most events in one batch of executionEventBatches. */
const EVENT_BATCH_LIMIT = 5_000;

/** The execution events of one job (or all jobs) as the subscriptions deliver them; throws NOT_FOUND for an unknown job. */
async function executionSelectors(jobIdArg: string | number | null | undefined, ctx: GraphqlContext): Promise<FeedSelectors<ExecutionEventShape>> {
  const jobId = jobIdArg === null || jobIdArg === undefined ? null : String(jobIdArg);
  if (jobId !== null && (await ctx.loadJob(jobId)) === null) throw new JobNotFoundError(jobId);
  const wanted = (id: string) => jobId === null || id === jobId;
  // Built as literals: spreading the payloads cost about 5 µs an event (V8 copies them property by
  // property), paid for every execution while anyone watches.
  return {
    'execution:started': (started) =>
      wanted(started.jobId)
        ? {
            type: 'STARTED',
            jobId: started.jobId,
            scheduledAt: started.scheduledAt,
            startedAt: started.startedAt,
            trigger: started.trigger,
            attempt: started.attempt,
            statusCode: null,
            durationMs: null,
            error: null,
          }
        : null,
    'execution:finished': (finished) =>
      wanted(finished.jobId)
        ? {
            type: finished.success ? 'SUCCEEDED' : 'FAILED',
            jobId: finished.jobId,
            scheduledAt: finished.scheduledAt,
            startedAt: finished.startedAt,
            trigger: finished.trigger,
            attempt: finished.attempt,
            statusCode: finished.statusCode,
            durationMs: finished.durationMs,
            error: finished.error,
          }
        : null,
  };
}

builder.subscriptionFields((t) => ({
  executionEvents: t.field({
    description: 'STARTED, then SUCCEEDED or FAILED, for one job or (no jobId) all jobs.',
    type: ExecutionEvent,
    args: { jobId: t.arg.id() },
    subscribe: async (_root, args, ctx) => ctx.feed.subscribe(await executionSelectors(args.jobId, ctx)),
    resolve: (event) => event,
  }),
  executionEventBatches: t.field({
    description: `The same events as executionEvents, in batches: what happened since the last batch, up to ${EVENT_BATCH_LIMIT.toLocaleString('en-US')} events, delivered between the engine's bursts. One message per burst instead of one per event: the subscription to follow every execution at thousands of fires a second.`,
    type: [ExecutionEvent],
    args: { jobId: t.arg.id() },
    subscribe: async (_root, args, ctx) => ctx.feed.subscribeBatches(await executionSelectors(args.jobId, ctx), EVENT_BATCH_LIMIT),
    resolve: (events) => events,
  }),
  jobEvents: t.field({
    type: JobEvent,
    subscribe: (_root, _args, ctx) =>
      ctx.feed.subscribe<JobEventShape>({
        'job:created': jobEvent('CREATED'),
        'job:updated': jobEvent('UPDATED'),
        'job:paused': jobEvent('PAUSED'),
        'job:resumed': jobEvent('RESUMED'),
        'job:deleted': jobEvent('DELETED'),
      }),
    resolve: (event) => event,
  }),
}));
