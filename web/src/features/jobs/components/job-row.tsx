import { Link } from 'wouter';
import { Countdown } from '../../../components/countdown.tsx';
import { JobHealthBadge } from '../../../components/job-health-badge.tsx';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { OutcomeBadge } from '../../../components/outcome-badge.tsx';
import { OutcomeTrendBars } from '../../../components/outcome-trend-bars.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import type { ExecutionOutcome } from '../../../utils/execution-labels.ts';
import { formatPercent } from '../../../utils/format-time.ts';
import type { JobRow as JobRowData } from '../api/jobs-documents.ts';

/** The newest run's outcome (unknown ones included), from the trend or else from the stats. */
function lastOutcome(job: JobRowData): ExecutionOutcome | null {
  const newest = job.executions.edges[0]?.node.outcome;
  if (newest !== undefined) return newest;
  return job.stats.lastSuccess === null ? null : job.stats.lastSuccess ? 'SUCCEEDED' : 'FAILED';
}

/** One job in the table; on narrow screens it becomes a card with labelled cells. */
export function JobRow({ job }: { job: JobRowData }) {
  const recent = job.executions.edges.map((edge) => edge.node).reverse();
  return (
    <tr>
      <td data-label="Target">
        <Link className="job-link" href={`/jobs/${encodeURIComponent(job.id)}`}>
          {job.api}
        </Link>
      </td>
      <td data-label="Schedule">
        <code className="mono">{job.schedule}</code>
        <div className="muted small">
          {job.description}
          {job.timezone !== 'UTC' && ` (${job.timezone})`}
        </div>
      </td>
      <td data-label="Status">
        <span className="badges">
          <JobStatusBadge status={job.status} />
          <JobHealthBadge job={job} />
        </span>
      </td>
      <td data-label="Next fire">{job.status === 'ACTIVE' && job.nextFireAt ? <Countdown target={job.nextFireAt} timeZone={job.timezone} /> : <span className="muted">–</span>}</td>
      <td data-label="Last run">
        <OutcomeBadge outcome={lastOutcome(job)} />
        {job.stats.lastExecutionAt && (
          <div className="muted small">
            <TimeAgo at={job.stats.lastExecutionAt} />
          </div>
        )}
      </td>
      <td data-label="Success rate" className="numeric">
        {formatPercent(job.stats.successRate)}
        <div className="muted small">{job.stats.total.toLocaleString('en-US')} runs</div>
      </td>
      <td data-label="Recent runs">
        <OutcomeTrendBars points={recent} />
      </td>
    </tr>
  );
}
