import { describe, expect, it } from 'vitest';
import { compileSchedule } from '../domain/cron.ts';
import { checkNewJob, type JobSpec } from '../domain/job-spec.ts';
import { JobRuntime } from './job-runtime.ts';

const CURSOR = 1_000;
const listener = () => {};

function specOf(api: string): JobSpec {
  return checkNewJob({ schedule: '* * * * * *', api, overlapPolicy: 'QUEUE_ONE' }, 30_000).spec;
}

function runtime(id = 'job', spec = specOf('http://127.0.0.1:9/hook')): JobRuntime {
  return new JobRuntime(id, spec, compileSchedule(spec.schedule), 'ACTIVE', 1, CURSOR);
}

describe('JobRuntime', () => {
  it('shares one spec between jobs that state the same, on creation and on change', () => {
    const a = runtime('a', specOf('http://127.0.0.1:9/hook'));
    const b = runtime('b', specOf('http://127.0.0.1:9/hook'));
    expect(b.spec).toBe(a.spec);
    const c = runtime('c', specOf('http://127.0.0.1:9/other'));
    expect(c.spec).not.toBe(a.spec);
    c.spec = specOf('http://127.0.0.1:9/hook');
    expect(c.spec).toBe(a.spec);
    expect(c.spec.api).toBe('http://127.0.0.1:9/hook');
  });

  it('carries no cursor past an occurrence in flight, and reports nothing unsettled once all settled', () => {
    const job = runtime();
    expect(job.busy).toBe(false);
    expect(job.intentToKeep).toBeNull();
    expect(job.accountedUpTo).toBe(CURSOR);
    job.begin(2_000);
    job.begin(3_000);
    expect(job.busy).toBe(true);
    expect(job.intentToKeep).toBe(3_000);
    expect(job.settle(3_000)).toBe(1_999);
    // At least once: the intent kept is the latest in flight; a restart re-sends it and plans the rest.
    expect(job.intentToKeep).toBe(2_000);
    expect(job.accountedUpTo).toBe(3_000);
    expect(job.settle(2_000)).toBe(3_000);
    expect(job.busy).toBe(false);
    expect(job.intentToKeep).toBeNull();
    expect(job.accountedUpTo).toBe(3_000);
    // Settled, skipped and sent again: the answers go on from where they were.
    job.skipped(4_000);
    expect(job.accountedUpTo).toBe(4_000);
    job.begin(5_000);
    expect(job.settle(5_000)).toBe(5_000);
    expect(job.settle(4_500)).toBe(5_000);
  });

  it('keeps, at a clean stop, an at-most-once intent that covers what settled after the oldest in flight', () => {
    const spec = checkNewJob({ schedule: '* * * * * *', api: 'http://127.0.0.1:9/hook', type: 'ATMOST_ONCE' }, 30_000).spec;
    const job = runtime('once', spec);
    job.begin(2_000);
    job.begin(3_000);
    expect(job.intentToKeep).toBe(3_000);
    job.settle(3_000);
    job.skipped(4_000);
    // 2,000 is still in flight: a restart records 2,000 to 4,000 UNKNOWN and sends none of them again.
    expect(job.intentToKeep).toBe(4_000);
    job.settle(2_000);
    expect(job.intentToKeep).toBeNull();
  });

  it('holds occurrences back, releases them once nothing is in flight, and keeps a skip past a dropped hold', () => {
    const job = runtime();
    job.begin(2_000);
    job.hold({ at: 3_000, trigger: 'SCHEDULE' }, listener);
    expect(job.holding).toBe(true);
    expect(job.takeReleasable()).toBeNull();
    job.skipped(4_000);
    expect(job.accountedUpTo).toBe(4_000);
    expect(job.settle(2_000)).toBe(2_999);
    expect(job.takeReleasable()).toEqual({ at: 3_000, trigger: 'SCHEDULE' });
    expect(job.holding).toBe(false);
    job.hold({ at: 5_000, trigger: 'SCHEDULE' }, listener);
    job.skipped(6_000);
    expect(job.dropHeld()).toEqual([{ at: 5_000, trigger: 'SCHEDULE' }]);
    expect(job.busy).toBe(false);
    // The skip at 6,000 still counts, though nothing is held or in flight any more.
    expect(job.accountedUpTo).toBe(6_000);
    expect(job.dropHeld()).toEqual([]);
  });
});
