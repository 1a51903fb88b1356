import { useState } from 'react';
import { useQuery } from 'urql';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadingState } from '../../../components/loading-state.tsx';
import { StatCard } from '../../../components/stat-card.tsx';
import { formatCount, formatDateTime } from '../../../utils/format-time.ts';
import { describeError } from '../../../utils/graphql-errors.ts';
import { OccurrenceAuditQuery, type AuditWindow, type OccurrenceAudit } from '../api/audit-documents.ts';
import { groupOccurrences } from '../api/group-occurrences.ts';
import { AuditWindowForm } from './audit-window-form.tsx';
import { BackfillAction } from './backfill-action.tsx';
import { OccurrenceGroupsTable } from './occurrence-groups-table.tsx';

/** The window that audits the rest of a truncated one: from just after the last occurrence listed. */
function restOf(audit: OccurrenceAudit): AuditWindow | null {
  const last = audit.occurrences.at(-1);
  return last ? { from: new Date(Date.parse(last.scheduledAt) + 1).toISOString(), to: audit.to } : null;
}

function AuditFindings({ audit, onContinue }: { audit: OccurrenceAudit; onContinue: (rest: AuditWindow) => void }) {
  const groups = groupOccurrences(audit.occurrences);
  const pending = audit.expected - audit.accounted - audit.unaccounted;
  const rest = audit.truncated ? restOf(audit) : null;
  return (
    <div className="audit-findings">
      <p className="muted small">
        <time dateTime={audit.from}>{formatDateTime(audit.from, { withZone: true })}</time> to <time dateTime={audit.to}>{formatDateTime(audit.to, { withZone: true })}</time>
      </p>
      <dl className="stats stats--compact">
        <StatCard label="Expected" value={formatCount(audit.expected)} detail="by the schedule" />
        <StatCard label="Accounted" value={formatCount(audit.accounted)} detail="run or skipped on purpose" />
        <StatCard label="Unaccounted" value={formatCount(audit.unaccounted)} tone={audit.unaccounted > 0 ? 'bad' : 'good'} detail="missing: due, no outcome" />
        <StatCard label="Pending" value={formatCount(pending)} detail="not settled or not yet due" />
      </dl>
      {rest && (
        <p className="audit-findings__more">
          <span className="muted small">The audit stops after {formatCount(audit.expected)} occurrences; more lie in this window.</span>{' '}
          <button type="button" className="button" onClick={() => onContinue(rest)}>
            Audit the rest of the window
          </button>
        </p>
      )}
      {groups.length === 0 ? <p className="muted">No occurrences were due in this window.</p> : <OccurrenceGroupsTable groups={groups} />}
    </div>
  );
}

/**
 * Checks that every occurrence of a window ended in a run or a recorded skip, lists them with runs
 * of the same outcome collapsed, and offers to backfill what was skipped or is missing.
 */
export function OccurrenceAuditPanel({ jobId }: { jobId: string }) {
  const [auditWindow, setAuditWindow] = useState<AuditWindow | null>(null);
  const [result, reexecute] = useQuery({
    query: OccurrenceAuditQuery,
    variables: { jobId, from: auditWindow?.from ?? '', to: auditWindow?.to ?? '' },
    pause: auditWindow === null,
    requestPolicy: 'network-only',
  });
  const answered = result.operation?.variables;
  const current = auditWindow !== null && answered?.from === auditWindow.from && answered.to === auditWindow.to;
  const audit = current ? result.data?.occurrenceAudit : undefined;
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const check = (next: AuditWindow) => (next.from === auditWindow?.from && next.to === auditWindow.to ? refresh() : setAuditWindow(next));

  return (
    <section className="panel" aria-labelledby="occurrence-audit-title">
      <div className="panel__head">
        <h2 id="occurrence-audit-title">Occurrence audit</h2>
        <span className="muted small">Every occurrence should end in a run or a recorded skip</span>
      </div>
      <AuditWindowForm onCheck={check} busy={result.fetching} />
      {current && result.error && <ErrorState title="The audit could not be run" message={describeError(result.error)} onRetry={refresh} />}
      {auditWindow !== null && !result.error && !audit && <LoadingState label="Checking occurrences…" />}
      {auditWindow !== null && audit && (
        <>
          <AuditFindings audit={audit} onContinue={setAuditWindow} />
          <BackfillAction key={`${auditWindow.from}|${auditWindow.to}`} jobId={jobId} auditWindow={auditWindow} onDone={refresh} />
        </>
      )}
    </section>
  );
}
