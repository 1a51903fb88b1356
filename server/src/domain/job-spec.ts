import { compileSchedule, type CompiledSchedule } from './cron.ts';
import { ValidationError } from './errors.ts';
import { checkPolicy, DEFAULT_POLICY, POLICY_FIELDS, type JobPolicy } from './job-policy.ts';

export const DELIVERY_TYPES = ['ATLEAST_ONCE', 'ATMOST_ONCE'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

export const JOB_STATUSES = ['ACTIVE', 'PAUSED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Attempts per occurrence of an ATLEAST_ONCE job (the first call and its retries). */
export const ATTEMPT_LIMITS = { min: 1, max: 10, default: 3 } as const;

/** Bounds on a job's per-call timeout, in milliseconds. */
export const TIMEOUT_LIMITS = { min: 100, max: 600_000 } as const;

const URL_MAX_LENGTH = 2048;

/** What a user states about a job; everything else about it is derived or observed. */
export interface JobSpec {
  schedule: string;
  timezone: string;
  api: string;
  type: DeliveryType;
  alertWebhook: string | null;
  timeoutMs: number;
  /** Attempts per occurrence; always 1 for ATMOST_ONCE. */
  maxAttempts: number;
  /** Misfire, overlap, DST, success and alerting policies (shared between jobs that agree). */
  policy: JobPolicy;
}

/** A validated spec together with its compiled schedule, so the cron is parsed once. */
export interface CheckedSpec {
  spec: JobSpec;
  compiled: CompiledSchedule;
}

const SPEC_FIELDS = ['schedule', 'timezone', 'api', 'type', 'alertWebhook', 'timeoutMs', 'maxAttempts', ...POLICY_FIELDS] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return typeof value;
}

function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, `"${field}" must be a string, got ${describe(value)}`);
  return value;
}

function checkHttpUrl(field: string, value: unknown): string {
  const text = requireString(field, value).trim();
  if (text.length > URL_MAX_LENGTH) {
    throw new ValidationError(field, `"${field}" is longer than ${URL_MAX_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(field, `"${field}" must be an absolute http(s) URL, got ${describe(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(field, `"${field}" must use http or https, got "${url.protocol.slice(0, -1)}"`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ValidationError(field, `"${field}" must not carry credentials in the URL`);
  }
  return url.href;
}

function checkType(value: unknown): DeliveryType {
  const text = requireString('type', value);
  if (!(DELIVERY_TYPES as readonly string[]).includes(text)) {
    throw new ValidationError('type', `"type" must be one of ${DELIVERY_TYPES.join(', ')}, got ${describe(value)}`);
  }
  return text as DeliveryType;
}

function checkTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < TIMEOUT_LIMITS.min || value > TIMEOUT_LIMITS.max) {
    throw new ValidationError(
      'timeoutMs',
      `"timeoutMs" must be an integer between ${TIMEOUT_LIMITS.min} and ${TIMEOUT_LIMITS.max}, got ${describe(value)}`,
    );
  }
  return value;
}

function checkAttempts(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < ATTEMPT_LIMITS.min || value > ATTEMPT_LIMITS.max) {
    throw new ValidationError(
      'maxAttempts',
      `"maxAttempts" must be an integer between ${ATTEMPT_LIMITS.min} and ${ATTEMPT_LIMITS.max}, got ${describe(value)}`,
    );
  }
  return value;
}

function checkAlertWebhook(value: unknown): string | null {
  return value === null || value === '' ? null : checkHttpUrl('alertWebhook', value);
}

function assertObject(input: unknown): asserts input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('body', 'the job must be a JSON object');
  }
}

function rejectUnknownFields(input: Record<string, unknown>): void {
  for (const key of Object.keys(input)) {
    if (!(SPEC_FIELDS as readonly string[]).includes(key)) {
      throw new ValidationError(key, `unknown field "${key}"; a job has ${SPEC_FIELDS.join(', ')}`);
    }
  }
}

