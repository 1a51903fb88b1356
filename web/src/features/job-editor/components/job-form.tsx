import { useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type { ErrorsByField } from '../../../utils/graphql-errors.ts';
import { useSchedulePreview } from '../api/use-schedule-preview.ts';
import { AdvancedPolicies } from './advanced-policies.tsx';
import { DeliveryTypeField } from './delivery-type-field.tsx';
import { FormField } from './form-field.tsx';
import { ATTEMPTS_MAX, ATTEMPTS_MIN, validateJobForm, TIMEOUT_MAX_MS, TIMEOUT_MIN_MS, type JobFormErrors, type JobFormField, type JobFormValues } from './job-form-values.ts';
import { POLICY_FIELDS, type PolicyField } from './policy-form-values.ts';
import { SchedulePreviewPanel } from './schedule-preview-panel.tsx';
import { timezoneOptions } from './timezone-options.ts';

const FIELD_ORDER: JobFormField[] = ['api', 'schedule', 'timezone', 'type', 'maxAttempts', 'timeoutMs', 'alertWebhook', ...POLICY_FIELDS];
/** Fields shown as radio choices: focusing one focuses its checked option. */
const CHOICE_FIELDS: ReadonlySet<JobFormField> = new Set(['type', 'misfirePolicy', 'overlapPolicy', 'dstGap', 'dstOverlap']);

function isFormField(name: string): name is JobFormField {
  return (FIELD_ORDER as string[]).includes(name);
}

interface JobFormProps {
  initial: JobFormValues;
  submitLabel: string;
  /** Saves the job; resolves with the server's errors, or null once saved. */
  onSubmit: (values: JobFormValues) => Promise<ErrorsByField | null>;
  onCancel: () => void;
}

function isPolicyField(field: JobFormField): field is PolicyField {
  return (POLICY_FIELDS as readonly string[]).includes(field);
}

function focusField(field: JobFormField): void {
  const target = CHOICE_FIELDS.has(field) ? document.querySelector<HTMLInputElement>(`input[name="${field}"]:checked`) : document.getElementById(`job-${field}`);
  target?.focus();
}

/** Every option of a job, checked as the user goes; the cron expression is previewed live. */
export function JobForm({ initial, submitLabel, onSubmit, onCancel }: JobFormProps) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<JobFormField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<JobFormErrors>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const preview = useSchedulePreview(values.schedule, values.timezone, { dstGap: values.dstGap, dstOverlap: values.dstOverlap });
  const atMostOnce = values.type === 'ATMOST_ONCE';

  const clientErrors = validateJobForm(values);
  if (clientErrors.schedule === undefined && preview.status === 'invalid') clientErrors.schedule = preview.error;
  const errorOf = (field: JobFormField): string | undefined =>
    serverErrors[field] ?? (touched[field] || field === 'schedule' ? clientErrors[field] : undefined);

  function change<F extends JobFormField>(field: F, value: JobFormValues[F]): void {
    setValues((current) => ({ ...current, [field]: value }));
    // A new delivery type also changes what attempts may be, so the server's word on them is stale.
    setServerErrors((current) => ({ ...current, [field]: undefined, ...(field === 'type' ? { maxAttempts: undefined } : {}) }));
  }
  const touch = (field: JobFormField) => () => setTouched((current) => ({ ...current, [field]: true }));

  /** Focuses a field with an error, opening the advanced section first when it is in there. */
  function showField(field: JobFormField): void {
    if (isPolicyField(field)) flushSync(() => setAdvancedOpen(true));
    focusField(field);
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setTouched(Object.fromEntries(FIELD_ORDER.map((field) => [field, true])));
    const firstInvalid = FIELD_ORDER.find((field) => clientErrors[field] !== undefined);
    if (firstInvalid) {
      showField(firstInvalid);
      return;
    }
    setSubmitting(true);
    setGeneralErrors([]);
    const failure = await onSubmit(values);
    setSubmitting(false);
    if (!failure) return;
    const byField: JobFormErrors = {};
    const general = [...failure.general];
    for (const [field, message] of Object.entries(failure.fields)) {
      if (isFormField(field)) byField[field] = message;
      else general.push(message);
    }
    setServerErrors(byField);
    setGeneralErrors(general);
    const firstServerError = FIELD_ORDER.find((field) => byField[field] !== undefined);
    if (firstServerError) showField(firstServerError);
  }

  return (
    <form className="job-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={submitting}>
      {generalErrors.length > 0 && (
        <div className="banner banner--error" role="alert">
          {generalErrors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <FormField id="job-api" label="Target URL" hint="Called with POST at every fire." error={errorOf('api')}>
        {(control) => (
          <input {...control} type="url" inputMode="url" autoComplete="off" placeholder="https://api.example.com/tick" value={values.api} onChange={(event) => change('api', event.target.value)} onBlur={touch('api')} />
        )}
      </FormField>
      <div className="job-form__row">
        <FormField
          id="job-schedule"
          label="Schedule (cron)"
          hint="6 fields with seconds (*/5 * * * * *) or the classic 5 (0 9 * * MON-FRI)."
          error={errorOf('schedule')}
          after={<SchedulePreviewPanel preview={preview} timezone={values.timezone} />}
        >
          {(control) => (
            <input {...control} className="mono" type="text" autoComplete="off" spellCheck={false} value={values.schedule} onChange={(event) => change('schedule', event.target.value)} onBlur={touch('schedule')} />
          )}
        </FormField>
        <FormField id="job-timezone" label="Timezone" hint="Cron fields are read in this zone." error={errorOf('timezone')}>
          {(control) => (
            <select {...control} value={values.timezone} onChange={(event) => change('timezone', event.target.value)} onBlur={touch('timezone')}>
              {timezoneOptions(values.timezone).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <DeliveryTypeField value={values.type} onChange={(type) => change('type', type)} error={errorOf('type')} />
      <div className="job-form__row">
        <FormField
          id="job-maxAttempts"
          label="Attempts per occurrence"
          hint={atMostOnce ? 'Always 1 at most once: a call is never retried.' : `The first call and its retries, from ${ATTEMPTS_MIN} to ${ATTEMPTS_MAX}.`}
          error={errorOf('maxAttempts')}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={ATTEMPTS_MIN}
              max={ATTEMPTS_MAX}
              step={1}
              disabled={atMostOnce}
              value={atMostOnce ? '1' : values.maxAttempts}
              onChange={(event) => change('maxAttempts', event.target.value)}
              onBlur={touch('maxAttempts')}
            />
          )}
        </FormField>
        <FormField id="job-timeoutMs" label="Timeout (ms)" optional hint={`From ${TIMEOUT_MIN_MS} to ${TIMEOUT_MAX_MS}; empty for the server's default.`} error={errorOf('timeoutMs')}>
          {(control) => (
            <input {...control} type="number" inputMode="numeric" min={TIMEOUT_MIN_MS} max={TIMEOUT_MAX_MS} step={1} value={values.timeoutMs} onChange={(event) => change('timeoutMs', event.target.value)} onBlur={touch('timeoutMs')} />
          )}
        </FormField>
      </div>
      <FormField id="job-alertWebhook" label="Alert webhook" optional hint="Receives a POST when an execution fails." error={errorOf('alertWebhook')}>
        {(control) => (
          <input {...control} type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.example.com/zeitgeber" value={values.alertWebhook} onChange={(event) => change('alertWebhook', event.target.value)} onBlur={touch('alertWebhook')} />
        )}
      </FormField>
      <AdvancedPolicies
        values={values}
        open={advancedOpen}
        onToggle={() => setAdvancedOpen((open) => !open)}
        errorOf={errorOf}
        onChange={(field, value) => change(field, value as JobFormValues[typeof field])}
        onBlur={(field) => touch(field)()}
      />
      <div className="job-form__actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
