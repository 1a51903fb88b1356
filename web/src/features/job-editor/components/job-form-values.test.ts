import { describe, expect, it } from 'vitest';
import { EMPTY_JOB_FORM, formValuesOf, toCreateInput, toUpdateInput, validateJobForm, type JobSpecValues } from './job-form-values.ts';

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

  it('bounds the timeout and checks the timezone name', () => {
    expect(validateJobForm({ ...filled, timeoutMs: '99' }).timeoutMs).toMatch(/100 to 600000/);
    expect(validateJobForm({ ...filled, timeoutMs: '1.5' }).timeoutMs).toBeDefined();
    expect(validateJobForm({ ...filled, timeoutMs: '600000' }).timeoutMs).toBeUndefined();
    expect(validateJobForm({ ...filled, timezone: 'Mars/Olympus' }).timezone).toMatch(/Mars\/Olympus/);
  });
});

describe('toCreateInput', () => {
  it('trims and leaves blanks to the server defaults', () => {
    expect(toCreateInput({ ...filled, api: ' https://api.example.com/tick ' })).toEqual({
      api: 'https://api.example.com/tick',
      schedule: '*/10 * * * * *',
      timezone: 'UTC',
      type: 'ATLEAST_ONCE',
    });
    expect(toCreateInput({ ...filled, alertWebhook: 'https://hooks.example.com/a', timeoutMs: '2500' })).toMatchObject({
      alertWebhook: 'https://hooks.example.com/a',
      timeoutMs: 2500,
    });
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
  };

  it('sends nothing for an unchanged form', () => {
    expect(toUpdateInput(current, formValuesOf(current))).toEqual({});
  });

  it('sends only what changed, and null to remove the webhook', () => {
    const values = { ...formValuesOf(current), schedule: '*/5 * * * * *', type: 'ATMOST_ONCE' as const, alertWebhook: '' };
    expect(toUpdateInput(current, values)).toEqual({ schedule: '*/5 * * * * *', type: 'ATMOST_ONCE', alertWebhook: null });
  });
});
