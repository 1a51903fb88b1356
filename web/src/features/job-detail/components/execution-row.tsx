import { useId, useState } from 'react';
import { OutcomeBadge } from '../../../components/outcome-badge.tsx';
import { TimeAgo } from '../../../components/time-ago.tsx';
import { TriggerLabel } from '../../../components/trigger-label.tsx';
import { formatDuration } from '../../../utils/format-duration.ts';
import { formatDateTime } from '../../../utils/format-time.ts';
import type { ExecutionItem } from '../api/live-executions.ts';

const ROW_CLASS: Partial<Record<ExecutionItem['outcome'], string>> = { FAILED: 'row--failed', UNKNOWN: 'row--unknown' };
const COLUMNS = 6;
/** Characters of the response body shown; the rest is cut with an ellipsis. */
export const SNIPPET_SHOWN = 600;

function truncate(text: string): string {
  return text.length > SNIPPET_SHOWN ? `${text.slice(0, SNIPPET_SHOWN)}…` : text;
}

/**
 * One execution; a failed or unknown one is marked and shows its error; a retry shows its
 * attempt; the start of the response body opens beneath it.
 */
export function ExecutionRow({ execution }: { execution: ExecutionItem }) {
  const [showResponse, setShowResponse] = useState(false);
  const responseId = useId();
  const className = [ROW_CLASS[execution.outcome], execution.live ? 'row--live' : undefined].filter(Boolean).join(' ');
  const snippet = execution.responseSnippet;
  return (
    <>
      <tr className={className || undefined} data-outcome={execution.outcome}>
        <td data-label="Started">
          <time dateTime={execution.startedAt}>{formatDateTime(execution.startedAt)}</time>
          <div className="muted small">
            <TimeAgo at={execution.startedAt} />
          </div>
        </td>
        <td data-label="Outcome">
          {execution.outcome === 'RUNNING' ? <span className="badge badge--running">Running</span> : <OutcomeBadge outcome={execution.outcome} statusCode={execution.statusCode} />}
        </td>
        <td data-label="Duration" className="numeric">
          {execution.durationMs === null ? '…' : formatDuration(execution.durationMs)}
        </td>
        <td data-label="Lag" className="numeric">
          {formatDuration(execution.lagMs)}
        </td>
        <td data-label="Trigger">
          <TriggerLabel trigger={execution.trigger} attempt={execution.attempt} />
        </td>
        <td data-label="Error" className="execution-error">
          {execution.error ?? <span className="muted">–</span>}
          {snippet !== null && snippet !== '' && (
            <div>
              <button type="button" className="link-button" aria-expanded={showResponse} aria-controls={showResponse ? responseId : undefined} onClick={() => setShowResponse((shown) => !shown)}>
                {showResponse ? 'Hide response' : 'Show response'}
              </button>
            </div>
          )}
        </td>
      </tr>
      {snippet !== null && showResponse && (
        <tr className="row--detail" id={responseId}>
          <td colSpan={COLUMNS}>
            <figure className="response" aria-labelledby={`${responseId}-caption`}>
              <figcaption className="muted small" id={`${responseId}-caption`}>
                Response body (start)
              </figcaption>
              <pre className="response-snippet">{truncate(snippet)}</pre>
            </figure>
          </td>
        </tr>
      )}
    </>
  );
}
