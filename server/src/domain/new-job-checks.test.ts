import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { internSpec } from './intern-spec.ts';
import { checkNewJob } from './job-spec.ts';
import { NewJobChecks } from './new-job-checks.ts';

const input = (second: number, more: Record<string, unknown> = {}) => ({ schedule: `${second} * * * * *`, api: 'http://127.0.0.1:9/hook', ...more });

describe('NewJobChecks', () => {
  it('answers an input equal to one checked before with the same check, whose spec is the shared one', () => {
    const checks = new NewJobChecks(30_000);
    const first = checks.check(input(7));
    expect(checks.check(input(7))).toBe(first);
    expect(internSpec(first.spec)).toBe(first.spec);
    expect(first).toEqual(checkNewJob(input(7), 30_000));
    expect(first.spec.timeoutMs).toBe(30_000);
  });

  it('checks inputs that differ in any value, or in a field given or not, apart', () => {
    const checks = new NewJobChecks(30_000);
    const plain = checks.check(input(7));
    const variants = [
      input(8),
      input(7, { api: 'http://127.0.0.1:9/other' }),
      input(7, { type: 'ATMOST_ONCE' }),
      input(7, { maxAttempts: 5 }),
      input(7, { timeoutMs: 1_000 }),
      input(7, { alertWebhook: 'http://127.0.0.1:9/alert' }),
      input(7, { timezone: 'Europe/Paris' }),
      input(7, { overlapPolicy: 'SKIP' }),
    ];
    for (const variant of variants) {
      const checked = checks.check(variant);
      expect(checked).not.toBe(plain);
      expect(checked).toEqual({ ...checkNewJob(variant, 30_000), spec: internSpec(checkNewJob(variant, 30_000).spec) });
    }
  });

  it('refuses an input every time it comes, and keeps nothing of it', () => {
    const checks = new NewJobChecks(30_000);
    const bad = input(7, { maxAttempts: 0 });
    for (let turn = 0; turn < 2; turn++) {
      expect(() => checks.check(bad)).toThrow(ValidationError);
      expect(() => checks.check(bad)).toThrow(/"maxAttempts" must be an integer between 1 and 10, got number/);
    }
    expect(checks.check(input(7, { maxAttempts: 2 })).spec.maxAttempts).toBe(2);
  });

  it('checks every time an input whose values are not plain: NaN, objects, undefined', () => {
    const checks = new NewJobChecks(30_000);
    expect(() => checks.check(input(7, { timeoutMs: Number.NaN }))).toThrow(/"timeoutMs" must be an integer/);
    expect(() => checks.check(input(7, { api: { href: 'http://127.0.0.1:9/hook' } }))).toThrow(/"api" must be a string/);
    // Equal to the plain input to checkNewJob, so the same spec, though not kept by its key.
    const withUndefined = checks.check(input(7, { type: undefined }));
    expect(withUndefined.spec).toBe(checks.check(input(7)).spec);
  });

  it('checks an input as its key read it: a getter read again cannot give the check another value', () => {
    const checks = new NewJobChecks(30_000);
    let reads = 0;
    const changing = {
      schedule: '7 * * * * *',
      get api() {
        reads++;
        return reads === 1 ? 'http://127.0.0.1:9/first' : 'http://127.0.0.1:9/second';
      },
    };
    const checked = checks.check(changing);
    expect(checked.spec.api).toBe('http://127.0.0.1:9/first');
    expect(reads).toBe(1);
    expect(checks.check(input(7, { api: 'http://127.0.0.1:9/first' }))).toBe(checked);
  });

  it('checks the input it was given as read when a getter of it checks another input meanwhile', () => {
    const checks = new NewJobChecks(30_000);
    const outer = {
      schedule: '7 * * * * *',
      get api() {
        checks.check(input(9, { api: 'http://127.0.0.1:9/inner' }));
        return 'http://127.0.0.1:9/outer';
      },
    };
    const checked = checks.check(outer);
    expect([checked.spec.schedule, checked.spec.api]).toEqual(['7 * * * * *', 'http://127.0.0.1:9/outer']);
    expect(checks.check(input(7, { api: 'http://127.0.0.1:9/outer' }))).toBe(checked);
  });

  it('keeps no check of an input whose key would be long: it is checked every time', () => {
    const checks = new NewJobChecks(30_000);
    const long = input(7, { api: `http://127.0.0.1:9/${'x'.repeat(600)}` });
    const first = checks.check(long);
    expect(checks.check(long)).not.toBe(first);
    expect(checks.check(long).spec).toBe(first.spec);
  });

  it('tells apart inputs whose names and values would read alike run together', () => {
    const checks = new NewJobChecks(30_000);
    const valid = checks.check({ api: 'http://127.0.0.1:9/hook', schedule: '7 * * * * *' });
    // One field whose name holds the other input's names and values: unknown, refused.
    expect(() => checks.check({ 'apishttp://127.0.0.1:9/hookschedule': '7 * * * * *' })).toThrow(/unknown field/);
    expect(checks.check({ api: 'http://127.0.0.1:9/hook', schedule: '7 * * * * *' })).toBe(valid);
  });
});
