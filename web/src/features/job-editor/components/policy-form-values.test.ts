import { describe, expect, it } from 'vitest';
import { countCustomPolicies, DEFAULT_POLICY_FORM, policyChanges, policyFormValuesOf, POLICY_DEFAULTS, validatePolicies } from './policy-form-values.ts';

describe('validatePolicies', () => {
  it('accepts the defaults', () => {
    expect(validatePolicies(DEFAULT_POLICY_FORM)).toEqual({});
  });

  it('checks the catch-up limit and window only when every missed occurrence runs', () => {
    const broken = { ...DEFAULT_POLICY_FORM, catchUpLimit: '0', catchUpWindowMs: '999' };
    expect(validatePolicies(broken)).toEqual({});
    const errors = validatePolicies({ ...broken, misfirePolicy: 'FIRE_ALL' });
    expect(errors.catchUpLimit).toBe('Enter a whole number of occurrences from 1 to 1000');
    expect(errors.catchUpWindowMs).toBe('Enter a whole number of milliseconds from 1000 to 604800000');
  });

  it('reads status codes as the server does', () => {
    for (const good of ['200-299', '2xx', '200-299, 304', '204']) expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successCodes: good }).successCodes).toBeUndefined();
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successCodes: ' ' }).successCodes).toMatch(/Enter the status codes/);
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successCodes: '200-299,ok' }).successCodes).toBe('"ok" is not a status code or range: use e.g. 200-299,304 or 2xx');
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successCodes: '299-200' }).successCodes).toMatch(/within 100-599, low to high/);
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successCodes: '600' }).successCodes).toMatch(/within 100-599/);
  });

  it('refuses a body pattern that does not compile', () => {
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successBodyPattern: '"ok":\\s*true' }).successBodyPattern).toBeUndefined();
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, successBodyPattern: '(' }).successBodyPattern).toMatch(/^Not a valid regular expression/);
  });

  it('bounds the thresholds, and leaves blank optional ones alone', () => {
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, failingThreshold: '' }).failingThreshold).toBe('Enter a whole number of failures from 1 to 1000');
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, autoPauseAfter: '2.5' }).autoPauseAfter).toBe('Enter a whole number of failures from 1 to 10000');
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, lagAlertMs: '5' }).lagAlertMs).toBe('Enter a whole number of milliseconds from 10 to 3600000');
    expect(validatePolicies({ ...DEFAULT_POLICY_FORM, autoPauseAfter: '10', lagAlertMs: '500' })).toEqual({});
  });
});

describe('policyChanges', () => {
  it('sends nothing for the defaults of a new job', () => {
    expect(policyChanges(POLICY_DEFAULTS, DEFAULT_POLICY_FORM)).toEqual({});
    expect(countCustomPolicies(DEFAULT_POLICY_FORM)).toBe(0);
  });

  it('sends what differs, as the API takes it', () => {
    const values = { ...DEFAULT_POLICY_FORM, overlapPolicy: 'QUEUE_ONE' as const, successCodes: ' 2xx ', autoPauseAfter: '10', successBodyPattern: 'ok' };
    expect(policyChanges(POLICY_DEFAULTS, values)).toEqual({ overlapPolicy: 'QUEUE_ONE', successCodes: '2xx', autoPauseAfter: 10, successBodyPattern: 'ok' });
    expect(countCustomPolicies(values)).toBe(4);
  });

  it('sends the catch-up limit and window only with FIRE_ALL, and only when changed', () => {
    const fireAll = { ...DEFAULT_POLICY_FORM, misfirePolicy: 'FIRE_ALL' as const };
    expect(policyChanges(POLICY_DEFAULTS, fireAll)).toEqual({ misfirePolicy: 'FIRE_ALL' });
    expect(policyChanges(POLICY_DEFAULTS, { ...fireAll, catchUpLimit: '20' })).toEqual({ misfirePolicy: 'FIRE_ALL', catchUpLimit: 20 });
    expect(policyChanges(POLICY_DEFAULTS, { ...DEFAULT_POLICY_FORM, misfirePolicy: 'SKIP', catchUpLimit: '20' })).toEqual({ misfirePolicy: 'SKIP' });
  });

  it('switches optional policies off with null', () => {
    const stored = { ...POLICY_DEFAULTS, successBodyPattern: 'ok', autoPauseAfter: 5, lagAlertMs: 250 };
    const values = policyFormValuesOf(stored);
    expect(values).toMatchObject({ successBodyPattern: 'ok', autoPauseAfter: '5', lagAlertMs: '250' });
    expect(policyChanges(stored, values)).toEqual({});
    expect(policyChanges(stored, { ...values, successBodyPattern: '', autoPauseAfter: ' ', lagAlertMs: '' })).toEqual({ successBodyPattern: null, autoPauseAfter: null, lagAlertMs: null });
  });
});
