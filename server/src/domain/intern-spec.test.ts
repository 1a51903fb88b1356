import { describe, expect, it } from 'vitest';
import { internSpec, MAX_SHARED_SPECS } from './intern-spec.ts';
import { checkPolicy, DEFAULT_POLICY } from './job-policy.ts';
import { checkNewJob, type JobSpec } from './job-spec.ts';

/** A spec as a restore reads it: every string a fresh instance, as each database row gives it. */
function readBack(spec: JobSpec): JobSpec {
  const fresh = (text: string): string => (' ' + text).slice(1);
  return {
    ...spec,
    schedule: fresh(spec.schedule),
    timezone: fresh(spec.timezone),
    api: fresh(spec.api),
    alertWebhook: spec.alertWebhook === null ? null : fresh(spec.alertWebhook),
  };
}

const base = checkNewJob({ schedule: '7 3 * * * *', api: 'http://127.0.0.1:9/hook', alertWebhook: 'http://127.0.0.1:9/alerts' }, 30_000).spec;

describe('internSpec', () => {
  it('gives every job that states the same spec one frozen object, its URL one string', () => {
    const first = internSpec(readBack(base));
    const second = internSpec(readBack(base));
    expect(second).toBe(first);
    expect(second.api).toBe(first.api);
    expect(first).toEqual(base);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps specs apart that differ in any field, the policy included', () => {
    const shared = internSpec(base);
    const variants: JobSpec[] = [
      { ...base, schedule: '8 3 * * * *' },
      { ...base, timezone: 'Europe/Paris' },
      { ...base, api: 'http://127.0.0.1:9/other' },
      { ...base, type: 'ATMOST_ONCE', maxAttempts: 1 },
      { ...base, alertWebhook: null },
      { ...base, timeoutMs: 31_000 },
      { ...base, maxAttempts: 5 },
      { ...base, policy: checkPolicy(DEFAULT_POLICY, { overlapPolicy: 'SKIP' }) },
    ];
    for (const variant of variants) {
      const interned = internSpec(variant);
      expect(interned).not.toBe(shared);
      expect(interned).toEqual(variant);
      expect(internSpec(readBack(variant))).toBe(interned);
    }
  });

  it('uses a spec with a very long URL as given', () => {
    const long = { ...base, api: `http://127.0.0.1:9/${'x'.repeat(1_100)}` };
    expect(internSpec(long)).toBe(long);
  });

  it('stops sharing new specs once the table is full, and still shares the known ones', () => {
    const known = internSpec(base);
    for (let i = 0; i < MAX_SHARED_SPECS; i++) internSpec({ ...base, api: `http://127.0.0.1:9/job/${i}` });
    const unseen = { ...base, api: 'http://127.0.0.1:9/unseen' };
    expect(internSpec(unseen)).toBe(unseen);
    expect(internSpec(readBack(base))).toBe(known);
  });
});
