import { formatDateTime } from '../../../utils/format-time.ts';
import type { AuditOutcome } from '../api/audit-documents.ts';
import type { OccurrenceGroup } from '../api/group-occurrences.ts';

const OUTCOME: Record<AuditOutcome, { label: string; tone: string; explanation: string }> = {
  SUCCEEDED: { label: 'Succeeded', tone: 'success', explanation: 'Ran and succeeded.' },
  FAILED: { label: 'Failed', tone: 'failure', explanation: 'Ran and failed after all its attempts.' },
  UNKNOWN: { label: 'Unknown', tone: 'unknown', explanation: 'An at-most-once call that may have been sent when the service stopped; never sent again.' },
  SKIPPED: { label: 'Skipped', tone: 'none', explanation: 'Deliberately not run, for the reason given (misfire, pause, overlap or DST policy).' },
  PENDING: { label: 'Pending', tone: 'running', explanation: 'Not settled yet, or not yet due.' },
  MISSING: { label: 'Missing', tone: 'missing', explanation: 'Due, and neither run nor recorded as skipped: this must never happen. Backfill runs it.' },
};

/** "27 Nov 2026, 10:00:00–10:05:00" when both ends fall on the same day, else both in full. */
export function formatInstantRange(first: string, last: string): string {
  const start = formatDateTime(first);
  if (first === last) return start;
  const end = formatDateTime(last);
  const [startDay, startTime] = start.split(', ');
  const [endDay, endTime] = end.split(', ');
  return startDay === endDay ? `${startDay}, ${startTime}–${endTime}` : `${start} – ${end}`;
}

function detailOf(group: OccurrenceGroup): string {
  const parts: string[] = [];
  if (group.reason !== null) parts.push(group.reason);
  if (group.statusCode !== null) parts.push(`HTTP ${group.statusCode}`);
  if (group.attempts > 1) parts.push(`${group.count > 1 ? 'up to ' : ''}${group.attempts} attempts`);
  return parts.join(' · ');
}

/** The audited occurrences, runs of the same outcome on one line; missing ones in red. */
export function OccurrenceGroupsTable({ groups }: { groups: readonly OccurrenceGroup[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards audit-table">
        <caption className="visually-hidden">Occurrences in the window, runs of the same outcome together</caption>
        <thead>
          <tr>
            <th scope="col">Scheduled</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="numeric">
              Count
            </th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => {
            const outcome = OUTCOME[group.outcome];
            return (
              <tr key={`${group.first}#${group.outcome}`} className={group.outcome === 'MISSING' ? 'row--missing' : group.outcome === 'FAILED' ? 'row--failed' : undefined} data-outcome={group.outcome}>
                <td data-label="Scheduled">
                  <time dateTime={group.first}>{formatInstantRange(group.first, group.last)}</time>
                </td>
                <td data-label="Outcome">
                  <span className={`badge badge--${outcome.tone}`} title={outcome.explanation}>
                    {outcome.label}
                  </span>
                </td>
                <td data-label="Count" className="numeric">
                  ×{group.count.toLocaleString('en-US')}
                </td>
                <td data-label="Reason">{detailOf(group) || <span className="muted">–</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
