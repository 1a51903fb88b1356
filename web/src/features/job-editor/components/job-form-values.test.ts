import { describe, expect, it } from 'vitest';
import { EMPTY_JOB_FORM, formValuesOf, toCreateInput, toUpdateInput, validateJobForm, type JobSpecValues } from './job-form-values.ts';
import { POLICY_DEFAULTS } from './policy-form-values.ts';

const filled = { ...EMPTY_JOB_FORM, api: 'https://api.example.com/tick' };

describe('validateJobForm', () => {
  it('accepts a complete form', () => {
    expect(validateJobForm({ ...filled, alertWebhook: 'https://hooks.example.com/a', timeoutMs: '5000', timezone: 'Europe/Berlin' })).toEqual({});
  });

  it('asks for the URL and the schedule', () => {
    const errors = validateJobForm({ ...EMPTY_JOB_FORM, schedule: '  ' });
    expect(errors.api).toBe('Enter the URL to call');
    expect(errors.schedule).toMatch(/cron expression/);
  });

  it('refuses URLs that are not http(s)', () => {
    expect(validateJobForm({ ...filled, api: 'example.com' }).api).toMatch(/absolute URL/);
    expect(validateJobForm({ ...filled, api: 'ftp://example.com' }).api).toMatch(/http:\/\/ or https:\/\//);
    expect(validateJobForm({ ...filled, alertWebhook: 'mailto:ops@example.com' }).alertWebhook).toMatch(/alert webhook/);
  });

  it('bounds the attempts at least once, and leaves them to the fixed 1 at most once', () => {
    expect(validateJobForm({ ...filled, maxAttempts: '10' }).maxAttempts).toBeUndefined();
    expect(validateJobForm({ ...filled, maxAttempts: '11' }).maxAttempts).toBe('Enter a whole number of attempts from 1 to 10');
    expect(validateJobForm({ ...filled, maxAttempts: '0' }).maxAttempts).toBeDefined();
    expect(validateJobForm({ ...filled, maxAttempts: '2.5' }).maxAttempts).toBeDefined();
    expect(validateJobForm({ ...filled, maxAttempts: ' ' }).maxAttempts).toBeDefined();
    expect(validateJobForm({ ...filled, type: 'ATMOST_ONCE', maxAttempts: '11' }).maxAttempts).toBeUndefined();
  });

  it('bounds the timeout and checks the timezone name', () => {
    expect(validateJobForm({ ...filled, timeoutMs: '99' }).timeoutMs).toMatch(/100 to 600000/);
    expect(validateJobForm({ ...filled, timeoutMs: '1.5' }).timeoutMs).toBeDefined();
    expect(validateJobForm({ ...filled, timeoutMs: '600000' }).timeoutMs).toBeUndefined();
    expect(validateJobForm({ ...filled, timezone: 'Mars/Olympus' }).timezone).toMatch(/Mars\/Olympus/);
  });

  it('checks the policies with the rest of the form', () => {
    expect(validateJobForm({ ...filled, failingThreshold: '0' }).failingThreshold).toMatch(/from 1 to 1000/);
  });
});

describe('toCreateInput', () => {
  it('trims and leaves blanks to the server defaults', () => {
    expect(toCreateInput({ ...filled, api: ' https://api.example.com/tick ' })).toEqual({
      api: 'https://api.example.com/tick',
      schedule: '*/10 * * * * *',
      timezone: 'UTC',
      type: 'ATLEAST_ONCE',
      maxAttempts: 3,
    });
    expect(toCreateInput({ ...filled, alertWebhook: 'https://hooks.example.com/a', timeoutMs: '2500' })).toMatchObject({
      alertWebhook: 'https://hooks.example.com/a',
      timeoutMs: 2500,
    });
  });

  it('sends the policies that differ from the defaults', () => {
    expect(toCreateInput({ ...filled, dstOverlap: 'BOTH', lagAlertMs: '250' })).toMatchObject({ dstOverlap: 'BOTH', lagAlertMs: 250 });
    expect(Object.keys(toCreateInput(filled))).not.toContain('misfirePolicy');
  });

  it('sends one attempt at most once, whatever was typed before', () => {
    expect(toCreateInput({ ...filled, maxAttempts: '7', type: 'ATMOST_ONCE' })).toMatchObject({ type: 'ATMOST_ONCE', maxAttempts: 1 });
    expect(toCreateInput({ ...filled, maxAttempts: '7' })).toMatchObject({ maxAttempts: 7 });
  });
});

describe('formValuesOf', () => {
  it('offers the at-least-once default for the disabled attempts of an at-most-once job', () => {
    const atMostOnce: JobSpecValues = { api: 'https://a.example.com/', schedule: '* * * * * *', timezone: 'UTC', type: 'ATMOST_ONCE', alertWebhook: null, timeoutMs: 1_000, maxAttempts: 1, ...POLICY_DEFAULTS };
    expect(formValuesOf(atMostOnce).maxAttempts).toBe('3');
    expect(formValuesOf({ ...atMostOnce, type: 'ATLEAST_ONCE', maxAttempts: 5 }).maxAttempts).toBe('5');
  });
});

describe('toUpdateInput', () => {
  const current: JobSpecValues = {
    api: 'https://api.example.com/tick',
    schedule: '0 * * * * *',
    timezone: 'UTC',
    type: 'ATLEAST_ONCE',
    alertWebhook: 'https://hooks.example.com/a',
    timeoutMs: 30_000,
    maxAttempts: 3,
    ...POLICY_DEFAULTS,
  };

  it('sends nothing for an unchanged form', () => {
    expect(toUpdateInput(current, formValuesOf(current))).toEqual({});
  });

  it('sends only what changed, and null to remove the webhook', () => {
    const values = { ...formValuesOf(current), schedule: '*/5 * * * * *', alertWebhook: '' };
    expect(toUpdateInput(current, values)).toEqual({ schedule: '*/5 * * * * *', alertWebhook: null });
    expect(toUpdateInput(current, { ...formValuesOf(current), maxAttempts: '5' })).toEqual({ maxAttempts: 5 });
  });

  it('sends only the policies that changed, next to the other changes', () => {
    const values = { ...formValuesOf(current), timeoutMs: '1000', misfirePolicy: 'SKIP' as const, failingThreshold: '3' };
    expect(toUpdateInput(current, values)).toEqual({ timeoutMs: 1_000, misfirePolicy: 'SKIP' });
  });

  it('sends the attempts with every change of delivery type', () => {
    expect(toUpdateInput(current, { ...formValuesOf(current), type: 'ATMOST_ONCE' })).toEqual({ type: 'ATMOST_ONCE', maxAttempts: 1 });
    const atMostOnce: JobSpecValues = { ...current, type: 'ATMOST_ONCE', maxAttempts: 1 };
    // Back to at least once with 1 attempt: unchanged in number, but the server would default to 3 without it.
    expect(toUpdateInput(atMostOnce, { ...formValuesOf(atMostOnce), type: 'ATLEAST_ONCE', maxAttempts: '1' })).toEqual({ type: 'ATLEAST_ONCE', maxAttempts: 1 });
    expect(toUpdateInput(atMostOnce, { ...formValuesOf(atMostOnce), timeoutMs: '1000' })).toEqual({ timeoutMs: 1_000 });
  });
});
