import type { DeliveryType, EditableJob, JobInput } from '../api/job-editor-documents.ts';

/** What the job form holds: text as typed, converted to the API's input on submit. */
export interface JobFormValues {
  api: string;
  schedule: string;
  timezone: string;
  type: DeliveryType;
  alertWebhook: string;
  timeoutMs: string;
}

export type JobFormField = keyof JobFormValues;
export type JobFormErrors = Partial<Record<JobFormField, string>>;

/** The spec of a stored job, as the edit form starts from it. */
export type JobSpecValues = Omit<EditableJob, 'id' | 'description'>;

export const TIMEOUT_MIN_MS = 100;
export const TIMEOUT_MAX_MS = 600_000;

export const EMPTY_JOB_FORM: JobFormValues = {
  api: '',
  schedule: '*/10 * * * * *',
  timezone: 'UTC',
  type: 'ATLEAST_ONCE',
  alertWebhook: '',
  timeoutMs: '',
};

/** The form's starting values for an existing job. */
export function formValuesOf(spec: JobSpecValues): JobFormValues {
  return {
    api: spec.api,
    schedule: spec.schedule,
    timezone: spec.timezone,
    type: spec.type,
    alertWebhook: spec.alertWebhook ?? '',
    timeoutMs: String(spec.timeoutMs),
  };
}

function httpUrlProblem(label: string, text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${label} must be an absolute URL, e.g. https://example.com/hook`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${label} must start with http:// or https://`;
  return undefined;
}

function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks what can be checked without the server: required fields, URL shapes, the timeout's
 * range and the timezone name. The cron expression itself is checked by the server's preview.
 */
export function validateJobForm(values: JobFormValues): JobFormErrors {
  const errors: JobFormErrors = {};
  const api = values.api.trim();
  if (api === '') errors.api = 'Enter the URL to call';
  else {
    const problem = httpUrlProblem('The URL', api);
    if (problem) errors.api = problem;
  }
  if (values.schedule.trim() === '') errors.schedule = 'Enter a cron expression, e.g. */5 * * * * * for every 5 seconds';
  if (!isTimezone(values.timezone.trim())) errors.timezone = `"${values.timezone}" is not a timezone name such as UTC or Europe/Berlin`;
  const webhook = values.alertWebhook.trim();
  if (webhook !== '') {
    const problem = httpUrlProblem('The alert webhook', webhook);
    if (problem) errors.alertWebhook = problem;
  }
  const timeout = values.timeoutMs.trim();
  if (timeout !== '') {
    const ms = Number(timeout);
    if (!Number.isInteger(ms) || ms < TIMEOUT_MIN_MS || ms > TIMEOUT_MAX_MS) {
      errors.timeoutMs = `Enter a whole number of milliseconds from ${TIMEOUT_MIN_MS} to ${TIMEOUT_MAX_MS}`;
    }
  }
  return errors;
}

/** The createJob input: blanks are left out so the server's defaults apply. */
export function toCreateInput(values: JobFormValues): JobInput {
  const input: JobInput = {
    api: values.api.trim(),
    schedule: values.schedule.trim(),
    timezone: values.timezone.trim(),
    type: values.type,
  };
  if (values.alertWebhook.trim() !== '') input.alertWebhook = values.alertWebhook.trim();
  if (values.timeoutMs.trim() !== '') input.timeoutMs = Number(values.timeoutMs);
  return input;
}

/** The updateJob input: only what changed; a cleared webhook becomes null, which removes it. */
export function toUpdateInput(current: JobSpecValues, values: JobFormValues): JobInput {
  const next = toCreateInput(values);
  const input: JobInput = {};
  if (next.api !== current.api) input.api = next.api;
  if (next.schedule !== current.schedule) input.schedule = next.schedule;
  if (next.timezone !== current.timezone) input.timezone = next.timezone;
  if (next.type !== current.type) input.type = next.type;
  const webhook = next.alertWebhook ?? null;
  if (webhook !== current.alertWebhook) input.alertWebhook = webhook;
  if (next.timeoutMs !== undefined && next.timeoutMs !== current.timeoutMs) input.timeoutMs = next.timeoutMs;
  return input;
}
