import type { DeliveryType } from '../api/job-editor-documents.ts';

const CHOICES: { value: DeliveryType; label: string; hint: string }[] = [
  { value: 'ATLEAST_ONCE', label: 'At least once', hint: 'Re-sent after a crash; the target de-duplicates with the Idempotency-Key header.' },
  { value: 'ATMOST_ONCE', label: 'At most once', hint: 'Never re-sent; after a crash the outcome is recorded as unknown.' },
];

/** The delivery guarantee, as two described radio choices. */
export function DeliveryTypeField({ value, onChange, error }: { value: DeliveryType; onChange: (value: DeliveryType) => void; error?: string | undefined }) {
  return (
    <fieldset className={`field choice-group${error === undefined ? '' : ' field--invalid'}`} aria-describedby={error === undefined ? undefined : 'job-type-error'}>
      <legend className="field__label">Delivery</legend>
      {CHOICES.map((choice) => (
        <label key={choice.value} className="choice">
          <input type="radio" name="type" value={choice.value} checked={value === choice.value} onChange={() => onChange(choice.value)} />
          <span>
            <span className="choice__label">{choice.label}</span>
            <span className="choice__hint">{choice.hint}</span>
          </span>
        </label>
      ))}
      {error !== undefined && (
        <p className="field__error" id="job-type-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
