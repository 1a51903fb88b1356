import { describeSchedule } from '../../../domain/describe-schedule.ts';
import { percentileFromBuckets } from '../../../domain/duration-histogram.ts';
import { DST_GAP_POLICIES, DST_OVERLAP_POLICIES, MISFIRE_POLICIES, OVERLAP_POLICIES } from '../../../domain/job-policy.ts';
import { DELIVERY_TYPES, JOB_STATUSES } from '../../../domain/job-spec.ts';
import type { JobView } from '../../../service/job-service.ts';
import type { StoredJob } from '../../../store/job-repository.ts';
import { builder } from '../builder.ts';
import { createJobsInputs } from '../create-jobs-inputs.ts';
import { PageInfo, toConnection, type PageInfoShape } from './page-info.ts';

const DeliveryType = builder.enumType('DeliveryType', { values: DELIVERY_TYPES });
const JobStatus = builder.enumType('JobStatus', { values: JOB_STATUSES });
const MisfirePolicy = builder.enumType('MisfirePolicy', {
  description: 'Occurrences missed while the service was down, the job paused or the engine behind: run the latest once (FIRE_ONCE, default), run each within the catch-up window up to catchUpLimit (FIRE_ALL), or run none (SKIP). Those not run are recorded as skipped.',
  values: MISFIRE_POLICIES,
});
const OverlapPolicy = builder.enumType('OverlapPolicy', {
  description: "An occurrence due while the job's previous one is in flight: run it anyway (ALLOW, default), skip it (SKIP), or run it once the previous settles, keeping at most one waiting (QUEUE_ONE).",
  values: OVERLAP_POLICIES,
});
export const DstGapPolicy = builder.enumType('DstGapPolicy', {
  description: 'A local fire time that does not exist (clocks spring forward): run at the shifted instant (SHIFT, default) or skip it (SKIP).',
  values: DST_GAP_POLICIES,
});
export const DstOverlapPolicy = builder.enumType('DstOverlapPolicy', {
  description: 'A local fire time that happens twice (clocks fall back): run on the first (FIRST, default), the last (LAST) or both (BOTH).',
  values: DST_OVERLAP_POLICIES,
});

const JobStats = builder.objectRef<StoredJob['counters']>('JobStats').implement({
  description: 'Served from counters maintained with every batch of executions, not by scanning history.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    successes: t.exposeInt('successes'),
    failures: t.exposeInt('failures'),
    successRate: t.float({
      description: 'successes / total, 0..1; null before the first execution.',
      nullable: true,
      resolve: (stats) => (stats.total === 0 ? null : stats.successes / stats.total),
    }),
    meanDurationMs: t.float({
      nullable: true,
      resolve: (stats) => (stats.total === 0 ? null : stats.totalDurationMs / stats.total),
    }),
    p95DurationMs: t.float({
      description: "Estimated from the job's duration histogram buckets.",
      nullable: true,
      resolve: (stats) => percentileFromBuckets(stats.durationBuckets, 95),
    }),
    lastExecutionAt: t.field({ type: 'DateTime', nullable: true, resolve: (stats) => stats.lastExecutionAt }),
    lastSuccess: t.exposeBoolean('lastSuccess', { nullable: true }),
  }),
});

export const Job = builder.objectRef<JobView>('Job').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    schedule: t.string({ resolve: (job) => job.spec.schedule }),
    timezone: t.string({ resolve: (job) => job.spec.timezone }),
    api: t.string({ resolve: (job) => job.spec.api }),
    type: t.field({ type: DeliveryType, resolve: (job) => job.spec.type }),
    alertWebhook: t.string({ nullable: true, resolve: (job) => job.spec.alertWebhook }),
    timeoutMs: t.int({ resolve: (job) => job.spec.timeoutMs }),
    maxAttempts: t.int({
      description: 'Attempts per occurrence: the first call and its retries (ATLEAST_ONCE); always 1 for ATMOST_ONCE.',
      resolve: (job) => job.spec.maxAttempts,
    }),
    misfirePolicy: t.field({ type: MisfirePolicy, resolve: (job) => job.spec.policy.misfirePolicy }),
    catchUpLimit: t.int({
      description: 'FIRE_ALL: most missed occurrences run on catch-up.',
      resolve: (job) => job.spec.policy.catchUpLimit,
    }),
    catchUpWindowMs: t.int({
      description: 'FIRE_ALL: only occurrences missed within this window before now run.',
      resolve: (job) => job.spec.policy.catchUpWindowMs,
    }),
    overlapPolicy: t.field({ type: OverlapPolicy, resolve: (job) => job.spec.policy.overlapPolicy }),
    dstGap: t.field({ type: DstGapPolicy, resolve: (job) => job.spec.policy.dstGap }),
    dstOverlap: t.field({ type: DstOverlapPolicy, resolve: (job) => job.spec.policy.dstOverlap }),
    successCodes: t.string({
      description: 'Status codes that count as success, e.g. "200-299,304" (default 200-299).',
      resolve: (job) => job.spec.policy.successCodes,
    }),
    successBodyPattern: t.string({
      description: 'A regular expression (RE2 syntax: no lookaround, no backreferences) the response body must match to count as success; matched in time linear in the body.',
      nullable: true,
      resolve: (job) => job.spec.policy.successBodyPattern,
    }),
    failingThreshold: t.int({
      description: 'Consecutive failures that raise a JOB_FAILING alert.',
      resolve: (job) => job.spec.policy.failingThreshold,
    }),
    autoPauseAfter: t.int({
      description: 'Consecutive failures after which the job is paused (JOB_AUTO_PAUSED); null: never.',
      nullable: true,
      resolve: (job) => job.spec.policy.autoPauseAfter,
    }),
    lagAlertMs: t.int({
      description: 'Fire lag above which a JOB_LAGGING alert is raised; null: never.',
      nullable: true,
      resolve: (job) => job.spec.policy.lagAlertMs,
    }),
    status: t.field({ type: JobStatus, resolve: (job) => job.status }),
    pauseReason: t.string({
      description: 'Why the service paused the job (410 Gone, auto-pause after failures); null when running or paused by a user.',
      nullable: true,
      resolve: (job) => job.pauseReason,
    }),
    consecutiveFailures: t.int({ resolve: (job) => job.consecutiveFailures }),
    description: t.string({
      description: 'The schedule in plain words (cronstrue), e.g. "Every 5 seconds".',
      resolve: (job) => describeSchedule(job.spec.schedule),
    }),
    nextFireAt: t.field({ type: 'DateTime', nullable: true, resolve: (job) => job.nextFireAt }),
    nextFireTimes: t.field({
      description: 'The next fire times from now; empty while the job is paused.',
      type: ['DateTime'],
      args: { count: t.arg.int({ defaultValue: 5 }) },
      resolve: (job, args, ctx) => ctx.jobs.nextFireTimes(job, args.count ?? 5),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (job) => job.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (job) => job.updatedAt }),
    stats: t.field({ type: JobStats, resolve: (job) => job.counters }),
  }),
});

