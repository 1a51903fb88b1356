import { Link } from 'wouter';
import { OutcomeBadge } from '../../../components/outcome-badge.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import { TriggerLabel } from '../../../components/trigger-label.tsx';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { Failure } from '../api/failures-documents.ts';

/** One failed execution: which job, when, why it ran (and which attempt), and what went wrong. */
export function FailureCard({ failure }: { failure: Failure }) {
  return (
    <li className="failure">
      <div className="failure__head">
        {failure.job ? (
          <Link className="job-link" href={`/jobs/${encodeURIComponent(failure.job.id)}`}>
            {failure.job.api}
          </Link>
        ) : (
          <span className="muted">Deleted job {failure.jobId}</span>
        )}
        <OutcomeBadge outcome="FAILED" statusCode={failure.statusCode} />
      </div>
      <p className="failure__error">{failure.error ?? 'No error message recorded'}</p>
      <p className="muted small">
        <TimeAgo at={failure.startedAt} /> · <time dateTime={failure.startedAt}>{formatDateTime(failure.startedAt, { withZone: true })}</time> · {formatDuration(failure.durationMs)} ·{' '}
        <TriggerLabel trigger={failure.trigger} attempt={failure.attempt} />
      </p>
    </li>
  );
}
