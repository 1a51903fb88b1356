import { describe, expect, it } from 'vitest';
import { refusal } from '../../test/refusal.ts';
import { checkPolicy, DEFAULT_POLICY, isSuccessStatus, parseStatusRanges, policyOf, policyValues, type JobPolicy } from './job-policy.ts';

describe('job policies', () => {
  it('defaults to fire-once, allow overlap, shift and first on DST, 2xx success, no auto-pause', () => {
    expect(policyValues(DEFAULT_POLICY)).toEqual({
      misfirePolicy: 'FIRE_ONCE',
      catchUpLimit: 100,
      catchUpWindowMs: 3_600_000,
      overlapPolicy: 'ALLOW',
      dstGap: 'SHIFT',
      dstOverlap: 'FIRST',
      successCodes: '200-299',
      successBodyPattern: null,
      failingThreshold: 3,
      autoPauseAfter: null,
      lagAlertMs: null,
    });
  });

  it('shares one object between jobs with the same policy', () => {
    const a = checkPolicy(DEFAULT_POLICY, { overlapPolicy: 'SKIP' });
    const b = checkPolicy(DEFAULT_POLICY, { overlapPolicy: 'SKIP' });
    expect(a).toBe(b);
    expect(policyOf(policyValues(a))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('keeps the current policy itself for an input without policy fields, without looking it up', () => {
    const current = checkPolicy(DEFAULT_POLICY, { dstGap: 'SKIP' });
    expect(checkPolicy(current, { schedule: '* * * * * *', api: 'http://127.0.0.1:9/x' })).toBe(current);
    // An equal policy that is not the shared one: a lookup would answer the shared one instead.
    const unshared: JobPolicy = Object.freeze({ ...DEFAULT_POLICY });
    expect(checkPolicy(unshared, {})).toBe(unshared);
    expect(checkPolicy(unshared, { overlapPolicy: 'ALLOW' })).toBe(DEFAULT_POLICY);
  });

  it('parses status ranges, families and single codes', () => {
    expect(parseStatusRanges('2xx, 304,400-404')).toEqual([[200, 299], [304, 304], [400, 404]]);
    const policy = checkPolicy(DEFAULT_POLICY, { successCodes: '200-204,3xx' });
    expect(policy.successCodes).toBe('200-204,300-399');
    expect(isSuccessStatus(policy, 204)).toBe(true);
    expect(isSuccessStatus(policy, 302)).toBe(true);
    expect(isSuccessStatus(policy, 205)).toBe(false);
  });

  it('refuses bad values with the field and the reason', () => {
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successCodes: '2xx,abc' }))).toEqual({
      field: 'successCodes',
      message: '"successCodes" must list status codes or ranges like "200-299,304" or "2xx", got "abc"',
    });
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successCodes: '299-200' })).field).toBe('successCodes');
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successBodyPattern: '(' })).message).toMatch(
      /^"successBodyPattern" is not a valid regular expression \(RE2 syntax: no lookaround, no backreferences\): error parsing regexp: missing closing \)/,
    );
    // Patterns only a backtracking engine runs: refused with RE2's reason.
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successBodyPattern: '"ok"(?=,)' })).message).toMatch(/invalid or unsupported Perl syntax: `\(\?=`/);
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successBodyPattern: '(a)\\1' })).message).toMatch(/invalid escape sequence: `\\1`/);
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { successBodyPattern: '(?<n>a)\\k<n>' })).message).toMatch(/backreferences \(\\k<name>\) are not supported$/);
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { catchUpLimit: 0 }))).toEqual({
      field: 'catchUpLimit',
      message: '"catchUpLimit" must be an integer between 1 and 1000, got 0',
    });
    expect(refusal(() => checkPolicy(DEFAULT_POLICY, { misfirePolicy: null }))).toEqual({
      field: 'misfirePolicy',
      message: '"misfirePolicy" cannot be null',
    });
  });

  it('switches optional features off with null', () => {
    const on = checkPolicy(DEFAULT_POLICY, { autoPauseAfter: 5, lagAlertMs: 2_000, successBodyPattern: 'ok' });
    const off = checkPolicy(on, { autoPauseAfter: null, lagAlertMs: null, successBodyPattern: null });
    expect(off).toBe(DEFAULT_POLICY);
  });
});
