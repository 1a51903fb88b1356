import { OUTCOMES, TRIGGERS, type Outcome } from '../../../domain/occurrence.ts';
import type { PageArgs } from '../../../service/job-service.ts';
import type { ExecutionFilter, StoredExecution } from '../../../store/job-repository.ts';
import type { GraphqlContext } from '../context.ts';
import { builder } from '../builder.ts';
import { Job } from './job.ts';
import { PageInfo, toConnection, type PageInfoShape } from './page-info.ts';

const ExecutionOutcome = builder.enumType('ExecutionOutcome', {
  description: 'UNKNOWN: an at-most-once call that may have been sent when the service stopped; it is never sent again.',
  values: OUTCOMES,
});
export const ExecutionTrigger = builder.enumType('ExecutionTrigger', {
  values: TRIGGERS,
});

const Execution = builder.objectRef<StoredExecution>('Execution').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    jobId: t.exposeID('jobId'),
    job: t.field({
      description: 'Null once the job is deleted.',
      type: Job,
      nullable: true,
      resolve: (execution, _args, ctx) => ctx.loadJob(execution.jobId),
    }),
    scheduledAt: t.field({ type: 'DateTime', resolve: (execution) => execution.scheduledAt }),
    startedAt: t.field({ type: 'DateTime', resolve: (execution) => execution.startedAt }),
    lagMs: t.int({ description: 'startedAt - scheduledAt in ms.', resolve: (execution) => execution.startedAt - execution.scheduledAt }),
    statusCode: t.exposeInt('statusCode', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
    success: t.exposeBoolean('success'),
    outcome: t.field({ type: ExecutionOutcome, resolve: (execution) => execution.outcome }),
    error: t.exposeString('error', { nullable: true }),
    responseSnippet: t.exposeString('responseSnippet', {
      description: 'The first 1,024 characters of the response body, kept when the body was read: a failed attempt, or a job with a successBodyPattern.',
      nullable: true,
    }),
    attempt: t.exposeInt('attempt'),
    trigger: t.field({ type: ExecutionTrigger, resolve: (execution) => execution.trigger }),
  }),
});

const ExecutionEdge = builder.objectRef<{ cursor: string; node: StoredExecution }>('ExecutionEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: Execution, resolve: (edge) => edge.node }),
  }),
});

const ExecutionConnection = builder
  .objectRef<{ edges: Array<{ cursor: string; node: StoredExecution }>; pageInfo: PageInfoShape }>('ExecutionConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [ExecutionEdge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection.pageInfo }),
    }),
  });

interface ExecutionArgs extends PageArgs {
  outcome?: Outcome | null | undefined;
  from?: number | null | undefined;
  to?: number | null | undefined;
}

async function executionConnection(ctx: GraphqlContext, jobId: string | undefined, args: ExecutionArgs) {
  const filter: ExecutionFilter = {
    jobId,
    outcome: args.outcome ?? undefined,
    from: args.from ?? undefined,
    to: args.to ?? undefined,
  };
  return toConnection(await ctx.jobs.executionsPage(filter, { first: args.first, after: args.after }), args.after);
}

builder.objectField(Job, 'executions', (t) =>
  t.field({
    type: ExecutionConnection,
    args: {
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
      outcome: t.arg({ type: ExecutionOutcome }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
    },
    resolve: (job, args, ctx) => executionConnection(ctx, job.id, args),
  }),
);

builder.queryField('executions', (t) =>
  t.field({
    description: 'Newest first; across all jobs unless jobId is given (e.g. recent failures: outcome: FAILED).',
    type: ExecutionConnection,
    args: {
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
      jobId: t.arg.id(),
      outcome: t.arg({ type: ExecutionOutcome }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
    },
    resolve: (_root, args, ctx) => executionConnection(ctx, args.jobId === null || args.jobId === undefined ? undefined : String(args.jobId), args),
  }),
);
