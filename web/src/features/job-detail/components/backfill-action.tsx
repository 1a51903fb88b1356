import { useState } from 'react';
import { useMutation } from 'urql';
import { formatCount, formatDateTime } from '../../../utils/format-time.ts';
import { describeError } from '../../../utils/graphql-errors.ts';
import { BackfillJobMutation, type AuditWindow, type BackfillResult } from '../api/audit-documents.ts';

/** How many of the occurrences a dry run would run are listed before "and n more". */
export const BACKFILL_LISTED = 5;

type Step = { kind: 'idle' } | { kind: 'previewed'; result: BackfillResult } | { kind: 'done'; result: BackfillResult };

function occurrencesWord(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'occurrence' : 'occurrences'}`;
}

/**
 * Runs the window's skipped and missing occurrences, in two steps: a dry run says how many and
 * which would run, then the user confirms. `onDone` follows a real run (to refresh the audit).
 */
export function BackfillAction({ jobId, auditWindow, onDone }: { jobId: string; auditWindow: AuditWindow; onDone: () => void }) {
  const [{ fetching }, backfill] = useMutation(BackfillJobMutation);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);

  async function run(dryRun: boolean): Promise<void> {
    setError(null);
    const answer = await backfill({ id: jobId, ...auditWindow, dryRun });
    if (answer.error || !answer.data) {
      setError(answer.error ? describeError(answer.error) : 'The backfill could not be started.');
      return;
    }
    setStep({ kind: dryRun ? 'previewed' : 'done', result: answer.data.backfillJob });
    if (!dryRun) onDone();
  }

  const preview = step.kind === 'previewed' ? step.result : null;
  const more = preview ? preview.count - Math.min(preview.occurrences.length, BACKFILL_LISTED) : 0;
  return (
    <section className="backfill" aria-labelledby="backfill-title">
      <h3 id="backfill-title">Backfill</h3>
      {step.kind !== 'previewed' && (
        <div className="backfill__start">
          <button type="button" className="button" disabled={fetching} onClick={() => void run(true)}>
            {fetching ? 'Looking…' : 'Backfill this window…'}
          </button>
          <span className="muted small">Runs this window's skipped and missing occurrences, with trigger Backfill. You see what would run before anything does.</span>
        </div>
      )}
      {preview && preview.count === 0 && (
        <div className="backfill__preview">
          <p>Nothing to backfill: no occurrence in this window was skipped or is missing.</p>
          <button type="button" className="button" onClick={() => setStep({ kind: 'idle' })}>
            Close
          </button>
        </div>
      )}
      {preview && preview.count > 0 && (
        <div className="backfill__preview">
          <p>
            <strong>{occurrencesWord(preview.count)} would run</strong>, oldest first:
          </p>
          <ul className="fire-times" aria-label="Occurrences that would run">
            {preview.occurrences.slice(0, BACKFILL_LISTED).map((instant) => (
              <li key={instant}>
                <time dateTime={instant}>{formatDateTime(instant, { withZone: true })}</time>
              </li>
            ))}
          </ul>
          {more > 0 && <p className="muted small">and {formatCount(more)} more</p>}
          {preview.truncated && <p className="muted small">More are owed in this window: backfill again once these have run.</p>}
          <div className="button-row">
            <button type="button" className="button button--primary" disabled={fetching} onClick={() => void run(false)}>
              {fetching ? 'Starting…' : `Run ${occurrencesWord(preview.count)}`}
            </button>
            <button type="button" className="button" disabled={fetching} onClick={() => setStep({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <p className={`job-actions__notice${error === null ? '' : ' job-actions__notice--failed'}`} role="status">
        {error ?? (step.kind === 'done' ? `Backfill started: ${occurrencesWord(step.result.count)} queued. They appear in the history with trigger Backfill.` : '')}
      </p>
    </section>
  );
}