const JobEdge = builder.objectRef<{ cursor: string; node: JobView }>('JobEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: Job, resolve: (edge) => edge.node }),
  }),
});

interface JobConnectionShape {
  edges: Array<{ cursor: string; node: JobView }>;
  pageInfo: PageInfoShape;
  totalCount: () => Promise<number>;
}

const JobConnection = builder.objectRef<JobConnectionShape>('JobConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [JobEdge], resolve: (connection) => connection.edges }),
    pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection.pageInfo }),
    totalCount: t.int({ resolve: (connection) => connection.totalCount() }),
  }),
});

builder.queryFields((t) => ({
  job: t.field({
    description: 'Null when no job has this id.',
    type: Job,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.loadJob(String(args.id)),
  }),
  jobs: t.field({
    type: JobConnection,
    args: {
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string(),
      status: t.arg({ type: JobStatus }),
      search: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const page = await ctx.jobs.jobsPage(
        { status: args.status ?? undefined, search: args.search ?? undefined },
        { first: args.first, after: args.after },
      );
      return { ...toConnection(page, args.after), totalCount: page.totalCount };
    },
  }),
}));

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

/** The policy fields, the same optional ones on a new job and on an update. */
function policyInputFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  return {
      misfirePolicy: t.field({ type: MisfirePolicy }),
      catchUpLimit: t.int(),
      catchUpWindowMs: t.int(),
      overlapPolicy: t.field({ type: OverlapPolicy }),
      dstGap: t.field({ type: DstGapPolicy }),
      dstOverlap: t.field({ type: DstOverlapPolicy }),
      successCodes: t.string(),
      successBodyPattern: t.string(),
      failingThreshold: t.int(),
      autoPauseAfter: t.int(),
      lagAlertMs: t.int(),
  };
}

const CreateJobInput = builder.inputType('CreateJobInput', {
  fields: (t) => ({
    schedule: t.string({ required: true }),
    api: t.string({ required: true }),
    type: t.field({ type: DeliveryType, defaultValue: 'ATLEAST_ONCE' }),
    alertWebhook: t.string(),
    timezone: t.string({ defaultValue: 'UTC' }),
    timeoutMs: t.int(),
    maxAttempts: t.int(),
    ...policyInputFields(t),
  }),
});

const UpdateJobInput = builder.inputType('UpdateJobInput', {
  description: 'Partial: absent fields keep their value; null removes alertWebhook, successBodyPattern, autoPauseAfter or lagAlertMs.',
  fields: (t) => ({
    schedule: t.string(),
    api: t.string(),
    type: t.field({ type: DeliveryType }),
    alertWebhook: t.string(),
    timezone: t.string(),
    timeoutMs: t.int(),
    maxAttempts: t.int(),
    ...policyInputFields(t),
  }),
});

const TriggerResult = builder.objectRef<{ job: JobView; scheduledAt: number }>('TriggerResult').implement({
  fields: (t) => ({
    job: t.field({ type: Job, resolve: (result) => result.job }),
    scheduledAt: t.field({ type: 'DateTime', resolve: (result) => result.scheduledAt }),
  }),
});

const DeleteResult = builder.objectRef<{ id: string }>('DeleteResult').implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

builder.mutationFields((t) => ({
  createJob: t.field({
    type: Job,
    args: { input: t.arg({ type: CreateJobInput, required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.createJob(args.input),
  }),
  createJobs: t.field({
    description: 'Creates up to 10,000 jobs in one transaction: all or none (an error names the index and field).',
    type: [Job],
    args: { inputs: t.arg({ type: [CreateJobInput], required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.createJobs(createJobsInputs(ctx, args.inputs)),
  }),
  updateJob: t.field({
    type: Job,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateJobInput, required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.updateJob(String(args.id), args.input),
  }),
  pauseJob: t.field({
    type: Job,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.pauseJob(String(args.id)),
  }),
  resumeJob: t.field({
    type: Job,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.resumeJob(String(args.id)),
  }),
  triggerJob: t.field({
    description: 'Fires once now, recorded with trigger MANUAL.',
    type: TriggerResult,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.jobs.triggerJob(String(args.id)),
  }),
  deleteJob: t.field({
    type: DeleteResult,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ({ id: (await ctx.jobs.deleteJob(String(args.id))).id }),
  }),
}));
