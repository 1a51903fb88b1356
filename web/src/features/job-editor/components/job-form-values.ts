import type { DeliveryType, EditableJob, JobInput } from '../api/job-editor-documents.ts';
import { DEFAULT_POLICY_FORM, policyChanges, policyFormValuesOf, POLICY_DEFAULTS, validatePolicies, type PolicyFormValues } from './policy-form-values.ts';

/** What the job form holds: text as typed, converted to the API's input on submit. */
export interface JobFormValues extends PolicyFormValues {
  api: string;
  schedule: string;
  timezone: string;
  type: DeliveryType;
  alertWebhook: string;
  timeoutMs: string;
  /** Attempts per occurrence as typed; only read for ATLEAST_ONCE (ATMOST_ONCE always makes one). */
  maxAttempts: string;
}

export type JobFormField = keyof JobFormValues;
export type JobFormErrors = Partial<Record<JobFormField, string>>;

/** The spec of a stored job, as the edit form starts from it. */
export type JobSpecValues = Omit<EditableJob, 'id' | 'description'>;

export const TIMEOUT_MIN_MS = 100;
export const TIMEOUT_MAX_MS = 600_000;
/** Attempts per occurrence of an ATLEAST_ONCE job (the first call and its retries), as the server allows. */
export const ATTEMPTS_MIN = 1;
export const ATTEMPTS_MAX = 10;
export const ATTEMPTS_DEFAULT = 3;

export const EMPTY_JOB_FORM: JobFormValues = {
  api: '',
  schedule: '*/10 * * * * *',
  timezone: 'UTC',
  type: 'ATLEAST_ONCE',
  alertWebhook: '',
  timeoutMs: '',
  maxAttempts: String(ATTEMPTS_DEFAULT),
  ...DEFAULT_POLICY_FORM,
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
    maxAttempts: String(spec.type === 'ATMOST_ONCE' ? ATTEMPTS_DEFAULT : spec.maxAttempts),
    ...policyFormValuesOf(spec),
  };
}

/** The attempts a job with these values makes per occurrence: always 1 at most once. */
export function attemptsOf(values: Pick<JobFormValues, 'type' | 'maxAttempts'>): number {
  return values.type === 'ATMOST_ONCE' ? 1 : Number(values.maxAttempts.trim());
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
 * Checks what can be checked without the server: required fields, URL shapes, the timeout's and
 * the attempts' ranges and the timezone name. The cron expression itself is checked by the
 * server's preview. Attempts are only checked at least once: at most once they are fixed at 1.
 */
export function validateJobForm(values: JobFormValues): JobFormErrors {
  const errors: JobFormErrors = validatePolicies(values);
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
  const attempts = attemptsOf(values);
  if (values.type === 'ATLEAST_ONCE' && (values.maxAttempts.trim() === '' || !Number.isInteger(attempts) || attempts < ATTEMPTS_MIN || attempts > ATTEMPTS_MAX)) {
    errors.maxAttempts = `Enter a whole number of attempts from ${ATTEMPTS_MIN} to ${ATTEMPTS_MAX}`;
  }
  return errors;
}

/** The createJob input: blanks and default policies are left out so the server's defaults apply. */
export function toCreateInput(values: JobFormValues): JobInput {
  return { ...specInput(values), ...policyChanges(POLICY_DEFAULTS, values) };
}

/** The job's own fields (all but the policies) as the API takes them; blanks left out. */
function specInput(values: JobFormValues): JobInput {
  const input: JobInput = {
    api: values.api.trim(),
    schedule: values.schedule.trim(),
    timezone: values.timezone.trim(),
    type: values.type,
    maxAttempts: attemptsOf(values),
  };
  if (values.alertWebhook.trim() !== '') input.alertWebhook = values.alertWebhook.trim();
  if (values.timeoutMs.trim() !== '') input.timeoutMs = Number(values.timeoutMs);
  return input;
}

/**
 * The updateJob input: only what changed; a cleared webhook (or pattern, auto-pause, lag alert)
 * becomes null, which removes it. A new delivery type always carries its attempts: without them
 * the server would take that type's default rather than what the form shows.
 */
export function toUpdateInput(current: JobSpecValues, values: JobFormValues): JobInput {
  const next = specInput(values);
  const input: JobInput = policyChanges(current, values);
  if (next.api !== current.api) input.api = next.api;
  if (next.schedule !== current.schedule) input.schedule = next.schedule;
  if (next.timezone !== current.timezone) input.timezone = next.timezone;
  if (next.type !== current.type) input.type = next.type;
  if (next.type !== current.type || next.maxAttempts !== current.maxAttempts) input.maxAttempts = next.maxAttempts;
  const webhook = next.alertWebhook ?? null;
  if (webhook !== current.alertWebhook) input.alertWebhook = webhook;
  if (next.timeoutMs !== undefined && next.timeoutMs !== current.timeoutMs) input.timeoutMs = next.timeoutMs;
  return input;
}
