import { OutcomeBadge } from '../../../components/outcome-badge.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { ExecutionItem } from '../api/live-executions.ts';

const TRIGGER = { SCHEDULE: 'Schedule', CATCH_UP: 'Catch-up', MANUAL: 'Manual' } as const;

/** One execution; a failed one is marked and shows its error. */
export function ExecutionRow({ execution }: { execution: ExecutionItem }) {
  const failed = execution.outcome === 'FAILED';
  return (
    <tr className={`${failed ? 'row--failed' : ''}${execution.live ? ' row--live' : ''}`.trim() || undefined} data-outcome={execution.outcome}>
      <td data-label="Started">
        <time dateTime={execution.startedAt}>{formatDateTime(execution.startedAt)}</time>
        <div className="muted small">
          <TimeAgo at={execution.startedAt} />
        </div>
      </td>
      <td data-label="Outcome">
        {execution.outcome === 'RUNNING' ? <span className="badge badge--running">Running</span> : <OutcomeBadge success={!failed} statusCode={execution.statusCode} />}
      </td>
      <td data-label="Duration" className="numeric">
        {execution.durationMs === null ? '…' : formatDuration(execution.durationMs)}
      </td>
      <td data-label="Lag" className="numeric">
        {formatDuration(execution.lagMs)}
      </td>
      <td data-label="Trigger">
        {TRIGGER[execution.trigger]}
        {execution.attempt > 1 && <span className="muted small"> · attempt {execution.attempt}</span>}
      </td>
      <td data-label="Error" className="execution-error">
        {execution.error ?? <span className="muted">–</span>}
      </td>
    </tr>
  );
}
