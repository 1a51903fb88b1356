import { formatDuration } from '../../../utils/format-duration.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { JobDetail } from '../api/job-detail-documents.ts';
import { JobPoliciesList } from './job-policies-list.tsx';

const DELIVERY = { ATLEAST_ONCE: 'At least once', ATMOST_ONCE: 'At most once' } as const;

/** Attempts per occurrence in words: "3 (the first call and up to 2 retries)", "1 (never retried)". */
function describeAttempts({ type, maxAttempts }: Pick<JobDetail, 'type' | 'maxAttempts'>): string {
  if (type === 'ATMOST_ONCE' || maxAttempts <= 1) return `${maxAttempts} (never retried)`;
  const retries = maxAttempts - 1;
  return `${maxAttempts} (the first call and up to ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
}

/** The job's spec and policies as stored, with its next fire times in its own timezone. */
export function JobSpecPanel({ job }: { job: JobDetail }) {
  return (
    <section className="panel" aria-labelledby="job-spec-title">
      <h2 id="job-spec-title">Specification</h2>
      <dl className="spec">
        <dt>Target</dt>
        <dd className="mono break">POST {job.api}</dd>
        <dt>Schedule</dt>
        <dd>
          <code className="mono">{job.schedule}</code> <span className="muted">· {job.description}</span>
        </dd>
        <dt>Timezone</dt>
        <dd>{job.timezone}</dd>
        <dt>Delivery</dt>
        <dd>{DELIVERY[job.type]}</dd>
        <dt>Attempts</dt>
        <dd>{describeAttempts(job)}</dd>
        <dt>Timeout</dt>
        <dd>{formatDuration(job.timeoutMs)}</dd>
        <dt>Alert webhook</dt>
        <dd className={job.alertWebhook ? 'mono break' : 'muted'}>{job.alertWebhook ?? 'None'}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(job.createdAt, { withZone: true })}</dd>
        <dt>Updated</dt>
        <dd>{formatDateTime(job.updatedAt, { withZone: true })}</dd>
      </dl>
      <JobPoliciesList policies={job} />
      {job.status === 'ACTIVE' && job.nextFireTimes.length > 0 && (
        <>
          <h3>Next fires</h3>
          <ol className="fire-times">
            {job.nextFireTimes.map((instant) => (
              <li key={instant}>
                <time dateTime={instant}>{formatDateTime(instant, { timeZone: job.timezone, withZone: true })}</time>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
