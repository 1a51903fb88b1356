import { AUDIT_OUTCOMES, type AuditedOccurrence as AuditedOccurrenceShape } from '../../../domain/occurrence-audit.ts';
import { MAX_AUDIT_OCCURRENCES, MAX_BACKFILL_OCCURRENCES, type BackfillResult as BackfillResultShape, type OccurrenceAudit as OccurrenceAuditShape } from '../../../service/audit-service.ts';
import { builder } from '../builder.ts';

const AuditOutcome = builder.enumType('AuditOutcome', {
  description:
    "What became of an expected occurrence: its final attempt's outcome (SUCCEEDED, FAILED, UNKNOWN), SKIPPED on purpose, PENDING (not due yet, or not settled yet: in flight, a retry waiting, its record not written yet), or MISSING (due and settled, yet with no record at all: must never happen).",
  values: AUDIT_OUTCOMES,
});

const AuditedOccurrence = builder.objectRef<AuditedOccurrenceShape>('AuditedOccurrence').implement({
  fields: (t) => ({
    scheduledAt: t.field({ type: 'DateTime', resolve: (occurrence) => occurrence.scheduledAt }),
    outcome: t.field({ type: AuditOutcome, resolve: (occurrence) => occurrence.outcome }),
    reason: t.exposeString('reason', { description: 'SKIPPED: why (MISFIRE, PAUSED, OVERLAP, DST).', nullable: true }),
    attempts: t.exposeInt('attempts', { description: 'Attempt records of the occurrence (manual runs not counted).' }),
    statusCode: t.exposeInt('statusCode', { description: "The final attempt's HTTP status, when it got one.", nullable: true }),
  }),
});

const OccurrenceAudit = builder.objectRef<OccurrenceAuditShape>('OccurrenceAudit').implement({
  description: `Every occurrence the job's schedule expects in the window (from its creation on; at most ${MAX_AUDIT_OCCURRENCES.toLocaleString('en-US')}), with what became of it. Occurrences before the job's last change or before the history retention keeps are listed only when they have a record: the schedule may have been another, or the record removed.`,
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    from: t.field({ type: 'DateTime', resolve: (audit) => audit.from }),
    to: t.field({ type: 'DateTime', resolve: (audit) => audit.to }),
    expected: t.exposeInt('expected', { description: 'Occurrences listed.' }),
    accounted: t.exposeInt('accounted', { description: 'Settled: with an execution outcome or skipped on purpose.' }),
    unaccounted: t.exposeInt('unaccounted', { description: 'MISSING occurrences; expected - accounted - unaccounted are PENDING.' }),
    truncated: t.exposeBoolean('truncated', { description: 'More occurrences lie in the window: audit again from the last one listed.' }),
    occurrences: t.field({ type: [AuditedOccurrence], resolve: (audit) => audit.occurrences }),
  }),
});

const BackfillResult = builder.objectRef<BackfillResultShape>('BackfillResult').implement({
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    dryRun: t.exposeBoolean('dryRun'),
    count: t.exposeInt('count'),
    truncated: t.exposeBoolean('truncated', { description: 'More occurrences are owed in the window: backfill again once this one is done. Of a paused job, those after the last it ran are not backfilled: its resume plans them.' }),
    occurrences: t.field({ type: ['DateTime'], description: 'Oldest first.', resolve: (result) => result.occurrences }),
  }),
});

builder.queryField('occurrenceAudit', (t) =>
  t.field({
    description: 'The occurrences of a job in [from, to] and what became of each. VALIDATION when to is not after from; NOT_FOUND for an unknown job.',
    type: OccurrenceAudit,
    args: {
      jobId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: (_root, args, ctx) => ctx.audit.audit(String(args.jobId), args.from, args.to),
  }),
);

builder.mutationField('backfillJob', (t) =>
  t.field({
    description: `Runs the past occurrences of [from, min(to, now)] that have no execution (skipped or missing), oldest first, rate-limited, with trigger BACKFILL and each its own idempotency key; at most ${MAX_BACKFILL_OCCURRENCES.toLocaleString('en-US')} per call. dryRun (the default) only lists them. VALIDATION when from is in the future or a backfill of the job is still running.`,
    type: BackfillResult,
    args: {
      id: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      dryRun: t.arg.boolean({ defaultValue: true }),
    },
    resolve: (_root, args, ctx) => ctx.audit.backfill(String(args.id), args.from, args.to, args.dryRun ?? true),
  }),
);
