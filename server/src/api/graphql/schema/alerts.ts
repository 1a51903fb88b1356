import { ALERT_EVENTS } from '../../../domain/occurrence.ts';
import type { StoredAlert } from '../../../store/job-repository.ts';
import { builder } from '../builder.ts';
import { Job } from './job.ts';

const AlertEvent = builder.enumType('AlertEvent', {
  description:
    'JOB_FAILED: an occurrence failed. JOB_FAILING: failures in a row reached failingThreshold. JOB_RECOVERED: the first success after JOB_FAILING. JOB_MISSED: occurrences were skipped (misfire, overlap, DST). JOB_LAGGING: a fire started later than lagAlertMs (at most once a minute per job). JOB_AUTO_PAUSED: the service paused the job (autoPauseAfter failures in a row, or 410 Gone).',
  values: ALERT_EVENTS,
});

const AlertDelivery = builder.objectRef<StoredAlert>('AlertDelivery').implement({
  description: "One delivery of an alert to the job's alertWebhook, after its retries.",
  fields: (t) => ({
    id: t.exposeID('id'),
    event: t.field({ type: AlertEvent, resolve: (alert) => alert.event }),
    url: t.exposeString('url'),
    sentAt: t.field({ type: 'DateTime', resolve: (alert) => alert.sentAt }),
    statusCode: t.exposeInt('statusCode', { description: 'Null when the webhook did not answer.', nullable: true }),
    success: t.exposeBoolean('success', { description: 'The webhook answered 2xx.' }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

builder.objectField(Job, 'alerts', (t) =>
  t.field({
    description: "The latest alert deliveries to the job's webhook, newest first.",
    type: [AlertDelivery],
    args: { first: t.arg.int({ defaultValue: 20 }) },
    resolve: (job, args, ctx) => ctx.jobs.latestAlerts(job.id, args.first),
  }),
);
