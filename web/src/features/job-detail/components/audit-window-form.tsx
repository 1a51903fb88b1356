import { useState, type FormEvent } from 'react';
import type { AuditWindow } from '../api/audit-documents.ts';
import { resolveWindow, toLocalInput, type WindowChoice, type WindowPreset } from '../api/occurrence-window.ts';

const PRESETS: { value: WindowPreset; label: string }[] = [
  { value: 'LAST_HOUR', label: 'Last hour' },
  { value: 'LAST_DAY', label: 'Last 24 hours' },
  { value: 'CUSTOM', label: 'Custom' },
];

/** Picks the window to audit: the last hour, the last 24 hours, or from–to in the browser's zone. */
export function AuditWindowForm({ onCheck, busy }: { onCheck: (window: AuditWindow) => void; busy: boolean }) {
  const [choice, setChoice] = useState<WindowChoice>(() => ({ preset: 'LAST_HOUR', customFrom: toLocalInput(Date.now() - 3_600_000), customTo: toLocalInput(Date.now()) }));
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const resolved = resolveWindow(choice, Date.now());
    if ('error' in resolved) {
      setError(resolved.error);
      return;
    }
    setError(null);
    onCheck(resolved.window);
  }

  const custom = choice.preset === 'CUSTOM';
  return (
    <form className="audit-window" noValidate onSubmit={submit}>
      <fieldset className="segmented">
        <legend className="field__label">Window</legend>
        {PRESETS.map((preset) => (
          <label key={preset.value} className="segmented__option">
            <input type="radio" name="audit-window" value={preset.value} checked={choice.preset === preset.value} onChange={() => setChoice((current) => ({ ...current, preset: preset.value }))} />
            {preset.label}
          </label>
        ))}
      </fieldset>
      {custom && (
        <div className="audit-window__custom">
          <div className="field">
            <label className="field__label" htmlFor="audit-from">
              From <span className="field__optional">(your local time)</span>
            </label>
            <input id="audit-from" type="datetime-local" step={60} value={choice.customFrom} aria-invalid={error === null ? undefined : true} aria-describedby={error === null ? undefined : 'audit-window-error'} onChange={(event) => setChoice((current) => ({ ...current, customFrom: event.target.value }))} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="audit-to">
              To
            </label>
            <input id="audit-to" type="datetime-local" step={60} value={choice.customTo} aria-invalid={error === null ? undefined : true} aria-describedby={error === null ? undefined : 'audit-window-error'} onChange={(event) => setChoice((current) => ({ ...current, customTo: event.target.value }))} />
          </div>
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Checking…' : 'Check occurrences'}
      </button>
      {error !== null && (
        <p className="field__error" id="audit-window-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
