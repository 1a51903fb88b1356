import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyOf, policyValues } from './job-policy.ts';
import { auditOccurrences, pendingWindowMs, type AttemptRow, type AuditFacts, type SkipRange } from './occurrence-audit.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const s = (seconds: number) => T0 + seconds * 1_000;
const seconds = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => s(from + i));

const facts = (overrides: Partial<AuditFacts> = {}): AuditFacts => ({
  now: s(100),
  cursorAt: s(90),
  paused: false,
  changedAt: Number.NEGATIVE_INFINITY,
  historyHorizon: Number.NEGATIVE_INFINITY,
  pendingWindowMs: 5_000,
  maxAttempts: 3,
  engineAccountedUpTo: Number.NEGATIVE_INFINITY,
  ...overrides,
});

const row = (second: number, overrides: Partial<AttemptRow> = {}): AttemptRow => ({
  scheduledAt: s(second),
  startedAt: s(second),
  attempt: 1,
  outcome: 'SUCCEEDED',
  statusCode: 200,
  ...overrides,
});

const outcomes = (instants: number[], rows: AttemptRow[], skips: SkipRange[], f: AuditFacts) =>
  auditOccurrences(instants, rows, skips, f).map((o) => [(o.scheduledAt - T0) / 1_000, o.outcome, o.reason, o.attempts]);

describe('auditOccurrences', () => {
  it('takes the final attempt of each occurrence and counts its attempts', () => {
    const rows = [
      row(1),
      row(2, { outcome: 'FAILED', statusCode: 503 }),
      row(2, { attempt: 2, outcome: 'FAILED', statusCode: 503 }),
      row(2, { attempt: 3, outcome: 'SUCCEEDED', statusCode: 200 }),
      row(3, { outcome: 'FAILED', statusCode: 404 }),
      row(4, { outcome: 'UNKNOWN', statusCode: null }),
    ];
    expect(outcomes(seconds(1, 4), rows, [], facts())).toEqual([
      [1, 'SUCCEEDED', null, 1],
      [2, 'SUCCEEDED', null, 3],
      [3, 'FAILED', null, 1],
      [4, 'UNKNOWN', null, 1],
    ]);
  });

  it('passes over records of instants that are not on the schedule', () => {
    const rows = [row(1), { ...row(1), scheduledAt: s(1) + 500 }, row(2)];
    expect(outcomes(seconds(1, 2), rows, [], facts())).toEqual([
      [1, 'SUCCEEDED', null, 1],
      [2, 'SUCCEEDED', null, 1],
    ]);
  });

  it('marks occurrences in a skip range as skipped with its reason, unless they have an execution', () => {
    const skips: SkipRange[] = [
      { fromAt: s(2), toAt: s(4), reason: 'MISFIRE' },
      { fromAt: s(6), toAt: s(6), reason: 'OVERLAP' },
    ];
    expect(outcomes(seconds(1, 7), [row(1), row(3), row(5), row(7)], skips, facts())).toEqual([
      [1, 'SUCCEEDED', null, 1],
      [2, 'SKIPPED', 'MISFIRE', 0],
      [3, 'SUCCEEDED', null, 1],
      [4, 'SKIPPED', 'MISFIRE', 0],
      [5, 'SUCCEEDED', null, 1],
      [6, 'SKIPPED', 'OVERLAP', 0],
      [7, 'SUCCEEDED', null, 1],
    ]);
  });

  it('finds the covering range among nested and overlapping ones', () => {
    const skips: SkipRange[] = [
      { fromAt: s(1), toAt: s(10), reason: 'PAUSED' },
      { fromAt: s(2), toAt: s(2), reason: 'OVERLAP' },
    ];
    expect(outcomes([s(2), s(5), s(11)], [], skips, facts({ now: s(1_000), cursorAt: s(1_000) }))).toEqual([
      [2, 'SKIPPED', 'PAUSED', 0],
      [5, 'SKIPPED', 'PAUSED', 0],
      [11, 'MISSING', null, 0],
    ]);
  });

  it('calls an occurrence without record missing once the cursor passed it, and pending while it may still settle', () => {
    const f = facts({ now: s(100), cursorAt: s(90), pendingWindowMs: 5_000 });
    expect(outcomes([s(80), s(91), s(96), s(101)], [], [], f)).toEqual([
      [80, 'MISSING', null, 0],
      [91, 'MISSING', null, 0],
      [96, 'PENDING', null, 0],
      [101, 'PENDING', null, 0],
    ]);
  });

  it('keeps an old occurrence past the cursor pending while the engine still accounts for it (a catch-up sent one at a time)', () => {
    const f = facts({ now: s(1_000), cursorAt: s(90), engineAccountedUpTo: s(95) });
    expect(outcomes([s(80), s(93), s(95), s(96)], [], [], f)).toEqual([
      [80, 'MISSING', null, 0],
      [93, 'PENDING', null, 0],
      [95, 'PENDING', null, 0],
      [96, 'MISSING', null, 0],
    ]);
  });

  it('leaves out occurrences without record before the last change or the retention horizon', () => {
    const f = facts({ now: s(100), cursorAt: s(99), changedAt: s(20), historyHorizon: s(40) });
    expect(outcomes([s(10), s(30), s(50)], [row(10)], [], f)).toEqual([
      [10, 'SUCCEEDED', null, 1],
      [50, 'MISSING', null, 0],
    ]);
  });

  it('expects a paused job to record its occurrences past the cursor as skipped when it resumes', () => {
    const f = facts({ now: s(100), cursorAt: s(50), paused: true, pendingWindowMs: 5_000 });
    expect(outcomes([s(40), s(60), s(98)], [], [], f)).toEqual([
      [40, 'MISSING', null, 0],
      [60, 'SKIPPED', 'PAUSED', 0],
      [98, 'PENDING', null, 0],
    ]);
  });

  it('keeps a failed attempt that may still be retried pending, within the settle window only', () => {
    const rows = [
      row(10, { outcome: 'FAILED', statusCode: 503 }),
      row(97, { outcome: 'FAILED', statusCode: 503 }),
      row(98, { outcome: 'FAILED', statusCode: 400 }),
      row(99, { attempt: 3, outcome: 'FAILED', statusCode: 503 }),
    ];
    expect(outcomes([s(10), s(97), s(98), s(99)], rows, [], facts())).toEqual([
      [10, 'FAILED', null, 1],
      [97, 'PENDING', null, 1],
      [98, 'FAILED', null, 1],
      [99, 'FAILED', null, 1],
    ]);
  });
});

describe('pendingWindowMs', () => {
  it('covers every attempt timing out and every retry waiting as long as a target may ask', () => {
    const spec = { maxAttempts: 3, timeoutMs: 1_000, policy: DEFAULT_POLICY };
    expect(pendingWindowMs(spec, 10_000)).toBe(10_000 + 3 * 1_000 + 2 * 300_000);
    expect(pendingWindowMs({ ...spec, maxAttempts: 1 }, 0)).toBe(1_000);
  });

  it('doubles the settle window when an occurrence may queue behind the previous one', () => {
    const queued = policyOf({ ...policyValues(DEFAULT_POLICY), overlapPolicy: 'QUEUE_ONE' });
    expect(pendingWindowMs({ maxAttempts: 1, timeoutMs: 1_000, policy: queued }, 0)).toBe(2_000);
  });
});