function check(spec: JobSpec): CheckedSpec {
  if (spec.type === 'ATMOST_ONCE' && spec.maxAttempts !== 1) {
    throw new ValidationError('maxAttempts', '"maxAttempts" must be 1 for an ATMOST_ONCE job: it is never retried');
  }
  const compiled = compileSchedule(spec.schedule, spec.timezone, spec.policy);
  return { spec: { ...spec, schedule: compiled.expression }, compiled };
}

/** ATMOST_ONCE makes one attempt; ATLEAST_ONCE defaults to ATTEMPT_LIMITS.default. */
function attemptsFor(type: DeliveryType, given: unknown): number {
  if (given !== undefined) return checkAttempts(given);
  return type === 'ATMOST_ONCE' ? 1 : ATTEMPT_LIMITS.default;
}

/**
 * Validates the body of a new job. `schedule` and `api` are required; `type` defaults to
 * ATLEAST_ONCE, `timezone` to UTC and `timeoutMs` to `defaultTimeoutMs`.
 */
export function checkNewJob(input: unknown, defaultTimeoutMs: number): CheckedSpec {
  assertObject(input);
  rejectUnknownFields(input);
  for (const field of ['schedule', 'api'] as const) {
    if (input[field] === undefined || input[field] === null) {
      throw new ValidationError(field, `"${field}" is required`);
    }
  }
  const timezone = input.timezone === undefined || input.timezone === null ? 'UTC' : requireString('timezone', input.timezone);
  const type = input.type === undefined ? 'ATLEAST_ONCE' : checkType(input.type);
  return check({
    schedule: requireString('schedule', input.schedule),
    timezone,
    api: checkHttpUrl('api', input.api),
    type,
    alertWebhook: input.alertWebhook === undefined ? null : checkAlertWebhook(input.alertWebhook),
    timeoutMs: input.timeoutMs === undefined ? defaultTimeoutMs : checkTimeout(input.timeoutMs),
    maxAttempts: attemptsFor(type, input.maxAttempts),
    policy: checkPolicy(DEFAULT_POLICY, input),
  });
}

/**
 * Validates a partial update against the current spec: absent fields keep their value, and
 * `alertWebhook: null` removes the webhook. An empty update is refused, since it is most likely a
 * client bug.
 */
export function checkJobUpdate(current: JobSpec, input: unknown): CheckedSpec {
  assertObject(input);
  rejectUnknownFields(input);
  if (Object.keys(input).length === 0) {
    throw new ValidationError('body', `the update is empty; send at least one of ${SPEC_FIELDS.join(', ')}`);
  }
  for (const field of ['schedule', 'api', 'type', 'timezone', 'timeoutMs', 'maxAttempts'] as const) {
    if (input[field] === null) throw new ValidationError(field, `"${field}" cannot be null`);
  }
  const type = input.type === undefined ? current.type : checkType(input.type);
  // Switching the delivery type without saying how many attempts takes that type's default.
  const attempts = input.maxAttempts ?? (type === current.type ? current.maxAttempts : undefined);
  return check({
    schedule: input.schedule === undefined ? current.schedule : requireString('schedule', input.schedule),
    timezone: input.timezone === undefined ? current.timezone : requireString('timezone', input.timezone),
    api: input.api === undefined ? current.api : checkHttpUrl('api', input.api),
    type,
    alertWebhook: input.alertWebhook === undefined ? current.alertWebhook : checkAlertWebhook(input.alertWebhook),
    timeoutMs: input.timeoutMs === undefined ? current.timeoutMs : checkTimeout(input.timeoutMs),
    maxAttempts: attemptsFor(type, attempts),
    policy: checkPolicy(current.policy, input),
  });
}

/** Whether a change from `before` to `after` moves the job's fire times. */
export function affectsSchedule(before: JobSpec, after: JobSpec): boolean {
  return (
    before.schedule !== after.schedule ||
    before.timezone !== after.timezone ||
    before.policy.dstGap !== after.policy.dstGap ||
    before.policy.dstOverlap !== after.policy.dstOverlap
  );
}
