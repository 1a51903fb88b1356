import { describe, expect, it } from 'vitest';
import { refusal } from '../../test/refusal.ts';
import { DEFAULT_POLICY } from './job-policy.ts';
import { checkJobUpdate, checkNewJob } from './job-spec.ts';

const valid = { schedule: '*/5 * * * * *', api: 'https://example.com/test' };

describe('checkNewJob', () => {
  it('fills the defaults', () => {
    expect(checkNewJob(valid, 30_000).spec).toEqual({
      schedule: '*/5 * * * * *',
      timezone: 'UTC',
      api: 'https://example.com/test',
      type: 'ATLEAST_ONCE',
      alertWebhook: null,
      timeoutMs: 30_000,
      maxAttempts: 3,
      policy: DEFAULT_POLICY,
    });
  });

  it('takes policy fields next to the others, and an update keeps the ones it does not name', () => {
    const created = checkNewJob({ ...valid, misfirePolicy: 'FIRE_ALL', catchUpLimit: 5, successCodes: '2xx, 304' }, 30_000).spec;
    expect(created.policy).toMatchObject({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 5, successCodes: '200-299,304', overlapPolicy: 'ALLOW' });
    const updated = checkJobUpdate(created, { overlapPolicy: 'QUEUE_ONE' }).spec;
    expect(updated.policy).toMatchObject({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 5, overlapPolicy: 'QUEUE_ONE' });
    expect(refusal(() => checkJobUpdate(created, { overlapPolicy: 'NEVER' }))).toEqual({
      field: 'overlapPolicy',
      message: '"overlapPolicy" must be one of ALLOW, SKIP, QUEUE_ONE, got "NEVER"',
    });
  });

  it('makes one attempt for ATMOST_ONCE and refuses retries for it', () => {
    expect(checkNewJob({ ...valid, type: 'ATMOST_ONCE' }, 30_000).spec.maxAttempts).toBe(1);
    expect(refusal(() => checkNewJob({ ...valid, type: 'ATMOST_ONCE', maxAttempts: 3 }, 30_000))).toEqual({
      field: 'maxAttempts',
      message: '"maxAttempts" must be 1 for an ATMOST_ONCE job: it is never retried',
    });
  });

  it('keeps every option given', () => {
    const spec = checkNewJob(
      { ...valid, type: 'ATMOST_ONCE', alertWebhook: 'http://127.0.0.1:9/alert', timezone: 'Europe/Berlin', timeoutMs: 5_000 },
      30_000,
    ).spec;
    expect(spec).toMatchObject({ type: 'ATMOST_ONCE', alertWebhook: 'http://127.0.0.1:9/alert', timezone: 'Europe/Berlin', timeoutMs: 5_000 });
  });

  it.each([
    [{ api: valid.api }, 'schedule', '"schedule" is required'],
    [{ schedule: valid.schedule }, 'api', '"api" is required'],
    [{ ...valid, schedule: 5 }, 'schedule', '"schedule" must be a string, got number'],
    [{ ...valid, schedule: '* * *' }, 'schedule', 'has 3 fields'],
    [{ ...valid, api: 'ftp://example.com/x' }, 'api', '"api" must use http or https, got "ftp"'],
    [{ ...valid, api: 'not a url' }, 'api', '"api" must be an absolute http(s) URL'],
    [{ ...valid, api: 'http://user:pw@127.0.0.1:9/' }, 'api', 'must not carry credentials'],
    [{ ...valid, type: 'EXACTLY_ONCE' }, 'type', '"type" must be one of ATLEAST_ONCE, ATMOST_ONCE, got "EXACTLY_ONCE"'],
    [{ ...valid, alertWebhook: 'mailto:x@example.com' }, 'alertWebhook', '"alertWebhook" must use http or https'],
    [{ ...valid, timeoutMs: 0 }, 'timeoutMs', '"timeoutMs" must be an integer between 100 and 600000, got number'],
    [{ ...valid, timezone: 'Nowhere/Town' }, 'timezone', 'timezone "Nowhere/Town" is not an IANA timezone'],
    [{ ...valid, schedual: '* * * * * *' }, 'schedual', 'unknown field "schedual"'],
    [[valid], 'body', 'the job must be a JSON object'],
    [{ ...valid, maxAttempts: 11 }, 'maxAttempts', '"maxAttempts" must be an integer between 1 and 10, got number'],
  ])('refuses %j on %s', (input, field, message) => {
    const error = refusal(() => checkNewJob(input, 30_000));
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });
});

describe('checkJobUpdate', () => {
  const current = checkNewJob({ ...valid, alertWebhook: 'https://example.com/alert' }, 30_000).spec;

  it('changes only the fields given', () => {
    expect(checkJobUpdate(current, { schedule: '*/10 * * * * *' }).spec).toEqual({ ...current, schedule: '*/10 * * * * *' });
  });

  it('takes the new type\'s attempts when the type changes alone', () => {
    expect(checkJobUpdate(current, { type: 'ATMOST_ONCE' }).spec.maxAttempts).toBe(1);
    const atMostOnce = checkJobUpdate(current, { type: 'ATMOST_ONCE' }).spec;
    expect(checkJobUpdate(atMostOnce, { type: 'ATLEAST_ONCE' }).spec.maxAttempts).toBe(3);
  });

  it('removes the alert webhook with null', () => {
    expect(checkJobUpdate(current, { alertWebhook: null }).spec.alertWebhook).toBeNull();
  });

  it('refuses an empty update and nulls on required fields', () => {
    expect(refusal(() => checkJobUpdate(current, {})).message).toContain('the update is empty');
    expect(refusal(() => checkJobUpdate(current, { api: null }))).toEqual({ field: 'api', message: '"api" cannot be null' });
  });
});
