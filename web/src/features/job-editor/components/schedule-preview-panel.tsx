import { formatDateTime } from '../../../utils/format-time.ts';
import type { SchedulePreviewState } from '../api/use-schedule-preview.ts';

/** What the schedule means: its description and next fire times, or why it is not valid. */
export function SchedulePreviewPanel({ preview, timezone }: { preview: SchedulePreviewState; timezone: string }) {
  return (
    <div className="schedule-preview" aria-live="polite" data-status={preview.status}>
      {preview.status === 'checking' && <p className="muted">Checking the expression…</p>}
      {preview.status === 'unavailable' && <p className="muted">Preview unavailable: {preview.error}</p>}
      {preview.status === 'valid' && (
        <>
          {preview.description && <p className="schedule-preview__description">{preview.description}</p>}
          <p className="schedule-preview__heading">Next {preview.nextFireTimes.length} fire times ({timezone})</p>
          <ol className="schedule-preview__times">
            {preview.nextFireTimes.map((instant) => (
              <li key={instant}>
                <time dateTime={instant}>{formatDateTime(instant, { timeZone: timezone, withZone: true })}</time>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
