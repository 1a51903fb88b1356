import { formatDateTime } from '../../../utils/format-time.ts';
import type { DstMark } from '../api/job-editor-documents.ts';
import type { SchedulePreviewState } from '../api/use-schedule-preview.ts';

const DST_BADGE: Record<DstMark, { label: string; explanation: string }> = {
  SHIFTED: { label: 'DST shifted', explanation: 'This local time does not exist on that day (clocks spring forward): it runs at the shifted instant.' },
  REPEATED: { label: 'Repeated hour', explanation: 'This local time happens twice on that day (clocks fall back).' },
};

/** What the schedule means: its description, next fires (with DST marks) and warnings, or why it is not valid. */
export function SchedulePreviewPanel({ preview, timezone }: { preview: SchedulePreviewState; timezone: string }) {
  return (
    <div className="schedule-preview" aria-live="polite" data-status={preview.status}>
      {preview.status === 'checking' && <p className="muted">Checking the expression…</p>}
      {preview.status === 'unavailable' && <p className="muted">Preview unavailable: {preview.error}</p>}
      {preview.status === 'valid' && (
        <>
          {preview.description && <p className="schedule-preview__description">{preview.description}</p>}
          {preview.warnings.length > 0 && (
            <ul className="schedule-preview__warnings" aria-label="Warnings about this expression">
              {preview.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <p className="schedule-preview__heading">
            Next {preview.fires.length} fire times ({timezone})
          </p>
          <ol className="schedule-preview__times">
            {preview.fires.map((fire) => (
              <li key={`${fire.at}#${fire.dst ?? ''}`}>
                <time dateTime={fire.at}>{formatDateTime(fire.at, { timeZone: timezone, withZone: true })}</time>
                {fire.dst !== null && (
                  <>
                    {' '}
                    <span className="badge badge--dst" data-dst={fire.dst} title={DST_BADGE[fire.dst].explanation}>
                      {DST_BADGE[fire.dst].label}
                    </span>
                  </>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
