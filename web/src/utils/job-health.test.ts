import { describe, expect, it } from 'vitest';
import { jobHealthOf, type JobHealthFacts } from './job-health.ts';

const healthy: JobHealthFacts = { status: 'ACTIVE', pauseReason: null, consecutiveFailures: 0, failingThreshold: 3 };

describe('jobHealthOf', () => {
  it('says nothing about a healthy job, or one a user paused', () => {
    expect(jobHealthOf(healthy)).toBeNull();
    expect(jobHealthOf({ ...healthy, consecutiveFailures: 2 })).toBeNull();
    expect(jobHealthOf({ ...healthy, status: 'PAUSED', consecutiveFailures: 0 })).toBeNull();
  });

  it('calls a job failing from its threshold on', () => {
    expect(jobHealthOf({ ...healthy, consecutiveFailures: 3 })).toMatchObject({ kind: 'FAILING', label: 'Failing', explanation: '3 failures in a row (alert threshold 3)' });
    expect(jobHealthOf({ ...healthy, consecutiveFailures: 1, failingThreshold: 1 })?.kind).toBe('FAILING');
  });

  it('tells a gone target from an auto-pause, and keeps the service’s words', () => {
    const gone = '410 Gone from https://api.example.com at 2026-11-27T00:20:00.000Z';
    expect(jobHealthOf({ ...healthy, status: 'PAUSED', pauseReason: gone })).toMatchObject({ kind: 'GONE', label: 'Gone', explanation: `Paused by the service: ${gone}` });
    const tired = 'auto-paused after 5 consecutive failures (last: connect ECONNREFUSED 127.0.0.1:410)';
    expect(jobHealthOf({ ...healthy, status: 'PAUSED', pauseReason: tired, consecutiveFailures: 5 })?.kind).toBe('AUTO_PAUSED');
    expect(jobHealthOf({ ...healthy, status: 'PAUSED', pauseReason: 'maintenance' })).toMatchObject({ kind: 'SERVICE_PAUSED', label: 'Paused by the service' });
  });
});
